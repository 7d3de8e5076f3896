// Tests for the report writers: the JSON contract's shape, and no secret in any format.
#include "doctest/doctest.h"
#include "rapidjson/document.h"
#include "report.h"
#include "test_support.h"

using namespace fi;

TEST_CASE("the JSON report follows the contract") {
  Capture cap = ImportCapture(Sample("seed-uccx-transcript.txt"));
  Report rep = Check(cap);
  std::string json = ReportJson(rep);
  rapidjson::Document d;
  d.Parse(json.c_str());
  REQUIRE_FALSE(d.HasParseError());
  REQUIRE(d["input"].IsObject());
  CHECK(std::string(d["input"]["format"].GetString()) == "transcript");
  CHECK(d["input"]["entries"].GetInt() == 16);
  CHECK(d["input"]["errors"].IsArray());
  const auto& c = d["connections"][0];
  CHECK(std::string(c["transport"].GetString()) == "websocket");
  CHECK(c["frames"].GetInt() == 16);
  CHECK(std::string(c["verdict"].GetString()) == "incomplete");
  REQUIRE(c["steps"].Size() == 10);
  CHECK(std::string(c["steps"][0]["id"].GetString()) == "upgrade");
  CHECK(c["steps"][0]["frame"].IsNull());
  CHECK(c["steps"][1]["frame"].GetInt() == 3);  // 1-based
  CHECK(c["steps"][1]["t_ms"].IsNumber());
  const auto& f = c["findings"][0];
  for (const char* k : {"severity", "code", "message", "hint"}) CHECK(f[k].IsString());
  CHECK(f["frame"].GetInt() == 4);
  CHECK(c["notifications"]["count"].GetInt() == 0);
  CHECK(c["notifications"]["by_node"].IsObject());
}

TEST_CASE("no format prints the SASL password; revealing is explicit") {
  Capture cap = ImportCapture(Sample("seed-uccx-transcript.txt"));
  Report rep = Check(cap);
  for (const std::string& out : {ReportJson(rep), ReportText(rep), ReportMarkdown(rep)}) {
    CHECK(out.find("1234") == std::string::npos);
    CHECK(out.find("4 characters") != std::string::npos);
  }
  CheckOptions o;
  o.reveal_secrets = true;
  Report revealed = Check(cap, o);
  ReportOptions ro;
  ro.secrets_revealed = true;
  CHECK(ReportText(revealed).find("\"1234\"") != std::string::npos);
  CHECK(ReportMarkdown(revealed, ro).find("revealed on request") != std::string::npos);
}

TEST_CASE("text and Markdown show the step table and what to do") {
  Capture cap = ImportCapture(Sample("seed-uccx-transcript.txt"));
  Report rep = Check(cap);
  std::string text = ReportText(rep);
  CHECK(text.find("Verdict: INCOMPLETE") != std::string::npos);
  CHECK(text.find("finesse-presence") != std::string::npos);
  CHECK(text.find("authzid-domain-mismatch (frame 4)") != std::string::npos);
  std::string md = ReportMarkdown(rep);
  CHECK(md.find("| step | status |") != std::string::npos);
  CHECK(md.find("*What to do:*") != std::string::npos);
}

TEST_CASE("no connection is said in words") {
  Capture cap = ImportCapture(R"({"log":{"entries":[]}})");
  Report rep = Check(cap);
  CHECK(ReportText(rep).find("No WebSocket or BOSH connection") != std::string::npos);
  CHECK_FALSE(rep.AllHealthy());
}
