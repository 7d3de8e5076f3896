// Tests for the sans-io live driver: a playbook of expected sends and scripted replies, for the
// happy path and every failure the live mode must explain.
#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "live.h"
#include "report.h"
#include "test_support.h"
#include "text_util.h"

using namespace fi;

namespace {

const std::string kFr = "xmlns='urn:ietf:params:xml:ns:xmpp-framing'";
const std::string kFeatures = "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>";
const std::string kBindFeatures = "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>";

// A scripted server: each time the driver sends something containing `expect`, it answers.
struct Play {
  std::string expect;
  std::vector<std::string> replies;
};

struct Harness {
  LiveDriver driver;
  std::deque<Play> plays;
  std::vector<std::string> sent;
  std::vector<int> timers_started;
  bool opened = false, closed = false;
  int close_code = 0;
  double now = 1714557600.0;
  std::string unmatched;

  explicit Harness(LiveOptions o) : driver(std::move(o)) {}

  void Apply(LiveDriver::Commands cmds) {
    for (auto& c : cmds) {
      now += 0.001;
      switch (c.kind) {
        case LiveCommandKind::Open: opened = true; break;
        case LiveCommandKind::Close: closed = true; close_code = c.code; break;
        case LiveCommandKind::StartTimer: timers_started.push_back(c.timer); break;
        case LiveCommandKind::StopTimer: break;
        case LiveCommandKind::Send: {
          sent.push_back(c.text);
          // RFC 7395: stanzas carry jabber:client themselves (a real Prosody insists).
          if ((c.text.rfind("<iq", 0) == 0 || c.text.rfind("<presence", 0) == 0 || c.text.rfind("<message", 0) == 0) &&
              c.text.find("xmlns='jabber:client'") == std::string::npos && unmatched.empty())
            unmatched = "no jabber:client namespace: " + c.text;
          if (plays.empty() || c.text.find(plays.front().expect) == std::string::npos) {
            if (unmatched.empty()) unmatched = c.text;
            break;
          }
          Play p = plays.front();
          plays.pop_front();
          for (const std::string& r : p.replies) Apply(driver.Received(now += 0.002, r));
          break;
        }
      }
    }
  }
  void Run() {
    Apply(driver.Start(now));
    Apply(driver.Opened(now += 0.005, "xmpp"));
  }
};

LiveOptions Lab(std::string team = "") {
  LiveOptions o;
  o.url = "ws://127.0.0.1:5280/ws/";
  o.domain = "finesse.lab";
  o.user = "1001";
  o.password = "agentpass";
  o.team = std::move(team);
  return o;
}

std::deque<Play> Login(const std::string& subscribe_reply_user = "", const std::string& team_reply = "") {
  std::deque<Play> p = {
      {"<open", {"<open " + kFr + " from='finesse.lab' id='s1' version='1.0'/>", kFeatures}},
      {"<auth", {"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"}},
      {"<open", {"<open " + kFr + " from='finesse.lab' id='s2' version='1.0'/>", kBindFeatures}},
      {"<bind", {"<iq type='result' id='bind_1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>1001@finesse.lab/inspector</jid></bind></iq>"}},
      {"<presence", {"<presence from='1001@finesse.lab/inspector'/>", "<presence from='finesse@finesse.lab/finesse' to='1001@finesse.lab/inspector'/>"}},
      {"/finesse/api/User/1001", {subscribe_reply_user.empty()
                                      ? "<iq type='result' id='sub_user' from='pubsub.finesse.lab'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscription node='/finesse/api/User/1001' jid='1001@finesse.lab' subscription='subscribed'/></pubsub></iq>"
                                      : subscribe_reply_user}},
  };
  if (!team_reply.empty()) p.push_back({"/finesse/api/Team/", {team_reply}});
  return p;
}

std::string Event(int n) {
  return "<message from='pubsub.finesse.lab' to='1001@finesse.lab'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='/finesse/api/User/1001'><item id='" +
         std::to_string(n) + "'><notification xmlns='http://jabber.org/protocol/pubsub'>&lt;Update&gt;&lt;data&gt;&lt;user&gt;&lt;state&gt;READY&lt;/state&gt;&lt;/user&gt;&lt;/data&gt;&lt;event&gt;PUT&lt;/event&gt;&lt;/Update&gt;</notification></item></items></event></message>";
}

bool CaptureHoldsPassword(const Capture& c) {
  const std::string raw = Base64Encode(std::string("1001@finesse.lab\0" "1001\0" "agentpass", 26));
  for (const auto& conn : c.connections)
    for (const auto& f : conn.frames)
      if (f.payload.find("agentpass") != std::string_view::npos || f.payload.find(raw) != std::string_view::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("live: the happy path runs the desktop's sequence and passes every step") {
  Harness h(Lab());
  h.plays = Login();
  h.Run();
  CHECK(h.unmatched.empty());
  CHECK(h.plays.empty());
  REQUIRE(h.driver.SequenceDone());
  CHECK(h.driver.SequencePassed());
  CHECK(h.driver.Phase() == LivePhase::Live);
  for (int i = 0; i < 5; ++i) h.Apply(h.driver.Received(h.now += 0.1, Event(i)));
  CHECK(h.driver.Notifications() == 5);
  Report r = h.driver.MakeReport();
  REQUIRE(r.connections.size() == 1);
  CHECK(r.connections[0].verdict == Verdict::Healthy);
  CHECK(r.connections[0].notification_count == 5);
  CHECK(StepOf(r.connections[0], StepId::Auth).detail.Render().find("password: 9 characters, masked") != std::string::npos);
  // The capture never holds the password, and the saved HAR re-imports to the same analysis.
  CHECK_FALSE(CaptureHoldsPassword(h.driver.GetCapture()));
  std::string har = WriteHar(h.driver.GetCapture());
  CHECK(har.find("agentpass") == std::string::npos);
  Capture again = ImportCapture(har);
  // The same analysis; only the input block differs (a HAR now, not a live session).
  auto connections = [](const std::string& json) { return json.substr(json.find("\"connections\"")); };
  CHECK(connections(ReportJson(Check(again))) == connections(ReportJson(Check(h.driver.GetCapture()))));
}

TEST_CASE("live: a wrong password fails auth with the server's condition, and closes") {
  LiveOptions o = Lab();
  o.password = "wrong";
  Harness h(o);
  h.plays = {{"<open", {"<open " + kFr + " from='finesse.lab' id='s1'/>", kFeatures}},
             {"<auth", {"<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>"}},
             {"<close", {"<close " + kFr + "/>"}}};
  h.Run();
  CHECK(h.driver.SequenceDone());
  CHECK_FALSE(h.driver.SequencePassed());
  CHECK(h.driver.Outcome().find("not-authorized") != std::string::npos);
  CHECK(h.closed);
  h.Apply(h.driver.Closed(h.now, 1000, ""));
  Report r = h.driver.MakeReport();
  CHECK(StepOf(r.connections[0], StepId::Auth).status == StepStatus::Failed);
  CHECK(HasFinding(r.connections[0], "sasl-failure"));
  CHECK_FALSE(HasFinding(r.connections[0], "abnormal-close"));
}

TEST_CASE("live: a wrong domain ends in the server's stream error") {
  LiveOptions o = Lab();
  o.domain = "wrong.domain";
  Harness h(o);
  h.plays = {{"to='wrong.domain'", {"<open " + kFr + " from='wrong.domain' id='x'/>",
                                    "<stream:error xmlns:stream='http://etherx.jabber.org/streams'><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>",
                                    "<close " + kFr + "/>"}}};
  h.Run();
  h.Apply(h.driver.Closed(h.now, 1000, "Stream closed"));
  CHECK_FALSE(h.driver.SequencePassed());
  Report r = h.driver.MakeReport();
  CHECK(StepOf(r.connections[0], StepId::Open).status == StepStatus::Failed);
  CHECK(HasFinding(r.connections[0], "stream-error-host-unknown"));
}

TEST_CASE("live: a team node that does not exist fails subscribe-team, the channel stays up") {
  Harness h(Lab("99"));
  h.plays = Login("", "<iq type='error' id='sub_team' from='pubsub.finesse.lab'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
  h.Run();
  CHECK(h.unmatched.empty());
  CHECK(h.driver.SequenceDone());
  CHECK_FALSE(h.driver.SequencePassed());
  CHECK(h.driver.Phase() == LivePhase::Live);
  Report r = h.driver.MakeReport();
  CHECK(StepOf(r.connections[0], StepId::SubscribeTeam).status == StepStatus::Failed);
  CHECK(HasFinding(r.connections[0], "subscribe-refused"));
}

TEST_CASE("live: a server stopped mid-session closes abnormally, and the reconnect is shown") {
  Harness h(Lab());
  h.plays = Login();
  h.Run();
  REQUIRE(h.driver.SequencePassed());
  h.timers_started.clear();
  h.Apply(h.driver.Closed(h.now += 1, 1006, ""));
  CHECK(std::find(h.timers_started.begin(), h.timers_started.end(), int(kReconnectTimer)) != h.timers_started.end());
  h.opened = false;
  h.plays = Login();
  h.Apply(h.driver.Timer(h.now += 1, kReconnectTimer));
  CHECK(h.opened);
  h.Apply(h.driver.Opened(h.now += 0.01, "xmpp"));
  CHECK(h.driver.SequencePassed());
  Report r = h.driver.MakeReport();
  REQUIRE(r.connections.size() == 2);
  CHECK(HasFinding(r.connections[0], "abnormal-close"));
  CHECK(HasFinding(r.connections[0], "live-closed"));
  REQUIRE(FindingOf(r.connections[0], "live-closed"));
  CHECK(FindingOf(r.connections[0], "live-closed")->Message().find("1006") != std::string::npos);
  CHECK(HasFinding(r.connections[1], "reconnect"));
  CHECK(r.connections[1].verdict == Verdict::Healthy);
}

TEST_CASE("live: nothing listening, or a certificate the browser refuses, before any frame") {
  Harness plain(Lab());
  plain.Apply(plain.driver.Start(plain.now));
  plain.Apply(plain.driver.Closed(plain.now + 0.01, 1006, ""));
  CHECK(plain.driver.SequenceDone());
  Report pr = plain.driver.MakeReport();  // held: findings point into it
  const Finding* f = FindingOf(pr.connections[0], "live-unreachable");
  REQUIRE(f);
  CHECK(f->Message().find("Nothing answered at 127.0.0.1:5280") != std::string::npos);
  CHECK(StepOf(pr.connections[0], StepId::Upgrade).status == StepStatus::Failed);
  CHECK_FALSE(HasFinding(pr.connections[0], "abnormal-close"));  // said once, by live-unreachable
  // No certificate talk over ws://: there is no TLS to blame.
  REQUIRE(FindingOf(pr.connections[0], "upgrade-failed"));
  CHECK(FindingOf(pr.connections[0], "upgrade-failed")->Hint().find("certificate") == std::string::npos);
  CHECK(FindingOf(pr.connections[0], "upgrade-failed")->Hint().find("nothing listens at 127.0.0.1:5280") != std::string::npos);

  LiveOptions o = Lab();
  o.url = "wss://uccxpub.prabhat.com:8445/ws/";
  Harness tls(o);
  tls.Apply(tls.driver.Start(tls.now));
  tls.Apply(tls.driver.Closed(tls.now + 0.01, 1006, ""));
  Report tr = tls.driver.MakeReport();
  const Finding* t = FindingOf(tr.connections[0], "live-unreachable");
  REQUIRE(t);
  CHECK(t->Message().find("certificate") != std::string::npos);
  CHECK(t->Hint().find("https://uccxpub.prabhat.com:8445/") != std::string::npos);
  REQUIRE(FindingOf(tr.connections[0], "upgrade-failed"));
  CHECK(FindingOf(tr.connections[0], "upgrade-failed")->Hint().find("certificate") != std::string::npos);
}

TEST_CASE("live: a step that times out") {
  Harness h(Lab());
  h.Apply(h.driver.Start(h.now));
  h.Apply(h.driver.Opened(h.now += 0.01, "xmpp"));  // the server never sends features
  h.Apply(h.driver.Timer(h.now += 10, kStepTimer));
  CHECK(h.driver.SequenceDone());
  CHECK(h.driver.Outcome().find("timed out waiting for the stream features") != std::string::npos);
  CHECK(h.closed);
  CHECK(HasFinding(h.driver.MakeReport().connections[0], "live-step-timeout"));
}

TEST_CASE("live: pings, and two misses in a row mean failover") {
  Harness h(Lab());
  h.plays = Login();
  h.Run();
  h.plays = {{"ping_1", {"<iq type='result' id='ping_1' from='finesse.lab'/>"}}};
  h.Apply(h.driver.Timer(h.now += 10, kPingTimer));
  CHECK(h.driver.MissedPings() == 0);
  h.Apply(h.driver.Timer(h.now += 10, kPingTimer));  // ping_2: no answer
  h.Apply(h.driver.Timer(h.now += 10, kPingTimeout));
  CHECK(h.driver.MissedPings() == 1);
  h.Apply(h.driver.Timer(h.now += 0.1, kPingTimer));  // ping_3: no answer either
  h.Apply(h.driver.Timer(h.now += 10, kPingTimeout));
  CHECK(h.driver.MissedPings() == 2);
  CHECK(h.closed);
  CHECK(HasFinding(h.driver.MakeReport().connections[0], "live-ping-failover"));
}

TEST_CASE("live: disconnect unsubscribes, closes the stream, and closes the socket on the answer") {
  Harness h(Lab());
  h.plays = Login();
  h.Run();
  h.plays = {{"<close", {"<close " + kFr + "/>"}}};
  h.Apply(h.driver.Disconnect(h.now += 1));
  REQUIRE(h.sent.size() >= 2);
  CHECK(h.sent[h.sent.size() - 2].find("<unsubscribe node='/finesse/api/User/1001'") != std::string::npos);
  CHECK(h.sent.back().find("<close") != std::string::npos);
  CHECK(h.closed);  // after the server's <close/>, not before
  CHECK(h.close_code == 1000);
  h.Apply(h.driver.Closed(h.now, 1000, ""));
  CHECK_FALSE(HasFinding(h.driver.MakeReport().connections[0], "abnormal-close"));
}

TEST_CASE("live: times with sub-microsecond fractions re-import to the same offsets (a browser test caught 308.501 vs 308.5)") {
  for (double fraction : {0.3085004, 0.0000005, 0.9999996}) {
    Harness h(Lab());
    h.now = 1714557600.0 + fraction;
    h.plays = Login();
    h.Run();
    REQUIRE(h.driver.SequencePassed());
    for (int i = 0; i < 3; ++i) h.Apply(h.driver.Received(h.now += 0.1234567, Event(i)));
    Capture again = ImportCapture(WriteHar(h.driver.GetCapture()));
    auto connections = [](const std::string& json) { return json.substr(json.find("\"connections\"")); };
    CHECK(connections(ReportJson(Check(again))) == connections(ReportJson(Check(h.driver.GetCapture()))));
  }
}

// [SECTION] BOSH: the same login under XEP-0124/0206 framing

namespace {

const std::string kBind = "xmlns='http://jabber.org/protocol/httpbind'";

// A scripted BOSH server: it answers each request from a table of (substring, status, body), or
// holds it (an empty poll) until Deliver() has something to say.
struct BoshServer {
  struct Rule {
    std::string when;
    int status;
    std::string body;
  };
  struct Held {
    int request;
    std::string body;
  };
  LiveDriver driver;
  double now = 1714557600.0;
  std::vector<Rule> rules;
  std::vector<Held> held;
  std::vector<std::string> posted;
  std::vector<uint64_t> rids;
  std::vector<int> timers_started;
  size_t most_out = 0;
  int aborted = 0;

  explicit BoshServer(LiveOptions o) : driver(std::move(o)) { rules = Login(); }

  static std::vector<Rule> Login() {
    return {
        {"type='terminate'", 200, "<body type='terminate' " + kBind + "/>"},
        {"<auth", 200, "<body " + kBind + "><success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></body>"},
        {"xmpp:restart='true'", 200, "<body " + kBind + ">" + kBindFeatures + "</body>"},
        {"<bind", 200, "<body " + kBind + "><iq type='result' id='bind_1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>1001@finesse.lab/inspector</jid></bind></iq></body>"},
        {"<presence", 200, "<body " + kBind + "><presence from='1001@finesse.lab/inspector' xmlns='jabber:client'/><presence from='finesse@finesse.lab/finesse' to='1001@finesse.lab/inspector' xmlns='jabber:client'/></body>"},
        {"<subscribe node='/finesse/api/User/1001'", 200, "<body " + kBind + "><iq type='result' id='sub_user' from='pubsub.finesse.lab' xmlns='jabber:client'/></body>"},
        {"<subscribe node='/finesse/api/Team/7/Users'", 200, "<body " + kBind + "><iq type='result' id='sub_team' from='pubsub.finesse.lab' xmlns='jabber:client'/></body>"},
        {"<unsubscribe", 200, "<body " + kBind + "><iq type='result' id='unsub_1' xmlns='jabber:client'/></body>"},
        // The session request: no sid yet.
        {"xmpp:version='1.0'", 200,
         "<body " + kBind + " sid='s-1' wait='60' requests='2' hold='1' inactivity='60' ver='1.6' from='finesse.lab' "
         "xmlns:xmpp='urn:xmpp:xbosh' xmpp:version='1.0'>" + kFeatures + "</body>"},
    };
  }

  size_t Out() const { return held.size(); }
  void Apply(LiveDriver::Commands cmds) {
    for (auto& c : cmds) {
      now += 0.001;
      if (c.kind == LiveCommandKind::StartTimer) timers_started.push_back(c.timer);
      if (c.kind == LiveCommandKind::Abort) {
        auto it = std::find_if(held.begin(), held.end(), [&](const Held& h) { return h.request == c.code; });
        if (it != held.end()) {
          held.erase(it);
          ++aborted;
        }
      }
      if (c.kind != LiveCommandKind::Post) continue;
      posted.push_back(c.text);
      size_t r = c.text.find("rid='");
      rids.push_back(r == std::string::npos ? 0 : std::stoull(c.text.substr(r + 5)));
      held.push_back({c.code, c.text});
      most_out = std::max(most_out, held.size());
      const Rule* rule = nullptr;
      for (const Rule& x : rules)
        if (c.text.find(x.when) != std::string::npos) {
          rule = &x;
          break;
        }
      if (!rule) continue;  // an empty poll: held
      const Rule chosen = *rule;
      held.pop_back();
      Apply(driver.Answered(now += 0.002, c.code, chosen.status, chosen.body));
    }
  }
  // Answers the oldest held poll.
  void Deliver(const std::string& stanzas, int status = 200) {
    REQUIRE_FALSE(held.empty());
    Held h = held.front();
    held.erase(held.begin());
    Apply(driver.Answered(now += 0.01, h.request, status, "<body " + kBind + ">" + stanzas + "</body>"));
  }
  void Run() { Apply(driver.Start(now)); }
};

LiveOptions BoshLab(std::string team = "") {
  LiveOptions o = Lab(std::move(team));
  o.url = "http://127.0.0.1:5280/http-bind/";
  o.bosh_first_rid = 4000;
  return o;
}

std::string RestOf(const std::string& json) { return json.substr(json.find("\"connections\"")); }

}  // namespace

TEST_CASE("live BOSH: the transport comes from the URL") {
  CHECK(LiveTransportOf("wss://fin1.example.com:8445/ws/") == LiveTransport::WebSocket);
  CHECK(LiveTransportOf("WS://127.0.0.1:5280/ws/") == LiveTransport::WebSocket);
  CHECK(LiveTransportOf("https://fin1.example.com:7443/http-bind/") == LiveTransport::Bosh);
  CHECK(LiveTransportOf("http://127.0.0.1:5280/http-bind") == LiveTransport::Bosh);
  CHECK(LiveTransportOf("https://fin1.example.com/desktop/") == LiveTransport::Unknown);
  CHECK(LiveTransportOf("ftp://x/http-bind/") == LiveTransport::Unknown);
}

TEST_CASE("live BOSH: the happy path, rid in order, a restart after SASL, at most two requests out") {
  BoshServer s(BoshLab("7"));
  s.Run();
  REQUIRE(s.driver.SequenceDone());
  CHECK(s.driver.SequencePassed());
  CHECK(s.driver.Phase() == LivePhase::Live);
  // The session request names no sid and asks for hold=1; the restart carries the sid.
  REQUIRE(s.posted.size() >= 7);
  CHECK(s.posted[0].find("sid=") == std::string::npos);
  CHECK(s.posted[0].find("hold='1'") != std::string::npos);
  CHECK(s.posted[0].find("to='finesse.lab'") != std::string::npos);
  CHECK(s.posted[0].find("ver='1.6'") != std::string::npos);
  auto restart = std::find_if(s.posted.begin(), s.posted.end(), [](const std::string& b) { return b.find("xmpp:restart='true'") != std::string::npos; });
  REQUIRE(restart != s.posted.end());
  CHECK(restart->find("sid='s-1'") != std::string::npos);
  CHECK(restart - s.posted.begin() == 2);  // session, auth, restart
  for (size_t i = 0; i < s.rids.size(); ++i) CHECK(s.rids[i] == 4000 + i);
  CHECK(s.most_out <= 2);
  CHECK(s.Out() == 1);  // one empty poll held for what the server has to say

  // Notifications arrive in the held poll's answer; a new poll replaces it at once.
  s.Deliver(Event(1) + Event(2));
  s.Deliver(Event(3) + Event(4) + Event(5));
  CHECK(s.driver.Notifications() == 5);
  CHECK(s.Out() == 1);
  for (size_t i = 0; i < s.rids.size(); ++i) CHECK(s.rids[i] == 4000 + i);

  Report r = s.driver.MakeReport();
  REQUIRE(r.connections.size() == 1);
  CHECK(r.connections[0].connection->transport == Transport::Bosh);
  CHECK(r.connections[0].verdict == Verdict::Healthy);
  CHECK(r.connections[0].notification_count == 5);
  CHECK(StepOf(r.connections[0], StepId::SubscribeTeam).status == StepStatus::Passed);
  CHECK(StepOf(r.connections[0], StepId::Upgrade).status == StepStatus::Passed);  // "session" under BOSH
  CHECK_FALSE(CaptureHoldsPassword(s.driver.GetCapture()));
  // The live HAR holds a POST per request and re-imports to the same analysis.
  std::string har = WriteHar(s.driver.GetCapture());
  CHECK(har.find("agentpass") == std::string::npos);
  Capture again = ImportCapture(har);
  REQUIRE(again.connections.size() == 1);
  CHECK(again.connections[0].transport == Transport::Bosh);
  CHECK(RestOf(ReportJson(Check(again))) == RestOf(ReportJson(Check(s.driver.GetCapture()))));
}

TEST_CASE("live BOSH: a clean logout unsubscribes and terminates, and is no problem") {
  BoshServer s(BoshLab());
  s.Run();
  REQUIRE(s.driver.SequencePassed());
  s.Apply(s.driver.Disconnect(s.now += 1));
  CHECK(s.driver.Phase() == LivePhase::Closed);
  auto terminate = std::find_if(s.posted.begin(), s.posted.end(), [](const std::string& b) { return b.find("type='terminate'") != std::string::npos; });
  REQUIRE(terminate != s.posted.end());
  auto unsub = std::find_if(s.posted.begin(), s.posted.end(), [](const std::string& b) { return b.find("<unsubscribe node='/finesse/api/User/1001'") != std::string::npos; });
  REQUIRE(unsub != s.posted.end());
  CHECK(unsub <= terminate);
  CHECK(s.Out() == 0);  // the held poll was cancelled, not left behind
  for (size_t i = 0; i < s.rids.size(); ++i) CHECK(s.rids[i] == 4000 + i);
  Report r = s.driver.MakeReport();
  CHECK(r.connections[0].verdict == Verdict::Healthy);
  for (const Finding& f : r.connections[0].findings) CHECK_MESSAGE(f.severity == Severity::Info, f.Code());
  CHECK(std::find(s.timers_started.begin(), s.timers_started.end(), int(kReconnectTimer)) == s.timers_started.end());
  Capture again = ImportCapture(WriteHar(s.driver.GetCapture()));
  CHECK(RestOf(ReportJson(Check(again))) == RestOf(ReportJson(Check(s.driver.GetCapture()))));
}

TEST_CASE("live BOSH: terminate conditions from the server are reported, with no reconnect") {
  SUBCASE("host-unknown on the session request (a wrong domain)") {
    LiveOptions o = BoshLab();
    o.domain = "wrong.lab";
    BoshServer s(o);
    s.rules.back() = {"xmpp:version='1.0'", 200, "<body type='terminate' condition='host-unknown' " + kBind + "/>"};
    s.Run();
    CHECK(s.driver.SequenceDone());
    CHECK_FALSE(s.driver.SequencePassed());
    CHECK(s.driver.Phase() == LivePhase::Closed);
    Report r = s.driver.MakeReport();
    CHECK(HasFinding(r.connections[0], "bosh-terminate-host-unknown"));
    CHECK(r.connections[0].verdict == Verdict::Failed);
  }
  SUBCASE("item-not-found mid-session (the server forgot the session)") {
    BoshServer s(BoshLab());
    s.Run();
    REQUIRE(s.driver.SequencePassed());
    s.Deliver("", 200);  // a poll answered empty

    REQUIRE(s.Out() == 1);
    BoshServer::Held h = s.held.front();
    s.held.clear();
    s.Apply(s.driver.Answered(s.now += 1, h.request, 200, "<body type='terminate' condition='item-not-found' " + kBind + "/>"));
    CHECK(s.driver.Phase() == LivePhase::Closed);
    Report r = s.driver.MakeReport();
    CHECK(HasFinding(r.connections[0], "bosh-terminate-item-not-found"));
    CHECK(std::find(s.timers_started.begin(), s.timers_started.end(), int(kReconnectTimer)) == s.timers_started.end());
  }
  SUBCASE("a stream error inside the terminate (remote-stream-error)") {
    BoshServer s(BoshLab());
    s.rules.back() = {"xmpp:version='1.0'", 200,
                      "<body type='terminate' condition='remote-stream-error' " + kBind +
                          " xmlns:stream='http://etherx.jabber.org/streams'><stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></body>"};
    s.Run();
    CHECK(s.driver.Phase() == LivePhase::Closed);
    Report r = s.driver.MakeReport();
    CHECK(HasFinding(r.connections[0], "stream-error-policy-violation"));
    CHECK(s.driver.Outcome().find("policy-violation") != std::string::npos);
  }
}

TEST_CASE("live BOSH: HTTP 404 from a wrong path, and a refused origin, before any answer") {
  SUBCASE("404") {
    LiveOptions o = BoshLab();
    o.url = "http://127.0.0.1:5280/http-bind-wrong/http-bind/";
    BoshServer s(o);
    s.rules.back() = {"xmpp:version='1.0'", 404, "<html>Not Found</html>"};
    s.Run();
    CHECK(s.driver.SequenceDone());
    CHECK(s.driver.Phase() == LivePhase::Closed);
    CHECK(s.driver.Outcome().find("HTTP 404") != std::string::npos);
    Report r = s.driver.MakeReport();
    const Finding* f = FindingOf(r.connections[0], "bosh-http-error");
    REQUIRE(f);
    CHECK(f->Arg("text").find("HTTP 404") != std::string_view::npos);
    CHECK(r.connections[0].verdict == Verdict::Failed);
    CHECK(s.posted.size() == 1);  // nothing more is tried
    Capture again = ImportCapture(WriteHar(s.driver.GetCapture()));
    CHECK(RestOf(ReportJson(Check(again))) == RestOf(ReportJson(Check(s.driver.GetCapture()))));
  }
  SUBCASE("CORS: the server answers a no-cors probe, but not this page") {
    BoshServer s(BoshLab());
    s.rules.back() = {"never", 0, ""};
    s.Run();
    REQUIRE(s.Out() == 1);
    s.Apply(s.driver.Failed(s.now += 0.05, s.held.front().request, HttpFailure::OriginRefused, "TypeError: Failed to fetch"));
    Report r = s.driver.MakeReport();
    const Finding* f = FindingOf(r.connections[0], "live-bosh-unreachable");
    REQUIRE(f);
    CHECK(f->Arg("origin") == "1");
    CHECK(f->Arg("network").empty());
    CHECK(r.connections[0].verdict == Verdict::Failed);
    CHECK(s.driver.Outcome().find("origin") != std::string::npos);
  }
  SUBCASE("nothing listening") {
    BoshServer s(BoshLab());
    s.rules.back() = {"never", 0, ""};
    s.Run();
    s.Apply(s.driver.Failed(s.now += 0.05, s.held.front().request, HttpFailure::Network, "TypeError: Failed to fetch"));
    REQUIRE(s.driver.LiveFindings().size() == 1);
    CHECK(s.driver.LiveFindings()[0].finding.Arg("network") == "1");
    CHECK(s.driver.LiveFindings()[0].finding.Arg("tls").empty());  // http: has no certificate
  }
}

TEST_CASE("live BOSH: the server gone mid-session, then the reconnect") {
  BoshServer s(BoshLab());
  s.Run();
  REQUIRE(s.driver.SequencePassed());
  REQUIRE(s.Out() == 1);
  s.timers_started.clear();
  s.Apply(s.driver.Failed(s.now += 5, s.held.front().request, HttpFailure::Network, "TypeError: Failed to fetch"));
  s.held.clear();
  CHECK(s.driver.Phase() == LivePhase::Closed);
  CHECK(std::find(s.timers_started.begin(), s.timers_started.end(), int(kReconnectTimer)) != s.timers_started.end());
  s.Apply(s.driver.Timer(s.now += 1, kReconnectTimer));
  CHECK(s.driver.SequencePassed());
  Report r = s.driver.MakeReport();
  REQUIRE(r.connections.size() == 2);
  CHECK(HasFinding(r.connections[0], "bosh-http-error"));
  CHECK(HasFinding(r.connections[1], "reconnect"));
  CHECK(r.connections[1].verdict == Verdict::Healthy);
}

TEST_CASE("live BOSH: a request held past the wait is a timeout") {
  BoshServer s(BoshLab());
  s.Run();
  REQUIRE(s.driver.SequencePassed());
  s.Apply(s.driver.Timer(s.now += 80, kHttpTimer));
  CHECK(s.driver.Phase() == LivePhase::Closed);
  REQUIRE(s.driver.LiveFindings().size() == 1);
  CHECK(s.driver.LiveFindings()[0].finding.Code() == "live-bosh-timeout");
}

TEST_CASE("live: Stop ends a live session at once for a new test, cleanly, in both transports") {
  SUBCASE("WebSocket") {
    Harness h(Lab());
    h.plays = Login();
    h.Run();
    REQUIRE(h.driver.SequencePassed());
    h.Apply(h.driver.Stop(h.now += 1));
    CHECK(h.driver.Phase() == LivePhase::Closed);
    CHECK(h.closed);
    REQUIRE(h.sent.size() >= 2);
    CHECK(h.sent[h.sent.size() - 2].find("<unsubscribe") != std::string::npos);
    CHECK(h.sent.back().find("<close") != std::string::npos);
    Report r = h.driver.MakeReport();
    CHECK_FALSE(HasFinding(r.connections[0], "abnormal-close"));
    CHECK(r.connections[0].verdict == Verdict::Healthy);
  }
  SUBCASE("BOSH") {
    BoshServer s(BoshLab());
    s.rules.front().when = "never";  // the page does not wait for the terminate's answer
    s.Run();
    REQUIRE(s.driver.SequencePassed());
    s.Apply(s.driver.Stop(s.now += 1));
    CHECK(s.driver.Phase() == LivePhase::Closed);
    REQUIRE_FALSE(s.posted.empty());
    CHECK(s.posted.back().find("type='terminate'") != std::string::npos);
    CHECK(s.aborted == 1);  // the held poll, not the terminate
    Report r = s.driver.MakeReport();
    CHECK_FALSE(HasFinding(r.connections[0], "abnormal-close"));
    CHECK(r.connections[0].verdict == Verdict::Healthy);
  }
}

TEST_CASE("live: the checker fed frame by frame gives the whole check's report, states timeline included") {
  Harness h(Lab());
  h.plays = Login();
  h.Run();
  REQUIRE(h.driver.SequencePassed());
  Checker incremental(h.driver.GetCapture());
  auto state_event = [](int n) {
    const char* state = n % 3 == 0 ? "READY" : n % 3 == 1 ? "NOT_READY" : "NOT_READY";  // a repeat is not a change
    return "<message from='pubsub.finesse.lab' to='1001@finesse.lab'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='/finesse/api/User/1001'><item id='" +
           std::to_string(n) + "'><notification xmlns='http://jabber.org/protocol/pubsub'>&lt;Update&gt;&lt;data&gt;&lt;user&gt;&lt;loginId&gt;1001&lt;/loginId&gt;&lt;state&gt;" +
           std::string(state) + "&lt;/state&gt;&lt;/user&gt;&lt;/data&gt;&lt;event&gt;PUT&lt;/event&gt;&lt;requestId&gt;&lt;/requestId&gt;&lt;/Update&gt;</notification></item></items></event></message>";
  };
  for (int i = 0; i < 30; ++i) {
    h.Apply(h.driver.Received(h.now += 0.05, state_event(i)));
    incremental.Step(SIZE_MAX);
    (void)incremental.Current();
    if (i == 14) {  // the server goes; the reconnect appends a second connection
      h.Apply(h.driver.Closed(h.now += 0.1, 1006, ""));
      h.plays = Login();
      h.Apply(h.driver.Timer(h.now += 1, kReconnectTimer));
      h.Apply(h.driver.Opened(h.now += 0.01, "xmpp"));
      REQUIRE(h.driver.SequencePassed());
    }
  }
  const Report& inc = incremental.Current();
  const Report full = Check(h.driver.GetCapture());
  REQUIRE(full.finesse.states.size() == 20);  // 30 notifications, every third a repeat
  REQUIRE(inc.finesse.states.size() == full.finesse.states.size());
  for (size_t i = 0; i < full.finesse.states.size(); ++i) {
    CHECK(inc.finesse.states[i].state == full.finesse.states[i].state);
    CHECK(inc.finesse.states[i].connection == full.finesse.states[i].connection);
    CHECK(inc.finesse.states[i].frame == full.finesse.states[i].frame);
  }
  CHECK(full.finesse.states.back().connection == 1);
  CHECK(ReportJson(inc) == ReportJson(full));
}
