// The live login driver and the HAR writer for live sessions.
#include "live.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <random>

#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "bosh.h"
#include "redact.h"
#include "text_util.h"
#include "xmpp.h"

namespace fi {

const char* LivePhaseName(LivePhase p) {
  static const char* const names[] = {"idle",     "connecting",      "opening",     "authenticating",
                                      "restarting", "binding",       "waiting-finesse", "subscribing",
                                      "live",     "closing",         "closed"};
  static_assert(std::size(names) == size_t(LivePhase::Count));
  return names[size_t(p)];
}

namespace {
const char* const kFraming = "urn:ietf:params:xml:ns:xmpp-framing";
// RFC 7395: over the WebSocket framing, every stanza names jabber:client itself (Prosody closes
// the stream with unsupported-stanza-type otherwise).
const char* const kClient = " xmlns='jabber:client'";

// Escapes text for an XML attribute or element.
std::string Xml(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}
}  // namespace

LiveTransport LiveTransportOf(std::string_view url) {
  if (StartsWithIgnoreCase(url, "ws://") || StartsWithIgnoreCase(url, "wss://")) return LiveTransport::WebSocket;
  if (StartsWithIgnoreCase(url, "http://") || StartsWithIgnoreCase(url, "https://")) {
    std::string_view path = url.substr(0, url.find_first_of("?#"));
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    if (path.size() >= 10 && EqualsIgnoreCase(path.substr(path.size() - 10), "/http-bind")) return LiveTransport::Bosh;
  }
  return LiveTransport::Unknown;
}

const char* LiveTransportName(LiveTransport t) {
  return t == LiveTransport::WebSocket ? "websocket" : t == LiveTransport::Bosh ? "bosh" : "";
}

namespace {
const char* const kHttpBind = "http://jabber.org/protocol/httpbind";
const char* const kXbosh = "urn:xmpp:xbosh";

uint64_t FirstRid(uint64_t fixed) {
  if (fixed) return fixed;
  // XEP-0124: a random start, far enough below 2^53 that it never overflows in a session.
  std::random_device rd;
  return ((uint64_t(rd()) << 20) ^ rd()) % 4000000000000ull + 1000000ull;
}
}  // namespace

LiveDriver::LiveDriver(LiveOptions options, Capture& capture)
    : m_options(std::move(options)), m_transport(LiveTransportOf(m_options.url)), m_capture(&capture) {
  Init();
}

LiveDriver::LiveDriver(LiveOptions options)
    : m_options(std::move(options)),
      m_transport(LiveTransportOf(m_options.url)),
      m_own(std::make_unique<Capture>()),
      m_capture(m_own.get()) {
  Init();
}

void LiveDriver::Init() {
  if (m_options.pubsub_domain.empty()) m_options.pubsub_domain = "pubsub." + m_options.domain;
  if (m_capture->format.empty()) {
    m_capture->format = "live";
    m_capture->producer = "Finesse Inspector live session";
  }
  m_reconnects_left = m_options.reconnects;
}


LiveDriver::~LiveDriver() = default;

std::string LiveDriver::Host() const { return HostPortOf(m_options.url); }

// Live times are kept to the microsecond, as the saved HAR writes them, so the live report and
// the report of its re-imported HAR round every offset the same way.
static double ToMicroseconds(double t) { return std::round(t * 1e6) / 1e6; }

void LiveDriver::Record(double now, Direction dir, std::string_view text, uint8_t op) {
  Frame f;
  f.dir = dir;
  f.opcode = op;
  f.time = ToMicroseconds(now);
  f.payload = m_capture->Keep(std::string(text));
  f.source_index = uint32_t(Conn().frames.size());
  Conn().frames.push_back(f);
  ++m_revision;
}

LiveDriver::Commands LiveDriver::Send(double now, std::string text) {
  // Only the masked form is ever recorded: the capture must never hold the password.
  auto masked = RedactFrame(text);
  Record(now, Direction::Sent, masked ? std::string_view(*masked) : std::string_view(text));
  return {{LiveCommandKind::Send, std::move(text)}};
}

// [SECTION] Framing: the only part that knows WebSocket from BOSH

LiveDriver::Commands LiveDriver::StreamOpen(double now) {
  if (m_transport != LiveTransport::Bosh)
    return Send(now, std::string("<open xmlns='") + kFraming + "' to='" + Xml(m_options.domain) + "' version='1.0'/>");
  if (m_sid.empty()) {
    // XEP-0206 session request: the first request, with no sid.
    return Post(now,
                " content='text/xml; charset=utf-8' hold='" + std::to_string(m_options.bosh_hold) + "' to='" +
                    Xml(m_options.domain) + "' ver='1.6' wait='" + std::to_string(m_options.bosh_wait_s) +
                    "' xml:lang='en' xmpp:version='1.0' xmlns:xmpp='" + kXbosh + "'",
                {});
  }
  m_restart_pending = true;  // XEP-0206 restart after SASL, in the next request
  return Pump(now);
}

LiveDriver::Commands LiveDriver::SendStanza(double now, std::string text) {
  if (m_transport != LiveTransport::Bosh) return Send(now, std::move(text));
  m_queue.push_back(std::move(text));
  return Pump(now);
}

LiveDriver::Commands LiveDriver::StreamClose(double now) {
  if (m_transport != LiveTransport::Bosh) return Send(now, std::string("<close xmlns='") + kFraming + "'/>");
  if (m_sid.empty() || m_terminated) return {};
  m_terminate_pending = true;
  return Pump(now);
}

LiveDriver::Commands LiveDriver::Post(double now, std::string attributes, const std::vector<std::string>& stanzas) {
  const uint64_t rid = m_rid++;
  std::string head = "<body rid='" + std::to_string(rid) + "'" + (m_sid.empty() ? "" : " sid='" + Xml(m_sid) + "'") +
                     " xmlns='" + kHttpBind + "'" + attributes;
  std::string body = head, masked = head;
  if (stanzas.empty()) {
    body += "/>";
    masked += "/>";
  } else {
    body += '>';
    masked += '>';
    for (const std::string& s : stanzas) {
      body += s;
      auto m = RedactFrame(s);
      masked += m ? *m : s;
    }
    body += "</body>";
    masked += "</body>";
  }
  const int request = ++m_next_request;
  HttpExchange x;
  x.sent_time = ToMicroseconds(now);
  x.request_body = m_capture->Keep(masked);
  Conn().http.push_back(x);
  // The frames a HAR of this request gives: one per stanza, and the body's own tag for a session
  // request, a restart or a terminate.
  ExpandBoshBody(x.request_body, Direction::Sent, x.sent_time, uint32_t(Conn().http.size() - 1), Conn(), *m_capture);
  ++m_revision;
  m_out.push_back({request, rid, attributes.find("type='terminate'") != std::string::npos, Conn().http.size() - 1});
  return {{LiveCommandKind::Post, std::move(body), request},
          {LiveCommandKind::StartTimer, {}, 0, kHttpTimer, double(m_options.bosh_wait_s) + 15.0}};
}

LiveDriver::Commands LiveDriver::Pump(double now) {
  Commands out;
  auto append = [&](Commands more) { for (auto& c : more) out.push_back(std::move(c)); };
  if (m_transport != LiveTransport::Bosh || m_sid.empty() || m_terminated) return out;
  while (int(m_out.size()) < m_requests && !m_terminated) {
    if (std::any_of(m_out.begin(), m_out.end(), [](const Outstanding& o) { return o.terminate; })) break;
    if (m_terminate_pending) {
      m_terminate_pending = false;
      std::vector<std::string> stanzas;
      stanzas.swap(m_queue);
      append(Post(now, " type='terminate'", stanzas));
      break;
    }
    if (m_restart_pending) {
      m_restart_pending = false;
      append(Post(now,
                  " to='" + Xml(m_options.domain) + "' xml:lang='en' xmpp:restart='true' xmlns:xmpp='" + kXbosh + "'",
                  {}));
      continue;
    }
    if (!m_queue.empty()) {
      std::vector<std::string> stanzas;
      stanzas.swap(m_queue);
      append(Post(now, "", stanzas));
      continue;
    }
    // Nothing to say: keep one request waiting at the server, for what it has to say.
    if (m_out.empty() && m_phase != LivePhase::Closing) {
      append(Post(now, "", {}));
      continue;
    }
    break;
  }
  return out;
}

// The BOSH session is over: no more requests, outstanding ones cancelled.
LiveDriver::Commands LiveDriver::BoshEnded(double now, bool abnormal) {
  (void)now;
  Commands out{{LiveCommandKind::StopTimer, {}, 0, kStepTimer}, {LiveCommandKind::StopTimer, {}, 0, kPingTimer},
               {LiveCommandKind::StopTimer, {}, 0, kPingTimeout}, {LiveCommandKind::StopTimer, {}, 0, kHttpTimer},
               {LiveCommandKind::StopTimer, {}, 0, kCloseTimer}};
  for (const Outstanding& o : m_out) out.push_back({LiveCommandKind::Abort, {}, o.request});
  m_out.clear();
  m_queue.clear();
  m_terminated = true;
  m_phase = LivePhase::Closed;
  ++m_revision;
  if (!m_done) Finish(false, "the BOSH session ended while waiting for " + m_waiting_for);
  if (abnormal && !m_closing && m_passed_once && m_reconnects_left > 0) {
    int attempt = m_options.reconnects - m_reconnects_left;
    --m_reconnects_left;
    out.push_back({LiveCommandKind::StartTimer, {}, 0, kReconnectTimer, double(1 << std::min(attempt, 4))});
  }
  return out;
}

LiveDriver::Commands LiveDriver::Answered(double now, int request, int status, std::string_view body) {
  auto it = std::find_if(m_out.begin(), m_out.end(), [&](const Outstanding& o) { return o.request == request; });
  if (it == m_out.end() || m_transport != LiveTransport::Bosh) return {};  // a request of an ended session
  const Outstanding done = *it;
  m_out.erase(it);
  Commands out;
  auto append = [&](Commands more) { for (auto& c : more) out.push_back(std::move(c)); };
  HttpExchange* x = done.exchange < Conn().http.size() ? &Conn().http[done.exchange] : nullptr;
  if (!m_bosh_answered) Conn().handshake.status = status;  // as a HAR import takes it from the first exchange
  m_bosh_answered = true;
  const double t = ToMicroseconds(now);
  if (x) {
    x->received_time = t;
    x->status = status;
  }
  if (status != 200) {
    // As a HAR import writes a failed BOSH exchange: the checker says what it means.
    Record(now, Direction::Error, "HTTP " + std::to_string(status) + " on BOSH request rid=" + std::to_string(done.rid));
    if (x) x->response_body = m_capture->Keep(std::string(body));
    if (!m_done)
      Finish(false, status == 404 ? "the server answered HTTP 404: nothing serves BOSH at " + m_options.url
                                  : "the server answered HTTP " + std::to_string(status) + " to a BOSH request");
    append(BoshEnded(now, true));
    return out;
  }
  const size_t first = Conn().frames.size();
  std::string_view kept = m_capture->Keep(std::string(body));
  if (x) x->response_body = kept;
  BodyInfo info = ExpandBoshBody(kept, Direction::Received, t, uint32_t(done.exchange), Conn(), *m_capture);
  ++m_revision;
  if (info.parsed && m_sid.empty() && !info.sid.empty()) {
    m_sid = info.sid;
    // At most two requests out, and never more than the server allows.
    if (info.requests > 0) m_requests = std::clamp(info.requests, 1, 2);
  }
  append(OnFrames(now, first));
  if (info.parsed && info.type == "terminate") {
    const bool asked = done.terminate || m_closing;
    if (!asked && !m_done) Finish(false, "the server ended the BOSH session" + (info.condition.empty() ? std::string() : " with condition '" + info.condition + "'"));
    // A terminate from the server is its decision, as a stream error is: no reconnect.
    m_closing = true;
    append(BoshEnded(now, false));
    return out;
  }
  if (done.terminate) {  // the answer to our terminate, whatever it holds
    append(BoshEnded(now, false));
    return out;
  }
  if (m_phase == LivePhase::Closed) return out;
  append(Pump(now));
  if (m_out.empty()) out.push_back({LiveCommandKind::StopTimer, {}, 0, kHttpTimer});
  return out;
}

LiveDriver::Commands LiveDriver::Failed(double now, int request, HttpFailure why, std::string_view what) {
  auto it = std::find_if(m_out.begin(), m_out.end(), [&](const Outstanding& o) { return o.request == request; });
  if (it == m_out.end() || m_transport != LiveTransport::Bosh) return {};
  const Outstanding done = *it;
  m_out.erase(it);
  if (why == HttpFailure::Aborted && (m_terminated || m_phase == LivePhase::Closed)) return {};
  Record(now, Direction::Error, "HTTP 0 " + std::string(what) + " on BOSH request rid=" + std::to_string(done.rid));
  if (done.exchange < Conn().http.size()) {
    Conn().http[done.exchange].error = std::string(what);
    Conn().http[done.exchange].received_time = ToMicroseconds(now);
  }
  Commands out;
  if (!m_bosh_answered) {
    // Nothing in this session ever reached the page: the server is not there for this page.
    const bool tls = StartsWithIgnoreCase(m_options.url, "https:");
    Conn().handshake.error = std::string(what);
    AddFinding(MakeFinding(FindingCode::LiveBoshUnreachable, kNoFrame,
                           {{"url", m_options.url},
                            {"host", Host()},
                            {"origin", why == HttpFailure::OriginRefused ? "1" : ""},
                            {"network", why == HttpFailure::Network ? "1" : ""},
                            {"timeout", why == HttpFailure::Aborted ? std::to_string(m_options.bosh_wait_s + 15) : ""},
                            {"tls", tls && why == HttpFailure::Network ? "1" : ""}}));
    Finish(false, why == HttpFailure::OriginRefused ? "the server does not allow this page's origin (CORS)"
                                                    : "could not reach " + m_options.url);
  }
  for (auto& c : BoshEnded(now, true)) out.push_back(std::move(c));
  return out;
}

LiveDriver::Commands LiveDriver::OnFrames(double now, size_t first) {
  Commands out;
  // Indexes, not references: a stanza's answer may append frames.
  for (size_t i = first; i < Conn().frames.size() && m_phase != LivePhase::Closed; ++i) {
    const Frame& f = Conn().frames[i];
    if (f.dir != Direction::Received) continue;
    for (auto& c : OnStanza(now, f.payload)) out.push_back(std::move(c));
  }
  return out;
}

// [SECTION] The login sequence, in stanzas

LiveDriver::Commands LiveDriver::Step(LivePhase next, std::string waiting_for) {
  m_phase = next;
  m_waiting_for = std::move(waiting_for);
  return {{LiveCommandKind::StartTimer, {}, 0, kStepTimer, m_options.step_timeout_s}};
}

void LiveDriver::AddFinding(Finding f) {
  m_findings.push_back({m_conn, std::move(f)});
  ++m_revision;
}

void LiveDriver::Finish(bool passed, std::string outcome) {
  if (m_done) return;
  m_done = true;
  m_passed = passed;
  m_passed_once = m_passed_once || passed;
  m_outcome = std::move(outcome);
  ++m_revision;
}

LiveDriver::Commands LiveDriver::Fail(double now, std::string why, bool close) {
  Finish(false, why);
  Commands out{{LiveCommandKind::StopTimer, {}, 0, kStepTimer}};
  if (close && m_opened && m_phase != LivePhase::Closing && m_phase != LivePhase::Closed) {
    m_closing = true;
    m_phase = LivePhase::Closing;
    for (auto& c : StreamClose(now)) out.push_back(std::move(c));
    if (m_transport != LiveTransport::Bosh) out.push_back({LiveCommandKind::Close, "login failed", 1000});
    else out.push_back({LiveCommandKind::StartTimer, {}, 0, kCloseTimer, 2.0});
  }
  return out;
}

LiveDriver::Commands LiveDriver::Start(double now) {
  Connection c;
  const bool bosh = m_transport == LiveTransport::Bosh;
  c.transport = bosh ? fi::Transport::Bosh : fi::Transport::WebSocket;
  c.url = m_options.url;
  c.start_time = ToMicroseconds(now);
  c.handshake.present = true;
  if (bosh) {
    c.handshake.method = "POST";
    c.handshake.request_headers = {{"Content-Type", "text/xml; charset=utf-8"}};
  } else {
    c.handshake.method = "GET";
    c.handshake.request_headers = {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}, {"Sec-WebSocket-Protocol", "xmpp"}};
  }
  m_capture->connections.push_back(std::move(c));
  m_conn = m_capture->connections.size() - 1;
  m_done = m_passed = m_opened = m_closing = false;
  m_outcome.clear();
  m_jid.clear();
  m_pending_subscribes.clear();
  m_subscribed.clear();
  m_missed_pings = 0;
  m_ping_id.clear();
  m_step_started = now;
  m_sid.clear();
  m_rid = FirstRid(m_options.bosh_first_rid);
  m_out.clear();
  m_queue.clear();
  m_restart_pending = m_terminate_pending = m_terminated = m_bosh_answered = false;
  m_requests = 2;
  ++m_revision;
  if (bosh) {
    // The session request stands for the WebSocket's opening: the stream's <open/> is in it.
    m_opened = true;
    Commands out = StreamOpen(now);
    for (auto& c2 : Step(LivePhase::Opening, "the BOSH session and stream features")) out.push_back(std::move(c2));
    return out;
  }
  Commands out{{LiveCommandKind::Open, m_options.url}};
  for (auto& c2 : Step(LivePhase::Connecting, "the WebSocket to open")) out.push_back(std::move(c2));
  return out;
}

