// Tests for the sequence checker: the healthy path, then every finding on a login broken in
// exactly one place.
#include <algorithm>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "login_fixture.h"
#include "test_support.h"
#include "report.h"

using namespace fi;
using namespace fixture;

namespace {

struct Checked {
  Capture capture;
  Report report;
  const ConnectionReport& c(size_t i = 0) const { return report.connections.at(i); }
};

// Capture and report live together: the report points into the capture.
std::unique_ptr<Checked> Run(const std::string& text, CheckOptions o = {}) {
  auto r = std::make_unique<Checked>();
  r->capture = ImportCapture(text);
  r->report = Check(r->capture, o);
  return r;
}

}  // namespace

TEST_CASE("a healthy agent login passes every required step") {
  auto r = Run(Join(Healthy()));
  REQUIRE(r->report.connections.size() == 1);
  const auto& c = r->c();
  CHECK(c.verdict == Verdict::Healthy);
  CHECK(StepOf(c, StepId::Upgrade).status == StepStatus::Skipped);  // a transcript has no handshake
  for (StepId id : {StepId::Open, StepId::Auth, StepId::Restart, StepId::Bind, StepId::Presence, StepId::FinessePresence,
                    StepId::SubscribeUser, StepId::Notifications})
    CHECK_MESSAGE(StepOf(c, id).status == StepStatus::Passed, StepName(id, Transport::WebSocket));
  CHECK(StepOf(c, StepId::SubscribeTeam).status == StepStatus::Skipped);
  CHECK(StepOf(c, StepId::Bind).frame == 9);
  CHECK(StepOf(c, StepId::Bind).latency_ms == doctest::Approx(10.0));
  CHECK(StepOf(c, StepId::Auth).detail.Render().find("password: 6 characters, masked") != std::string::npos);
  CHECK(StepOf(c, StepId::Auth).detail.Render().find("secret") == std::string::npos);
  CHECK(c.jid == "1001@d/desktop");
  CHECK(c.notification_count == 1);
  CHECK(c.notifications_by_node.at("/finesse/api/User/1001") == 1);
  CHECK(c.findings.empty());
  CHECK(r->report.AllHealthy());
}

TEST_CASE("--reveal-secrets shows the password") {
  CheckOptions o;
  o.reveal_secrets = true;
  auto r = Run(Join(Healthy()), o);
  CHECK(StepOf(r->c(), StepId::Auth).detail.Render().find("\"secret\"") != std::string::npos);
}

TEST_CASE("SASL not-authorized fails auth and says what to do") {
  auto l = Healthy();
  l.resize(4);
  l.push_back("00:00:00.030 RECV: <failure " + kSasl + "><not-authorized/></failure>");
  l.push_back("00:00:00.031 SENT: <close " + kFraming + "/>");
  auto r = Run(Join(l));
  const auto& c = r->c();
  CHECK(c.verdict == Verdict::Failed);
  CHECK(StepOf(c, StepId::Auth).status == StepStatus::Failed);
  CHECK(StepOf(c, StepId::Auth).frame == 4);
  CHECK(StepOf(c, StepId::Bind).status == StepStatus::Missing);
  CHECK(StepOf(c, StepId::Bind).detail.Render() == "not reached: auth failed");
  const Finding* f = FindingOf(c, "sasl-failure");
  REQUIRE(f);
  CHECK(f->severity == Severity::Error);
  CHECK(f->frame == 4);
  CHECK(f->Message().find("not-authorized") != std::string::npos);
  CHECK(f->Hint().find("unauthorized") != std::string::npos);
}

TEST_CASE("no PLAIN offered") {
  auto l = Healthy();
  l[2] = "00:00:00.011 RECV: <stream:features><mechanisms " + kSasl + "><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>";
  auto r = Run(Join(l));
  REQUIRE(HasFinding(r->c(), "no-plain-mechanism"));
  CHECK(FindingOf(r->c(), "no-plain-mechanism")->Message().find("SCRAM-SHA-1") != std::string::npos);
}

TEST_CASE("the authzid's domain differs from the stream's (the seeds' own slip)") {
  auto r = Run(Sample("seed-uccx-transcript.txt"));
  const Finding* f = FindingOf(r->c(), "authzid-domain-mismatch");
  REQUIRE(f);
  CHECK(f->severity == Severity::Warning);
  CHECK(f->Message().find("uccxpue.prabhat.com") != std::string::npos);
  CHECK(f->Message().find("uccxpub.prabhat.com") != std::string::npos);
  CHECK(f->frame == 3);
}

