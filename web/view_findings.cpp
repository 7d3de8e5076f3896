// All findings of the selected connection, by severity, each linked to its frame.
#include <cstdio>

#include "app.h"

namespace fi::web {

static void MessageAndHint(const Finding& f) {
  ImGui::Indent();
  ImGui::TextWrapped("%s", f.Message().c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
  ImGui::TextWrapped("%s", f.Hint().c_str());
  ImGui::PopStyleColor();
  ImGui::Unindent();
  ImGui::Spacing();
}

// The REST side's findings (a HAR's Finesse calls), each linked to its request.
static void DrawRestFindings(App& app, const FinesseReport& fr) {
  if (fr.findings.empty()) return;
  const ConnectionReport* c = app.CurrentReport();
  if (c && !c->findings.empty()) ImGui::Separator();
  ImGui::TextDisabled(fr.desktop.present ? "Desktop client log (%d)" : "Finesse REST calls (%d)", int(fr.findings.size()));
  for (size_t i = 0; i < fr.findings.size(); ++i) {
    const Finding& f = fr.findings[i];
    ImGui::PushID(int(1000 + i));
    ImGui::TextColored(SeverityColor(f.severity), "%s", SeverityName(f.severity));
    ImGui::SameLine();
    char label[160];
    if (f.line) std::snprintf(label, sizeof label, "%s  (line %u)", f.Code().c_str(), f.line);
    else std::snprintf(label, sizeof label, "%s  (entry %d)", f.Code().c_str(), f.entry);
    const bool selected = app.detail_rest && app.request >= 0 && size_t(app.request) < fr.requests.size() &&
                          !f.line && fr.requests[size_t(app.request)].entry == f.entry;
    if (ImGui::Selectable(label, selected)) {
      if (f.line) {
        app.SelectRecordAtLine(f.line);  // a desktop log's finding points at its record
      } else {
        // Looked up on the click only: a HAR with thousands of 503s stays cheap to draw.
        for (size_t r = 0; r < fr.requests.size(); ++r)
          if (fr.requests[r].entry == f.entry) {
            app.ShowView(App::RightView::Requests);
            app.request = int(r);
            app.detail_rest = true;
            break;
          }
      }
    }
    app.Rect("rest-finding-" + f.Code());
    MessageAndHint(f);
    ImGui::PopID();
  }
}

void DrawFindings(App& app) {
  if (!app.workspace.Loaded()) return;
  const ConnectionReport* c = app.CurrentReport();
  const FinesseReport& fr = app.workspace.GetReport().finesse;
  if (!c && fr.Empty()) return;
  const size_t n = c ? c->findings.size() : 0;
  ImGui::Spacing();
  const Report* companion = app.workspace.CompanionReport();
  ImGui::Text("Findings (%d)", int(n + fr.findings.size() + (companion ? companion->finesse.findings.size() : 0)));
  ImGui::BeginChild("findings", ImVec2(0, 0), true);
  if (n == 0 && fr.findings.empty()) ImGui::TextDisabled("Nothing to report.");
  for (size_t i = 0; i < n; ++i) {
    const Finding& f = c->findings[i];
    ImGui::PushID(int(i));
    ImGui::TextColored(SeverityColor(f.severity), "%s", SeverityName(f.severity));
    ImGui::SameLine();
    char label[160];
    if (f.frame != kNoFrame) std::snprintf(label, sizeof label, "%s  (frame %d)", f.Code().c_str(), f.frame + 1);
    else std::snprintf(label, sizeof label, "%s", f.Code().c_str());
    if (ImGui::Selectable(label, f.frame != kNoFrame && f.frame == app.frame) && f.frame != kNoFrame)
      app.SelectFrame(f.frame, true);
    app.Rect("finding-" + f.Code());
    MessageAndHint(f);
    ImGui::PopID();
  }
  DrawRestFindings(app, app.workspace.GetReport().finesse);
  if (const Report* log = app.workspace.CompanionReport()) DrawRestFindings(app, log->finesse);
  ImGui::EndChild();
}

}  // namespace fi::web