LiveDriver::Commands LiveDriver::Opened(double now, std::string_view protocol) {
  m_opened = true;
  Handshake& hs = Conn().handshake;
  hs.status = 101;
  hs.status_text = "Switching Protocols";
  hs.response_headers = {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}};
  if (!protocol.empty()) hs.response_headers.push_back({"Sec-WebSocket-Protocol", std::string(protocol)});
  ++m_revision;
  Commands out = StreamOpen(now);
  for (auto& c : Step(LivePhase::Opening, "the stream features")) out.push_back(std::move(c));
  return out;
}

LiveDriver::Commands LiveDriver::Received(double now, std::string_view text) {
  if (m_transport == LiveTransport::Bosh) return {};  // BOSH answers come through Answered()
  Record(now, Direction::Received, text);
  return OnStanza(now, text);
}
LiveDriver::Commands LiveDriver::OnStanza(double now, std::string_view text) {
  static thread_local StanzaParser parser;
  Stanza s = parser.Parse(text);
  Commands out;
  auto append = [&](Commands more) { for (auto& c : more) out.push_back(std::move(c)); };

  if (s.kind == StanzaKind::StreamError) {
    append(Fail(now, "the server ended the stream with <" + s.condition + "/>", false));
    m_closing = true;
    return out;
  }
  if (s.kind == StanzaKind::Close) {
    // RFC 7395: the side that closes sends <close/>, the other answers <close/>, then the
    // WebSocket itself is closed.
    if (m_phase != LivePhase::Closing) append(StreamClose(now));
    m_closing = true;
    m_phase = LivePhase::Closing;
    out.push_back({LiveCommandKind::StopTimer, {}, 0, kCloseTimer});
    out.push_back({LiveCommandKind::Close, "closed", 1000});
    return out;
  }
  // Pings: our own answered, and the server's answered back.
  if (s.kind == StanzaKind::Iq && !m_ping_id.empty() && s.id == m_ping_id) {
    m_ping_id.clear();
    m_missed_pings = 0;
    out.push_back({LiveCommandKind::StopTimer, {}, 0, kPingTimeout});
    return out;
  }
  if (s.kind == StanzaKind::Iq && s.type == "get" && s.iq_payload == IqPayload::Ping) {
    append(SendStanza(now, "<iq" + std::string(kClient) + " type='result' id='" + Xml(s.id) + "'" + (s.from.empty() ? "" : " to='" + Xml(s.from) + "'") + "/>"));
    return out;
  }
  if (s.kind == StanzaKind::Message && s.is_pubsub_event) ++m_notifications;

  switch (m_phase) {
    case LivePhase::Opening:
      if (s.kind != StanzaKind::Features) break;
      if (std::none_of(s.mechanisms.begin(), s.mechanisms.end(), [](const std::string& m) { return m == "PLAIN"; })) {
        append(Fail(now, "the server offers no SASL PLAIN", true));
        break;
      }
      {
        std::string authzid = m_options.user + "@" + m_options.domain;
        std::string raw = authzid + std::string(1, '\0') + m_options.user + std::string(1, '\0') + m_options.password;
        append(SendStanza(now, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + Base64Encode(raw) + "</auth>"));
      }
      append(Step(LivePhase::Authenticating, "the SASL answer"));
      break;
    case LivePhase::Authenticating:
      if (s.kind == StanzaKind::Failure) {
        append(Fail(now, "sign-in refused: <" + s.condition + "/>", true));
      } else if (s.kind == StanzaKind::Success) {
        append(StreamOpen(now));
        append(Step(LivePhase::Restarting, "the stream features after SASL"));
      }
      break;
    case LivePhase::Restarting:
      if (s.kind != StanzaKind::Features) break;
      append(SendStanza(now, "<iq" + std::string(kClient) + " type='set' id='bind_1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" +
                           Xml(m_options.resource) + "</resource></bind></iq>"));
      append(Step(LivePhase::Binding, "the bind result"));
      break;
    case LivePhase::Binding:
      if (s.kind != StanzaKind::Iq || s.id != "bind_1") break;
      if (s.type == "error") {
        append(Fail(now, "bind refused: <" + s.condition + "/>", true));
        break;
      }
      m_jid = s.bind_jid;
      append(SendStanza(now, "<presence" + std::string(kClient) + "/>"));
      append(Step(LivePhase::WaitingFinesse, "presence from finesse@"));
      m_waiting_for += m_options.domain;
      break;
    case LivePhase::WaitingFinesse: {
      if (s.kind != StanzaKind::Presence || JidLocal(s.from) != "finesse") break;
      if (s.type == "unavailable") {
        append(Fail(now, "finesse@ is unavailable: the Finesse web application is down", true));
        break;
      }
      std::string bare(JidBare(m_jid.empty() ? m_options.user + "@" + m_options.domain : m_jid));
      auto subscribe = [&](const std::string& id, const std::string& node) {
        m_pending_subscribes.push_back(id);
        append(SendStanza(now, "<iq" + std::string(kClient) + " type='set' id='" + id + "' to='" + Xml(m_options.pubsub_domain) +
                             "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='" + Xml(node) +
                             "' jid='" + Xml(bare) + "'/></pubsub></iq>"));
      };
      subscribe("sub_user", "/finesse/api/User/" + m_options.user);
      if (!m_options.team.empty()) subscribe("sub_team", "/finesse/api/Team/" + m_options.team + "/Users");
      append(Step(LivePhase::Subscribing, "the subscribe results"));
      break;
    }
    case LivePhase::Subscribing: {
      if (s.kind != StanzaKind::Iq) break;
      auto it = std::find(m_pending_subscribes.begin(), m_pending_subscribes.end(), s.id);
      if (it == m_pending_subscribes.end()) break;
      m_pending_subscribes.erase(it);
      std::string node = s.id == "sub_team" ? "/finesse/api/Team/" + m_options.team + "/Users" : "/finesse/api/User/" + m_options.user;
      if (s.type == "error") {
        // The channel stays up (the user's notifications may still come); the sequence failed.
        Finish(false, "the subscribe to " + node + " was refused: <" + s.condition + "/>");
      } else {
        m_subscribed.push_back(node);
      }
      if (m_pending_subscribes.empty()) {
        m_phase = LivePhase::Live;
        out.push_back({LiveCommandKind::StopTimer, {}, 0, kStepTimer});
        Finish(true, "every step passed; notifications stream in");
        if (m_options.ping_interval_s > 0) out.push_back({LiveCommandKind::StartTimer, {}, 0, kPingTimer, m_options.ping_interval_s});
      }
      break;
    }
    default:
      break;
  }
  return out;
}

