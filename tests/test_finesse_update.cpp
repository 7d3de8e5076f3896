// Tests for the Finesse <Update> decoder.
#include "doctest/doctest.h"
#include "finesse_update.h"

using namespace fi;

TEST_CASE("a user state change") {
  FinesseUpdate u = DecodeUpdate(
      "<Update><data><user><loginId>1001</loginId><state>NOT_READY</state><reasonCode><label>Lunch</label></reasonCode>"
      "</user></data><event>put</event><requestId>7f2c</requestId><source>/finesse/api/User/1001</source></Update>");
  REQUIRE(u.ok);
  CHECK(u.event == "PUT");
  CHECK(u.request_id == "7f2c");
  CHECK(u.source == "/finesse/api/User/1001");
  CHECK(u.data_kind == "user");
  CHECK(u.state == "NOT_READY");
  CHECK(u.reason == "Lunch");
  CHECK(SummarizeUpdate(u) == "PUT · NOT_READY · Lunch");
}

TEST_CASE("apiErrors and SystemInfo") {
  FinesseUpdate e = DecodeUpdate(
      "<Update><data><apiErrors><apiError><errorData>1001</errorData><errorMessage>CTI timeout</errorMessage>"
      "<errorType>Generic Error</errorType></apiError></apiErrors></data><event>POST</event><requestId>r9</requestId>"
      "<source>/finesse/api/User/1001</source></Update>");
  REQUIRE(e.ok);
  REQUIRE(e.api_errors.size() == 1);
  CHECK(e.api_errors[0].type == "Generic Error");
  CHECK(e.api_errors[0].message == "CTI timeout");
  CHECK(MayHoldApiErrors("...<apiErrors>..."));
  FinesseUpdate s = DecodeUpdate("<Update><data><SystemInfo><status>OUT_OF_SERVICE</status></SystemInfo></data><event>PUT</event></Update>");
  CHECK(s.data_kind == "SystemInfo");
  CHECK(s.state == "OUT_OF_SERVICE");
}

TEST_CASE("not an Update") {
  CHECK_FALSE(DecodeUpdate("<Other/>").ok);
  FinesseUpdate bad = DecodeUpdate("<Update><data>");
  CHECK_FALSE(bad.ok);
  CHECK(bad.error.find("not well-formed") != std::string::npos);
  CHECK(PrettyXml("<a><b>t</b></a>").find("\n") != std::string::npos);
}
