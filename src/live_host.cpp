// The live session's owner: driver, timers, and the hand-over between tests.
#include "live_host.h"

#include <chrono>
#include <vector>

namespace fi {

namespace {
double CpuNowMs() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

LiveHost::LiveHost(Workspace& workspace, MakeIo make_io) : m_workspace(workspace), m_make_io(std::move(make_io)) {}

LiveHost::~LiveHost() {
  // The page is going: a last clean word to the server, not a wait for its answer.
  if (m_driver) Stop(m_now);
}

std::string LiveHost::Validate(const LiveOptions& o) {
  if (LiveTransportOf(o.url) == LiveTransport::Unknown)
    return "the URL must be ws:// or wss:// (WebSocket), or http:// or https:// ending in /http-bind/ (BOSH)";
  if (o.domain.empty() || o.user.empty()) return "the XMPP domain and the user are needed";
  return {};
}

bool LiveHost::Active() const {
  return m_driver && (m_driver->Phase() != LivePhase::Closed || m_timers.count(kReconnectTimer) > 0);
}

std::string LiveHost::Connect(LiveOptions options, double now) {
  std::string why = Validate(options);
  if (!why.empty()) return why;
  const bool append = Active() && m_workspace.IsLive();
  if (m_driver) {
    // The running session ends first, cleanly, and its end is recorded before the new one starts.
    Execute(now, m_driver->Stop(now));
    Publish();
  }
  m_io.reset();
  m_timers.clear();
  m_driver.reset();
  Capture& capture = m_workspace.BeginLive(append, "live session");
  m_findings_published = 0;
  m_published_revision = ~0ull;
  m_driver = std::make_unique<LiveDriver>(std::move(options), capture);
  ++m_sessions;
  m_io = m_make_io(*this, m_driver->Transport());
  Execute(now, m_driver->Start(now));
  Publish();
  return {};
}

void LiveHost::Disconnect(double now) {
  if (m_driver) Execute(now, m_driver->Disconnect(now));
  Publish();
}

void LiveHost::Reconnect(double now) {
  if (m_driver && m_workspace.IsLive()) Execute(now, m_driver->Reconnect(now));
  Publish();
}

void LiveHost::Stop(double now) {
  if (!m_driver) return;
  Execute(now, m_driver->Stop(now));
  Publish();
  m_io.reset();
  m_timers.clear();
  m_driver.reset();
}

void LiveHost::Tick(double now) {
  if (!m_driver) return;
  // Fire what is due; a fired timer may arm others, so collect first.
  std::vector<int> due;
  for (const auto& [id, at] : m_timers)
    if (at <= now) due.push_back(id);
  for (int id : due) {
    m_timers.erase(id);
    if (m_driver) Execute(now, m_driver->Timer(now, id));
  }
  const double started = CpuNowMs();
  Publish();
  m_cpu_ms += CpuNowMs() - started;
}

void LiveHost::Publish() {
  if (!m_driver || !m_workspace.IsLive()) return;
  const auto& findings = m_driver->LiveFindings();
  for (; m_findings_published < findings.size(); ++m_findings_published)
    m_workspace.AddLiveFinding(findings[m_findings_published].connection, findings[m_findings_published].finding);
  if (m_driver->Revision() == m_published_revision) return;
  m_published_revision = m_driver->Revision();
  m_workspace.LiveChanged();
}

template <typename F>
void LiveHost::Timed(double now, F&& call) {
  if (!m_driver) return;
  // Our overhead: the driver's own work per event (parsing, deciding, recording), not the
  // browser's socket or fetch() calls, which any client pays.
  const double started = CpuNowMs();
  LiveDriver::Commands out = call();
  m_cpu_ms += CpuNowMs() - started;
  ++m_events;
  Execute(now, std::move(out));
}

void LiveHost::Opened(double now, std::string_view protocol) { Timed(now, [&] { return m_driver->Opened(now, protocol); }); }
void LiveHost::Received(double now, std::string_view text) { Timed(now, [&] { return m_driver->Received(now, text); }); }
void LiveHost::Closed(double now, int code, std::string_view reason) {
  if (m_driver) Execute(now, m_driver->Closed(now, code, reason));
}
void LiveHost::Error(double now, std::string_view what) {
  if (m_driver) Execute(now, m_driver->Error(now, what));
}
void LiveHost::Answered(double now, int request, int status, std::string_view body) {
  Timed(now, [&] { return m_driver->Answered(now, request, status, body); });
}
void LiveHost::Failed(double now, int request, HttpFailure why, std::string_view what) {
  if (m_driver) Execute(now, m_driver->Failed(now, request, why, what));
}

void LiveHost::Execute(double now, LiveDriver::Commands commands) {
  m_now = now;
  for (const LiveCommand& c : commands) {
    switch (c.kind) {
      case LiveCommandKind::StartTimer:
        m_timers[c.timer] = now + c.seconds;
        break;
      case LiveCommandKind::StopTimer:
        m_timers.erase(c.timer);
        break;
      default:
        // The transport may answer at once (a URL the browser refuses): that re-enters here.
        if (m_io) m_io->Execute(c);
        break;
    }
  }
}

}  // namespace fi
