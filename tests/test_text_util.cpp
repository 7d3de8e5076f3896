// Tests for text_util: ISO times in the styles HAR producers write, base64, UTF-8 repair.
#include "doctest/doctest.h"
#include "text_util.h"

using namespace fi;

TEST_CASE("ISO 8601 times in every producer's style") {
  // Chrome: milliseconds and Z. Charles: +01:00. mitmproxy: microseconds and +00:00.
  auto chrome = ParseIsoTime("2024-05-01T10:00:00.123Z");
  REQUIRE(chrome);
  CHECK(*chrome == doctest::Approx(1714557600.123));
  auto charles = ParseIsoTime("2024-05-01T11:00:00.123+01:00");
  REQUIRE(charles);
  CHECK(*charles == doctest::Approx(*chrome));
  auto mitm = ParseIsoTime("2024-05-01T10:00:00.123456+00:00");
  REQUIRE(mitm);
  CHECK(*mitm == doctest::Approx(1714557600.123456));
  auto compact_offset = ParseIsoTime("2024-05-01T05:30:00.123-0430");
  REQUIRE(compact_offset);
  CHECK(*compact_offset == doctest::Approx(*chrome));
  CHECK(ParseIsoTime("2024-05-01 10:00:00") == doctest::Approx(1714557600.0));
  CHECK_FALSE(ParseIsoTime("yesterday"));
  CHECK_FALSE(ParseIsoTime("2024-13-01T10:00:00Z"));
  CHECK_FALSE(ParseIsoTime("2024-05-01T10:00:00Zjunk"));
  CHECK(FormatIsoTime(1714557600.123) == "2024-05-01T10:00:00.123Z");
  CHECK(FormatIsoTime(1714557600.123456, 6) == "2024-05-01T10:00:00.123456Z");
  CHECK(*ParseIsoTime(FormatIsoTime(1714557600.123456, 6)) == doctest::Approx(1714557600.123456).epsilon(1e-12));
}

TEST_CASE("time of day") {
  CHECK(ParseTimeOfDay("10:15:02.101") == doctest::Approx(36902.101));
  CHECK_FALSE(ParseTimeOfDay("25:00:00"));
}

TEST_CASE("base64 round trip and rejects") {
  CHECK(Base64Encode("administrator") == "YWRtaW5pc3RyYXRvcg==");
  auto d = Base64Decode("YWRtaW5pc3RyYXRvcg==");
  REQUIRE(d);
  CHECK(*d == "administrator");
  std::string binary("a\0b\xff", 4);
  CHECK(Base64Decode(Base64Encode(binary)) == binary);
  CHECK_FALSE(Base64Decode("not base64!"));
}

TEST_CASE("UTF-8 validation and repair") {
  CHECK_FALSE(FindInvalidUtf8("plain ascii and é and 日本"));
  CHECK(FindInvalidUtf8("ok\xC3(") == size_t(2));
  CHECK(FindInvalidUtf8("\xED\xA0\x80") == size_t(0));  // a UTF-16 surrogate encoded in UTF-8
  CHECK(RepairUtf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
}

TEST_CASE("case-insensitive helpers") {
  CHECK(EqualsIgnoreCase("Sec-WebSocket-Protocol", "sec-websocket-protocol"));
  CHECK(ContainsIgnoreCase("Upgrade: WebSocket", "websocket"));
  CHECK(StartsWithIgnoreCase("WSS://host", "wss:"));
}

TEST_CASE("byte and text search, across the 16-byte blocks") {
  std::string s(100, 'x');
  s[37] = '<';
  s[99] = '>';
  CHECK(FindByte(s, '<') == 37);
  CHECK(FindByte(s, '<', 38) == std::string_view::npos);
  CHECK(FindByte(s, '>') == 99);
  CHECK(FindByte("", 'a') == std::string_view::npos);
  std::string t = std::string(40, 'a') + "apiErrors" + std::string(5, 'a');
  CHECK(FindText(t, "apiErrors") == 40);
  CHECK(FindText("apiError", "apiErrors") == std::string_view::npos);
  CHECK(FindText("Errors apiErrors", "apiErrors") == 7);
  for (size_t n = 0; n < 40; ++n) {  // every alignment and tail length
    std::string u(n, 'a');
    u += '\xC3';
    CHECK(FindInvalidUtf8(u) == n);
  }
}
