// The page's application state: one explicit struct the views read and write (no
// function-local statics), plus the declarations of the views, one file each.
//
// [SECTION] App state
// [SECTION] Views (view_*.cpp)
// [SECTION] The bridge to the page's JavaScript (js_bridge.cpp)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "imgui.h"
#include "live_transport.h"
#include "workspace.h"

namespace fi::web {

// [SECTION] App state

enum class Theme { Dark, Light };

struct Toast {
  std::string text;
  double until_s;
  bool error;
};

// Where a clickable thing was drawn, in CSS pixels, so browser tests can click it for real.
struct UiRect {
  std::string id;
  float x, y, w, h;
};

// Frames bucketed by time for the timeline strip; rebuilt only when its inputs change.
struct TimelineCache {
  uint64_t generation = ~0ull;
  int connection = -1;
  int columns = 0;
  double t0 = 0, t1 = 0;
  std::vector<uint32_t> sent, received, errors;
  std::vector<std::pair<double, double>> gaps;  // silent stretches, [from, to] in seconds
  size_t frames = 0;                            // frames counted in so far
  double prev = 0, gap_min = 5;                 // for counting in more
};

// The live form's fields. The password lives only here and in the running session, never in
// storage, a URL, a log or an export.
struct LiveForm {
  char url[256] = "wss://host:8445/ws/";
  char domain[128] = "";
  char pubsub[128] = "";
  char user[64] = "";
  char password[128] = "";
  char resource[64] = "inspector";
  char team[32] = "";
  float timeout_s = 10;
  bool open = false;
};

struct App {
  Workspace workspace;
  uint64_t seen_generation = 0;

  // Selection
  int connection = 0;
  int step = -1;
  int frame = -1;
  bool scroll_to_frame = false;

  // Frames view
  char filter_text[256] = {};
  FrameFilter filter;
  FrameIndex index;
  bool index_dirty = true;

  // Requests view (the REST calls of a HAR)
  enum class RightView { Frames, Records, Requests } right_view = RightView::Frames;
  bool right_view_pending = false;  // switch the tab bar on the next frame
  int request = -1;                 // index in the report's finesse.requests
  bool detail_rest = false;         // the detail pane shows that request, not a frame

  // Records view (a desktop client log)
  int record = -1;  // index in the capture's log_records
  bool scroll_to_record = false;
  std::vector<uint32_t> record_rows;  // the records the filter lets through
  bool records_dirty = true;
  uint64_t records_for = ~0ull;  // the workspace generation record_rows was built for

  // Detail view
  bool reveal_secret = false;

  TimelineCache timeline;

  // Live mode: the host runs the session over the workspace's live capture.
  LiveForm form;
  LiveHost live{workspace, MakePageIo};
  std::optional<LiveOptions> pending_connect;  // started at the top of the next frame
  size_t live_connections = 0;                  // connections on screen, to follow a new one
  uint64_t seen_revision = 0;

  // Look
  Theme theme = Theme::Dark;
  float dpr = 1.0f;
  float base_font_px = 15.0f;
  float fonts_built_for = 0.0f;  // the scale the font atlas was built at
  ImFont* font_ui = nullptr;
  ImFont* font_mono = nullptr;

  // Messages and layout facts for tests
  std::vector<Toast> toasts;
  std::vector<UiRect> rects;
  std::string source_path;  // a bundled sample's path; empty when the input came from the page
  double load_started_s = 0;
  double first_analysis_ms = -1;
  double frame_cpu_ms = 0;      // our own work per frame (UI and loading), smoothed
  double frame_cpu_max_ms = 0;  // the longest since resetStats()  // navigation-independent: from main() to the first report drawn

  void Load(std::string bytes, std::string name, std::string source_path = {});
  // A desktop client log beside the HAR on screen (or a HAR beside the log): one time axis.
  void Add(std::string bytes, std::string name);
  bool add_next = false;  // the next paste or dropped file is added rather than loaded
  void LoadSample(const std::string& path);
  void Tick(double budget_ms);
  void OnLoaded();

  const Connection* CurrentConnection() const;
  const ConnectionReport* CurrentReport() const;
  void SelectConnection(int c);
  void SelectFrame(int f, bool scroll);
  void SelectStep(int s);
  // A REST request: its notification frame when one came, else the request's own detail.
  void SelectRequest(int i);
  void ShowView(RightView v);
  void SelectRecord(int i, bool scroll);
  void SelectRecordAtLine(uint32_t line);
  void JumpProblem(int direction);

  void Notify(std::string text, bool error);
  void Rect(const std::string& id);  // records the last item's rect
  std::string StateJson() const;
  // The selected frame as the detail pane shows it: pretty, secrets masked unless revealed.
  std::string DetailText() const;
  std::vector<std::string> rows_drawn;  // summaries of the frame rows on screen, for the audit
  std::string ExportMarkdown() const;
  std::string ExportJson() const;
  void ExportSanitized();

  // Starts a test at the top of the next frame, before any view draws, so nothing a view holds
  // this frame is replaced under it. "" or what is wrong with the options.
  std::string Connect(LiveOptions options);
  void LiveTick(double now);
  std::string LiveReportJson();  // up to the last event, not the last frame
};

double NowSeconds();   // monotonic, for budgets and frame timing
double EpochSeconds(); // wall clock with monotonic precision, for recorded frames (HAR times)

// [SECTION] Views (view_*.cpp)

void DrawToolbar(App& app);
void DrawConnections(App& app);
void DrawSteps(App& app);
void DrawFindings(App& app);
void DrawTimeline(App& app);
void DrawFrames(App& app);
void DrawRequests(App& app);
void DrawRightViews(App& app);  // Frames (or a log's Records), and Requests when there are REST calls
bool IsDesktopLog(const App& app);  // the input on screen is a desktop client log
// The desktop client log on screen: the input itself, or one added beside a HAR; nulls when none.
struct LogSource {
  const Capture* capture = nullptr;
  const Report* report = nullptr;
};
LogSource LogOnScreen(const App& app);
// The log's connection-status lane on [t0, t1] (the HAR's time axis when added beside one).
void DrawStatusLane(App& app, const DesktopFacts& d, double t0, double t1);
void DrawDesktopFacts(App& app);  // in place of the connections and steps
void DrawRecords(App& app);
void DrawRecordDetail(App& app);
std::string RecordDetailText(const App& app);
void DrawDesktopTimeline(App& app);
// The agent's states on [t0, t1]; `user` empty: the connection's own agent, else the first named.
void DrawStateLane(App& app, const std::string& user, double t0, double t1);
void DrawRestDetail(App& app);
std::string RestDetailText(const App& app);
void DrawDetail(App& app);
void DrawOverlay(App& app);  // progress, drop hint, toasts
void DrawLive(App& app);     // the live form and its progress

void ApplyTheme(Theme theme, float scale);
ImVec4 StatusColor(StepStatus s);
ImVec4 SeverityColor(Severity s);
ImVec4 VerdictColor(Verdict v);
const char* StatusMark(StepStatus s);
std::string FormatMs(double ms);
// Draws pretty-printed XML with tag, attribute and value colours.
void XmlText(const std::string& pretty);

// [SECTION] The bridge to the page's JavaScript (js_bridge.cpp)

void CopyToClipboard(const std::string& text);
void Download(const std::string& name, const std::string& mime, const std::string& bytes);
void OpenFilePicker();
void OpenInNewTab(const std::string& url);
void ExportSanitizedFromPage();  // the page holds the bytes of what it gave us
std::vector<std::string> BundledSamples();

}  // namespace fi::web
