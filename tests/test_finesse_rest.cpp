// Tests for the REST side: requests beside a login transcript, matched to notifications by
// requestId, the state timeline, and every REST finding. Times are seconds since midnight, as
// the transcript's "00:00:02.000" stamps give them.
#include <filesystem>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "finesse_update.h"
#include "login_fixture.h"
#include "rapidjson/document.h"
#include "report.h"
#include "test_support.h"
#include "workspace.h"

using namespace fi;
using namespace fixture;

namespace {

std::string UserUpdate(const std::string& state, const std::string& request_id, const std::string& reason = "") {
  return "<Update><data><user><loginId>1001</loginId>" +
         (reason.empty() ? std::string() : "<reasonCode><code>" + reason + "</code><label>Break</label></reasonCode>") +
         "<state>" + state + "</state></user></data><event>PUT</event><requestId>" + request_id +
         "</requestId><source>/finesse/api/User/1001</source></Update>";
}

std::string At(double seconds, const std::string& dir, const std::string& xml) {
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "00:%02d:%06.3f", int(seconds) / 60, seconds - 60 * (int(seconds) / 60));
  return std::string(stamp) + " " + dir + ": " + xml;
}

// A login (frames 0.0 to 0.2 s) and then the given lines.
std::vector<std::string> LoginThen(std::vector<std::string> more) {
  auto lines = Healthy();
  lines.insert(lines.end(), more.begin(), more.end());
  return lines;
}

std::string Ping(double t, const std::string& id) {
  return At(t, "SENT", "<iq type='get' id='" + id + "' to='d'><ping xmlns='urn:xmpp:ping'/></iq>") + "\n" +
         At(t + 0.01, "RECV", "<iq type='result' id='" + id + "' from='d'/>");
}

struct Rest {
  Capture capture;
  Report report;

  explicit Rest(const std::vector<std::string>& transcript, const std::string& url = "wss://fin-a.example.com:8445/ws/") {
    capture = ImportCapture(Join(transcript));
    for (Connection& c : capture.connections) c.url = url;
  }
  Rest& Call(double t, const std::string& method, const std::string& path, int status, const std::string& request_id = "-",
             const std::string& response = "", const char* header = "requestId") {
    RestCall r;
    r.entry = int(capture.rest_calls.size()) + 10;
    r.start_time = t;
    r.total_ms = 5;
    r.method = method;
    r.url = "https://fin-a.example.com:8445" + path + (method == "GET" ? "?nocache=1714557600000" : "");
    r.status = status;
    if (request_id != "-") r.request_headers.push_back({header, request_id});
    r.request_headers.push_back({"Authorization", "Basic MTAwMTpzZWNyZXQ="});
    r.response_body = capture.Keep(response);
    capture.rest_calls.push_back(std::move(r));
    return *this;
  }
  Rest& SystemInfo(double t, const std::string& status, const std::string& domain = "d", const std::string& reason = "") {
    return Call(t, "GET", "/finesse/api/SystemInfo", 200, "-",
                "<SystemInfo><primaryNode><host>fin-a.example.com</host></primaryNode><secondaryNode><host>fin-b.example.com"
                "</host></secondaryNode><status>" + status + "</status>" +
                    (reason.empty() ? "" : "<statusReason>" + reason + "</statusReason>") + "<xmppDomain>" + domain +
                    "</xmppDomain><xmppPubSubDomain>pubsub." + domain + "</xmppPubSubDomain></SystemInfo>");
  }
  const Report& Run() {
    report = Check(capture);
    return report;
  }
  const RestRequest& Request(size_t i) const { return report.finesse.requests.at(i); }
  const Finding* Find(const std::string& code) const {
    for (const Finding& f : report.finesse.findings)
      if (f.Code() == code) return &f;
    return nullptr;
  }
};

const std::string kApiError401 =
    "<ApiErrors><ApiError><ErrorType>Authentication Failure</ErrorType><ErrorMessage>UNAUTHORIZED</ErrorMessage>"
    "<ErrorData>1001</ErrorData></ApiError></ApiErrors>";

}  // namespace

