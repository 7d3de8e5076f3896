// Tests for the HAR importer: every flavour PROTOCOL.md names.
#include <string>

#include "doctest/doctest.h"
#include "import.h"
#include "test_support.h"

using namespace fi;

namespace {
// A Chrome-shaped entry: _resourceType websocket, _webSocketMessages with epoch seconds.
std::string ChromeHar(const std::string& messages, const std::string& extra_entry_fields = "") {
  return R"({"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":[
    {"startedDateTime":"2024-05-01T10:00:00.000Z","time":12.5,"_resourceType":"websocket",)" + extra_entry_fields + R"(
     "request":{"method":"GET","url":"wss://uccxpub.prabhat.com:8445/ws/","httpVersion":"HTTP/1.1",
       "headers":[{"name":"Upgrade","value":"websocket"},{"name":"Sec-WebSocket-Protocol","value":"xmpp"},{"name":"Cookie","value":"JSESSIONID=abc"}]},
     "response":{"status":101,"statusText":"Switching Protocols","headers":[{"name":"upgrade","value":"websocket"},{"name":"sec-websocket-protocol","value":"xmpp"}],"content":{"size":0,"mimeType":"x-unknown"}},
     "_webSocketMessages":[)" + messages + R"(]}]}})";
}
}  // namespace

TEST_CASE("Chrome: frames with epoch-second times, directions and opcodes") {
  Capture c = ImportCapture(ChromeHar(
      R"({"type":"send","time":1714557600.1,"opcode":1,"data":"<open to=\"d\"/>"},
         {"type":"receive","time":1714557600.25,"opcode":1,"data":"<open from=\"d\" id=\"x\"/>"},
         {"type":"receive","time":1714557601,"opcode":2,"data":"AAEC"})"));
  CHECK(c.format == "har");
  CHECK(c.producer == "WebInspector 537.36");
  CHECK(c.entries == 1);
  CHECK(c.errors.empty());
  REQUIRE(c.connections.size() == 1);
  const Connection& conn = c.connections[0];
  CHECK(conn.transport == Transport::WebSocket);
  CHECK(conn.url == "wss://uccxpub.prabhat.com:8445/ws/");
  CHECK(conn.handshake.status == 101);
  REQUIRE(conn.handshake.FindResponse("Sec-WebSocket-Protocol"));  // header names in any case
  CHECK(conn.handshake.FindResponse("SEC-WEBSOCKET-PROTOCOL")->value == "xmpp");
  REQUIRE(conn.frames.size() == 3);
  CHECK(conn.frames[0].dir == Direction::Sent);
  CHECK(conn.frames[0].payload == "<open to=\"d\"/>");  // JSON escapes undone in situ
  CHECK(conn.frames[1].time == doctest::Approx(1714557600.25));
  CHECK(conn.frames[2].opcode == opcode::kBinary);
  CHECK(conn.frames[2].payload == std::string("\x00\x01\x02", 3));  // base64 for non-text
  CHECK(conn.start_time == doctest::Approx(1714557600.0));
}

TEST_CASE("error frames and a close frame with its code") {
  Capture c = ImportCapture(ChromeHar(
      R"({"type":"error","time":1714557600.1,"opcode":1,"data":"net::ERR_CERT_AUTHORITY_INVALID"},
         {"type":"receive","time":1714557600.2,"opcode":8,"data":"A+5ieWU="})"));
  REQUIRE(c.connections.size() == 1);
  CHECK(c.connections[0].frames[0].dir == Direction::Error);
  REQUIRE(c.connections[0].close_code);
  CHECK(*c.connections[0].close_code == 1006);
  CHECK(c.connections[0].close_reason == "bye");
}

TEST_CASE("Firefox: the WebSocket entry without frames, recognised by its wss: URL") {
  Capture c = ImportCapture(R"({"log":{"version":"1.2","creator":{"name":"Firefox","version":"125.0"},"browser":{"name":"Firefox","version":"125.0"},"entries":[
    {"startedDateTime":"2024-05-01T12:00:00.000+02:00","time":3,"request":{"method":"GET","url":"wss://f:8445/ws/","headers":[]},
     "response":{"status":101,"statusText":"Switching Protocols","headers":[{"name":"Upgrade","value":"websocket"}]}}]}})");
  REQUIRE(c.connections.size() == 1);
  CHECK(c.producer == "Firefox 125.0");
  CHECK_FALSE(c.connections[0].frames_exported);
  CHECK(c.connections[0].start_time == doctest::Approx(1714557600.0));
}

