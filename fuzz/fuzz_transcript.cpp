// libFuzzer target: the transcript/paste importer and format detection.
#include <cstdint>
#include <string>

#include "import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  fi::DetectFormat(bytes);
  fi::Capture c = fi::ImportTranscript(bytes);
  for (const auto& conn : c.connections)
    for (const auto& f : conn.frames) (void)f.payload.size();
  return 0;
}
