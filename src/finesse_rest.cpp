// Finesse REST: reading the calls, matching requestIds, the state timeline, the findings.
#include "finesse_rest.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "checker.h"
#include "text_util.h"
#include "tinyxml2.h"

namespace fi {

namespace {

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", s);
  return buf;
}

std::string ChildText(const tinyxml2::XMLElement* e, const char* name) {
  const tinyxml2::XMLElement* c = e ? e->FirstChildElement(name) : nullptr;
  const char* t = c ? c->GetText() : nullptr;
  return t ? std::string(Trim(t)) : std::string();
}

bool ReadSystemInfo(const RestCall& call, SystemInfoAnswer& out) {
  if (call.response_body.empty()) return false;
  tinyxml2::XMLDocument doc(true, tinyxml2::COLLAPSE_WHITESPACE);
  if (doc.Parse(call.response_body.data(), call.response_body.size()) != tinyxml2::XML_SUCCESS) return false;
  const tinyxml2::XMLElement* root = doc.RootElement();
  if (!root || std::string_view(root->Name()) != "SystemInfo") return false;
  out.entry = call.entry;
  out.time = call.start_time;
  out.status = ChildText(root, "status");
  out.status_reason = ChildText(root, "statusReason");
  out.xmpp_domain = ChildText(root, "xmppDomain");
  out.pubsub_domain = ChildText(root, "xmppPubSubDomain");
  out.primary = ChildText(root->FirstChildElement("primaryNode"), "host");
  out.secondary = ChildText(root->FirstChildElement("secondaryNode"), "host");
  return true;
}

std::string ErrorsText(const std::vector<ApiError>& errors) {
  std::string out;
  for (const ApiError& e : errors) {
    std::string one = e.type;
    if (!e.message.empty()) one += (one.empty() ? "" : ": ") + e.message;
    if (!e.data.empty()) one += " (" + e.data + ")";
    out += (out.empty() ? "" : "; ") + one;
  }
  return out;
}

bool NotInService(const std::string& status) { return status == "PARTIAL_SERVICE" || status == "OUT_OF_SERVICE"; }

double FrameTime(const Capture& cap, int connection, int frame) {
  const auto& frames = cap.connections[size_t(connection)].frames;
  return size_t(frame) < frames.size() ? frames[size_t(frame)].time : kNoTime;
}

// The latest time the capture holds: a frame, or a REST call's end.
double CaptureEnd(const Capture& cap) {
  double end = kNoTime;
  auto later = [&](double t) {
    if (HasTime(t) && (!HasTime(end) || t > end)) end = t;
  };
  for (const Connection& c : cap.connections)
    for (auto it = c.frames.rbegin(); it != c.frames.rend(); ++it)
      if (HasTime(it->time)) {
        later(it->time);  // times can go backwards in a log; the last one is close enough here
        break;
      }
  for (const RestCall& r : cap.rest_calls) later(HasTime(r.total_ms) ? r.start_time + r.total_ms / 1000.0 : r.start_time);
  return end;
}

double LastFrameTime(const Connection& c) {
  for (auto it = c.frames.rbegin(); it != c.frames.rend(); ++it)
    if (HasTime(it->time)) return it->time;
  return kNoTime;
}

// Why a notification for a request made at `t` could not arrive, or that the channel was up.
void DescribeChannel(const Capture& cap, const Report& report, double t, double window_s, double capture_end,
                     Finding& f) {
  auto flag = [&](const char* name) { f.args.push_back({name, "1"}); };
  // The notification connection at that time: the latest XMPP connection opened by then.
  int conn = -1;
  for (size_t i = 0; i < report.connections.size(); ++i) {
    const ConnectionReport& c = report.connections[i];
    if (!c.is_xmpp) continue;
    double origin = cap.connections[i].Origin();
    if (!HasTime(t) || !HasTime(origin) || origin <= t) conn = int(i);
  }
  const double last = conn >= 0 ? LastFrameTime(cap.connections[size_t(conn)]) : kNoTime;
  if (conn < 0 || (report.connections[size_t(conn)].ended && HasTime(last) && HasTime(t) && last < t)) {
    flag("no_connection");
    flag("down");
    return;
  }
  const ConnectionReport& c = report.connections[size_t(conn)];
  f.args.push_back({"connection", std::to_string(conn + 1)});
  const StepResult& sub = c.steps[size_t(StepId::SubscribeUser)];
  const double sub_time = sub.frame != kNoFrame ? FrameTime(cap, conn, sub.frame) : kNoTime;
  const bool subscribed = sub.status == StepStatus::NotCaptured ||
                          (sub.status == StepStatus::Passed && (!HasTime(sub_time) || !HasTime(t) || sub_time <= t + 1));
  if (!subscribed) {
    flag("not_subscribed");
    flag("down");
    return;
  }
  if (c.ended && HasTime(last) && HasTime(t) && last - t < window_s) {
    f.args.push_back({"ended_after", Seconds(std::max(0.0, last - t))});
    const Finding* problem = nullptr;
    for (const Finding& cf : c.findings)
      if (cf.severity == Severity::Error) {
        problem = &cf;
        break;
      }
    if (!problem) {
      // Closed in order (a sign-out) before the notification was due: the capture cannot tell.
      flag("closed");
      f.severity = Severity::Info;
      return;
    }
    f.args.push_back({"problem", problem->Code()});
    flag("ended");
    flag("down");
    return;
  }
  for (const Finding& cf : c.findings) {
    if (cf.id != FindingCode::PingUnanswered && cf.id != FindingCode::PingMissedTwice) continue;
    const double pt = cf.frame != kNoFrame ? FrameTime(cap, conn, cf.frame) : kNoTime;
    if (!HasTime(pt) || !HasTime(t) || (pt > t - window_s && pt < t + 2 * window_s)) {
      flag("pings");
      flag("down");
      return;
    }
  }
  const double after = HasTime(capture_end) && HasTime(t) ? capture_end - t : kNoTime;
  f.args.push_back({"after", HasTime(after) ? Seconds(std::max(0.0, after)) : "?"});
  if (HasTime(after) && after > window_s) {
    flag("up");
  } else {
    flag("too_soon");
    f.severity = Severity::Info;  // it may still have been on its way: not a problem the capture proves
  }
}

}  // namespace

