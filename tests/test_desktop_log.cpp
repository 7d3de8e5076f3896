// Tests for the Finesse desktop client log importer: records found by their time stamps however
// the text was cut or joined, each message kind read, and every finding it raises.
#include <string>
#include <vector>

#include "desktop_log.h"
#include "doctest/doctest.h"
#include "rapidjson/document.h"
#include "redact.h"
#include "report.h"
#include "test_support.h"

using namespace fi;

namespace {

// One record as Cisco's library writes it; `server` empty: the drift is not known yet.
std::string Rec(const std::string& local, const std::string& component, const std::string& message,
                const std::string& server = "May 01 2024 08:00:00.000 +0000") {
  return "2024-05-01T" + local + " +02:00: a1b2c3: finesse-a.example.com: " +
         (server.empty() ? "--- -- ---- --:--:--.--- -----" : server) + ": " + component + " : " + message;
}
std::string Status(const std::string& local, const std::string& status) {
  return Rec(local, "ClientServices", "[ClientServices] MasterPublisher._connInfoHandler() - Connection status: " + status);
}
std::string Event(const std::string& local, const std::string& node, const std::string& payload) {
  return Rec(local, "ClientServices",
             "[ClientServices] MasterPublisher._parseAndPublishXMLEvent() - Received XML event on node '" + node + "': " + payload);
}
std::string UserUpdate(const std::string& state, const std::string& request_id) {
  return "<Update><data><user><loginId>1001</loginId><state>" + state + "</state></user></data><event>PUT</event><requestId>" +
         request_id + "</requestId><source>/finesse/api/User/1001</source></Update>";
}
// As RestBase.restRequest logs them (finesse.js 10.5): the request, then its body.
std::string Put(const std::string& local, const std::string& id, const std::string& body = "<User><state>READY</state></User>") {
  return Rec(local, "gadget1", "[ClientServices] User: requestId='" + id + "', Making REST request: method=PUT, url='/finesse/api/User/1001'") +
         "\n" + Rec(local, "gadget1", "[ClientServices] User: requestId='" + id + "', POST_DATA='" + body + "'");
}
std::string Returned(const std::string& local, const std::string& id, int status, const std::string& content = "") {
  return Rec(local, "gadget1", "[ClientServices] User: requestId='" + id + "', Returned with status=" + std::to_string(status) + ", content='" + content + "'");
}

const std::string kId = "11111111-2222-3333-4444-555555555555";

std::vector<std::string> Session() {
  return {
      Rec("10:00:00.100", "Finesse", "FailoverMonitor.init(): Establishing BOSH connection...", ""),
      Status("10:00:00.200", "connecting"),
      Rec("10:00:01.000", "Finesse", "Client: 2024-05-01T08:00:01.000Z, Server: 2024-05-01T08:00:01.300Z, Drift: 300ms, Network Latency (round trip): 20ms"),
      Status("10:00:01.100", "connected"),
      Rec("10:00:01.200", "ClientServices", "[ClientServices] MasterPublisher._subscribeNode() - Subscribed to node '/finesse/api/User/1001'"),
      Put("10:00:02.000", kId),
      Returned("10:00:02.050", kId, 202),
      Event("10:00:02.150", "/finesse/api/User/1001", UserUpdate("READY", kId)),
      Rec("10:00:03.000", "Gadget", "something this importer does not know"),
  };
}

std::string Join(const std::vector<std::string>& lines, const std::string& sep = "\n") {
  std::string out;
  for (const auto& l : lines) out += l + sep;
  return out;
}

// The reading without the places (lines differ when the text is cut differently).
std::string Reading(const std::string& text) {
  Capture cap = ImportCapture(text);
  REQUIRE(cap.format == "finesse-desktop-log");
  rapidjson::Document d;
  std::string json = ReportJson(Check(cap));
  json.append(kInputPadding, '\0');  // RapidJSON's SSE2 scanner reads 16 bytes at a time
  d.Parse(json.c_str());
  std::string out;
  const auto& f = d["finesse"];
  for (const auto& r : f["requests"].GetArray())
    out += std::string(r["method"].GetString()) + " " + r["path"].GetString() + " " + std::to_string(r["status"].GetInt()) +
           (r["notification"].IsNull() ? " none" : " notified") + "\n";
  for (const auto& s : f["states"].GetArray()) out += std::string(s["user"].GetString()) + " " + s["state"].GetString() + "\n";
  for (const auto& s : f["desktop"]["status_changes"].GetArray()) out += std::string(s["status"].GetString()) + "\n";
  for (const auto& x : f["findings"].GetArray()) out += std::string(x["code"].GetString()) + "\n";
  out += std::string(f["desktop"]["transport"].GetString()) + " " + std::to_string(f["desktop"]["notifications"]["count"].GetInt());
  return out;
}

}  // namespace

