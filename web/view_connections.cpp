// The connection selector: transport, URL, verdict, duration and frame count of each.
#include <cstdio>

#include "app.h"
#include "redact.h"

namespace fi::web {

static double DurationMs(const Connection& c) { return HasTime(c.Duration()) ? c.Duration() * 1000.0 : kNoTime; }

void DrawConnections(App& app) {
  if (!app.workspace.Loaded()) {
    ImGui::TextWrapped("Paste (Ctrl/Cmd+V) a HAR, copied frames or a transcript, drop a file, or pick one of the Samples.");
    return;
  }
  const Report& rep = app.workspace.GetReport();
  ImGui::TextUnformatted("Connections");
  ImGui::SameLine();
  ImGui::TextDisabled("(%d)", int(rep.connections.size()));
  if (rep.connections.empty()) {
    ImGui::TextColored(StatusColor(StepStatus::Missing), "No WebSocket or BOSH connection in this input.");
    return;
  }
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  const int visible = std::min<int>(int(rep.connections.size()), 4);
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                          ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("connections", 6, flags, ImVec2(0, row_h * float(visible + 1) + 4 * app.dpr))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("#");
  ImGui::TableSetupColumn("verdict");
  ImGui::TableSetupColumn("transport");
  ImGui::TableSetupColumn("url", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("duration");
  ImGui::TableSetupColumn("frames");
  ImGui::TableHeadersRow();
  for (size_t i = 0; i < rep.connections.size(); ++i) {
    const ConnectionReport& c = rep.connections[i];
    const Connection& conn = *c.connection;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    char label[32];
    std::snprintf(label, sizeof label, "%d##conn", int(i + 1));
    if (ImGui::Selectable(label, app.connection == int(i), ImGuiSelectableFlags_SpanAllColumns)) app.SelectConnection(int(i));
    app.Rect("connection-" + std::to_string(i + 1));
    ImGui::TableNextColumn();
    ImGui::TextColored(VerdictColor(c.verdict), "%s", c.is_xmpp ? VerdictName(c.verdict) : "not XMPP");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(TransportName(conn.transport));
    for (const Finding& f : c.findings)
      if (f.id == FindingCode::Failover) {
        ImGui::SameLine();
        ImGui::TextColored(SeverityColor(Severity::Warning), "\xE2\x87\x84 failover");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", f.Message().c_str());
      }
    ImGui::TableNextColumn();
    std::string url = conn.url.empty() ? "(transcript)" : RedactUrl(conn.url);
    ImGui::TextUnformatted(url.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(FormatMs(DurationMs(conn)).c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%d", int(conn.frames.size()));
  }
  ImGui::EndTable();
}

}  // namespace fi::web