TEST_CASE("recognised by status 101 with Upgrade, even on an https URL") {
  Capture c = ImportCapture(R"({"log":{"entries":[{"startedDateTime":"2024-05-01T10:00:00Z","request":{"method":"GET","url":"https://h:8445/ws/"},
     "response":{"status":101,"headers":[{"name":"UPGRADE","value":"WebSocket"}]}},
     {"startedDateTime":"2024-05-01T10:00:00Z","request":{"method":"GET","url":"https://h/finesse/api/SystemInfo"},"response":{"status":200,"content":{"text":"<SystemInfo/>"}}}]}})");
  CHECK(c.entries == 2);
  REQUIRE(c.connections.size() == 1);
  CHECK(c.connections[0].url == "https://h:8445/ws/");
}

TEST_CASE("a UTF-8 BOM, no pages, and microsecond offsets") {
  std::string har = "\xEF\xBB\xBF" + ChromeHar(R"({"type":"send","time":1714557600.000001,"opcode":1,"data":"<x/>"})");
  Capture c = ImportCapture(har);
  CHECK(c.errors.empty());
  REQUIRE(c.connections.size() == 1);
  CHECK(c.connections[0].frames.size() == 1);
}

TEST_CASE("truncated JSON: the message names the byte, and what came before is kept") {
  std::string har = ChromeHar(R"({"type":"send","time":1714557600.1,"opcode":1,"data":"<open to=\"d\"/>"},
         {"type":"receive","time":1714557600.2,"opcode":1,"data":"<open from=\"d\"/>"})");
  std::string cut = har.substr(0, har.find("<open from") + 5);
  Capture c = ImportCapture(cut);
  REQUIRE_FALSE(c.errors.empty());
  CHECK(c.errors[0].find("JSON error at byte") == 0);
  CHECK(c.errors[0].find("log.entries[0]") != std::string::npos);
  REQUIRE(c.connections.size() == 1);
  CHECK(c.connections[0].frames.size() >= 1);
  CHECK(c.connections[0].frames[0].payload == "<open to=\"d\"/>");
}

TEST_CASE("JSON that is not a HAR, and invalid UTF-8 inside a frame") {
  Capture c = ImportCapture(R"({"hello":"world"})");
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].find("not a HAR") != std::string::npos);
  Capture u = ImportCapture(ChromeHar("{\"type\":\"send\",\"time\":1714557600.1,\"opcode\":1,\"data\":\"<a>\xff</a>\"}"));
  REQUIRE(u.errors.size() == 1);
  CHECK(u.errors[0].find("_webSocketMessages[0]") != std::string::npos);
  CHECK(u.errors[0].find("invalid UTF-8") != std::string::npos);
  CHECK(u.connections[0].frames[0].payload == "<a>\xEF\xBF\xBD</a>");
}

TEST_CASE("a bare array of copied messages is one connection") {
  Capture c = ImportCapture(R"([{"type":"send","time":1714557600.1,"opcode":1,"data":"<open to='d'/>"},{"type":"receive","time":1714557600.2,"opcode":1,"data":"<open from='d'/>"}])");
  REQUIRE(c.connections.size() == 1);
  CHECK(c.connections[0].frames.size() == 2);
  CHECK_FALSE(c.connections[0].handshake.present);
}