LiveDriver::Commands LiveDriver::Closed(double now, int code, std::string_view reason) {
  Commands out{{LiveCommandKind::StopTimer, {}, 0, kStepTimer}, {LiveCommandKind::StopTimer, {}, 0, kPingTimer},
               {LiveCommandKind::StopTimer, {}, 0, kPingTimeout}};
  if (m_phase == LivePhase::Closed || m_transport == LiveTransport::Bosh) return out;
  const bool before_open = !m_opened;
  std::string payload;
  payload += char((code >> 8) & 0xFF);
  payload += char(code & 0xFF);
  payload += reason;
  Record(now, Direction::Received, payload, opcode::kClose);
  Conn().close_code = code;
  Conn().close_reason = std::string(reason);
  m_phase = LivePhase::Closed;
  const std::string host = Host();
  if (before_open) {
    const bool tls = StartsWithIgnoreCase(m_options.url, "wss:");
    Conn().handshake.error = "the browser reported close " + std::to_string(code) + " before the connection opened";
    AddFinding(MakeFinding(FindingCode::LiveUnreachable, kNoFrame,
                           {{"url", m_options.url}, {"host", host}, {"close_code", std::to_string(code)},
                            {tls ? "tls" : "plain", "1"}}));
    Finish(false, tls ? "could not connect: untrusted certificate, unknown host or closed port (close " + std::to_string(code) + ")"
                      : "could not connect: nothing answered at " + host);
  } else {
    Finding closed = MakeFinding(FindingCode::LiveClosed, kNoFrame,
                                 {{"close_code", std::to_string(code)}, {"reason", std::string(reason)},
                                  {m_closing ? "after_close" : "no_close", "1"}, {code == 1006 ? "dropped" : "other", "1"}});
    if (code == 1000 || code == 1001) closed.severity = Severity::Info;
    AddFinding(std::move(closed));
    if (!m_done) Finish(false, "the connection closed while waiting for " + m_waiting_for);
  }
  // Reconnect after an abnormal end of a session that had worked, as the desktop does.
  if (!m_closing && m_passed_once && m_reconnects_left > 0) {
    int attempt = m_options.reconnects - m_reconnects_left;
    --m_reconnects_left;
    out.push_back({LiveCommandKind::StartTimer, {}, 0, kReconnectTimer, double(1 << std::min(attempt, 4))});
  }
  return out;
}

