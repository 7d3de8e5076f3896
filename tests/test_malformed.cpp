// Bad input: a clear message naming what was wrong and where, no crash, no hang, and what was
// read before the fault kept.
#include <cmath>
#include <string>

#include "doctest/doctest.h"
#include "report.h"
#include "test_support.h"
#include "text_util.h"

using namespace fi;

TEST_CASE("0 bytes, whitespace, binary junk") {
  CHECK(ImportCapture("").errors.at(0) == "the input is empty (0 bytes)");
  CHECK(ImportCapture(" \n\t").errors.at(0) == "the input holds only whitespace");
  Capture junk = ImportCapture(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  CHECK(junk.format == "binary");
  CHECK(junk.errors.at(0).find("binary") != std::string::npos);
  CHECK(junk.errors.at(0).find("byte 8") != std::string::npos);
}

TEST_CASE("truncated HAR keeps the frames read before the cut") {
  std::string har = Sample("seed-uccx-transcript.txt");  // not JSON, just a source of text
  std::string json = R"({"log":{"entries":[{"startedDateTime":"2024-05-01T10:00:00Z","_resourceType":"websocket","request":{"url":"wss://h/ws/"},"response":{"status":101},"_webSocketMessages":[{"type":"send","time":1714557600.5,"opcode":1,"data":"<open to='d'/>"},{"type":"rec)";
  Capture c = ImportCapture(json);
  REQUIRE(c.connections.size() == 1);
  CHECK(c.connections[0].frames.size() == 1);  // the second was cut before its data: nothing to keep
  // Cut after its data, a message is kept.
  std::string later = json.substr(0, json.size() - 3) + R"(receive","data":"<open from='d'/>","tim)";
  Capture k = ImportCapture(later);
  REQUIRE(k.connections.size() == 1);
  REQUIRE(k.connections[0].frames.size() == 2);
  CHECK(k.connections[0].frames[1].payload == "<open from='d'/>");
  CHECK(c.errors.at(0).find("JSON error at byte " + std::to_string(json.size())) == 0);
  CHECK(c.errors.at(0).find("truncated") != std::string::npos);
  Report r = Check(c);
  CHECK(r.connections.size() == 1);
}

TEST_CASE("deep nesting does not overflow the stack (iterative parse)") {
  std::string deep = R"({"log":{"entries":[],"x":)" + std::string(100000, '[') + std::string(100000, ']') + "}}";
  Capture c = ImportCapture(deep);
  CHECK(c.errors.empty());
  std::string unclosed = std::string(100000, '[');
  Capture u = ImportCapture(unclosed);
  CHECK_FALSE(u.errors.empty());
}

TEST_CASE("a NUL inside the JSON stops the read with its offset") {
  std::string s = R"({"log":{"entries":[]}})";
  std::string with_nul = s.substr(0, 10) + std::string(1, '\0') + s.substr(10);
  Capture c = ImportCapture(with_nul);
  REQUIRE_FALSE(c.errors.empty());
  CHECK(c.errors[0].find("byte 10") != std::string::npos);
}

TEST_CASE("XML entity tricks do nothing: no DTD expansion") {
  std::string laughs = "SENT: <!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><iq type='set' id='a'>&lol2;</iq>\n";
  Capture c = ImportCapture(laughs);
  Report r = Check(c);
  CHECK(r.connections.size() <= 1);
  std::string ext = "SENT: <!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><presence>&e;</presence>\n";
  Capture e = ImportCapture(ext);
  std::string json = ReportJson(Check(e));
  CHECK(json.find("root:") == std::string::npos);
}

TEST_CASE("duplicate iq ids and a response before its request") {
  std::string t =
      "00:00:00.000 RECV: <iq type='result' id='b1'/>\n"
      "00:00:00.001 SENT: <open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='d'/>\n"
      "00:00:00.002 SENT: <iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>\n"
      "00:00:00.003 SENT: <iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>\n";
  Capture c = ImportCapture(t);
  Report r = Check(c);
  REQUIRE(r.connections.size() >= 1);
  CHECK(ReportJson(r).size() > 0);
}

TEST_CASE("garbage lines in a transcript are named by line") {
  Capture c = ImportCapture("SENT: <open to='d'/>\nRECV: <a><b></a>\nRECV: <presence from='finesse@d'/>\n");
  Report r = Check(c);
  REQUIRE(r.connections.size() == 1);
  CHECK(HasFinding(r.connections[0], "unparsable-frame"));
}

namespace {
std::string OneWs(const std::string& messages) {
  return R"({"log":{"entries":[{"startedDateTime":"2024-05-01T10:00:00Z","_resourceType":"websocket","request":{"url":"wss://h/ws/"},"response":{"status":101},"_webSocketMessages":[)" +
         messages + "]}]}}";
}
}  // namespace

TEST_CASE("a NUL inside an XML frame, and NaN times") {
  Capture c = ImportCapture(OneWs(R"({"type":"send","time":NaN,"opcode":1,"data":"<open to='d'/>\u0000<x/>"})"));
  REQUIRE(c.connections.size() == 1);
  REQUIRE(c.connections[0].frames.size() == 1);
  CHECK_FALSE(HasTime(c.connections[0].frames[0].time));
  Report r = Check(c);
  CHECK(r.connections.size() == 1);  // read, classified (not XML), no crash
}

TEST_CASE("a 10 MB single frame") {
  std::string big(10 * 1024 * 1024, 'a');
  Capture c = ImportCapture(OneWs(R"({"type":"receive","time":1714557600.1,"opcode":1,"data":"<message><body>)" + big + R"(</body></message>"})"));
  REQUIRE(c.connections.size() == 1);
  Report r = Check(c);
  CHECK(HasFinding(r.connections[0], "frame-too-large"));
}

TEST_CASE("a million empty frames") {
  std::string m;
  m.reserve(40'000'000);
  for (int i = 0; i < 1'000'000; ++i) m += i ? R"(,{"type":"send","data":""})" : R"({"type":"send","data":""})";
  Capture c = ImportCapture(OneWs(m));
  REQUIRE(c.connections.size() == 1);
  CHECK(c.connections[0].frames.size() == 1'000'000);
  Report r = Check(c);
  CHECK(r.connections[0].kinds.size() == 1'000'000);
}

#ifndef FI_SANITIZE_BUILD
TEST_CASE("a 1 GB string inside an entry is read through, and nothing is copied of it") {
  std::string har = R"({"log":{"entries":[{"request":{"url":"https://h/big"},"response":{"status":200,"content":{"text":")";
  har.append(1'000'000'000, 'x');
  har += R"("}}}]}})";
  Capture c = ImportCapture(std::move(har));
  CHECK(c.errors.empty());
  CHECK(c.entries == 1);
  CHECK(c.connections.empty());
}
#endif

