// Live mode's form: run the desktop's login against a server and watch each step pass or fail.
#include <cstdio>
#include <cstring>

#include "app.h"
#include "text_util.h"

namespace fi::web {

static void Field(const char* label, char* buf, size_t size, const char* id, App& app, ImGuiInputTextFlags flags = 0,
                  const char* hint = "") {
  ImGui::TextUnformatted(label);
  ImGui::SameLine(ImGui::GetFontSize() * 7.5f);
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint(id, hint, buf, size, flags);
  app.Rect(std::string("live-") + (id + 2));
}

void DrawLive(App& app) {
  LiveForm& f = app.form;
  ImGui::SetNextItemOpen(f.open, ImGuiCond_Always);
  f.open = ImGui::CollapsingHeader("Live: test a Finesse server");
  app.Rect("live-header");
  if (!f.open) return;
  Field("Server URL", f.url, sizeof f.url, "##url", app, 0, "wss://host:8445/ws/ or https://host:7443/http-bind/");
  // Say which transport the URL means before the test runs, so a mistyped one is seen at once.
  const LiveTransport transport = LiveTransportOf(f.url);
  ImGui::Dummy(ImVec2(ImGui::GetFontSize() * 7.5f - ImGui::GetStyle().ItemSpacing.x, 0));
  ImGui::SameLine();
  if (transport == LiveTransport::WebSocket)
    ImGui::TextDisabled("WebSocket (RFC 7395), as the desktop uses");
  else if (transport == LiveTransport::Bosh)
    ImGui::TextDisabled("BOSH (XEP-0206): HTTP long polling");
  else
    ImGui::TextColored(StatusColor(StepStatus::Failed), "Use ws(s)://… or http(s)://…/http-bind/");
  app.Rect("live-transport");
  Field("XMPP domain", f.domain, sizeof f.domain, "##domain", app, 0, "the xmppDomain of SystemInfo");
  Field("Pubsub domain", f.pubsub, sizeof f.pubsub, "##pubsub", app, 0, f.domain[0] ? "pubsub.<domain>" : "");
  Field("User id", f.user, sizeof f.user, "##user", app);
  Field("Password", f.password, sizeof f.password, "##password", app, ImGuiInputTextFlags_Password);
  Field("Resource", f.resource, sizeof f.resource, "##resource", app);
  if (std::strcmp(f.resource, "desktop") == 0)
    ImGui::TextColored(StatusColor(StepStatus::Missing),
                       "'desktop' is the agent desktop's own resource: testing with it signs the agent's desktop out (conflict).");
  Field("Team id", f.team, sizeof f.team, "##team", app, 0, "optional, for supervisors");
  ImGui::TextUnformatted("Step timeout");
  ImGui::SameLine(ImGui::GetFontSize() * 7.5f);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  ImGui::SliderFloat("##timeout", &f.timeout_s, 1, 60, "%.0f s");

  const LiveDriver* driver = app.live.Driver();
  const bool running = driver && driver->Phase() != LivePhase::Closed;
  if (ImGui::Button("Test connection")) {
    LiveOptions o;
    o.url = f.url;
    o.domain = f.domain;
    o.pubsub_domain = f.pubsub;
    o.user = f.user;
    o.password = f.password;
    o.resource = f.resource[0] ? f.resource : "inspector";
    o.team = f.team;
    o.step_timeout_s = f.timeout_s;
    if (o.domain.empty() || o.user.empty()) {
      app.Notify("Fill in the XMPP domain and the user id.", true);
    } else {
      const std::string why = app.Connect(std::move(o));
      if (!why.empty()) app.Notify("Not started: " + why + ".", true);
    }
  }
  app.Rect("live-connect");
  ImGui::SameLine();
  if (ImGui::Button("Disconnect") && running) app.live.Disconnect(EpochSeconds());
  app.Rect("live-disconnect");
  ImGui::SameLine();
  if (ImGui::Button("Reconnect") && driver && !running) app.live.Reconnect(EpochSeconds());
  ImGui::SameLine();
  if (ImGui::SmallButton("Use the local lab")) {
    // The lab from samples/lab/ (scripts/lab.sh start): Prosody on loopback playing Finesse,
    // over the transport the URL field names now.
    std::snprintf(f.url, sizeof f.url, transport == LiveTransport::Bosh ? "http://127.0.0.1:5280/http-bind/" : "ws://127.0.0.1:5280/ws/");
    std::snprintf(f.domain, sizeof f.domain, "finesse.lab");
    std::snprintf(f.user, sizeof f.user, "1001");
    std::snprintf(f.password, sizeof f.password, "agentpass");
  }
  if (driver) {
    const LiveDriver& d = *driver;
    ImVec4 c = !d.SequenceDone() ? StatusColor(StepStatus::Missing)
               : d.SequencePassed() ? StatusColor(StepStatus::Passed)
                                    : StatusColor(StepStatus::Failed);
    ImGui::TextColored(c, "%s%s%s", LivePhaseName(d.Phase()), d.Outcome().empty() ? "" : ": ", d.Outcome().c_str());
    ImGui::Text("%d notification(s) received", int(d.Notifications()));
    // A wss:// server the browser would not open: the certificate is the usual cause.
    for (const auto& lf : d.LiveFindings())
      if (lf.connection == d.ConnectionIndex() &&
          ((lf.finding.id == FindingCode::LiveUnreachable && StartsWithIgnoreCase(d.Options().url, "wss:")) ||
           (lf.finding.id == FindingCode::LiveBoshUnreachable && !lf.finding.Arg("tls").empty()))) {
        std::string page = "https://" + HostPortOf(d.Options().url) + "/";
        if (ImGui::Button(("Open " + page + " to accept its certificate").c_str())) OpenInNewTab(page);
      }
  }
  ImGui::Separator();
}

}  // namespace fi::web
