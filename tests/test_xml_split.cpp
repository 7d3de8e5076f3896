// Tests for the top-level XML element splitter.
#include "doctest/doctest.h"
#include "xml_split.h"

using namespace fi;

TEST_CASE("splits consecutive stanzas, quotes and nesting included") {
  auto p = SplitXmlElements("<a x='>'/> <b><c>t</c></b>\n<d y=\"</d>\"></d>");
  REQUIRE(p.size() == 3);
  CHECK(p[0].text == "<a x='>'/>");
  CHECK(p[1].text == "<b><c>t</c></b>");
  CHECK(p[2].text == "<d y=\"</d>\"></d>");
}

TEST_CASE("an RFC 6120 stream header stands alone, so does its end tag") {
  auto p = SplitXmlElements("<?xml version='1.0'?><stream:stream to='x' xmlns:stream='s'><stream:features/></stream:stream>");
  REQUIRE(p.size() == 3);
  CHECK(p[0].text == "<stream:stream to='x' xmlns:stream='s'>");
  CHECK(p[1].text == "<stream:features/>");
  CHECK(p[2].text == "</stream:stream>");
}

TEST_CASE("comments, CDATA and truncation") {
  size_t stray = 0;
  auto p = SplitXmlElements("<!-- <x> --><a><![CDATA[</a>]]></a> junk <b>cut", &stray);
  REQUIRE(p.size() == 2);
  CHECK(p[0].text == "<a><![CDATA[</a>]]></a>");
  CHECK(p[1].complete == false);
  CHECK(p[1].text == "<b>cut");
  CHECK(stray != std::string_view::npos);
}
