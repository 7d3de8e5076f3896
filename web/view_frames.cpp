// The frames table: index, time, direction, kind, one-line summary and size, with a text
// filter, direction and kind filters, and jumps to the previous/next error. Rows go through
// ImGuiListClipper over an index that is rebuilt in slices, so a million frames scroll smoothly.
#include <algorithm>
#include <cstdio>

#include "app.h"
#include "redact.h"
#include "text_util.h"

namespace fi::web {

static void FilterBar(App& app) {
  FrameFilter f = app.filter;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
  if (ImGui::InputTextWithHint("##filter", "filter frames (text)", app.filter_text, sizeof app.filter_text))
    f.text = app.filter_text;
  app.Rect("filter");
  ImGui::SameLine();
  ImGui::Checkbox("sent", &f.sent);
  ImGui::SameLine();
  ImGui::Checkbox("received", &f.received);
  ImGui::SameLine();
  ImGui::Checkbox("errors", &f.errors);
  ImGui::SameLine();
  if (ImGui::Button(f.kinds == ~0u ? "kinds: all" : "kinds: some")) ImGui::OpenPopup("kinds");
  if (ImGui::BeginPopup("kinds")) {
    if (ImGui::Selectable("all", false, ImGuiSelectableFlags_DontClosePopups)) f.kinds = ~0u;
    for (unsigned k = 0; k < unsigned(StanzaKind::Count); ++k) {
      bool on = f.kinds >> k & 1u;
      if (ImGui::Checkbox(StanzaKindName(StanzaKind(k)), &on)) f.kinds = on ? (f.kinds | 1u << k) : (f.kinds & ~(1u << k));
    }
    ImGui::EndPopup();
  }
  ImGui::SameLine();
  if (ImGui::ArrowButton("##prev-error", ImGuiDir_Left)) app.JumpProblem(-1);
  app.Rect("prev-error");
  ImGui::SameLine(0, 2 * app.dpr);
  ImGui::TextUnformatted("error");
  ImGui::SameLine(0, 2 * app.dpr);
  if (ImGui::ArrowButton("##next-error", ImGuiDir_Right)) app.JumpProblem(+1);
  app.Rect("next-error");
  if (f != app.filter) {
    app.filter = f;
    app.index_dirty = true;
  }
}

void DrawFrames(App& app) {
  const Connection* conn = app.CurrentConnection();
  const ConnectionReport* rep = app.CurrentReport();
  if (!conn || !rep) return;
  FilterBar(app);
  if (app.index_dirty) {
    app.index.Reset(app.workspace.GetCapture(), app.workspace.GetReport(), size_t(app.connection), app.filter);
    app.index_dirty = false;
  }
  app.index.Update(400000);  // a slice per frame; huge captures fill in over a few frames
  const auto& rows = app.index.Rows();
  ImGui::SameLine();
  ImGui::TextDisabled("%d of %d%s", int(rows.size()), int(conn->frames.size()), app.index.Complete() ? "" : " …");

  const float h = std::max(ImGui::GetTextLineHeightWithSpacing() * 6, ImGui::GetContentRegionAvail().y * 0.52f);
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                          ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;
  if (!ImGui::BeginTable("frames", 6, flags, ImVec2(0, h))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("#");
  ImGui::TableSetupColumn("time");
  ImGui::TableSetupColumn("dir");
  ImGui::TableSetupColumn("kind");
  ImGui::TableSetupColumn("summary", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("size");
  ImGui::TableHeadersRow();

  int scroll_row = -1;
  if (app.scroll_to_frame && app.frame >= 0) {
    const int row = app.index.RowOf(uint32_t(app.frame));
    if (row >= 0) {
      scroll_row = row;
    } else if (app.index.Complete()) {
      // The frame is filtered out: clear the filter so it can be shown.
      app.filter = FrameFilter();
      app.filter_text[0] = 0;
      app.index_dirty = true;
    }
  }
  const double origin = conn->Origin();
  app.rows_drawn.clear();
  ImGuiListClipper clipper;
  clipper.Begin(int(rows.size()));
  if (scroll_row >= 0) clipper.ForceDisplayRangeByIndices(scroll_row, scroll_row + 1);
  while (clipper.Step()) {
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
      const uint32_t i = rows[size_t(r)];
      if (FrameIndex::IsNote(i)) {
        // A line of the log that reported connection state: shown where it stood, never a frame.
        const Note& n = conn->notes[i & ~FrameIndex::kNoteRow];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("L%u", n.line);
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%s", HasTime(n.time) && HasTime(origin) ? FormatMs((n.time - origin) * 1000).c_str() : "–");
        ImGui::TableNextColumn();
        ImGui::TextDisabled("note");
        ImGui::TableNextColumn();
        ImGui::TextDisabled("log line");
        ImGui::TableNextColumn();
        const std::string text = RedactLogLine(n.text);
        app.rows_drawn.push_back(text);
        ImGui::TextDisabled("%s", text.c_str());
        ImGui::TableNextColumn();
        continue;
      }
      const Frame& f = conn->frames[i];
      const FrameView& v = app.workspace.View(size_t(app.connection), i);
      const StanzaKind kind = i < rep->kinds.size() ? rep->kinds[i] : StanzaKind::OtherXml;
      const bool bad = rep->IsProblem(i);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      char label[32];
      std::snprintf(label, sizeof label, "%u##f", i + 1);
      if (ImGui::Selectable(label, app.frame == int(i), ImGuiSelectableFlags_SpanAllColumns)) app.SelectFrame(int(i), false);
      if (r == scroll_row) {
        ImGui::SetScrollHereY(0.35f);
        app.scroll_to_frame = false;
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(HasTime(f.time) && HasTime(origin) ? FormatMs((f.time - origin) * 1000).c_str() : "–");
      ImGui::TableNextColumn();
      if (f.dir == Direction::Sent) ImGui::TextColored(StatusColor(StepStatus::Passed), "\xE2\x86\x92 out");
      else if (f.dir == Direction::Received) ImGui::TextColored(SeverityColor(Severity::Info), "\xE2\x86\x90 in");
      else ImGui::TextColored(StatusColor(StepStatus::Failed), "! err");
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(StanzaKindName(kind));
      ImGui::TableNextColumn();
      app.rows_drawn.push_back(v.summary);
      if (bad) ImGui::TextColored(StatusColor(StepStatus::Failed), "%s", v.summary.c_str());
      else ImGui::TextUnformatted(v.summary.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(FormatBytes(f.payload.size()).c_str());
    }
  }
  ImGui::EndTable();
}

}  // namespace fi::web
