// The Emscripten WebSocket transport for live mode.
#include "live_transport.h"

#include <emscripten/websocket.h>

#include "app.h"

namespace fi::web {

namespace {
EM_BOOL OnOpenCb(int, const EmscriptenWebSocketOpenEvent*, void* user) {
  static_cast<LiveSession*>(user)->OnOpen(EpochSeconds());
  return EM_TRUE;
}
EM_BOOL OnMessageCb(int, const EmscriptenWebSocketMessageEvent* e, void* user) {
  // Text frames carry a NUL the size counts; binary frames are not XMPP over RFC 7395.
  size_t n = e->numBytes;
  if (e->isText && n > 0 && e->data[n - 1] == 0) --n;
  static_cast<LiveSession*>(user)->OnText(EpochSeconds(), reinterpret_cast<const char*>(e->data), n);
  return EM_TRUE;
}
EM_BOOL OnCloseCb(int, const EmscriptenWebSocketCloseEvent* e, void* user) {
  static_cast<LiveSession*>(user)->OnClose(EpochSeconds(), e->code, e->reason);
  return EM_TRUE;
}
EM_BOOL OnErrorCb(int, const EmscriptenWebSocketErrorEvent*, void* user) {
  static_cast<LiveSession*>(user)->OnError(EpochSeconds());
  return EM_TRUE;
}
}  // namespace

LiveSession::LiveSession(LiveOptions options) : m_options(options), m_driver(std::move(options)) {}

LiveSession::~LiveSession() { CloseSocket(1000, "page closed the session"); }

void LiveSession::CloseSocket(int code, const char* reason) {
  if (m_socket <= 0) return;
  emscripten_websocket_close(m_socket, (unsigned short)code, reason);
  emscripten_websocket_delete(m_socket);
  m_socket = 0;
}

void LiveSession::Start(double now) { Execute(now, m_driver.Start(now)); }
void LiveSession::Disconnect(double now) { Execute(now, m_driver.Disconnect(now)); }
void LiveSession::Reconnect(double now) { Execute(now, m_driver.Reconnect(now)); }

void LiveSession::Tick(double now) {
  // Fire what is due; a fired timer may arm others, so collect first.
  std::vector<int> due;
  for (const auto& [id, at] : m_timers)
    if (at <= now) due.push_back(id);
  for (int id : due) {
    m_timers.erase(id);
    Execute(now, m_driver.Timer(now, id));
  }
}

void LiveSession::OnOpen(double now) {
  char protocol[64] = {0};
  emscripten_websocket_get_protocol(m_socket, protocol, sizeof protocol);
  Execute(now, Timed([&] { return m_driver.Opened(now, protocol); }));
}
void LiveSession::OnText(double now, const char* data, size_t size) {
  Execute(now, Timed([&] { return m_driver.Received(now, std::string_view(data, size)); }));
}
void LiveSession::OnClose(double now, int code, const char* reason) {
  if (m_socket > 0) emscripten_websocket_delete(m_socket);
  m_socket = 0;
  Execute(now, m_driver.Closed(now, code, reason ? reason : ""));
}
void LiveSession::OnError(double now) {
  // The browser gives no detail on purpose; the close event that follows carries the code.
  Execute(now, m_driver.Error(now, "the browser reported a WebSocket error"));
}

template <typename F>
LiveDriver::Commands LiveSession::Timed(F&& call) {
  // Our overhead: the driver's own work per event (parsing, deciding, recording), not the
  // browser's WebSocket calls, which any client pays.
  const double started = NowSeconds();
  LiveDriver::Commands out = call();
  m_cpu_ms += (NowSeconds() - started) * 1000.0;
  ++m_events;
  return out;
}

void LiveSession::Execute(double now, LiveDriver::Commands commands) {
  for (LiveCommand& c : commands) {
    switch (c.kind) {
      case LiveCommandKind::Open: {
        CloseSocket(1000, "reconnecting");
        EmscriptenWebSocketCreateAttributes attr;
        emscripten_websocket_init_create_attributes(&attr);
        attr.url = c.text.c_str();
        attr.protocols = "xmpp";
        attr.createOnMainThread = EM_TRUE;
        int ws = emscripten_websocket_new(&attr);
        if (ws <= 0) {
          // A malformed URL throws in the browser before any socket exists.
          Execute(now, m_driver.Closed(now, 1006, "the browser refused the URL"));
          return;
        }
        m_socket = ws;
        emscripten_websocket_set_onopen_callback(ws, this, OnOpenCb);
        emscripten_websocket_set_onmessage_callback(ws, this, OnMessageCb);
        emscripten_websocket_set_onclose_callback(ws, this, OnCloseCb);
        emscripten_websocket_set_onerror_callback(ws, this, OnErrorCb);
        break;
      }
      case LiveCommandKind::Send:
        if (m_socket > 0) emscripten_websocket_send_utf8_text(m_socket, c.text.c_str());
        break;
      case LiveCommandKind::Close:
        // The close event then reports the code, as for a close the server starts.
        if (m_socket > 0) emscripten_websocket_close(m_socket, (unsigned short)c.code, c.text.c_str());
        break;
      case LiveCommandKind::StartTimer:
        m_timers[c.timer] = now + c.seconds;
        break;
      case LiveCommandKind::StopTimer:
        m_timers.erase(c.timer);
        break;
    }
  }
}

}  // namespace fi::web