LiveDriver::Commands LiveDriver::Error(double now, std::string_view what) {
  if (m_transport == LiveTransport::Bosh) return {};
  Record(now, Direction::Error, what);
  return {};
}

LiveDriver::Commands LiveDriver::Timer(double now, int timer) {
  Commands out;
  switch (timer) {
    case kStepTimer:
      if (m_phase == LivePhase::Live || m_phase == LivePhase::Closed) return out;
      AddFinding(MakeFinding(FindingCode::LiveStepTimeout, kNoFrame,
                             {{"step", m_waiting_for}, {"timeout", std::to_string(int(m_options.step_timeout_s))}}));
      out = Fail(now, "timed out waiting for " + m_waiting_for, true);
      if (m_transport == LiveTransport::Bosh) {
        if (m_sid.empty()) for (auto& c : BoshEnded(now, false)) out.push_back(std::move(c));
      } else if (!m_opened) {
        out.push_back({LiveCommandKind::Close, "timed out", 1000});
      }
      return out;
    case kPingTimer: {
      if (m_phase != LivePhase::Live) return out;
      if (!m_ping_id.empty()) return out;  // still waiting for the previous one
      m_ping_id = "ping_" + std::to_string(++m_ping_seq);
      out = SendStanza(now, "<iq" + std::string(kClient) + " type='get' id='" + m_ping_id + "' to='" + Xml(m_options.domain) + "'><ping xmlns='urn:xmpp:ping'/></iq>");
      out.push_back({LiveCommandKind::StartTimer, {}, 0, kPingTimeout, m_options.ping_timeout_s});
      out.push_back({LiveCommandKind::StartTimer, {}, 0, kPingTimer, m_options.ping_interval_s});
      return out;
    }
    case kPingTimeout:
      if (m_ping_id.empty()) return out;
      m_ping_id.clear();
      // Two misses in a row: the desktop declares the connection lost and fails over.
      if (++m_missed_pings >= 2) {
        AddFinding(MakeFinding(FindingCode::LivePingFailover, kNoFrame));
        m_closing = false;
        if (m_transport == LiveTransport::Bosh) return BoshEnded(now, true);
        out.push_back({LiveCommandKind::Close, "pings unanswered", 4000});
      }
      return out;
    case kReconnectTimer:
      return Reconnect(now);
    case kCloseTimer:
      if (m_phase != LivePhase::Closing) return out;
      if (m_transport == LiveTransport::Bosh) return BoshEnded(now, false);
      out.push_back({LiveCommandKind::Close, "no <close/> answer", 1000});
      return out;
    case kHttpTimer: {
      // A BOSH request the server kept longer than its `wait` allows: the path is broken.
      if (m_transport != LiveTransport::Bosh || m_out.empty() || m_phase == LivePhase::Closed) return out;
      const uint64_t rid = m_out.front().rid;
      if (!m_bosh_answered) return Failed(now, m_out.front().request, HttpFailure::Aborted, "no answer");
      const std::string what = "no answer within " + std::to_string(m_options.bosh_wait_s + 15) + " s";
      Record(now, Direction::Error, "HTTP 0 " + what + " on BOSH request rid=" + std::to_string(rid));
      if (m_out.front().exchange < Conn().http.size()) {
        Conn().http[m_out.front().exchange].error = what;
        Conn().http[m_out.front().exchange].received_time = ToMicroseconds(now);
      }
      AddFinding(MakeFinding(FindingCode::LiveBoshTimeout, kNoFrame,
                             {{"timeout", std::to_string(m_options.bosh_wait_s + 15)}, {"wait", std::to_string(m_options.bosh_wait_s)}}));
      return BoshEnded(now, true);
    }
    default:
      return out;
  }
}