bool UserStateChanges::Changed(const UserState& u) {
  auto [it, fresh] = m_last.try_emplace(u.login_id, u.state, u.reason_code);
  if (!fresh && it->second.first == u.state && it->second.second == u.reason_code) return false;
  it->second = {u.state, u.reason_code};
  return true;
}

const SystemInfoAnswer* FinesseReport::Before(double time) const {
  const SystemInfoAnswer* best = nullptr;
  for (const SystemInfoAnswer& s : system_infos)
    if (!HasTime(time) || !HasTime(s.time) || s.time <= time) best = &s;
  return best;
}

bool FinesseReport::HasProblem() const {
  return std::any_of(findings.begin(), findings.end(), [](const Finding& f) { return f.severity != Severity::Info; });
}

FinesseReport ReadRest(const Capture& capture) {
  FinesseReport out;
  out.requests.reserve(capture.rest_calls.size());
  for (const RestCall& call : capture.rest_calls) {
    RestRequest r;
    r.entry = call.entry;
    r.time = call.start_time;
    r.method = call.method;
    for (char& ch : r.method) ch = char(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
    r.path = std::string(UrlPath(call.url));
    r.status = call.status;
    if (const Header* h = FindHeader(call.request_headers, "requestId")) {
      r.has_request_id = true;
      r.request_id = std::string(Trim(h->value));
    }
    r.errors = ReadApiErrors(call.response_body);
    SystemInfoAnswer si;
    if (EqualsIgnoreCase(r.path, "/finesse/api/SystemInfo") && ReadSystemInfo(call, si)) out.system_infos.push_back(si);
    out.requests.push_back(std::move(r));
  }
  return out;
}

// Extends the state timeline with connection `ci`'s updates from `from` on; false when they do not
// come after what was read (then everything is read again).
static bool ExtendStates(const Capture& cap, Report& report, FinesseLinkState& st, size_t ci) {
  const auto& updates = report.connections[ci].updates;
  for (size_t i = st.read[ci]; i < updates.size(); ++i) {
    const double t = FrameTime(cap, int(ci), int(updates[i].frame));
    if (HasTime(t) && t < st.key) return false;
  }
  for (size_t i = st.read[ci]; i < updates.size(); ++i) {
    const UpdateFact& u = updates[i];
    if (u.users.empty()) continue;
    const double t = FrameTime(cap, int(ci), int(u.frame));
    if (HasTime(t)) st.key = t;
    for (const UserState& s : u.users) {
      if (s.login_id.empty() || s.state.empty() || !st.changes.Changed(s)) continue;
      report.finesse.states.push_back({t, s.login_id, s.state, s.reason_code, s.reason_label, int(ci), int(u.frame)});
    }
  }
  st.read[ci] = updates.size();
  return true;
}

void LinkFinesse(const Capture& cap, Report& report, double slow_s, double window_s, FinesseLinkState* state) {
  FinesseReport& fr = report.finesse;
  if (state && state->valid && fr.requests.empty() && fr.system_infos.empty()) {
    // Only new notifications on the newest connection that has any: extend, read nothing twice.
    const size_t n = report.connections.size();
    state->read.resize(n, 0);
    size_t changed = n, last_read = 0;
    bool several = false;
    for (size_t ci = 0; ci < n; ++ci) {
      if (report.connections[ci].updates.size() > state->read[ci]) {
        several = several || changed != n;
        changed = ci;
      }
      if (state->read[ci] > 0) last_read = ci;
    }
    if (changed == n) return;
    if (!several && changed >= last_read && ExtendStates(cap, report, *state, changed)) return;
  }
  fr.findings.clear();
  fr.states.clear();

  // SystemInfo: each change into PARTIAL or OUT_OF_SERVICE once.
  std::string said;
  for (const SystemInfoAnswer& si : fr.system_infos) {
    const std::string now = NotInService(si.status) ? si.status + "\n" + si.status_reason : std::string();
    if (!now.empty() && now != said) {
      Finding f = MakeFinding(FindingCode::SystemInfoNotInService, kNoFrame,
                              {{"status", si.status}, {"reason", si.status_reason}});
      f.entry = si.entry;
      fr.findings.push_back(std::move(f));
    }
    said = now;
  }

  // The first notification carrying each requestId, on any connection (earliest in time).
  struct Seen {
    int connection, frame;
    double time;
  };
  std::unordered_map<std::string, Seen> first;
  for (const RestRequest& r : fr.requests)
    if (!r.request_id.empty()) first.emplace(r.request_id, Seen{-1, 0, kNoTime});
  for (size_t ci = 0; ci < report.connections.size() && !first.empty(); ++ci)
    for (const UpdateFact& u : report.connections[ci].updates) {
      if (u.request_id.empty()) continue;
      auto it = first.find(u.request_id);
      if (it == first.end()) continue;
      const double t = FrameTime(cap, int(ci), int(u.frame));
      Seen& s = it->second;
      if (s.connection < 0 || (HasTime(t) && HasTime(s.time) && t < s.time)) s = Seen{int(ci), int(u.frame), t};
    }

  const double capture_end = CaptureEnd(cap);
  for (RestRequest& r : fr.requests) {
    r.has_notification = false;
    auto add = [&](FindingCode code, TextArgs args) {
      Finding f = MakeFinding(code, kNoFrame, std::move(args));
      f.entry = r.entry;
      return &(fr.findings.emplace_back(std::move(f)));
    };
    const std::string errors = ErrorsText(r.errors);
    const TextArgs what = {{"method", r.method}, {"path", r.path}};
    auto with = [&](TextArgs more) {
      TextArgs a = what;
      a.insert(a.end(), more.begin(), more.end());
      return a;
    };
    if (r.status == 401) add(FindingCode::RestUnauthorized, with({{"errors", errors}}));
    else if (r.status == 503) add(FindingCode::RestUnavailable, with({{"errors", errors}}));
    else if (r.status >= 400 || (!r.errors.empty() && r.status != 0))
      add(FindingCode::RestApiError, with({{"status", std::to_string(r.status)}, {"errors", errors}}));

    // A GET changes nothing, so nothing is published for it; without a requestId there is
    // nothing to match.
    if (r.method == "GET" || r.request_id.empty()) continue;
    auto it = first.find(r.request_id);
    if (it != first.end() && it->second.connection >= 0) {
      const Seen& s = it->second;
      r.has_notification = true;
      r.notification.connection = s.connection;
      r.notification.frame = s.frame;
      r.notification.latency_ms = HasTime(s.time) && HasTime(r.time) ? (s.time - r.time) * 1000.0 : kNoTime;
      if (HasTime(r.notification.latency_ms) && r.notification.latency_ms > slow_s * 1000.0)
        add(FindingCode::NotificationSlow,
            with({{"request_id", r.request_id}, {"latency", Seconds(r.notification.latency_ms / 1000.0)}}));
      continue;
    }
    if (r.status < 200 || r.status >= 300) continue;
    std::string node;
    if (StartsWithIgnoreCase(r.path, "/finesse/api/User/")) {
      std::string_view rest = std::string_view(r.path).substr(18);
      node = "/finesse/api/User/" + std::string(rest.substr(0, rest.find('/')));
    }
    Finding* f = add(FindingCode::NotificationNotReceived,
                     with({{"status", std::to_string(r.status)}, {"request_id", r.request_id}, {"node", node}}));
    DescribeChannel(cap, report, r.time, window_s, capture_end, *f);
  }
  std::stable_sort(fr.findings.begin(), fr.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.severity < b.severity; });

  // Agents' states: every connection's changes, merged in time order; a repeat of a user's state
  // and reason (a team notification lists everyone) is not a change.
  struct Pending {
    double time;
    int connection;
    const UpdateFact* fact;
  };
  std::vector<Pending> all;
  double key = -1e300;  // an untimed frame sorts where the frame before it did
  for (size_t ci = 0; ci < report.connections.size(); ++ci)
    for (const UpdateFact& u : report.connections[ci].updates) {
      if (u.users.empty()) continue;
      const double t = FrameTime(cap, int(ci), int(u.frame));
      if (HasTime(t)) key = t;
      all.push_back({key, int(ci), &u});
    }
  std::stable_sort(all.begin(), all.end(), [](const Pending& a, const Pending& b) { return a.time < b.time; });
  UserStateChanges changes;
  for (const Pending& p : all)
    for (const UserState& u : p.fact->users) {
      if (u.login_id.empty() || u.state.empty() || !changes.Changed(u)) continue;
      fr.states.push_back({FrameTime(cap, p.connection, int(p.fact->frame)), u.login_id, u.state, u.reason_code, u.reason_label, p.connection, int(p.fact->frame)});
    }
  if (state) {
    state->valid = true;
    state->changes = std::move(changes);
    state->key = all.empty() ? -1e300 : all.back().time;
    state->read.assign(report.connections.size(), 0);
    for (size_t ci = 0; ci < report.connections.size(); ++ci) state->read[ci] = report.connections[ci].updates.size();
  }
}

}  // namespace fi
