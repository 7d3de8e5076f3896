// The model the views read (Tracy's Worker in small): one loaded input, its capture and report,
// built in slices so a page stays responsive; per-frame facts computed on demand for the rows
// on screen; a filtered frame index that is rebuilt incrementally when the filter changes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "capture.h"
#include "checker.h"
#include "import.h"
#include "xmpp.h"

namespace fi {

struct FrameFilter {
  std::string text;  // case-insensitive, in the payload or the kind's name
  bool sent = true, received = true, errors = true;
  uint32_t kinds = ~0u;  // bit per StanzaKind
  bool operator==(const FrameFilter& o) const {
    return text == o.text && sent == o.sent && received == o.received && errors == o.errors && kinds == o.kinds;
  }
  bool operator!=(const FrameFilter& o) const { return !(*this == o); }
};

// Rows of one connection that pass a filter, built in slices (a million frames stay smooth).
// A row is a frame index, or a note of a text log (kNoteRow | note index) standing before the
// frame it preceded in the log. It holds the capture and the report, never their connections'
// addresses, so a live capture may grow under it (new frames, new connections): Update() goes
// on from where it was, up to the frames the report has checked.
class FrameIndex {
 public:
  static constexpr uint32_t kNoteRow = 0x80000000u;
  static bool IsNote(uint32_t row) { return (row & kNoteRow) != 0; }
  void Reset(const Capture& capture, const Report& report, size_t connection, const FrameFilter& filter);
  void Clear() { *this = FrameIndex(); }
  bool Update(size_t budget);  // true when complete
  bool Complete() const;
  const std::vector<uint32_t>& Rows() const { return m_rows; }
  const FrameFilter& Filter() const { return m_filter; }
  // The row that shows `frame`, or -1 when the filter hides it (or it is not indexed yet).
  int RowOf(uint32_t frame) const;

 private:
  const Connection* Conn() const;
  size_t Checked() const;  // frames the report has kinds for
  const Capture* m_capture = nullptr;
  const Report* m_report = nullptr;
  size_t m_connection = 0;
  FrameFilter m_filter;
  std::string m_lower;
  size_t m_next = 0, m_next_note = 0;
  std::vector<uint32_t> m_rows;
  void AddNotesBefore(size_t frame);
};

struct FrameView {
  std::string summary;     // "iq set bind → desktop", "pubsub event /finesse/api/User/1001 · PUT · READY"
  std::string update_xml;  // the un-escaped Finesse <Update>, when the frame carries one
  Stanza stanza;
};

class Workspace {
 public:
  Workspace();
  ~Workspace();

  // Starts reading an input; the previous one stays visible until this one is done.
  void Load(std::string bytes, std::string name, const CheckOptions& options = {});
  // Does up to about `byte_budget` of import or `frame_budget` frames of checking.
  void Step(size_t byte_budget, size_t frame_budget);
  bool Busy() const { return m_importer != nullptr || m_checker != nullptr; }
  double Progress() const;
  const char* Stage() const;  // "reading", "checking" or ""

  // Adds a second input to the one on screen: a desktop client log of the same session beside a
  // HAR (either may come first; the HAR stays the primary input). "" when added; otherwise why not,
  // and nothing changes. A new Load() drops it.
  std::string Add(std::string bytes, const std::string& name);
  const Capture* CompanionCapture() const { return m_companion_capture.get(); }
  const Report* CompanionReport() const { return m_companion_report.get(); }
  const std::string& CompanionName() const { return m_companion_name; }

  // Live mode: the workspace owns the live capture, as it owns a loaded one, and checks it as it
  // grows. BeginLive() gives the capture a live driver appends to: a new one (a new input, so a
  // new Generation) unless `append` and live mode is on already, when new connections follow the
  // ones on screen. LiveChanged() feeds the checker only what was appended since (a frame costs
  // the same however long the session has run) and moves Revision.
  Capture& BeginLive(bool append, std::string name);
  void AddLiveFinding(size_t connection, Finding finding);
  void LiveChanged();
  bool IsLive() const { return m_live_checker != nullptr; }
  uint64_t Revision() const { return m_revision; }  // +1 on every load or live update

  bool Loaded() const { return m_shown != nullptr; }
  const std::string& Name() const { return m_name; }
  const Capture& GetCapture() const { return *m_capture; }
  const Report& GetReport() const { return *m_shown; }
  uint64_t Generation() const { return m_generation; }  // +1 for every completed load
  size_t InputBytes() const { return m_input_bytes; }

  // Decoded facts of one frame; cached for the rows on screen.
  const FrameView& View(size_t connection, size_t frame);
  // Frames a "next/previous error" jump stops at: findings' frames and error-ish frames.
  // Found when asked, not on every live update.
  const std::vector<uint32_t>& ProblemFrames(size_t connection) const;

 private:
  void Completed();
  std::unique_ptr<Checker> m_live_checker;
  const Report* m_shown = nullptr;  // m_report, or the live checker's
  uint64_t m_revision = 0;
  std::unique_ptr<Importer> m_importer;
  std::unique_ptr<Capture> m_pending_capture;
  std::unique_ptr<Checker> m_checker;
  std::unique_ptr<Capture> m_capture;
  std::unique_ptr<Report> m_report;
  std::unique_ptr<Capture> m_companion_capture;  // a desktop log beside a HAR
  std::unique_ptr<Report> m_companion_report;
  std::string m_name, m_pending_name, m_companion_name;
  CheckOptions m_options;
  size_t m_input_bytes = 0, m_pending_bytes = 0;
  uint64_t m_generation = 0;
  mutable std::vector<std::vector<uint32_t>> m_problems;
  mutable uint64_t m_problems_for = ~0ull;  // the Revision they were found for
  StanzaParser m_parser;
  std::unordered_map<uint64_t, FrameView> m_views;
};

// A HAR with every secret masked: the SASL password (PLAIN stays decodable, so the masked file
// analyses the same), SCRAM proofs, Authorization, Proxy-Authorization, Cookie and Set-Cookie
// headers and `cookies` values, form fields and URL query parameters that carry passwords or
// tokens, inside `_webSocketMessages` and BOSH bodies too. On malformed JSON it returns "" and
// says where in *error.
std::string SanitizeHar(std::string_view har, std::string* error);

}  // namespace fi
