// Tests for XMPP stanza classification.
#include "doctest/doctest.h"
#include "xmpp.h"
#include "test_support.h"

using namespace fi;

TEST_CASE("RFC 7395 framing and RFC 6120 stream headers") {
  StanzaParser p;
  Stanza open = p.Parse(R"(<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="uccxpub.prabhat.com" version="1.0"/>)");
  CHECK(open.kind == StanzaKind::Open);
  CHECK(open.to == "uccxpub.prabhat.com");
  Stanza legacy = p.Parse("<?xml version='1.0'?><stream:stream to='d' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
  CHECK(legacy.kind == StanzaKind::Open);
  CHECK(legacy.to == "d");
  CHECK(p.Parse("</stream:stream>").kind == StanzaKind::Close);
  CHECK(p.Parse(R"(<close xmlns="urn:ietf:params:xml:ns:xmpp-framing"/>)").kind == StanzaKind::Close);
  CHECK(p.Parse(" \n").kind == StanzaKind::Empty);
}

TEST_CASE("features: mechanisms, bind and entity caps") {
  StanzaParser p;
  Stanza f = p.Parse(R"(<stream:features xmlns:stream="http://etherx.jabber.org/streams"><mechanisms xmlns="urn:ietf:params:xml:ns:xmpp-sasl"><mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms><c xmlns="http://jabber.org/protocol/caps" hash="sha-1" node="https://www.igniterealtime.org/projects/openfire/" ver="k3mOuil8afx3OTZxYy6yxLmFsok="/></stream:features>)");
  CHECK(f.kind == StanzaKind::Features);
  REQUIRE(f.mechanisms.size() == 2);
  CHECK(f.mechanisms[1] == "PLAIN");
  CHECK(f.caps_node == "https://www.igniterealtime.org/projects/openfire/");
  CHECK_FALSE(f.has_bind);
  CHECK(p.Parse(R"(<stream:features><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"/></stream:features>)").has_bind);
}

TEST_CASE("SASL PLAIN from the seeds decodes to authzid, authcid and a password length") {
  StanzaParser p;
  Stanza a = p.Parse(R"(<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN">YWRtaW5pc3RyYXRvckB1Y2N4cHVlLnByYWJoYXQuY29tAGFkbWluaXN0cmF0b3IAMTIzNA==</auth>)");
  CHECK(a.kind == StanzaKind::Auth);
  REQUIRE(a.plain.decoded);
  CHECK(a.plain.authzid == "administrator@uccxpue.prabhat.com");
  CHECK(a.plain.authcid == "administrator");
  CHECK(a.plain.password_length == 4);
  Stanza f = p.Parse(R"(<failure xmlns="urn:ietf:params:xml:ns:xmpp-sasl"><not-authorized/><text xml:lang="en">Invalid</text></failure>)");
  CHECK(f.kind == StanzaKind::Failure);
  CHECK(f.condition == "not-authorized");
  CHECK(f.error_text == "Invalid");
}

TEST_CASE("iq: bind, pubsub subscribe and subscription, errors, ping") {
  StanzaParser p;
  Stanza b = p.Parse(R"(<iq type="result" id="b1"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"><jid>administrator@uccxpub.prabhat.com/desktop</jid></bind></iq>)");
  CHECK(b.iq_payload == IqPayload::Bind);
  CHECK(b.bind_jid == "administrator@uccxpub.prabhat.com/desktop");
  CHECK(Summarize(p.Parse(R"(<iq type="set" id="b"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"><resource>desktop</resource></bind></iq>)")) == "iq set bind → desktop");
  Stanza sub = p.Parse(R"(<iq type="set" id="s1" to="pubsub.d"><pubsub xmlns="http://jabber.org/protocol/pubsub"><subscribe node="/finesse/api/User/1001" jid="1001@d"/></pubsub></iq>)");
  CHECK(sub.iq_payload == IqPayload::PubsubSubscribe);
  CHECK(sub.pubsub_node == "/finesse/api/User/1001");
  Stanza res = p.Parse(R"(<iq type="result" id="s1"><pubsub xmlns="http://jabber.org/protocol/pubsub"><subscription node="/finesse/api/User/1001" jid="1001@d" subscription="subscribed"/></pubsub></iq>)");
  CHECK(res.subscription == "subscribed");
  Stanza err = p.Parse(R"(<iq type="error" id="s2"><pubsub xmlns="http://jabber.org/protocol/pubsub"><subscribe node="/finesse/api/Team/9/Users"/></pubsub><error type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>)");
  CHECK(err.condition == "item-not-found");
  CHECK(err.error_type == "cancel");
  CHECK(p.Parse(R"(<iq type="get" id="p1"><ping xmlns="urn:xmpp:ping"/></iq>)").iq_payload == IqPayload::Ping);
}

TEST_CASE("stream errors and pubsub events with the escaped Finesse Update") {
  StanzaParser p;
  Stanza e = p.Parse(R"(<stream:error xmlns:stream="http://etherx.jabber.org/streams"><conflict xmlns="urn:ietf:params:xml:ns:xmpp-streams"/><text xmlns="urn:ietf:params:xml:ns:xmpp-streams">Replaced by new connection</text></stream:error>)");
  CHECK(e.kind == StanzaKind::StreamError);
  CHECK(e.condition == "conflict");
  CHECK(e.error_text == "Replaced by new connection");
  Stanza m = p.Parse(R"(<message from="pubsub.d" id="/finesse/api/User/1001__1001@d__Ab3xZ"><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="/finesse/api/User/1001"><item id="i1"><notification xmlns="http://jabber.org/protocol/pubsub">&lt;Update&gt;&lt;event&gt;PUT&lt;/event&gt;&lt;/Update&gt;</notification></item></items></event></message>)");
  CHECK(m.is_pubsub_event);
  CHECK(m.event_node == "/finesse/api/User/1001");
  CHECK(m.notification_raw == "&lt;Update&gt;&lt;event&gt;PUT&lt;/event&gt;&lt;/Update&gt;");
  CHECK(NotificationXml(m) == "<Update><event>PUT</event></Update>");
  Stanza cdata = p.Parse(R"(<message><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="n"><item><notification><![CDATA[<Update/>]]></notification></item></items></event></message>)");
  CHECK(NotificationXml(cdata) == "<Update/>");
}

TEST_CASE("not XML, and what it says about where") {
  StanzaParser p;
  Stanza s = p.Parse("<iq type='set'><unclosed></iq>");
  CHECK(s.kind == StanzaKind::NotXml);
  CHECK_FALSE(s.parse_error.empty());
  CHECK(p.Parse("hello").kind == StanzaKind::NotXml);
}

TEST_CASE("JID parts") {
  CHECK(JidLocal("finesse@d/r") == "finesse");
  CHECK(JidDomain("a@b.c/r") == "b.c");
  CHECK(JidBare("a@b/r/x") == "a@b");
  CHECK(JidLocal("pubsub.d") == "");
}

namespace {
// Every field the checker and views read, as one comparable string.
std::string Fields(const Stanza& s) {
  std::string out = std::string(StanzaKindName(s.kind)) + "|" + s.name + "|" + s.ns + "|" + s.to + "|" + s.from + "|" +
                    s.id + "|" + s.type + "|" + s.event_node + "|" + (s.is_pubsub_event ? "ev" : "") + "|" +
                    NotificationXml(s) + "|" + s.delay_stamp + "|" + s.condition;
  for (const auto& i : s.item_ids) out += "|item=" + i;
  return out;
}
}  // namespace

TEST_CASE("the notification fast path reads exactly what tinyxml2 reads, or steps aside") {
  StanzaParser fast(true), slow(false);
  std::vector<std::string> frames = {
      // Openfire's shape and Prosody's (single quotes, type=headline, publisher).
      R"(<message from="pubsub.d" to="1001@d" id="/finesse/api/User/1001__1001@d__Ab3xZ"><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="/finesse/api/User/1001"><item id="i1"><notification xmlns="http://jabber.org/protocol/pubsub">&lt;Update&gt;&lt;event&gt;PUT&lt;/event&gt;&lt;/Update&gt;</notification></item></items></event></message>)",
      "<message to='1001@finesse.lab' type='headline' from='pubsub.finesse.lab' id='abc'>\n <event xmlns='http://jabber.org/protocol/pubsub#event'><items node='/n'><item id='u' publisher='x@y'><notification xmlns='http://jabber.org/protocol/pubsub'>&lt;Update/&gt;</notification></item></items></event>\n</message>",
      // Shapes it must hand to tinyxml2.
      R"(<message from="a&amp;b"><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="n"><item id="1"><notification>t</notification></item></items></event></message>)",
      R"(<message><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="n"><item><notification><![CDATA[<Update/>]]></notification></item></items></event></message>)",
      R"(<message><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="n"><item><notification>t</notification></item></items></event><delay xmlns="urn:xmpp:delay" stamp="2024"/></message>)",
      R"(<message><event xmlns="http://jabber.org/protocol/pubsub"><items node="n"><item><notification>t</notification></item></items></event></message>)",
      R"(<message><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="n"><item><notification>t</notification></item></items></event></messag>)",
      R"(<message><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="n"><item><notification>t</notification></items></item></event></message>)",
      R"(<message><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="n"><item><notification>t</notification></item></items></event></message> trailing)",
      R"(<message a="1"b="2"><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="n"><item><notification>t</notification></item></items></event></message>)",
      R"(<messages><event xmlns="http://jabber.org/protocol/pubsub#event"/></messages>)",
      R"(<message><!-- c --><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="n"><item><notification>t</notification></item></items></event></message>)",
  };
  // And every frame of every sample.
  for (const char* name : {"ws-agent-healthy.har", "ws-supervisor-team.har", "ws-server-stopped.har", "bosh-agent-healthy.har"}) {
    Capture c = ImportCapture(Sample(name));
    for (const auto& conn : c.connections)
      for (const auto& f : conn.frames) frames.push_back(std::string(f.payload));
  }
  int fast_hits = 0;
  for (const std::string& f : frames) {
    CAPTURE(f);
    Stanza a = fast.Parse(f), b = slow.Parse(f);
    CHECK(Fields(a) == Fields(b));
    fast_hits += a.is_pubsub_event && b.is_pubsub_event;
  }
  CHECK(fast_hits >= 8);
}
