// The page's live session, sans-io: one driver at a time over the workspace's live capture, the
// timers, and the hand-over when a new test starts while one runs. The transport (the page's
// WebSocket or fetch(), or a test's script) only executes commands and reports events; the
// same code runs natively under the sanitizers and in the page.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "live.h"
#include "workspace.h"

namespace fi {

// What a transport does: Open, Send and Close a WebSocket, or Post and Abort BOSH requests.
// Timers are not its business: the host keeps them.
class LiveIo {
 public:
  virtual ~LiveIo() = default;
  virtual void Execute(const LiveCommand& command) = 0;
};

class LiveHost {
 public:
  using MakeIo = std::function<std::unique_ptr<LiveIo>(LiveHost& host, LiveTransport transport)>;
  LiveHost(Workspace& workspace, MakeIo make_io);
  ~LiveHost();
  LiveHost(const LiveHost&) = delete;
  LiveHost& operator=(const LiveHost&) = delete;

  // What is wrong with the options, or "" when they can start a test.
  static std::string Validate(const LiveOptions& options);
  // Starts a test. A session still running (or waiting to reconnect) is stopped first, cleanly
  // (unsubscribe, close), and stays on screen as an ended connection; the new one appends. Once
  // the last session has ended, a test starts a new live capture.
  std::string Connect(LiveOptions options, double now);
  void Disconnect(double now);  // unsubscribe, close, and wait for the server's answer
  void Reconnect(double now);   // the ended session again, as a new connection of the same capture
  // Ends the session at once and lets go of it (another input is being loaded).
  void Stop(double now);
  // Fires due timers and hands what changed to the workspace. Once per frame.
  void Tick(double now);
  // Hands what changed to the workspace now (a report asked for between frames).
  void Refresh() { Publish(); }
  uint64_t Sessions() const { return m_sessions; }  // tests started so far

  bool Active() const;  // a session runs, or waits to reconnect
  const LiveDriver* Driver() const { return m_driver.get(); }
  // Our own CPU time: the driver's work per transport event, and the checker's per refresh.
  double CpuMs() const { return m_cpu_ms; }
  size_t Events() const { return m_events; }

  // Transport events, for the current session's transport only.
  void Opened(double now, std::string_view protocol);
  void Received(double now, std::string_view text);
  void Closed(double now, int code, std::string_view reason);
  void Error(double now, std::string_view what);
  void Answered(double now, int request, int status, std::string_view body);
  void Failed(double now, int request, HttpFailure why, std::string_view what);

 private:
  void Execute(double now, LiveDriver::Commands commands);
  template <typename F>
  void Timed(double now, F&& call);
  void Publish();

  Workspace& m_workspace;
  MakeIo m_make_io;
  std::unique_ptr<LiveDriver> m_driver;
  std::unique_ptr<LiveIo> m_io;
  std::map<int, double> m_timers;  // timer id -> when it fires
  size_t m_findings_published = 0;
  uint64_t m_published_revision = ~0ull;
  double m_cpu_ms = 0;
  size_t m_events = 0;
  double m_now = 0;
  uint64_t m_sessions = 0;  // the latest time seen, for a stop with no clock at hand
};

}  // namespace fi