TEST_CASE("a clean desktop log: records, transport, drift, subscriptions, a request matched to its notification") {
  const std::string text = Join(Session());
  CHECK(LooksLikeDesktopLog(text));
  Capture cap = ImportCapture(text);
  REQUIRE(cap.format == "finesse-desktop-log");
  REQUIRE(cap.log_records.size() == 10);
  CHECK(cap.log_records[0].server_time == "--- -- ---- --:--:--.--- -----");
  CHECK(cap.log_records[0].component == "Finesse");
  CHECK(cap.log_records[0].host == "finesse-a.example.com");
  CHECK(cap.log_records[9].message == "something this importer does not know");  // kept as text
  Report rep = Check(cap);
  const FinesseReport& f = rep.finesse;
  REQUIRE(f.desktop.present);
  CHECK(f.desktop.transport == "bosh");
  CHECK(f.desktop.host == "finesse-a.example.com");
  CHECK(f.desktop.clock_drift_ms == doctest::Approx(300));
  REQUIRE(f.desktop.status_changes.size() == 2);
  CHECK(f.desktop.status_changes[1].status == "connected");
  CHECK(f.desktop.status_changes[1].line == 4);
  CHECK(f.desktop.subscriptions == std::vector<std::string>{"/finesse/api/User/1001"});
  CHECK(f.desktop.notification_count == 1);
  REQUIRE(f.requests.size() == 1);
  CHECK(f.requests[0].method == "PUT");
  CHECK(f.requests[0].path == "/finesse/api/User/1001");
  CHECK(f.requests[0].status == 202);
  CHECK(f.requests[0].line == 6);
  REQUIRE(f.requests[0].has_notification);
  CHECK(f.requests[0].notification.line == 9);
  CHECK(f.requests[0].notification.latency_ms == doctest::Approx(150));
  REQUIRE(f.states.size() == 1);
  CHECK(f.states[0].state == "READY");
  CHECK(f.findings.empty());
}

TEST_CASE("wrapped at a fixed width, run on in one line, or cut at both ends: the same reading") {
  const std::string clean = Join(Session());
  const std::string expected = Reading(clean);
  // Wrapped at 80 columns: time stamps are cut across lines.
  std::string wrapped;
  for (size_t pos = 0; pos < clean.size();) {
    const size_t nl = clean.find('\n', pos);
    const std::string line = clean.substr(pos, nl - pos);
    for (size_t i = 0; i < line.size(); i += 80) wrapped += line.substr(i, 80) + "\n";
    pos = nl + 1;
  }
  CHECK(Reading(wrapped) == expected);
  // Run on: no line breaks between records at all.
  CHECK(Reading(Join(Session(), "")) == expected);
  // Windows line ends.
  CHECK(Reading(Join(Session(), "\r\n")) == expected);
  // Starting mid-record and ending mid-record: the fragment is kept as a headless record.
  auto lines = Session();
  std::string cut = "vent on node '/finesse/api/User/1001': <Update/>\n" + Join(lines);
  cut += Rec("10:00:04.000", "ClientServices", "[ClientServices] MasterPublisher._connInfoHa").substr(0, 60);
  Capture cap = ImportCapture(cut);
  REQUIRE(cap.format == "finesse-desktop-log");
  CHECK(cap.log_records.front().line == 1);
  CHECK(cap.log_records.front().component.empty());
  CHECK(Reading(cut) == expected);
}

TEST_CASE("payloads as JSON or with their tags stripped still give the requestId and the state") {
  const std::string json = "{\"Update\":{\"data\":{\"user\":{\"loginId\":\"1001\",\"state\":\"NOT_READY\",\"reasonCode\":{\"code\":\"10\","
                           "\"label\":\"Break\"}}},\"event\":\"PUT\",\"requestId\":\"" + kId + "\",\"source\":\"/finesse/api/User/1001\"}}";
  auto lines = Session();
  lines[7] = Event("10:00:02.150", "/finesse/api/User/1001", json);
  Report rep = Check(ImportCapture(Join(lines)));
  REQUIRE(rep.finesse.states.size() == 1);
  CHECK(rep.finesse.states[0].state == "NOT_READY");
  CHECK(rep.finesse.states[0].reason_code == "10");
  CHECK(rep.finesse.requests[0].has_notification);
  // Tags stripped by a console copy: "PUT11111111-…/finesse/api/User/1001".
  lines[7] = Event("10:00:02.150", "/finesse/api/User/1001", "1001READYPUT" + kId + "/finesse/api/User/1001");
  Report stripped = Check(ImportCapture(Join(lines)));
  CHECK(stripped.finesse.requests[0].has_notification);
  CHECK(stripped.finesse.desktop.notification_count == 1);
}