TEST_CASE("stream errors by condition: host-unknown fails open") {
  std::vector<std::string> l = {
      "00:00:00.000 SENT: <open " + kFraming + " to='wrong.example' version='1.0'/>",
      "00:00:00.010 RECV: <open " + kFraming + " from='d' id='x' version='1.0'/>",
      "00:00:00.011 RECV: <stream:error xmlns:stream='http://etherx.jabber.org/streams'><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>",
      "00:00:00.012 RECV: <close " + kFraming + "/>"};
  auto r = Run(Join(l));
  const auto& c = r->c();
  CHECK(c.verdict == Verdict::Failed);
  CHECK(StepOf(c, StepId::Open).status == StepStatus::Failed);
  CHECK(StepOf(c, StepId::Open).detail.Render().find("host-unknown") != std::string::npos);
  REQUIRE(HasFinding(c, "stream-error-host-unknown"));
  CHECK(FindingOf(c, "stream-error-host-unknown")->Hint().find("xmppDomain") != std::string::npos);
}

TEST_CASE("a conflict after a complete login still fails the connection") {
  auto l = Healthy();
  l.push_back("00:00:05.000 RECV: <stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
  auto r = Run(Join(l));
  CHECK(r->c().verdict == Verdict::Failed);
  CHECK(StepOf(r->c(), StepId::SubscribeUser).status == StepStatus::Passed);
  REQUIRE(HasFinding(r->c(), "stream-error-conflict"));
  CHECK(FindingOf(r->c(), "stream-error-conflict")->Hint().find("desktop") != std::string::npos);
}

TEST_CASE("bind refused") {
  auto l = Healthy();
  l[9] = "00:00:00.070 RECV: <iq type='error' id='bind1'><error type='cancel'><not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>";
  l.resize(10);
  auto r = Run(Join(l));
  CHECK(StepOf(r->c(), StepId::Bind).status == StepStatus::Failed);
  REQUIRE(HasFinding(r->c(), "bind-refused"));
  CHECK(FindingOf(r->c(), "bind-refused")->Message().find("not-allowed") != std::string::npos);
}

TEST_CASE("no presence from finesse@: failed when the capture went on, incomplete when it stopped") {
  auto l = Healthy();
  l.erase(l.begin() + 11);
  l.push_back("00:00:30.000 RECV: " + Event("/finesse/api/User/1001", kReady));
  auto r = Run(Join(l));
  CHECK(StepOf(r->c(), StepId::FinessePresence).status == StepStatus::Missing);
  CHECK(r->c().verdict == Verdict::Failed);
  REQUIRE(HasFinding(r->c(), "no-finesse-presence"));
  CHECK(FindingOf(r->c(), "no-finesse-presence")->Message().find("connecting") != std::string::npos);

  auto s = Healthy();
  s.resize(11);  // stops right after the agent's presence
  auto cut = Run(Join(s));
  CHECK(cut->c().verdict == Verdict::Incomplete);
  CHECK_FALSE(HasFinding(cut->c(), "no-finesse-presence"));
}

TEST_CASE("Finesse going unavailable") {
  auto l = Healthy();
  l.push_back("00:00:01.000 RECV: <presence from='finesse@d/finesse' type='unavailable'/>");
  auto r = Run(Join(l));
  CHECK(HasFinding(r->c(), "finesse-unavailable"));
  CHECK(r->c().verdict == Verdict::Failed);
}

TEST_CASE("a team subscribe answered with item-not-found") {
  auto l = Healthy();
  l.push_back("00:00:00.300 SENT: <iq type='set' id='sub2' to='pubsub.d'><pubsub " + kPubsub + "><subscribe node='/finesse/api/Team/99/Users' jid='1001@d'/></pubsub></iq>");
  l.push_back("00:00:00.310 RECV: <iq type='error' id='sub2' from='pubsub.d'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
  auto r = Run(Join(l));
  CHECK(StepOf(r->c(), StepId::SubscribeTeam).status == StepStatus::Failed);
  CHECK(StepOf(r->c(), StepId::SubscribeTeam).frame == 16);
  const Finding* f = FindingOf(r->c(), "subscribe-refused");
  REQUIRE(f);
  CHECK(f->Message().find("/finesse/api/Team/99/Users") != std::string::npos);
  CHECK(f->Message().find("item-not-found") != std::string::npos);
  CHECK(r->c().verdict == Verdict::Failed);
}

TEST_CASE("the user node passes on notifications alone (automatic subscription)") {
  auto l = Healthy();
  l.erase(l.begin() + 12, l.begin() + 14);
  auto r = Run(Join(l));
  CHECK(StepOf(r->c(), StepId::SubscribeUser).status == StepStatus::Passed);
  CHECK(StepOf(r->c(), StepId::SubscribeUser).detail.Render().find("subscribed by the server") != std::string::npos);
  CHECK(r->c().verdict == Verdict::Healthy);
}

TEST_CASE("pings: answered ones are fine, two misses in a row mean failover") {
  auto ok = Healthy();
  ok.push_back("00:00:10.000 SENT: <iq type='get' id='ping1' to='d'><ping xmlns='urn:xmpp:ping'/></iq>");
  ok.push_back("00:00:10.020 RECV: <iq type='result' id='ping1' from='d'/>");
  ok.push_back("00:00:40.000 RECV: " + Event("/finesse/api/User/1001", kReady));
  CHECK(Run(Join(ok))->c().findings.empty());

  auto l = Healthy();
  l.push_back("00:00:10.000 SENT: <iq type='get' id='ping1' to='d'><ping xmlns='urn:xmpp:ping'/></iq>");
  l.push_back("00:00:20.000 SENT: <iq type='get' id='ping2' to='d'><ping xmlns='urn:xmpp:ping'/></iq>");
  l.push_back("00:00:40.000 RECV: " + Event("/finesse/api/User/1001", kReady));
  auto r = Run(Join(l));
  int unanswered = 0;
  for (const auto& f : r->c().findings) unanswered += f.Code() == "ping-unanswered";
  CHECK(unanswered == 2);
  REQUIRE(HasFinding(r->c(), "ping-missed-twice"));
  CHECK(FindingOf(r->c(), "ping-missed-twice")->frame == 16);
  CHECK(r->c().verdict == Verdict::Failed);

  auto pending = Healthy();  // the capture stops 2 s after the ping: cannot tell yet
  pending.push_back("00:00:10.000 SENT: <iq type='get' id='ping1' to='d'><ping xmlns='urn:xmpp:ping'/></iq>");
  pending.push_back("00:00:12.000 RECV: " + Event("/finesse/api/User/1001", kReady));
  CHECK_FALSE(HasFinding(Run(Join(pending))->c(), "ping-unanswered"));
}

TEST_CASE("an abnormal close and the reconnect that followed") {
  auto first = Healthy();
  auto second = Healthy();
  for (auto& line : second) line.replace(0, 8, "00:01:00");
  auto lines = first;
  lines.insert(lines.end(), second.begin(), second.end());
  auto r = Run(Join(lines));
  REQUIRE(r->report.connections.size() == 2);
  REQUIRE(HasFinding(r->c(0), "abnormal-close"));
  CHECK(r->c(0).verdict == Verdict::Failed);
  REQUIRE(HasFinding(r->c(1), "reconnect"));
  CHECK(FindingOf(r->c(1), "reconnect")->Message().find("connection 1") != std::string::npos);
  CHECK(r->c(1).verdict == Verdict::Healthy);

  // A clean <close/> before the next login is no abnormal close.
  auto clean = first;
  clean.push_back("00:00:01.000 SENT: <close " + kFraming + "/>");
  clean.push_back("00:00:01.010 RECV: <close " + kFraming + "/>");
  clean.insert(clean.end(), second.begin(), second.end());
  auto c = Run(Join(clean));
  REQUIRE(c->report.connections.size() == 2);
  CHECK_FALSE(HasFinding(c->c(0), "abnormal-close"));
  CHECK_FALSE(HasFinding(c->c(1), "reconnect"));
}

TEST_CASE("OUT_OF_SERVICE SystemInfo and apiErrors in notifications") {
  auto l = Healthy();
  l.push_back("00:00:01.000 RECV: " + Event("/finesse/api/SystemInfo",
                                             "<Update><data><SystemInfo><status>OUT_OF_SERVICE</status></SystemInfo></data><event>PUT</event><requestId></requestId><source>/finesse/api/SystemInfo</source></Update>"));
  l.push_back("00:00:02.000 RECV: " + Event("/finesse/api/User/1001",
                                             "<Update><data><apiErrors><apiError><errorType>Invalid State</errorType><errorMessage>CTI refused</errorMessage></apiError></apiErrors></data><event>POST</event><requestId>req-42</requestId><source>/finesse/api/User/1001</source></Update>"));
  auto r = Run(Join(l));
  REQUIRE(HasFinding(r->c(), "system-out-of-service"));
  CHECK(FindingOf(r->c(), "system-out-of-service")->frame == 15);
  const Finding* api = FindingOf(r->c(), "api-errors");
  REQUIRE(api);
  CHECK(api->Message().find("Invalid State") != std::string::npos);
  CHECK(api->Message().find("req-42") != std::string::npos);
  CHECK(r->c().notification_count == 3);
}

TEST_CASE("a connection whose frames are not XMPP at all") {
  auto r = Run(R"([{"type":"receive","time":1714557600.1,"opcode":1,"data":"{\"type\":\"hello\"}"},{"type":"send","time":1714557600.2,"opcode":1,"data":"ping"}])");
  REQUIRE(r->report.connections.size() == 1);
  CHECK_FALSE(r->c().is_xmpp);
  CHECK(HasFinding(r->c(), "not-xmpp"));
  CHECK(r->report.XmppConnections() == 0);
  CHECK_FALSE(r->report.AllHealthy());
}

namespace {
std::string HarWith(const std::string& response, const std::string& messages) {
  return R"({"log":{"creator":{"name":"WebInspector","version":"537.36"},"entries":[{"startedDateTime":"2024-05-01T10:00:00.000Z","_resourceType":"websocket",
    "request":{"method":"GET","url":"wss://uccxpub.prabhat.com:8445/ws/","headers":[]},"response":)" + response + R"(,"_webSocketMessages":[)" + messages + "]}]}}";
}
}  // namespace

