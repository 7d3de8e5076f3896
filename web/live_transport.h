// The browser's WebSocket (emscripten/websocket.h) as a thin transport for the sans-io
// LiveDriver: it executes the driver's commands and feeds the socket's events back.
#pragma once

#include <map>
#include <memory>

#include "live.h"

namespace fi::web {

class LiveSession {
 public:
  explicit LiveSession(LiveOptions options);
  ~LiveSession();
  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;

  void Start(double now);
  void Disconnect(double now);
  void Reconnect(double now);
  void Tick(double now);  // fires due timers
  const LiveDriver& Driver() const { return m_driver; }
  const LiveOptions& Options() const { return m_options; }
  // CPU time the driver spends per socket event (opened, text): our overhead.
  double CpuMsPerEvent() const { return m_events ? m_cpu_ms / double(m_events) : 0; }
  size_t Events() const { return m_events; }

  // Socket events (called from the Emscripten callbacks).
  void OnOpen(double now);
  void OnText(double now, const char* data, size_t size);
  void OnClose(double now, int code, const char* reason);
  void OnError(double now);

 private:
  void Execute(double now, LiveDriver::Commands commands);
  template <typename F>
  LiveDriver::Commands Timed(F&& call);
  void CloseSocket(int code, const char* reason);
  LiveOptions m_options;
  LiveDriver m_driver;
  int m_socket = 0;
  std::map<int, double> m_timers;  // timer id -> when it fires
  double m_cpu_ms = 0;
  size_t m_events = 0;
};

}  // namespace fi::web
