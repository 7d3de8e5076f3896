// libFuzzer target: the HAR importer, whole and in small slices (both must agree).
#include <cstdint>
#include <string>

#include "import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  fi::Capture whole = fi::ImportHar(bytes);
  auto sliced = fi::MakeHarImporter(bytes);
  while (!sliced->Step(7)) {
  }
  fi::Capture b = sliced->Take();
  if (whole.connections.size() != b.connections.size() || whole.errors != b.errors) __builtin_trap();
  return 0;
}
