// What the views share: the two themes, status colours, time formatting and XML colouring.
#include <cstdio>

#include "app.h"

namespace fi::web {

void ApplyTheme(Theme theme, float scale) {
  ImGuiStyle& st = ImGui::GetStyle();
  st = ImGuiStyle();
  if (theme == Theme::Dark) {
    ImGui::StyleColorsDark(&st);
    st.Colors[ImGuiCol_WindowBg] = ImVec4(0.10f, 0.11f, 0.13f, 1);
    st.Colors[ImGuiCol_ChildBg] = ImVec4(0.12f, 0.13f, 0.15f, 1);
    st.Colors[ImGuiCol_TableRowBgAlt] = ImVec4(1, 1, 1, 0.03f);
    // A quiet selection, so coloured status text stays readable on it.
    st.Colors[ImGuiCol_Header] = ImVec4(0.30f, 0.40f, 0.55f, 0.45f);
    st.Colors[ImGuiCol_HeaderHovered] = ImVec4(0.30f, 0.40f, 0.55f, 0.30f);
    st.Colors[ImGuiCol_HeaderActive] = ImVec4(0.30f, 0.40f, 0.55f, 0.60f);
  } else {
    ImGui::StyleColorsLight(&st);
    st.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.98f, 1);
    st.Colors[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
    st.Colors[ImGuiCol_TableRowBgAlt] = ImVec4(0, 0, 0, 0.03f);
    st.Colors[ImGuiCol_FrameBg] = ImVec4(0.90f, 0.91f, 0.93f, 1);  // inputs stay visible on white
    st.Colors[ImGuiCol_Header] = ImVec4(0.26f, 0.52f, 0.90f, 0.22f);
    st.Colors[ImGuiCol_HeaderHovered] = ImVec4(0.26f, 0.52f, 0.90f, 0.14f);
    st.Colors[ImGuiCol_HeaderActive] = ImVec4(0.26f, 0.52f, 0.90f, 0.32f);
    st.FrameBorderSize = 1;
  }
  st.WindowPadding = ImVec2(8, 8);
  st.FramePadding = ImVec2(6, 3);
  st.ItemSpacing = ImVec2(8, 5);
  st.CellPadding = ImVec2(5, 2);
  st.ChildRounding = 4;
  st.FrameRounding = 3;
  st.ScrollbarSize = 13;
  st.ScaleAllSizes(scale);
}

static bool Dark() { return ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x < 0.5f; }

ImVec4 StatusColor(StepStatus s) {
  bool d = Dark();
  switch (s) {
    case StepStatus::Passed: return d ? ImVec4(0.35f, 0.80f, 0.45f, 1) : ImVec4(0.10f, 0.55f, 0.20f, 1);
    case StepStatus::Failed: return d ? ImVec4(0.95f, 0.38f, 0.35f, 1) : ImVec4(0.80f, 0.12f, 0.10f, 1);
    case StepStatus::Missing: return d ? ImVec4(0.95f, 0.72f, 0.25f, 1) : ImVec4(0.70f, 0.45f, 0.00f, 1);
    default: return d ? ImVec4(0.55f, 0.57f, 0.60f, 1) : ImVec4(0.45f, 0.45f, 0.48f, 1);
  }
}

ImVec4 SeverityColor(Severity s) {
  return s == Severity::Error     ? StatusColor(StepStatus::Failed)
         : s == Severity::Warning ? StatusColor(StepStatus::Missing)
                                  : (Dark() ? ImVec4(0.45f, 0.70f, 0.95f, 1) : ImVec4(0.10f, 0.35f, 0.75f, 1));
}

ImVec4 VerdictColor(Verdict v) {
  return v == Verdict::Healthy  ? StatusColor(StepStatus::Passed)
         : v == Verdict::Failed ? StatusColor(StepStatus::Failed)
                                : StatusColor(StepStatus::Missing);
}

const char* StatusMark(StepStatus s) {
  switch (s) {
    case StepStatus::Passed: return "\xE2\x9C\x93";   // ✓
    case StepStatus::Failed: return "\xE2\x9C\x97";   // ✗
    case StepStatus::Missing: return "?";
    case StepStatus::NotCaptured: return "\xE2\x80\xA6";  // …
    default: return "\xE2\x80\x93";                   // –
  }
}

std::string FormatMs(double ms) {
  if (!HasTime(ms)) return "–";
  char buf[32];
  if (ms < 1000) std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  else if (ms < 60000) std::snprintf(buf, sizeof buf, "%.2f s", ms / 1000);
  else std::snprintf(buf, sizeof buf, "%d:%04.1f", int(ms / 60000), (ms - 60000.0 * int(ms / 60000)) / 1000);
  return buf;
}

// Colours a pretty-printed XML text: tags, attribute names, values, text. One line at a time,
// so long documents only cost what is on screen (the caller clips).
void XmlText(const std::string& pretty) {
  bool d = Dark();
  const ImVec4 tag = d ? ImVec4(0.45f, 0.70f, 0.95f, 1) : ImVec4(0.05f, 0.30f, 0.70f, 1);
  const ImVec4 attr = d ? ImVec4(0.80f, 0.65f, 0.95f, 1) : ImVec4(0.50f, 0.15f, 0.60f, 1);
  const ImVec4 value = d ? ImVec4(0.90f, 0.75f, 0.45f, 1) : ImVec4(0.60f, 0.35f, 0.00f, 1);
  const ImVec4 text = ImGui::GetStyle().Colors[ImGuiCol_Text];
  ImGuiListClipper clipper;
  std::vector<std::pair<size_t, size_t>> lines;
  for (size_t b = 0; b <= pretty.size();) {
    size_t e = pretty.find('\n', b);
    if (e == std::string::npos) e = pretty.size();
    lines.push_back({b, e});
    b = e + 1;
  }
  clipper.Begin(int(lines.size()));
  while (clipper.Step()) {
    for (int li = clipper.DisplayStart; li < clipper.DisplayEnd; ++li) {
      const char* s = pretty.data() + lines[size_t(li)].first;
      const char* end = pretty.data() + lines[size_t(li)].second;
      bool first = true;
      auto piece = [&](const char* a, const char* b, const ImVec4& c) {
        if (a >= b) return;
        if (!first) ImGui::SameLine(0, 0);
        first = false;
        ImGui::PushStyleColor(ImGuiCol_Text, c);
        ImGui::TextUnformatted(a, b);
        ImGui::PopStyleColor();
      };
      const char* p = s;
      while (p < end) {
        if (*p == '<') {
          const char* q = p;
          while (q < end && *q != ' ' && *q != '>' && *q != '/') ++q;
          if (q < end && *q == '/' && q == p + 1) {  // "</name"
            ++q;
            while (q < end && *q != '>') ++q;
          }
          piece(p, q, tag);
          p = q;
          // attributes up to '>'
          while (p < end && *p != '>') {
            if (*p == '"' || *p == '\'') {
              char quote = *p;
              const char* r = p + 1;
              while (r < end && *r != quote) ++r;
              if (r < end) ++r;
              piece(p, r, value);
              p = r;
            } else if (*p == '/') {
              piece(p, p + 1, tag);
              ++p;
            } else {
              const char* r = p;
              while (r < end && *r != '"' && *r != '\'' && *r != '>' && *r != '/') ++r;
              piece(p, r, attr);
              p = r;
            }
          }
          if (p < end) {
            piece(p, p + 1, tag);
            ++p;
          }
        } else {
          const char* q = p;
          while (q < end && *q != '<') ++q;
          piece(p, q, text);
          p = q;
        }
      }
      if (first) ImGui::TextUnformatted("");
    }
  }
}

}  // namespace fi::web
