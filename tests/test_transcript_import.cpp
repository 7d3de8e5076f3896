// Tests for transcript detection and parsing.
#include "doctest/doctest.h"
#include "import.h"
#include "xmpp.h"

using namespace fi;

TEST_CASE("format detection reads the content") {
  CHECK(DetectFormat("  {\"log\":{}}") == InputFormat::Json);
  CHECK(DetectFormat("\xEF\xBB\xBF[") == InputFormat::Json);
  CHECK(DetectFormat("<open/>") == InputFormat::Xml);
  CHECK(DetectFormat("SENT: <open/>") == InputFormat::Transcript);
  CHECK(DetectFormat("[10:00:00] SENT: <open/>") == InputFormat::Transcript);
  CHECK(DetectFormat(std::string("ab\0cd", 5)) == InputFormat::Binary);
  CHECK(DetectFormat("") == InputFormat::Empty);
}

TEST_CASE("Strophe raw log: SENT/RECV lines with time stamps") {
  Capture c = ImportCapture("10:00:00.000 SENT: <open to='d'/>\n10:00:00.050 RECV: <open from='d' id='1'/>\n"
                            "10:00:00.051 RECV: <stream:features><mechanisms><mechanism>PLAIN</mechanism></mechanisms></stream:features>\n");
  CHECK(c.format == "transcript");
  CHECK(c.producer == "SENT/RECV transcript");
  REQUIRE(c.connections.size() == 1);
  REQUIRE(c.connections[0].frames.size() == 3);
  CHECK(c.connections[0].frames[0].dir == Direction::Sent);
  CHECK(c.connections[0].frames[1].dir == Direction::Received);
  CHECK(c.connections[0].frames[1].time - c.connections[0].frames[0].time == doctest::Approx(0.05));
}

TEST_CASE("xmpp.js debug: IN/OUT headers with multi-line XML below") {
  Capture c = ImportCapture(
      "⮊ OUT\n<open xmlns=\"urn:ietf:params:xml:ns:xmpp-framing\" to=\"d\" version=\"1.0\"/>\n"
      "⮈ IN\n<open from=\"d\" id=\"z\"/>\n<stream:features>\n  <mechanisms>\n    <mechanism>PLAIN</mechanism>\n  </mechanisms>\n</stream:features>\n");
  CHECK(c.producer == "IN/OUT transcript");
  REQUIRE(c.connections.size() == 1);
  REQUIRE(c.connections[0].frames.size() == 3);
  CHECK(c.connections[0].frames[0].dir == Direction::Sent);
  CHECK(c.connections[0].frames[2].dir == Direction::Received);
  StanzaParser p;
  CHECK(p.Parse(c.connections[0].frames[2].payload).mechanisms.size() == 1);
}

TEST_CASE("Smack's numbered connections split, a fresh login splits") {
  Capture c = ImportCapture("SENT (0): <open to='d'/>\nRECV (0): <open from='d'/>\nSENT (1): <open to='d'/>\nRECV (0): <close/>\n");
  REQUIRE(c.connections.size() == 2);
  CHECK(c.connections[0].frames.size() == 3);
  CHECK(c.connections[1].frames.size() == 1);
  Capture d = ImportCapture("SENT: <open to='d'/>\nRECV: <failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>\nSENT: <open to='d'/>\n");
  CHECK(d.connections.size() == 2);
  Capture r = ImportCapture("SENT: <open to='d'/>\nRECV: <success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>\nSENT: <open to='d'/>\n");
  CHECK(r.connections.size() == 1);  // the restart after SASL stays on the same connection
}

TEST_CASE("bare XML: directions inferred from what each element says") {
  Capture c = ImportCapture("<open to='d'/><open from='d' id='1'/><auth mechanism='PLAIN'>AGEAYg==</auth><success/>"
                            "<iq type='set' id='b'><bind/></iq><iq type='result' id='b'/><presence/><presence from='finesse@d/x'/>");
  CHECK(c.producer == "bare XML (directions inferred)");
  REQUIRE(c.connections.size() == 1);
  const auto& f = c.connections[0].frames;
  REQUIRE(f.size() == 8);
  Direction expected[] = {Direction::Sent, Direction::Received, Direction::Sent, Direction::Received,
                          Direction::Sent, Direction::Received, Direction::Sent, Direction::Received};
  for (size_t i = 0; i < f.size(); ++i) CHECK(f[i].dir == expected[i]);
}

TEST_CASE("a cut-off element is reported by line") {
  Capture c = ImportCapture("SENT: <open to='d'/>\nRECV: <stream:features><mechanisms>");
  REQUIRE_FALSE(c.errors.empty());
  CHECK(c.errors.back().find("line 2") == 0);
  REQUIRE(c.connections.size() == 1);
  CHECK(c.connections[0].frames.size() == 2);
}

TEST_CASE("many records on one line, and many elements in one bare record, are read in one pass") {
  std::string line;
  for (int i = 0; i < 20000; ++i) line += "Log Event:SEND: <presence id='p" + std::to_string(i) + "'/> ";
  Capture a = ImportCapture(line + "\n");
  REQUIRE(a.connections.size() == 1);
  CHECK(a.connections[0].frames.size() == 20000);
  CHECK(a.errors.empty());
  std::string bare;
  for (int i = 0; i < 50000; ++i) bare += "<presence from='a@d/" + std::to_string(i) + "'/>\nsome words <0." + std::to_string(i) + ".0>\n";
  Capture b = ImportCapture(bare);
  REQUIRE(b.connections.size() == 1);
  CHECK(b.connections[0].frames.size() == 50000);
  CHECK(b.connections[0].frames.back().source_index == 99999);  // the line of the last element
}

TEST_CASE("a terminal copy wrapped at a fixed width is joined again") {
  // Three lines cut at the same width mark the wrap; the element goes on without a break.
  const std::string head = "2024-07-08 17:41:03.956 TRACE [c2s-17]: Handler on /10.0.0.1:5222 received: ";
  std::string header = "<stream:stream to='d' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
  std::string full = head + header;
  const size_t width = 100;
  std::string text;
  for (size_t i = 0; i < full.size(); i += width) text += full.substr(i, width) + "\n";
  text += std::string(width, '-') + "\n" + std::string(width, '=') + "\n";
  Capture c = ImportCapture(text);
  REQUIRE(c.connections.size() == 1);
  REQUIRE(c.connections[0].frames.size() == 1);
  CHECK(c.connections[0].frames[0].payload == header);
  CHECK(c.connections[0].transport == Transport::Tcp);
}
