// The Emscripten WebSocket and the fetch() BOSH transports for live mode.
#include "live_transport.h"

#include <emscripten.h>
#include <emscripten/websocket.h>

#include "app.h"

namespace fi::web {

namespace {

class WebSocketIo : public LiveIo {
 public:
  explicit WebSocketIo(LiveHost& host) : m_host(host) {}
  ~WebSocketIo() override { CloseSocket(1000, "a new test started"); }

  void Execute(const LiveCommand& c) override {
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
          m_host.Closed(EpochSeconds(), 1006, "the browser refused the URL");
          return;
        }
        m_socket = ws;
        emscripten_websocket_set_onopen_callback(ws, this, OnOpen);
        emscripten_websocket_set_onmessage_callback(ws, this, OnMessage);
        emscripten_websocket_set_onclose_callback(ws, this, OnClose);
        emscripten_websocket_set_onerror_callback(ws, this, OnError);
        break;
      }
      case LiveCommandKind::Send:
        if (m_socket > 0) emscripten_websocket_send_utf8_text(m_socket, c.text.c_str());
        break;
      case LiveCommandKind::Close:
        // The close event then reports the code, as for a close the server starts.
        if (m_socket > 0) emscripten_websocket_close(m_socket, (unsigned short)c.code, c.text.c_str());
        break;
      default:
        break;
    }
  }

 private:
  void CloseSocket(int code, const char* reason) {
    if (m_socket <= 0) return;
    // delete drops the callbacks: nothing of this socket reaches the host after this.
    emscripten_websocket_close(m_socket, (unsigned short)code, reason);
    emscripten_websocket_delete(m_socket);
    m_socket = 0;
  }
  static EM_BOOL OnOpen(int, const EmscriptenWebSocketOpenEvent*, void* user) {
    auto* self = static_cast<WebSocketIo*>(user);
    char protocol[64] = {0};
    emscripten_websocket_get_protocol(self->m_socket, protocol, sizeof protocol);
    self->m_host.Opened(EpochSeconds(), protocol);
    return EM_TRUE;
  }
  static EM_BOOL OnMessage(int, const EmscriptenWebSocketMessageEvent* e, void* user) {
    // Text frames carry a NUL the size counts; binary frames are not XMPP over RFC 7395.
    size_t n = e->numBytes;
    if (e->isText && n > 0 && e->data[n - 1] == 0) --n;
    static_cast<WebSocketIo*>(user)->m_host.Received(EpochSeconds(), std::string_view(reinterpret_cast<const char*>(e->data), n));
    return EM_TRUE;
  }
  static EM_BOOL OnClose(int, const EmscriptenWebSocketCloseEvent* e, void* user) {
    auto* self = static_cast<WebSocketIo*>(user);
    if (self->m_socket > 0) emscripten_websocket_delete(self->m_socket);
    self->m_socket = 0;
    self->m_host.Closed(EpochSeconds(), e->code, e->reason);
    return EM_TRUE;
  }
  static EM_BOOL OnError(int, const EmscriptenWebSocketErrorEvent*, void* user) {
    // The browser gives no detail on purpose; the close event that follows carries the code.
    static_cast<WebSocketIo*>(user)->m_host.Error(EpochSeconds(), "the browser reported a WebSocket error");
    return EM_TRUE;
  }
  LiveHost& m_host;
  int m_socket = 0;
};

EM_JS(void, JsBoshPost, (int token, int request, const char* url, const char* body),
      { Module.finesse.boshPost(token, request, UTF8ToString(url), UTF8ToString(body)); });
EM_JS(void, JsBoshAbort, (int token, int request), { Module.finesse.boshAbort(token, request); });

// BOSH over fetch(). Answers arrive through fi_bosh_answer/fi_bosh_failed with this transport's
// token; a transport that was replaced has no token any more, so late answers are dropped.
class BoshIo : public LiveIo {
 public:
  explicit BoshIo(LiveHost& host) : m_host(host), m_token(++s_tokens) { s_current = this; }
  ~BoshIo() override {
    if (s_current == this) s_current = nullptr;
  }
  void Execute(const LiveCommand& c) override {
    if (c.kind == LiveCommandKind::Post && m_host.Driver())
      JsBoshPost(m_token, c.code, m_host.Driver()->Options().url.c_str(), c.text.c_str());
    else if (c.kind == LiveCommandKind::Abort) JsBoshAbort(m_token, c.code);
  }
  static BoshIo* For(int token) { return s_current && s_current->m_token == token ? s_current : nullptr; }
  LiveHost& Host() { return m_host; }

 private:
  LiveHost& m_host;
  int m_token;
  static inline int s_tokens = 0;
  static inline BoshIo* s_current = nullptr;
};

}  // namespace

std::unique_ptr<LiveIo> MakePageIo(LiveHost& host, LiveTransport transport) {
  if (transport == LiveTransport::Bosh) return std::make_unique<BoshIo>(host);
  return std::make_unique<WebSocketIo>(host);
}

}  // namespace fi::web

extern "C" {

// The answer to a BOSH request (status and body), from the page's fetch().
EMSCRIPTEN_KEEPALIVE void fi_bosh_answer(int token, int request, int status, const char* body, size_t size) {
  if (auto* io = fi::web::BoshIo::For(token))
    io->Host().Answered(fi::web::EpochSeconds(), request, status, std::string_view(body ? body : "", body ? size : 0));
}

// A BOSH request that got no HTTP answer. why: 0 network, 1 the origin refused (CORS), 2 aborted.
EMSCRIPTEN_KEEPALIVE void fi_bosh_failed(int token, int request, int why, const char* what) {
  if (auto* io = fi::web::BoshIo::For(token))
    io->Host().Failed(fi::web::EpochSeconds(), request, why == 1 ? fi::HttpFailure::OriginRefused : why == 2 ? fi::HttpFailure::Aborted : fi::HttpFailure::Network,
                      what ? what : "");
}

}  // extern "C"
