// Finesse's REST side, read beside the socket: the SystemInfo answers and the desktop's REST
// calls in a HAR, each request matched by its requestId to the notification that should follow,
// and the agents' states from the notifications. A request accepted by REST whose notification
// never came is the lost notification an agent reports.
//
// The checker owns the order: it reads the REST calls once (ReadRest), uses the SystemInfo
// answers for its per-connection findings, and links requests to notifications on every
// refresh (LinkFinesse) from facts it gathered while feeding frames, never by re-reading them.
#pragma once

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "capture.h"
#include "findings.h"
#include "finesse_update.h"

namespace fi {

struct Report;

struct SystemInfoAnswer {
  int entry = -1;
  double time = kNoTime;  // the request's start
  std::string status, status_reason, xmpp_domain, pubsub_domain;
  std::string primary, secondary;  // hosts; empty when the answer names none
};

// A notification's facts the REST side needs, gathered by the checker as frames are fed.
struct UpdateFact {
  uint32_t frame = 0;
  std::string request_id;       // empty: unsolicited
  std::vector<UserState> users;  // state changes it carries
};

// Each user's last state and reason code: a repeat (a team notification lists every member) is
// not a change.
class UserStateChanges {
 public:
  bool Changed(const UserState& u);

 private:
  std::unordered_map<std::string, std::pair<std::string, std::string>> m_last;
};

struct NotificationRef {
  int connection = 0;  // 0-based
  int frame = 0;       // 0-based
  uint32_t line = 0;   // a desktop log's line (1-based) instead of connection and frame
  double latency_ms = kNoTime;
};

struct RestRequest {
  int entry = -1;
  uint32_t line = 0;  // a desktop log's line (1-based) instead of a HAR entry
  double time = kNoTime;
  std::string method;  // upper-case
  std::string path;    // without query (nocache) or fragment
  int status = 0;
  bool has_request_id = false;
  std::string request_id;
  std::vector<ApiError> errors;  // from an ApiErrors body
  bool has_notification = false;
  NotificationRef notification;
};

struct AgentState {
  double time = kNoTime;
  std::string user, state, reason_code, reason_label;
  int connection = 0;  // 0-based
  int frame = 0;       // 0-based
  uint32_t line = 0;   // a desktop log's line instead
};

// What a desktop client log says of the notification connection.
struct StatusChange {
  double time = kNoTime;
  std::string status;  // connecting, connected, disconnected, reconnecting, recovered, failing, ...
  uint32_t line = 0;
};
struct DesktopFacts {
  bool present = false;
  std::string host;
  std::string transport;  // "websocket", "bosh" or ""
  double clock_drift_ms = kNoTime;
  std::vector<StatusChange> status_changes;
  size_t notification_count = 0;
  std::vector<std::pair<std::string, size_t>> notifications_by_node;  // in order of first appearance
  std::vector<std::string> subscriptions;
};

struct FinesseReport {
  std::vector<SystemInfoAnswer> system_infos;  // every SystemInfo answer, in HAR order
  std::vector<RestRequest> requests;
  std::vector<AgentState> states;  // changes only, in time order
  std::vector<Finding> findings;   // REST-side findings (with `entry`, or `line`), by severity
  DesktopFacts desktop;            // set when the input is a desktop client log

  const SystemInfoAnswer* Last() const { return system_infos.empty() ? nullptr : &system_infos.back(); }
  // The last answer that came before `time` (the one a connection opened then was based on).
  const SystemInfoAnswer* Before(double time) const;
  bool HasProblem() const;  // an error or warning finding
  bool Empty() const { return system_infos.empty() && requests.empty() && states.empty() && !desktop.present; }
};

// Reads the capture's REST calls: requests, their ApiErrors and the SystemInfo answers.
FinesseReport ReadRest(const Capture& capture);

// Matches requests to notifications, rebuilds the state timeline and the REST findings from the
// connections' update facts and verdicts. Safe to call again as the report grows.
// What LinkFinesse has read of the connections' updates, so that the next call reads only the new
// ones when it can: with no REST calls to match (live mode), new notifications on the newest
// connection only extend the state timeline. Anything else reads everything again.
struct FinesseLinkState {
  std::vector<size_t> read;  // per connection: updates read
  UserStateChanges changes;
  double key = -1e300;       // the time the last update read sorted at
  bool valid = false;
};

void LinkFinesse(const Capture& capture, Report& report, double notification_slow_s = 5,
                 double channel_window_s = 10, FinesseLinkState* state = nullptr);

}  // namespace fi
