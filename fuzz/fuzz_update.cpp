// libFuzzer target: the Finesse <Update> decoder and the pretty printer.
#include <cstdint>
#include <string>

#include "finesse_update.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  fi::FinesseUpdate u = fi::DecodeUpdate(text);
  fi::SummarizeUpdate(u);
  fi::PrettyXml(text);
  fi::MayHoldApiErrors(text);
  return 0;
}
