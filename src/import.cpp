// Format detection and the one entry point that turns bytes into a Capture.
#include "import.h"

#include <cstdlib>
#include <cstring>

#include "desktop_log.h"
#include "text_util.h"

namespace fi {

std::string TooLargeMessage(uint64_t size) {
  return "the input is " + FormatBytes(size) + ", above the limit of " + FormatBytes(kMaxInputBytes) +
         ": export a shorter capture (only the Finesse desktop's tab, during the sign-in) or keep only the "
         "WebSocket entries";
}

bool ReserveInput(std::string& buffer, uint64_t size, std::string* error) {
  buffer = std::string();
  if (size > kMaxInputBytes) {
    if (error) *error = TooLargeMessage(size);
    return false;
  }
  // Reading needs about a quarter more than the input (see the README's figures), plus slack.
  const uint64_t needed = size + size / 4 + (16u << 20);
  if (void* probe = std::malloc(size_t(needed))) {
    std::free(probe);
  } else {
    if (error)
      *error = "not enough memory for an input of " + FormatBytes(size) + " (about " + FormatBytes(needed) +
               " is needed): close other tabs, or export a shorter capture";
    return false;
  }
  buffer.reserve(size_t(size) + kInputPadding);
#if defined(_LIBCPP_VERSION)
  buffer.__resize_default_init(size_t(size));  // libc++: no zero-fill, the caller overwrites it all
#else
  buffer.resize(size_t(size));
#endif
  return true;
}

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
    if (t[0] == '{') return InputFormat::Json;
    // A JSON array holds values; "[Connection] Connecting" or "[10:00:00] SENT:" is a log line.
    std::string_view rest = Trim(t.substr(1));
    return rest.empty() || strchr("{[]\"", rest[0]) ? InputFormat::Json : InputFormat::Transcript;
  }
  if (t[0] == '<') return InputFormat::Xml;
  return InputFormat::Transcript;
}

namespace {
// Inputs that are read in one go: transcripts, and the ones that are refused.
class WholeImporter final : public Importer {
 public:
  explicit WholeImporter(std::string bytes) : m_bytes(std::move(bytes)) {}
  bool Step(size_t) override {
    if (!m_done) m_capture = ImportWhole(std::move(m_bytes));
    m_done = true;
    return true;
  }
  void Refuse(std::string why) {
    m_capture.format = "refused";
    m_capture.errors.push_back(std::move(why));
    m_done = true;
  }
  double Progress() const override { return m_done ? 1.0 : 0.0; }
  Capture Take() override {
    Step(0);
    return std::move(m_capture);
  }

 private:
  static Capture ImportWhole(std::string bytes);
  std::string m_bytes;
  Capture m_capture;
  bool m_done = false;
};
}  // namespace

// A desktop log cut mid-record can begin with a record's JSON ({"content":"<Update>…"): not a HAR
// ("log" near the start) nor a list of frames, but records follow.
static bool CutDesktopLog(std::string_view bytes) {
  std::string_view head = Trim(bytes.substr(0, 256));
  return !head.empty() && head[0] == '{' && head.find("\"log\"") == std::string_view::npos && LooksLikeDesktopLog(bytes);
}

std::unique_ptr<Importer> MakeImporter(std::string bytes) {
  if (bytes.size() > kMaxInputBytes) {
    auto refused = std::make_unique<WholeImporter>(std::string());
    refused->Refuse(TooLargeMessage(bytes.size()));
    return refused;
  }
  if (DetectFormat(bytes) == InputFormat::Json && !CutDesktopLog(bytes)) return MakeHarImporter(std::move(bytes));
  return std::make_unique<WholeImporter>(std::move(bytes));
}

Capture ImportCapture(std::string bytes) { return MakeImporter(std::move(bytes))->Take(); }

Capture WholeImporter::ImportWhole(std::string bytes) {
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
    case InputFormat::Json:
      if (CutDesktopLog(bytes)) return ImportDesktopLog(std::move(bytes));
      return ImportHar(std::move(bytes));
    case InputFormat::Xml:
    case InputFormat::Transcript:
      if (LooksLikeDesktopLog(bytes)) return ImportDesktopLog(std::move(bytes));
      return ImportTranscript(std::move(bytes));
  }
  return Capture();
}

}  // namespace fi