TEST_CASE("a PUT is matched to the notification carrying its requestId, with the latency") {
  Rest r(LoginThen({At(2.25, "RECV", Event("/finesse/api/User/1001", UserUpdate("READY", "req-1")))}));
  r.SystemInfo(0.0, "IN_SERVICE").Call(2.0, "PUT", "/finesse/api/User/1001", 202, "req-1");
  const Report& rep = r.Run();
  REQUIRE(rep.finesse.requests.size() == 2);
  const RestRequest& put = r.Request(1);
  CHECK(put.method == "PUT");
  CHECK(put.path == "/finesse/api/User/1001");
  CHECK(put.request_id == "req-1");
  REQUIRE(put.has_notification);
  CHECK(put.notification.connection == 0);
  CHECK(put.notification.frame == 15);
  CHECK(put.notification.latency_ms == doctest::Approx(250).epsilon(0.001));
  CHECK_FALSE(r.Request(0).has_notification);  // the GET
  CHECK(r.Request(0).path == "/finesse/api/SystemInfo");  // nocache dropped
  CHECK(rep.finesse.findings.empty());
  CHECK_FALSE(rep.finesse.HasProblem());
  CHECK(rep.connections[0].verdict == Verdict::Healthy);
}

TEST_CASE("HTTP/2 writes the header lower-case; it is the same requestId") {
  Rest r(LoginThen({At(2.1, "RECV", Event("/finesse/api/User/1001", UserUpdate("READY", "req-h2")))}));
  r.Call(2.0, "PUT", "/finesse/api/User/1001", 202, "req-h2", "", "requestid");
  r.Run();
  CHECK(r.Request(0).has_notification);
}

TEST_CASE("a notification that comes more than 5 s after its request is slow") {
  Rest r(LoginThen({Ping(5, "p1"), At(8.5, "RECV", Event("/finesse/api/User/1001", UserUpdate("READY", "req-1")))}));
  r.Call(2.0, "PUT", "/finesse/api/User/1001", 202, "req-1");
  r.Run();
  const Finding* f = r.Find("notification-slow");
  REQUIRE(f);
  CHECK(f->severity == Severity::Warning);
  CHECK(f->entry == 10);
  CHECK(f->Arg("latency") == "6.5");
  CHECK(f->Arg("request_id") == "req-1");
  CHECK(r.report.finesse.HasProblem());
}

TEST_CASE("no notification while the channel was up: the server did not publish it") {
  // Subscribed at 0.11 s, pings answered, the capture runs on to 15 s.
  Rest r(LoginThen({Ping(5, "p1"), Ping(10, "p2"), Ping(15, "p3")}));
  r.Call(2.0, "PUT", "/finesse/api/User/1001", 202, "req-lost");
  r.Run();
  const Finding* f = r.Find("notification-not-received");
  REQUIRE(f);
  CHECK(f->severity == Severity::Error);
  CHECK(f->Arg("up") == "1");
  CHECK(f->Arg("connection") == "1");
  CHECK(f->Arg("node") == "/finesse/api/User/1001");
  CHECK(f->Arg("after") == "13.0");
  CHECK_FALSE(r.Request(0).has_notification);
}

TEST_CASE("no notification, but the capture stops too soon after the request to tell") {
  Rest r(LoginThen({Ping(3, "p1")}));
  r.Call(2.0, "PUT", "/finesse/api/User/1001", 202, "req-soon");
  r.Run();
  const Finding* f = r.Find("notification-not-received");
  REQUIRE(f);
  CHECK(f->Arg("too_soon") == "1");
  CHECK(f->severity == Severity::Info);
  CHECK_FALSE(r.report.finesse.HasProblem());
}

TEST_CASE("no notification because the channel was down: not yet connected, not subscribed, or dropped") {
  SUBCASE("the request came before any connection") {
    Rest r(LoginThen({Ping(15, "p1")}));
    // Frames start at 0 s; a request at -5 s stands before the connection existed.
    r.Call(-5.0, "PUT", "/finesse/api/User/1001", 202, "req-early");
    r.Run();
    const Finding* f = r.Find("notification-not-received");
    REQUIRE(f);
    CHECK(f->Arg("no_connection") == "1");
    CHECK(f->Arg("down") == "1");
  }
  SUBCASE("connected, but the subscribe came later") {
    auto lines = Healthy();
    // Move the subscribe and its answer to 5 s.
    lines[12] = At(5.0, "SENT", lines[12].substr(lines[12].find(": ") + 2));
    lines[13] = At(5.01, "RECV", lines[13].substr(lines[13].find(": ") + 2));
    lines.pop_back();
    lines.push_back(Ping(15, "p1"));
    Rest r(lines);
    r.Call(2.0, "PUT", "/finesse/api/User/1001", 202, "req-early");
    r.Run();
    const Finding* f = r.Find("notification-not-received");
    REQUIRE(f);
    CHECK(f->Arg("not_subscribed") == "1");
  }
  SUBCASE("the connection dropped right after the request") {
    Rest r(LoginThen({At(2.5, "RECV", "<stream:error><system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>")}));
    r.Call(2.0, "PUT", "/finesse/api/User/1001", 202, "req-drop");
    r.Run();
    const Finding* f = r.Find("notification-not-received");
    REQUIRE(f);
    CHECK(f->Arg("ended") == "1");
    CHECK(f->Arg("ended_after") == "0.5");
    CHECK(f->Arg("problem") == "stream-error-system-shutdown");
    CHECK(f->severity == Severity::Error);
  }
}

