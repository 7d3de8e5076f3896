// The live login driver, sans-io: it runs the Finesse desktop's login over a WebSocket it does
// not own. Events go in (opened, text, closed, error, timer), commands come out (open, send,
// close, timers). It records every frame into the same capture model the importers fill, so
// the checker, the views and the exports work unchanged on a live session. The password is
// masked before anything is recorded; it lives only in the options while a login runs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "capture.h"
#include "checker.h"

namespace fi {

struct LiveOptions {
  std::string url = "wss://host:8445/ws/";
  std::string domain;
  std::string pubsub_domain;  // "" means pubsub.<domain>
  std::string user;
  std::string password;
  std::string resource = "inspector";
  std::string team;             // "" means no team subscription
  double step_timeout_s = 10;   // per step
  double ping_interval_s = 10;  // the desktop pings every 10 s; 0 turns pings off
  double ping_timeout_s = 10;
  int reconnects = 3;           // after an abnormal close, as the desktop does; 0 turns it off
};

enum class LiveCommandKind : uint8_t { Open, Send, Close, StartTimer, StopTimer };

struct LiveCommand {
  LiveCommandKind kind;
  std::string text;  // Open: the URL; Send: the frame; Close: the reason
  int code = 0;      // Close: the close code
  int timer = 0;     // StartTimer/StopTimer: which timer
  double seconds = 0;
};

// Timers the driver arms; the transport calls Timer() with the id when one fires.
enum LiveTimer : int { kStepTimer = 1, kPingTimer = 2, kPingTimeout = 3, kReconnectTimer = 4, kCloseTimer = 5 };

enum class LivePhase : uint8_t { Idle, Connecting, Opening, Authenticating, Restarting, Binding, WaitingFinesse,
                                 Subscribing, Live, Closing, Closed, Count };
const char* LivePhaseName(LivePhase p);

class LiveDriver {
 public:
  using Commands = std::vector<LiveCommand>;
  explicit LiveDriver(LiveOptions options);

  Commands Start(double now);
  Commands Opened(double now, std::string_view protocol);
  Commands Received(double now, std::string_view text);
  Commands Closed(double now, int code, std::string_view reason);
  Commands Error(double now, std::string_view what);
  Commands Timer(double now, int timer);
  Commands Disconnect(double now);  // unsubscribe, then <close/>
  Commands Reconnect(double now);   // a new connection in the same capture

  LivePhase Phase() const { return m_phase; }
  // The sequence has passed (every required step) or failed; a login attempt is over.
  bool SequenceDone() const { return m_done; }
  bool SequencePassed() const { return m_passed; }
  const std::string& Outcome() const { return m_outcome; }  // what happened, in words
  const Capture& GetCapture() const { return m_capture; }
  uint64_t Revision() const { return m_revision; }  // +1 whenever the capture changes
  size_t Notifications() const { return m_notifications; }
  int MissedPings() const { return m_missed_pings; }
  // What only a live run knows: close codes, browser failures before any frame, timeouts.
  const std::vector<Finding>& LiveFindings(size_t connection) const;
  // The checker's report on the capture, with the live findings added.
  Report MakeReport() const;

 private:
  Connection& Conn() { return m_capture.connections.back(); }
  void Record(double now, Direction dir, std::string_view text, uint8_t op = opcode::kText);
  Commands Send(double now, std::string text);
  Commands Step(LivePhase next, std::string waiting_for);
  Commands Fail(double now, std::string why, bool close);
  void Finish(bool passed, std::string outcome);
  void AddFinding(Finding f);
  Commands OnStanza(double now, std::string_view text);
  std::string Host() const;

  LiveOptions m_options;
  Capture m_capture;
  std::vector<std::vector<Finding>> m_findings;  // per connection
  LivePhase m_phase = LivePhase::Idle;
  std::string m_waiting_for;
  std::string m_jid;
  std::vector<std::string> m_pending_subscribes;  // iq ids still unanswered
  std::vector<std::string> m_subscribed;          // nodes, for the unsubscribe on Disconnect
  bool m_done = false, m_passed = false, m_opened = false, m_closing = false, m_passed_once = false;
  std::string m_outcome;
  uint64_t m_revision = 0;
  size_t m_notifications = 0;
  int m_ping_seq = 0, m_missed_pings = 0, m_reconnects_left = 0;
  std::string m_ping_id;
  double m_step_started = 0;
};

// A capture as a Chrome-style HAR (WebInspector, `_webSocketMessages` with epoch-second times),
// so a live session can be saved, shared and re-imported to the same analysis.
std::string WriteHar(const Capture& capture);

}  // namespace fi
