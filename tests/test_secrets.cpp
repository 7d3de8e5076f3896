// The secrets audit: a capture full of known secrets (tests/secrets/all-secrets.har) goes
// through every output the core produces; none of the secrets may appear unless revealed.
#include <fstream>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "finesse_update.h"
#include "redact.h"
#include "report.h"
#include "test_support.h"
#include "workspace.h"

using namespace fi;

namespace {
const std::string kDir = std::string(FI_SAMPLES_DIR) + "/../tests/secrets/";

std::vector<std::string> Secrets() {
  std::vector<std::string> out;
  std::ifstream in(kDir + "secrets.txt");
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

void NoSecretIn(const std::string& where, const std::string& text) {
  for (const std::string& s : Secrets()) CHECK_MESSAGE(text.find(s) == std::string::npos, where << " leaks " << s);
}
}  // namespace

TEST_CASE("no secret in any report format, the sanitised HAR, or the views' text") {
  const std::string har = ReadFile(kDir + "all-secrets.har");
  // Some secrets stand in the fixture only encoded (the PLAIN password inside its base64): those
  // must not appear decoded in any output either.
  int literal = 0;
  for (const std::string& s : Secrets()) literal += har.find(s) != std::string::npos;
  REQUIRE(literal >= 9);

  Capture cap = ImportCapture(har);
  Report rep = Check(cap);
  REQUIRE(rep.connections.size() == 2);
  NoSecretIn("json", ReportJson(rep));
  NoSecretIn("text", ReportText(rep));
  NoSecretIn("markdown", ReportMarkdown(rep));
  for (const std::string& e : cap.errors) NoSecretIn("input errors", e);

  std::string error;
  std::string clean = SanitizeHar(har, &error);
  REQUIRE(error.empty());
  NoSecretIn("sanitised HAR", clean);
  Capture again = ImportCapture(clean);
  CHECK(ReportJson(Check(again)) == ReportJson(rep));

  // What the page shows of each frame: its summary, and its text masked unless revealed.
  Workspace ws;
  ws.Load(har, "secrets");
  while (ws.Busy()) ws.Step(1 << 20, 1000);
  for (size_t c = 0; c < cap.connections.size(); ++c)
    for (size_t f = 0; f < cap.connections[c].frames.size(); ++f) {
      const FrameView& v = ws.View(c, f);
      NoSecretIn("summary", v.summary);
      std::string_view payload = ws.GetCapture().connections[c].frames[f].payload;
      auto masked = RedactFrame(payload);
      NoSecretIn("detail", PrettyXml(masked ? *masked : std::string(payload)));
    }
}

TEST_CASE("no secret from a desktop client log in any report, or in what the records view shows") {
  const std::string log = ReadFile(kDir + "all-secrets.log");
  int literal = 0;
  for (const std::string& s : Secrets()) literal += log.find(s) != std::string::npos;
  REQUIRE(literal >= 4);
  Capture cap = ImportCapture(log);
  REQUIRE(cap.format == "finesse-desktop-log");
  Report rep = Check(cap);
  NoSecretIn("json", ReportJson(rep));
  NoSecretIn("text", ReportText(rep));
  NoSecretIn("markdown", ReportMarkdown(rep));
  for (const LogRecord& r : cap.log_records) NoSecretIn("record", RedactBody(r.message).value_or(std::string(r.message)));
}

TEST_CASE("revealing is explicit, and shows the password") {
  Capture cap = ImportCapture(ReadFile(kDir + "all-secrets.har"));
  CheckOptions o;
  o.reveal_secrets = true;
  CHECK(ReportText(Check(cap, o)).find("Pl41nPassw0rd!") != std::string::npos);
}

TEST_CASE("JWTs are masked wherever they stand; the header is kept") {
  std::string jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMDAxIn0.c2lnbmF0dXJlc2lnbmF0dXJl";
  auto m = RedactJwts("Bearer " + jwt + " and more");
  REQUIRE(m);
  CHECK(m->find("eyJzdWIiOiIxMDAxIn0") == std::string::npos);
  CHECK(m->find("eyJhbGciOiJIUzI1NiJ9.") != std::string::npos);
  CHECK(m->find(" and more") != std::string::npos);
  CHECK(m->find_first_of("<>&\"") == std::string::npos);  // safe inside XML and JSON
  CHECK_FALSE(RedactJwts("eyJ alone is no token"));
  CHECK(RedactUrl("wss://h/ws/?x=" + jwt).find("c2lnbmF0dXJl") == std::string::npos);
}

TEST_CASE("inputs above the limit are refused with the size and the limit") {
  CHECK(TooLargeMessage(kMaxInputBytes + 1).find("above the limit of 1.00 GB") != std::string::npos);
  // Not allocated for real here: the limit is checked on the size before any reading.
  CHECK(kMaxInputBytes == (uint64_t(1) << 30));
}