TEST_CASE("upgrade failed: no 101, a certificate error") {
  auto r = Run(HarWith(R"({"status":0,"headers":[],"_error":"net::ERR_CERT_AUTHORITY_INVALID"})",
                       R"({"type":"error","time":1714557600.1,"opcode":1,"data":"net::ERR_CERT_AUTHORITY_INVALID"})"));
  const auto& c = r->c();
  CHECK(StepOf(c, StepId::Upgrade).status == StepStatus::Failed);
  CHECK(StepOf(c, StepId::Open).detail.Render() == "not reached: upgrade failed");
  CHECK(c.verdict == Verdict::Failed);
  const Finding* f = FindingOf(c, "upgrade-failed");
  REQUIRE(f);
  CHECK(f->Hint().find("https://uccxpub.prabhat.com:8445/") != std::string::npos);
  const Finding* w = FindingOf(c, "websocket-error");
  REQUIRE(w);
  CHECK(w->Hint().find("certificate") != std::string::npos);
}

TEST_CASE("101 without the xmpp subprotocol") {
  auto r = Run(HarWith(R"({"status":101,"headers":[{"name":"Upgrade","value":"websocket"}]})", ""));
  CHECK(HasFinding(r->c(), "no-xmpp-subprotocol"));
  CHECK(StepOf(r->c(), StepId::Upgrade).status == StepStatus::Failed);
}

