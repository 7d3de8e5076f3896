// The page's main loop: GLFW (Emscripten's) and WebGL2 under Dear ImGui. The UI works in the
// canvas's device pixels, with fonts and sizes scaled by devicePixelRatio, so text is crisp on
// HiDPI screens and mouse coordinates (which Emscripten reports in backing pixels) line up.
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cmath>
#include <cstdio>

#include "app.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"

namespace fi::web {
extern App* g_app;
const char* ClipboardGet(void*);
void ClipboardSet(void*, const char*);

namespace {

struct Platform {
  GLFWwindow* window = nullptr;
  App app;
  int fb_w = 0, fb_h = 0;
  double started_s = 0;
};

// Follows the browser: the canvas's CSS size (from the page's stylesheet) times the pixel ratio.
void FollowCanvasSize(Platform& p) {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  float dpr = float(emscripten_get_device_pixel_ratio());
  if (dpr <= 0) dpr = 1;
  int w = std::max(1, int(std::lround(css_w * dpr))), h = std::max(1, int(std::lround(css_h * dpr)));
  if (w != p.fb_w || h != p.fb_h) {
    emscripten_set_canvas_element_size("#canvas", w, h);
    p.fb_w = w;
    p.fb_h = h;
  }
  p.app.dpr = dpr;
}

void BuildFonts(App& app) {
  float scale = app.dpr;
  if (app.fonts_built_for == scale) return;
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig cfg;
  cfg.OversampleH = 2;
  cfg.PixelSnapH = false;
  // DejaVu from Debian's fonts-dejavu-core, embedded at build time; with the Latin range plus
  // the arrows and marks the views use.
  static const ImWchar ranges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x21FF, 0x2022, 0x2022,
                                   0x2713, 0x2717, 0x25A0, 0x25CF, 0x2B00, 0x2BFF, 0};
  app.font_ui = io.Fonts->AddFontFromFileTTF("/fonts/DejaVuSans.ttf", app.base_font_px * scale, &cfg, ranges);
  app.font_mono = io.Fonts->AddFontFromFileTTF("/fonts/DejaVuSansMono.ttf", (app.base_font_px - 1) * scale, &cfg, ranges);
  if (!app.font_ui) app.font_ui = io.Fonts->AddFontDefault();
  if (!app.font_mono) app.font_mono = app.font_ui;
  io.Fonts->Build();
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  ApplyTheme(app.theme, scale);
  app.fonts_built_for = scale;
}

void Frame(void* arg) {
  Platform& p = *static_cast<Platform*>(arg);
  App& app = p.app;
  const double frame_start = NowSeconds();
  FollowCanvasSize(p);
  glfwPollEvents();
  BuildFonts(app);
  app.Tick(8.0);

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(float(p.fb_w), float(p.fb_h));
  io.DisplayFramebufferScale = ImVec2(1, 1);
  ImGui::NewFrame();

  app.rects.clear();
  app.rows_drawn.clear();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                           ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_MenuBar;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
  ImGui::Begin("Finesse Inspector", nullptr, flags);
  ImGui::PopStyleVar();
  DrawToolbar(app);
  const float pad = ImGui::GetStyle().ItemSpacing.x;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float left_w = std::floor(avail.x * 0.40f);
  ImGui::BeginChild("left", ImVec2(left_w, avail.y), false);
  DrawLive(app);
  if (IsDesktopLog(app)) {
    DrawDesktopFacts(app);
  } else {
    DrawConnections(app);
    DrawSteps(app);
  }
  DrawFindings(app);
  ImGui::EndChild();
  ImGui::SameLine(0, pad);
  ImGui::BeginChild("right", ImVec2(0, avail.y), false);
  DrawTimeline(app);
  DrawRightViews(app);
  DrawDetail(app);
  ImGui::EndChild();
  ImGui::End();
  DrawOverlay(app);
  ImGui::Render();

  glViewport(0, 0, p.fb_w, p.fb_h);
  ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  const double spent_ms = (NowSeconds() - frame_start) * 1000.0;
  app.frame_cpu_ms = 0.9 * app.frame_cpu_ms + 0.1 * spent_ms;
  app.frame_cpu_max_ms = std::max(app.frame_cpu_max_ms, spent_ms);

  if (app.first_analysis_ms < 0 && app.workspace.Loaded())
    app.first_analysis_ms = (NowSeconds() - p.started_s) * 1000.0;
}

}  // namespace
}  // namespace fi::web

int main() {
  using namespace fi::web;
  static Platform p;
  p.started_s = NowSeconds();
  g_app = &p.app;
  if (!glfwInit()) {
    std::fprintf(stderr, "finesse-inspector: glfwInit failed\n");
    return 1;
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  p.window = glfwCreateWindow(1280, 800, "Finesse Inspector", nullptr, nullptr);
  if (!p.window) {
    std::fprintf(stderr, "finesse-inspector: no WebGL2 context; this browser cannot show the inspector\n");
    return 1;
  }
  glfwMakeContextCurrent(p.window);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // nothing is stored in the browser
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  ImGui_ImplGlfw_InitForOpenGL(p.window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  io.GetClipboardTextFn = ClipboardGet;
  io.SetClipboardTextFn = ClipboardSet;
  FollowCanvasSize(p);
  // Open on a bundled sample, so a newcomer sees a full analysis at once.
  auto samples = BundledSamples();
  std::string first = "/samples/ws-server-stopped.har";
  bool found = false;
  for (const auto& s : samples) found = found || s == first;
  if (!found && !samples.empty()) first = samples.front();
  if (!samples.empty()) p.app.LoadSample(first);
  emscripten_set_main_loop_arg(Frame, &p, 0, true);
  return 0;
}
