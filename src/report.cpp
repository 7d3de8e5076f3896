// Report writers. JSON goes through RapidJSON's Writer so escaping is never hand-rolled.
#include "report.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "redact.h"
#include "text_util.h"

namespace fi {

namespace {

// Frame numbers are 1-based in every output, as in Wireshark and devtools.
int FrameNumber(int frame) { return frame + 1; }

double Round3(double v) { return std::round(v * 1000.0) / 1000.0; }

double Duration(const Connection& c) { return c.Duration(); }

template <typename W>
void WriteFinesse(W& w, const FinesseReport& f) {
  auto str = [&](const std::string& s) { w.String(s.c_str(), rapidjson::SizeType(s.size())); };
  auto null = [&] { w.Null(); };
  auto str_or_null = [&](const std::string& s) { s.empty() ? null() : str(s); };
  auto time = [&](double t) { HasTime(t) ? str(FormatIsoTime(t, 3)) : null(); };
  w.Key("finesse");
  w.StartObject();
  w.Key("system_info");
  if (const SystemInfoAnswer* si = f.Last()) {
    w.StartObject();
    w.Key("entry"); w.Int(si->entry);
    w.Key("status"); str(si->status);
    w.Key("xmpp_domain"); str(si->xmpp_domain);
    w.Key("pubsub_domain"); str(si->pubsub_domain);
    w.Key("primary"); str_or_null(si->primary);
    w.Key("secondary"); str_or_null(si->secondary);
    w.Key("status_reason"); str_or_null(si->status_reason);
    w.Key("time"); time(si->time);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("requests");
  w.StartArray();
  const bool log = f.desktop.present;  // a desktop log says "line" where a HAR has entry, connection, frame
  for (const RestRequest& r : f.requests) {
    w.StartObject();
    if (log) { w.Key("line"); w.Uint(r.line); } else { w.Key("entry"); w.Int(r.entry); }
    w.Key("time"); time(r.time);
    w.Key("method"); str(r.method);
    w.Key("path"); str(r.path);
    w.Key("status"); w.Int(r.status);
    w.Key("request_id"); r.has_request_id ? str(r.request_id) : null();
    w.Key("notification");
    if (r.has_notification) {
      w.StartObject();
      if (log) {
        w.Key("line"); w.Uint(r.notification.line);
      } else {
        w.Key("connection"); w.Int(r.notification.connection + 1);
        w.Key("frame"); w.Int(FrameNumber(r.notification.frame));
      }
      w.Key("latency_ms");
      HasTime(r.notification.latency_ms) ? w.Double(Round3(r.notification.latency_ms)) : w.Null();
      w.EndObject();
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("states");
  w.StartArray();
  for (const AgentState& s : f.states) {
    w.StartObject();
    w.Key("time"); time(s.time);
    w.Key("user"); str(s.user);
    w.Key("state"); str(s.state);
    w.Key("reason_code"); str_or_null(s.reason_code);
    w.Key("reason_label"); str_or_null(s.reason_label);
    if (log) {
      w.Key("line"); w.Uint(s.line);
    } else {
      w.Key("connection"); w.Int(s.connection + 1);
      w.Key("frame"); w.Int(FrameNumber(s.frame));
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("findings");
  w.StartArray();
  for (const Finding& x : f.findings) {
    w.StartObject();
    w.Key("severity"); str(SeverityName(x.severity));
    w.Key("code"); str(x.Code());
    if (log) { w.Key("line"); x.line ? w.Uint(x.line) : w.Null(); } else { w.Key("entry"); x.entry < 0 ? w.Null() : w.Int(x.entry); }
    w.Key("message"); str(x.Message());
    w.Key("hint"); str(x.Hint());
    w.EndObject();
  }
  w.EndArray();
  if (log) {
    const DesktopFacts& d = f.desktop;
    w.Key("desktop");
    w.StartObject();
    w.Key("host"); str_or_null(d.host);
    w.Key("transport"); str_or_null(d.transport);
    w.Key("clock_drift_ms");
    if (HasTime(d.clock_drift_ms)) w.Double(Round3(d.clock_drift_ms)); else w.Null();
    w.Key("status_changes");
    w.StartArray();
    for (const StatusChange& c : d.status_changes) {
      w.StartObject();
      w.Key("time"); time(c.time);
      w.Key("status"); str(c.status);
      w.Key("line"); w.Uint(c.line);
      w.EndObject();
    }
    w.EndArray();
    w.Key("notifications");
    w.StartObject();
    w.Key("count"); w.Uint64(d.notification_count);
    w.Key("by_node");
    w.StartObject();
    for (const auto& [node, n] : d.notifications_by_node) {
      w.Key(node.c_str(), rapidjson::SizeType(node.size()));
      w.Uint64(n);
    }
    w.EndObject();
    w.EndObject();
    w.Key("subscriptions");
    w.StartArray();
    for (const std::string& n : d.subscriptions) str(n);
    w.EndArray();
    w.EndObject();
  }
  w.EndObject();
}

template <typename W>
void WriteReport(W& w, const Report& report) {
  const Capture& cap = *report.capture;
  auto str = [&](const std::string& s) { w.String(s.c_str(), rapidjson::SizeType(s.size())); };
  auto frame_or_null = [&](int f) { f == kNoFrame ? w.Null() : w.Int(FrameNumber(f)); };
  auto num_or_null = [&](double v) { HasTime(v) ? w.Double(Round3(v)) : w.Null(); };
  w.StartObject();
  w.Key("input");
  w.StartObject();
  w.Key("format"); str(cap.format);
  w.Key("producer"); str(cap.producer);
  w.Key("entries"); w.Int(cap.entries);
  w.Key("errors");
  w.StartArray();
  for (const std::string& e : cap.errors) str(e);
  w.EndArray();
  w.EndObject();
  w.Key("connections");
  w.StartArray();
  for (const ConnectionReport& c : report.connections) {
    const Connection& conn = *c.connection;
    w.StartObject();
    w.Key("transport"); str(TransportName(conn.transport));
    w.Key("url"); str(RedactUrl(conn.url));
    w.Key("frames"); w.Uint64(conn.frames.size());
    w.Key("verdict"); str(VerdictName(c.verdict));
    w.Key("domain"); str(c.domain);
    w.Key("jid"); str(c.jid);
    w.Key("duration_ms"); num_or_null(HasTime(Duration(conn)) ? Duration(conn) * 1000.0 : kNoTime);
    w.Key("steps");
    w.StartArray();
    for (const StepResult& s : c.steps) {
      w.StartObject();
      w.Key("id"); str(StepName(s.id, conn.transport));
      w.Key("status"); str(StepStatusName(s.status));
      w.Key("frame"); frame_or_null(s.frame);
      w.Key("t_ms"); num_or_null(s.t_ms);
      w.Key("latency_ms"); num_or_null(s.latency_ms);
      w.Key("detail"); str(s.detail.Render());
      w.EndObject();
    }
    w.EndArray();
    w.Key("findings");
    w.StartArray();
    for (const Finding& f : c.findings) {
      w.StartObject();
      w.Key("severity"); str(SeverityName(f.severity));
      w.Key("code"); str(f.Code());
      w.Key("frame"); frame_or_null(f.frame);
      w.Key("message"); str(f.Message());
      w.Key("hint"); str(f.Hint());
      w.Key("step");  // the step this finding explains
      if (f.step == StepId::Count) w.Null(); else str(StepName(f.step, conn.transport));
      w.EndObject();
    }
    w.EndArray();
    w.Key("notifications");
    w.StartObject();
    w.Key("count"); w.Uint64(c.notification_count);
    w.Key("by_node");
    w.StartObject();
    for (const auto& [node, n] : c.notifications_by_node) {
      w.Key(node.c_str(), rapidjson::SizeType(node.size()));
      w.Uint64(n);
    }
    w.EndObject();
    w.EndObject();
    // Lines of a text log that report connection state, where they stood among the frames.
    w.Key("notes");
    w.StartArray();
    for (const Note& n : conn.notes) {
      w.StartObject();
      w.Key("line"); w.Uint(n.line);
      w.Key("after_frame"); w.Uint(n.before_frame);
      w.Key("text"); str(RedactLogLine(n.text));
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  WriteFinesse(w, report.finesse);
  w.EndObject();
}

std::string Ms(double v) {
  if (!HasTime(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, v < 10000 ? "%.1f" : "%.0f", v);
  return buf;
}

std::string Pad(const std::string& s, size_t width) {
  // Width in characters, not bytes: the marks are multi-byte UTF-8.
  const size_t chars = Utf8Length(s);
  return chars >= width ? s + " " : s + std::string(width - chars, ' ');
}

const char* Mark(StepStatus s) {
  switch (s) {
    case StepStatus::Passed: return "✓";
    case StepStatus::Failed: return "✗";
    case StepStatus::Missing: return "?";
    case StepStatus::NotCaptured: return "…";
    default: return "·";
  }
}

const char* SeverityMark(Severity s) {
  switch (s) {
    case Severity::Error: return "✗";
    case Severity::Warning: return "!";
    default: return "i";
  }
}

std::string Upper(const char* s) {
  std::string out(s);
  for (char& c : out) c = char(c >= 'a' && c <= 'z' ? c - 32 : c);
  return out;
}

std::string InputLine(const Report& report, const ReportOptions& o) {
  const Capture& cap = *report.capture;
  std::string what = cap.format == "har" ? "HAR" : cap.format == "transcript" ? "Transcript" : cap.format;
  if (!cap.producer.empty()) what += " (" + cap.producer + ")";
  std::string line = (o.source_name.empty() ? std::string() : o.source_name + ": ") + what;
  if (cap.format == "har") line += ", " + std::to_string(cap.entries) + " entries";
  else if (cap.format == "transcript") line += ", " + std::to_string(cap.entries) + " elements";
  return line;
}

const StepResult* FirstProblem(const ConnectionReport& c) {
  for (const StepResult& s : c.steps)
    if (s.status == StepStatus::Failed) return &s;
  for (const StepResult& s : c.steps)
    if (s.status == StepStatus::Missing && StepRequired(s.id)) return &s;
  return nullptr;
}

std::string Headline(const ConnectionReport& c) {
  const Transport t = c.connection->transport;
  if (!c.is_xmpp) return "not an XMPP connection; not checked";
  if (c.verdict == Verdict::Healthy) return "every required step passed";
  const StepResult* p = FirstProblem(c);
  std::string line;
  if (p) line = std::string(StepName(p->id, t)) + " " + StepStatusName(p->status) + ": " + p->detail.Render();
  // Two missed pings say more about a dropped connection than the drop itself.
  const Finding* lead = nullptr;
  for (const Finding& f : c.findings)
    if (f.id == FindingCode::PingMissedTwice) lead = &f;
  if (!lead && !c.findings.empty() && c.findings.front().severity == Severity::Error) lead = &c.findings.front();
  if (lead) line = (line.empty() ? "" : line + " — ") + lead->Message();
  if (line.empty() && c.reason == VerdictReason::MidSession)
    line = "the capture starts mid-session: the steps before it were not captured, and nothing after them failed";
  if (line.empty() && c.verdict == Verdict::Incomplete) line = "the capture does not show the whole login";
  return line;
}


std::string Clock(double t) {
  if (!HasTime(t)) return "-";
  std::string iso = FormatIsoTime(t, 3);
  return iso.size() >= 23 ? iso.substr(11, 12) : iso;
}

// Where the notification for a request came, or that none did.
std::string NotificationCell(const RestRequest& r) {
  if (r.has_notification)
    return (r.notification.line ? "✓ line " + std::to_string(r.notification.line)
                                : "✓ connection " + std::to_string(r.notification.connection + 1) + ", frame " +
                                      std::to_string(FrameNumber(r.notification.frame))) +
           (HasTime(r.notification.latency_ms) ? ", " + Ms(r.notification.latency_ms) + " ms" : std::string());
  if (!r.request_id.empty() && r.method != "GET" && r.status >= 200 && r.status < 300) return "✗ none arrived";
  return "-";
}

std::string Where(const AgentState& s, bool log) {
  return log ? "line " + std::to_string(s.line)
             : "connection " + std::to_string(s.connection + 1) + ", frame " + std::to_string(FrameNumber(s.frame));
}

std::string FindingPlace(const Finding& x) {
  if (x.line) return " (line " + std::to_string(x.line) + ")";
  return x.entry < 0 ? "" : " (entry " + std::to_string(x.entry) + ")";
}

std::string StateCell(const AgentState& s) {
  std::string out = s.state;
  if (!s.reason_code.empty() || !s.reason_label.empty())
    out += "  reason " + (s.reason_code.empty() ? std::string("-") : s.reason_code) +
           (s.reason_label.empty() ? std::string() : " (" + s.reason_label + ")");
  return out;
}

// SystemInfo against what each connection did: its stream's `to`, and which node it went to.
std::vector<std::string> SystemInfoAgainstSocket(const Report& report) {
  std::vector<std::string> out;
  for (const ConnectionReport& c : report.connections) {
    if (!c.is_xmpp) continue;
    const Connection& conn = *c.connection;
    const SystemInfoAnswer* si = report.finesse.Before(conn.Origin());
    if (!si) continue;
    std::string line = "connection " + std::to_string(c.index + 1) + ": stream to " + (c.domain.empty() ? "-" : c.domain);
    if (!c.domain.empty() && !si->xmpp_domain.empty())
      line += EqualsIgnoreCase(c.domain, si->xmpp_domain) ? " ✓ the xmppDomain" : " ✗ not the xmppDomain " + si->xmpp_domain;
    const std::string host = HostOf(conn.url);
    if (!host.empty()) {
      line += "; host " + host;
      if (EqualsIgnoreCase(host, si->primary)) line += " (primary node)";
      else if (EqualsIgnoreCase(host, si->secondary)) line += " (secondary node)";
    }
    out.push_back(line + " · SystemInfo entry " + std::to_string(si->entry));
  }
  return out;
}

// A desktop client log's own story: host, transport, drift, the status timeline, notifications.
std::string DesktopText(const DesktopFacts& d) {
  std::string out = "\nDesktop client log · host " + (d.host.empty() ? "-" : d.host) + " · transport " +
                    (d.transport.empty() ? "-" : d.transport) + " · clock drift " +
                    (HasTime(d.clock_drift_ms) ? Ms(d.clock_drift_ms) + " ms" : std::string("-")) + "\n";
  if (!d.status_changes.empty()) out += "\n  Connection status:\n";
  for (const StatusChange& c : d.status_changes)
    out += "    " + Pad(Clock(c.time), 14) + Pad(c.status, 14) + "line " + std::to_string(c.line) + "\n";
  if (!d.subscriptions.empty()) {
    out += "\n  Subscribed:";
    for (const std::string& n : d.subscriptions) out += " " + n;
    out += "\n";
  }
  out += "\n  Notifications: " + std::to_string(d.notification_count);
  std::string nodes;
  for (const auto& [node, count] : d.notifications_by_node) nodes += (nodes.empty() ? "" : ", ") + node + " ×" + std::to_string(count);
  return out + (nodes.empty() ? "" : " (" + nodes + ")") + "\n";
}

std::string FinesseText(const Report& report) {
  const FinesseReport& f = report.finesse;
  if (f.Empty()) return {};
  const bool log = f.desktop.present;
  std::string out = log ? DesktopText(f.desktop) : std::string();
  out += "\nFinesse REST calls: " + std::to_string(f.requests.size()) + " request(s), " +
         std::to_string(f.states.size()) + " agent state change(s)\n";
  if (const SystemInfoAnswer* si = f.Last()) {
    out += "  SystemInfo (entry " + std::to_string(si->entry) + ", " + Clock(si->time) + "): " + si->status +
           (si->status_reason.empty() ? "" : " (" + si->status_reason + ")") + " · xmppDomain " +
           (si->xmpp_domain.empty() ? "-" : si->xmpp_domain) + " · pubsub " +
           (si->pubsub_domain.empty() ? "-" : si->pubsub_domain) + " · primary " +
           (si->primary.empty() ? "-" : si->primary) + " · secondary " + (si->secondary.empty() ? "-" : si->secondary) + "\n";
    for (const std::string& line : SystemInfoAgainstSocket(report)) out += "    " + line + "\n";
  }
  if (!f.requests.empty()) {
    out += "\n  " + Pad("time (UTC)", 14) + Pad(log ? "line" : "entry", 7) + Pad("method", 8) + Pad("path", 34) +
           Pad("status", 8) + Pad("requestId", 38) + "notification\n";
    for (const RestRequest& r : f.requests)
      out += "  " + Pad(Clock(r.time), 14) + Pad(std::to_string(log ? int(r.line) : r.entry), 7) + Pad(r.method, 8) +
             Pad(r.path, 34) +
             Pad(r.status ? std::to_string(r.status) : std::string("-"), 8) +
             Pad(r.request_id.empty() ? "-" : r.request_id, 38) + NotificationCell(r) + "\n";
  }
  if (!f.states.empty()) {
    out += "\n  Agent states:\n";
    for (const AgentState& s : f.states)
      out += "    " + Pad(Clock(s.time), 14) + Pad(s.user, 8) + Pad(StateCell(s), 30) + Where(s, log) + "\n";
  }
  if (!f.findings.empty()) out += "\n  Findings:\n";
  for (const Finding& x : f.findings) {
    out += "  " + std::string(SeverityMark(x.severity)) + " " + Pad(SeverityName(x.severity), 8) + x.Code() +
           FindingPlace(x) + "\n";
    out += "      " + x.Message() + "\n";
    out += "      → " + x.Hint() + "\n";
  }
  return out;
}

std::string FinesseMarkdown(const Report& report, const std::function<std::string(std::string)>& cell) {
  const FinesseReport& f = report.finesse;
  if (f.Empty()) return {};
  const bool log = f.desktop.present;
  std::string out;
  if (log) {
    const DesktopFacts& d = f.desktop;
    out += "\n### Desktop client log\n\n- Host: `" + (d.host.empty() ? "-" : d.host) + "`, transport: " +
           (d.transport.empty() ? "-" : d.transport) + ", clock drift: " +
           (HasTime(d.clock_drift_ms) ? Ms(d.clock_drift_ms) + " ms" : std::string("-")) + "\n";
    out += "- Notifications: " + std::to_string(d.notification_count);
    for (const auto& [node, count] : d.notifications_by_node) out += ", `" + node + "` ×" + std::to_string(count);
    out += "\n";
    if (!d.status_changes.empty()) {
      out += "\n| time (UTC) | status | line |\n|---|---|---|\n";
      for (const StatusChange& c : d.status_changes)
        out += "| " + Clock(c.time) + " | " + c.status + " | " + std::to_string(c.line) + " |\n";
    }
  }
  out += "\n### Finesse REST calls\n\n";
  if (const SystemInfoAnswer* si = f.Last()) {
    out += "- SystemInfo (entry " + std::to_string(si->entry) + "): **" + si->status + "**" +
           (si->status_reason.empty() ? "" : " (" + cell(si->status_reason) + ")") + ", xmppDomain `" + si->xmpp_domain +
           "`, pubsub `" + si->pubsub_domain + "`, primary `" + (si->primary.empty() ? "-" : si->primary) +
           "`, secondary `" + (si->secondary.empty() ? "-" : si->secondary) + "`\n";
    for (const std::string& line : SystemInfoAgainstSocket(report)) out += "  - " + cell(line) + "\n";
  }
  if (!f.requests.empty()) {
    out += std::string("\n| time (UTC) | ") + (log ? "line" : "entry") +
           " | method | path | status | requestId | notification |\n|---|---|---|---|---|---|---|\n";
    for (const RestRequest& r : f.requests)
      out += "| " + Clock(r.time) + " | " + std::to_string(log ? int(r.line) : r.entry) + " | " + r.method + " | `" +
             cell(r.path) + "` | " +
             (r.status ? std::to_string(r.status) : std::string("-")) + " | " +
             (r.request_id.empty() ? "-" : "`" + cell(r.request_id) + "`") + " | " + NotificationCell(r) + " |\n";
  }
  if (!f.states.empty()) {
    out += "\n**Agent states**\n\n| time (UTC) | user | state | where |\n|---|---|---|---|\n";
    for (const AgentState& s : f.states)
      out += "| " + Clock(s.time) + " | " + cell(s.user) + " | " + cell(StateCell(s)) + " | " + Where(s, log) + " |\n";
  }
  if (!f.findings.empty()) {
    out += "\n**Findings**\n\n";
    for (const Finding& x : f.findings)
      out += "- **" + std::string(SeverityName(x.severity)) + "** `" + x.Code() + "`" + FindingPlace(x) + ": " +
             cell(x.Message()) +
             "  \n  *What to do:* " + cell(x.Hint()) + "\n";
  }
  return out;
}

}  // namespace

std::string ReportJson(const Report& report, bool pretty) {
  rapidjson::StringBuffer buffer;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
    w.SetIndent(' ', 2);
    WriteReport(w, report);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    WriteReport(w, report);
  }
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string ReportText(const Report& report, const ReportOptions& o) {
  const Capture& cap = *report.capture;
  std::string out = InputLine(report, o) + "\n";
  for (const std::string& e : cap.errors) out += "  input problem: " + e + "\n";
  if (report.finesse.desktop.present) return out + FinesseText(report);
  if (report.connections.empty()) {
    if (!report.finesse.Empty())
      return out + "\nNo WebSocket or BOSH connection was found in this input: the desktop did not open its notification\n"
                   "channel while it was recorded. Its Finesse REST calls below may say why.\n" + FinesseText(report);
    out += "\nNo WebSocket or BOSH connection was found in this input, so there is nothing to check.\n"
           "Export the HAR from the Finesse desktop's tab with the Network panel open during sign-in, or paste the\n"
           "frames from the WebSocket's Messages tab.\n";
    return out;
  }
  size_t n = report.connections.size();
  for (const ConnectionReport& c : report.connections) {
    const Connection& conn = *c.connection;
    double dur = Duration(conn);
    out += "\nConnection " + std::to_string(c.index + 1) + " of " + std::to_string(n) + " · " +
           TransportName(conn.transport) + (conn.url.empty() ? "" : " · " + RedactUrl(conn.url)) + " · " +
           std::to_string(conn.frames.size()) + " frames" +
           (HasTime(dur) ? " · " + Ms(dur * 1000.0) + " ms" : std::string()) + "\n";
    out += "Verdict: " + Upper(VerdictName(c.verdict)) + " — " + Headline(c) + "\n";
    if (!c.domain.empty() || !c.jid.empty())
      out += "  domain " + (c.domain.empty() ? "-" : c.domain) + " · jid " + (c.jid.empty() ? "-" : c.jid) + "\n";
    out += "\n  " + Pad("step", 19) + Pad("status", 15) + Pad("frame", 7) + Pad("t (ms)", 10) + Pad("latency", 9) +
           "detail\n";
    for (const StepResult& s : c.steps) {
      out += "  " + Pad(StepName(s.id, conn.transport), 19) + Pad(std::string(Mark(s.status)) + " " + StepStatusName(s.status), 15) +
             Pad(s.frame == kNoFrame ? "-" : std::to_string(FrameNumber(s.frame)), 7) + Pad(Ms(s.t_ms), 10) +
             Pad(Ms(s.latency_ms), 9) + s.detail.Render() + "\n";
    }
    if (!c.findings.empty()) out += "\n  Findings:\n";
    for (const Finding& f : c.findings) {
      out += "  " + std::string(SeverityMark(f.severity)) + " " + Pad(SeverityName(f.severity), 8) + f.Code() +
             (f.frame == kNoFrame ? "" : " (frame " + std::to_string(FrameNumber(f.frame)) + ")") + "\n";
      out += "      " + f.Message() + "\n";
      out += "      → " + f.Hint() + "\n";
    }
    if (!conn.notes.empty()) {
      out += "\n  Notes from the log:\n";
      for (const Note& note : conn.notes)
        out += "    line " + std::to_string(note.line) + " (after frame " + std::to_string(note.before_frame) + "): " +
               RedactLogLine(note.text) + "\n";
    }
    if (c.notification_count > 0) {
      out += "\n  Notifications: " + std::to_string(c.notification_count);
      std::string nodes;
      for (const auto& [node, count] : c.notifications_by_node)
        nodes += (nodes.empty() ? "" : ", ") + node + " ×" + std::to_string(count);
      out += " (" + nodes + ")\n";
    }
  }
  return out + FinesseText(report);
}

std::string ReportMarkdown(const Report& report, const ReportOptions& o) {
  const Capture& cap = *report.capture;
  std::string out = "## Finesse notification channel check\n\n";
  out += "**Input:** " + InputLine(report, o) + "\n";
  if (!cap.errors.empty()) {
    out += "\n**Input problems:**\n";
    for (const std::string& e : cap.errors) out += "- " + e + "\n";
  }
  auto cell = [](std::string s) {
    std::string r;
    for (char ch : s) r += ch == '|' ? std::string("\\|") : ch == '\n' ? std::string(" ") : std::string(1, ch);
    return r;
  };
  for (const ConnectionReport& c : report.connections) {
    const Connection& conn = *c.connection;
    out += "\n### Connection " + std::to_string(c.index + 1) + ": " + Upper(VerdictName(c.verdict)) + "\n\n";
    out += "- Transport: " + std::string(TransportName(conn.transport)) +
           (conn.url.empty() ? "" : " `" + RedactUrl(conn.url) + "`") + ", " + std::to_string(conn.frames.size()) + " frames\n";
    if (!c.domain.empty()) out += "- Domain: `" + c.domain + "`\n";
    if (!c.jid.empty()) out += "- JID: `" + c.jid + "`\n";
    out += "- Summary: " + cell(Headline(c)) + "\n\n";
    out += "| step | status | frame | t (ms) | latency (ms) | detail |\n|---|---|---|---|---|---|\n";
    for (const StepResult& s : c.steps)
      out += "| " + std::string(StepName(s.id, conn.transport)) + " | " + Mark(s.status) + " " + StepStatusName(s.status) +
             " | " + (s.frame == kNoFrame ? "-" : std::to_string(FrameNumber(s.frame))) + " | " + Ms(s.t_ms) + " | " +
             Ms(s.latency_ms) + " | " + cell(s.detail.Render()) + " |\n";
    if (!c.findings.empty()) {
      out += "\n**Findings**\n\n";
      for (const Finding& f : c.findings)
        out += "- **" + std::string(SeverityName(f.severity)) + "** `" + f.Code() + "`" +
               (f.frame == kNoFrame ? "" : " (frame " + std::to_string(FrameNumber(f.frame)) + ")") + ": " +
               cell(f.Message()) + "  \n  *What to do:* " + cell(f.Hint()) + "\n";
    }
    if (!conn.notes.empty()) {
      out += "\n**Notes from the log**\n\n";
      for (const Note& note : conn.notes)
        out += "- line " + std::to_string(note.line) + " (after frame " + std::to_string(note.before_frame) + "): `" +
               cell(RedactLogLine(note.text)) + "`\n";
    }
    if (c.notification_count > 0) {
      out += "\n**Notifications:** " + std::to_string(c.notification_count) + "\n";
      for (const auto& [node, count] : c.notifications_by_node)
        out += "- `" + node + "`: " + std::to_string(count) + "\n";
    }
  }
  if (report.connections.empty() && !report.finesse.desktop.present)
    out += "\nNo WebSocket or BOSH connection was found in this input.\n";
  out += FinesseMarkdown(report, cell);
  out += o.secrets_revealed ? "\n*Secrets were revealed on request (--reveal-secrets): do not paste this into a ticket.*\n"
                            : "\n*Secrets (SASL passwords, Authorization and Cookie values) are masked in this report.*\n";
  return out;
}

}  // namespace fi