TEST_CASE("no notification before an orderly close: the capture cannot tell") {
  Rest r(LoginThen({At(2.5, "SENT", "<close " + kFraming + "/>"), At(2.51, "RECV", "<close " + kFraming + "/>")}));
  r.Call(2.0, "PUT", "/finesse/api/User/1001", 202, "req-bye");
  r.Run();
  const Finding* f = r.Find("notification-not-received");
  REQUIRE(f);
  CHECK(f->Arg("closed") == "1");
  CHECK(f->Arg("ended_after") == "0.5");
  CHECK(f->severity == Severity::Info);
}

TEST_CASE("a notification after a reconnect, on the second connection, still matches") {
  auto second = Healthy();
  for (std::string& l : second) l = At(4.0 + std::stod(l.substr(6, 6)), l.substr(13, 4), l.substr(l.find(": ") + 2));
  std::vector<std::string> lines = Healthy();
  lines.push_back(At(2.2, "RECV", "<stream:error><system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"));
  lines.insert(lines.end(), second.begin(), second.end());
  lines.push_back(At(4.5, "RECV", Event("/finesse/api/User/1001", UserUpdate("NOT_READY", "req-r", "10"))));
  Rest r(lines);
  REQUIRE(r.capture.connections.size() == 2);
  r.Call(2.1, "PUT", "/finesse/api/User/1001", 202, "req-r");
  r.Run();
  const RestRequest& put = r.Request(0);
  REQUIRE(put.has_notification);
  CHECK(put.notification.connection == 1);
  CHECK(put.notification.latency_ms == doctest::Approx(2400).epsilon(0.001));
  CHECK(r.Find("notification-not-received") == nullptr);
  // The states follow the time, across connections: READY from the login, then NOT_READY.
  REQUIRE(r.report.finesse.states.size() == 1);  // the login's own READY carries no loginId
  CHECK(r.report.finesse.states[0].state == "NOT_READY");
  CHECK(r.report.finesse.states[0].reason_code == "10");
  CHECK(r.report.finesse.states[0].connection == 1);
}

TEST_CASE("a GET, and a notification with an empty requestId, are never matched") {
  Rest r(LoginThen({At(2.1, "RECV", Event("/finesse/api/User/1001", UserUpdate("READY", ""))), Ping(14, "p1")}));
  r.Call(2.0, "GET", "/finesse/api/User/1001", 200, "")                // a GET, even with the header
      .Call(2.0, "PUT", "/finesse/api/User/1001", 202, "");           // an empty requestId
  r.Run();
  CHECK_FALSE(r.Request(0).has_notification);
  CHECK_FALSE(r.Request(1).has_notification);
  CHECK(r.report.finesse.findings.empty());  // nothing to wait for without a requestId
}

TEST_CASE("a GET carrying a requestId is not matched either") {
  Rest r(LoginThen({At(2.1, "RECV", Event("/finesse/api/User/1001", UserUpdate("READY", "g1")))}));
  r.Call(2.0, "GET", "/finesse/api/User/1001", 200, "g1");
  r.Run();
  CHECK_FALSE(r.Request(0).has_notification);
}