TEST_CASE("a close code 1006 is an abnormal close") {
  auto r = Run(HarWith(R"({"status":101,"headers":[{"name":"Sec-WebSocket-Protocol","value":"xmpp"}]})",
                       R"({"type":"send","time":1714557600.1,"opcode":1,"data":"<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='d'/>"},
                          {"type":"receive","time":1714557600.2,"opcode":8,"data":"A+4="})"));
  const Finding* f = FindingOf(r->c(), "abnormal-close");
  REQUIRE(f);
  CHECK(f->Message().find("1006") != std::string::npos);
  CHECK(StepOf(r->c(), StepId::Open).status == StepStatus::Failed);
}

TEST_CASE("Firefox: no frames exported means incomplete, with a plain instruction") {
  auto r = Run(R"({"log":{"creator":{"name":"Firefox","version":"125.0"},"entries":[{"startedDateTime":"2024-05-01T10:00:00Z","request":{"method":"GET","url":"wss://h:8445/ws/"},
    "response":{"status":101,"headers":[{"name":"Upgrade","value":"websocket"},{"name":"Sec-WebSocket-Protocol","value":"xmpp"}]}}]}})");
  const auto& c = r->c();
  CHECK(c.verdict == Verdict::Incomplete);
  CHECK(StepOf(c, StepId::Upgrade).status == StepStatus::Passed);
  CHECK(StepOf(c, StepId::Auth).status == StepStatus::Missing);
  const Finding* f = FindingOf(c, "no-frames-exported");
  REQUIRE(f);
  CHECK(f->Hint().find("Chrome or Edge") != std::string::npos);
}