LiveDriver::Commands LiveDriver::Disconnect(double now) {
  Commands out;
  m_reconnects_left = 0;
  const bool bosh = m_transport == LiveTransport::Bosh;
  if (!m_opened || m_phase == LivePhase::Closed || m_phase == LivePhase::Closing || (bosh && m_sid.empty())) {
    if (bosh && m_phase != LivePhase::Closed) return BoshEnded(now, false);
    if (m_phase != LivePhase::Closed) out.push_back({LiveCommandKind::Close, "disconnect", 1000});
    return out;
  }
  std::string bare(JidBare(m_jid));
  int n = 0;
  m_closing = true;
  m_phase = LivePhase::Closing;
  for (const std::string& node : m_subscribed)
    for (auto& c : SendStanza(now, "<iq" + std::string(kClient) + " type='set' id='unsub_" + std::to_string(++n) + "' to='" + Xml(m_options.pubsub_domain) +
                                       "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><unsubscribe node='" + Xml(node) +
                                       "' jid='" + Xml(bare) + "'/></pubsub></iq>"))
      out.push_back(std::move(c));
  for (auto& c : StreamClose(now)) out.push_back(std::move(c));
  out.push_back({LiveCommandKind::StopTimer, {}, 0, kPingTimer});
  // Wait for the server's <close/> (or the terminate's answer); end anyway if it does not come.
  out.push_back({LiveCommandKind::StartTimer, {}, 0, kCloseTimer, 2.0});
  return out;
}

