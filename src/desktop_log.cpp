// Finesse desktop client log: records found by their time stamp, classified by message.
#include "desktop_log.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

#include "checker.h"
#include "finesse_update.h"
#include "import.h"
#include "rapidjson/document.h"
#include "redact.h"
#include "text_util.h"

namespace fi {

namespace {

bool Digit(char c) { return c >= '0' && c <= '9'; }

// "2024-05-01T10:00:00.123 +02:00": the local time, at `i`; its length, or 0.
size_t LocalTimeAt(std::string_view t, size_t i) {
  constexpr size_t kLen = 30;
  if (i + kLen > t.size()) return 0;
  const char* p = t.data() + i;
  static constexpr char kShape[] = "dddd-dd-ddTdd:dd:dd.ddd sdd:dd";
  for (size_t k = 0; k < kLen; ++k) {
    const char want = kShape[k];
    const char c = p[k];
    if (want == 'd' ? !Digit(c) : want == 's' ? (c != '+' && c != '-') : c != want) return 0;
  }
  return kLen;
}

// "May 01 2024 08:00:00.456 +0000", or unknown "--- -- ---- --:--:--.--- -----".
size_t ServerTimeAt(std::string_view t, size_t i) {
  constexpr std::string_view kUnknown = "--- -- ---- --:--:--.--- -----";
  if (t.compare(i, kUnknown.size(), kUnknown) == 0) return kUnknown.size();
  constexpr size_t kLen = 30;
  if (i + kLen > t.size()) return 0;
  static constexpr char kShape[] = "Aaa dd dddd dd:dd:dd.ddd sdddd";
  for (size_t k = 0; k < kLen; ++k) {
    const char want = kShape[k], c = t[i + k];
    const bool ok = want == 'd'   ? Digit(c)
                    : want == 'A' ? (c >= 'A' && c <= 'Z')
                    : want == 'a' ? (c >= 'a' && c <= 'z')
                    : want == 's' ? (c == '+' || c == '-')
                                  : c == want;
    if (!ok) return 0;
  }
  return kLen;
}

// A field up to ": " (no line break in it, at most `max` bytes); its end, or npos.
size_t FieldEnd(std::string_view t, size_t i, size_t max) {
  for (size_t k = i; k < t.size() && k < i + max; ++k) {
    if (t[k] == '\n') return std::string_view::npos;
    if (t[k] == ':' && k + 1 < t.size() && t[k + 1] == ' ') return k;
  }
  return std::string_view::npos;
}

struct RecordHeader {
  size_t end = 0;  // where the component starts
  std::string_view local, session, host, server;
};

// The record header at `i`, strictly: local time, session key, host, server time.
bool HeaderAt(std::string_view t, size_t i, RecordHeader& h) {
  const size_t lt = LocalTimeAt(t, i);
  if (!lt || t.compare(i + lt, 2, ": ") != 0) return false;
  h.local = t.substr(i, lt);
  size_t k = i + lt + 2;
  const size_t key_end = FieldEnd(t, k, 64);
  if (key_end == std::string_view::npos) return false;
  h.session = t.substr(k, key_end - k);
  k = key_end + 2;
  const size_t host_end = FieldEnd(t, k, 256);
  if (host_end == std::string_view::npos) return false;
  h.host = t.substr(k, host_end - k);
  k = host_end + 2;
  const size_t st = ServerTimeAt(t, k);
  if (!st || t.compare(k + st, 2, ": ") != 0) return false;
  h.server = t.substr(k, st);
  h.end = k + st + 2;
  return true;
}

double LocalEpoch(std::string_view local) {
  // "…T10:00:00.123 +02:00" without the space is ISO 8601.
  std::string iso(local.substr(0, 23));
  iso += local.substr(24);
  auto t = ParseIsoTime(iso);
  return t ? *t : kNoTime;
}

// Joins lines cut at a fixed width: every line exactly as long as the longest (in characters),
// when at least three are, runs on into the next. Joining never splits a record, because records
// are found by their time stamps, not by line ends.
struct Unwrapped {
  std::string text;
  std::vector<std::pair<size_t, uint32_t>> lines;  // offset in text where each source line starts
  uint32_t LineAt(size_t offset) const {
    auto it = std::upper_bound(lines.begin(), lines.end(), std::make_pair(offset, UINT32_MAX));
    return it == lines.begin() ? 1 : std::prev(it)->second;
  }
};

Unwrapped Unwrap(std::string_view in) {
  std::vector<std::string_view> lines;
  for (size_t pos = 0; pos <= in.size();) {
    size_t nl = in.find('\n', pos);
    if (nl == std::string_view::npos) nl = in.size();
    std::string_view l = in.substr(pos, nl - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    lines.push_back(l);
    pos = nl + 1;
  }
  size_t longest = 0, at_longest = 0;
  for (std::string_view l : lines) {
    const size_t n = Utf8Length(l);
    if (n > longest) {
      longest = n;
      at_longest = 0;
    }
    at_longest += n == longest;
  }
  const bool wrapped = longest >= 40 && at_longest >= 3;
  Unwrapped u;
  u.text.reserve(in.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    u.lines.push_back({u.text.size(), uint32_t(i + 1)});
    u.text.append(lines[i]);
    const bool cut = wrapped && Utf8Length(lines[i]) == longest;
    if (!cut && i + 1 < lines.size()) u.text += '\n';
  }
  return u;
}

}  // namespace

bool LooksLikeDesktopLog(std::string_view text) {
  std::string_view head = text.substr(0, 1 << 16);
  // Wrapping can cut the first header; unwrap the head before looking.
  Unwrapped u = Unwrap(head);
  RecordHeader h;
  for (size_t i = u.text.find('T'); i != std::string::npos; i = u.text.find('T', i + 1))
    if (i >= 10 && HeaderAt(u.text, i - 10, h)) return true;
  return false;
}

Capture ImportDesktopLog(std::string bytes) {
  Capture cap;
  cap.format = "finesse-desktop-log";
  cap.producer = "Finesse desktop client log";
  std::string_view in(bytes);
  if (in.compare(0, 3, "\xEF\xBB\xBF") == 0) in.remove_prefix(3);
  Unwrapped u = Unwrap(in);
  // Reports are JSON: text from a log saved in another encoding is repaired, and said so.
  if (auto bad = FindInvalidUtf8(u.text)) {
    cap.errors.push_back("line " + std::to_string(u.LineAt(*bad)) + ": invalid UTF-8 (the log is in another encoding?); replaced with U+FFFD");
    u.text = RepairUtf8(u.text);
  }
  std::string_view t = cap.Keep(std::move(u.text));
  // Record starts: every strict header, wherever it stands (records run on within a line).
  std::vector<std::pair<size_t, RecordHeader>> starts;
  RecordHeader h;
  for (size_t i = t.find('T'); i != std::string_view::npos; i = t.find('T', i + 1)) {
    if (i < 10 || !HeaderAt(t, i - 10, h)) continue;
    starts.push_back({i - 10, h});
    i = h.end;
  }
  auto add = [&](size_t begin, size_t end, const RecordHeader* hd) {
    LogRecord r;
    r.line = u.LineAt(begin);
    std::string_view body = t.substr(begin, end - begin);
    if (hd) {
      r.time = LocalEpoch(hd->local);
      r.session = hd->session;
      r.host = hd->host;
      r.server_time = hd->server;
      body = t.substr(hd->end, end - hd->end);
      // "<component> : <message>"; a record without the separator is all message.
      const size_t sep = body.find(" : ");
      if (sep != std::string_view::npos && sep < 120 && body.substr(0, sep).find('\n') == std::string_view::npos) {
        r.component = Trim(body.substr(0, sep));
        body = body.substr(sep + 3);
      }
    }
    r.message = Trim(body);
    if (hd || !r.message.empty()) cap.log_records.push_back(r);
  };
  const size_t first = starts.empty() ? t.size() : starts[0].first;
  if (first > 0) add(0, first, nullptr);  // the log began mid-record
  for (size_t k = 0; k < starts.size(); ++k)
    add(starts[k].first, k + 1 < starts.size() ? starts[k + 1].first : t.size(), &starts[k].second);
  cap.entries = int(cap.log_records.size());
  if (starts.empty()) cap.errors.push_back("no record of a Finesse desktop log was found");
  return cap;
}

// [SECTION] Analysis

namespace {

enum class Kind : uint8_t { Other, Status, Transport, Drift, Subscribed, SubscribeError, Event, Request, PostData,
                            Response };

// The messages Cisco's library writes, by a phrase each holds (FINESSE-REST.md).
struct Pattern {
  const char* phrase;
  Kind kind;
};
constexpr Pattern kPatterns[] = {
    {"Connection status: ", Kind::Status},
    {"notifying listeners of status=", Kind::Status},
    {"BOSH connection", Kind::Transport},
    {"WebSocket connection", Kind::Transport},
    {"connect url = ", Kind::Transport},  // 12.x's event tunnel: "XMPP client connect url = wss://…/ws/"
    {"Drift: ", Kind::Drift},
    {"Error subscribing to node", Kind::SubscribeError},
    {"Subscribed to node", Kind::Subscribed},
    {"Received XML event on node", Kind::Event},
    {"Received JSON event on node", Kind::Event},
    {"Returned with status=", Kind::Response},
    {"POST_DATA=", Kind::PostData},
    {"Making REST request", Kind::Request},
};

Kind Classify(std::string_view m) {
  for (const Pattern& p : kPatterns)
    if (FindText(m, p.phrase) != std::string_view::npos) return p.kind;
  return Kind::Other;
}

// The text after `key` up to one of `stops`, or "".
std::string_view After(std::string_view m, std::string_view key, std::string_view stops) {
  size_t k = FindText(m, key);
  if (k == std::string_view::npos) return {};
  std::string_view rest = m.substr(k + key.size());
  return rest.substr(0, rest.find_first_of(stops));
}

std::string_view Quoted(std::string_view m, std::string_view key) {  // key='value'
  return After(m, std::string(key) + "='", "'");
}

// A GET's log line says requestId='undefined': the library makes none for it.
std::string RequestIdOf(std::string_view m) {
  std::string_view id = Quoted(m, "requestId");
  return id == "undefined" || id == "null" ? std::string() : std::string(id);
}

bool IsUuidAt(std::string_view s, size_t i) {
  static constexpr char kShape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
  if (i + 36 > s.size()) return false;
  for (size_t k = 0; k < 36; ++k) {
    const char c = s[i + k];
    const bool hex = Digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (kShape[k] == '-' ? c != '-' : !hex) return false;
  }
  return true;
}

// A JSON-shaped payload: {"Update":{"data":{"user":{…}},"requestId":"…",…}}.
bool ReadJsonUpdate(std::string_view payload, FinesseUpdate& u) {
  rapidjson::Document d;
  std::string copy(payload);
  copy.append(kInputPadding, '\0');  // RapidJSON's SSE2 scanner reads 16 bytes at a time
  d.Parse<rapidjson::kParseIterativeFlag>(copy.c_str(), payload.size());  // deep nesting: no recursion
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("Update") || !d["Update"].IsObject()) return false;
  const auto& up = d["Update"];
  auto str = [](const rapidjson::Value& o, const char* k) {
    return o.IsObject() && o.HasMember(k) && o[k].IsString() ? std::string(o[k].GetString()) : std::string();
  };
  u = FinesseUpdate();
  u.ok = true;
  u.request_id = str(up, "requestId");
  u.event = str(up, "event");
  u.source = str(up, "source");
  if (!up.HasMember("data") || !up["data"].IsObject()) return true;
  auto read_user = [&](const rapidjson::Value& user) {
    UserState s{str(user, "loginId"), str(user, "state"), {}, {}};
    if (user.IsObject() && user.HasMember("reasonCode")) {
      s.reason_code = str(user["reasonCode"], "code");
      s.reason_label = str(user["reasonCode"], "label");
    }
    u.users.push_back(s);
  };
  for (auto it = up["data"].MemberBegin(); it != up["data"].MemberEnd(); ++it) {
    u.data_kind = it->name.GetString();
    if (u.data_kind == "user") read_user(it->value);
    const rapidjson::Value* list = nullptr;
    if (u.data_kind == "team" && it->value.IsObject() && it->value.HasMember("users")) list = &it->value["users"];
    if (u.data_kind == "users") list = &it->value;
    if (list && list->IsObject() && list->HasMember("user")) list = &(*list)["user"];
    if (list && list->IsArray())
      for (const auto& user : list->GetArray()) read_user(user);
    else if (list && list->IsObject())
      read_user(*list);
    break;
  }
  if (u.users.size() == 1) u.state = u.users[0].state;
  return true;
}

FinesseUpdate ReadPayload(std::string_view payload) {
  payload = Trim(payload);
  FinesseUpdate u;
  if (!payload.empty() && payload.front() == '{' && ReadJsonUpdate(payload, u)) return u;
  if (!payload.empty() && payload.front() == '<') {
    u = DecodeUpdate(payload);
    if (u.ok) return u;
  }
  // Tags stripped on the way (a console copy): the requestId is still the one UUID in it.
  u = FinesseUpdate();
  for (size_t i = 0; i + 36 <= payload.size(); ++i)
    if (IsUuidAt(payload, i)) {
      if (!u.request_id.empty()) {  // two: cannot tell which
        u.request_id.clear();
        break;
      }
      u.request_id = std::string(payload.substr(i, 36));
      i += 35;
    }
  return u;
}

std::string Clock(double t) {
  std::string iso = FormatIsoTime(t, 3);
  return iso.size() >= 23 ? iso.substr(11, 12) + " UTC" : "?";
}

bool IsDown(const std::string& s) { return s == "disconnected" || s == "failing"; }
bool IsUp(const std::string& s) { return s == "connected" || s == "recovered"; }

}  // namespace

void AnalyseDesktopLog(const Capture& cap, Report& report) {
  FinesseReport& fr = report.finesse;
  fr = FinesseReport();
  DesktopFacts& d = fr.desktop;
  d.present = true;
  std::unordered_map<std::string, size_t> host_votes;
  struct Seen {
    uint32_t line;
    double time;
  };
  std::unordered_map<std::string, Seen> first_event;        // requestId -> first notification
  std::unordered_map<std::string, size_t> request_by_id;    // requestId -> index in fr.requests
  UserStateChanges changes;
  std::vector<size_t> waiting_gets;  // requests without a requestId not answered yet, latest last
  std::vector<std::pair<uint32_t, std::string>> events_with_id;  // line, requestId, to check later
  auto finding = [&](FindingCode code, uint32_t line, TextArgs args) -> Finding& {
    Finding f = MakeFinding(code, kNoFrame, std::move(args));
    f.line = line;
    return fr.findings.emplace_back(std::move(f));
  };

  for (const LogRecord& r : cap.log_records) {
    if (!r.host.empty()) ++host_votes[std::string(r.host)];
    const std::string_view m = r.message;
    switch (Classify(m)) {
      case Kind::Status: {
        std::string_view s = FindText(m, "status=") != std::string_view::npos ? After(m, "status=", " ,;\n")
                                                                             : After(m, "Connection status: ", " ,;\n");
        // The publisher logs every connection-info message, a repeated status too: not a change.
        if (s.empty() || (!d.status_changes.empty() && d.status_changes.back().status == ToLower(s))) break;
        d.status_changes.push_back({r.time, ToLower(s), r.line});
        break;
      }
      case Kind::Transport:
        d.transport = ContainsIgnoreCase(m, "BOSH") || ContainsIgnoreCase(m, "http-bind") ? "bosh" : "websocket";
        break;
      case Kind::Drift: {
        std::string_view n = After(m, "Drift: ", "m ,");
        if (!n.empty()) d.clock_drift_ms = std::strtod(std::string(n).c_str(), nullptr);
        break;
      }
      case Kind::Subscribed:
        d.subscriptions.push_back(std::string(After(m, "node '", "'")));
        break;
      case Kind::SubscribeError: {
        std::string_view node = After(m, "node '", "'");
        std::string_view err = After(m, std::string(node) + "': ", "\n");
        finding(FindingCode::DesktopSubscribeError, r.line,
                {{"node", std::string(node)}, {"error", std::string(TruncateUtf8(err, 200))}});
        break;
      }
      case Kind::Event: {
        std::string node(After(m, "node '", "'"));
        ++d.notification_count;
        auto it = std::find_if(d.notifications_by_node.begin(), d.notifications_by_node.end(),
                               [&](const auto& p) { return p.first == node; });
        if (it == d.notifications_by_node.end()) d.notifications_by_node.push_back({node, 1});
        else ++it->second;
        const size_t colon = FindText(m, "': ");
        FinesseUpdate u = ReadPayload(colon == std::string_view::npos ? std::string_view() : m.substr(colon + 3));
        if (!u.request_id.empty()) {
          first_event.try_emplace(u.request_id, Seen{r.line, r.time});
          events_with_id.push_back({r.line, u.request_id});
        }
        for (const UserState& us : u.users) {
          if (us.login_id.empty() || us.state.empty() || !changes.Changed(us)) continue;
          AgentState a;
          a.time = r.time;
          a.user = us.login_id;
          a.state = us.state;
          a.reason_code = us.reason_code;
          a.reason_label = us.reason_label;
          a.line = r.line;
          fr.states.push_back(std::move(a));
        }
        break;
      }
      case Kind::Request: {
        RestRequest q;
        q.line = r.line;
        q.time = r.time;
        q.method = std::string(After(m, "method=", ", \n"));
        for (char& c : q.method) c = char(c >= 'a' && c <= 'z' ? c - 32 : c);
        q.path = std::string(UrlPath(Quoted(m, "url")));
        q.request_id = RequestIdOf(m);
        q.has_request_id = !q.request_id.empty();
        if (q.has_request_id) request_by_id[q.request_id] = fr.requests.size();
        else waiting_gets.push_back(fr.requests.size());
        fr.requests.push_back(std::move(q));
        break;
      }
      case Kind::Response: {
        const std::string id = RequestIdOf(m);
        auto it = id.empty() ? request_by_id.end() : request_by_id.find(id);
        RestRequest* q = it != request_by_id.end() ? &fr.requests[it->second] : nullptr;
        // A GET has no requestId: its return answers the latest GET still waiting.
        while (!q && id.empty() && !waiting_gets.empty()) {
          RestRequest& g = fr.requests[waiting_gets.back()];
          waiting_gets.pop_back();
          if (g.status == 0) q = &g;
        }
        // A response without its request (the log began after it) still says what came back.
        if (!q) {
          RestRequest lone;
          lone.line = r.line;
          lone.time = r.time;
          lone.method = std::string(After(m, "method=", ", \n"));
          lone.path = std::string(UrlPath(Quoted(m, "url")));
          lone.request_id = id;
          lone.has_request_id = !id.empty();
          fr.requests.push_back(std::move(lone));
          q = &fr.requests.back();
          if (!id.empty()) request_by_id[id] = fr.requests.size() - 1;
        }
        q->status = IntFieldOr(After(m, "status=", ", \n"), 0);
        const size_t content = FindText(m, "content='");
        if (content != std::string_view::npos) {
          std::string_view body = m.substr(content + 9);
          if (!body.empty() && body.back() == '\'') body.remove_suffix(1);
          q->errors = ReadApiErrors(body);
        }
        break;
      }
      case Kind::PostData:
      case Kind::Other:
        break;
    }
  }
  size_t votes = 0;
  for (const auto& [host, n] : host_votes)
    if (n > votes) {
      votes = n;
      d.host = host;
    }

  // The status timeline: each drop, and how long until the desktop was back (the next "up",
  // found in one backward pass so a long flapping log stays linear).
  std::vector<const StatusChange*> next_up(d.status_changes.size() + 1, nullptr);
  for (size_t k = d.status_changes.size(); k-- > 0;)
    next_up[k] = IsUp(d.status_changes[k].status) ? &d.status_changes[k] : next_up[k + 1];
  for (size_t i = 0; i < d.status_changes.size(); ++i) {
    const StatusChange& s = d.status_changes[i];
    if (s.status == "conflict") finding(FindingCode::DesktopConflict, s.line, {{"time", Clock(s.time)}});
    if (s.status == "unauthorized") finding(FindingCode::DesktopUnauthorized, s.line, {{"time", Clock(s.time)}});
    if (!IsDown(s.status) || (i > 0 && IsDown(d.status_changes[i - 1].status))) continue;
    const StatusChange* back = next_up[i + 1];
    TextArgs args = {{"status", s.status}, {"time", Clock(s.time)}};
    if (back) {
      char after[32];
      std::snprintf(after, sizeof after, "%.1f", HasTime(back->time) && HasTime(s.time) ? back->time - s.time : 0.0);
      args.push_back({"back", "1"});
      args.push_back({"back_status", back->status});
      args.push_back({"after", after});
    } else {
      args.push_back({"never", "1"});
    }
    Finding& f = finding(FindingCode::DesktopDisconnected, s.line, std::move(args));
    if (back) f.severity = Severity::Warning;  // it recovered by itself
  }
  if (HasTime(d.clock_drift_ms) && std::fabs(d.clock_drift_ms) > 5000) {
    char drift[32];
    std::snprintf(drift, sizeof drift, "%.1f", d.clock_drift_ms / 1000.0);
    uint32_t line = 0;
    for (const LogRecord& r : cap.log_records)
      if (FindText(r.message, "Drift: ") != std::string_view::npos) line = r.line;
    finding(FindingCode::DesktopClockDrift, line, {{"drift", drift}});
  }

  // Requests to notifications, as a HAR's are.
  double log_end = kNoTime;
  for (const LogRecord& r : cap.log_records)
    if (HasTime(r.time) && (!HasTime(log_end) || r.time > log_end)) log_end = r.time;
  for (RestRequest& q : fr.requests) {
    if (q.status == 401) finding(FindingCode::RestUnauthorized, q.line, {{"method", q.method}, {"path", q.path}});
    else if (q.status == 503) finding(FindingCode::RestUnavailable, q.line, {{"method", q.method}, {"path", q.path}});
    else if (q.status >= 400)
      finding(FindingCode::RestApiError, q.line, {{"method", q.method}, {"path", q.path}, {"status", std::to_string(q.status)}});
    if (q.method == "GET" || q.request_id.empty()) continue;
    auto it = first_event.find(q.request_id);
    if (it != first_event.end()) {
      q.has_notification = true;
      q.notification.line = it->second.line;
      q.notification.latency_ms = HasTime(it->second.time) && HasTime(q.time) ? (it->second.time - q.time) * 1000 : kNoTime;
      if (HasTime(q.notification.latency_ms) && q.notification.latency_ms > 5000) {
        char latency[32];
        std::snprintf(latency, sizeof latency, "%.1f", q.notification.latency_ms / 1000.0);
        finding(FindingCode::NotificationSlow, q.line,
                {{"method", q.method}, {"path", q.path}, {"request_id", q.request_id}, {"latency", latency}});
      }
      continue;
    }
    if (q.status < 200 || q.status >= 300) continue;
    Finding& f = finding(FindingCode::NotificationNotReceived, q.line,
                         {{"method", q.method}, {"path", q.path}, {"status", std::to_string(q.status)},
                          {"request_id", q.request_id}});
    // The desktop's own statuses say whether the channel was up at the time.
    // The status the desktop last logged before the request (both in log order: by line).
    auto before = std::upper_bound(d.status_changes.begin(), d.status_changes.end(), q.line,
                                   [](uint32_t line, const StatusChange& s) { return line < s.line; });
    const std::string status_then = before == d.status_changes.begin() ? std::string() : std::prev(before)->status;
    const double after = HasTime(log_end) && HasTime(q.time) ? log_end - q.time : kNoTime;
    char after_s[32];
    std::snprintf(after_s, sizeof after_s, "%.1f", HasTime(after) ? after : 0.0);
    f.args.push_back({"after", after_s});
    if (!status_then.empty() && !IsUp(status_then)) {
      f.args.push_back({"desktop_status", status_then});
      f.args.push_back({"status_down", "1"});
      f.args.push_back({"down", "1"});
    } else if (HasTime(after) && after > 10) {
      f.args.push_back({"log_up", "1"});
      f.args.push_back({"up", "1"});
    } else {
      f.args.push_back({"too_soon", "1"});
      f.severity = Severity::Info;
    }
  }
  // Notifications whose requestId no request in the log made (only when the log shows requests).
  if (!fr.requests.empty())
    for (const auto& [line, id] : events_with_id)
      if (!request_by_id.count(id))
        finding(FindingCode::NotificationUnknownRequestId, line, {{"request_id", id}});
  std::stable_sort(fr.findings.begin(), fr.findings.end(), [](const Finding& a, const Finding& b) {
    return a.severity != b.severity ? a.severity < b.severity : a.line < b.line;
  });
}

}  // namespace fi