TEST_CASE("a frame over 1 MiB") {
  auto l = Healthy();
  l.push_back("00:00:01.000 RECV: <message from='x'><body>" + std::string(1100000, 'a') + "</body></message>");
  CHECK(HasFinding(Run(Join(l))->c(), "frame-too-large"));
}

TEST_CASE("a request with no answer before the connection ended") {
  auto l = Healthy();
  l.resize(9);
  l.push_back("00:00:05.000 RECV: <close " + kFraming + "/>");
  auto r = Run(Join(l));
  CHECK(StepOf(r->c(), StepId::Bind).status == StepStatus::Failed);
  CHECK(HasFinding(r->c(), "no-answer"));
}

TEST_CASE("the expected sequence is fixed and named") {
  const char* ids[] = {"upgrade", "open", "auth", "restart", "bind", "presence", "finesse-presence",
                       "subscribe-user", "subscribe-team", "notifications"};
  for (size_t i = 0; i < size_t(StepId::Count); ++i) CHECK(std::string(StepName(StepId(i), Transport::WebSocket)) == ids[i]);
  CHECK(std::string(StepName(StepId::Upgrade, Transport::Bosh)) == "session");
  CHECK_FALSE(StepRequired(StepId::SubscribeTeam));
  CHECK(StepRequired(StepId::FinessePresence));
}

TEST_CASE("checking in slices of frames gives the same report") {
  auto lines = Healthy();
  auto second = Healthy();
  for (auto& line : second) line.replace(0, 8, "00:01:00");
  lines.insert(lines.end(), second.begin(), second.end());
  Capture cap = ImportCapture(Join(lines));
  Report whole = Check(cap);
  Checker sliced(cap);
  int steps = 0;
  while (!sliced.Step(3)) ++steps;
  CHECK(steps >= 9);
  Report r = sliced.Take();
  REQUIRE(r.connections.size() == whole.connections.size());
  for (size_t i = 0; i < r.connections.size(); ++i) {
    CHECK(r.connections[i].verdict == whole.connections[i].verdict);
    CHECK(r.connections[i].findings.size() == whole.connections[i].findings.size());
    CHECK(r.connections[i].kinds == whole.connections[i].kinds);
  }
}

TEST_CASE("BOSH: the client's terminate and the server's answer are a clean logout") {
  const std::string b = "xmlns='http://jabber.org/protocol/httpbind'";
  std::string t =
      "00:00:00.000 SENT: <body " + b + " rid='1' to='d' wait='30' hold='1'/>\n"
      "00:00:00.010 RECV: <body " + b + " sid='S' wait='30' requests='2'><stream:features><mechanisms " + kSasl + "><mechanism>PLAIN</mechanism></mechanisms></stream:features></body>\n"
      "00:00:01.000 SENT: <body " + b + " rid='9' sid='S' type='terminate'><presence type='unavailable'/></body>\n"
      "00:00:01.010 RECV: <body " + b + " type='terminate'/>\n";
  auto r = Run(t);
  REQUIRE(r->report.connections.size() == 1);
  CHECK(r->c().connection->transport == Transport::Bosh);
  CHECK(r->c().findings.empty());
  CHECK(StepOf(r->c(), StepId::Upgrade).status == StepStatus::Passed);  // "session"

  std::string bad = "00:00:00.000 SENT: <body " + b + " rid='1' to='wrong' wait='30' hold='1'/>\n"
                    "00:00:00.010 RECV: <body " + b + " type='terminate' condition='host-unknown'/>\n";
  auto f = Run(bad);
  REQUIRE(HasFinding(f->c(), "bosh-terminate-host-unknown"));
  CHECK(StepOf(f->c(), StepId::Open).status == StepStatus::Failed);
  CHECK(StepOf(f->c(), StepId::Upgrade).status == StepStatus::Failed);
}

// [SECTION] Evidence wherever it sits, the incremental interface, frame flags

