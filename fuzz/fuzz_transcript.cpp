// libFuzzer target: the text-log reader and format detection, then the checker over what it
// read, fed in slices. The reader's own promises are checked: notes stand within their
// connection's frames, and a sliced check reports what a whole one does.
#include <cstdint>
#include <string>

#include "checker.h"
#include "import.h"
#include "report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  fi::DetectFormat(bytes);
  fi::Capture c = fi::ImportTranscript(bytes);
  for (const auto& conn : c.connections)
    for (const auto& n : conn.notes)
      if (n.before_frame > conn.frames.size()) __builtin_trap();
  const std::string whole = fi::ReportJson(fi::Check(c));
  fi::Checker sliced(c);
  while (!sliced.Step(3)) sliced.Current();
  if (fi::ReportJson(sliced.Take()) != whole) __builtin_trap();
  return 0;
}