TEST_CASE("desktop log findings") {
  SUBCASE("a drop that came back is a warning with how long; one that never did is an error") {
    auto lines = Session();
    lines.push_back(Status("10:00:30.000", "disconnected"));
    lines.push_back(Status("10:00:31.000", "reconnecting"));
    lines.push_back(Status("10:00:47.500", "recovered"));
    lines.push_back(Status("10:01:00.000", "failing"));
    Report rep = Check(ImportCapture(Join(lines)));
    std::vector<const Finding*> drops;
    for (const Finding& f : rep.finesse.findings)
      if (f.Code() == "desktop-disconnected") drops.push_back(&f);
    REQUIRE(drops.size() == 2);
    CHECK(drops[0]->severity == Severity::Error);  // errors first: the one that never came back
    CHECK(drops[0]->Arg("never") == "1");
    CHECK(drops[0]->Arg("status") == "failing");
    CHECK(drops[1]->severity == Severity::Warning);
    CHECK(drops[1]->Arg("after") == "17.5");
    CHECK(drops[1]->Arg("back_status") == "recovered");
    CHECK(drops[1]->line == 11);
  }
  SUBCASE("conflict, unauthorized, subscribe error, unknown requestId, drift") {
    auto lines = Session();
    lines[2] = Rec("10:00:01.000", "Finesse", "Client: x, Server: y, Drift: -7500ms, Network Latency (round trip): 20ms");
    lines.push_back(Rec("10:00:05.000", "ClientServices",
                        "[ClientServices] MasterPublisher._subscribeNode() - Error subscribing to node '/finesse/api/Team/9/Users': item-not-found"));
    lines.push_back(Event("10:00:06.000", "/finesse/api/User/1001", UserUpdate("NOT_READY", "99999999-2222-3333-4444-555555555555")));
    // Written for every event a gadget did not ask for, unsolicited ones too: not a finding by itself.
    lines.push_back(Rec("10:00:06.001", "ClientServices", "[ClientServices] User: Received the following event with an invalid or unknown requestId:"));
    lines.push_back(Status("10:00:07.000", "conflict"));
    lines.push_back(Status("10:00:08.000", "unauthorized"));
    Report rep = Check(ImportCapture(Join(lines)));
    auto find = [&](const std::string& code) -> const Finding* {
      for (const Finding& f : rep.finesse.findings)
        if (f.Code() == code) return &f;
      return nullptr;
    };
    REQUIRE(find("desktop-subscribe-error"));
    CHECK(find("desktop-subscribe-error")->Arg("node") == "/finesse/api/Team/9/Users");
    CHECK(find("desktop-subscribe-error")->Arg("error") == "item-not-found");
    REQUIRE(find("notification-unknown-request-id"));
    CHECK(find("notification-unknown-request-id")->Arg("request_id") == "99999999-2222-3333-4444-555555555555");
    int unknown = 0;
    for (const Finding& f : rep.finesse.findings) unknown += f.Code() == "notification-unknown-request-id";
    CHECK(unknown == 1);
    CHECK(find("desktop-conflict"));
    CHECK(find("desktop-unauthorized"));
    REQUIRE(find("desktop-clock-drift"));
    CHECK(find("desktop-clock-drift")->Arg("drift") == "-7.5");
    CHECK(find("desktop-clock-drift")->line == 3);
  }
  SUBCASE("a request with no notification: the desktop's own status says why") {
    auto lines = Session();
    lines.pop_back();
    lines.erase(lines.begin() + 7);  // the notification
    lines.push_back(Status("10:00:20.000", "connected"));
    Report up = Check(ImportCapture(Join(lines)));
    REQUIRE(up.finesse.findings.size() == 1);
    CHECK(up.finesse.findings[0].Code() == "notification-not-received");
    CHECK(up.finesse.findings[0].Arg("log_up") == "1");
    CHECK(up.finesse.findings[0].line == 6);
    auto down = Session();
    down.pop_back();
    down.erase(down.begin() + 7);
    down.insert(down.begin() + 5, Status("10:00:01.900", "disconnected"));
    down.push_back(Status("10:00:20.000", "reconnecting"));
    Report rep = Check(ImportCapture(Join(down)));
    const Finding* f = nullptr;
    for (const Finding& x : rep.finesse.findings)
      if (x.Code() == "notification-not-received") f = &x;
    REQUIRE(f);
    CHECK(f->Arg("status_down") == "1");
    CHECK(f->Arg("desktop_status") == "disconnected");
  }
}