TEST_CASE("REST errors: 401, 503, and any other error or ApiErrors body") {
  Rest r(LoginThen({}));
  r.Call(1.0, "GET", "/finesse/api/User/1001", 401, "-", kApiError401)
      .Call(1.5, "PUT", "/finesse/api/User/1001", 503, "r503",
            "<ApiErrors><ApiError><ErrorType>Service Unavailable</ErrorType><ErrorMessage>System is not IN_SERVICE"
            "</ErrorMessage></ApiError></ApiErrors>")
      .Call(1.8, "PUT", "/finesse/api/User/1001", 400, "r400",
            "<ApiErrors><ApiError><ErrorType>Invalid State</ErrorType><ErrorData>READY</ErrorData>"
            "<ErrorMessage>Cannot change state</ErrorMessage></ApiError></ApiErrors>");
  r.Run();
  const Finding* u = r.Find("rest-unauthorized");
  REQUIRE(u);
  CHECK(u->severity == Severity::Error);
  CHECK(u->entry == 10);
  CHECK(u->Arg("errors") == "Authentication Failure: UNAUTHORIZED (1001)");
  const Finding* s = r.Find("rest-unavailable");
  REQUIRE(s);
  CHECK(s->Arg("errors") == "Service Unavailable: System is not IN_SERVICE");
  const Finding* e = r.Find("rest-api-error");
  REQUIRE(e);
  CHECK(e->severity == Severity::Warning);
  CHECK(e->Arg("status") == "400");
  CHECK(e->Arg("errors") == "Invalid State: Cannot change state (READY)");
  REQUIRE(r.Request(0).errors.size() == 1);
  CHECK(r.Request(0).errors[0].type == "Authentication Failure");
  CHECK(r.Find("notification-not-received") == nullptr);  // refused requests announce nothing
}

TEST_CASE("SystemInfo out of service, once per change, with its reason") {
  Rest r(LoginThen({}));
  r.SystemInfo(0.0, "OUT_OF_SERVICE", "d", "CTI server is down")
      .SystemInfo(0.5, "OUT_OF_SERVICE", "d", "CTI server is down")
      .SystemInfo(1.0, "IN_SERVICE");
  r.Run();
  int count = 0;
  for (const Finding& f : r.report.finesse.findings)
    if (f.Code() == "systeminfo-not-in-service") {
      ++count;
      CHECK(f.Arg("status") == "OUT_OF_SERVICE");
      CHECK(f.Arg("reason") == "CTI server is down");
      CHECK(f.entry == 10);
    }
  CHECK(count == 1);
  REQUIRE(r.report.finesse.Last());
  CHECK(r.report.finesse.Last()->status == "IN_SERVICE");
  CHECK(r.report.finesse.Last()->primary == "fin-a.example.com");
  CHECK(r.report.finesse.Last()->secondary == "fin-b.example.com");
}

TEST_CASE("the stream's domain against the SystemInfo answered before the connection") {
  SUBCASE("mismatch") {
    Rest r(LoginThen({}));
    r.SystemInfo(-1, "IN_SERVICE", "finesse.example.com");
    const Report& rep = r.Run();
    const Finding* f = FindingOf(rep.connections[0], "systeminfo-domain-mismatch");
    REQUIRE(f);
    CHECK(f->severity == Severity::Error);
    CHECK(f->Arg("domain") == "d");
    CHECK(f->Arg("xmpp_domain") == "finesse.example.com");
    CHECK(f->frame == 0);  // the client's open
    CHECK(rep.connections[0].verdict == Verdict::Failed);
  }
  SUBCASE("a later answer does not count for an earlier connection") {
    Rest r(LoginThen({}));
    r.SystemInfo(-1, "IN_SERVICE", "d").SystemInfo(5, "IN_SERVICE", "other.example.com");
    const Report& rep = r.Run();
    CHECK_FALSE(HasFinding(rep.connections[0], "systeminfo-domain-mismatch"));
  }
}

