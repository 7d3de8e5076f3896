// The selected frame: pretty-printed with XML colouring, its decoded parts (SASL PLAIN with the
// password masked unless revealed, the Finesse <Update> un-escaped), the raw text, and copy.
#include <cstdio>

#include "app.h"
#include "finesse_update.h"
#include "redact.h"
#include "text_util.h"

namespace fi::web {

// What may be shown or copied: secrets masked unless the user revealed them.
static std::string Shown(const App& app, std::string_view payload) {
  if (!app.reveal_secret)
    if (auto masked = RedactFrame(payload)) return *masked;
  return std::string(payload);
}

static void Decoded(App& app, const FrameView& v, std::string_view payload) {
  const Stanza& s = v.stanza;
  ImGui::Text("kind: %s", StanzaKindName(s.kind));
  if (!s.from.empty()) ImGui::Text("from: %s", s.from.c_str());
  if (!s.to.empty()) ImGui::Text("to: %s", s.to.c_str());
  if (!s.id.empty()) ImGui::Text("id: %s", s.id.c_str());
  if (!s.condition.empty()) ImGui::TextColored(StatusColor(StepStatus::Failed), "condition: %s %s", s.condition.c_str(), s.error_text.c_str());
  if (s.kind == StanzaKind::Auth) {
    ImGui::Separator();
    ImGui::Text("SASL mechanism: %s", s.mechanism.c_str());
    if (s.plain.decoded) {
      ImGui::Text("authzid: %s", s.plain.authzid.empty() ? "(none)" : s.plain.authzid.c_str());
      ImGui::Text("authcid: %s", s.plain.authcid.c_str());
      if (app.reveal_secret) {
        std::string pw = RevealPlainPassword(s.sasl_payload);
        ImGui::TextColored(StatusColor(StepStatus::Missing), "password: %s", pw.c_str());
      } else {
        ImGui::Text("password: %s (%d characters)", kMask, int(s.plain.password_length));
      }
      ImGui::SameLine();
      ImGui::Checkbox("Reveal", &app.reveal_secret);
      app.Rect("reveal");
    }
  }
  if (!v.update_xml.empty()) {
    ImGui::Separator();
    FinesseUpdate u = DecodeUpdate(v.update_xml);
    if (u.ok) {
      ImGui::Text("Finesse Update: %s %s", u.event.c_str(), u.source.c_str());
      ImGui::Text("requestId: %s", u.request_id.empty() ? "(unsolicited)" : u.request_id.c_str());
      ImGui::Text("data: %s%s%s", u.data_kind.c_str(), u.state.empty() ? "" : " · ", u.state.c_str());
      for (const ApiError& e : u.api_errors)
        ImGui::TextColored(StatusColor(StepStatus::Failed), "apiError %s: %s", e.type.c_str(), e.message.c_str());
    } else {
      ImGui::TextColored(StatusColor(StepStatus::Failed), "%s", u.error.c_str());
    }
    XmlText(PrettyXml(v.update_xml));
  }
  (void)payload;
}

// The REST request whose notification this frame is, if any.
static int RequestOf(const App& app) {
  const auto& requests = app.workspace.GetReport().finesse.requests;
  for (size_t i = 0; i < requests.size(); ++i)
    if (requests[i].has_notification && requests[i].notification.connection == app.connection &&
        requests[i].notification.frame == app.frame)
      return int(i);
  return -1;
}

void DrawDetail(App& app) {
  const Connection* conn = app.CurrentConnection();
  ImGui::BeginChild("detail", ImVec2(0, 0), true);
  if (app.detail_rest && app.request >= 0 && size_t(app.request) < app.workspace.GetCapture().rest_calls.size()) {
    DrawRestDetail(app);
    ImGui::EndChild();
    return;
  }
  if (IsDesktopLog(app) || (app.right_view == App::RightView::Records && app.record >= 0)) {
    DrawRecordDetail(app);
    ImGui::EndChild();
    return;
  }
  if (!conn || app.frame < 0 || size_t(app.frame) >= conn->frames.size()) {
    ImGui::TextDisabled("Select a frame, a step or a finding to see it here.");
    ImGui::EndChild();
    return;
  }
  const Frame& f = conn->frames[size_t(app.frame)];
  const FrameView& v = app.workspace.View(size_t(app.connection), size_t(app.frame));
  ImGui::Text("Frame %d", app.frame + 1);
  ImGui::SameLine();
  ImGui::TextDisabled("%s · %s · %s", DirectionName(f.dir), v.summary.c_str(), FormatBytes(f.payload.size()).c_str());
  if (int r = RequestOf(app); r >= 0) {
    const RestRequest& req = app.workspace.GetReport().finesse.requests[size_t(r)];
    char label[160];
    std::snprintf(label, sizeof label, "Answers %s %s (entry %d, %s later)", req.method.c_str(), req.path.c_str(), req.entry,
                  FormatMs(req.notification.latency_ms).c_str());
    if (ImGui::SmallButton(label)) {
      app.request = r;
      app.detail_rest = true;
    }
    app.Rect("show-request");
  }
  std::string shown = Shown(app, f.payload);
  std::string pretty = app.DetailText();
  if (ImGui::BeginTabBar("detail-tabs")) {
    if (ImGui::BeginTabItem("Pretty")) {
      if (ImGui::SmallButton("Copy")) {
        CopyToClipboard(pretty);
        app.Notify("Copied the frame (pretty-printed" + std::string(app.reveal_secret ? "" : ", secrets masked") + ").", false);
      }
      app.Rect("copy-pretty");
      ImGui::BeginChild("pretty", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
      ImGui::PushFont(app.font_mono);
      XmlText(pretty);
      ImGui::PopFont();
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Decoded")) {
      ImGui::BeginChild("decoded", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
      Decoded(app, v, f.payload);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    app.Rect("tab-decoded");
    if (ImGui::BeginTabItem("Raw")) {
      if (ImGui::SmallButton("Copy")) {
        CopyToClipboard(shown);
        app.Notify("Copied the raw frame" + std::string(app.reveal_secret ? "." : " (secrets masked)."), false);
      }
      ImGui::BeginChild("raw", ImVec2(0, 0), false);
      ImGui::PushFont(app.font_mono);
      ImGui::TextWrapped("%s", shown.c_str());
      ImGui::PopFont();
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::EndChild();
}

}  // namespace fi::web
