// libFuzzer target: the Finesse desktop client log importer and its analysis, with every report
// format. Its promises are checked: records stand in source order with lines inside the input,
// and a record's every line number points into the text.
#include <algorithm>
#include <cstdint>
#include <string>

#include "checker.h"
#include "desktop_log.h"
#include "import.h"
#include "report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  fi::LooksLikeDesktopLog(bytes);
  const uint32_t lines = uint32_t(std::count(bytes.begin(), bytes.end(), '\n')) + 1;
  fi::Capture c = fi::ImportDesktopLog(bytes);
  uint32_t last = 0;
  for (const fi::LogRecord& r : c.log_records) {
    if (r.line < last || r.line == 0 || r.line > lines) __builtin_trap();
    last = r.line;
  }
  fi::Report rep = fi::Check(c);
  for (const fi::Finding& f : rep.finesse.findings)
    if (f.line > lines) __builtin_trap();
  fi::ReportJson(rep);
  fi::ReportText(rep);
  fi::ReportMarkdown(rep);
  return 0;
}
