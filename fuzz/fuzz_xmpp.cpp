// libFuzzer target: XMPP classification. Differential: the notification fast path and tinyxml2
// must read every input the same way, and summaries must never fail.
#include <cstdint>
#include <string>

#include "xml_split.h"
#include "xmpp.h"

static std::string Fields(const fi::Stanza& s) {
  std::string out = std::string(fi::StanzaKindName(s.kind)) + "|" + s.name + "|" + s.to + "|" + s.from + "|" + s.id + "|" +
                    s.type + "|" + s.event_node + "|" + (s.is_pubsub_event ? "e" : "") + "|" + fi::NotificationXml(s);
  for (const auto& i : s.item_ids) out += "|" + i;
  return out;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static fi::StanzaParser fast(true), slow(false);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  fi::Stanza a = fast.Parse(text), b = slow.Parse(text);
  if (Fields(a) != Fields(b)) __builtin_trap();
  fi::Summarize(a);
  for (const auto& piece : fi::SplitXmlElements(text)) (void)fast.Parse(piece.text);
  fi::DecodeSaslPlain(text);
  return 0;
}
