// The views' model: sliced loading, per-frame views, the filtered frame index.
#include "workspace.h"

#include <algorithm>

#include "finesse_update.h"
#include "text_util.h"

namespace fi {

// [SECTION] FrameIndex

void FrameIndex::Reset(const Capture& capture, const Report& report, size_t connection, const FrameFilter& filter) {
  m_capture = &capture;
  m_report = &report;
  m_connection = connection;
  m_filter = filter;
  m_lower = ToLower(filter.text);
  m_next = 0;
  m_next_note = 0;
  m_rows.clear();
}

const Connection* FrameIndex::Conn() const {
  return m_capture && m_connection < m_capture->connections.size() ? &m_capture->connections[m_connection] : nullptr;
}

size_t FrameIndex::Checked() const {
  const Connection* c = Conn();
  if (!c) return 0;
  if (!m_report || m_connection >= m_report->connections.size()) return c->frames.size();
  return std::min(c->frames.size(), m_report->connections[m_connection].kinds.size());
}

bool FrameIndex::Complete() const {
  const Connection* c = Conn();
  return c == nullptr || (m_next >= Checked() && m_next_note >= c->notes.size());
}

void FrameIndex::AddNotesBefore(size_t frame) {
  const auto& notes = Conn()->notes;
  for (; m_next_note < notes.size() && notes[m_next_note].before_frame <= frame; ++m_next_note)
    if (m_lower.empty() || ContainsIgnoreCase(notes[m_next_note].text, m_lower))
      m_rows.push_back(kNoteRow | uint32_t(m_next_note));
}

int FrameIndex::RowOf(uint32_t frame) const {
  const Connection* conn = Conn();
  if (!conn) return -1;
  // Rows are in log order: a note row sorts at the frame it stood before.
  auto at = [&](uint32_t row) { return IsNote(row) ? conn->notes[row & ~kNoteRow].before_frame : row; };
  auto it = std::lower_bound(m_rows.begin(), m_rows.end(), frame, [&](uint32_t row, uint32_t f) { return at(row) < f; });
  while (it != m_rows.end() && IsNote(*it) && at(*it) == frame) ++it;
  return it != m_rows.end() && *it == frame ? int(it - m_rows.begin()) : -1;
}

bool FrameIndex::Update(size_t budget) {
  const Connection* conn = Conn();
  if (!conn) return true;
  const auto& frames = conn->frames;
  const size_t end = Checked();
  const ConnectionReport* report =
      m_report && m_connection < m_report->connections.size() ? &m_report->connections[m_connection] : nullptr;
  const bool no_filter = m_filter == FrameFilter();
  while (m_next < end && budget-- > 0) {
    AddNotesBefore(m_next);
    const Frame& f = frames[m_next];
    StanzaKind kind = report && m_next < report->kinds.size() ? report->kinds[m_next] : StanzaKind::OtherXml;
    bool keep = no_filter;
    if (!keep) {
      keep = (f.dir == Direction::Sent && m_filter.sent) || (f.dir == Direction::Received && m_filter.received) ||
             (f.dir == Direction::Error && m_filter.errors);
      keep = keep && (m_filter.kinds >> unsigned(kind) & 1u);
      if (keep && !m_lower.empty())
        keep = ContainsIgnoreCase(f.payload, m_lower) || ContainsIgnoreCase(StanzaKindName(kind), m_lower);
    }
    if (keep) m_rows.push_back(uint32_t(m_next));
    ++m_next;
  }
  if (m_next >= frames.size()) AddNotesBefore(frames.size());
  return Complete();
}

// [SECTION] Workspace

Workspace::Workspace() = default;
Workspace::~Workspace() = default;

Capture& Workspace::BeginLive(bool append, std::string name) {
  if (append && m_live_checker) return *m_capture;
  m_importer.reset();
  m_checker.reset();
  m_pending_capture.reset();
  m_companion_capture.reset();  // a log added beside a HAR does not belong to a live session
  m_companion_report.reset();
  m_companion_name.clear();
  m_views.clear();
  m_live_checker.reset();
  m_report.reset();
  m_capture = std::make_unique<Capture>();
  m_live_checker = std::make_unique<Checker>(*m_capture, m_options);
  m_shown = &m_live_checker->Current();
  m_name = std::move(name);
  m_input_bytes = 0;
  ++m_generation;
  ++m_revision;
  return *m_capture;
}

void Workspace::AddLiveFinding(size_t connection, Finding finding) {
  if (m_live_checker) m_live_checker->AddFinding(connection, std::move(finding));
}

void Workspace::LiveChanged() {
  if (!m_live_checker) return;
  m_live_checker->Step(SIZE_MAX);  // only the frames appended since the last call
  m_shown = &m_live_checker->Current();
  ++m_revision;
}

const std::vector<uint32_t>& Workspace::ProblemFrames(size_t connection) const {
  if (m_problems_for != m_revision) {
    m_problems.clear();
    for (const ConnectionReport& c : m_shown->connections) {
      // The same flags the frames table colours by: one list, from the checker.
      std::vector<uint32_t> p;
      for (size_t i = 0; i < c.flags.size(); ++i)
        if (c.IsProblem(i)) p.push_back(uint32_t(i));
      m_problems.push_back(std::move(p));
    }
    m_problems_for = m_revision;
  }
  static const std::vector<uint32_t> none;
  return connection < m_problems.size() ? m_problems[connection] : none;
}

void Workspace::Load(std::string bytes, std::string name, const CheckOptions& options) {
  m_checker.reset();
  m_pending_capture.reset();
  m_pending_name = std::move(name);
  m_pending_bytes = bytes.size();
  m_options = options;
  m_importer = MakeImporter(std::move(bytes));
}

void Workspace::Step(size_t byte_budget, size_t frame_budget) {
  if (m_importer) {
    if (!m_importer->Step(byte_budget)) return;
    m_pending_capture = std::make_unique<Capture>(m_importer->Take());
    m_importer.reset();
    m_checker = std::make_unique<Checker>(*m_pending_capture, m_options);
    return;
  }
  if (m_checker && m_checker->Step(frame_budget)) Completed();
}

void Workspace::Completed() {
  auto report = std::make_unique<Report>(m_checker->Take());
  m_checker.reset();
  m_views.clear();
  m_companion_capture.reset();
  m_companion_report.reset();
  m_companion_name.clear();
  // A loaded input replaces a live capture: the page stops its session before it loads.
  m_live_checker.reset();
  m_capture = std::move(m_pending_capture);
  m_report = std::move(report);
  m_shown = m_report.get();
  m_name = std::move(m_pending_name);
  m_input_bytes = m_pending_bytes;
  ++m_generation;
  ++m_revision;
}

std::string Workspace::Add(std::string bytes, const std::string& name) {
  if (!Loaded() || IsLive() || Busy()) return "load a HAR or a desktop client log first, then add the other one";
  auto capture = std::make_unique<Capture>(ImportCapture(std::move(bytes)));
  const bool log = capture->format == "finesse-desktop-log";
  const bool have_log = m_report->finesse.desktop.present;
  const bool har_on_screen = m_capture && m_capture->format == "har";
  if (log == have_log || (!log && capture->format != "har") || (log && !har_on_screen))
    return log ? "a desktop client log is already on screen: add a HAR of the same session to it"
               : "add a Finesse desktop client log to a HAR (or a HAR to a log), from the same session";
  auto report = std::make_unique<Report>(Check(*capture, m_options));
  if (log) {
    m_companion_capture = std::move(capture);
    m_companion_report = std::move(report);
    m_companion_name = name;
  } else {
    // The HAR becomes the primary input; the log on screen goes beside it.
    m_companion_capture = std::move(m_capture);
    m_companion_report = std::move(m_report);
    m_companion_name = std::move(m_name);
    m_capture = std::move(capture);
    m_report = std::move(report);
    m_name = name;
  }
  m_companion_report->capture = m_companion_capture.get();
  m_report->capture = m_capture.get();
  m_shown = m_report.get();
  m_views.clear();
  ++m_generation;
  ++m_revision;
  return {};
}

double Workspace::Progress() const {
  // Reading is most of the work; checking the rest.
  if (m_importer) return 0.8 * m_importer->Progress();
  if (m_checker) return 0.8 + 0.2 * m_checker->Progress();
  return 1.0;
}

const char* Workspace::Stage() const { return m_importer ? "reading" : m_checker ? "checking" : ""; }

const FrameView& Workspace::View(size_t connection, size_t frame) {
  uint64_t key = uint64_t(connection) << 32 | uint64_t(frame);
  auto it = m_views.find(key);
  if (it != m_views.end()) return it->second;
  if (m_views.size() > 4096) m_views.clear();  // only the rows on screen need to stay
  FrameView v;
  const Frame& f = GetCapture().connections.at(connection).frames.at(frame);
  if (f.dir == Direction::Error) {
    v.summary = "error: " + std::string(f.payload.substr(0, 200));
  } else if (f.opcode == opcode::kClose) {
    int code = f.payload.size() >= 2 ? (uint8_t(f.payload[0]) << 8 | uint8_t(f.payload[1])) : 0;
    v.summary = "close frame" + (code ? " " + std::to_string(code) : std::string());
  } else if (f.opcode != opcode::kText) {
    v.summary = "binary frame, " + FormatBytes(f.payload.size());
  } else {
    v.stanza = m_parser.Parse(f.payload);
    v.summary = Summarize(v.stanza);
    if (v.stanza.is_pubsub_event) {
      v.update_xml = NotificationXml(v.stanza);
      if (!v.update_xml.empty()) {
        std::string u = SummarizeUpdate(DecodeUpdate(v.update_xml));
        if (!u.empty()) v.summary += " · " + u;
      }
    }
  }
  return m_views.emplace(key, std::move(v)).first->second;
}

}  // namespace fi
