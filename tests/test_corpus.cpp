// Real logs with their expected readings written by hand (tests/corpus/README.md): every log is
// read and checked, and what a careful support engineer reads in it is asserted field by field.
#include <algorithm>
#include <filesystem>
#include <set>

#include "doctest/doctest.h"
#include "rapidjson/document.h"
#include "test_support.h"

using namespace fi;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> Expectations() {
  std::vector<fs::path> out;
  for (const char* sub : {"recorded", "public", "finesse", "desktop", "desktop/public"}) {
    fs::path dir = fs::path(FI_CORPUS_DIR) / sub;
    if (!fs::exists(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string name = e.path().filename().string();
      if (name.size() > 12 && name.compare(name.size() - 12, 12, ".expect.json") == 0) out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::set<std::string> Codes(const ConnectionReport& c) {
  std::set<std::string> codes;
  for (const Finding& f : c.findings) codes.insert(f.Code());
  return codes;
}

std::string StepIdOf(const std::string& name) {
  for (size_t k = 0; k < size_t(StepId::Count); ++k)
    if (name == StepName(StepId(k), Transport::Bosh) || name == StepName(StepId(k), Transport::WebSocket))
      return std::to_string(k);
  return "";
}

std::string OrNull(const std::string& s) { return s.empty() ? "null" : s; }
std::string OrNull(const rapidjson::Value& v) { return v.IsNull() ? "null" : v.GetString(); }

// The REST side of a HAR (tests/corpus/README.md, "finesse").
void CheckFinesse(const rapidjson::Value& want, const FinesseReport& got) {
  if (want.HasMember("system_info")) {
    const auto& w = want["system_info"];
    const SystemInfoAnswer* si = got.Last();
    if (w.IsNull()) {
      CHECK(si == nullptr);
    } else {
      REQUIRE(si != nullptr);
      for (const auto& m : w.GetObject()) {
        const std::string k = m.name.GetString();
        const std::string have = k == "status" ? si->status : k == "xmpp_domain" ? si->xmpp_domain
                                 : k == "pubsub_domain" ? si->pubsub_domain : k == "primary" ? OrNull(si->primary)
                                 : k == "secondary" ? OrNull(si->secondary) : k == "status_reason" ? OrNull(si->status_reason)
                                                                                   : "?";
        INFO("system_info.", k);
        CHECK(have == OrNull(m.value));
      }
    }
  }
  if (want.HasMember("requests")) {
    const auto& reqs = want["requests"].GetArray();
    CHECK(got.requests.size() == reqs.Size());
    for (rapidjson::SizeType i = 0; i < reqs.Size() && i < got.requests.size(); ++i) {
      const auto& w = reqs[i];
      const RestRequest& r = got.requests[i];
      INFO("request ", i + 1, ": ", r.method, " ", r.path, " ", r.status);
      if (w.HasMember("method")) CHECK(r.method == std::string(w["method"].GetString()));
      if (w.HasMember("path")) CHECK(r.path == std::string(w["path"].GetString()));
      if (w.HasMember("status")) CHECK(r.status == w["status"].GetInt());
      const bool has_id = r.has_request_id && !r.request_id.empty();
      if (w.HasMember("request_id")) CHECK(has_id == w["request_id"].GetBool());
      if (!w.HasMember("notification")) continue;
      const auto& n = w["notification"];
      const bool expect_notification = !n.IsNull();
      CHECK(r.has_notification == expect_notification);
      if (n.IsNull() || !r.has_notification) continue;
      if (n.HasMember("connection")) CHECK(r.notification.connection + 1 == n["connection"].GetInt());
      if (n.HasMember("latency_ms_min")) CHECK(r.notification.latency_ms >= n["latency_ms_min"].GetDouble());
      if (n.HasMember("latency_ms_max")) CHECK(r.notification.latency_ms <= n["latency_ms_max"].GetDouble());
    }
  }
  if (want.HasMember("states")) {
    const auto& states = want["states"].GetArray();
    CHECK(got.states.size() == states.Size());
    for (rapidjson::SizeType i = 0; i < states.Size() && i < got.states.size(); ++i) {
      const auto& w = states[i];
      const AgentState& st = got.states[i];
      INFO("state ", i + 1, ": ", st.user, " ", st.state);
      if (w.HasMember("user")) CHECK(st.user == std::string(w["user"].GetString()));
      if (w.HasMember("state")) CHECK(st.state == std::string(w["state"].GetString()));
      if (w.HasMember("reason_code")) CHECK(OrNull(st.reason_code) == OrNull(w["reason_code"]));
      if (w.HasMember("connection")) CHECK(st.connection + 1 == w["connection"].GetInt());
    }
  }
  std::set<std::string> codes;
  for (const Finding& f : got.findings) codes.insert(f.Code());
  if (want.HasMember("findings"))
    for (const auto& code : want["findings"].GetArray())
      CHECK_MESSAGE(codes.count(code.GetString()) == 1, "expected REST finding ", std::string(code.GetString()));
  if (want.HasMember("not_findings"))
    for (const auto& code : want["not_findings"].GetArray())
      CHECK_MESSAGE(codes.count(code.GetString()) == 0, "unexpected REST finding ", std::string(code.GetString()));
}

// What a desktop client log says of the connection (tests/corpus/README.md, "desktop").
void CheckDesktop(const rapidjson::Value& want, const DesktopFacts& got) {
  CHECK(got.present);
  auto str_or_null = [](const rapidjson::Value& v) { return v.IsNull() ? std::string() : std::string(v.GetString()); };
  if (want.HasMember("host")) CHECK(got.host == str_or_null(want["host"]));
  if (want.HasMember("transport")) CHECK(got.transport == str_or_null(want["transport"]));
  if (want.HasMember("clock_drift_ms")) {
    if (want["clock_drift_ms"].IsNull()) CHECK_FALSE(HasTime(got.clock_drift_ms));
    else CHECK(got.clock_drift_ms == doctest::Approx(want["clock_drift_ms"].GetDouble()));
  }
  if (want.HasMember("clock_drift_ms_min")) {
    REQUIRE(HasTime(got.clock_drift_ms));
    CHECK(got.clock_drift_ms >= want["clock_drift_ms_min"].GetDouble());
  }
  if (want.HasMember("clock_drift_ms_max")) {
    REQUIRE(HasTime(got.clock_drift_ms));
    CHECK(got.clock_drift_ms <= want["clock_drift_ms_max"].GetDouble());
  }
  if (want.HasMember("status_changes")) {
    std::vector<std::string> expected, actual;
    for (const auto& v : want["status_changes"].GetArray()) expected.push_back(v.GetString());
    for (const StatusChange& c : got.status_changes) actual.push_back(c.status);
    CHECK(actual == expected);
  }
  if (want.HasMember("notifications")) {
    const auto& n = want["notifications"];
    if (n.HasMember("count")) CHECK(got.notification_count == size_t(n["count"].GetInt()));
    if (n.HasMember("by_node"))
      for (const auto& m : n["by_node"].GetObject()) {
        size_t have = 0;
        for (const auto& [node, count] : got.notifications_by_node)
          if (node == m.name.GetString()) have = count;
        INFO("node ", m.name.GetString());
        CHECK(have == size_t(m.value.GetInt()));
      }
  }
}

// Checks one log against its expectation; each divergence is reported with the log's name.
void CheckLog(const fs::path& expect_path) {
  rapidjson::Document e;
  std::string json = ReadFile(expect_path.string());
  json.append(kInputPadding, '\0');  // RapidJSON's SSE2 scanner reads 16 bytes at a time
  e.Parse(json.c_str());
  REQUIRE_MESSAGE(!e.HasParseError(), expect_path.string() << ": the expectation is not valid JSON");
  const bool names_input = e.HasMember("log") || e.HasMember("har");
  REQUIRE_MESSAGE(names_input, expect_path.string() << ": no \"log\" or \"har\"");
  // "har": a recorded sample in samples/ (tests/corpus/finesse/); "log": beside the expectation.
  const fs::path log = e.HasMember("har") ? fs::path(FI_SAMPLES_DIR) / e["har"].GetString()
                                          : expect_path.parent_path() / e["log"].GetString();
  const std::string name = log.filename().string();
  INFO("log: ", name);
  REQUIRE_MESSAGE(fs::exists(log), name << " is missing");
  Capture capture = ImportCapture(ReadFile(log.string()));
  Report report = Check(capture);
  std::vector<const ConnectionReport*> xmpp;
  for (const ConnectionReport& c : report.connections)
    if (c.is_xmpp) xmpp.push_back(&c);

  if (e.HasMember("max_input_errors")) {
    INFO("input errors: ", capture.errors.size() ? capture.errors.front() : std::string());
    CHECK(capture.errors.size() <= size_t(e["max_input_errors"].GetInt()));
  }
  if (e.HasMember("xmpp_connections")) CHECK(xmpp.size() == size_t(e["xmpp_connections"].GetInt()));
  if (e.HasMember("finesse")) CheckFinesse(e["finesse"], report.finesse);
  if (e.HasMember("format")) CHECK(capture.format == std::string(e["format"].GetString()));
  if (e.HasMember("desktop")) CheckDesktop(e["desktop"], report.finesse.desktop);
  if (e.HasMember("exit_code")) {
    // As finesse-inspect decides it: problems on the socket or the REST side, or no connection;
    // a desktop log, problems in it.
    const bool log = capture.format == "finesse-desktop-log";
    const int exit = log ? (report.finesse.HasProblem() ? 1 : 0)
                         : (xmpp.empty() || !report.AllHealthy() || report.finesse.HasProblem() ? 1 : 0);
    CHECK(exit == e["exit_code"].GetInt());
  }
  if (e.HasMember("not_findings"))
    for (const auto& code : e["not_findings"].GetArray())
      for (size_t i = 0; i < xmpp.size(); ++i) {
        INFO("connection ", i + 1);
        CHECK_MESSAGE(Codes(*xmpp[i]).count(code.GetString()) == 0, "unexpected finding ", std::string(code.GetString()));
      }
  if (!e.HasMember("connections")) return;
  const auto& conns = e["connections"].GetArray();
  for (rapidjson::SizeType i = 0; i < conns.Size() && i < xmpp.size(); ++i) {
    const auto& want = conns[i];
    const ConnectionReport& got = *xmpp[i];
    const Transport t = got.connection->transport;
    INFO("connection ", i + 1);
    if (want.HasMember("transport")) CHECK(std::string(TransportName(t)) == std::string(want["transport"].GetString()));
    if (want.HasMember("verdict")) CHECK(std::string(VerdictName(got.verdict)) == std::string(want["verdict"].GetString()));
    if (want.HasMember("steps"))
      for (const auto& s : want["steps"].GetObject()) {
        const std::string step = s.name.GetString();
        const std::string k = StepIdOf(step);
        REQUIRE_MESSAGE(!k.empty(), "unknown step id ", step);
        const StepResult& r = got.steps[size_t(std::stoi(k))];
        INFO("step ", step, ": ", r.detail.Render());
        CHECK(std::string(StepStatusName(r.status)) == std::string(s.value.GetString()));
      }
    const std::set<std::string> codes = Codes(got);
    if (want.HasMember("findings"))
      for (const auto& code : want["findings"].GetArray())
        CHECK_MESSAGE(codes.count(code.GetString()) == 1, "expected finding ", std::string(code.GetString()));
    if (want.HasMember("not_findings"))
      for (const auto& code : want["not_findings"].GetArray())
        CHECK_MESSAGE(codes.count(code.GetString()) == 0, "unexpected finding ", std::string(code.GetString()));
  }
}

}  // namespace

TEST_CASE("the corpus of real logs reads as written by hand") {
  const auto all = Expectations();
  REQUIRE(all.size() >= 15);
  for (const fs::path& p : all) {
    SUBCASE(p.filename().string().c_str()) { CheckLog(p); }
  }
}
