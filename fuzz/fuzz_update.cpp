// libFuzzer target: the Finesse <Update> decoder (its fast path against tinyxml2), the REST
// bodies' readers, and the pretty printer.
#include <cstdint>
#include <string>

#include "finesse_update.h"
#include "redact.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  fi::FinesseUpdate u = fi::DecodeUpdate(text);
  fi::SummarizeUpdate(u);
  fi::PrettyXml(text);
  fi::MayHoldApiErrors(text);
  fi::MayHoldRequestId(text);
  fi::ReadApiErrors(text);
  fi::RedactBody(text);
  // What the fast path accepts, tinyxml2 must read the same way.
  fi::FinesseUpdate fast;
  if (fi::ReadUpdateShape(text, false, fast)) {
    fi::FinesseUpdate slow = fi::DecodeUpdate(text, false);
    bool same = slow.ok && slow.request_id == fast.request_id && slow.event == fast.event && slow.source == fast.source &&
                slow.data_kind == fast.data_kind && slow.state == fast.state && slow.reason == fast.reason &&
                slow.users.size() == fast.users.size();
    for (size_t i = 0; same && i < fast.users.size(); ++i)
      same = slow.users[i].login_id == fast.users[i].login_id && slow.users[i].state == fast.users[i].state &&
             slow.users[i].reason_code == fast.users[i].reason_code && slow.users[i].reason_label == fast.users[i].reason_label;
    if (!same) __builtin_trap();
  }
  fi::ReadUpdateShape(text, true, fast);
  return 0;
}
