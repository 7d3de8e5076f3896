// The Finesse REST calls of a HAR: a table of requests with status, requestId and the
// notification each one produced (or ✗), and a request's detail: its request and response with
// secret headers and body fields masked, bodies pretty-printed.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "app.h"
#include "finesse_update.h"
#include "redact.h"
#include "text_util.h"

namespace fi::web {

static ImVec4 HttpColor(int status) {
  if (status >= 200 && status < 400) return StatusColor(StepStatus::Passed);
  if (status == 0 || status >= 500 || status == 401) return StatusColor(StepStatus::Failed);
  return StatusColor(StepStatus::Missing);
}

static const Finding* ProblemOf(const FinesseReport& f, const RestRequest& r) {
  const Finding* best = nullptr;
  for (const Finding& x : f.findings)
    if ((r.line ? x.line == r.line : x.entry == r.entry) && (!best || x.severity < best->severity)) best = &x;
  return best;
}

void DrawRequests(App& app) {
  const Report& rep = app.workspace.GetReport();
  const FinesseReport& f = rep.finesse;
  if (const SystemInfoAnswer* si = f.Last()) {
    ImGui::TextDisabled("SystemInfo (entry %d):", si->entry);
    ImGui::SameLine();
    ImGui::TextColored(si->status == "IN_SERVICE" ? StatusColor(StepStatus::Passed) : StatusColor(StepStatus::Failed), "%s",
                       si->status.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("xmppDomain %s · primary %s · secondary %s", si->xmpp_domain.c_str(),
                        si->primary.empty() ? "–" : si->primary.c_str(), si->secondary.empty() ? "–" : si->secondary.c_str());
  }
  const float h = std::max(ImGui::GetTextLineHeightWithSpacing() * 6, ImGui::GetContentRegionAvail().y * 0.52f);
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                          ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;
  if (!ImGui::BeginTable("requests", 6, flags, ImVec2(0, h))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(IsDesktopLog(app) ? "line" : "entry");
  ImGui::TableSetupColumn("time (UTC)");
  ImGui::TableSetupColumn("request", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("status");
  ImGui::TableSetupColumn("requestId");
  ImGui::TableSetupColumn("notification");
  ImGui::TableHeadersRow();
  const bool many = rep.connections.size() > 1;
  ImGuiListClipper clipper;
  clipper.Begin(int(f.requests.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const RestRequest& r = f.requests[size_t(i)];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      char label[32];
      std::snprintf(label, sizeof label, "%d##req%d", r.line ? int(r.line) : r.entry, i);  // two on one line: two ids
      if (ImGui::Selectable(label, app.request == i, ImGuiSelectableFlags_SpanAllColumns)) app.SelectRequest(i);
      app.Rect("request-" + std::to_string(i + 1));
      ImGui::TableNextColumn();
      // Wall-clock time (UTC), to line up with the server's logs.
      const std::string iso = HasTime(r.time) ? FormatIsoTime(r.time, 3) : std::string();
      ImGui::TextUnformatted(iso.size() >= 23 ? iso.substr(11, 12).c_str() : "–");
      ImGui::TableNextColumn();
      const Finding* problem = ProblemOf(f, r);
      // Every path starts with /finesse/api/: the rest is what tells requests apart.
      const char* path = r.path.c_str() + (StartsWithIgnoreCase(r.path, "/finesse/api/") ? 13 : 0);
      if (problem && problem->severity != Severity::Info)
        ImGui::TextColored(SeverityColor(problem->severity), "%s %s", r.method.c_str(), path);
      else
        ImGui::Text("%s %s", r.method.c_str(), path);
      if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
        ImGui::Text("%s %s", r.method.c_str(), r.path.c_str());
        if (problem) ImGui::TextWrapped("%s", problem->Message().c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
      ImGui::TableNextColumn();
      ImGui::TextColored(HttpColor(r.status), "%s", r.status ? std::to_string(r.status).c_str() : "–");
      ImGui::TableNextColumn();
      // The first block of the UUID tells requests apart; the whole one is in the tooltip and detail.
      if (r.request_id.empty()) {
        ImGui::TextDisabled("–");
      } else {
        ImGui::Text("%.8s%s", r.request_id.c_str(), r.request_id.size() > 8 ? "\xE2\x80\xA6" : "");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", r.request_id.c_str());
      }
      ImGui::TableNextColumn();
      if (r.has_notification && r.notification.line) {
        ImGui::TextColored(StatusColor(StepStatus::Passed), "%s line %u · %s", StatusMark(StepStatus::Passed),
                           r.notification.line, FormatMs(r.notification.latency_ms).c_str());
      } else if (r.has_notification) {
        ImGui::TextColored(HasTime(r.notification.latency_ms) && r.notification.latency_ms > 5000 ? StatusColor(StepStatus::Missing)
                                                                                                   : StatusColor(StepStatus::Passed),
                           "%s %s%sframe %d · %s", StatusMark(StepStatus::Passed),
                           many ? ("conn " + std::to_string(r.notification.connection + 1)).c_str() : "", many ? " · " : "",
                           r.notification.frame + 1, FormatMs(r.notification.latency_ms).c_str());
      } else if (problem && problem->id == FindingCode::NotificationNotReceived) {
        ImGui::TextColored(SeverityColor(problem->severity), "%s none", StatusMark(StepStatus::Failed));
      } else {
        ImGui::TextDisabled("–");
      }
    }
  }
  ImGui::EndTable();
}

void DrawRightViews(App& app) {
  if (!app.workspace.Loaded()) return;
  const bool log_input = IsDesktopLog(app);
  const bool records = LogOnScreen(app).capture != nullptr;
  const bool rest = !app.workspace.GetReport().finesse.requests.empty();
  using V = App::RightView;
  // The views this input has: a HAR's frames, a log's records (also beside a HAR), the requests.
  std::vector<V> views;
  if (!log_input) views.push_back(V::Frames);
  if (records) views.push_back(V::Records);
  if (rest) views.push_back(V::Requests);
  if (std::find(views.begin(), views.end(), app.right_view) == views.end()) app.right_view = views.front();
  if (views.size() > 1 && ImGui::BeginTabBar("right-views")) {
    const bool pending = app.right_view_pending;
    app.right_view_pending = false;
    const FinesseReport& f = app.workspace.GetReport().finesse;
    for (V v : views) {
      char label[64];
      if (v == V::Frames) std::snprintf(label, sizeof label, "Frames###frames");
      else if (v == V::Records) std::snprintf(label, sizeof label, "Records (%d)###records", int(LogOnScreen(app).capture->log_records.size()));
      else std::snprintf(label, sizeof label, "Requests (%d)%s###requests", int(f.requests.size()), f.HasProblem() ? " !" : "");
      if (ImGui::BeginTabItem(label, nullptr, pending && app.right_view == v ? ImGuiTabItemFlags_SetSelected : 0)) {
        if (!pending) app.right_view = v;
        ImGui::EndTabItem();
      }
      app.Rect(v == V::Frames ? "tab-frames" : v == V::Records ? "tab-records" : "tab-requests");
    }
    ImGui::EndTabBar();
  }
  if (app.right_view == V::Requests) DrawRequests(app);
  else if (app.right_view == V::Records) DrawRecords(app);
  else if (app.CurrentConnection()) DrawFrames(app);
}

static void Headers(const char* title, const std::vector<Header>& headers, bool reveal) {
  ImGui::TextDisabled("%s", title);
  for (const Header& h : headers) {
    std::string value = reveal ? h.value : RedactHeaderValue(h.name, h.value);
    ImGui::Text("%s: %s", h.name.c_str(), value.c_str());
  }
}

static std::string Body(std::string_view body, bool reveal) {
  std::string shown(body);
  if (!reveal)
    if (auto masked = RedactBody(body)) shown = *masked;
  std::string_view t = Trim(shown);
  return !t.empty() && t.front() == '<' ? PrettyXml(shown) : shown;
}

std::string RestDetailText(const App& app) {
  const auto& calls = app.workspace.GetCapture().rest_calls;
  if (app.request < 0 || size_t(app.request) >= calls.size()) return {};
  const RestCall& c = calls[size_t(app.request)];
  std::string out = c.method + " " + (app.reveal_secret ? c.url : RedactUrl(c.url)) + "\n";
  for (const Header& h : c.request_headers)
    out += h.name + ": " + (app.reveal_secret ? h.value : RedactHeaderValue(h.name, h.value)) + "\n";
  if (!c.request_body.empty()) out += "\n" + Body(c.request_body, app.reveal_secret) + "\n";
  out += "\n" + std::to_string(c.status) + " " + c.status_text + "\n";
  for (const Header& h : c.response_headers)
    out += h.name + ": " + (app.reveal_secret ? h.value : RedactHeaderValue(h.name, h.value)) + "\n";
  if (!c.response_body.empty()) out += "\n" + Body(c.response_body, app.reveal_secret) + "\n";
  return out;
}

void DrawRestDetail(App& app) {
  const Report& rep = app.workspace.GetReport();
  const auto& calls = app.workspace.GetCapture().rest_calls;
  const RestCall& c = calls[size_t(app.request)];
  const RestRequest& r = rep.finesse.requests[size_t(app.request)];
  ImGui::Text("Entry %d", c.entry);
  ImGui::SameLine();
  ImGui::TextDisabled("%s %s", r.method.c_str(), r.path.c_str());
  ImGui::SameLine();
  ImGui::TextColored(HttpColor(c.status), "%d %s", c.status, c.status_text.c_str());
  if (!c.error.empty()) ImGui::TextColored(StatusColor(StepStatus::Failed), "%s", c.error.c_str());
  for (const Finding& x : rep.finesse.findings)
    if (x.entry == c.entry) {
      ImGui::TextColored(SeverityColor(x.severity), "%s", x.Code().c_str());
      ImGui::SameLine();
      ImGui::TextWrapped("%s", x.Message().c_str());
    }
  if (r.has_notification) {
    char label[96];
    std::snprintf(label, sizeof label, "Go to its notification: connection %d, frame %d", r.notification.connection + 1,
                  r.notification.frame + 1);
    if (ImGui::SmallButton(label)) {
      app.SelectConnection(r.notification.connection);
      app.SelectFrame(r.notification.frame, true);
    }
    app.Rect("goto-notification");
  }
  ImGui::Checkbox("Reveal secrets", &app.reveal_secret);
  ImGui::BeginChild("rest-detail", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  ImGui::PushFont(app.font_mono);
  Headers("Request headers", c.request_headers, app.reveal_secret);
  if (!c.request_body.empty()) {
    ImGui::TextDisabled("Request body");
    XmlText(Body(c.request_body, app.reveal_secret));
  }
  ImGui::Separator();
  Headers("Response headers", c.response_headers, app.reveal_secret);
  if (!c.response_body.empty()) {
    ImGui::TextDisabled("Response body");
    XmlText(Body(c.response_body, app.reveal_secret));
  }
  ImGui::PopFont();
  ImGui::EndChild();
}

}  // namespace fi::web
