// The live login driver and the HAR writer for live sessions.
#include "live.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
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

LiveDriver::LiveDriver(LiveOptions options) : m_options(std::move(options)) {
  if (m_options.pubsub_domain.empty()) m_options.pubsub_domain = "pubsub." + m_options.domain;
  m_capture.format = "live";
  m_capture.producer = "Finesse Inspector live session";
  m_reconnects_left = m_options.reconnects;
}

std::string LiveDriver::Host() const { return HostPortOf(m_options.url); }

// Live times are kept to the microsecond, as the saved HAR writes them, so the live report and
// the report of its re-imported HAR round every offset the same way.
static double ToMicroseconds(double t) { return std::round(t * 1e6) / 1e6; }

void LiveDriver::Record(double now, Direction dir, std::string_view text, uint8_t op) {
  Frame f;
  f.dir = dir;
  f.opcode = op;
  f.time = ToMicroseconds(now);
  f.payload = m_capture.Keep(std::string(text));
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

LiveDriver::Commands LiveDriver::Step(LivePhase next, std::string waiting_for) {
  m_phase = next;
  m_waiting_for = std::move(waiting_for);
  return {{LiveCommandKind::StartTimer, {}, 0, kStepTimer, m_options.step_timeout_s}};
}

void LiveDriver::AddFinding(Finding f) {
  m_findings.back().push_back(std::move(f));
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
    for (auto& c : Send(now, std::string("<close xmlns='") + kFraming + "'/>")) out.push_back(std::move(c));
    out.push_back({LiveCommandKind::Close, "login failed", 1000});
  }
  return out;
}

LiveDriver::Commands LiveDriver::Start(double now) {
  Connection c;
  c.transport = Transport::WebSocket;
  c.url = m_options.url;
  c.start_time = ToMicroseconds(now);
  c.handshake.present = true;
  c.handshake.method = "GET";
  c.handshake.request_headers = {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}, {"Sec-WebSocket-Protocol", "xmpp"}};
  m_capture.connections.push_back(std::move(c));
  m_findings.emplace_back();
  m_done = m_passed = m_opened = m_closing = false;
  m_outcome.clear();
  m_jid.clear();
  m_pending_subscribes.clear();
  m_subscribed.clear();
  m_missed_pings = 0;
  m_step_started = now;
  ++m_revision;
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
  Commands out = Send(now, std::string("<open xmlns='") + kFraming + "' to='" + Xml(m_options.domain) + "' version='1.0'/>");
  for (auto& c : Step(LivePhase::Opening, "the stream features")) out.push_back(std::move(c));
  return out;
}

LiveDriver::Commands LiveDriver::Received(double now, std::string_view text) {
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
    if (m_phase != LivePhase::Closing) append(Send(now, std::string("<close xmlns='") + kFraming + "'/>"));
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
    append(Send(now, "<iq" + std::string(kClient) + " type='result' id='" + Xml(s.id) + "'" + (s.from.empty() ? "" : " to='" + Xml(s.from) + "'") + "/>"));
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
        append(Send(now, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + Base64Encode(raw) + "</auth>"));
      }
      append(Step(LivePhase::Authenticating, "the SASL answer"));
      break;
    case LivePhase::Authenticating:
      if (s.kind == StanzaKind::Failure) {
        append(Fail(now, "sign-in refused: <" + s.condition + "/>", true));
      } else if (s.kind == StanzaKind::Success) {
        append(Send(now, std::string("<open xmlns='") + kFraming + "' to='" + Xml(m_options.domain) + "' version='1.0'/>"));
        append(Step(LivePhase::Restarting, "the stream features after SASL"));
      }
      break;
    case LivePhase::Restarting:
      if (s.kind != StanzaKind::Features) break;
      append(Send(now, "<iq" + std::string(kClient) + " type='set' id='bind_1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" +
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
      append(Send(now, "<presence" + std::string(kClient) + "/>"));
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
        append(Send(now, "<iq" + std::string(kClient) + " type='set' id='" + id + "' to='" + Xml(m_options.pubsub_domain) +
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
  if (m_phase == LivePhase::Closed) return out;
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
      if (!m_opened) out.push_back({LiveCommandKind::Close, "timed out", 1000});
      return out;
    case kPingTimer: {
      if (m_phase != LivePhase::Live) return out;
      if (!m_ping_id.empty()) return out;  // still waiting for the previous one
      m_ping_id = "ping_" + std::to_string(++m_ping_seq);
      out = Send(now, "<iq" + std::string(kClient) + " type='get' id='" + m_ping_id + "' to='" + Xml(m_options.domain) + "'><ping xmlns='urn:xmpp:ping'/></iq>");
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
        out.push_back({LiveCommandKind::Close, "pings unanswered", 4000});
      }
      return out;
    case kReconnectTimer:
      return Reconnect(now);
    case kCloseTimer:
      if (m_phase == LivePhase::Closing) out.push_back({LiveCommandKind::Close, "no <close/> answer", 1000});
      return out;
    default:
      return out;
  }
}

LiveDriver::Commands LiveDriver::Disconnect(double now) {
  Commands out;
  if (!m_opened || m_phase == LivePhase::Closed || m_phase == LivePhase::Closing) {
    m_reconnects_left = 0;
    if (m_phase != LivePhase::Closed) out.push_back({LiveCommandKind::Close, "disconnect", 1000});
    return out;
  }
  m_reconnects_left = 0;
  std::string bare(JidBare(m_jid));
  int n = 0;
  for (const std::string& node : m_subscribed)
    for (auto& c : Send(now, "<iq" + std::string(kClient) + " type='set' id='unsub_" + std::to_string(++n) + "' to='" + Xml(m_options.pubsub_domain) +
                                 "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><unsubscribe node='" + Xml(node) +
                                 "' jid='" + Xml(bare) + "'/></pubsub></iq>"))
      out.push_back(std::move(c));
  m_closing = true;
  m_phase = LivePhase::Closing;
  for (auto& c : Send(now, std::string("<close xmlns='") + kFraming + "'/>")) out.push_back(std::move(c));
  out.push_back({LiveCommandKind::StopTimer, {}, 0, kPingTimer});
  // Wait for the server's <close/>; close the socket anyway if it does not come.
  out.push_back({LiveCommandKind::StartTimer, {}, 0, kCloseTimer, 2.0});
  return out;
}

LiveDriver::Commands LiveDriver::Reconnect(double now) {
  if (m_phase != LivePhase::Closed && m_phase != LivePhase::Idle) return {};
  return Start(now);
}

const std::vector<Finding>& LiveDriver::LiveFindings(size_t connection) const {
  static const std::vector<Finding> none;
  return connection < m_findings.size() ? m_findings[connection] : none;
}

Report LiveDriver::MakeReport() const {
  Report r = Check(m_capture);
  for (ConnectionReport& c : r.connections) {
    const auto& extra = LiveFindings(size_t(c.index));
    c.findings.insert(c.findings.end(), extra.begin(), extra.end());
    if (std::any_of(extra.begin(), extra.end(), [](const Finding& f) { return f.severity == Severity::Error; }))
      c.verdict = Verdict::Failed;
    SortFindings(c.findings);
  }
  return r;
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
