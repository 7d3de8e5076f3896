// Tests for secret masking.
#include "doctest/doctest.h"
#include "redact.h"
#include "text_util.h"
#include "xmpp.h"

using namespace fi;

TEST_CASE("PLAIN: the password is masked, identities and length kept, still decodable") {
  std::string frame = R"(<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN">YWRtaW5pc3RyYXRvckB1Y2N4cHVlLnByYWJoYXQuY29tAGFkbWluaXN0cmF0b3IAMTIzNA==</auth>)";
  auto masked = RedactFrame(frame);
  REQUIRE(masked);
  CHECK(masked->find("YWRtaW5pc3RyYXRvckB1Y2N4cHVlLnByYWJoYXQuY29tAGFkbWluaXN0cmF0b3IAMTIzNA==") == std::string::npos);
  StanzaParser p;
  Stanza s = p.Parse(*masked);
  REQUIRE(s.plain.decoded);
  CHECK(s.plain.authzid == "administrator@uccxpue.prabhat.com");
  CHECK(s.plain.authcid == "administrator");
  CHECK(s.plain.password_length == 4);
  CHECK(Base64Decode(s.sasl_payload)->find("1234") == std::string::npos);
}

TEST_CASE("SCRAM: the client proof is masked, other frames untouched") {
  std::string final_msg = Base64Encode("c=biws,r=abc123,p=dHpbV3ZxYWxzZWNyZXQ=");
  auto masked = RedactFrame("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" + final_msg + "</response>");
  REQUIRE(masked);
  CHECK(Base64Decode(masked->substr(masked->find('>') + 1, masked->rfind('<') - masked->find('>') - 1))->find("dHpbV3") == std::string::npos);
  CHECK_FALSE(RedactFrame("<presence/>"));
  CHECK_FALSE(RedactFrame("<auth mechanism='SCRAM-SHA-1' xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" + Base64Encode("n,,n=user,r=abc") + "</auth>"));
}

TEST_CASE("headers: Authorization keeps its scheme, cookies keep their names") {
  CHECK(RedactHeaderValue("authorization", "Basic dXNlcjpwYXNz") == std::string("Basic ") + kMask);
  CHECK(RedactHeaderValue("Cookie", "JSESSIONID=abc; csrf=xyz") == std::string("JSESSIONID=") + kMask + "; csrf=" + kMask);
  CHECK(RedactHeaderValue("Set-Cookie", "JSESSIONID=abc; Path=/; Secure") == std::string("JSESSIONID=") + kMask + "; Path=/; Secure");
  CHECK(RedactHeaderValue("Upgrade", "websocket") == "websocket");
}

TEST_CASE("REST bodies: JSON values with spaces or escaped quotes, CDATA and attributes in secret elements") {
  auto masked = [](const std::string& body) { return RedactBody(body).value_or(body); };
  CHECK(masked("{\"password\":\"correct horse battery\",\"user\":\"1001\"}").find("horse") == std::string::npos);
  CHECK(masked("{\"password\":\"correct horse battery\",\"user\":\"1001\"}").find("\"user\":\"1001\"") != std::string::npos);
  CHECK(masked("{\"password\":\"pa\\\"ss word\"}").find("ss word") == std::string::npos);
  CHECK(masked("<User><password><![CDATA[hunter2]]></password></User>").find("hunter2") == std::string::npos);
  CHECK(masked("<User><password type=\"plain\">hunter2</password></User>").find("hunter2") == std::string::npos);
  // SASL's <auth> keeps its shape (masked by RedactFrame, decodable).
  CHECK(masked("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGEAYg==</auth>").find("mechanism='PLAIN'>") != std::string::npos);
}