TEST_CASE("failover: the next connection went to the other node") {
  auto second = Healthy();
  for (std::string& l : second) l = At(20.0 + std::stod(l.substr(6, 6)), l.substr(13, 4), l.substr(l.find(": ") + 2));
  // Two logs joined: the first connection just stops (its node died), the second is elsewhere.
  Capture cap = ImportCapture(Join(Healthy()));
  Capture other = ImportCapture(Join(second));  // keeps the second's frames alive
  REQUIRE(other.connections.size() == 1);
  cap.connections.push_back(other.connections[0]);
  // The desktop's connections have no close: the first one's node went away.
  cap.connections[0].url = "wss://fin-a.example.com:8445/ws/";
  cap.connections[1].url = "wss://fin-b.example.com:8445/ws/";
  cap.connections[0].frames.pop_back();
  RestCall si;
  si.entry = 30;
  si.start_time = 19.5;
  si.method = "GET";
  si.url = "https://fin-b.example.com:8445/finesse/api/SystemInfo";
  si.status = 200;
  si.response_body = cap.Keep(
      "<SystemInfo><primaryNode><host>fin-a.example.com</host></primaryNode><secondaryNode><host>fin-b.example.com</host>"
      "</secondaryNode><status>IN_SERVICE</status><xmppDomain>d</xmppDomain></SystemInfo>");
  cap.rest_calls.push_back(si);
  Report rep = Check(cap);
  const Finding* f = FindingOf(rep.connections[1], "failover");
  REQUIRE(f);
  CHECK(f->severity == Severity::Warning);
  CHECK(f->Arg("host") == "fin-b.example.com:8445");
  CHECK(f->Arg("previous_host") == "fin-a.example.com:8445");
  CHECK(f->Arg("secondary") == "1");
  CHECK(HasFinding(rep.connections[1], "reconnect"));  // and a reconnect after an abnormal end, as ever
  CHECK(HasFinding(rep.connections[0], "abnormal-close"));  // the ended connection keeps its own
  CHECK(FindingOf(rep.connections[1], "failover")->Arg("previous") == "1");
}

TEST_CASE("a failover and then a failback are both said") {
  Capture cap = ImportCapture(Join(Healthy()));
  std::vector<Capture> more;
  more.reserve(2);  // a Capture copied on growth would leave the frames' views behind
  for (double start : {20.0, 40.0}) {
    auto lines = Healthy();
    for (std::string& l : lines) l = At(start + std::stod(l.substr(6, 6)), l.substr(13, 4), l.substr(l.find(": ") + 2));
    more.push_back(ImportCapture(Join(lines)));
    cap.connections.push_back(more.back().connections.at(0));
  }
  cap.connections[0].url = "wss://fin-a.example.com:8445/ws/";
  cap.connections[1].url = "wss://fin-b.example.com:8445/ws/";
  cap.connections[2].url = "wss://fin-a.example.com:8445/ws/";
  Report rep = Check(cap);
  REQUIRE(FindingOf(rep.connections[1], "failover"));
  CHECK(FindingOf(rep.connections[1], "failover")->Arg("previous") == "1");
  REQUIRE(FindingOf(rep.connections[2], "failover"));
  CHECK(FindingOf(rep.connections[2], "failover")->Arg("previous_host") == "fin-b.example.com:8445");
}

TEST_CASE("a reconnect to the same node is not a failover") {
  auto second = Healthy();
  for (std::string& l : second) l = At(20.0 + std::stod(l.substr(6, 6)), l.substr(13, 4), l.substr(l.find(": ") + 2));
  Capture cap = ImportCapture(Join(Healthy()));
  Capture other = ImportCapture(Join(second));
  cap.connections.push_back(other.connections.at(0));
  for (Connection& c : cap.connections) c.url = "wss://fin-a.example.com:8445/ws/";
  Report rep = Check(cap);
  CHECK(HasFinding(rep.connections[1], "reconnect"));
  for (const ConnectionReport& c : rep.connections) CHECK_FALSE(HasFinding(c, "failover"));
}

TEST_CASE("agent states: a team lists everyone; only changes count, in time order") {
  const std::string team1 =
      "<Update><data><team><users><user><loginId>1001</loginId><state>READY</state></user><user><loginId>1002</loginId>"
      "<state>NOT_READY</state><reasonCode><code>10</code><label>Break</label></reasonCode></user></users></team></data>"
      "<event>PUT</event><requestId></requestId><source>/finesse/api/Team/1/Users</source></Update>";
  const std::string team2 =
      "<Update><data><team><users><user><loginId>1001</loginId><state>TALKING</state></user><user><loginId>1002</loginId>"
      "<state>NOT_READY</state><reasonCode><code>10</code><label>Break</label></reasonCode></user></users></team></data>"
      "<event>PUT</event><requestId></requestId><source>/finesse/api/Team/1/Users</source></Update>";
  Rest r(LoginThen({At(1, "RECV", Event("/finesse/api/Team/1/Users", team1)),
                    At(2, "RECV", Event("/finesse/api/Team/1/Users", team2))}));
  r.Run();
  const auto& st = r.report.finesse.states;
  REQUIRE(st.size() == 3);
  CHECK(st[0].user == "1001");
  CHECK(st[0].state == "READY");
  CHECK(st[1].user == "1002");
  CHECK(st[1].reason_code == "10");
  CHECK(st[1].reason_label == "Break");
  CHECK(st[2].user == "1001");
  CHECK(st[2].state == "TALKING");
  CHECK(st[2].frame == 16);
}

