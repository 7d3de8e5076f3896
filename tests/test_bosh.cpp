// Tests for BOSH body expansion and session grouping.
#include "bosh.h"
#include "doctest/doctest.h"
#include "import.h"
#include "xmpp.h"

using namespace fi;

TEST_CASE("a body with several stanzas becomes several frames") {
  Capture cap;
  Connection conn;
  BodyInfo info = ExpandBoshBody(
      R"(<body xmlns="http://jabber.org/protocol/httpbind" rid="2" sid="s1"><iq type="set" id="a" xmlns="jabber:client"/><presence xmlns="jabber:client"/></body>)",
      Direction::Sent, 1.0, 0, conn, cap);
  CHECK(info.parsed);
  CHECK(info.sid == "s1");
  CHECK(info.stanzas == 2);
  REQUIRE(conn.frames.size() == 2);  // an ordinary body adds no frame of its own
  StanzaParser p;
  CHECK(p.Parse(conn.frames[0].payload).kind == StanzaKind::Iq);
  CHECK(p.Parse(conn.frames[1].payload).kind == StanzaKind::Presence);
}

TEST_CASE("session request, restart and terminate are frames of their own") {
  Capture cap;
  Connection conn;
  StanzaParser p;
  ExpandBoshBody(R"(<body xmlns="http://jabber.org/protocol/httpbind" rid="1" to="d" xmpp:version="1.0" xmlns:xmpp="urn:xmpp:xbosh" wait="60" hold="1"/>)",
                 Direction::Sent, 1, 0, conn, cap);
  ExpandBoshBody(R"(<body xmlns="http://jabber.org/protocol/httpbind" rid="3" sid="s" xmpp:restart="true" xmlns:xmpp="urn:xmpp:xbosh"/>)",
                 Direction::Sent, 2, 0, conn, cap);
  BodyInfo t = ExpandBoshBody(R"(<body xmlns="http://jabber.org/protocol/httpbind" type="terminate" condition="host-unknown"/>)",
                              Direction::Received, 3, 0, conn, cap);
  REQUIRE(conn.frames.size() == 3);
  CHECK(p.Parse(conn.frames[0].payload).kind == StanzaKind::BoshSession);
  CHECK(p.Parse(conn.frames[1].payload).kind == StanzaKind::BoshRestart);
  Stanza term = p.Parse(conn.frames[2].payload);
  CHECK(term.kind == StanzaKind::BoshTerminate);
  CHECK(term.condition == "host-unknown");
  CHECK(t.condition == "host-unknown");
}

TEST_CASE("HAR POSTs to /http-bind/ group into sessions by sid") {
  auto entry = [](const std::string& t, const std::string& req, const std::string& resp, int status = 200) {
    auto esc = [](std::string s) {
      std::string o;
      for (char c : s) o += c == '"' ? std::string("\\\"") : std::string(1, c);
      return o;
    };
    return R"({"startedDateTime":")" + t + R"(","time":20,"request":{"method":"POST","url":"https://h:8445/http-bind/","postData":{"mimeType":"text/xml","text":")" +
           esc(req) + R"("}},"response":{"status":)" + std::to_string(status) + R"(,"content":{"text":")" + esc(resp) + R"("}}})";
  };
  std::string b = R"(xmlns="http://jabber.org/protocol/httpbind")";
  std::string har = R"({"log":{"entries":[)" +
                    entry("2024-05-01T10:00:00.000Z", "<body " + b + " rid='1' to='d' wait='60' hold='1'/>",
                          "<body " + b + " sid='S' wait='60' requests='2'><stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features></body>") + "," +
                    entry("2024-05-01T10:00:00.100Z", "<body " + b + " rid='2' sid='S'><auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGEAYg==</auth></body>",
                          "<body " + b + " sid='S'><success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></body>") + "," +
                    entry("2024-05-01T10:05:00.000Z", "<body " + b + " rid='9' to='d'/>", "", 503) + "]}}";
  Capture c = ImportCapture(har);
  CHECK(c.errors.empty());
  REQUIRE(c.connections.size() == 2);
  const Connection& s = c.connections[0];
  CHECK(s.transport == Transport::Bosh);
  StanzaParser p;
  REQUIRE(s.frames.size() == 5);  // session request, session response, features, auth, success
  CHECK(p.Parse(s.frames[0].payload).kind == StanzaKind::BoshSession);
  CHECK(p.Parse(s.frames[2].payload).kind == StanzaKind::Features);
  CHECK(p.Parse(s.frames[4].payload).kind == StanzaKind::Success);
  CHECK(s.frames[4].time == doctest::Approx(1714557600.12));  // start + time
  const Connection& failed = c.connections[1];
  REQUIRE(failed.frames.size() == 2);
  CHECK(failed.frames[1].dir == Direction::Error);
  CHECK(std::string(failed.frames[1].payload).find("HTTP 503") == 0);
}
