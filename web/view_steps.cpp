// The expected sequence: each step's status mark, time offset, latency and detail. Clicking a
// step selects its frame; a failed step shows its finding's message and hint right below it.
#include <cstdio>

#include "app.h"

namespace fi::web {

// The finding that explains a failed step: the error the checker tied to that step, else the
// error at the step's frame (a stream error that broke it).
static const Finding* Explaining(const ConnectionReport& c, const StepResult& s) {
  const Finding* at_frame = nullptr;
  for (const Finding& f : c.findings) {
    if (f.severity != Severity::Error) continue;
    if (f.step == s.id) return &f;
    if (!at_frame && s.frame != kNoFrame && f.frame == s.frame) at_frame = &f;
  }
  return at_frame;
}

void DrawSteps(App& app) {
  const ConnectionReport* c = app.CurrentReport();
  if (!c) return;
  const Transport t = c->connection->transport;
  ImGui::Spacing();
  ImGui::TextUnformatted("Expected sequence");
  ImGui::SameLine();
  ImGui::TextColored(VerdictColor(c->verdict), "%s", c->is_xmpp ? VerdictName(c->verdict) : "not XMPP");
  if (!c->jid.empty() || !c->domain.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", (c->jid.empty() ? c->domain : c->jid).c_str());
  }
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_BordersInnerH;
  if (!ImGui::BeginTable("steps", 5, flags)) return;
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 1.2f);
  ImGui::TableSetupColumn("step");
  ImGui::TableSetupColumn("t");
  ImGui::TableSetupColumn("latency");
  ImGui::TableSetupColumn("detail", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();
  for (size_t i = 0; i < c->steps.size(); ++i) {
    const StepResult& s = c->steps[i];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextColored(StatusColor(s.status), "%s", StatusMark(s.status));
    ImGui::TableNextColumn();
    char label[64];
    std::snprintf(label, sizeof label, "%s##step", StepName(s.id, t));
    ImGui::PushStyleColor(ImGuiCol_Text, s.status == StepStatus::Skipped ? StatusColor(s.status)
                                                                        : ImGui::GetStyle().Colors[ImGuiCol_Text]);
    if (ImGui::Selectable(label, app.step == int(i), ImGuiSelectableFlags_SpanAllColumns)) app.SelectStep(int(i));
    ImGui::PopStyleColor();
    app.Rect(std::string("step-") + StepName(s.id, t));
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s: %s\nexpected: %s%s", StepName(s.id, t), StepStatusName(s.status), StepExpectation(s.id, t),
                        StepRequired(s.id) ? "" : "\n(optional)");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(FormatMs(s.t_ms).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(FormatMs(s.latency_ms).c_str());
    ImGui::TableNextColumn();
    ImGui::PushStyleColor(ImGuiCol_Text, s.status == StepStatus::Passed ? ImGui::GetStyle().Colors[ImGuiCol_Text]
                                                                       : StatusColor(s.status));
    ImGui::TextWrapped("%s%s", StepStatusName(s.status), s.detail.Empty() ? "" : (": " + s.detail.Render()).c_str());
    ImGui::PopStyleColor();
    if (s.status == StepStatus::Failed) {
      if (const Finding* f = Explaining(*c, s)) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TableNextColumn();
        ImGui::TableSetColumnIndex(4);
        ImGui::TextWrapped("%s", f->Message().c_str());
        ImGui::PushStyleColor(ImGuiCol_Text, SeverityColor(Severity::Info));
        ImGui::TextWrapped("What to do: %s", f->Hint().c_str());
        ImGui::PopStyleColor();
      }
    }
  }
  ImGui::EndTable();
}

}  // namespace fi::web