LiveDriver::Commands LiveDriver::Stop(double now) {
  if (m_phase == LivePhase::Closed || m_phase == LivePhase::Idle) return {};
  const bool bosh = m_transport == LiveTransport::Bosh;
  if (!bosh && !m_opened) {
    // Nothing was said on this connection yet: it ends as a connection that never opened.
    Conn().handshake.error = "the page started a new test before the connection opened";
    m_reconnects_left = 0;
    m_closing = true;
    m_phase = LivePhase::Closed;
    Finish(false, "stopped for a new test");
    return {{LiveCommandKind::Close, "a new test started", 1000}};
  }
  Commands out = Disconnect(now);
  if (bosh) {
    if (m_terminate_pending && !m_terminated) {
      // Every request slot is taken: the terminate goes anyway, as the session's last word.
      m_terminate_pending = false;
      std::vector<std::string> stanzas;
      stanzas.swap(m_queue);
      for (auto& c : Post(now, " type='terminate'", stanzas)) out.push_back(std::move(c));
    }
    // The terminate is on its way (the page does not wait for its answer); the polls are not.
    int terminate = -1;
    for (const Outstanding& o : m_out)
      if (o.terminate) terminate = o.request;
    if (m_phase != LivePhase::Closed)
      for (auto& c : BoshEnded(now, false))
        if (c.kind != LiveCommandKind::Abort || c.code != terminate) out.push_back(std::move(c));
    return out;
  }
  out.push_back({LiveCommandKind::Close, "a new test started", 1000});
  for (auto& c : Closed(now, 1000, "a new test started")) out.push_back(std::move(c));
  return out;
}

