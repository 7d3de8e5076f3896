// The expected-sequence checker: credits each step of the Finesse login from the evidence that
// proves it (a table, see kRules in checker.cpp), wherever in the capture that evidence sits, and
// reports step statuses, a verdict and findings that point at frames.
//
// It is incremental: Step() feeds the frames it has not seen yet (the capture may have grown
// since, as it does in live mode), and Current() reports at any moment without re-reading them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "capture.h"
#include "findings.h"
#include "finesse_rest.h"
#include "xmpp.h"

namespace fi {

enum class StepStatus : uint8_t { Passed, Failed, Missing, Skipped, NotCaptured, Count };
enum class Verdict : uint8_t { Healthy, Failed, Incomplete, Count };
// Why the verdict is what it is, for headlines.
enum class VerdictReason : uint8_t { None, AllPassed, StepFailed, ErrorFound, MissingStep, Pending, MidSession,
                                     NoFrames, NotXmpp, Count };

const char* StepName(StepId id, Transport t);  // "upgrade", or "session" for BOSH
const char* StepExpectation(StepId id, Transport t);
bool StepRequired(StepId id);
const char* StepStatusName(StepStatus s);  // "passed", "failed", "missing", "skipped", "not-captured"
const char* VerdictName(Verdict v);

struct StepResult {
  StepId id = StepId::Upgrade;
  StepStatus status = StepStatus::Missing;
  int frame = kNoFrame;          // the answer (or the request, when unanswered), 0-based
  int request_frame = kNoFrame;  // what the client sent, 0-based
  double t_ms = kNoTime;         // offset of `frame` from the connection's start
  double latency_ms = kNoTime;   // request to answer
  Detail detail;
};

// What a frame is, for views and filters: the model says it, the views never guess.
namespace frame_flag {
constexpr uint8_t kErrorStanza = 1;  // a stream error, SASL failure, iq error, error frame, unreadable frame
constexpr uint8_t kFinding = 2;      // a finding (not info) points at it
constexpr uint8_t kStep = 4;         // the evidence a step was credited from
constexpr uint8_t kPing = 8;         // the client's XEP-0199 ping
constexpr uint8_t kProblem = kErrorStanza | kFinding;
}  // namespace frame_flag

struct ConnectionReport {
  const Connection* connection = nullptr;
  int index = 0;  // position in the capture
  bool is_xmpp = true;
  bool ended = false;  // closed, errored or replaced, as opposed to cut off by the capture's end
  Verdict verdict = Verdict::Incomplete;
  VerdictReason reason = VerdictReason::None;
  std::vector<StepResult> steps;  // one per StepId, in order
  std::vector<Finding> findings;  // by severity, then frame
  std::string domain;             // the stream's `to`
  std::string jid;                // bound full JID
  size_t notification_count = 0;
  std::map<std::string, size_t> notifications_by_node;
  std::vector<StanzaKind> kinds;  // per frame
  std::vector<uint8_t> flags;     // per frame, frame_flag bits
  std::vector<uint32_t> ping_frames;  // the client's XEP-0199 pings, for the timeline
  std::vector<UpdateFact> updates;    // notifications with a requestId or users' state changes

  bool IsProblem(size_t frame) const { return frame < flags.size() && (flags[frame] & frame_flag::kProblem); }
};

struct Report {
  const Capture* capture = nullptr;
  std::vector<ConnectionReport> connections;
  FinesseReport finesse;  // the REST side of a HAR, linked to the connections' notifications
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

class Checker {
 public:
  explicit Checker(const Capture& capture, const CheckOptions& options = {});
  ~Checker();
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;
  // Feeds up to `frame_budget` frames not seen yet, in new connections or appended to known
  // ones; true when every frame of the capture has been fed.
  bool Step(size_t frame_budget);
  double Progress() const;  // 0 to 1
  // The report as of the frames fed so far. Per-frame data grows as frames are fed; steps,
  // verdicts and findings are re-derived from the checker's state, never from the frames.
  const Report& Current();
  Report Take();  // feeds the rest first
  // A fact the capture cannot show (a live run's close code, timeout or refused origin), added to
  // the connection's findings and verdict from the next Current() on.
  void AddFinding(size_t connection, Finding finding);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace fi
