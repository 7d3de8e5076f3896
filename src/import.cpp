// Format detection and the one entry point that turns bytes into a Capture.
#include "import.h"

#include "text_util.h"

namespace fi {

InputFormat DetectFormat(std::string_view bytes) {
  if (bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) bytes.remove_prefix(3);
  std::string_view head = bytes.substr(0, 4096);
  if (Trim(head).empty() && Trim(bytes).empty()) return InputFormat::Empty;
  // Binary: NUL bytes or many control characters near the start.
  size_t controls = 0;
  for (unsigned char c : head) {
    if (c == 0) return InputFormat::Binary;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') ++controls;
  }
  if (controls * 20 > head.size()) return InputFormat::Binary;
  std::string_view t = Trim(head);
  if (t.empty()) return InputFormat::Empty;
  if (t[0] == '{' || t[0] == '[') {
    // "[10:00:00] SENT: ..." is a transcript that happens to start with a bracket.
    if (t[0] == '[' && t.size() > 1 && (isdigit((unsigned char)t[1]) && t.find(']') < 40)) return InputFormat::Transcript;
    return InputFormat::Json;
  }
  if (t[0] == '<') return InputFormat::Xml;
  return InputFormat::Transcript;
}

Capture ImportCapture(std::string bytes) {
  switch (DetectFormat(bytes)) {
    case InputFormat::Empty: {
      Capture c;
      c.format = "empty";
      c.errors.push_back(bytes.empty() ? "the input is empty (0 bytes)" : "the input holds only whitespace");
      return c;
    }
    case InputFormat::Binary: {
      Capture c;
      c.format = "binary";
      size_t nul = bytes.find('\0');
      c.errors.push_back("the input is binary, not a HAR or a text transcript" +
                         (nul != std::string::npos && nul < 4096 ? " (NUL byte at byte " + std::to_string(nul) + ")"
                                                                 : std::string()));
      return c;
    }
    case InputFormat::Json: return ImportHar(std::move(bytes));
    case InputFormat::Xml:
    case InputFormat::Transcript: return ImportTranscript(std::move(bytes));
  }
  return Capture();
}

}  // namespace fi
