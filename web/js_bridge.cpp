// The whole interface between the wasm and the page's JavaScript, in one place: a few exported
// functions (with one pending byte buffer that JavaScript fills in place) and four calls out.
#include <emscripten.h>

#include <filesystem>
#include <string>

#include "app.h"
#include "import.h"
#include "rapidjson/document.h"
#include "report.h"

namespace fi::web {

App* g_app = nullptr;  // set by main(); the exported functions act on it

namespace {
std::string g_pending;    // bytes the page is handing over
std::string g_result;     // the last string handed back
std::string g_clipboard;  // what ImGui copies and pastes
}  // namespace
std::string g_error;        // why the last fi_alloc refused

EM_JS(void, JsCopy, (const char* text), { Module.finesse.copy(UTF8ToString(text)); });
EM_JS(void, JsDownload, (const char* name, const char* mime, const char* data, int len),
      { Module.finesse.download(UTF8ToString(name), UTF8ToString(mime), HEAPU8.slice(data, data + len)); });
EM_JS(void, JsOpenPicker, (), { Module.finesse.openPicker(); });
EM_JS(void, JsExportSanitized, (), { Module.finesse.exportSanitized(); });
EM_JS(void, JsOpenTab, (const char* url), { Module.finesse.openTab(UTF8ToString(url)); });

void CopyToClipboard(const std::string& text) {
  g_clipboard = text;
  JsCopy(text.c_str());
}
void Download(const std::string& name, const std::string& mime, const std::string& bytes) {
  JsDownload(name.c_str(), mime.c_str(), bytes.data(), int(bytes.size()));
}
void OpenFilePicker() { JsOpenPicker(); }
void OpenInNewTab(const std::string& url) { JsOpenTab(url.c_str()); }
void ExportSanitizedFromPage() { JsExportSanitized(); }

std::vector<std::string> BundledSamples() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/samples", ec))
    if (e.is_regular_file() && e.path().extension() != ".md") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

const char* ClipboardGet(void*) { return g_clipboard.c_str(); }
void ClipboardSet(void*, const char* text) { CopyToClipboard(text ? text : ""); }

}  // namespace fi::web

using namespace fi;
using fi::web::g_app;
using fi::web::g_pending;
using fi::web::g_result;

