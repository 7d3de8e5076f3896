// The expected-sequence checker.
//
// [SECTION] The expected sequence (data)
// [SECTION] Finding texts (data)
// [SECTION] The engine: one pass over the frames
// [SECTION] After the pass: upgrade, timeouts, verdict
// [SECTION] Across connections: abnormal closes and reconnects
#include "checker.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "finesse_update.h"
#include "text_util.h"

namespace fi {

const char* StepStatusName(StepStatus s) {
  static const char* const names[] = {"passed", "failed", "missing", "skipped"};
  static_assert(std::size(names) == size_t(StepStatus::Count));
  return names[size_t(s)];
}
const char* SeverityName(Severity s) {
  static const char* const names[] = {"error", "warning", "info"};
  static_assert(std::size(names) == size_t(Severity::Count));
  return names[size_t(s)];
}
const char* VerdictName(Verdict v) {
  static const char* const names[] = {"healthy", "failed", "incomplete"};
  static_assert(std::size(names) == size_t(Verdict::Count));
  return names[size_t(v)];
}

namespace {

// [SECTION] The expected sequence (data)
// Each step names what the client sends (request), what the server answers to pass or fail it,
// how the answer is paired with the request, and what must have passed before.

using Match = bool (*)(const Stanza&, Direction, Transport);
enum class Pairing : uint8_t { Next, IqId };

bool IsUserNode(const std::string& node) {
  static const std::string prefix = "/finesse/api/User/";
  return node.size() > prefix.size() && node.compare(0, prefix.size(), prefix) == 0 &&
         node.find('/', prefix.size()) == std::string::npos;
}
bool IsTeamNode(const std::string& node) {
  static const std::string prefix = "/finesse/api/Team/";
  return node.size() > prefix.size() && node.compare(0, prefix.size(), prefix) == 0 &&
         node.size() > 6 && node.compare(node.size() - 6, 6, "/Users") == 0;
}
bool IsFinesseJid(const std::string& jid) { return JidLocal(jid) == "finesse"; }

bool SentOpen(const Stanza& s, Direction d, Transport t) {
  return d == Direction::Sent && (s.kind == StanzaKind::Open || (t == Transport::Bosh && s.kind == StanzaKind::BoshSession));
}
bool SentRestart(const Stanza& s, Direction d, Transport) {
  return d == Direction::Sent && (s.kind == StanzaKind::Open || s.kind == StanzaKind::BoshRestart);
}
bool GotFeatures(const Stanza& s, Direction d, Transport) { return d == Direction::Received && s.kind == StanzaKind::Features; }
bool SentAuth(const Stanza& s, Direction d, Transport) { return d == Direction::Sent && s.kind == StanzaKind::Auth; }
bool GotSuccess(const Stanza& s, Direction d, Transport) { return d == Direction::Received && s.kind == StanzaKind::Success; }
bool GotFailure(const Stanza& s, Direction d, Transport) { return d == Direction::Received && s.kind == StanzaKind::Failure; }
bool SentBind(const Stanza& s, Direction d, Transport) {
  return d == Direction::Sent && s.kind == StanzaKind::Iq && s.type == "set" && s.iq_payload == IqPayload::Bind;
}
bool GotIqResult(const Stanza& s, Direction d, Transport) { return d == Direction::Received && s.kind == StanzaKind::Iq && s.type == "result"; }
bool GotIqError(const Stanza& s, Direction d, Transport) { return d == Direction::Received && s.kind == StanzaKind::Iq && s.type == "error"; }
bool SentInitialPresence(const Stanza& s, Direction d, Transport) {
  return d == Direction::Sent && s.kind == StanzaKind::Presence && s.to.empty() && (s.type.empty() || s.type == "available");
}
bool GotPresenceError(const Stanza& s, Direction d, Transport) {
  return d == Direction::Received && s.kind == StanzaKind::Presence && s.type == "error";
}
bool GotFinessePresence(const Stanza& s, Direction d, Transport) {
  return d == Direction::Received && s.kind == StanzaKind::Presence && IsFinesseJid(s.from) &&
         (s.type.empty() || s.type == "available");
}
bool GotFinesseUnavailable(const Stanza& s, Direction d, Transport) {
  return d == Direction::Received && s.kind == StanzaKind::Presence && IsFinesseJid(s.from) && s.type == "unavailable";
}
bool SentSubscribeUser(const Stanza& s, Direction d, Transport) {
  return d == Direction::Sent && s.kind == StanzaKind::Iq && s.iq_payload == IqPayload::PubsubSubscribe && IsUserNode(s.pubsub_node);
}
bool SentSubscribeTeam(const Stanza& s, Direction d, Transport) {
  return d == Direction::Sent && s.kind == StanzaKind::Iq && s.iq_payload == IqPayload::PubsubSubscribe && IsTeamNode(s.pubsub_node);
}
bool GotEvent(const Stanza& s, Direction d, Transport) {
  return d == Direction::Received && s.kind == StanzaKind::Message && s.is_pubsub_event;
}
bool GotUserEvent(const Stanza& s, Direction d, Transport t) { return GotEvent(s, d, t) && IsUserNode(s.event_node); }
bool GotTeamEvent(const Stanza& s, Direction d, Transport t) { return GotEvent(s, d, t) && IsTeamNode(s.event_node); }

struct StepSpec {
  StepId id;
  const char* name;
  const char* bosh_name;
  bool required;
  StepId after;   // must have passed before the request counts; Count: nothing
  Match request;  // the client's move; nullptr when the server starts the step
  Match pass;
  Match fail;
  Match passive;  // passes even with no request (servers subscribe users automatically)
  Pairing pairing;
  bool pass_on_request;
  const char* expect;
  const char* bosh_expect;
};

constexpr StepId kNone = StepId::Count;
const StepSpec kSteps[] = {
    {StepId::Upgrade, "upgrade", "session", true, kNone, nullptr, nullptr, nullptr, nullptr, Pairing::Next, false,
     "GET /ws/ with Upgrade: websocket and Sec-WebSocket-Protocol: xmpp → 101 Switching Protocols",
     "POST /http-bind/ session request → <body sid=…>"},
    {StepId::Open, "open", "open", true, kNone, SentOpen, GotFeatures, nullptr, nullptr, Pairing::Next, false,
     "<open to=DOMAIN/> → <open/> and <stream:features> offering SASL PLAIN",
     "session request → <stream:features> offering SASL PLAIN"},
    {StepId::Auth, "auth", "auth", true, StepId::Open, SentAuth, GotSuccess, GotFailure, nullptr, Pairing::Next, false,
     "<auth mechanism=PLAIN> → <success/>", "<auth mechanism=PLAIN> → <success/>"},
    {StepId::Restart, "restart", "restart", true, StepId::Auth, SentRestart, GotFeatures, nullptr, nullptr, Pairing::Next,
     false, "a new <open/> after SASL → <stream:features> with <bind/>",
     "<body xmpp:restart=true> → <stream:features> with <bind/>"},
    {StepId::Bind, "bind", "bind", true, StepId::Restart, SentBind, GotIqResult, GotIqError, nullptr, Pairing::IqId, false,
     "<iq type=set><bind><resource/></bind></iq> → <iq type=result> with the full JID",
     "<iq type=set><bind><resource/></bind></iq> → <iq type=result> with the full JID"},
    {StepId::Presence, "presence", "presence", true, StepId::Bind, SentInitialPresence, nullptr, GotPresenceError, nullptr,
     Pairing::Next, true, "initial <presence/> (entity caps optional)", "initial <presence/> (entity caps optional)"},
    {StepId::FinessePresence, "finesse-presence", "finesse-presence", true, kNone, nullptr, GotFinessePresence,
     GotFinesseUnavailable, nullptr, Pairing::Next, false,
     "presence from finesse@DOMAIN: the Finesse web application is up",
     "presence from finesse@DOMAIN: the Finesse web application is up"},
    {StepId::SubscribeUser, "subscribe-user", "subscribe-user", true, kNone, SentSubscribeUser, GotIqResult, GotIqError,
     GotUserEvent, Pairing::IqId, false,
     "pubsub subscribe to /finesse/api/User/{id} → subscribed, or notifications on that node (auto-subscribed)",
     "pubsub subscribe to /finesse/api/User/{id} → subscribed, or notifications on that node (auto-subscribed)"},
    {StepId::SubscribeTeam, "subscribe-team", "subscribe-team", false, kNone, SentSubscribeTeam, GotIqResult, GotIqError,
     GotTeamEvent, Pairing::IqId, false, "pubsub subscribe to /finesse/api/Team/{id}/Users → subscribed (supervisors)",
     "pubsub subscribe to /finesse/api/Team/{id}/Users → subscribed (supervisors)"},
    {StepId::Notifications, "notifications", "notifications", false, kNone, nullptr, GotEvent, nullptr, nullptr,
     Pairing::Next, false, "pubsub <event> messages carrying Finesse <Update>s",
     "pubsub <event> messages carrying Finesse <Update>s"},
};
static_assert(std::size(kSteps) == size_t(StepId::Count), "one spec per step id");

// [SECTION] Finding texts (data)

struct ConditionHint {
  const char* condition;
  const char* meaning;
  const char* hint;
};

const ConditionHint kStreamErrorHints[] = {
    {"conflict", "another session bound the same resource and took this one over",
     "The resource 'desktop' is reserved for the agent desktop: a second desktop (another tab, browser or PC) or a "
     "tool signed in as the same agent with the same resource. Close the other session, or use another resource."},
    {"host-unknown", "the domain in <open to=…> is not served by this XMPP server",
     "The 'to' domain must be Finesse's xmppDomain (GET /finesse/api/SystemInfo). Check the server name the desktop "
     "was opened with, and DNS/hosts entries that point it at the wrong node."},
    {"connection-timeout", "the server closed an idle stream",
     "The client stopped answering or pinging. Look for a frozen tab, a laptop that slept, or a proxy that buffers "
     "WebSocket frames."},
    {"internal-server-error", "the XMPP server failed while handling the stream",
     "Check the Openfire logs on the Finesse node. A text frame over 1 MiB is a known trigger."},
    {"policy-violation", "the server's policy refused what the client sent",
     "Often a stanza too large or too frequent (rate limits). Check the frame before the error."},
    {"system-shutdown", "the XMPP server is shutting down",
     "Finesse/Openfire was restarted or the node is going down; the desktop should fail over to the other node."},
    {"not-authorized", "the stream was used before authenticating", "Check that SASL succeeded before stanzas were sent."},
    {"see-other-host", "the server redirects the client to another host", "Follow the host named in the error text."},
    {"remote-connection-failed", "the server could not reach a remote component",
     "Check the Openfire cluster and pubsub component on the Finesse node."},
    {"reset", "the server reset the stream (security or configuration change)", "Reconnect; check the server logs."},
    {"resource-constraint", "the server lacks resources for this stream", "Check Openfire memory and session limits."},
    {"not-well-formed", "the server received XML that is not well-formed", "Look at the last frame the client sent."},
    {"invalid-namespace", "the stream or stanza used a wrong namespace",
     "The WebSocket framing namespace must be urn:ietf:params:xml:ns:xmpp-framing."},
    {"unsupported-version", "the server does not support the requested XMPP version", "Send version=\"1.0\"."},
};

const ConditionHint kSaslHints[] = {
    {"not-authorized", "wrong user id or password",
     "The desktop shows 'unauthorized'. Check the agent's id and password (case matters), that the user is a Finesse "
     "agent or supervisor, and that the account is not locked in CUCM/UCCE."},
    {"account-disabled", "the account is disabled", "Enable the agent's account."},
    {"credentials-expired", "the password has expired", "Reset the agent's password."},
    {"temporary-auth-failure", "the server could not check the credentials right now",
     "Finesse could not reach its authentication source (CUCM/AW/IdS): retry, and check that service."},
    {"invalid-authzid", "the authorization identity was refused",
     "The authzid must be <agent id>@<xmppDomain>; compare it with SystemInfo's xmppDomain."},
    {"invalid-mechanism", "the server does not support that mechanism", "Use PLAIN, as the Finesse desktop does."},
    {"malformed-request", "the SASL payload was malformed", "The PLAIN payload must be base64 of authzid NUL authcid NUL password."},
    {"mechanism-too-weak", "the mechanism is too weak for the server's policy", "The server wants TLS before PLAIN."},
    {"encryption-required", "PLAIN is allowed only over TLS", "Connect with wss://, not ws://."},
};

const ConditionHint kPubsubHints[] = {
    {"item-not-found", "the node does not exist",
     "The node id is wrong: check the user or team id in the subscribe. A team node exists only for a team that has a "
     "supervisor; a user node only for a Finesse user."},
    {"not-authorized", "the user may not subscribe to this node",
     "A team node may be subscribed only by a supervisor of that team."},
    {"forbidden", "the server forbids this subscription", "Check the supervisor's team assignment."},
    {"subscription-required", "a subscription is needed first", "Subscribe before requesting items."},
    {"presence-subscription-required", "the node requires a presence subscription", "Check the node's access model."},
    {"not-allowed", "the node does not allow this subscription", "Check the node's access model."},
    {"bad-request", "the subscribe request was malformed", "The subscribe must name the node and the subscriber's bare JID."},
    {"invalid-jid", "the subscriber JID does not match the sender", "Subscribe with the bare JID that was bound."},
    {"service-unavailable", "the pubsub service is not reachable",
     "The subscribe must go to pubsub.<xmppDomain>; check the pubsub component is running."},
};

const ConditionHint* FindHint(const ConditionHint* table, size_t n, const std::string& condition) {
  for (size_t i = 0; i < n; ++i)
    if (condition == table[i].condition) return &table[i];
  return nullptr;
}
template <size_t N>
const ConditionHint* FindHint(const ConditionHint (&table)[N], const std::string& condition) {
  return FindHint(table, N, condition);
}

std::string Fmt(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// [SECTION] The engine: one pass over the frames

enum class State : uint8_t { NotStarted, Requested, Passed, Failed };

struct StepState {
  State state = State::NotStarted;
  int request = kNoFrame;
  int answer = kNoFrame;
  std::string iq_id;
  std::string detail;
};

struct Ping {
  int frame;
  double time;
  std::string id;
  bool answered = false;
};

class ConnectionChecker {
 public:
  ConnectionChecker(const Connection& c, int index, const CheckOptions& o, StanzaParser& parser)
      : m_conn(c), m_opt(o), m_parser(parser) {
    m_out.connection = &c;
    m_out.index = index;
  }

  // Checks up to `budget` more frames; true when the connection is done.
  bool Feed(size_t& budget) {
    if (m_next == 0) m_out.kinds.reserve(m_conn.frames.size());
    while (m_next < m_conn.frames.size() && budget > 0) {
      OnFrame(int(m_next), m_conn.frames[m_next]);
      ++m_next;
      --budget;
    }
    if (m_next < m_conn.frames.size()) return false;
    Finish();
    return true;
  }
  size_t FramesDone() const { return m_next; }
  ConnectionReport Result() { return std::move(m_out); }

 private:
  void Add(Severity sev, std::string code, int frame, std::string message, std::string hint) {
    m_out.findings.push_back({sev, std::move(code), frame, std::move(message), std::move(hint)});
  }

  double FrameTime(int i) const { return i >= 0 ? m_conn.frames[size_t(i)].time : kNoTime; }

  StepState& St(StepId id) { return m_steps[size_t(id)]; }

  // The step a connection-level failure (stream error, terminate, error frame) breaks: the one
  // waiting for an answer, else the first required step not reached yet.
  StepState* PendingStep() {
    for (size_t k = 1; k < size_t(StepId::Count); ++k)
      if (m_steps[k].state == State::Requested) return &m_steps[k];
    for (size_t k = 1; k < size_t(StepId::Count); ++k)
      if (m_steps[k].state == State::NotStarted && kSteps[k].required) return &m_steps[k];
    return nullptr;
  }

  void RunSteps(int i, const Stanza& s, Direction dir) {
    Transport t = m_conn.transport;
    for (size_t k = 1; k < size_t(StepId::Count); ++k) {
      const StepSpec& spec = kSteps[k];
      StepState& st = m_steps[k];
      bool prerequisite = spec.after == kNone || m_steps[size_t(spec.after)].state == State::Passed;
      if (st.state == State::NotStarted) {
        if (spec.request && prerequisite && spec.request(s, dir, t)) {
          st.state = spec.pass_on_request ? State::Passed : State::Requested;
          st.request = i;
          st.iq_id = s.id;
          if (spec.pass_on_request) st.answer = i;
          return;  // one client move serves one step
        }
        if (!spec.request && spec.pass && spec.pass(s, dir, t)) {
          st.state = State::Passed;
          st.answer = i;
        } else if (!spec.request && spec.fail && spec.fail(s, dir, t)) {
          st.state = State::Failed;
          st.answer = i;
        } else if (spec.passive && spec.passive(s, dir, t)) {
          st.state = State::Passed;
          st.answer = i;
          st.detail = "subscribed by the server: notifications arrived on " + s.event_node;
        }
        continue;
      }
      if (st.state == State::Requested) {
        bool paired = spec.pairing == Pairing::Next || (s.kind == StanzaKind::Iq && s.id == st.iq_id);
        if (!paired) {
          if (spec.passive && spec.passive(s, dir, t)) {
            st.state = State::Passed;
            st.answer = i;
            st.detail = "notifications arrived on " + s.event_node + " before the subscribe was answered";
          }
          continue;
        }
        if (spec.pass && spec.pass(s, dir, t)) {
          st.state = State::Passed;
          st.answer = i;
        } else if (spec.fail && spec.fail(s, dir, t)) {
          st.state = State::Failed;
          st.answer = i;
        }
      }
    }
  }

  void OnFrame(int i, const Frame& f) {
    if (f.dir == Direction::Error) {
      m_out.kinds.push_back(StanzaKind::NotXml);
      OnErrorFrame(i, f);
      return;
    }
    if (f.opcode == opcode::kClose) {
      m_out.kinds.push_back(StanzaKind::Close);
      m_ended = true;
      return;
    }
    if (f.opcode != opcode::kText) {
      m_out.kinds.push_back(StanzaKind::OtherXml);
      ++m_non_text;
      return;
    }
    if (f.payload.size() > (1u << 20))
      Add(Severity::Warning, "frame-too-large", i,
          "A " + FormatBytes(f.payload.size()) + " text frame: Openfire closes the stream with internal-server-error "
          "above 1 MiB.",
          "Find what produced such a large stanza; Finesse itself never sends one.");
    Stanza& s = m_stanza;  // reused: no allocations per frame once its strings have grown
    m_parser.Parse(f.payload, s);
    m_out.kinds.push_back(s.kind);
    if (s.kind == StanzaKind::NotXml) {
      if (m_not_xml++ == 0) m_first_not_xml = i;
      m_not_xml_error = s.parse_error;
      return;
    }
    if (s.kind != StanzaKind::Empty && s.kind != StanzaKind::OtherXml) m_xmpp_evidence = true;
    if (HasTime(f.time)) m_last_time = f.time;
    if (f.dir == Direction::Received) m_received_any = true;
    RunSteps(i, s, f.dir);
    Observe(i, f, s);
  }

  void OnErrorFrame(int i, const Frame& f) {
    m_ended = true;
    m_error_frame = true;
    std::string text(f.payload.substr(0, 300));
    bool bosh = m_conn.transport == Transport::Bosh;
    Add(Severity::Error, bosh ? "bosh-http-error" : "websocket-error", i,
        std::string(bosh ? "The BOSH request failed: " : "The browser reported a WebSocket error: ") + text,
        ContainsIgnoreCase(text, "CERT")
            ? "The certificate of this host and port is not trusted in this browser: open https://<host>:<port>/ in a "
              "tab, accept or install the certificate (or the Finesse CA), then reload the desktop."
            : "Look for a proxy or firewall between the browser and port 8445/7443, and for the Finesse node going "
              "down at that moment.");
    // Before any answer on a WebSocket that never got its 101, the error is the upgrade's own.
    if (!bosh && !m_received_any && m_conn.handshake.present && m_conn.handshake.status != 101) {
      if (m_upgrade_error.empty()) m_upgrade_error = text;
      return;
    }
    if (StepState* st = PendingStep()) {
      st->state = State::Failed;
      st->answer = i;
      st->detail = (bosh ? "BOSH request failed: " : "WebSocket error: ") + text;
    }
  }

  void Observe(int i, const Frame& f, const Stanza& s) {
    switch (s.kind) {
      case StanzaKind::Open:
        if (f.dir == Direction::Sent && m_out.domain.empty()) m_out.domain = s.to;
        if (f.dir == Direction::Sent) m_close_seen = false;
        break;
      case StanzaKind::BoshSession:
        if (f.dir == Direction::Sent && m_out.domain.empty()) m_out.domain = s.to;
        if (f.dir == Direction::Received && !s.bosh_sid.empty()) m_bosh_session = i;
        break;
      case StanzaKind::Features:
        if (m_features_seen++ == 0) {
          bool plain = std::any_of(s.mechanisms.begin(), s.mechanisms.end(),
                                   [](const std::string& m) { return EqualsIgnoreCase(m, "PLAIN"); });
          if (!plain) {
            std::string list;
            for (auto& m : s.mechanisms) list += (list.empty() ? "" : ", ") + m;
            Add(Severity::Error, "no-plain-mechanism", i,
                s.mechanisms.empty() ? "The server offered no SASL mechanism at all."
                                     : "The server does not offer SASL PLAIN (it offers " + list + ").",
                "The Finesse desktop signs in with PLAIN only. Check Openfire's SASL settings "
                "(sasl.mechs) on the Finesse node, and that the connection is wss:// when PLAIN needs TLS.");
          }
        }
        break;
      case StanzaKind::Auth:
        if (f.dir == Direction::Sent) CheckAuth(i, s);
        break;
      case StanzaKind::Failure:
        if (f.dir == Direction::Received) {
          const ConditionHint* h = FindHint(kSaslHints, s.condition);
          std::string cond = s.condition.empty() ? "no condition" : s.condition;
          std::string& detail = St(StepId::Auth).detail;
          detail = "SASL failure: " + cond + (s.error_text.empty() ? "" : " (" + s.error_text + ")") +
                   (detail.empty() ? "" : "; " + detail);
          Add(Severity::Error, "sasl-failure", i,
              "Sign-in refused: SASL failure <" + cond + "/>" + (h ? std::string(": ") + h->meaning : "") +
                  (s.error_text.empty() ? "" : " (\"" + s.error_text + "\")") + ".",
              h ? h->hint : "Check the agent's credentials and the Openfire logs on the Finesse node.");
        }
        break;
      case StanzaKind::StreamError:
        if (f.dir == Direction::Received) OnStreamError(i, s);
        break;
      case StanzaKind::BoshTerminate:
        // The client's own terminate is its logout; the server's answer to it, or a terminate
        // with no condition, is the clean end of the session. Only a condition means trouble.
        if (f.dir == Direction::Sent || s.condition.empty() || m_close_seen) {
          m_close_seen = true;
          m_ended = true;
        } else if (!m_stream_error) {
          OnStreamError(i, s);
        }
        break;
      case StanzaKind::Close:
        m_close_seen = true;
        m_ended = true;
        break;
      case StanzaKind::Iq:
        ObserveIq(i, f, s);
        break;
      case StanzaKind::Presence:
        if (f.dir == Direction::Received && GotFinesseUnavailable(s, f.dir, m_conn.transport))
          Add(Severity::Error, "finesse-unavailable", i,
              "finesse@ went unavailable: the Finesse web application stopped or lost its XMPP session.",
              "The desktop shows 'connecting' or fails over. Check the Finesse Tomcat service on this node "
              "(utils service list) and its logs.");
        break;
      case StanzaKind::Message:
        if (s.is_pubsub_event && f.dir == Direction::Received) ObserveEvent(i, s);
        break;
      default:
        break;
    }
  }

  void CheckAuth(int i, const Stanza& s) {
    StepState& st = St(StepId::Auth);
    if (!EqualsIgnoreCase(s.mechanism, "PLAIN")) {
      st.detail = "mechanism " + s.mechanism;
      return;
    }
    if (!s.plain.decoded) {
      st.detail = "PLAIN payload could not be decoded";
      Add(Severity::Warning, "sasl-plain-malformed", i,
          "The PLAIN payload is not base64 of authzid NUL authcid NUL password.",
          "The server will answer malformed-request or not-authorized; check what produced the payload.");
      return;
    }
    std::string password = m_opt.reveal_secrets ? "\"" + RevealPlainPassword(s.sasl_payload) + "\"" : "masked";
    st.detail = "PLAIN authzid=" + (s.plain.authzid.empty() ? std::string("(none)") : s.plain.authzid) +
                " authcid=" + s.plain.authcid + " password: " + std::to_string(s.plain.password_length) +
                " characters, " + password;
    if (s.plain.password_length == 0)
      Add(Severity::Error, "sasl-empty-password", i, "The PLAIN payload carries an empty password.",
          "The desktop had no password to send: check single sign-on settings or the login form.");
    if (!s.plain.authzid.empty() && !m_out.domain.empty()) {
      std::string zdomain(JidDomain(s.plain.authzid));
      if (!EqualsIgnoreCase(zdomain, m_out.domain))
        Add(Severity::Warning, "authzid-domain-mismatch", i,
            "The authzid " + s.plain.authzid + " names the domain " + zdomain + ", but the stream was opened to " +
                m_out.domain + ".",
            "The authzid must be <agent id>@<xmppDomain>. Compare the domain with SystemInfo's xmppDomain and the "
            "server name the desktop was opened with; a typo there makes the server refuse or map the identity.");
    }
  }

  void OnStreamError(int i, const Stanza& s) {
    m_ended = true;
    m_stream_error = true;
    bool bosh = s.kind == StanzaKind::BoshTerminate;
    std::string cond = s.condition.empty() ? "undefined-condition" : s.condition;
    const ConditionHint* h = FindHint(kStreamErrorHints, cond);
    std::string what = bosh ? "BOSH session terminated: " + cond : "stream error <" + cond + "/>";
    if (StepState* st = PendingStep()) {
      st->state = State::Failed;
      st->answer = i;
      st->detail = what + (s.error_text.empty() ? "" : " (" + s.error_text + ")");
    }
    if (bosh && cond == "remote-stream-error") return;  // the stream error inside says more
    Add(Severity::Error, (bosh ? "bosh-terminate-" : "stream-error-") + cond, i,
        "The server ended the " + std::string(bosh ? "BOSH session" : "stream") + " with <" + cond + "/>" +
            (h ? std::string(": ") + h->meaning : "") + (s.error_text.empty() ? "" : " (\"" + s.error_text + "\")") + ".",
        h ? h->hint : "Check the Openfire logs on the Finesse node at this time.");
  }

  void ObserveIq(int i, const Frame& f, const Stanza& s) {
    if (f.dir == Direction::Sent && s.iq_payload == IqPayload::Ping && s.type == "get") {
      m_pings.push_back({i, f.time, s.id});
      return;
    }
    if (f.dir == Direction::Sent && s.iq_payload == IqPayload::PubsubSubscribe && (s.type == "set")) {
      m_subscribes.push_back({i, s.id, s.pubsub_node});
      return;
    }
    if (f.dir != Direction::Received || (s.type != "result" && s.type != "error")) return;
    for (Ping& p : m_pings)
      if (!p.answered && p.id == s.id) {
        p.answered = true;
        if (HasTime(p.time) && HasTime(f.time) && f.time - p.time > m_opt.ping_timeout_s) p.answered = false;
      }
    const StepState& bind = St(StepId::Bind);
    if (bind.iq_id == s.id && bind.request != kNoFrame) {
      if (s.type == "result" && !s.bind_jid.empty()) m_out.jid = s.bind_jid;
      if (s.type == "error" && m_bind_refused++ == 0) {
        std::string cond = s.condition.empty() ? "no condition" : s.condition;
        St(StepId::Bind).detail = "bind refused: " + cond;
        Add(Severity::Error, "bind-refused", i, "The server refused to bind the resource: <" + cond + "/>.",
            cond == "conflict" ? "The resource is in use by another session; the desktop uses 'desktop'."
                               : "Check the resource requested and the Openfire logs.");
      }
    }
    for (const Subscribe& sub : m_subscribes) {
      if (sub.id != s.id) continue;
      if (s.type == "error") {
        std::string cond = s.condition.empty() ? "no condition" : s.condition;
        const ConditionHint* h = FindHint(kPubsubHints, cond);
        std::string detail = "subscribe to " + sub.node + " refused: " + cond;
        if (IsUserNode(sub.node)) St(StepId::SubscribeUser).detail = detail;
        if (IsTeamNode(sub.node)) St(StepId::SubscribeTeam).detail = detail;
        Add(Severity::Error, "subscribe-refused", i,
            "The subscribe to " + sub.node + " was answered with an error <" + cond + "/>" +
                (h ? std::string(": ") + h->meaning : "") + ".",
            h ? h->hint : "Check the node name and the Openfire pubsub logs.");
      } else if (s.subscription == "pending" || s.subscription == "unconfigured" || s.subscription == "none") {
        Add(Severity::Warning, "subscription-not-active", i,
            "The subscribe to " + sub.node + " was answered with subscription=\"" + s.subscription +
                "\": no notifications will arrive yet.",
            "The node needs approval or configuration; Finesse nodes normally answer subscribed.");
      }
    }
  }

  void ObserveEvent(int i, const Stanza& s) {
    ++m_out.notification_count;
    ++m_out.notifications_by_node[s.event_node];
    // Decoding the <Update> costs a second parse: only when a finding may need it.
    // The markers survive the escaping ("&lt;apiErrors&gt;"), so the raw text can be scanned.
    std::string_view text = s.notification_raw.empty() ? std::string_view(s.notification_xml) : s.notification_raw;
    // SystemInfo's status arrives only on its own node.
    const bool system_info = s.event_node == "/finesse/api/SystemInfo";
    if (text.empty() || (!MayHoldApiErrors(text) && !(system_info && MayBeOutOfService(text)))) return;
    FinesseUpdate u = DecodeUpdate(NotificationXml(s));
    if (!u.ok) return;
    if (u.data_kind == "SystemInfo" && u.state == "OUT_OF_SERVICE" && m_out_of_service++ == 0)
      Add(Severity::Error, "system-out-of-service", i,
          "Finesse reported SystemInfo status OUT_OF_SERVICE.",
          "Finesse lost a back end (CTI server, AW database or Openfire): the desktop signs agents out and fails over "
          "to the other node. Check the CTI link and 'utils service list' on this node.");
    if (u.data_kind == "apiErrors") {
      std::string what;
      for (const ApiError& e : u.api_errors)
        what += (what.empty() ? "" : "; ") + e.type + (e.message.empty() ? "" : ": " + e.message);
      Add(Severity::Warning, "api-errors", i,
          "A notification carries apiErrors" + (what.empty() ? std::string() : " (" + what + ")") +
              (u.request_id.empty() ? std::string() : " for request " + u.request_id) + ".",
          "The REST request with that requestId failed on the Finesse side (for example a state change refused "
          "by the CTI server); the error type says why.");
    }
  }

  // [SECTION] After the pass: upgrade, timeouts, verdict
  void Finish() {
    m_out.is_xmpp = m_xmpp_evidence || m_conn.frames.empty() || m_not_xml + m_non_text == 0;
    if (!m_xmpp_evidence && !m_conn.frames.empty() && (m_not_xml > 0 || m_non_text > 0)) {
      m_out.is_xmpp = false;
      Add(Severity::Warning, "not-xmpp", m_first_not_xml >= 0 ? m_first_not_xml : 0,
          "None of this connection's " + std::to_string(m_conn.frames.size()) +
              " frames is XMPP" + (m_not_xml_error.empty() ? std::string(".") : " (first: " + m_not_xml_error + ")."),
          "This is another WebSocket on the page, not the Finesse notification channel; it is not checked.");
    } else if (m_not_xml > 0) {
      Add(Severity::Warning, "unparsable-frame", m_first_not_xml,
          std::to_string(m_not_xml) + " frame(s) are not well-formed XML (first: " + m_not_xml_error + ").",
          "A cut-off export or a frame that was edited by hand; the steps around it may be misread.");
    }
    m_ended = m_ended || m_conn.close_code.has_value();
    CheckPings();
    UpgradeStep();
    Resolve();
    std::stable_sort(m_out.findings.begin(), m_out.findings.end(), [](const Finding& a, const Finding& b) {
      if (a.severity != b.severity) return a.severity < b.severity;
      return a.frame < b.frame;
    });
  }

  void CheckPings() {
    for (const Ping& p : m_pings) m_out.ping_frames.push_back(uint32_t(p.frame));
    int consecutive = 0;
    bool reported_twice = false;
    for (const Ping& p : m_pings) {
      if (p.answered) { consecutive = 0; continue; }
      // Not answered yet, but the capture ended before the timeout ran out: cannot tell.
      bool overdue = m_ended || !HasTime(p.time) || !HasTime(m_last_time) || m_last_time - p.time > m_opt.ping_timeout_s;
      if (!overdue) continue;
      ++consecutive;
      Add(Severity::Warning, "ping-unanswered", p.frame,
          "The ping (id " + p.id + ") got no answer within " + Fmt("%.0f", m_opt.ping_timeout_s) + " s.",
          "One miss is tolerated; the server or the network path is slow.");
      if (consecutive >= 2 && !reported_twice) {
        reported_twice = true;
        Add(Severity::Error, "ping-missed-twice", p.frame,
            "Two pings in a row got no answer: the desktop declares the notification connection lost and fails over "
            "to the other Finesse node.",
            "Check the network path to the Finesse node (proxies that buffer WebSocket frames, VPN drops) and the "
            "Openfire service on it.");
      }
    }
  }

  void UpgradeStep() {
    StepState& up = St(StepId::Upgrade);
    const Handshake& hs = m_conn.handshake;
    // Only a received text frame proves the upgrade happened (a close frame does not).
    bool received_any = std::any_of(m_conn.frames.begin(), m_conn.frames.end(), [](const Frame& f) {
      return f.dir == Direction::Received && f.opcode == opcode::kText;
    });
    if (m_conn.transport == Transport::Bosh) {
      if (m_bosh_session != kNoFrame) {
        up.state = State::Passed;
        up.answer = m_bosh_session;
        up.detail = "session created";
      } else if (m_error_frame || St(StepId::Open).state == State::Failed) {
        up.state = State::Failed;
        up.detail = "no BOSH session was created";
      } else if (!hs.present) {
        up.detail = "no session request in this transcript";
      }
      return;
    }
    if (!hs.present) {
      up.detail = "no handshake in a transcript";
      return;  // skipped
    }
    const Header* proto = hs.FindResponse("Sec-WebSocket-Protocol");
    bool xmpp_proto = proto && ContainsIgnoreCase(proto->value, "xmpp");
    if (hs.status == 101 || (received_any && m_conn.frames_exported)) {
      up.state = State::Passed;
      up.detail = hs.status == 101 ? "101 Switching Protocols"
                                   : "the export shows status " + std::to_string(hs.status) +
                                         ", but frames flowed, so the upgrade happened";
      if (!hs.response_headers.empty() && !xmpp_proto) {
        Add(Severity::Error, "no-xmpp-subprotocol", kNoFrame,
            "The 101 response does not carry Sec-WebSocket-Protocol: xmpp" +
                (proto ? " (it says \"" + proto->value + "\")" : std::string()) + ".",
            "Openfire makes no XMPP session without the xmpp subprotocol: a proxy in between rewrote the handshake, or "
            "this is not Openfire's /ws/ endpoint.");
        if (!received_any) {
          up.state = State::Failed;
          up.detail = "101 without the xmpp subprotocol";
        }
      } else if (xmpp_proto) {
        up.detail += ", subprotocol xmpp";
      }
      if (!m_conn.frames_exported)
        Add(Severity::Warning, "no-frames-exported", kNoFrame,
            "This export has the WebSocket connection but none of its frames, so the login cannot be checked.",
            "Firefox and Safari do not export WebSocket frames. Export the HAR again from Chrome or Edge (DevTools → "
            "Network → right-click → Save all as HAR with content), or paste the frames from the Messages tab.");
      return;
    }
    up.state = State::Failed;
    std::string status = hs.status == 0 ? "no response" : "status " + std::to_string(hs.status) +
                                                              (hs.status_text.empty() ? "" : " " + hs.status_text);
    std::string error = hs.error.empty() ? m_upgrade_error : hs.error;
    up.detail = "no 101 Switching Protocols (" + status + (error.empty() ? "" : ", " + error) + ")";
    std::string host = HostPort(m_conn.url);
    // Without TLS (ws://) no certificate is involved: say what can be wrong instead.
    const bool tls = !StartsWithIgnoreCase(m_conn.url, "ws:") && !StartsWithIgnoreCase(m_conn.url, "http:");
    Add(Severity::Error, "upgrade-failed", kNoFrame,
        "The WebSocket upgrade failed: " + status + (error.empty() ? "" : " (" + error + ")") +
            (m_conn.close_code ? ", close code " + std::to_string(*m_conn.close_code) : std::string()) + ".",
        tls ? "Likely causes, most common first: the certificate of " + host +
                  " is not trusted in this browser (open https://" + host +
                  "/ in a tab and accept it, or install the Finesse CA); port " + PortOf(host) +
                  " is blocked by a firewall; a proxy drops the Upgrade header."
            : "Likely causes: nothing listens at " + host + " (wrong host or port, or the server is down); port " +
                  PortOf(host) + " is blocked by a firewall; a proxy drops the Upgrade header.");
  }

  static std::string HostPort(const std::string& url) {
    std::string hp = HostPortOf(url);
    return hp.empty() ? "<host>:8445" : hp;
  }
  static std::string PortOf(const std::string& host_port) {
    size_t colon = host_port.rfind(':');
    return colon == std::string::npos ? "443" : host_port.substr(colon + 1);
  }

  void Resolve() {
    const bool no_frames = !m_conn.frames_exported;
    const bool upgrade_failed = St(StepId::Upgrade).state == State::Failed;
    bool any_failed = false, pending = false, overdue = false;
    m_out.steps.resize(size_t(StepId::Count));
    std::string blocked_by;  // the failed step that stopped the sequence
    double last_progress = kNoTime;
    for (size_t k = 0; k < size_t(StepId::Count); ++k) {
      const StepSpec& spec = kSteps[k];
      StepState& st = m_steps[k];
      StepResult& r = m_out.steps[k];
      r.id = spec.id;
      r.request_frame = st.request;
      r.frame = st.answer != kNoFrame ? st.answer : st.request;
      r.detail = st.detail;
      double origin = m_conn.Origin();
      if (r.frame != kNoFrame && HasTime(FrameTime(r.frame)) && HasTime(origin))
        r.t_ms = (FrameTime(r.frame) - origin) * 1000.0;
      if (st.answer != kNoFrame && st.request != kNoFrame && st.answer != st.request && HasTime(FrameTime(st.answer)) &&
          HasTime(FrameTime(st.request)))
        r.latency_ms = (FrameTime(st.answer) - FrameTime(st.request)) * 1000.0;
      switch (st.state) {
        case State::Passed:
          r.status = StepStatus::Passed;
          if (HasTime(FrameTime(r.frame))) last_progress = FrameTime(r.frame);
          if (r.detail.empty()) r.detail = PassDetail(spec.id, r.frame);
          break;
        case State::Failed:
          r.status = StepStatus::Failed;
          any_failed = true;
          if (blocked_by.empty()) blocked_by = StepName(spec.id, m_conn.transport);
          if (r.detail.empty()) r.detail = "refused";
          break;
        case State::Requested:
          // Asked, never answered.
          if (m_ended) {
            r.status = StepStatus::Failed;
            any_failed = true;
            r.detail = "no answer before the connection ended";
            Add(Severity::Error, "no-answer", st.request,
                std::string("The ") + StepName(spec.id, m_conn.transport) + " request got no answer before the connection ended.",
                "The server dropped the request or the connection died at that moment; look at the close that follows.");
          } else {
            r.status = StepStatus::Missing;
            r.detail = "no answer in the capture";
            pending = true;
          }
          break;
        case State::NotStarted:
          if (k == 0) {
            // The handshake is all there is to see of it: a transcript has none.
            r.status = m_conn.handshake.present ? StepStatus::Missing : StepStatus::Skipped;
            if (r.detail.empty()) r.detail = "no session creation in the capture";
            break;
          }
          if (no_frames) {
            r.status = StepStatus::Missing;
            r.detail = "this export carries no frames";
            pending = true;
          } else if (!blocked_by.empty() || upgrade_failed) {
            r.status = spec.required ? StepStatus::Missing : StepStatus::Skipped;
            r.detail = "not reached: " + (blocked_by.empty() ? std::string("upgrade") : blocked_by) + " failed";
          } else if (!spec.required) {
            r.status = StepStatus::Skipped;
            r.detail = spec.id == StepId::SubscribeTeam ? "no team subscription (an agent, not a supervisor)"
                                                        : "none in the capture";
          } else {
            r.status = StepStatus::Missing;
            bool waited = HasTime(last_progress) && HasTime(m_last_time) &&
                          m_last_time - last_progress > m_opt.step_timeout_s;
            if (m_ended) {
              r.detail = "never seen before the connection ended";
            } else if (waited) {
              overdue = true;
              r.detail = "not seen in the " + Fmt("%.1f", m_last_time - last_progress) +
                         " s the capture went on after the previous step";
            } else {
              r.detail = "not seen: the capture stops before it";
              pending = true;
            }
          }
          break;
      }
    }
    const StepResult& fp = m_out.steps[size_t(StepId::FinessePresence)];
    const StepResult& pres = m_out.steps[size_t(StepId::Presence)];
    if (fp.status == StepStatus::Missing && pres.status == StepStatus::Passed && (m_ended || overdue))
      Add(Severity::Error, "no-finesse-presence", pres.frame,
          "No presence from finesse@" + (m_out.domain.empty() ? std::string("<domain>") : m_out.domain) +
              " arrived: the desktop stays at 'connecting'.",
          "The Finesse web application is down or not connected to Openfire on this node. Check the Cisco Finesse "
          "Tomcat service ('utils service list'), then the Finesse logs.");

    bool has_error = std::any_of(m_out.findings.begin(), m_out.findings.end(),
                                 [](const Finding& f) { return f.severity == Severity::Error; });
    bool missing_required = false;
    for (size_t k = 0; k < size_t(StepId::Count); ++k)
      if (kSteps[k].required && m_out.steps[k].status == StepStatus::Missing) missing_required = true;
    if (!m_out.is_xmpp) {
      m_out.verdict = Verdict::Incomplete;
      for (StepResult& r : m_out.steps) {
        r.status = StepStatus::Skipped;
        r.detail = "not an XMPP connection";
      }
    } else if (any_failed || has_error || (missing_required && (m_ended || overdue) && !no_frames)) {
      m_out.verdict = Verdict::Failed;
    } else if (missing_required || pending || no_frames) {
      m_out.verdict = Verdict::Incomplete;
    } else {
      m_out.verdict = Verdict::Healthy;
    }
    m_out.ended = m_ended;
    m_clean_close = m_close_seen || m_stream_error;
  }

  std::string PassDetail(StepId id, int frame) {
    switch (id) {
      case StepId::Open: {
        Stanza s = m_parser.Parse(m_conn.frames[size_t(frame)].payload);
        std::string mechs;
        for (auto& m : s.mechanisms) mechs += (mechs.empty() ? "" : ",") + m;
        return "features: SASL " + (mechs.empty() ? std::string("none") : mechs) +
               (s.caps_node.empty() ? "" : ", caps " + s.caps_node);
      }
      case StepId::Restart: {
        Stanza s = m_parser.Parse(m_conn.frames[size_t(frame)].payload);
        return s.has_bind ? "features with bind" : "features without bind";
      }
      case StepId::Bind: return m_out.jid.empty() ? "bound" : "bound " + m_out.jid;
      case StepId::Presence: return "initial presence sent";
      case StepId::FinessePresence:
        return "from " + m_parser.Parse(m_conn.frames[size_t(frame)].payload).from;
      case StepId::SubscribeUser:
      case StepId::SubscribeTeam: {
        Stanza req = m_parser.Parse(m_conn.frames[size_t(m_steps[size_t(id)].request)].payload);
        Stanza ans = m_parser.Parse(m_conn.frames[size_t(frame)].payload);
        return req.pubsub_node + " " + (ans.subscription.empty() ? "subscribed" : ans.subscription);
      }
      case StepId::Notifications:
        return std::to_string(m_out.notification_count) + " on " + std::to_string(m_out.notifications_by_node.size()) +
               " node(s)";
      default: return "";
    }
  }

 public:
  bool CleanClose() const { return m_clean_close; }

 private:
  struct Subscribe {
    int frame;
    std::string id, node;
  };
  const Connection& m_conn;
  const CheckOptions& m_opt;
  StanzaParser& m_parser;
  ConnectionReport m_out;
  StepState m_steps[size_t(StepId::Count)];
  Stanza m_stanza;
  size_t m_next = 0;
  std::vector<Ping> m_pings;
  std::vector<Subscribe> m_subscribes;
  double m_last_time = kNoTime;
  int m_features_seen = 0, m_bind_refused = 0, m_out_of_service = 0;
  int m_not_xml = 0, m_non_text = 0, m_first_not_xml = kNoFrame;
  std::string m_not_xml_error;
  int m_bosh_session = kNoFrame;
  bool m_xmpp_evidence = false, m_ended = false, m_close_seen = false, m_stream_error = false;
  bool m_error_frame = false, m_clean_close = false, m_received_any = false;
  std::string m_upgrade_error;
};

// [SECTION] Across connections: abnormal closes and reconnects

}  // namespace

const char* StepName(StepId id, Transport t) {
  return t == Transport::Bosh ? kSteps[size_t(id)].bosh_name : kSteps[size_t(id)].name;
}
const char* StepExpectation(StepId id, Transport t) {
  return t == Transport::Bosh ? kSteps[size_t(id)].bosh_expect : kSteps[size_t(id)].expect;
}
bool StepRequired(StepId id) { return kSteps[size_t(id)].required; }

bool Report::AllHealthy() const {
  bool any = false;
  for (const ConnectionReport& c : connections) {
    if (!c.is_xmpp) continue;
    any = true;
    if (c.verdict != Verdict::Healthy) return false;
  }
  return any;
}

size_t Report::XmppConnections() const {
  return size_t(std::count_if(connections.begin(), connections.end(), [](const ConnectionReport& c) { return c.is_xmpp; }));
}

struct Checker::Impl {
  const Capture& capture;
  CheckOptions options;
  StanzaParser parser;
  Report report;
  std::vector<bool> clean;
  size_t connection = 0;
  size_t frames_done = 0, frames_total = 0;
  std::unique_ptr<ConnectionChecker> current;
  bool done = false;
  Impl(const Capture& c, const CheckOptions& o) : capture(c), options(o) {
    report.capture = &c;
    for (const Connection& conn : c.connections) frames_total += conn.frames.size();
  }
  void CrossConnection();
};

Checker::Checker(const Capture& capture, const CheckOptions& options)
    : m_impl(std::make_unique<Impl>(capture, options)) {}
Checker::~Checker() = default;

bool Checker::Step(size_t budget) {
  Impl& m = *m_impl;
  if (budget == 0) budget = 1;
  while (!m.done && budget > 0) {
    if (m.connection == m.capture.connections.size()) {
      m.CrossConnection();
      m.done = true;
      break;
    }
    if (!m.current)
      m.current = std::make_unique<ConnectionChecker>(m.capture.connections[m.connection], int(m.connection), m.options, m.parser);
    size_t before = budget;
    bool finished = m.current->Feed(budget);
    m.frames_done += before - budget;
    if (finished) {
      m.report.connections.push_back(m.current->Result());
      m.clean.push_back(m.current->CleanClose());
      m.current.reset();
      ++m.connection;
    }
  }
  return m.done;
}

double Checker::Progress() const {
  return m_impl->done ? 1.0 : m_impl->frames_total ? double(m_impl->frames_done) / double(m_impl->frames_total) : 0.0;
}

Report Checker::Take() {
  while (!Step(SIZE_MAX)) {
  }
  return std::move(m_impl->report);
}

Report Check(const Capture& capture, const CheckOptions& options) { return Checker(capture, options).Take(); }

void Checker::Impl::CrossConnection() {
  // A connection that another one to the same host replaced ended there, whether or not the
  // capture shows its close; without <close/> or a stream error that end was abnormal.
  for (size_t i = 0; i < report.connections.size(); ++i) {
    ConnectionReport& a = report.connections[i];
    if (!a.is_xmpp) continue;
    const Connection& ca = *a.connection;
    // 1000 normal, 1001 going away, 1005 a close frame with no code: all orderly ends.
    bool abnormal_code = ca.close_code && *ca.close_code != 1000 && *ca.close_code != 1001 && *ca.close_code != 1005;
    size_t next = i + 1;
    while (next < report.connections.size() &&
           (!report.connections[next].is_xmpp || HostPortOf(report.connections[next].connection->url) != HostPortOf(ca.url)))
      ++next;
    bool replaced = next < report.connections.size();
    // A connection that never opened has its own finding (upgrade-failed, live-unreachable).
    const bool opened = a.steps[size_t(StepId::Upgrade)].status != StepStatus::Failed;
    if (opened && (abnormal_code || (replaced && !clean[i] && a.connection->frames_exported))) {
      std::string code = ca.close_code ? " with close code " + std::to_string(*ca.close_code) +
                                             (*ca.close_code == 1006 ? " (no close frame: the TCP connection dropped)" : "") +
                                             (ca.close_reason.empty() ? "" : " \"" + ca.close_reason + "\"")
                                       : " without <close/> or a stream error";
      int last = ca.frames.empty() ? kNoFrame : int(ca.frames.size()) - 1;
      a.findings.push_back({Severity::Error, "abnormal-close", last, "The connection ended" + code + ".",
                            "The network path or the server dropped it: look for the Finesse node restarting, a proxy "
                            "or firewall idle timeout, or the client machine sleeping. The desktop shows 'notification "
                            "connection lost' and reconnects."});
      a.ended = true;
      if (a.verdict != Verdict::Failed) a.verdict = Verdict::Failed;
    }
    if (replaced && !clean[i]) {
      ConnectionReport& b = report.connections[next];
      double gap = b.connection->Origin() - ca.Origin();
      double last_time = kNoTime;
      for (auto it = ca.frames.rbegin(); it != ca.frames.rend(); ++it)
        if (HasTime(it->time)) { last_time = it->time; break; }
      if (HasTime(last_time)) gap = b.connection->Origin() - last_time;
      b.findings.insert(b.findings.begin(),
                        {Severity::Info, "reconnect", kNoFrame,
                         "This connection is a reconnect after connection " + std::to_string(i + 1) + " ended abnormally" +
                             (HasTime(gap) ? Fmt(", %.1f s after its last frame", gap) : std::string()) + ".",
                         "A reconnect that logs in again means the desktop recovered; check why the previous one ended."});
    }
  }
  for (ConnectionReport& c : report.connections)
    std::stable_sort(c.findings.begin(), c.findings.end(), [](const Finding& a, const Finding& b) {
      if (a.severity != b.severity) return a.severity < b.severity;
      return a.frame < b.frame;
    });
}

}  // namespace fi
