// Golden tests: every sample in samples/ paired with its expected JSON report in tests/golden/.
// `finesse_tests --update-golden` regenerates them; review the diff before committing.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "report.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace fi;

namespace {
std::vector<fs::path> Samples() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(FI_SAMPLES_DIR)) {
    if (!e.is_regular_file()) continue;
    std::string ext = e.path().extension().string();
    if (ext == ".har" || ext == ".txt" || ext == ".xml" || ext == ".json") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

TEST_CASE("every sample matches its golden JSON report") {
  auto samples = Samples();
  REQUIRE(samples.size() >= 1);
  for (const fs::path& sample : samples) {
    CAPTURE(sample.filename().string());
    Capture cap = ImportCapture(ReadFile(sample.string()));
    std::string json = ReportJson(Check(cap), true) + "\n";
    fs::path golden = fs::path(FI_GOLDEN_DIR) / (sample.filename().string() + ".json");
    if (g_update_golden) {
      fs::create_directories(golden.parent_path());
      std::ofstream(golden, std::ios::binary) << json;
      continue;
    }
    REQUIRE_MESSAGE(fs::exists(golden), "no golden for this sample: run finesse_tests --update-golden");
    std::string expected = ReadFile(golden.string());
    if (json != expected) {
      // Point at the first differing line, so a failure says what changed.
      size_t line = 1, i = 0;
      while (i < json.size() && i < expected.size() && json[i] == expected[i]) line += json[i++] == '\n';
      FAIL_CHECK("report differs from " << golden.filename().string() << " at line " << line);
    }
  }
}
