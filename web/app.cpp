// The app's behaviour that is not drawing: loading in slices, selection, exports, state for tests.
#include "app.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "finesse_update.h"
#include "redact.h"
#include "report.h"

namespace fi::web {

double NowSeconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

double EpochSeconds() {
  // The wall clock once, moved on by the monotonic clock: real dates, sub-millisecond steps.
  using namespace std::chrono;
  static const double offset = duration<double>(system_clock::now().time_since_epoch()).count() - NowSeconds();
  return NowSeconds() + offset;
}

void App::Load(std::string bytes, std::string name, std::string path) {
  // Another input replaces the live capture: the session ends first, cleanly.
  live.Stop(EpochSeconds());
  pending_connect.reset();
  source_path = std::move(path);
  load_started_s = NowSeconds();
  workspace.Load(std::move(bytes), std::move(name));
}

void App::Add(std::string bytes, std::string name) {
  const std::string why = workspace.Add(std::move(bytes), name);
  add_next = false;
  if (!why.empty()) {
    Notify("Not added: " + why + ".", true);
    return;
  }
  records_dirty = true;
  record = -1;
  Notify("Added " + name + ": the desktop's status and records now stand beside the HAR's frames.", false);
}

void App::LoadSample(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  Load(ss.str(), std::filesystem::path(path).filename().string(), path);
}

std::string App::Connect(LiveOptions options) {
  std::string why = LiveHost::Validate(options);
  if (why.empty()) pending_connect = std::move(options);
  return why;
}

// Runs the live session: a test asked for, due timers, and what arrived since the last frame,
// handed to the workspace's checker (only the new frames are read).
void App::LiveTick(double now) {
  if (pending_connect) {
    const std::string why = live.Connect(std::move(*pending_connect), now);
    pending_connect.reset();
    if (!why.empty()) Notify(why, true);
    index_dirty = true;
  }
  live.Tick(now);
  if (!workspace.IsLive()) return;
  const size_t n = workspace.GetCapture().connections.size();
  if (n != live_connections) {
    // A reconnect or a new test appended a connection: follow it.
    live_connections = n;
    if (n > 0 && workspace.Generation() == seen_generation) SelectConnection(int(n) - 1);
  }
}

std::string App::LiveReportJson() {
  live.Refresh();
  return workspace.IsLive() ? ReportJson(workspace.GetReport()) : std::string();
}

void App::Tick(double budget_ms) {
  // Parse and check in slices until this frame's budget is spent, so the page stays responsive.
  const double end = NowSeconds() + budget_ms / 1000.0;
  while (workspace.Busy() && NowSeconds() < end) workspace.Step(256 * 1024, 1024);
  LiveTick(EpochSeconds());
  if (workspace.Generation() != seen_generation) {
    seen_generation = workspace.Generation();
    OnLoaded();
  }
  if (workspace.Revision() != seen_revision) {
    // Live updates: the report was replaced, so views that point into it start again.
    seen_revision = workspace.Revision();
    // A live capture only grows: the index and the timeline go on from where they were.
    if (!workspace.IsLive()) {
      index_dirty = true;
      timeline.generation = ~0ull;
    }
  }
}

void App::OnLoaded() {
  const Report& r = workspace.GetReport();
  connection = 0;
  // Open on the first connection that has a problem: that is what the user came for.
  for (size_t i = 0; i < r.connections.size(); ++i)
    if (r.connections[i].is_xmpp && r.connections[i].verdict != Verdict::Healthy) {
      connection = int(i);
      break;
    }
  step = -1;
  frame = -1;
  request = -1;
  record = -1;
  records_dirty = true;
  detail_rest = false;
  right_view = r.finesse.desktop.present ? RightView::Records : RightView::Frames;
  right_view_pending = true;
  index_dirty = true;
  for (const std::string& e : workspace.GetCapture().errors) Notify(e, true);
  if (r.finesse.desktop.present) {
    // Open on the first problem the log shows, its record on screen.
    for (const Finding& f : r.finesse.findings)
      if (f.severity != Severity::Info && f.line) {
        SelectRecordAtLine(f.line);
        break;
      }
    return;
  }
  if (r.connections.empty() && r.finesse.requests.empty())
    Notify("No WebSocket or BOSH connection was found in " + workspace.Name() + ".", true);
  // Every connection healthy (or none) while the REST side found a problem: open on that request.
  const bool socket_problem = std::any_of(r.connections.begin(), r.connections.end(), [](const ConnectionReport& c) {
    return c.is_xmpp && c.verdict != Verdict::Healthy;
  });
  if (!socket_problem && r.finesse.HasProblem()) {
    ShowView(RightView::Requests);
    for (const Finding& f : r.finesse.findings) {
      if (f.severity == Severity::Info) continue;
      for (size_t i = 0; i < r.finesse.requests.size(); ++i)
        if (r.finesse.requests[i].entry == f.entry) {
          request = int(i);
          detail_rest = true;
        }
      break;
    }
    return;
  }
  // Select the first failed step, else the first finding with a frame, so the problem and its
  // frame are on screen at once.
  if (const ConnectionReport* c = CurrentReport()) {
    for (size_t s = 0; s < c->steps.size() && step < 0; ++s)
      if (c->steps[s].status == StepStatus::Failed) SelectStep(int(s));
    for (size_t f = 0; f < c->findings.size() && frame < 0; ++f)
      if (c->findings[f].frame != kNoFrame && c->findings[f].severity != Severity::Info) SelectFrame(c->findings[f].frame, true);
  }
}

const Connection* App::CurrentConnection() const {
  if (!workspace.Loaded()) return nullptr;
  const auto& cs = workspace.GetCapture().connections;
  return connection >= 0 && size_t(connection) < cs.size() ? &cs[size_t(connection)] : nullptr;
}

const ConnectionReport* App::CurrentReport() const {
  if (!workspace.Loaded()) return nullptr;
  const auto& cs = workspace.GetReport().connections;
  return connection >= 0 && size_t(connection) < cs.size() ? &cs[size_t(connection)] : nullptr;
}

void App::SelectConnection(int c) {
  if (c == connection) return;
  connection = c;
  step = -1;
  frame = -1;
  index_dirty = true;
}

void App::SelectFrame(int f, bool scroll) {
  frame = f;
  scroll_to_frame = scroll;
  detail_rest = false;
}

void App::ShowView(RightView v) {
  right_view = v;
  right_view_pending = true;
}

void App::SelectRecord(int i, bool scroll) {
  record = i;
  scroll_to_record = scroll;
  detail_rest = false;
}

void App::SelectRecordAtLine(uint32_t line) {
  const LogSource log = LogOnScreen(*this);
  if (!log.capture) return;
  const auto& records = log.capture->log_records;
  auto it = std::lower_bound(records.begin(), records.end(), line,
                             [](const LogRecord& r, uint32_t l) { return r.line < l; });
  if (it == records.end() || it->line != line) return;
  // The filter may hide it: clear the filter so it can be shown.
  filter_text[0] = 0;
  records_dirty = true;
  ShowView(RightView::Records);
  SelectRecord(int(it - records.begin()), true);
}

void App::SelectRequest(int i) {
  const auto& requests = workspace.GetReport().finesse.requests;
  if (i < 0 || size_t(i) >= requests.size()) return;
  request = i;
  const RestRequest& r = requests[size_t(i)];
  if (IsDesktopLog(*this)) {
    // A log's request and its notification are records.
    SelectRecordAtLine(r.has_notification ? r.notification.line : r.line);
    right_view = RightView::Requests;
    return;
  }
  if (r.has_notification) {
    SelectConnection(r.notification.connection);
    SelectFrame(r.notification.frame, true);
  } else {
    detail_rest = true;
  }
}

void App::SelectStep(int s) {
  step = s;
  const ConnectionReport* c = CurrentReport();
  if (c && s >= 0 && size_t(s) < c->steps.size() && c->steps[size_t(s)].frame != kNoFrame)
    SelectFrame(c->steps[size_t(s)].frame, true);
}

void App::JumpProblem(int direction) {
  if (!workspace.Loaded() || !CurrentReport()) return;
  const auto& p = workspace.ProblemFrames(size_t(connection));
  if (p.empty()) {
    Notify("No errors in this connection.", false);
    return;
  }
  int target = -1;
  if (direction > 0) {
    for (uint32_t f : p)
      if (int(f) > frame) { target = int(f); break; }
    if (target < 0) target = int(p.front());
  } else {
    for (auto it = p.rbegin(); it != p.rend(); ++it)
      if (int(*it) < frame) { target = int(*it); break; }
    if (target < 0) target = int(p.back());
  }
  SelectFrame(target, true);
}

void App::Notify(std::string text, bool error) {
  if (toasts.size() > 6) toasts.erase(toasts.begin());
  toasts.push_back({std::move(text), NowSeconds() + (error ? 12.0 : 4.0), error});
}

void App::Rect(const std::string& id) {
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  rects.push_back({id, a.x / dpr, a.y / dpr, (b.x - a.x) / dpr, (b.y - a.y) / dpr});
}

std::string App::StateJson() const {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("loaded"); w.Bool(workspace.Loaded());
  w.Key("busy"); w.Bool(workspace.Busy());
  w.Key("progress"); w.Double(workspace.Progress());
  w.Key("name"); w.String(workspace.Loaded() ? workspace.Name().c_str() : "");
  w.Key("generation"); w.Uint64(workspace.Generation());
  w.Key("connections"); w.Uint64(workspace.Loaded() ? workspace.GetReport().connections.size() : 0);
  w.Key("connection"); w.Int(connection);
  const ConnectionReport* c = CurrentReport();
  w.Key("step");
  if (c && step >= 0) w.String(StepName(StepId(step), c->connection->transport)); else w.Null();
  w.Key("frame");
  if (frame >= 0) w.Int(frame + 1); else w.Null();  // 1-based, as in the reports
  w.Key("verdict");
  if (c) w.String(VerdictName(c->verdict)); else w.Null();
  w.Key("visible_rows"); w.Uint64(index.Rows().size());
  w.Key("view");
  w.String(right_view == RightView::Requests ? "requests" : right_view == RightView::Records ? "records" : "frames");
  w.Key("request");
  if (request >= 0) w.Int(request + 1); else w.Null();
  w.Key("detail_kind");
  w.String(detail_rest ? "request" : (IsDesktopLog(*this) || (right_view == RightView::Records && record >= 0)) ? "record" : "frame");
  if (workspace.Loaded()) {
    const FinesseReport& fr = workspace.GetReport().finesse;
    w.Key("requests"); w.Uint64(fr.requests.size());
    w.Key("states"); w.Uint64(fr.states.size());
    w.Key("rest_findings"); w.StartArray();
    for (const Finding& f : fr.findings) w.String(f.Code().c_str());
    w.EndArray();
    const LogSource log = LogOnScreen(*this);
    const size_t records = log.capture ? log.capture->log_records.size() : 0;
    w.Key("records"); w.Uint64(records);
    w.Key("record_line");
    if (record >= 0 && size_t(record) < records) w.Uint(log.capture->log_records[size_t(record)].line);
    else w.Null();
    w.Key("status_changes"); w.Uint64(log.report ? log.report->finesse.desktop.status_changes.size() : 0);
    w.Key("companion"); w.String(workspace.CompanionName().c_str());
  }
  w.Key("reveal"); w.Bool(reveal_secret);
  w.Key("theme"); w.String(theme == Theme::Dark ? "dark" : "light");
  w.Key("dpr"); w.Double(dpr);
  w.Key("first_analysis_ms"); w.Double(first_analysis_ms);
  w.Key("frame_cpu_ms"); w.Double(frame_cpu_ms);
  w.Key("frame_cpu_max_ms"); w.Double(frame_cpu_max_ms);
  w.Key("toasts"); w.StartArray();
  for (const Toast& t : toasts) w.String(t.text.c_str());
  w.EndArray();
  w.Key("live");
  if (const LiveDriver* live_driver = live.Driver()) {
    const LiveDriver& d = *live_driver;
    w.StartObject();
    w.Key("phase"); w.String(LivePhaseName(d.Phase()));
    w.Key("done"); w.Bool(d.SequenceDone());
    w.Key("passed"); w.Bool(d.SequencePassed());
    w.Key("outcome"); w.String(d.Outcome().c_str());
    w.Key("notifications"); w.Uint64(d.Notifications());
    w.Key("transport"); w.String(LiveTransportName(d.Transport()));
    w.Key("session"); w.Uint64(live.Sessions());
    w.Key("connections"); w.Uint64(d.GetCapture().connections.size());
    w.Key("connection"); w.Uint64(d.ConnectionIndex() + 1);
    w.Key("active"); w.Bool(live.Active());
    w.Key("cpu_ms"); w.Double(live.CpuMs());
    w.Key("cpu_ms_per_event"); w.Double(live.Events() ? live.CpuMs() / double(live.Events()) : 0);
    w.Key("events"); w.Uint64(live.Events());
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("detail"); w.String(DetailText().c_str());
  w.Key("rows"); w.StartArray();
  for (const std::string& r : rows_drawn) w.String(r.c_str());
  w.EndArray();
  w.Key("ui"); w.StartObject();
  for (const UiRect& r : rects) {
    w.Key(r.id.c_str());
    w.StartArray(); w.Double(r.x); w.Double(r.y); w.Double(r.w); w.Double(r.h); w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string App::DetailText() const {
  if (detail_rest) return RestDetailText(*this);
  if (IsDesktopLog(*this) || (right_view == RightView::Records && record >= 0)) return RecordDetailText(*this);
  const Connection* conn = CurrentConnection();
  if (!conn || frame < 0 || size_t(frame) >= conn->frames.size()) return {};
  const Frame& f = conn->frames[size_t(frame)];
  std::string shown(f.payload);
  if (!reveal_secret)
    if (auto masked = RedactFrame(f.payload)) shown = *masked;
  return f.opcode == opcode::kText ? PrettyXml(shown) : shown;
}

std::string App::ExportMarkdown() const {
  ReportOptions o;
  o.source_name = workspace.Name();
  return ReportMarkdown(workspace.GetReport(), o);
}

std::string App::ExportJson() const { return ReportJson(workspace.GetReport(), true) + "\n"; }

void App::ExportSanitized() {
  if (source_path.empty()) {
    ExportSanitizedFromPage();
    return;
  }
  std::ifstream in(source_path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string error;
  std::string clean = SanitizeHar(ss.str(), &error);
  if (clean.empty()) {
    Notify(error.empty() ? "Only a HAR can be exported as a sanitised HAR." : error, true);
    return;
  }
  Download(std::filesystem::path(source_path).stem().string() + ".sanitised.har", "application/json", clean);
}

}  // namespace fi::web