LiveDriver::Commands LiveDriver::Reconnect(double now) {
  if (m_phase != LivePhase::Closed && m_phase != LivePhase::Idle) return {};
  return Start(now);
}

Report LiveDriver::MakeReport() const {
  Checker checker(*m_capture);
  for (const LiveFinding& f : m_findings) checker.AddFinding(f.connection, f.finding);
  return checker.Take();
}

std::string WriteHar(const Capture& capture) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&](std::string_view s) { w.String(s.data(), rapidjson::SizeType(s.size())); };
  auto headers = [&](const std::vector<Header>& hs) {
    w.StartArray();
    for (const Header& h : hs) {
      w.StartObject();
      w.Key("name"); str(h.name);
      w.Key("value"); str(RedactHeaderValue(h.name, h.value));
      w.EndObject();
    }
    w.EndArray();
  };
  w.StartObject();
  w.Key("log"); w.StartObject();
  w.Key("version"); w.String("1.2");
  w.Key("creator"); w.StartObject(); w.Key("name"); w.String("WebInspector"); w.Key("version"); w.String("537.36"); w.EndObject();
  w.Key("comment"); str("written by " + (capture.producer.empty() ? std::string("Finesse Inspector") : capture.producer) + "; secrets masked");
  w.Key("pages"); w.StartArray(); w.EndArray();
  w.Key("entries"); w.StartArray();
  for (const Connection& c : capture.connections) {
    if (c.transport == Transport::Bosh) {
      // One POST per request, as the browser's own HAR has them.
      for (const HttpExchange& x : c.http) {
        const bool answered = HasTime(x.received_time) && HasTime(x.sent_time);
        w.StartObject();
        w.Key("startedDateTime"); str(FormatIsoTime(HasTime(x.sent_time) ? x.sent_time : 0, 6));
        w.Key("time"); w.Double(answered ? std::round((x.received_time - x.sent_time) * 1e6) / 1e3 : 0);
        w.Key("_resourceType"); w.String("fetch");
        w.Key("request"); w.StartObject();
        w.Key("method"); w.String("POST");
        w.Key("url"); str(RedactUrl(c.url));
        w.Key("httpVersion"); w.String("HTTP/1.1");
        w.Key("headers"); headers(c.handshake.request_headers);
        w.Key("postData"); w.StartObject();
        w.Key("mimeType"); w.String("text/xml; charset=utf-8");
        w.Key("text"); str(x.request_body);  // recorded masked
        w.EndObject();
        w.EndObject();
        w.Key("response"); w.StartObject();
        w.Key("status"); w.Int(x.status);
        w.Key("statusText"); w.String(x.status == 200 ? "OK" : "");
        w.Key("headers"); w.StartArray(); w.EndArray();
        if (!x.error.empty()) { w.Key("_error"); str(x.error); }
        w.Key("content"); w.StartObject();
        w.Key("size"); w.Uint64(x.response_body.size());
        w.Key("mimeType"); w.String("text/xml; charset=utf-8");
        w.Key("text"); str(x.response_body);
        w.EndObject();
        w.EndObject();
        w.EndObject();
      }
      continue;
    }
    if (c.transport != Transport::WebSocket) continue;
    w.StartObject();
    w.Key("startedDateTime"); str(FormatIsoTime(HasTime(c.Origin()) ? c.Origin() : 0, 6));
    w.Key("time"); w.Double(0);
    w.Key("_resourceType"); w.String("websocket");
    w.Key("request"); w.StartObject();
    w.Key("method"); w.String("GET");
    w.Key("url"); str(RedactUrl(c.url));
    w.Key("httpVersion"); w.String("HTTP/1.1");
    w.Key("headers"); headers(c.handshake.request_headers);
    w.EndObject();
    w.Key("response"); w.StartObject();
    w.Key("status"); w.Int(c.handshake.status);
    w.Key("statusText"); str(c.handshake.status_text);
    w.Key("headers"); headers(c.handshake.response_headers);
    if (!c.handshake.error.empty()) { w.Key("_error"); str(c.handshake.error); }
    w.Key("content"); w.StartObject(); w.Key("size"); w.Int(0); w.Key("mimeType"); w.String("x-unknown"); w.EndObject();
    w.EndObject();
    w.Key("_webSocketMessages"); w.StartArray();
    for (const Frame& f : c.frames) {
      w.StartObject();
      w.Key("type"); w.String(f.dir == Direction::Sent ? "send" : f.dir == Direction::Received ? "receive" : "error");
      w.Key("time"); w.Double(HasTime(f.time) ? f.time : 0);
      w.Key("opcode"); w.Int(f.opcode);
      w.Key("data");
      if (f.opcode == opcode::kText || f.dir == Direction::Error) {
        auto masked = RedactFrame(f.payload);
        str(masked ? std::string_view(*masked) : f.payload);
      } else {
        str(Base64Encode(f.payload));  // as Chrome writes non-text frames
      }
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace fi
