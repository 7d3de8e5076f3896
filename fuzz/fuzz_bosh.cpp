// libFuzzer target: BOSH <body> splitting.
#include <cstdint>
#include <string>

#include "bosh.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  fi::Capture capture;
  fi::Connection conn;
  fi::ExpandBoshBody(text, fi::Direction::Received, 1.0, 0, conn, capture);
  fi::ExpandBoshBody(text, fi::Direction::Sent, 2.0, 1, conn, capture);
  return 0;
}
