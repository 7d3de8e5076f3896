// The expected-sequence checker: walks each connection's frames against the Finesse login
// sequence (a table, see kSteps in checker.cpp) and returns step statuses, a verdict and findings
// that point at frames.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "capture.h"
#include "xmpp.h"

namespace fi {

// The step ids are part of the public output, in this order.
enum class StepId : uint8_t { Upgrade, Open, Auth, Restart, Bind, Presence, FinessePresence,
                              SubscribeUser, SubscribeTeam, Notifications, Count };
enum class StepStatus : uint8_t { Passed, Failed, Missing, Skipped, Count };
enum class Severity : uint8_t { Error, Warning, Info, Count };
enum class Verdict : uint8_t { Healthy, Failed, Incomplete, Count };

const char* StepName(StepId id, Transport t);  // "upgrade", or "session" for BOSH
const char* StepExpectation(StepId id, Transport t);
bool StepRequired(StepId id);
const char* StepStatusName(StepStatus s);
const char* SeverityName(Severity s);
const char* VerdictName(Verdict v);

constexpr int kNoFrame = -1;

struct StepResult {
  StepId id = StepId::Upgrade;
  StepStatus status = StepStatus::Missing;
  int frame = kNoFrame;          // the answer (or the request, when unanswered), 0-based
  int request_frame = kNoFrame;  // what the client sent, 0-based
  double t_ms = kNoTime;         // offset of `frame` from the connection's start
  double latency_ms = kNoTime;   // request to answer
  std::string detail;
};

struct Finding {
  Severity severity = Severity::Info;
  std::string code;  // stable kebab-case
  int frame = kNoFrame;
  std::string message;
  std::string hint;
};

struct ConnectionReport {
  const Connection* connection = nullptr;
  int index = 0;  // position in the capture
  bool is_xmpp = true;
  bool ended = false;  // closed, errored or replaced, as opposed to cut off by the capture's end
  Verdict verdict = Verdict::Incomplete;
  std::vector<StepResult> steps;  // one per StepId, in order
  std::vector<Finding> findings;  // by severity, then frame
  std::string domain;             // the stream's `to`
  std::string jid;                // bound full JID
  size_t notification_count = 0;
  std::map<std::string, size_t> notifications_by_node;
  std::vector<StanzaKind> kinds;  // per frame, for views and filters
  std::vector<uint32_t> ping_frames;  // the client's XEP-0199 pings, for the timeline
};

struct Report {
  const Capture* capture = nullptr;
  std::vector<ConnectionReport> connections;
  bool AllHealthy() const;  // true only when there is at least one XMPP connection
  size_t XmppConnections() const;
};

struct CheckOptions {
  double ping_timeout_s = 10;   // the desktop's ping timeout
  double step_timeout_s = 10;   // how long a missing step may be awaited before it counts as failed
  bool reveal_secrets = false;  // show the SASL password in step details
};

// Checks a whole capture at once.
Report Check(const Capture& capture, const CheckOptions& options = {});

// The same check in slices of frames, so a page can stay responsive on a million frames.
class Checker {
 public:
  explicit Checker(const Capture& capture, const CheckOptions& options = {});
  ~Checker();
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;
  bool Step(size_t frame_budget);  // true when done
  double Progress() const;         // 0 to 1
  Report Take();                   // finishes first if needed

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace fi
