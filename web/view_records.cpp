// A Finesse desktop client log in the page: its facts in place of the connections list, its
// records in place of the frames (same text filter, secrets masked), a record's detail with an
// XML payload pretty-printed, and a status lane on the timeline (connected green, down red,
// reconnecting amber) above the agent-state lane.
#include <algorithm>
#include <cstdio>

#include "app.h"
#include "finesse_update.h"
#include "redact.h"
#include "text_util.h"

namespace fi::web {

bool IsDesktopLog(const App& app) {
  return app.workspace.Loaded() && app.workspace.GetReport().finesse.desktop.present;
}

LogSource LogOnScreen(const App& app) {
  if (IsDesktopLog(app)) return {&app.workspace.GetCapture(), &app.workspace.GetReport()};
  if (app.workspace.Loaded() && app.workspace.CompanionCapture())
    return {app.workspace.CompanionCapture(), app.workspace.CompanionReport()};
  return {};
}

// What may be shown of a record: secrets masked unless revealed.
static std::string Shown(const App& app, std::string_view message) {
  if (!app.reveal_secret)
    if (auto masked = RedactBody(message)) return *masked;
  return std::string(message);
}

static std::string Clock(double t) {
  std::string iso = HasTime(t) ? FormatIsoTime(t, 3) : std::string();
  return iso.size() >= 23 ? iso.substr(11, 12) : "–";
}

void DrawDesktopFacts(App& app) {
  const DesktopFacts& d = app.workspace.GetReport().finesse.desktop;
  ImGui::TextUnformatted("Desktop client log");
  ImGui::SameLine();
  ImGui::TextDisabled("(%d records)", int(app.workspace.GetCapture().log_records.size()));
  ImGui::Text("host %s · %s · clock drift %s", d.host.empty() ? "–" : d.host.c_str(),
              d.transport.empty() ? "transport not logged" : d.transport.c_str(),
              HasTime(d.clock_drift_ms) ? (FormatMs(d.clock_drift_ms)).c_str() : "not logged");
  ImGui::Text("%d notifications · %d subscriptions · %d status changes", int(d.notification_count),
              int(d.subscriptions.size()), int(d.status_changes.size()));
  ImGui::Spacing();
  ImGui::TextUnformatted("Connection status");
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY;
  const float h = ImGui::GetTextLineHeightWithSpacing() * float(std::min<size_t>(d.status_changes.size(), 10) + 1) + 4;
  if (!ImGui::BeginTable("status-changes", 3, flags, ImVec2(0, h))) return;
  ImGui::TableSetupColumn("time (UTC)");
  ImGui::TableSetupColumn("status");
  ImGui::TableSetupColumn("line", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();
  for (size_t i = 0; i < d.status_changes.size(); ++i) {
    const StatusChange& s = d.status_changes[i];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    char label[48];
    std::snprintf(label, sizeof label, "%s##st%d", Clock(s.time).c_str(), int(i));
    if (ImGui::Selectable(label, false, ImGuiSelectableFlags_SpanAllColumns)) app.SelectRecordAtLine(s.line);
    ImGui::TableNextColumn();
    const bool up = s.status == "connected" || s.status == "recovered";
    const bool down = s.status == "disconnected" || s.status == "failing" || s.status == "conflict" || s.status == "unauthorized";
    ImGui::TextColored(up ? StatusColor(StepStatus::Passed) : down ? StatusColor(StepStatus::Failed) : StatusColor(StepStatus::Missing),
                       "%s", s.status.c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%u", s.line);
  }
  ImGui::EndTable();
}

void DrawRecords(App& app) {
  const LogSource log = LogOnScreen(app);
  if (!log.capture) return;
  const auto& records = log.capture->log_records;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
  if (ImGui::InputTextWithHint("##record-filter", "filter records (text)", app.filter_text, sizeof app.filter_text))
    app.records_dirty = true;
  app.Rect("filter");
  if (app.records_dirty || app.records_for != app.workspace.Generation()) {
    // Rebuilt only when the filter or the input changes; a few hundred thousand records stay quick.
    app.record_rows.clear();
    const std::string needle = ToLower(app.filter_text);
    for (size_t i = 0; i < records.size(); ++i)
      if (needle.empty() || ContainsIgnoreCase(records[i].message, needle) || ContainsIgnoreCase(records[i].component, needle))
        app.record_rows.push_back(uint32_t(i));
    app.records_dirty = false;
    app.records_for = app.workspace.Generation();
  }
  ImGui::SameLine();
  ImGui::TextDisabled("%d of %d", int(app.record_rows.size()), int(records.size()));
  const float h = std::max(ImGui::GetTextLineHeightWithSpacing() * 6, ImGui::GetContentRegionAvail().y * 0.52f);
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                          ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;
  if (!ImGui::BeginTable("records", 4, flags, ImVec2(0, h))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("line");
  ImGui::TableSetupColumn("time (UTC)");
  ImGui::TableSetupColumn("component");
  ImGui::TableSetupColumn("message", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();
  int scroll_row = -1;
  if (app.scroll_to_record && app.record >= 0) {
    auto it = std::lower_bound(app.record_rows.begin(), app.record_rows.end(), uint32_t(app.record));
    if (it != app.record_rows.end() && *it == uint32_t(app.record)) scroll_row = int(it - app.record_rows.begin());
    app.scroll_to_record = false;
  }
  const FinesseReport& fr = log.report->finesse;
  // Lines with a problem, sorted once per frame, so a visible row costs a binary search.
  std::vector<std::pair<uint32_t, Severity>> problems;
  for (const Finding& f : fr.findings)
    if (f.line && f.severity != Severity::Info) problems.push_back({f.line, f.severity});
  std::sort(problems.begin(), problems.end());
  app.rows_drawn.clear();
  ImGuiListClipper clipper;
  clipper.Begin(int(app.record_rows.size()));
  if (scroll_row >= 0) clipper.ForceDisplayRangeByIndices(scroll_row, scroll_row + 1);
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const uint32_t i = app.record_rows[size_t(row)];
      const LogRecord& r = records[i];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      char label[32];
      std::snprintf(label, sizeof label, "%u##rec%u", r.line, i);
      if (ImGui::Selectable(label, app.record == int(i), ImGuiSelectableFlags_SpanAllColumns)) app.SelectRecord(int(i), false);
      if (row == scroll_row) ImGui::SetScrollHereY(0.35f);
      app.Rect("record-" + std::to_string(i + 1));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Clock(r.time).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.component.empty() ? "–" : std::string(r.component).c_str());
      ImGui::TableNextColumn();
      // One line of the masked message; a finding at this line colours it.
      std::string shown = Shown(app, r.message);
      std::string_view first = shown;
      first = first.substr(0, std::min<size_t>(first.find('\n'), 400));
      app.rows_drawn.emplace_back(first);
      auto problem = std::lower_bound(problems.begin(), problems.end(), std::make_pair(r.line, Severity::Error));
      if (problem != problems.end() && problem->first == r.line)
        ImGui::TextColored(SeverityColor(problem->second), "%.*s", int(first.size()), first.data());
      else ImGui::TextUnformatted(first.data(), first.data() + first.size());
    }
  }
  ImGui::EndTable();
}

std::string RecordDetailText(const App& app) {
  const LogSource log = LogOnScreen(app);
  if (!log.capture) return {};
  const auto& records = log.capture->log_records;
  if (app.record < 0 || size_t(app.record) >= records.size()) return {};
  const LogRecord& r = records[size_t(app.record)];
  std::string out = "line " + std::to_string(r.line) + " · " + Clock(r.time) + " UTC";
  if (!r.server_time.empty()) out += " · server " + std::string(r.server_time);
  if (!r.session.empty()) out += " · session " + std::string(r.session);
  if (!r.host.empty()) out += " · " + std::string(r.host);
  if (!r.component.empty()) out += " · " + std::string(r.component);
  std::string shown = Shown(app, r.message);
  // A notification's payload, pretty-printed.
  const size_t xml = shown.find("': <");
  if (xml != std::string::npos) shown = shown.substr(0, xml + 3) + "\n" + PrettyXml(shown.substr(xml + 3));
  return out + "\n\n" + shown;
}

void DrawRecordDetail(App& app) {
  const std::string text = RecordDetailText(app);
  if (text.empty()) {
    ImGui::TextDisabled("Select a record, a status change or a finding to see it here.");
    return;
  }
  if (ImGui::SmallButton("Copy")) {
    CopyToClipboard(text);
    app.Notify("Copied the record" + std::string(app.reveal_secret ? "." : " (secrets masked)."), false);
  }
  ImGui::SameLine();
  ImGui::Checkbox("Reveal secrets", &app.reveal_secret);
  ImGui::BeginChild("record-text", ImVec2(0, 0), false);  // wrapped, so no horizontal scrolling
  ImGui::PushFont(app.font_mono);
  const size_t split = text.find("\n\n");
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
  ImGui::TextWrapped("%s", text.substr(0, split).c_str());
  ImGui::PopStyleColor();
  ImGui::TextWrapped("%s", split == std::string::npos ? "" : text.substr(split + 2).c_str());
  ImGui::PopFont();
  ImGui::EndChild();
}

static ImVec4 StatusLaneColor(const std::string& s) {
  if (s == "connected" || s == "recovered") return StatusColor(StepStatus::Passed);
  if (s == "disconnected" || s == "failing" || s == "conflict" || s == "unauthorized")
    return StatusColor(StepStatus::Failed);
  return StatusColor(StepStatus::Missing);
}

void DrawDesktopTimeline(App& app) {
  const auto& records = app.workspace.GetCapture().log_records;
  double t0 = kNoTime, t1 = kNoTime;
  for (const LogRecord& r : records)
    if (HasTime(r.time)) {
      t0 = HasTime(t0) ? std::min(t0, r.time) : r.time;
      t1 = HasTime(t1) ? std::max(t1, r.time) : r.time;
    }
  DrawStatusLane(app, app.workspace.GetReport().finesse.desktop, t0, t1);
  if (HasTime(t0) && t1 > t0) DrawStateLane(app, "", t0, t1);
  ImGui::Spacing();
}

// The log's times are the agent PC's clock, as a HAR's from the same browser are: one axis.
void DrawStatusLane(App& app, const DesktopFacts& d, double t0, double t1) {
  const float lane_h = ImGui::GetTextLineHeight() * 1.6f;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  ImGui::InvisibleButton("status-lane", ImVec2(w, lane_h));
  app.Rect("status-lane");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImGuiStyle& st = ImGui::GetStyle();
  dl->AddRectFilled(p0, ImVec2(p0.x + w, p0.y + lane_h), ImGui::GetColorU32(st.Colors[ImGuiCol_FrameBg]), st.FrameRounding);
  if (!HasTime(t0) || t1 <= t0) {
    dl->AddText(ImVec2(p0.x + 4, p0.y + 2), ImGui::GetColorU32(ImGuiCol_TextDisabled), "no times in this log");
    return;
  }
  // The status before the axis starts carries in from the left.
  const StatusChange* before = nullptr;
  for (const StatusChange& s : d.status_changes)
    if (HasTime(s.time) && s.time <= t0) before = &s;
  auto x_of = [&](double t) { return p0.x + float((std::clamp(t, t0, t1) - t0) / (t1 - t0)) * w; };
  const StatusChange* hovered = nullptr;
  const float mx = ImGui::GetIO().MousePos.x;
  for (size_t i = 0; i < d.status_changes.size(); ++i) {
    const StatusChange& s = d.status_changes[i];
    if (!HasTime(s.time) || (s.time < t0 && &s != before) || s.time > t1) continue;
    const double end = i + 1 < d.status_changes.size() && HasTime(d.status_changes[i + 1].time) ? d.status_changes[i + 1].time : t1;
    const float a = x_of(s.time), b = std::max(x_of(end), a + 2 * app.dpr);
    const ImVec4 c = StatusLaneColor(s.status);
    dl->AddRectFilled(ImVec2(a, p0.y), ImVec2(b, p0.y + lane_h), ImGui::GetColorU32(ImVec4(c.x, c.y, c.z, 0.35f)));
    dl->AddLine(ImVec2(a, p0.y), ImVec2(a, p0.y + lane_h), ImGui::GetColorU32(c), s.status == "reconnecting" ? 3 * app.dpr : app.dpr);
    const ImVec2 ts = ImGui::CalcTextSize(s.status.c_str());
    if (b - a > ts.x + 6) dl->AddText(ImVec2(a + 3, p0.y + (lane_h - ts.y) / 2), ImGui::GetColorU32(ImGuiCol_Text), s.status.c_str());
    if (ImGui::IsItemHovered() && mx >= a && mx < b) hovered = &s;
  }
  if (!app.workspace.CompanionCapture()) {  // beside a HAR, the strip above says the span
    char span[32];
    std::snprintf(span, sizeof span, "%s", FormatMs((t1 - t0) * 1000).c_str());
    const ImVec2 ss = ImGui::CalcTextSize(span);
    dl->AddText(ImVec2(p0.x + w - ss.x - 4, p0.y + lane_h - ss.y), ImGui::GetColorU32(ImGuiCol_TextDisabled), span);
  } else {
    const ImVec2 ts = ImGui::CalcTextSize("desktop status");
    dl->AddText(ImVec2(p0.x + w - ts.x - 4, p0.y + (lane_h - ts.y) / 2), ImGui::GetColorU32(ImGuiCol_TextDisabled), "desktop status");
  }
  if (hovered) {
    ImGui::SetTooltip("desktop status %s at %s UTC (log line %u); click to show the record", hovered->status.c_str(),
                      Clock(hovered->time).c_str(), hovered->line);
    if (ImGui::IsItemClicked()) app.SelectRecordAtLine(hovered->line);
  }
}

}  // namespace fi::web