TEST_CASE("a capture that starts at the bind result: earlier steps not captured, the verdict incomplete") {
  auto l = Healthy();
  l.erase(l.begin(), l.begin() + 9);  // begins at the bind result
  auto r = Run(Join(l));
  const auto& c = r->c();
  for (StepId id : {StepId::Open, StepId::Auth, StepId::Restart}) CHECK(StepOf(c, id).status == StepStatus::NotCaptured);
  CHECK(StepOf(c, StepId::Bind).status == StepStatus::Passed);
  CHECK(c.jid == "1001@d/desktop");
  for (StepId id : {StepId::Presence, StepId::FinessePresence, StepId::SubscribeUser})
    CHECK(StepOf(c, id).status == StepStatus::Passed);
  CHECK(c.verdict == Verdict::Incomplete);
  CHECK(c.reason == VerdictReason::MidSession);
  CHECK(c.findings.empty());
}

TEST_CASE("only a SASL answer: auth is credited from the server's word, earlier steps not captured") {
  auto r = Run("SENT: <auth " + kSasl + " mechanism='PLAIN'>" + Plain("", "1001", "x") + "</auth>\nRECV: <failure " + kSasl +
               "><not-authorized/></failure>\n");
  CHECK(StepOf(r->c(), StepId::Open).status == StepStatus::NotCaptured);
  CHECK(StepOf(r->c(), StepId::Auth).status == StepStatus::Failed);
  CHECK(r->c().verdict == Verdict::Failed);
  REQUIRE(HasFinding(r->c(), "sasl-failure"));
  CHECK(FindingOf(r->c(), "sasl-failure")->step == StepId::Auth);
  CHECK(FindingOf(r->c(), "sasl-failure")->Arg("condition") == "not-authorized");
}

TEST_CASE("any SASL mechanism passes auth, with a note that the desktop uses PLAIN") {
  auto l = Healthy();
  l[3] = "00:00:00.020 SENT: <auth " + kSasl + " mechanism='SCRAM-SHA-1'>biwsbj0xMDAxLHI9YWJj</auth>";
  l.insert(l.begin() + 4, "00:00:00.025 RECV: <challenge " + kSasl + ">cj1hYmM=</challenge>");
  l.insert(l.begin() + 5, "00:00:00.027 SENT: <response " + kSasl + ">Yz1iaXdzLHI9YWJj</response>");
  auto r = Run(Join(l));
  CHECK(StepOf(r->c(), StepId::Auth).status == StepStatus::Passed);
  REQUIRE(HasFinding(r->c(), "auth-not-plain"));
  CHECK(FindingOf(r->c(), "auth-not-plain")->severity == Severity::Info);
  CHECK(FindingOf(r->c(), "auth-not-plain")->Arg("mechanism") == "SCRAM-SHA-1");
  CHECK(r->c().verdict == Verdict::Healthy);
}

TEST_CASE("features that are not the SASL stage raise no no-plain-mechanism") {
  auto r = Run(
      "SENT: <stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='d' version='1.0'>\n"
      "RECV: <stream:stream xmlns:stream='http://etherx.jabber.org/streams' from='d' id='a1' version='1.0'>\n"
      "RECV: <stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>\n"
      "SENT: <starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>\n"
      "RECV: <proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>\n"
      "SENT: <stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='d' version='1.0'>\n"
      "RECV: <stream:stream xmlns:stream='http://etherx.jabber.org/streams' from='d' id='a2' version='1.0'>\n"
      "RECV: <stream:features><mechanisms " + kSasl + "><mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms></stream:features>\n"
      "SENT: <auth " + kSasl + " mechanism='PLAIN'>" + Plain("", "1001", "x") + "</auth>\n"
      "RECV: <success " + kSasl + "/>\n"
      "SENT: <stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='d' version='1.0'>\n"
      "RECV: <stream:stream xmlns:stream='http://etherx.jabber.org/streams' from='d' id='a3' version='1.0'>\n"
      "RECV: <stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>\n");
  REQUIRE(r->report.connections.size() == 1);  // TLS and SASL restarts stay in one connection
  const auto& c = r->c();
  CHECK(c.connection->transport == Transport::Tcp);
  CHECK_FALSE(HasFinding(c, "no-plain-mechanism"));
  CHECK_FALSE(HasFinding(c, "abnormal-close"));
  CHECK_FALSE(HasFinding(c, "reconnect"));
  CHECK(StepOf(c, StepId::Open).status == StepStatus::Passed);
  CHECK(StepOf(c, StepId::Open).frame == 7);  // refined from the STARTTLS features to the SASL ones
  CHECK(StepOf(c, StepId::Restart).status == StepStatus::Passed);
  CHECK(StepOf(c, StepId::Restart).frame == 12);

  auto no_plain = Run("RECV: <stream:features><mechanisms " + kSasl +
                      "><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>\n");
  REQUIRE(HasFinding(no_plain->c(), "no-plain-mechanism"));
  CHECK(FindingOf(no_plain->c(), "no-plain-mechanism")->Arg("mechanisms") == "SCRAM-SHA-1");
}

