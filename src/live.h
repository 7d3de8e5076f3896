// The live login driver, sans-io: it runs the Finesse desktop's login over a WebSocket or a BOSH
// session it does not own. Events go in (opened, text, closed, HTTP answers, timers), commands
// come out (open, send, close, post, abort, timers). The login sequence speaks in stanzas; the
// framing under it (RFC 7395 <open/> and <close/>, or BOSH <body> wrapping with rid, restart and
// terminate) is the only part that knows the transport.
//
// It appends every frame to a capture someone else owns (the workspace), at its own connection
// index, in the shape the importers give a HAR of the same transport, so the checker, the views
// and the exports work unchanged on a live session. The password is masked before anything is
// recorded; it lives only in the options while a login runs.
#pragma once

#include <cstdint>
#include <memory>
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
  // BOSH (XEP-0124): how long the server may hold a request, and how many it may hold.
  int bosh_wait_s = 60;
  int bosh_hold = 1;
  uint64_t bosh_first_rid = 0;  // 0: a random one, as XEP-0124 asks; tests fix it
};

enum class LiveTransport : uint8_t { WebSocket, Bosh, Unknown };
// ws: and wss: are WebSocket; http: and https: ending in /http-bind/ (or /http-bind) are BOSH.
LiveTransport LiveTransportOf(std::string_view url);
const char* LiveTransportName(LiveTransport t);  // "websocket", "bosh", ""

// Open, Send and Close drive a WebSocket; Post and Abort drive BOSH's HTTP requests.
enum class LiveCommandKind : uint8_t { Open, Send, Close, StartTimer, StopTimer, Post, Abort };

struct LiveCommand {
  LiveCommandKind kind;
  std::string text;  // Open: the URL; Send: the frame; Close: the reason; Post: the <body>
  int code = 0;      // Close: the close code; Post: the request's id, which Answered() names
  int timer = 0;     // StartTimer/StopTimer: which timer
  double seconds = 0;
};

// Timers the driver arms; the transport calls Timer() with the id when one fires.
enum LiveTimer : int { kStepTimer = 1, kPingTimer = 2, kPingTimeout = 3, kReconnectTimer = 4, kCloseTimer = 5,
                       kHttpTimer = 6 };

// How a BOSH request failed without an HTTP answer, as the page's fetch() tells it.
enum class HttpFailure : uint8_t {
  Network,        // fetch() rejected, and a no-cors probe of the same URL failed too
  OriginRefused,  // fetch() rejected, but the server answered a no-cors probe: CORS refused this page's origin
  Aborted,        // we cancelled it (a timeout or the end of the session)
};

enum class LivePhase : uint8_t { Idle, Connecting, Opening, Authenticating, Restarting, Binding, WaitingFinesse,
                                 Subscribing, Live, Closing, Closed, Count };
const char* LivePhaseName(LivePhase p);

class LiveDriver {
 public:
  using Commands = std::vector<LiveCommand>;
  // Records into `capture`, which must outlive the driver; each Start() appends a connection.
  LiveDriver(LiveOptions options, Capture& capture);
  explicit LiveDriver(LiveOptions options);  // records into a capture of its own (tests)
  ~LiveDriver();
  LiveDriver(const LiveDriver&) = delete;
  LiveDriver& operator=(const LiveDriver&) = delete;

  Commands Start(double now);
  // WebSocket events.
  Commands Opened(double now, std::string_view protocol);
  Commands Received(double now, std::string_view text);
  Commands Closed(double now, int code, std::string_view reason);
  Commands Error(double now, std::string_view what);
  // BOSH events: the HTTP answer to Post `request` (status 200 with a <body>, or another status),
  // or its failure with no answer.
  Commands Answered(double now, int request, int status, std::string_view body);
  Commands Failed(double now, int request, HttpFailure why, std::string_view what);
  Commands Timer(double now, int timer);
  Commands Disconnect(double now);  // unsubscribe, then <close/> or a BOSH terminate
  Commands Reconnect(double now);   // a new connection in the same capture
  // Ends the session at once, for a new test: unsubscribe, close the stream, and record the end
  // without waiting for the server (the transport is closed right after these commands).
  Commands Stop(double now);

  LiveTransport Transport() const { return m_transport; }
  const LiveOptions& Options() const { return m_options; }
  LivePhase Phase() const { return m_phase; }
  // The sequence has passed (every required step) or failed; a login attempt is over.
  bool SequenceDone() const { return m_done; }
  bool SequencePassed() const { return m_passed; }
  const std::string& Outcome() const { return m_outcome; }  // what happened, in words
  const Capture& GetCapture() const { return *m_capture; }
  // The connection this driver records into now (its latest), in the capture.
  size_t ConnectionIndex() const { return m_conn; }
  uint64_t Revision() const { return m_revision; }  // +1 whenever the capture changes
  size_t Notifications() const { return m_notifications; }
  int MissedPings() const { return m_missed_pings; }
  // What only a live run knows (close codes, browser failures before any frame, timeouts), each
  // with the capture's connection index, in the order they were found.
  struct LiveFinding {
    size_t connection;
    Finding finding;
  };
  const std::vector<LiveFinding>& LiveFindings() const { return m_findings; }
  // The checker's report on the whole capture, with the live findings added (tests, the CLI).
  Report MakeReport() const;

 private:
  void Init();
  Connection& Conn() { return m_capture->connections[m_conn]; }
  void Record(double now, Direction dir, std::string_view text, uint8_t op = opcode::kText);
  // The framing under the login: a stream (re)start, a stanza, the stream's end.
  Commands StreamOpen(double now);
  Commands SendStanza(double now, std::string text);
  Commands StreamClose(double now);
  Commands Send(double now, std::string text);  // one WebSocket message, recorded masked
  // BOSH: posts what is queued (or an empty poll) while fewer than `requests` are out.
  Commands Pump(double now);
  Commands Post(double now, std::string attributes, const std::vector<std::string>& stanzas);
  Commands BoshEnded(double now, bool abnormal);
  Commands OnFrames(double now, size_t first);
  Commands Step(LivePhase next, std::string waiting_for);
  Commands Fail(double now, std::string why, bool close);
  void Finish(bool passed, std::string outcome);
  void AddFinding(Finding f);
  Commands OnStanza(double now, std::string_view text);
  std::string Host() const;

  LiveOptions m_options;
  LiveTransport m_transport;
  std::unique_ptr<Capture> m_own;  // only when no capture was given
  Capture* m_capture;
  size_t m_conn = 0;
  std::vector<LiveFinding> m_findings;
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

  // BOSH session state.
  struct Outstanding {
    int request;
    uint64_t rid;
    bool terminate;
    size_t exchange;  // in the connection's http list
  };
  std::string m_sid;
  uint64_t m_rid = 0;
  int m_next_request = 0, m_requests = 2;
  std::vector<Outstanding> m_out;      // requests posted and not answered, oldest first
  std::vector<std::string> m_queue;    // stanzas waiting for a request
  bool m_restart_pending = false, m_terminate_pending = false, m_terminated = false;
  bool m_bosh_answered = false;  // any HTTP answer in this session
};

// A capture as a Chrome-style HAR (WebInspector, `_webSocketMessages` with epoch-second times),
// so a live session can be saved, shared and re-imported to the same analysis.
std::string WriteHar(const Capture& capture);

}  // namespace fi
