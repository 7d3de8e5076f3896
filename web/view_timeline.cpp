// A strip of the selected connection's frames over time: received above the line, sent below,
// errors in red, step markers, pings, and silent stretches shaded, so a 10-second ping pattern or
// a silent minute before a close shows at a glance. Clicking selects the nearest frame.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app.h"

namespace fi::web {

static void Bucket(TimelineCache& tc, const Connection& conn, size_t from) {
  const double span = tc.t1 - tc.t0;
  const int columns = tc.columns;
  for (size_t i = from; i < conn.frames.size(); ++i) {
    const Frame& f = conn.frames[i];
    if (!HasTime(f.time)) continue;
    int col = std::clamp(int((f.time - tc.t0) / span * (columns - 1)), 0, columns - 1);
    (f.dir == Direction::Sent ? tc.sent : f.dir == Direction::Received ? tc.received : tc.errors)[size_t(col)]++;
    if (f.time - tc.prev > tc.gap_min) tc.gaps.push_back({tc.prev, f.time});
    tc.prev = std::max(tc.prev, f.time);
  }
  tc.frames = conn.frames.size();
}

static void Rebuild(App& app, const Connection& conn, int columns) {
  TimelineCache& tc = app.timeline;
  tc.generation = app.workspace.Generation();
  tc.connection = app.connection;
  tc.columns = columns;
  tc.sent.assign(size_t(columns), 0);
  tc.received.assign(size_t(columns), 0);
  tc.errors.assign(size_t(columns), 0);
  tc.gaps.clear();
  tc.frames = 0;
  tc.t0 = conn.Origin();
  tc.t1 = tc.t0;
  for (const Frame& f : conn.frames)
    if (HasTime(f.time)) tc.t1 = std::max(tc.t1, f.time);
  // A live session grows to the right: room ahead, so new frames are only counted in, and the
  // strip is rebuilt only when the span has grown by a fifth (a frame costs the same at any age).
  if (app.workspace.IsLive() && HasTime(tc.t0)) tc.t1 += std::max(2.0, (tc.t1 - tc.t0) * 0.2);
  if (!HasTime(tc.t0) || tc.t1 <= tc.t0) return;
  tc.gap_min = std::max(5.0, (tc.t1 - tc.t0) * 0.05);
  tc.prev = tc.t0;
  Bucket(tc, conn, 0);
}

// New frames of a live connection: counted in where they fall, or a rebuild when one falls past
// the strip's end.
static void Extend(App& app, const Connection& conn, int columns) {
  TimelineCache& tc = app.timeline;
  if (!HasTime(tc.t0) || tc.t1 <= tc.t0) return Rebuild(app, conn, columns);
  for (size_t i = tc.frames; i < conn.frames.size(); ++i)
    if (HasTime(conn.frames[i].time) && conn.frames[i].time > tc.t1) return Rebuild(app, conn, columns);
  Bucket(tc, conn, tc.frames);
}

static ImVec4 StateColor(const std::string& state) {
  if (state == "READY") return StatusColor(StepStatus::Passed);
  if (state == "NOT_READY") return StatusColor(StepStatus::Missing);
  if (state == "TALKING" || state == "HOLD" || state == "RESERVED") return SeverityColor(Severity::Info);
  if (state == "WORK" || state == "WORK_READY") return ImVec4(0.65f, 0.45f, 0.85f, 1);
  return StatusColor(StepStatus::Skipped);
}

// The agent's states under the strip, on the same time axis: a span per state with its reason.
// The agent is the connection's own user when the states name it, else the first user named.
void DrawStateLane(App& app, const std::string& agent, double t0, double t1) {
  const auto& states = app.workspace.GetReport().finesse.states;
  if (states.empty() || t1 <= t0) return;
  std::string user = agent;
  if (std::none_of(states.begin(), states.end(), [&](const AgentState& s) { return s.user == user; }))
    user = states.front().user;
  const float lane_h = ImGui::GetTextLineHeight() + 2 * app.dpr;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  ImGui::InvisibleButton("state-lane", ImVec2(w, lane_h));
  app.Rect("state-lane");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  auto x_of = [&](double t) { return p0.x + float((std::clamp(t, t0, t1) - t0) / (t1 - t0)) * w; };
  const AgentState* hovered = nullptr;
  for (size_t i = 0; i < states.size(); ++i) {
    const AgentState& s = states[i];
    if (s.user != user || !HasTime(s.time)) continue;
    double end = t1;
    for (size_t j = i + 1; j < states.size(); ++j)
      if (states[j].user == user && HasTime(states[j].time)) {
        end = states[j].time;
        break;
      }
    if (end < t0 || s.time > t1) continue;
    const float a = x_of(s.time), b = x_of(end);
    ImVec4 c = StateColor(s.state);
    dl->AddRectFilled(ImVec2(a, p0.y), ImVec2(std::max(b, a + 2 * app.dpr), p0.y + lane_h),
                      ImGui::GetColorU32(ImVec4(c.x, c.y, c.z, 0.35f)));
    dl->AddLine(ImVec2(a, p0.y), ImVec2(a, p0.y + lane_h), ImGui::GetColorU32(c), app.dpr);
    std::string label = s.state + (s.reason_label.empty() ? s.reason_code.empty() ? "" : " " + s.reason_code : " · " + s.reason_label);
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    if (b - a > ts.x + 6) dl->AddText(ImVec2(a + 3, p0.y + 1), ImGui::GetColorU32(ImGuiCol_Text), label.c_str());
    const float mx = ImGui::GetIO().MousePos.x;
    if (ImGui::IsItemHovered() && mx >= a && mx < std::max(b, a + 2)) hovered = &s;
  }
  ImVec2 ts = ImGui::CalcTextSize(user.c_str());
  dl->AddText(ImVec2(p0.x + w - ts.x - 4, p0.y + 1), ImGui::GetColorU32(ImGuiCol_TextDisabled), user.c_str());
  if (hovered) {
    const std::string where = hovered->line ? "line " + std::to_string(hovered->line)
                                            : "connection " + std::to_string(hovered->connection + 1) + ", frame " +
                                                  std::to_string(hovered->frame + 1);
    ImGui::SetTooltip("agent %s: %s%s%s%s (%s)", hovered->user.c_str(), hovered->state.c_str(),
                      hovered->reason_code.empty() ? "" : ", reason code ", hovered->reason_code.c_str(),
                      hovered->reason_label.empty() ? "" : (" " + hovered->reason_label).c_str(), where.c_str());
    if (ImGui::IsItemClicked()) {
      if (hovered->line) {
        app.SelectRecordAtLine(hovered->line);
      } else {
        app.SelectConnection(hovered->connection);
        app.SelectFrame(hovered->frame, true);
      }
    }
  }
}

void DrawTimeline(App& app) {
  if (IsDesktopLog(app)) {
    DrawDesktopTimeline(app);
    return;
  }
  const Connection* conn = app.CurrentConnection();
  const ConnectionReport* rep = app.CurrentReport();
  if (!conn || !rep) return;
  const float h = ImGui::GetTextLineHeight() * 3.6f;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  ImGui::InvisibleButton("timeline", ImVec2(w, h));
  app.Rect("timeline");
  const int columns = std::max(1, int(w / (2 * app.dpr)));
  TimelineCache& tc = app.timeline;
  if (tc.generation != app.workspace.Generation() || tc.connection != app.connection || tc.columns != columns ||
      tc.frames > conn->frames.size())
    Rebuild(app, *conn, columns);
  else if (tc.frames < conn->frames.size())
    Extend(app, *conn, columns);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImGuiStyle& st = ImGui::GetStyle();
  dl->AddRectFilled(p0, ImVec2(p0.x + w, p0.y + h), ImGui::GetColorU32(st.Colors[ImGuiCol_FrameBg]), st.FrameRounding);
  if (!HasTime(tc.t0) || tc.t1 <= tc.t0) {
    ImVec2 ts = ImGui::CalcTextSize("no times in this capture");
    dl->AddText(ImVec2(p0.x + (w - ts.x) / 2, p0.y + (h - ts.y) / 2), ImGui::GetColorU32(ImGuiCol_TextDisabled),
                "no times in this capture");
    return;
  }
  const double span = tc.t1 - tc.t0;
  auto x_of = [&](double t) { return p0.x + float((t - tc.t0) / span) * w; };
  const float mid = p0.y + h * 0.55f;
  // Silent stretches first, beneath everything.
  for (auto [a, b] : tc.gaps) {
    dl->AddRectFilled(ImVec2(x_of(a), p0.y), ImVec2(x_of(b), p0.y + h), ImGui::GetColorU32(ImVec4(StatusColor(StepStatus::Missing).x, StatusColor(StepStatus::Missing).y, StatusColor(StepStatus::Missing).z, 0.12f)));
    char label[32];
    std::snprintf(label, sizeof label, "%.0f s silent", b - a);
    ImVec2 ts = ImGui::CalcTextSize(label);
    if (x_of(b) - x_of(a) > ts.x + 4)
      dl->AddText(ImVec2((x_of(a) + x_of(b) - ts.x) / 2, p0.y + h - ts.y - 1), ImGui::GetColorU32(ImGuiCol_TextDisabled), label);
  }
  uint32_t peak = 1;
  for (int i = 0; i < columns; ++i) peak = std::max({peak, tc.sent[size_t(i)], tc.received[size_t(i)]});
  const float col_w = w / float(columns);
  auto bar = [&](uint32_t n) { return n ? (0.25f + 0.75f * float(std::log1p(n) / std::log1p(peak))) : 0.0f; };
  const ImU32 c_recv = ImGui::GetColorU32(SeverityColor(Severity::Info));
  const ImU32 c_sent = ImGui::GetColorU32(StatusColor(StepStatus::Passed));
  const ImU32 c_err = ImGui::GetColorU32(StatusColor(StepStatus::Failed));
  for (int i = 0; i < columns; ++i) {
    float x = p0.x + float(i) * col_w;
    if (uint32_t n = tc.received[size_t(i)]) dl->AddRectFilled(ImVec2(x, mid - bar(n) * (mid - p0.y - 4)), ImVec2(x + col_w, mid), c_recv);
    if (uint32_t n = tc.sent[size_t(i)]) dl->AddRectFilled(ImVec2(x, mid), ImVec2(x + col_w, mid + bar(n) * (p0.y + h - mid - 4)), c_sent);
    if (tc.errors[size_t(i)]) dl->AddRectFilled(ImVec2(x, p0.y), ImVec2(x + std::max(col_w, 2 * app.dpr), p0.y + h), c_err);
  }
  dl->AddLine(ImVec2(p0.x, mid), ImVec2(p0.x + w, mid), ImGui::GetColorU32(ImGuiCol_Border));
  // Pings as small diamonds on the line.
  const float d = 3 * app.dpr;
  for (uint32_t fi : rep->ping_frames) {
    double t = conn->frames[fi].time;
    if (!HasTime(t)) continue;
    float x = x_of(t);
    dl->AddQuadFilled(ImVec2(x, mid - d), ImVec2(x + d, mid), ImVec2(x, mid + d), ImVec2(x - d, mid), ImGui::GetColorU32(ImGuiCol_Text));
  }
  // Step markers: passed and failed steps with a time.
  float last_label_x = -1e9f;
  for (const StepResult& s : rep->steps) {
    if (!HasTime(s.t_ms) || (s.status != StepStatus::Passed && s.status != StepStatus::Failed)) continue;
    float x = x_of(tc.t0 + s.t_ms / 1000.0);
    ImU32 c = ImGui::GetColorU32(StatusColor(s.status));
    dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p0.y + h), c, s.status == StepStatus::Failed ? 2 * app.dpr : 1);
    const char* name = StepName(s.id, conn->transport);
    if (x > last_label_x + 4) {
      dl->AddText(ImVec2(x + 2, p0.y), c, name);
      last_label_x = x + ImGui::CalcTextSize(name).x;
    }
  }
  // A failover: this connection went to another node than the one before it.
  for (const Finding& f : rep->findings)
    if (f.id == FindingCode::Failover) {
      const ImU32 c = ImGui::GetColorU32(SeverityColor(Severity::Warning));
      dl->AddLine(ImVec2(p0.x + app.dpr, p0.y), ImVec2(p0.x + app.dpr, p0.y + h), c, 3 * app.dpr);
      std::string label = "\xE2\x87\x84 failover from " + std::string(f.Arg("previous_host"));
      dl->AddText(ImVec2(p0.x + 5 * app.dpr, p0.y + h - ImGui::GetTextLineHeight() - 1), c, label.c_str());
    }
  // The selected frame.
  if (app.frame >= 0 && size_t(app.frame) < conn->frames.size() && HasTime(conn->frames[size_t(app.frame)].time)) {
    float x = x_of(conn->frames[size_t(app.frame)].time);
    dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p0.y + h), ImGui::GetColorU32(ImGuiCol_Text), 2 * app.dpr);
  }
  char range[64];
  std::snprintf(range, sizeof range, "%s", FormatMs(span * 1000).c_str());
  ImVec2 rs = ImGui::CalcTextSize(range);
  dl->AddText(ImVec2(p0.x + w - rs.x - 4, p0.y + h - rs.y - 1), ImGui::GetColorU32(ImGuiCol_TextDisabled), range);
  const bool strip_hovered = ImGui::IsItemHovered();
  const bool strip_clicked = ImGui::IsItemClicked();
  if (const Report* log = app.workspace.CompanionReport()) DrawStatusLane(app, log->finesse.desktop, tc.t0, tc.t1);
  DrawStateLane(app, std::string(JidLocal(rep->jid)), tc.t0, tc.t1);
  if (strip_hovered) {
    double t = tc.t0 + double((ImGui::GetIO().MousePos.x - p0.x) / w) * span;
    ImGui::SetTooltip("%s from the start; click to select the nearest frame", FormatMs((t - tc.t0) * 1000).c_str());
    if (strip_clicked) {
      // Frames are in time order within a connection: find the nearest by binary search.
      const auto& fr = conn->frames;
      size_t lo = 0, hi = fr.size();
      while (lo < hi) {
        size_t m = (lo + hi) / 2;
        if (HasTime(fr[m].time) && fr[m].time < t) lo = m + 1;
        else hi = m;
      }
      size_t best = std::min(lo, fr.size() - 1);
      if (best > 0 && HasTime(fr[best - 1].time) && std::fabs(fr[best - 1].time - t) < std::fabs(fr[best].time - t)) --best;
      app.SelectFrame(int(best), true);
    }
  }
  ImGui::Spacing();
}

}  // namespace fi::web