TEST_CASE("unusable times are reported and dropped, never crash") {
  Capture c = ImportCapture(ChromeHar(R"({"type":"send","time":-5,"opcode":1,"data":"<a/>"},{"type":"send","time":1e300,"opcode":1,"data":"<b/>"})"));
  REQUIRE(c.connections.size() == 1);
  CHECK_FALSE(HasTime(c.connections[0].frames[0].time));
  CHECK_FALSE(HasTime(c.connections[0].frames[1].time));
  CHECK(c.errors.size() == 2);
}

TEST_CASE("Chrome's response._error on a failed upgrade") {
  Capture c = ImportCapture(R"({"log":{"entries":[{"startedDateTime":"2024-05-01T10:00:00Z","_resourceType":"websocket","request":{"method":"GET","url":"wss://h:8445/ws/"},
    "response":{"status":0,"statusText":"","headers":[],"_error":"net::ERR_CERT_AUTHORITY_INVALID"},"_webSocketMessages":[]}]}})");
  REQUIRE(c.connections.size() == 1);
  CHECK(c.connections[0].handshake.error == "net::ERR_CERT_AUTHORITY_INVALID");
  CHECK(c.connections[0].frames_exported);
}

TEST_CASE("importing in small slices gives the same capture, whatever the key order") {
  // _webSocketMessages before request/response, and creator after entries: the walker must
  // continue the enclosing objects after each walked array.
  std::string har = R"({"log":{"version":"1.2","entries":[
    {"_webSocketMessages":[{"type":"send","time":1714557600.1,"opcode":1,"data":"<open to='d'/>"},
                           {"type":"receive","time":1714557600.2,"opcode":1,"data":"<open from='d'/>"}],
     "_resourceType":"websocket","request":{"method":"GET","url":"wss://h/ws/"},"response":{"status":101},
     "startedDateTime":"2024-05-01T10:00:00Z"},
    {"request":{"method":"GET","url":"https://h/x"},"response":{"status":200,"content":{"text":"[1,2,[3]]"}},"startedDateTime":"2024-05-01T10:00:01Z"}
  ],"creator":{"name":"Tool","version":"9"}}})";
  Capture whole = ImportCapture(har);
  CHECK(whole.errors.empty());
  CHECK(whole.producer == "Tool 9");
  CHECK(whole.entries == 2);
  REQUIRE(whole.connections.size() == 1);
  CHECK(whole.connections[0].handshake.status == 101);
  CHECK(whole.connections[0].frames.size() == 2);

  auto importer = MakeImporter(har);
  int steps = 0;
  double last = -1;
  while (!importer->Step(16)) {
    CHECK(importer->Progress() >= last);
    last = importer->Progress();
    ++steps;
  }
  CHECK(steps > 5);
  Capture sliced = importer->Take();
  CHECK(sliced.errors == whole.errors);
  CHECK(sliced.producer == whole.producer);
  CHECK(sliced.entries == whole.entries);
  REQUIRE(sliced.connections.size() == 1);
  CHECK(sliced.connections[0].frames.size() == 2);
  CHECK(sliced.connections[0].frames[1].payload == "<open from='d'/>");
}

TEST_CASE("a bare list of messages is walked in slices too") {
  std::string list = "[";
  for (int i = 0; i < 50; ++i)
    list += std::string(i ? "," : "") + R"({"type":"receive","time":1714557600.5,"opcode":1,"data":"<iq type='result' id='p)" +
            std::to_string(i) + R"('/>"})";
  list += "]";
  auto importer = MakeImporter(list);
  int steps = 0;
  while (!importer->Step(64)) ++steps;
  CHECK(steps > 20);
  Capture c = importer->Take();
  CHECK(c.errors.empty());
  REQUIRE(c.connections.size() == 1);
  CHECK(c.connections[0].frames.size() == 50);
}

TEST_CASE("a walked array that is cut or malformed is named") {
  Capture c = ImportCapture(R"({"log":{"entries":[{"request":{"url":"wss://h/"}} {"x":1}]}})");
  REQUIRE_FALSE(c.errors.empty());
  CHECK(c.errors[0].find("Missing a comma or ']'") != std::string::npos);
  CHECK(c.connections.size() == 1);  // the entry before the fault is kept
}