TEST_CASE("the Update fast path reads what tinyxml2 reads, or steps aside") {
  const std::vector<std::string> updates = {
      UserUpdate("READY", "r1"),
      UserUpdate("NOT_READY", "", "10"),
      "<Update><data><team><users><user><loginId>1</loginId><state>READY</state></user></users></team></data>"
      "<event>put</event><requestId/><source>/x</source></Update>",
      "<Update><data><dialog><state>ACTIVE</state><participants><Participant><state>ACTIVE</state></Participant>"
      "</participants></dialog></data><event>POST</event><requestId>d1</requestId></Update>",
      "<Update>\n  <data>\n    <user>\n      <loginId>1001</loginId>\n      <state>READY</state>\n    </user>\n  </data>\n</Update>",
      // Shapes the fast path leaves to tinyxml2: attributes, entities, apiErrors, SystemInfo, whitespace runs.
      "<Update xmlns='x'><data><user><loginId>1</loginId><state>READY</state></user></data></Update>",
      "<Update><data><user><loginId>1</loginId><reasonCode><code>1</code><label>Lunch &amp; Break</label></reasonCode>"
      "<state>NOT_READY</state></user></data></Update>",
      "<Update><data><apiErrors><apiError><errorType>E</errorType></apiError></apiErrors></data></Update>",
      "<Update><data><SystemInfo><status>IN_SERVICE</status></SystemInfo></data></Update>",
      "<Update><data><user><loginId>1</loginId><state>NOT  READY</state></user></data></Update>",
      "<Update><data><user><state>READY</state></user></data>",  // not well-formed
      "<Other/>",
      // Shapes a review found the fast path reading differently: now refused, or read the same.
      "<Update><requestId>A</requestId><requestId>B</requestId></Update>",
      "<Update><event>PUT</event><event>PUT</event></Update>",
      "<Update><requestId><x/>R</requestId></Update>",
      "<Update><a><b><state>X</state></b></a></Update>",
      "<Update><x><users><user><loginId>1001</loginId><state>READY</state></user></users></x></Update>",
      "<Update><data/><data><user><loginId>1</loginId><state>READY</state></user></data></Update>",
      "<Update><data><team><users/><users><user><loginId>1</loginId><state>READY</state></user></users></team></data></Update>",
      "<Update><data><user><state/><state>READY</state></user></data></Update>",
      "<Update><data><user><reasonCode><code>1</code></reasonCode><reasonCode><code>2</code></reasonCode></user></data></Update>",
      "<Update><requestId>\vR</requestId></Update>",
      "<Update><data><user><state>A\fB</state></user></data></Update>",
      std::string("<Update><requestId>A\0B</requestId></Update>", 43),
      "<Update><9/></Update>",
      "<Update><-x/></Update>",
  };
  for (const std::string& x : updates) {
    CAPTURE(x);
    FinesseUpdate fast = DecodeUpdate(x, true), slow = DecodeUpdate(x, false);
    CHECK(fast.ok == slow.ok);
    CHECK(fast.event == slow.event);
    CHECK(fast.request_id == slow.request_id);
    CHECK(fast.source == slow.source);
    CHECK(fast.data_kind == slow.data_kind);
    CHECK(fast.state == slow.state);
    CHECK(fast.reason == slow.reason);
    CHECK(fast.api_errors.size() == slow.api_errors.size());
    REQUIRE(fast.users.size() == slow.users.size());
    for (size_t i = 0; i < fast.users.size(); ++i) {
      CHECK(fast.users[i].login_id == slow.users[i].login_id);
      CHECK(fast.users[i].state == slow.users[i].state);
      CHECK(fast.users[i].reason_code == slow.users[i].reason_code);
      CHECK(fast.users[i].reason_label == slow.users[i].reason_label);
    }
    // The escaped form, as a notification carries it, reads the same when the fast path takes it.
    std::string escaped;
    for (char c : x) escaped += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
    FinesseUpdate esc;
    if (ReadUpdateShape(escaped, true, esc)) {
      CHECK(fast.ok);
      CHECK(esc.request_id == fast.request_id);
      CHECK(esc.users.size() == fast.users.size());
      CHECK(esc.state == fast.state);
    }
  }
  CHECK(MayHoldRequestId("&lt;requestId&gt;abc&lt;/requestId&gt;"));
  CHECK_FALSE(MayHoldRequestId("&lt;requestId&gt;&lt;/requestId&gt;"));
  CHECK_FALSE(MayHoldRequestId("<requestId/>"));
  CHECK_FALSE(MayHoldRequestId("<event>PUT</event>"));
  CHECK(MayHoldRequestId("&lt;data&gt;&lt;name&gt;user.requestId&lt;/name&gt;&lt;/data&gt;&lt;requestId&gt;r1&lt;/requestId&gt;"));
  FinesseUpdate escaped;
  CHECK_FALSE(ReadUpdateShape("&lt;Update&gt;&lt;requestId&gt;<!--c-->R&lt;/requestId&gt;&lt;/Update&gt;", true, escaped));
}