TEST_CASE("numbers out of int's range in a HAR are refused, not converted (fuzz regressions)") {
  for (const char* name : {"status-2e124", "opcode-1e300", "status-out-of-range-string"}) {
    INFO(name);
    Capture c = ImportCapture(ReadFile(std::string(FI_SAMPLES_DIR) + "/../tests/fuzz-regressions/har/" + name));
    REQUIRE(c.connections.size() == 1);
    REQUIRE(c.connections[0].frames.size() == 1);
    // An unusable opcode reads as text, as any unknown opcode does.
    CHECK(c.connections[0].frames[0].opcode == opcode::kText);
    const int status = c.connections[0].handshake.status;
    CHECK((status == 0 || status == 101));
    if (std::string(name) != "opcode-1e300") {
      REQUIRE(c.errors.size() == 1);
      CHECK(c.errors[0].find("log.entries[0]") == 0);
      CHECK(c.errors[0].find("status") != std::string::npos);
    }
  }
  CHECK(IntFieldOr(2e124, 7) == 7);
  CHECK(IntFieldOr(-1e300, 7) == 7);
  CHECK(IntFieldOr(101.5, 7) == 7);
  CHECK(IntFieldOr(std::nan(""), 7) == 7);
  CHECK(IntFieldOr(101.0, 7) == 101);
  CHECK(IntFieldOr(std::string_view("99999999999999999999"), 7) == 7);
  CHECK(IntFieldOr(std::string_view(" 101 "), 7) == 101);
  CHECK(IntFieldOr(std::string_view("10x"), 7) == 7);
}