extern "C" {

// Reserves `size` bytes for the page to fill; the next call takes them, with no copy. Returns
// null, and says why in fi_error(), when the input is over the limit or will not fit in memory.
EMSCRIPTEN_KEEPALIVE char* fi_alloc(size_t size) {
  g_pending = std::string();
  if (!ReserveInput(g_pending, size, &fi::web::g_error)) {
    g_app->Notify("Not loaded: " + fi::web::g_error + ".", true);
    return nullptr;
  }
  return g_pending.data();
}

EMSCRIPTEN_KEEPALIVE const char* fi_error() { return fi::web::g_error.c_str(); }

EMSCRIPTEN_KEEPALIVE double fi_max_input() { return double(kMaxInputBytes); }

// Shows the pending bytes in the UI, as if pasted or dropped.
EMSCRIPTEN_KEEPALIVE void fi_load_pending(const char* name) {
  if (g_app->add_next) g_app->Add(std::move(g_pending), name ? name : "input");  // "Add…" asked for it
  else g_app->Load(std::move(g_pending), name ? name : "input");
}
EMSCRIPTEN_KEEPALIVE void fi_add_pending(const char* name) { g_app->Add(std::move(g_pending), name ? name : "input"); }
EMSCRIPTEN_KEEPALIVE void fi_cancel_add() { g_app->add_next = false; }

// The same JSON report as `finesse-inspect --format json`, for the pending bytes.
EMSCRIPTEN_KEEPALIVE const char* fi_analyze_pending() {
  Capture capture = ImportCapture(std::move(g_pending));
  g_pending = std::string();
  g_result = ReportJson(Check(capture));
  return g_result.c_str();
}

// The pending bytes as a sanitised HAR; "" and an error toast when they are not one.
EMSCRIPTEN_KEEPALIVE const char* fi_sanitize_pending() {
  std::string error;
  g_result = SanitizeHar(g_pending, &error);
  g_pending = std::string();
  if (g_result.empty()) g_app->Notify(error, true);
  return g_result.c_str();
}

EMSCRIPTEN_KEEPALIVE size_t fi_result_size() { return g_result.size(); }

EMSCRIPTEN_KEEPALIVE const char* fi_state() {
  g_result = g_app->StateJson();
  return g_result.c_str();
}

// kind: 0 Markdown report, 1 JSON report.
EMSCRIPTEN_KEEPALIVE const char* fi_export(int kind) {
  g_result = !g_app->workspace.Loaded() ? std::string() : kind == 0 ? g_app->ExportMarkdown() : g_app->ExportJson();
  return g_result.c_str();
}

// Starts a new measurement of the longest frame.
EMSCRIPTEN_KEEPALIVE void fi_reset_stats() { g_app->frame_cpu_max_ms = 0; }

EMSCRIPTEN_KEEPALIVE int fi_wants_text() { return ImGui::GetCurrentContext() && ImGui::GetIO().WantTextInput; }

// A paste while a text field has focus goes to that field through ImGui's clipboard.
EMSCRIPTEN_KEEPALIVE void fi_set_clipboard(const char* text) { fi::web::g_clipboard = text ? text : ""; }

EMSCRIPTEN_KEEPALIVE void fi_load_sample(const char* path) { g_app->LoadSample(path); }

// Starts live mode with options as JSON ({url, domain, pubsubDomain, user, password, resource,
// team, timeoutMs}); returns "" or what is wrong with them.
EMSCRIPTEN_KEEPALIVE const char* fi_connect(const char* json) {
  rapidjson::Document d;
  d.Parse(json ? json : "");
  g_result.clear();
  if (d.HasParseError() || !d.IsObject()) return (g_result = "connect() takes an object").c_str();
  auto str = [&](const char* k, const std::string& def) {
    return d.HasMember(k) && d[k].IsString() ? std::string(d[k].GetString()) : def;
  };
  LiveOptions o;
  o.url = str("url", o.url);
  o.domain = str("domain", "");
  o.pubsub_domain = str("pubsubDomain", "");
  o.user = str("user", "");
  o.password = str("password", "");
  o.resource = str("resource", o.resource);
  o.team = str("team", "");
  if (d.HasMember("timeoutMs") && d["timeoutMs"].IsNumber()) o.step_timeout_s = d["timeoutMs"].GetDouble() / 1000.0;
  if (d.HasMember("pingSeconds") && d["pingSeconds"].IsNumber()) o.ping_interval_s = d["pingSeconds"].GetDouble();
  if (o.domain.empty() || o.user.empty()) return (g_result = "connect() needs domain and user").c_str();
  g_result = g_app->Connect(std::move(o));
  return g_result.c_str();
}

EMSCRIPTEN_KEEPALIVE void fi_disconnect() { g_app->live.Disconnect(fi::web::EpochSeconds()); }

// The JSON report of the live capture so far (the same shape as the CLI's).
EMSCRIPTEN_KEEPALIVE const char* fi_live_report() {
  g_result = g_app->LiveReportJson();
  return g_result.c_str();
}

// The live capture as the HAR the menu saves (secrets masked).
EMSCRIPTEN_KEEPALIVE const char* fi_live_har() {
  g_app->live.Refresh();
  g_result = g_app->workspace.IsLive() ? WriteHar(g_app->workspace.GetCapture()) : std::string();
  return g_result.c_str();
}

// Selects a connection and a frame (both 1-based, as in the reports), as a click would.
EMSCRIPTEN_KEEPALIVE void fi_select(int connection, int frame) {
  g_app->SelectConnection(connection - 1);
  g_app->SelectFrame(frame - 1, true);
}

// Selects a REST request (1-based, its row in the Requests view), as a click would.
EMSCRIPTEN_KEEPALIVE void fi_select_request(int request) {
  g_app->ShowView(fi::web::App::RightView::Requests);
  g_app->SelectRequest(request - 1);
}

// Selects a desktop log's record (1-based, in log order), as a click would.
EMSCRIPTEN_KEEPALIVE void fi_select_record(int record) { g_app->SelectRecord(record - 1, true); }

// Shows a REST request's own detail (1-based), even when it has a notification.
EMSCRIPTEN_KEEPALIVE void fi_show_request(int request) {
  g_app->ShowView(fi::web::App::RightView::Requests);
  g_app->request = request - 1;
  g_app->detail_rest = true;
}

}  // extern "C"
