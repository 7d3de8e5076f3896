// Tests for the sanitised HAR export.
#include "doctest/doctest.h"
#include "report.h"
#include "test_support.h"
#include "text_util.h"
#include "workspace.h"

using namespace fi;

namespace {
const std::string kAuth = Base64Encode(std::string("1001@d\0" "1001\0" "Sup3rS3cret!", 24));

std::string SecretHar() {
  return R"({"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
  {"startedDateTime":"2024-05-01T10:00:00.000Z","_resourceType":"websocket",
   "request":{"method":"GET","url":"wss://h:8445/ws/?token=abc.def.ghi&x=1","headers":[
      {"value":"Basic dXNlcjpTdXAzclMzY3JldCE=","name":"Authorization"},{"name":"Cookie","value":"JSESSIONID=C00KIEVALUE; csrf=CSRFVALUE"},
      {"name":"Sec-WebSocket-Protocol","value":"xmpp"}],
     "cookies":[{"name":"JSESSIONID","value":"C00KIEVALUE","path":"/"}],
     "queryString":[{"name":"token","value":"abc.def.ghi"},{"name":"x","value":"1"}]},
   "response":{"status":101,"headers":[{"name":"Set-Cookie","value":"JSESSIONID=NEWC00KIE; Path=/; Secure"},{"name":"Sec-WebSocket-Protocol","value":"xmpp"}]},
   "_webSocketMessages":[
     {"type":"send","time":1714557600.1,"opcode":1,"data":"<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='d' version='1.0'/>"},
     {"type":"receive","time":1714557600.2,"opcode":1,"data":"<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>"},
     {"type":"send","time":1714557600.3,"opcode":1,"data":"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>)" + kAuth + R"(</auth>"},
     {"type":"receive","time":1714557600.4,"opcode":1,"data":"<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>"}]},
  {"startedDateTime":"2024-05-01T10:00:01.000Z","request":{"method":"POST","url":"https://h/login","postData":{"mimeType":"application/x-www-form-urlencoded",
     "params":[{"name":"j_password","value":"Sup3rS3cret!"}],"text":"j_username=1001"}},"response":{"status":302}}]}})";
}
}  // namespace

TEST_CASE("no secret survives, and the masked file analyses the same") {
  std::string har = SecretHar();
  std::string error;
  std::string clean = SanitizeHar(har, &error);
  REQUIRE(error.empty());
  REQUIRE_FALSE(clean.empty());
  for (const char* secret : {"Sup3rS3cret!", kAuth.c_str(), "dXNlcjpTdXAzclMzY3JldCE=", "C00KIEVALUE", "CSRFVALUE", "NEWC00KIE", "abc.def.ghi"})
    CHECK_MESSAGE(clean.find(secret) == std::string::npos, secret);
  // What helps diagnose stays: header names, the auth scheme, cookie names, other parameters.
  CHECK(clean.find("Basic ") != std::string::npos);
  CHECK(clean.find("JSESSIONID=") != std::string::npos);
  CHECK(clean.find("Path=/; Secure") != std::string::npos);
  CHECK(clean.find("x=1") != std::string::npos);
  // Same analysis: identities and password length are kept.
  Capture a = ImportCapture(har), b = ImportCapture(clean);
  CHECK(ReportJson(Check(a)) == ReportJson(Check(b)));
  CHECK(ReportJson(Check(b)).find("12 characters") != std::string::npos);
}

TEST_CASE("sanitising malformed JSON says where") {
  std::string error;
  CHECK(SanitizeHar(R"({"log":{"entries":[}})", &error).empty());
  CHECK(error.find("byte 19") != std::string::npos);
}