TEST_CASE("a stream error on an established session fails no step") {
  auto l = Healthy();
  l.push_back("00:00:05.000 RECV: <stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
  auto r = Run(Join(l));
  for (const StepResult& s : r->c().steps) CHECK(s.status != StepStatus::Failed);
  CHECK(r->c().verdict == Verdict::Failed);
  REQUIRE(HasFinding(r->c(), "stream-error-conflict"));
  CHECK(FindingOf(r->c(), "stream-error-conflict")->Arg("condition") == "conflict");

  // Right after the server's header, the same error refuses the open itself.
  auto early = Run("SENT: <open " + kFraming + " to='x'/>\nRECV: <open " + kFraming +
                   " from='d' id='1'/>\nRECV: <stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>\n");
  CHECK(StepOf(early->c(), StepId::Open).status == StepStatus::Failed);
}

TEST_CASE("two pings unanswered when the connection dropped: ping-missed-twice, and the headline says so") {
  auto l = Healthy();
  l.push_back("00:00:10.000 SENT: <iq type='get' id='ping1' to='d'><ping xmlns='urn:xmpp:ping'/></iq>");
  l.push_back("00:00:11.000 SENT: <iq type='get' id='ping2' to='d'><ping xmlns='urn:xmpp:ping'/></iq>");
  l.push_back("00:00:12.000 SENT: <open " + kFraming + " to='d' version='1.0'/>");  // a new socket: the old one died
  auto r = Run(Join(l));
  REQUIRE(r->report.connections.size() == 2);
  CHECK(HasFinding(r->c(0), "abnormal-close"));
  CHECK(HasFinding(r->c(0), "ping-missed-twice"));
  CHECK(HasFinding(r->c(1), "reconnect"));
  std::string text = ReportText(r->report);
  CHECK(text.find(FindingOf(r->c(0), "ping-missed-twice")->Message()) != std::string::npos);
}

TEST_CASE("frame flags: the frames the report calls problems are the ones findings and errors point at") {
  auto l = Healthy();
  l[4] = "00:00:00.030 RECV: <failure " + kSasl + "><not-authorized/></failure>";
  l.resize(5);
  auto r = Run(Join(l));
  const auto& c = r->c();
  REQUIRE(c.flags.size() == r->capture.connections[0].frames.size());
  for (size_t i = 0; i < c.flags.size(); ++i) CHECK(c.IsProblem(i) == (i == 4));
  CHECK((c.flags[2] & frame_flag::kStep) != 0);  // the features credited the open
}

TEST_CASE("the checker fed in slices, and on a growing capture, reports what a whole check reports") {
  // Times that go backwards (a log stitched from two sources, or a clock change): how long the
  // capture went on is its latest time, wherever the slices were cut (a fuzzer found this).
  auto backwards = Healthy();
  backwards.push_back("00:00:01.000 SENT: <iq type='get' id='ping1' to='d'><ping xmlns='urn:xmpp:ping'/></iq>");
  backwards.push_back("00:00:30.000 RECV: <presence from='x@d/y'/>");
  backwards.push_back("00:00:02.000 RECV: <presence from='x@d/z'/>");
  std::vector<std::string> inputs = {Join(Healthy()), Join(backwards), Sample("ws-server-stopped.har"),
                                     Sample("bosh-agent-healthy.har"), Sample("ws-wrong-password.har"),
                                     Sample("seed-uccx-transcript.txt")};
  for (const std::string& input : inputs) {
    Capture capture = ImportCapture(input);
    const std::string whole = ReportJson(Check(capture));
    for (size_t slice : {1, 3, 64}) {
      Checker checker(capture);
      while (!checker.Step(slice)) checker.Current();  // reporting in between changes nothing
      CHECK(ReportJson(checker.Take()) == whole);
    }
    // The capture grows frame by frame, as a live session does; the checker only reads what is new.
    Capture growing;
    growing.format = capture.format;
    growing.producer = capture.producer;
    growing.entries = capture.entries;
    growing.errors = capture.errors;
    growing.rest_calls = capture.rest_calls;
    Checker live(growing);
    for (const Connection& c : capture.connections) {
      Connection copy = c;
      copy.frames.clear();
      growing.connections.push_back(copy);
      for (const Frame& f : c.frames) {
        growing.connections.back().frames.push_back(f);
        live.Step(SIZE_MAX);
        live.Current();
      }
    }
    CHECK(ReportJson(live.Take()) == whole);
  }
  auto r = Run(Join(backwards));
  CHECK(HasFinding(r->c(), "ping-unanswered"));  // 29 s went by after the ping, on the latest clock
}

// [SECTION] Cases a review of the rework found

TEST_CASE("a stream error long after login fails no step, even when the log never showed the SASL features") {
  auto r = Run("SENT: <open " + kFraming + " to='d'/>\nRECV: <open " + kFraming + " from='d' id='1'/>\n"
               "SENT: <auth " + kSasl + " mechanism='PLAIN'>" + Plain("", "1001", "x") + "</auth>\nRECV: <success " + kSasl + "/>\n"
               "RECV: <stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>\n");
  CHECK(StepOf(r->c(), StepId::Open).status == StepStatus::Passed);
  CHECK(StepOf(r->c(), StepId::Auth).status == StepStatus::Passed);
  CHECK(FindingOf(r->c(), "stream-error-conflict")->step == StepId::Count);
}

TEST_CASE("a SASL retry is three attempts, not a repeated print; the last answer does not rewrite a failed step") {
  const std::string auth = "SENT: <auth " + kSasl + " mechanism='PLAIN'>" + Plain("", "1001", "x") + "</auth>\n";
  const std::string fail = "RECV: <failure " + kSasl + "><not-authorized/></failure>\n";
  auto r = Run("RECV: <stream:features><mechanisms " + kSasl + "><mechanism>PLAIN</mechanism></mechanisms></stream:features>\n" +
               auth + fail + auth + fail + auth + "RECV: <success " + kSasl + "/>\n");
  REQUIRE(r->report.connections.size() == 1);
  CHECK(r->capture.connections[0].frames.size() == 7);
  CHECK(StepOf(r->c(), StepId::Auth).status == StepStatus::Failed);  // the first answer decides
  CHECK(StepOf(r->c(), StepId::Auth).detail.code == DetailCode::SaslFailed);
}

TEST_CASE("a marker word inside the text of a stanza printed over several lines opens nothing") {
  auto r = Run("RECV:\n<message from='a@d'>\n  <body>we\n  <status>sent</status>\n  </body>\n</message>\n");
  REQUIRE(r->capture.connections.size() == 1);
  REQUIRE(r->capture.connections[0].frames.size() == 1);
  CHECK(r->capture.connections[0].frames[0].dir == Direction::Received);
  CHECK(r->c().is_xmpp);
}

TEST_CASE("what the log says in words is read only up to the frames fed, and the same however it is fed") {
  const std::string text =
      "SENT: <open " + kFraming + " to='d'/>\nRECV: <open " + kFraming + " from='d' id='1'/>\n"
      "RECV: <stream:features><mechanisms " + kSasl + "><mechanism>PLAIN</mechanism></mechanisms></stream:features>\n"
      "Resource bound: 1001@d/desktop\nstatus disconnect\n";
  Capture capture = ImportCapture(text);
  const std::string whole = ReportJson(Check(capture));
  Checker one_by_one(capture);
  while (!one_by_one.Step(1)) {
    const Report& now = one_by_one.Current();
    // Before the last frame is fed, the note after it cannot have ended the connection.
    CHECK_FALSE(now.connections.at(0).ended);
    CHECK(std::none_of(now.connections[0].findings.begin(), now.connections[0].findings.end(),
                       [](const Finding& f) { return f.id == FindingCode::AbnormalClose; }));
  }
  Report fed = one_by_one.Take();
  CHECK(ReportJson(fed) == whole);
  CHECK(fed.connections[0].jid == "1001@d/desktop");
  CHECK(fed.connections[0].ended);
}