TEST_CASE("the JSON contract of the finesse object") {
  Rest r(LoginThen({At(2.25, "RECV", Event("/finesse/api/User/1001", UserUpdate("READY", "req-1"))), Ping(14, "p")}));
  r.SystemInfo(0.0, "IN_SERVICE").Call(2.0, "PUT", "/finesse/api/User/1001", 202, "req-1")
      .Call(3.0, "PUT", "/finesse/api/User/1001", 202, "req-2");
  r.Run();
  rapidjson::Document d;
  std::string json = ReportJson(r.report);
  json.append(kInputPadding, '\0');  // RapidJSON's SSE2 scanner reads 16 bytes at a time
  d.Parse(json.c_str());
  REQUIRE(d.IsObject());
  const auto& f = d["finesse"];
  REQUIRE(f.IsObject());
  const auto& si = f["system_info"];
  for (const char* k : {"entry", "status", "xmpp_domain", "pubsub_domain", "primary", "secondary"}) CHECK(si.HasMember(k));
  CHECK(si["entry"].GetInt() == 10);
  CHECK(si["secondary"].IsString());
  const auto& req = f["requests"];
  REQUIRE(req.Size() == 3);
  for (const char* k : {"entry", "time", "method", "path", "status", "request_id", "notification"}) CHECK(req[1].HasMember(k));
  CHECK(req[0]["request_id"].IsNull());
  CHECK(std::string(req[1]["time"].GetString()) == "1970-01-01T00:00:02.000Z");
  CHECK(req[1]["notification"]["connection"].GetInt() == 1);
  CHECK(req[1]["notification"]["frame"].GetInt() == 16);  // 1-based
  CHECK(req[1]["notification"]["latency_ms"].GetDouble() == doctest::Approx(250));
  CHECK(req[2]["notification"].IsNull());
  const auto& st = f["states"];
  REQUIRE(st.Size() == 1);
  for (const char* k : {"time", "user", "state", "reason_code", "connection", "frame"}) CHECK(st[0].HasMember(k));
  CHECK(st[0]["reason_code"].IsNull());
  const auto& fs = f["findings"];
  REQUIRE(fs.Size() == 1);
  for (const char* k : {"severity", "code", "entry", "message", "hint"}) CHECK(fs[0].HasMember(k));
  CHECK(std::string(fs[0]["code"].GetString()) == "notification-not-received");
  CHECK(fs[0]["entry"].GetInt() == 12);
}

TEST_CASE("every sample HAR, REST calls and BOSH bodies too, keeps its whole analysis through the sanitised HAR") {
  int samples = 0, rest = 0;
  for (const auto& e : std::filesystem::directory_iterator(FI_SAMPLES_DIR)) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() != ".har") continue;
    CAPTURE(name);
    ++samples;
    const std::string har = ReadFile(e.path().string());
    Capture original = ImportCapture(har);
    rest += name.rfind("rest-", 0) == 0 && !original.rest_calls.empty();
    std::string error;
    const std::string clean = SanitizeHar(har, &error);
    REQUIRE(error.empty());
    for (const RestCall& call : original.rest_calls)
      if (const Header* auth = FindHeader(call.request_headers, "Authorization")) {
        const std::string credentials = auth->value.substr(auth->value.find(' ') + 1);
        CHECK(clean.find(credentials) == std::string::npos);
      }
    Capture again = ImportCapture(clean);
    CHECK(ReportJson(Check(again)) == ReportJson(Check(original)));
  }
  CHECK(samples >= 15);
  CHECK(rest >= 7);
}
