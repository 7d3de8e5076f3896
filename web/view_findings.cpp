// All findings of the selected connection, by severity, each linked to its frame.
#include <cstdio>

#include "app.h"

namespace fi::web {

void DrawFindings(App& app) {
  const ConnectionReport* c = app.CurrentReport();
  if (!c) return;
  ImGui::Spacing();
  ImGui::Text("Findings (%d)", int(c->findings.size()));
  ImGui::BeginChild("findings", ImVec2(0, 0), true);
  if (c->findings.empty()) ImGui::TextDisabled("Nothing to report.");
  for (size_t i = 0; i < c->findings.size(); ++i) {
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
    ImGui::Indent();
    ImGui::TextWrapped("%s", f.Message().c_str());
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    ImGui::TextWrapped("%s", f.Hint().c_str());
    ImGui::PopStyleColor();
    ImGui::Unindent();
    ImGui::Spacing();
    ImGui::PopID();
  }
  ImGui::EndChild();
}

}  // namespace fi::web