TEST_CASE("secrets logged by the desktop stay out of every output") {
  auto lines = Session();
  lines.push_back(Rec("10:00:09.000", "RestBase", "Request headers: Authorization: Basic MTAwMTpMMGdQYXNzdzByZA=="));
  lines.push_back(Put("10:00:10.000", "abababab-2222-3333-4444-555555555555",
                      "<User><state>LOGIN</state><password>L0gPostPassw0rd</password></User>"));
  const std::string text = Join(lines);
  Capture cap = ImportCapture(text);
  Report rep = Check(cap);
  for (const std::string& out : {ReportJson(rep), ReportText(rep), ReportMarkdown(rep)}) {
    CHECK(out.find("MTAwMTpMMGdQYXNzdzByZA==") == std::string::npos);
    CHECK(out.find("L0gPostPassw0rd") == std::string::npos);
  }
  // What a records view shows of a record goes through RedactBody.
  for (const LogRecord& r : cap.log_records) {
    std::string shown = RedactBody(r.message).value_or(std::string(r.message));
    CHECK(shown.find("MTAwMTpMMGdQYXNzdzByZA==") == std::string::npos);
    CHECK(shown.find("L0gPostPassw0rd") == std::string::npos);
  }
}

TEST_CASE("a GET's requestId='undefined' is no requestId; a repeated status is no change; an empty session key") {
  std::vector<std::string> lines = {
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0",  // the upload starts with the user agent
      "2024-05-01T10:00:00.100 +02:00: : finesse-a: --- -- ---- --:--:--.--- -----: gadget1 : [ClientServices] "
      "MasterPublisher._connInfoHandler() - Connection status: connected",
      Status("10:00:00.200", "connected"),
      Rec("10:00:01.000", "gadget1", "[ClientServices] User: requestId='undefined', Making REST request: method=GET, url='/finesse/api/User/1001?nocache=1714550401000'"),
      Rec("10:00:01.100", "gadget1", "[ClientServices] User: requestId='undefined', Returned with status=200, content='<User/>'"),
  };
  Capture cap = ImportCapture(Join(lines));
  REQUIRE(cap.format == "finesse-desktop-log");
  CHECK(cap.log_records[0].message.find("Mozilla") == 0);
  CHECK(cap.log_records[1].session.empty());
  Report rep = Check(cap);
  CHECK(rep.finesse.desktop.status_changes.size() == 1);
  REQUIRE(rep.finesse.requests.size() == 1);
  CHECK(rep.finesse.requests[0].method == "GET");
  CHECK(rep.finesse.requests[0].path == "/finesse/api/User/1001");
  CHECK(rep.finesse.requests[0].status == 200);
  CHECK(rep.finesse.requests[0].request_id.empty());
  CHECK(rep.finesse.findings.empty());
}

TEST_CASE("text that only looks like a log is not taken for one") {
  CHECK_FALSE(LooksLikeDesktopLog("2024-05-01T10:00:00.100Z SENT: <open/>"));
  CHECK_FALSE(LooksLikeDesktopLog("2024-05-01T10:00:00.100 +02:00: only a time"));
  CHECK(ImportCapture("10:00:00.000 SENT: <open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='d'/>").format == "transcript");
}

TEST_CASE("hostile and odd logs: deep JSON, another encoding, a cut that begins with a record's JSON") {
  auto lines = Session();
  lines[7] = Event("10:00:02.150", "/finesse/api/User/1001", "{\"Update\":" + std::string(200000, '['));
  Report deep = Check(ImportCapture(Join(lines)));  // parsed without recursion: no stack overflow
  CHECK(deep.finesse.desktop.notification_count == 1);
  auto latin1 = Session();
  latin1.push_back(Rec("10:00:04.000", "gadget1", "Pause caf\xE9"));
  Capture cap = ImportCapture(Join(latin1));
  REQUIRE(cap.format == "finesse-desktop-log");
  REQUIRE(cap.errors.size() == 1);
  CHECK(cap.errors[0].rfind("line 11: invalid UTF-8", 0) == 0);
  const std::string cut = "{\"content\":\"<Update/>\",\"object\":{}}\n" + Join(Session());
  CHECK(ImportCapture(cut).format == "finesse-desktop-log");
}
