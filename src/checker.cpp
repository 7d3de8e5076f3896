// The expected-sequence checker.
//
// [SECTION] Names and the step table (data)
// [SECTION] Evidence and the rules that credit steps from it (data)
// [SECTION] The iq tracker
// [SECTION] Feeding: one frame at a time, per connection
// [SECTION] Deriving: steps, findings and the verdict from the state
// [SECTION] Across connections: abnormal closes, reconnects, pings
// [SECTION] Checker
#include "checker.h"

#include "desktop_log.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <unordered_map>

#include "finesse_update.h"
#include "text_util.h"

namespace fi {

// [SECTION] Names and the step table (data)

const char* StepStatusName(StepStatus s) {
  static const char* const names[] = {"passed", "failed", "missing", "skipped", "not-captured"};
  static_assert(std::size(names) == size_t(StepStatus::Count));
  return names[size_t(s)];
}
const char* VerdictName(Verdict v) {
  static const char* const names[] = {"healthy", "failed", "incomplete"};
  static_assert(std::size(names) == size_t(Verdict::Count));
  return names[size_t(v)];
}

namespace {

struct StepSpec {
  StepId id;
  const char* name;
  const char* bosh_name;
  bool required;
  const char* expect;
  const char* bosh_expect;
};

const StepSpec kSteps[] = {
    {StepId::Upgrade, "upgrade", "session", true,
     "GET /ws/ with Upgrade: websocket and Sec-WebSocket-Protocol: xmpp → 101 Switching Protocols",
     "POST /http-bind/ session request → <body sid=…>"},
    {StepId::Open, "open", "open", true, "<open to=DOMAIN/> → <open/> and <stream:features> offering SASL PLAIN",
     "session request → <stream:features> offering SASL PLAIN"},
    {StepId::Auth, "auth", "auth", true, "<auth mechanism=PLAIN> → <success/>", "<auth mechanism=PLAIN> → <success/>"},
    {StepId::Restart, "restart", "restart", true, "a new <open/> after SASL → <stream:features> with <bind/>",
     "<body xmpp:restart=true> → <stream:features> with <bind/>"},
    {StepId::Bind, "bind", "bind", true,
     "<iq type=set><bind><resource/></bind></iq> → <iq type=result> with the full JID",
     "<iq type=set><bind><resource/></bind></iq> → <iq type=result> with the full JID"},
    {StepId::Presence, "presence", "presence", true, "initial <presence/> (entity caps optional)",
     "initial <presence/> (entity caps optional)"},
    {StepId::FinessePresence, "finesse-presence", "finesse-presence", true,
     "presence from finesse@DOMAIN: the Finesse web application is up",
     "presence from finesse@DOMAIN: the Finesse web application is up"},
    {StepId::SubscribeUser, "subscribe-user", "subscribe-user", true,
     "pubsub subscribe to /finesse/api/User/{id} → subscribed, or notifications on that node (auto-subscribed)",
     "pubsub subscribe to /finesse/api/User/{id} → subscribed, or notifications on that node (auto-subscribed)"},
    {StepId::SubscribeTeam, "subscribe-team", "subscribe-team", false,
     "pubsub subscribe to /finesse/api/Team/{id}/Users → subscribed (supervisors)",
     "pubsub subscribe to /finesse/api/Team/{id}/Users → subscribed (supervisors)"},
    {StepId::Notifications, "notifications", "notifications", false, "pubsub <event> messages carrying Finesse <Update>s",
     "pubsub <event> messages carrying Finesse <Update>s"},
};
static_assert(std::size(kSteps) == size_t(StepId::Count), "one spec per step id");

bool IsUserNode(std::string_view node) {
  constexpr std::string_view prefix = "/finesse/api/User/";
  return node.size() > prefix.size() && node.compare(0, prefix.size(), prefix) == 0 &&
         node.find('/', prefix.size()) == std::string_view::npos;
}
bool IsTeamNode(std::string_view node) {
  constexpr std::string_view prefix = "/finesse/api/Team/";
  return node.size() > prefix.size() + 6 && node.compare(0, prefix.size(), prefix) == 0 &&
         node.compare(node.size() - 6, 6, "/Users") == 0;
}
bool IsFinesseJid(std::string_view jid) { return JidLocal(jid) == "finesse"; }
std::string JoinMechanisms(const Stanza& features, const char* separator) {
  std::string out;
  for (const std::string& m : features.mechanisms) out += (out.empty() ? "" : separator) + m;
  return out;
}

// [SECTION] Evidence and the rules that credit steps from it (data)
// A frame is classified once into the evidence it carries; the rules then say which step that
// evidence asks, passes or fails. Nothing depends on where in the capture the frame sits, so a
// capture that starts mid-session still credits every step it shows.

enum class Ev : uint8_t {
  ClientOpen, ServerOpen, SaslFeatures, ClientRestart, ServerRestart, BindFeatures,
  AuthSent, Success, Failure, BindSet, BindResult, BindError, Presence, FinessePresence, FinesseGone,
  SubscribeUser, SubscribeUserOk, SubscribeUserError, SubscribeTeam, SubscribeTeamOk, SubscribeTeamError,
  UserEvent, TeamEvent, AnyEvent, Count
};
static_assert(size_t(Ev::Count) <= 32, "evidence is a 32-bit mask");
constexpr uint32_t Bit(Ev e) { return 1u << unsigned(e); }

// Tentative: passes the step on weaker evidence (the server's stream header) that stronger
// evidence (its features) may refine, and that a stream error right after still fails.
enum class Effect : uint8_t { Ask, Tentative, Pass, Fail };
struct Rule {
  Ev evidence;
  StepId step;
  Effect effect;
};
const Rule kRules[] = {
    {Ev::ClientOpen, StepId::Open, Effect::Ask},          {Ev::ServerOpen, StepId::Open, Effect::Tentative},
    {Ev::SaslFeatures, StepId::Open, Effect::Pass},       {Ev::AuthSent, StepId::Auth, Effect::Ask},
    {Ev::Success, StepId::Auth, Effect::Pass},            {Ev::Failure, StepId::Auth, Effect::Fail},
    {Ev::ClientRestart, StepId::Restart, Effect::Ask},    {Ev::ServerRestart, StepId::Restart, Effect::Ask},
    {Ev::BindFeatures, StepId::Restart, Effect::Pass},    {Ev::BindSet, StepId::Bind, Effect::Ask},
    {Ev::BindResult, StepId::Bind, Effect::Pass},         {Ev::BindError, StepId::Bind, Effect::Fail},
    {Ev::Presence, StepId::Presence, Effect::Pass},       {Ev::FinessePresence, StepId::FinessePresence, Effect::Pass},
    {Ev::FinesseGone, StepId::FinessePresence, Effect::Fail},
    {Ev::SubscribeUser, StepId::SubscribeUser, Effect::Ask},
    {Ev::SubscribeUserOk, StepId::SubscribeUser, Effect::Pass},
    {Ev::SubscribeUserError, StepId::SubscribeUser, Effect::Fail},
    {Ev::UserEvent, StepId::SubscribeUser, Effect::Pass}, {Ev::SubscribeTeam, StepId::SubscribeTeam, Effect::Ask},
    {Ev::SubscribeTeamOk, StepId::SubscribeTeam, Effect::Pass},
    {Ev::SubscribeTeamError, StepId::SubscribeTeam, Effect::Fail},
    {Ev::TeamEvent, StepId::SubscribeTeam, Effect::Pass}, {Ev::AnyEvent, StepId::Notifications, Effect::Pass},
};

std::string Fmt(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// [SECTION] The iq tracker
// One table of the client's iq requests by id, for every purpose: bind, pings and subscribes are
// paired with their answers here and nowhere else.

enum class IqPurpose : uint8_t { Bind, Ping, SubscribeUser, SubscribeTeam, SubscribeOther, Other };

struct IqRequest {
  IqPurpose purpose;
  int frame;
  double time;
  std::string id, node;
  int answer = kNoFrame;
  double answer_time = kNoTime;
};

class IqTracker {
 public:
  IqRequest& Request(IqPurpose purpose, int frame, double time, std::string id, std::string node) {
    m_requests.push_back({purpose, frame, time, std::move(id), std::move(node)});
    if (!m_requests.back().id.empty()) m_by_id[m_requests.back().id] = m_requests.size() - 1;
    return m_requests.back();
  }
  // The open request this answer pairs with, or null.
  IqRequest* Answer(const std::string& id, int frame, double time) {
    auto it = m_by_id.find(id);
    if (it == m_by_id.end()) return nullptr;
    IqRequest& r = m_requests[it->second];
    if (r.answer != kNoFrame) return nullptr;
    r.answer = frame;
    r.answer_time = time;
    return &r;
  }
  const std::vector<IqRequest>& Requests() const { return m_requests; }

 private:
  std::vector<IqRequest> m_requests;
  std::unordered_map<std::string, size_t> m_by_id;
};

// [SECTION] Feeding: one frame at a time, per connection

enum class State : uint8_t { NotStarted, Requested, Passed, Failed };

struct StepState {
  State state = State::NotStarted;
  int request = kNoFrame;
  int answer = kNoFrame;
  bool tentative = false;
  Detail detail;
};

// What a text log's state line says about its connection: one phrase table, read in one place.
namespace note_says {
constexpr unsigned kDropped = 1;       // the connection dropped (not a logout)
constexpr unsigned kRestarting = 2;    // the client starts over: the stream before ended there
constexpr unsigned kServerClosed = 4;  // the server's close, said in words
constexpr unsigned kRequestError = 8;  // a browser console's failed HTTP request (under BOSH)
}  // namespace note_says

unsigned NoteSays(std::string_view note) {
  using namespace note_says;
  struct Phrase {
    const char* text;
    unsigned says;
  };
  static const Phrase phrases[] = {
      {"closed unexpectedly", kDropped}, {"connection has dropped", kDropped}, {"connection dropped", kDropped},
      {"connection lost", kDropped}, {"connection_lost", kDropped}, {"CONNFAIL", kDropped},
      {"connection reset", kDropped}, {"ECONNRESET", kDropped}, {"ECONNREFUSED", kDropped},
      {"socket error", kDropped}, {"websocket error", kDropped}, {"disconnected unexpectedly", kDropped},
      {"closed by remote host", kDropped}, {"network error", kDropped},
      {"net::ERR_", kDropped | kRequestError}, {"request errored", kDropped | kRequestError},
      {"status connect", kRestarting}, {"status disconnect", kRestarting}, {"reconnecting", kRestarting},
      {"reconnect in", kRestarting}, {"status changed to: disconnected", kRestarting},
      // slixmpp and SleekXMPP (with its typo) print the server's </stream:stream> this way.
      {"end of stream received", kServerClosed}, {"end of stream recieved", kServerClosed},
  };
  unsigned says = 0;
  for (const Phrase& p : phrases)
    if (ContainsIgnoreCase(note, p.text)) says |= p.says;
  return says;
}

class ConnectionState {
 public:
  ConnectionState(int index, const CheckOptions& o) : m_index(index), m_opt(o) {}

  size_t next = 0;  // the first frame not fed yet

  void Feed(const Connection& c, ConnectionReport& out, StanzaParser& parser, Stanza& s, size_t end) {
    for (; next < end; ++next) OnFrame(c, out, parser, s, int(next), c.frames[next]);
  }

  // Steps, the connection's own findings and its verdict inputs, derived from the state.
  void Derive(const Connection& c, ConnectionReport& out);
  void CheckPings(ConnectionReport& out, double capture_last_time, bool abnormal_end);
  void DecideVerdict(ConnectionReport& out, const std::vector<Finding>& external);
  bool CleanClose() const { return m_close_seen || m_stream_error; }
  // The server took part in the end: its own close or terminate, or a stream error. A client's
  // close the server never answered is not enough once the log says the connection dropped.
  bool ServerEnded() const { return m_server_closed || m_stream_error || m_note_server_closed; }
  bool NoteDropped() const { return m_note_dropped; }
  bool NoteRestartAtEnd() const { return m_note_restart_at_end; }
  void AddDerived(Finding f) { m_derived.push_back(std::move(f)); }
  // The latest time any frame carried (times in a log can go backwards): "how long the capture
  // went on" must not depend on where the frames were cut into slices.
  double MaxTime() const { return m_max_time; }

 private:
  void Add(Finding f) { m_findings.push_back(std::move(f)); }
  StepState& St(StepId id) { return m_steps[size_t(id)]; }
  // Passed for good, or failed: later evidence no longer changes what the step says.
  bool Final(StepId id) const {
    const StepState& st = m_steps[size_t(id)];
    return st.state == State::Failed || (st.state == State::Passed && !st.tentative);
  }

  void OnFrame(const Connection& c, ConnectionReport& out, StanzaParser& parser, Stanza& s, int i, const Frame& f);
  uint32_t Classify(const Stanza& s, Direction dir, int i, const Frame& f, ConnectionReport& out);
  void Apply(uint32_t evidence, int i, const Stanza& s);
  void OnErrorFrame(const Connection& c, int i, const Frame& f);
  void OnStreamEnd(int i, const Stanza& s);
  StepId FailPending(int i, Detail detail);
  void OnFeatures(int i, const Stanza& s);
  void OnAuth(int i, const Stanza& s, const std::string& domain);
  void OnEvent(int i, const Stanza& s, ConnectionReport& out);
  void UpgradeStep(const Connection& c);

  int m_index;
  const CheckOptions& m_opt;
  StepState m_steps[size_t(StepId::Count)];
  IqTracker m_iq;
  uint32_t m_settled = 0;          // evidence whose step is final (passed for good, or failed)
  std::vector<size_t> m_pings;     // indices into the tracker's requests
  struct ServerPing {
    int frame;
    double time;
    std::string id;
    bool answered;
  };
  std::vector<ServerPing> m_server_pings;
  std::unordered_map<std::string, size_t> m_server_ping_ids;  // the ones not answered yet
  UserStateChanges m_user_states;
  std::vector<Finding> m_findings;  // raised while feeding; derived ones are added in Derive
  std::vector<Finding> m_derived;
  std::vector<uint32_t> m_derived_frames;  // frames flagged by the last derivation
  double m_last_time = kNoTime, m_max_time = kNoTime;
  std::string m_jid;  // the bound JID, from the bind result
  bool m_note_dropped = false, m_note_restart_at_end = false, m_note_server_closed = false;
  bool m_post_auth = false;  // the stream is past SASL: an open now is the restart
  int m_sasl_features = kNoFrame;
  bool m_plain_offered = false;
  std::string m_mechanisms;
  bool m_auth_not_plain = false;
  int m_bind_refused = 0, m_out_of_service = 0;
  int m_not_xml = 0, m_non_text = 0, m_first_not_xml = kNoFrame;
  std::string m_not_xml_error;
  int m_bosh_session = kNoFrame;
  bool m_xmpp_evidence = false, m_ended = false, m_close_seen = false, m_stream_error = false, m_server_closed = false;
  bool m_error_frame = false, m_received_text = false;  // a text frame came from the server
  std::string m_upgrade_error;
  bool m_overdue = false, m_pending = false, m_no_frames = false, m_missing_required = false, m_any_failed = false;
  bool m_not_captured = false;
};

void ConnectionState::OnFrame(const Connection& c, ConnectionReport& out, StanzaParser& parser, Stanza& s, int i,
                              const Frame& f) {
  uint8_t flags = 0;
  if (f.dir == Direction::Error) {
    out.kinds.push_back(StanzaKind::NotXml);
    out.flags.push_back(frame_flag::kErrorStanza);
    OnErrorFrame(c, i, f);
    return;
  }
  if (f.opcode == opcode::kClose) {
    out.kinds.push_back(StanzaKind::Close);
    out.flags.push_back(0);
    m_ended = true;
    return;
  }
  if (f.opcode != opcode::kText) {
    out.kinds.push_back(StanzaKind::OtherXml);
    out.flags.push_back(0);
    ++m_non_text;
    return;
  }
  if (f.payload.size() > (1u << 20))
    Add(MakeFinding(FindingCode::FrameTooLarge, i, {{"size", FormatBytes(f.payload.size())}}));
  parser.Parse(f.payload, s);  // one reused Stanza: no allocation per frame once its strings have grown
  out.kinds.push_back(s.kind);
  if (s.kind == StanzaKind::NotXml) {
    if (m_not_xml++ == 0) m_first_not_xml = i;
    m_not_xml_error = s.parse_error;
    out.flags.push_back(frame_flag::kErrorStanza);
    return;
  }
  if (s.kind == StanzaKind::StreamError || s.kind == StanzaKind::Failure ||
      (s.kind == StanzaKind::BoshTerminate && !s.condition.empty()) || (s.kind == StanzaKind::Iq && s.type == "error"))
    flags |= frame_flag::kErrorStanza;
  out.flags.push_back(flags);
  if (s.kind != StanzaKind::Empty && s.kind != StanzaKind::OtherXml) m_xmpp_evidence = true;
  if (HasTime(f.time)) {
    m_last_time = f.time;
    if (!HasTime(m_max_time) || f.time > m_max_time) m_max_time = f.time;
  }
  if (f.dir == Direction::Received) {
    m_received_text = true;
  }
  // Evidence for steps already settled changes nothing: most frames of a long session (its
  // notifications) stop here.
  const uint32_t evidence = Classify(s, f.dir, i, f, out) & ~m_settled;
  if (evidence) Apply(evidence, i, s);
}

uint32_t ConnectionState::Classify(const Stanza& s, Direction dir, int i, const Frame& f, ConnectionReport& out) {
  const bool sent = dir == Direction::Sent;
  switch (s.kind) {
    case StanzaKind::Open:
      if (sent) {
        if (out.domain.empty()) out.domain = s.to;
        m_close_seen = false;
        return Bit(m_post_auth ? Ev::ClientRestart : Ev::ClientOpen);
      }
      return Bit(m_post_auth ? Ev::ServerRestart : Ev::ServerOpen);
    case StanzaKind::BoshSession:
      if (sent) {
        if (out.domain.empty()) out.domain = s.to;
        return Bit(Ev::ClientOpen);
      }
      // The session's creation: its own step. The features that may ride with it prove the open.
      if (!s.bosh_sid.empty() && m_bosh_session == kNoFrame) m_bosh_session = i;
      return 0;
    case StanzaKind::BoshRestart:
      return sent ? Bit(Ev::ClientRestart) : 0;
    case StanzaKind::Features:
      if (sent) return 0;
      if (s.has_mechanisms && !m_post_auth) {
        OnFeatures(i, s);
        return Bit(Ev::SaslFeatures);
      }
      // After SASL, the features that follow the new stream complete the restart, whatever a
      // log shows of them (Prosody prints only their start tag); <bind/> in them proves it even
      // in a log that begins there.
      if (s.has_bind || m_post_auth) {
        m_post_auth = true;
        return Bit(Ev::BindFeatures);
      }
      // STARTTLS-only features: the server answered the open; SASL comes after TLS.
      return Bit(Ev::ServerOpen);
    case StanzaKind::Auth:
      if (!sent) return 0;
      OnAuth(i, s, out.domain);
      return Bit(Ev::AuthSent);
    case StanzaKind::Success:
      if (sent) return 0;
      m_post_auth = true;
      return Bit(Ev::Success);
    case StanzaKind::Failure:
      // A STARTTLS <failure/> is not SASL's.
      if (sent || s.ns.find("xmpp-tls") != std::string::npos) return 0;
      {
        std::string cond = s.condition.empty() ? "undefined-condition" : s.condition;
        StepState& auth = St(StepId::Auth);
        if (Final(StepId::Auth)) return Bit(Ev::Failure);  // a later failure changes nothing said
        TextArgs args = {{"condition", cond}, {"text", s.error_text}};
        if (auth.detail.code == DetailCode::AuthPlain) args.insert(args.end(), auth.detail.args.begin(), auth.detail.args.end());
        auth.detail = MakeDetail(DetailCode::SaslFailed, std::move(args));
        Add(MakeFinding(FindingCode::SaslFailure, i, {{"condition", cond}, {"text", s.error_text}}, StepId::Auth));
      }
      return Bit(Ev::Failure);
    case StanzaKind::StreamError:
      if (!sent) OnStreamEnd(i, s);
      return 0;
    case StanzaKind::BoshTerminate:
      // The client's own terminate is its logout; the server's answer to it, or a terminate
      // with no condition, is the clean end of the session. Only a condition means trouble.
      if (sent || s.condition.empty() || m_close_seen) {
        m_close_seen = true;
        m_server_closed = true;  // BOSH answers a terminate in the same exchange
        m_ended = true;
      } else if (!m_stream_error) {
        OnStreamEnd(i, s);
      }
      return 0;
    case StanzaKind::Close:
      m_close_seen = true;
      m_server_closed = m_server_closed || !sent;
      m_ended = true;
      return 0;
    case StanzaKind::Presence:
      if (sent) return s.to.empty() && (s.type.empty() || s.type == "available") ? Bit(Ev::Presence) : 0;
      if (!IsFinesseJid(s.from)) return 0;
      if (s.type.empty() || s.type == "available") return Bit(Ev::FinessePresence);
      if (s.type == "unavailable") {
        Add(MakeFinding(FindingCode::FinesseUnavailable, i, {}, StepId::FinessePresence));
        return Bit(Ev::FinesseGone);
      }
      return 0;
    case StanzaKind::Message:
      if (sent || !s.is_pubsub_event) return 0;
      OnEvent(i, s, out);
      return Bit(Ev::AnyEvent) | (IsUserNode(s.event_node) ? Bit(Ev::UserEvent) : 0) |
             (IsTeamNode(s.event_node) ? Bit(Ev::TeamEvent) : 0);
    case StanzaKind::Iq: break;
    default: return 0;
  }

  // The server's own pings: the client must answer them, or the server ends the stream.
  if (!sent && s.type == "get" && s.iq_payload == IqPayload::Ping) {
    m_server_ping_ids[s.id] = m_server_pings.size();
    m_server_pings.push_back({i, f.time, s.id, false});
    out.flags[size_t(i)] |= frame_flag::kPing;
    return 0;
  }
  if (sent && (s.type == "result" || s.type == "error")) {
    auto it = m_server_ping_ids.find(s.id);
    if (it != m_server_ping_ids.end()) {
      m_server_pings[it->second].answered = true;
      m_server_ping_ids.erase(it);
    }
  }
  // Iq: the client's requests go into the tracker; answers are paired through it.
  if (sent && (s.type == "set" || s.type == "get")) {
    switch (s.iq_payload) {
      case IqPayload::Bind:
        if (s.type != "set") return 0;
        m_iq.Request(IqPurpose::Bind, i, f.time, s.id, "");
        return Bit(Ev::BindSet);
      case IqPayload::Ping:
        if (s.type != "get") return 0;
        m_pings.push_back(m_iq.Requests().size());
        m_iq.Request(IqPurpose::Ping, i, f.time, s.id, "");
        out.flags[size_t(i)] |= frame_flag::kPing;
        out.ping_frames.push_back(uint32_t(i));
        return 0;
      case IqPayload::PubsubSubscribe: {
        if (s.type != "set") return 0;
        IqPurpose p = IsUserNode(s.pubsub_node)   ? IqPurpose::SubscribeUser
                      : IsTeamNode(s.pubsub_node) ? IqPurpose::SubscribeTeam
                                                  : IqPurpose::SubscribeOther;
        m_iq.Request(p, i, f.time, s.id, s.pubsub_node);
        return p == IqPurpose::SubscribeUser ? Bit(Ev::SubscribeUser)
               : p == IqPurpose::SubscribeTeam ? Bit(Ev::SubscribeTeam)
                                               : 0;
      }
      default:
        m_iq.Request(IqPurpose::Other, i, f.time, s.id, "");
        return 0;
    }
  }
  if (sent || (s.type != "result" && s.type != "error")) return 0;
  const bool ok = s.type == "result";
  std::string cond = s.condition.empty() ? "undefined-condition" : s.condition;
  IqRequest* req = m_iq.Answer(s.id, i, f.time);
  IqPurpose purpose = req ? req->purpose : IqPurpose::Other;
  if (!req) {
    // An answer whose request the capture does not hold (it starts later): what it carries
    // still proves the step.
    if (ok && !s.bind_jid.empty()) purpose = IqPurpose::Bind;
    else if (ok && s.iq_payload == IqPayload::PubsubSubscription && IsUserNode(s.pubsub_node)) purpose = IqPurpose::SubscribeUser;
    else if (ok && s.iq_payload == IqPayload::PubsubSubscription && IsTeamNode(s.pubsub_node)) purpose = IqPurpose::SubscribeTeam;
  }
  switch (purpose) {
    case IqPurpose::Bind:
      if (ok) {
        if (!s.bind_jid.empty() && m_jid.empty()) m_jid = s.bind_jid;
        if (!Final(StepId::Bind)) St(StepId::Bind).detail = MakeDetail(DetailCode::Bound, {{"jid", s.bind_jid}});
        return Bit(Ev::BindResult);
      }
      if (!Final(StepId::Bind)) St(StepId::Bind).detail = MakeDetail(DetailCode::BindRefusedCond, {{"condition", cond}});
      if (m_bind_refused++ == 0)
        Add(MakeFinding(FindingCode::BindRefused, i,
                        {{"condition", cond}, {cond == "conflict" ? "conflict" : "other", "1"}}, StepId::Bind));
      return Bit(Ev::BindError);
    case IqPurpose::SubscribeUser:
    case IqPurpose::SubscribeTeam:
    case IqPurpose::SubscribeOther: {
      const std::string& node = req ? req->node : s.pubsub_node;
      const StepId step = purpose == IqPurpose::SubscribeTeam ? StepId::SubscribeTeam : StepId::SubscribeUser;
      const bool counts = purpose != IqPurpose::SubscribeOther;
      if (!ok) {
        if (counts && !Final(step))
          St(step).detail = MakeDetail(DetailCode::SubscribeRefusedCond, {{"node", node}, {"condition", cond}});
        Add(MakeFinding(FindingCode::SubscribeRefused, i, {{"node", node}, {"condition", cond}},
                        counts ? step : StepId::Count));
        if (!counts) return 0;
        return Bit(step == StepId::SubscribeTeam ? Ev::SubscribeTeamError : Ev::SubscribeUserError);
      }
      if (s.subscription == "pending" || s.subscription == "unconfigured" || s.subscription == "none")
        Add(MakeFinding(FindingCode::SubscriptionNotActive, i, {{"node", node}, {"subscription", s.subscription}},
                        counts ? step : StepId::Count));
      if (!counts) return 0;
      if (!Final(step))
        St(step).detail = MakeDetail(DetailCode::Subscribed,
                                   {{"node", node}, {"subscription", s.subscription.empty() ? "subscribed" : s.subscription}});
      return Bit(step == StepId::SubscribeTeam ? Ev::SubscribeTeamOk : Ev::SubscribeUserOk);
    }
    default: return 0;
  }
}

void ConnectionState::Apply(uint32_t evidence, int i, const Stanza& s) {
  // Anything of a later step proves the stream was open: a header-only open is then settled.
  StepState& open = St(StepId::Open);
  if (open.tentative && (evidence & ~(Bit(Ev::ClientOpen) | Bit(Ev::ServerOpen) | Bit(Ev::SaslFeatures)))) {
    open.tentative = false;
    for (const Rule& other : kRules)
      if (other.step == StepId::Open) m_settled |= Bit(other.evidence);
  }
  for (const Rule& r : kRules) {
    if (!(evidence & Bit(r.evidence))) continue;
    StepState& st = m_steps[size_t(r.step)];
    if ((st.state == State::Passed && !st.tentative) || st.state == State::Failed) continue;
    switch (r.effect) {
      case Effect::Ask:
        if (st.state == State::NotStarted) {
          st.state = State::Requested;
          st.request = i;
        }
        break;
      case Effect::Tentative:
        if (st.state == State::Passed) break;
        st.state = State::Passed;
        st.tentative = true;
        st.answer = i;
        st.detail = MakeDetail(s.kind == StanzaKind::Features && s.has_starttls ? DetailCode::FeaturesStarttls
                                                                                 : DetailCode::ServerOpened);
        break;
      case Effect::Pass:
      case Effect::Fail:
        if (r.effect == Effect::Pass && (r.evidence == Ev::UserEvent || r.evidence == Ev::TeamEvent))
          st.detail = MakeDetail(st.state == State::Requested ? DetailCode::EventBeforeAnswer : DetailCode::SubscribedByServer,
                                 {{"node", s.event_node}});
        if (st.tentative) st.detail = Detail();  // stronger evidence refines it
        st.tentative = false;
        st.state = r.effect == Effect::Pass ? State::Passed : State::Failed;
        st.answer = i;
        if (r.effect == Effect::Pass && st.detail.Empty()) {
          switch (r.step) {
            case StepId::Open: {
              const std::string mechs = JoinMechanisms(s, ",");
              st.detail = MakeDetail(DetailCode::FeaturesSasl, {{"mechanisms", mechs.empty() ? "none" : mechs},
                                                                {"caps", s.caps_node}});
              break;
            }
            case StepId::Restart: st.detail = MakeDetail(s.has_bind ? DetailCode::FeaturesBind : DetailCode::FeaturesNoBind); break;
            case StepId::Presence: st.detail = MakeDetail(DetailCode::PresenceSent); break;
            case StepId::FinessePresence: st.detail = MakeDetail(DetailCode::FromJid, {{"jid", s.from}}); break;
            default: break;
          }
        }
        if (r.effect == Effect::Fail && st.detail.Empty()) st.detail = MakeDetail(DetailCode::Refused);
        for (const Rule& other : kRules)
          if (other.step == r.step) m_settled |= Bit(other.evidence);
        break;
    }
  }
}

void ConnectionState::OnFeatures(int i, const Stanza& s) {
  for (const std::string& m : s.mechanisms)
    if (EqualsIgnoreCase(m, "PLAIN")) m_plain_offered = true;
  if (m_sasl_features == kNoFrame) {
    m_sasl_features = i;
    m_mechanisms = JoinMechanisms(s, ", ");
  }
}

void ConnectionState::OnAuth(int i, const Stanza& s, const std::string& domain) {
  // A retry after the step was decided adds findings, but the step keeps what decided it.
  Detail unused;
  Detail& detail = Final(StepId::Auth) ? unused : St(StepId::Auth).detail;
  if (!EqualsIgnoreCase(s.mechanism, "PLAIN")) {
    detail = MakeDetail(DetailCode::AuthMechanism, {{"mechanism", s.mechanism}});
    if (!s.mechanism.empty() && !m_auth_not_plain) {
      m_auth_not_plain = true;
      Add(MakeFinding(FindingCode::AuthNotPlain, i, {{"mechanism", s.mechanism}}, StepId::Auth));
    }
    return;
  }
  // "XXXX…" or "****": the person who posted the log redacted it.
  const bool redacted = !s.sasl_payload.empty() && s.sasl_payload.find_first_not_of("Xx*.") == std::string::npos;
  if (s.sasl_hidden || s.sasl_payload.empty() || redacted) {
    // Hidden by the logger, or no initial response (RFC 6120 allows it; the credentials then
    // follow in a <response/>): nothing here is malformed.
    detail = MakeDetail(DetailCode::AuthMechanism, {{"mechanism", "PLAIN (credentials not in this element)"}});
    return;
  }
  if (!s.plain.decoded) {
    detail = MakeDetail(DetailCode::AuthPlainUndecodable);
    Add(MakeFinding(FindingCode::SaslPlainMalformed, i, {}, StepId::Auth));
    return;
  }
  std::string password = m_opt.reveal_secrets ? "\"" + RevealPlainPassword(s.sasl_payload) + "\"" : "masked";
  detail = MakeDetail(DetailCode::AuthPlain, {{"authzid", s.plain.authzid.empty() ? "(none)" : s.plain.authzid},
                                                 {"authcid", s.plain.authcid},
                                                 {"length", std::to_string(s.plain.password_length)},
                                                 {"password", password}});
  if (s.plain.password_length == 0) Add(MakeFinding(FindingCode::SaslEmptyPassword, i, {}, StepId::Auth));
  if (!s.plain.authzid.empty() && !domain.empty()) {
    std::string zdomain(JidDomain(s.plain.authzid));
    if (!EqualsIgnoreCase(zdomain, domain))
      Add(MakeFinding(FindingCode::AuthzidDomainMismatch, i,
                      {{"authzid", s.plain.authzid}, {"authzid_domain", zdomain}, {"domain", domain}}, StepId::Auth));
  }
}

// The step a connection-level failure (stream error, terminate, error frame) breaks: the one
// waiting for an answer; or the open, when nothing of the stream was seen before it. An
// established session that ends this way fails no step: its findings say what happened.
StepId ConnectionState::FailPending(int i, Detail detail) {
  StepState* target = nullptr;
  // The server's stream header and then an error, before anything else of the login: the open
  // itself was refused (host-unknown).
  if (St(StepId::Open).state == State::Passed && St(StepId::Open).tentative) {
    bool later = false;
    for (size_t k = size_t(StepId::Open) + 1; k < size_t(StepId::Count); ++k) later = later || m_steps[k].state != State::NotStarted;
    if (!later) target = &St(StepId::Open);
  }
  for (size_t k = 1; k < size_t(StepId::Count) && !target; ++k)
    if (m_steps[k].state == State::Requested) target = &m_steps[k];
  if (!target) {
    bool any = false;
    for (size_t k = 1; k < size_t(StepId::Count); ++k) any = any || m_steps[k].state != State::NotStarted;
    if (!any) target = &St(StepId::Open);
  }
  if (!target) return StepId::Count;
  target->state = State::Failed;
  target->tentative = false;
  target->answer = i;
  target->detail = std::move(detail);
  return StepId(target - m_steps);
}

void ConnectionState::OnStreamEnd(int i, const Stanza& s) {
  m_ended = true;
  m_stream_error = true;
  const bool bosh = s.kind == StanzaKind::BoshTerminate;
  std::string cond = s.condition.empty() ? "undefined-condition" : s.condition;
  const StepId failed = FailPending(i, MakeDetail(bosh ? DetailCode::BoshEnded : DetailCode::StreamEnded,
                                                  {{"condition", cond}, {"text", s.error_text}}));
  if (bosh && cond == "remote-stream-error") return;  // the stream error inside says more
  Add(MakeFinding(bosh ? FindingCode::BoshTerminate : FindingCode::StreamError, i,
                  {{"condition", cond}, {"text", s.error_text}}, failed));
}

void ConnectionState::OnErrorFrame(const Connection& c, int i, const Frame& f) {
  m_ended = true;
  m_error_frame = true;
  std::string text(TruncateUtf8(f.payload, 300));
  const bool bosh = c.transport == Transport::Bosh;
  Finding finding = MakeFinding(bosh ? FindingCode::BoshHttpError : FindingCode::WebSocketError, i,
                          {{"text", text}, {ContainsIgnoreCase(text, "CERT") ? "cert" : "other", "1"}});
  // Before any answer on a WebSocket that never got its 101, the error is the upgrade's own.
  if (!bosh && !m_received_text && c.handshake.present && c.handshake.status != 101) {
    if (m_upgrade_error.empty()) m_upgrade_error = text;
    finding.step = StepId::Upgrade;
    Add(std::move(finding));
    return;
  }
  finding.step = FailPending(i, MakeDetail(bosh ? DetailCode::BoshRequestError : DetailCode::TransportError, {{"text", text}}));
  Add(std::move(finding));
}

void ConnectionState::OnEvent(int i, const Stanza& s, ConnectionReport& out) {
  ++out.notification_count;
  ++out.notifications_by_node[s.event_node];
  // Decoding the <Update> costs a second parse: only when a finding may need it. The markers
  // survive the escaping ("&lt;apiErrors&gt;"), so the raw text can be scanned.
  std::string_view text = s.notification_raw.empty() ? std::string_view(s.notification_xml) : s.notification_raw;
  const bool system_info = s.event_node == "/finesse/api/SystemInfo";  // its status arrives only there
  // Users' states and requestIds feed the REST side (finesse_rest.h).
  const bool users = IsUserNode(s.event_node) || IsTeamNode(s.event_node);
  if (text.empty() || (!users && !MayHoldRequestId(text) && !MayHoldApiErrors(text) &&
                       !(system_info && MayBeOutOfService(text))))
    return;
  FinesseUpdate u;
  if (!ReadUpdateShape(text, !s.notification_raw.empty(), u)) u = DecodeUpdate(NotificationXml(s), false);
  if (!u.ok) return;
  UpdateFact fact;
  fact.frame = uint32_t(i);
  fact.request_id = u.request_id;
  for (UserState& us : u.users)
    if (m_user_states.Changed(us)) fact.users.push_back(std::move(us));
  if (!fact.request_id.empty() || !fact.users.empty()) out.updates.push_back(std::move(fact));
  if (u.data_kind == "SystemInfo" && u.state == "OUT_OF_SERVICE" && m_out_of_service++ == 0)
    Add(MakeFinding(FindingCode::SystemOutOfService, i));
  if (u.data_kind == "apiErrors") {
    std::string what;
    for (const ApiError& e : u.api_errors) what += (what.empty() ? "" : "; ") + e.type + (e.message.empty() ? "" : ": " + e.message);
    Add(MakeFinding(FindingCode::ApiErrors, i, {{"errors", what}, {"request_id", u.request_id}}));
  }
}

// [SECTION] Deriving: steps, findings and the verdict from the state

void ConnectionState::UpgradeStep(const Connection& c) {
  StepState& up = St(StepId::Upgrade);
  up = StepState();
  const Handshake& hs = c.handshake;
  if (c.transport == Transport::Bosh) {
    if (m_bosh_session != kNoFrame) {
      up.state = State::Passed;
      up.answer = m_bosh_session;
      up.detail = MakeDetail(DetailCode::SessionCreated);
    } else if (m_error_frame || St(StepId::Open).state == State::Failed) {
      up.state = State::Failed;
      up.detail = MakeDetail(DetailCode::NoBoshSession);
    } else if (!hs.present) {
      up.detail = MakeDetail(DetailCode::NoSessionRequest);
    }
    return;
  }
  if (!hs.present) {
    up.detail = MakeDetail(DetailCode::NoHandshake);
    return;  // skipped
  }
  const Header* proto = hs.FindResponse("Sec-WebSocket-Protocol");
  const bool xmpp_proto = proto && ContainsIgnoreCase(proto->value, "xmpp");
  if (hs.status == 101 || (m_received_text && c.frames_exported)) {
    up.state = State::Passed;
    up.detail = hs.status == 101 ? MakeDetail(DetailCode::Upgraded, {{"xmpp", xmpp_proto ? "1" : ""}})
                                 : MakeDetail(DetailCode::UpgradedByFrames, {{"status", std::to_string(hs.status)}});
    if (!hs.response_headers.empty() && !xmpp_proto) {
      m_derived.push_back(MakeFinding(FindingCode::NoXmppSubprotocol, kNoFrame,
                                      {{"protocol", proto ? proto->value : std::string()}}, StepId::Upgrade));
      if (!m_received_text) {
        up.state = State::Failed;
        up.detail = MakeDetail(DetailCode::UpgradeNoSubprotocol);
      }
    }
    if (!c.frames_exported) m_derived.push_back(MakeFinding(FindingCode::NoFramesExported, kNoFrame));
    return;
  }
  up.state = State::Failed;
  std::string status = hs.status == 0 ? "no response"
                                      : "status " + std::to_string(hs.status) +
                                            (hs.status_text.empty() ? "" : " " + hs.status_text);
  std::string error = hs.error.empty() ? m_upgrade_error : hs.error;
  up.detail = MakeDetail(DetailCode::UpgradeFailed, {{"status", status}, {"error", error}});
  std::string host = HostPortOf(c.url);
  if (host.empty()) host = "<host>:8445";
  size_t colon = host.rfind(':');
  std::string port = colon == std::string::npos ? "443" : host.substr(colon + 1);
  // Without TLS (ws://) no certificate is involved: say what can be wrong instead.
  const bool tls = !StartsWithIgnoreCase(c.url, "ws:") && !StartsWithIgnoreCase(c.url, "http:");
  m_derived.push_back(MakeFinding(
      FindingCode::UpgradeFailed, kNoFrame,
      {{"status", status}, {"error", error}, {"close_code", c.close_code ? std::to_string(*c.close_code) : ""},
       {"host", host}, {"port", port}, {tls ? "tls" : "plain", "1"}},
      StepId::Upgrade));
}

void ConnectionState::Derive(const Connection& c, ConnectionReport& out) {
  m_derived.clear();
  out.index = m_index;
  out.connection = &c;
  m_no_frames = !c.frames_exported;
  // The log's state lines, up to the frames fed so far (a live or sliced check must not read
  // ahead of its frames).
  m_note_dropped = m_note_restart_at_end = m_note_server_closed = false;
  const Note* request_error = nullptr;
  for (const Note& n : c.notes) {
    if (n.before_frame > next) break;
    const unsigned says = NoteSays(n.text);
    const bool after_frames = n.before_frame > 0;
    m_note_dropped = m_note_dropped || (after_frames && (says & note_says::kDropped));
    m_note_restart_at_end = m_note_restart_at_end || (after_frames && n.before_frame == c.frames.size() &&
                                                      (says & note_says::kRestarting));
    m_note_server_closed = m_note_server_closed || (says & note_says::kServerClosed);
    if (!request_error && (says & note_says::kRequestError)) request_error = &n;
  }
  const bool ended = m_ended || c.close_code.has_value() || m_note_restart_at_end || m_note_dropped;

  out.is_xmpp = m_xmpp_evidence || c.frames.empty() || m_not_xml + m_non_text == 0;
  if (!out.is_xmpp) {
    m_derived.push_back(MakeFinding(FindingCode::NotXmpp, m_first_not_xml >= 0 ? m_first_not_xml : 0,
                                    {{"frames", std::to_string(c.frames.size())}, {"error", m_not_xml_error}}));
  } else if (m_not_xml > 0) {
    m_derived.push_back(MakeFinding(FindingCode::UnparsableFrame, m_first_not_xml,
                                    {{"count", std::to_string(m_not_xml)}, {"error", m_not_xml_error}}));
  }
  if (m_sasl_features != kNoFrame && !m_plain_offered)
    m_derived.push_back(MakeFinding(FindingCode::NoPlainMechanism, m_sasl_features,
                                    {{"mechanisms", m_mechanisms}, {"none", m_mechanisms.empty() ? "1" : ""}},
                                    StepId::Open));
  UpgradeStep(c);
  // A browser's console says what failed under a text log's BOSH session ("Failed to load
  // resource: net::ERR_CONNECTION_REFUSED"): the request-level error a HAR would carry.
  if (c.transport == Transport::Bosh && !m_error_frame && request_error)
    m_derived.push_back(
        MakeFinding(FindingCode::BoshHttpError, kNoFrame, {{"text", std::string(request_error->text)}, {"other", "1"}}));

  // A server log that prints only start tags shows the bound JID in words (Prosody: "Resource
  // bound: 1001@finesse.lab/desktop"): that is the bind's evidence there.
  std::string bound_by_note;
  if (m_steps[size_t(StepId::Bind)].state == State::NotStarted || m_steps[size_t(StepId::Bind)].state == State::Requested)
    for (const Note& n : c.notes) {
      size_t p = n.text.find("Resource bound: ");
      if (p == std::string_view::npos) continue;
      std::string_view jid = Trim(n.text.substr(p + 16));
      bound_by_note = std::string(jid.substr(0, jid.find_first_of(" \t")));
      break;
    }
  out.jid = !m_jid.empty() ? m_jid : bound_by_note;
  // The first step the capture shows evidence of: steps before it that left none were before
  // the capture began (it starts mid-session), not missing.
  size_t first_evidence = size_t(StepId::Count);
  for (size_t k = 1; k < size_t(StepId::Count); ++k)
    if (m_steps[k].state != State::NotStarted || (k == size_t(StepId::Bind) && !bound_by_note.empty())) {
      first_evidence = k;
      break;
    }

  auto frame_time = [&](int i) { return i >= 0 && size_t(i) < c.frames.size() ? c.frames[size_t(i)].time : kNoTime; };
  const bool upgrade_failed = St(StepId::Upgrade).state == State::Failed;
  m_any_failed = m_pending = m_overdue = m_missing_required = m_not_captured = false;
  out.steps.resize(size_t(StepId::Count));
  const char* blocked_by = nullptr;  // the failed step that stopped the sequence
  double last_progress = kNoTime;
  const double origin = c.Origin();
  for (size_t k = 0; k < size_t(StepId::Count); ++k) {
    const StepSpec& spec = kSteps[k];
    const StepState& st = m_steps[k];
    StepResult& r = out.steps[k];
    r = StepResult();
    r.id = spec.id;
    r.request_frame = st.request;
    r.frame = st.answer != kNoFrame ? st.answer : st.request;
    r.detail = st.detail;
    State state = st.state;
    if (spec.id == StepId::Bind && !bound_by_note.empty()) {
      state = State::Passed;
      r.detail = MakeDetail(DetailCode::Bound, {{"jid", bound_by_note}});
    }
    if (HasTime(frame_time(r.frame)) && HasTime(origin)) r.t_ms = (frame_time(r.frame) - origin) * 1000.0;
    if (st.answer != kNoFrame && st.request != kNoFrame && st.answer != st.request && HasTime(frame_time(st.answer)) &&
        HasTime(frame_time(st.request)))
      r.latency_ms = (frame_time(st.answer) - frame_time(st.request)) * 1000.0;
    switch (state) {
      case State::Passed:
        r.status = StepStatus::Passed;
        if (HasTime(frame_time(r.frame))) last_progress = frame_time(r.frame);
        if (spec.id == StepId::Notifications)
          r.detail = MakeDetail(DetailCode::NotificationsCount, {{"count", std::to_string(out.notification_count)},
                                                                 {"nodes", std::to_string(out.notifications_by_node.size())}});
        break;
      case State::Failed:
        r.status = StepStatus::Failed;
        m_any_failed = true;
        if (!blocked_by) blocked_by = StepName(spec.id, c.transport);
        if (r.detail.Empty()) r.detail = MakeDetail(DetailCode::Refused);
        break;
      case State::Requested:
        if (ended) {  // asked, and the connection ended unanswered
          r.status = StepStatus::Failed;
          m_any_failed = true;
          r.detail = MakeDetail(DetailCode::NoAnswerBeforeEnd);
          m_derived.push_back(MakeFinding(FindingCode::NoAnswer, st.request, {{"step", StepName(spec.id, c.transport)}},
                                          spec.id));
        } else {
          r.status = StepStatus::Missing;
          r.detail = MakeDetail(DetailCode::NoAnswerInCapture);
          m_pending = true;
        }
        break;
      case State::NotStarted:
        if (k == 0 && c.transport == Transport::Bosh && !c.handshake.present &&
            first_evidence < size_t(StepId::Count)) {
          // A BOSH session's creation is a body like any other: a text log that starts later
          // did not capture it.
          r.status = StepStatus::NotCaptured;
          r.detail = MakeDetail(DetailCode::NotCaptured);
          m_not_captured = true;
        } else if (k == 0) {
          // The handshake is all there is to see of it: a text log has none.
          r.status = c.handshake.present ? StepStatus::Missing : StepStatus::Skipped;
          if (r.detail.Empty()) r.detail = MakeDetail(DetailCode::NoSessionCreation);
        } else if (m_no_frames) {
          r.status = StepStatus::Missing;
          r.detail = MakeDetail(DetailCode::NoFramesExported);
          m_pending = true;
        } else if (k < first_evidence && first_evidence < size_t(StepId::Count)) {
          r.status = spec.required ? StepStatus::NotCaptured : StepStatus::Skipped;
          r.detail = MakeDetail(DetailCode::NotCaptured);
          if (spec.required) m_not_captured = true;
        } else if (blocked_by || upgrade_failed) {
          r.status = spec.required ? StepStatus::Missing : StepStatus::Skipped;
          r.detail = MakeDetail(DetailCode::NotReached, {{"step", blocked_by ? blocked_by : "upgrade"}});
        } else if (!spec.required) {
          r.status = StepStatus::Skipped;
          r.detail = MakeDetail(spec.id == StepId::SubscribeTeam ? DetailCode::NoTeam : DetailCode::NoneInCapture);
        } else {
          r.status = StepStatus::Missing;
          m_missing_required = true;
          const bool waited = HasTime(last_progress) && HasTime(m_last_time) &&
                              m_last_time - last_progress > m_opt.step_timeout_s;
          if (ended) {
            r.detail = MakeDetail(DetailCode::NeverSeenBeforeEnd);
          } else if (waited) {
            m_overdue = true;
            r.detail = MakeDetail(DetailCode::NotSeenFor, {{"seconds", Fmt("%.1f", m_last_time - last_progress)}});
          } else {
            r.detail = MakeDetail(DetailCode::CaptureStopsBefore);
            m_pending = true;
          }
        }
        break;
    }
  }
  const StepResult& fp = out.steps[size_t(StepId::FinessePresence)];
  const StepResult& pres = out.steps[size_t(StepId::Presence)];
  if (fp.status == StepStatus::Missing && pres.status == StepStatus::Passed && (ended || m_overdue))
    m_derived.push_back(MakeFinding(FindingCode::NoFinessePresence, pres.frame,
                                    {{"domain", out.domain.empty() ? "<domain>" : out.domain}},
                                    StepId::FinessePresence));
  out.ended = ended;
}

void ConnectionState::CheckPings(ConnectionReport& out, double capture_last_time, bool abnormal_end) {
  int consecutive = 0;
  bool reported_twice = false;
  for (size_t idx : m_pings) {
    const IqRequest& p = m_iq.Requests()[idx];
    bool answered = p.answer != kNoFrame;
    // An answer after the timeout is a miss all the same: the desktop gave up on it.
    if (answered && HasTime(p.time) && HasTime(p.answer_time) && p.answer_time - p.time > m_opt.ping_timeout_s)
      answered = false;
    if (answered) {
      consecutive = 0;
      continue;
    }
    // Unanswered: a miss once the connection died with it outstanding, or once the capture (a
    // later frame on any connection) went on past the timeout. Otherwise it cannot tell yet.
    const bool missed = abnormal_end || (HasTime(p.time) && HasTime(capture_last_time) &&
                                         capture_last_time - p.time > m_opt.ping_timeout_s) ||
                        (p.answer != kNoFrame);
    if (!missed) continue;
    ++consecutive;
    m_derived.push_back(MakeFinding(FindingCode::PingUnanswered, p.frame,
                                    {{"id", p.id}, {"timeout", Fmt("%.0f", m_opt.ping_timeout_s)}, {"client", "1"}}));
    if (consecutive >= 2 && !reported_twice) {
      reported_twice = true;
      m_derived.push_back(MakeFinding(FindingCode::PingMissedTwice, p.frame));
    }
  }
  // The server's pings the client left unanswered until the stream ended, or past the timeout.
  for (const ServerPing& p : m_server_pings) {
    if (p.answered) continue;
    const bool ended = out.ended || abnormal_end;
    if (ended || (HasTime(p.time) && HasTime(capture_last_time) && capture_last_time - p.time > m_opt.ping_timeout_s))
      m_derived.push_back(MakeFinding(FindingCode::PingUnanswered, p.frame,
                                      {{"id", p.id}, {"timeout", Fmt("%.0f", m_opt.ping_timeout_s)}, {"server", "1"},
                                       {ended ? "ended" : "late", "1"}}));
  }
}

void ConnectionState::DecideVerdict(ConnectionReport& out, const std::vector<Finding>& external) {
  out.findings = m_findings;
  out.findings.insert(out.findings.end(), m_derived.begin(), m_derived.end());
  out.findings.insert(out.findings.end(), external.begin(), external.end());
  SortFindings(out.findings);
  // Flags of the last derivation are replaced: a later frame may settle a step elsewhere, and
  // a ping may be answered after all.
  for (uint32_t f : m_derived_frames)
    if (f < out.flags.size()) out.flags[f] &= uint8_t(~(frame_flag::kFinding | frame_flag::kStep));
  m_derived_frames.clear();
  for (const StepResult& r : out.steps)
    if ((r.status == StepStatus::Passed || r.status == StepStatus::Failed) && r.frame != kNoFrame &&
        size_t(r.frame) < out.flags.size()) {
      out.flags[size_t(r.frame)] |= frame_flag::kStep;
      m_derived_frames.push_back(uint32_t(r.frame));
    }
  for (const Finding& f : out.findings)
    if (f.frame != kNoFrame && f.severity != Severity::Info && size_t(f.frame) < out.flags.size()) {
      out.flags[size_t(f.frame)] |= frame_flag::kFinding;
      m_derived_frames.push_back(uint32_t(f.frame));
    }
  const bool has_error = std::any_of(out.findings.begin(), out.findings.end(),
                                     [](const Finding& f) { return f.severity == Severity::Error; });
  if (!out.is_xmpp) {
    out.verdict = Verdict::Incomplete;
    out.reason = VerdictReason::NotXmpp;
    for (StepResult& r : out.steps) {
      r.status = StepStatus::Skipped;
      r.detail = MakeDetail(DetailCode::NotXmpp);
    }
  } else if (m_any_failed) {
    out.verdict = Verdict::Failed;
    out.reason = VerdictReason::StepFailed;
  } else if (has_error) {
    out.verdict = Verdict::Failed;
    out.reason = VerdictReason::ErrorFound;
  } else if (m_missing_required && (out.ended || m_overdue) && !m_no_frames) {
    out.verdict = Verdict::Failed;
    out.reason = VerdictReason::MissingStep;
  } else if (m_no_frames) {
    out.verdict = Verdict::Incomplete;
    out.reason = VerdictReason::NoFrames;
  } else if (m_missing_required || m_pending) {
    out.verdict = Verdict::Incomplete;
    out.reason = VerdictReason::Pending;
  } else if (m_not_captured) {
    out.verdict = Verdict::Incomplete;
    out.reason = VerdictReason::MidSession;
  } else {
    out.verdict = Verdict::Healthy;
    out.reason = VerdictReason::AllPassed;
  }
}

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

// [SECTION] Checker

struct Checker::Impl {
  const Capture& capture;
  CheckOptions options;
  StanzaParser parser;
  Stanza stanza;
  Report report;
  std::vector<std::unique_ptr<ConnectionState>> states;
  size_t frames_fed = 0;
  double last_time = kNoTime;  // the latest frame time fed, on any connection
  bool rest_read = false;      // the capture's REST calls never change: read once
  std::vector<std::vector<Finding>> external;  // per connection: what only a live run knows
  FinesseLinkState link;                        // what LinkFinesse has read, for the next Current()
  inline static const std::vector<Finding> kNone;

  Impl(const Capture& c, const CheckOptions& o) : capture(c), options(o) { report.capture = &c; }

  size_t FramesTotal() const {
    size_t n = 0;
    for (const Connection& c : capture.connections) n += c.frames.size();
    return n;
  }
  void Refresh();
  void AcrossConnections(std::vector<bool>& abnormal);
  void CheckDomain(size_t i);
  void Failover(size_t from, size_t to);
};

Checker::Checker(const Capture& capture, const CheckOptions& options)
    : m_impl(std::make_unique<Impl>(capture, options)) {}
Checker::~Checker() = default;

bool Checker::Step(size_t budget) {
  Impl& m = *m_impl;
  if (budget == 0) budget = 1;
  const auto& conns = m.capture.connections;
  while (m.states.size() < conns.size()) {
    m.states.push_back(std::make_unique<ConnectionState>(int(m.states.size()), m.options));
    m.report.connections.emplace_back();
  }
  bool done = true;
  for (size_t i = 0; i < conns.size(); ++i) {
    ConnectionState& st = *m.states[i];
    const Connection& c = conns[i];
    if (st.next >= c.frames.size()) continue;
    if (budget == 0) {
      done = false;
      break;
    }
    ConnectionReport& out = m.report.connections[i];
    if (st.next == 0) {
      out.kinds.reserve(c.frames.size());
      out.flags.reserve(c.frames.size());
    }
    size_t end = st.next + std::min(budget, c.frames.size() - st.next);  // no overflow with SIZE_MAX
    size_t before = st.next;
    st.Feed(c, out, m.parser, m.stanza, end);
    budget -= end - before;
    m.frames_fed += end - before;
    if (HasTime(st.MaxTime()) && (!HasTime(m.last_time) || st.MaxTime() > m.last_time)) m.last_time = st.MaxTime();
    if (st.next < c.frames.size()) done = false;
  }
  return done;
}

double Checker::Progress() const {
  size_t total = m_impl->FramesTotal();
  return total ? double(m_impl->frames_fed) / double(total) : 1.0;
}

void Checker::AddFinding(size_t connection, Finding finding) {
  auto& ext = m_impl->external;
  if (ext.size() <= connection) ext.resize(connection + 1);
  ext[connection].push_back(std::move(finding));
}

const Report& Checker::Current() {
  m_impl->Refresh();
  return m_impl->report;
}

Report Checker::Take() {
  while (!Step(SIZE_MAX)) {
  }
  m_impl->Refresh();
  return std::move(m_impl->report);
}

Report Check(const Capture& capture, const CheckOptions& options) { return Checker(capture, options).Take(); }

void Checker::Impl::Refresh() {
  const auto& conns = capture.connections;
  report.capture = &capture;
  // A desktop client log has no frames: its whole reading is the Finesse side's.
  if (capture.format == "finesse-desktop-log") {
    if (!rest_read) AnalyseDesktopLog(capture, report);
    rest_read = true;
    return;
  }
  if (!rest_read) {
    report.finesse = ReadRest(capture);
    rest_read = true;
  }
  for (size_t i = 0; i < states.size(); ++i) states[i]->Derive(conns[i], report.connections[i]);
  std::vector<bool> abnormal(states.size(), false);
  AcrossConnections(abnormal);
  for (size_t i = 0; i < states.size(); ++i) {
    states[i]->CheckPings(report.connections[i], last_time, abnormal[i]);
    states[i]->DecideVerdict(report.connections[i], i < external.size() ? external[i] : kNone);
  }
  LinkFinesse(capture, report, 5, 10, &link);
}

// [SECTION] Across connections: abnormal closes, reconnects, pings

void Checker::Impl::AcrossConnections(std::vector<bool>& abnormal) {
  // A connection that another one to the same host replaced ended there, whether or not the
  // capture shows its close; without <close/> or a stream error that end was abnormal.
  auto& reports = report.connections;
  for (size_t i = 0; i < reports.size(); ++i) {
    ConnectionReport& a = reports[i];
    if (!a.is_xmpp) continue;
    const Connection& ca = capture.connections[i];
    const ConnectionState& st = *states[i];
    const bool clean = st.CleanClose();
    // 1000 normal, 1001 going away, 1005 a close frame with no code: all orderly ends.
    const bool abnormal_code =
        ca.close_code && *ca.close_code != 1000 && *ca.close_code != 1001 && *ca.close_code != 1005;
    // A text log that says the connection dropped, or that the client started over, with the
    // server taking no part in the end (no close, no stream error): an abnormal end.
    const bool dropped_note = !st.ServerEnded() && (st.NoteDropped() || (!clean && st.NoteRestartAtEnd()));
    CheckDomain(i);
    // Failover: the very next XMPP connection went to another host (the other Finesse node),
    // judged before any later one to this host (A, B, A is a failover and a failback).
    size_t other = i + 1;
    while (other < reports.size() && !reports[other].is_xmpp) ++other;
    const bool failover = other < reports.size() && !HostOf(ca.url).empty() &&
                          !HostOf(capture.connections[other].url).empty() &&
                          !EqualsIgnoreCase(HostOf(ca.url), HostOf(capture.connections[other].url));
    size_t next = i + 1;
    while (!failover && next < reports.size() &&
           (!reports[next].is_xmpp || HostPortOf(capture.connections[next].url) != HostPortOf(ca.url)))
      ++next;
    if (failover) next = other;
    const bool replaced = next < reports.size();
    // A connection that never opened has its own finding (upgrade-failed, live-unreachable).
    const bool opened = a.steps[size_t(StepId::Upgrade)].status != StepStatus::Failed;
    if (opened && (abnormal_code || dropped_note || (replaced && !clean && ca.frames_exported))) {
      abnormal[i] = true;
      const bool dropped = ca.close_code && *ca.close_code == 1006;
      int last = st.next == 0 ? kNoFrame : int(st.next) - 1;  // the last frame fed
      states[i]->AddDerived(MakeFinding(FindingCode::AbnormalClose, last,
                                        {{"close_code", ca.close_code ? std::to_string(*ca.close_code) : ""},
                                         {"dropped", dropped ? "1" : ""},
                                         {"reason", ca.close_code ? ca.close_reason : ""},
                                         {"no_close", ca.close_code ? "" : "1"}}));
      a.ended = true;
    }
    if (replaced && !clean) {
      const Connection& cb = capture.connections[next];
      double gap = kNoTime;
      for (auto it = ca.frames.rbegin(); it != ca.frames.rend(); ++it)
        if (HasTime(it->time)) {
          gap = cb.Origin() - it->time;
          break;
        }
      if (!HasTime(gap) && HasTime(ca.Origin())) gap = cb.Origin() - ca.Origin();
      states[next]->AddDerived(MakeFinding(FindingCode::Reconnect, kNoFrame,
                                           {{"previous", std::to_string(i + 1)},
                                            {"gap", HasTime(gap) ? Fmt("%.1f", gap) : ""}}));
    }
    if (failover) Failover(i, other);
  }
}

// The stream's `to` against the xmppDomain of the SystemInfo answer the desktop had then.
void Checker::Impl::CheckDomain(size_t i) {
  const ConnectionReport& r = report.connections[i];
  const SystemInfoAnswer* si = report.finesse.Before(capture.connections[i].Origin());
  if (!si || si->xmpp_domain.empty() || r.domain.empty() || EqualsIgnoreCase(r.domain, si->xmpp_domain)) return;
  const StepResult& open = r.steps[size_t(StepId::Open)];
  states[i]->AddDerived(MakeFinding(FindingCode::SystemInfoDomainMismatch,
                                    open.request_frame != kNoFrame ? open.request_frame : open.frame,
                                    {{"domain", r.domain}, {"xmpp_domain", si->xmpp_domain},
                                     {"entry", std::to_string(si->entry)}}));
}

void Checker::Impl::Failover(size_t from, size_t to) {
  const Connection& a = capture.connections[from];
  const Connection& b = capture.connections[to];
  const std::string host = HostOf(b.url);
  const SystemInfoAnswer* si = report.finesse.Before(b.Origin());
  double gap = kNoTime;
  for (auto it = a.frames.rbegin(); it != a.frames.rend(); ++it)
    if (HasTime(it->time)) {
      gap = b.Origin() - it->time;
      break;
    }
  TextArgs args = {{"host", HostPortOf(b.url)}, {"previous_host", HostPortOf(a.url)},
                   {"previous", std::to_string(from + 1)}, {"gap", HasTime(gap) ? Fmt("%.1f", gap) : ""}};
  if (si && EqualsIgnoreCase(si->primary, host)) args.push_back({"primary", "1"});
  else if (si && EqualsIgnoreCase(si->secondary, host)) args.push_back({"secondary", "1"});
  states[to]->AddDerived(MakeFinding(FindingCode::Failover, kNoFrame, std::move(args)));
}

}  // namespace fi
