// The menu bar: open a file, bundled samples, exports, theme; the loaded input's name.
#include <filesystem>

#include "app.h"

namespace fi::web {

void DrawToolbar(App& app) {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::MenuItem("Open…")) {
    app.add_next = false;  // an Add… whose picker was cancelled must not turn this into an add
    OpenFilePicker();
  }
  app.Rect("open");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Open a HAR or transcript. You can also paste (Ctrl/Cmd+V) or drop a file anywhere.");
  if (ImGui::MenuItem("Add…", nullptr, false, app.workspace.Loaded() && !app.workspace.IsLive())) {
    app.add_next = true;
    OpenFilePicker();
  }
  app.Rect("add");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Add the desktop's client log to the HAR on screen (or a HAR to the log), from the same session:\n"
                      "they are shown on one time axis. The next paste or drop is added too.");
  if (ImGui::BeginMenu("Samples")) {
    for (const std::string& path : BundledSamples()) {
      std::string name = std::filesystem::path(path).filename().string();
      if (ImGui::MenuItem(name.c_str())) app.LoadSample(path);
      app.Rect("sample-" + name);
    }
    ImGui::EndMenu();
  }
  app.Rect("samples");
  const bool loaded = app.workspace.Loaded();
  std::string stem = loaded ? std::filesystem::path(app.workspace.Name()).stem().string() : "report";
  if (ImGui::BeginMenu("Export", loaded)) {
    if (ImGui::MenuItem("Markdown report")) Download(stem + ".report.md", "text/markdown", app.ExportMarkdown());
    app.Rect("export-markdown");
    if (ImGui::MenuItem("JSON report")) Download(stem + ".report.json", "application/json", app.ExportJson());
    app.Rect("export-json");
    if (ImGui::MenuItem("Sanitised HAR (secrets masked)")) app.ExportSanitized();
    app.Rect("export-sanitised");
    if (ImGui::MenuItem("Live session as HAR", nullptr, false, app.workspace.IsLive()))
      Download("live-session.har", "application/json", WriteHar(app.workspace.GetCapture()));
    app.Rect("export-live-har");
    ImGui::EndMenu();
  }
  app.Rect("export");
  if (ImGui::MenuItem(app.theme == Theme::Dark ? "Light theme" : "Dark theme")) {
    app.theme = app.theme == Theme::Dark ? Theme::Light : Theme::Dark;
    ApplyTheme(app.theme, app.dpr);
  }
  app.Rect("theme");
  if (loaded) {
    const Capture& cap = app.workspace.GetCapture();
    std::string what = app.workspace.Name() + "  ·  " + (cap.format == "har" ? "HAR" : cap.format) +
                       (cap.producer.empty() ? "" : " (" + cap.producer + ")");
    float w = ImGui::CalcTextSize(what.c_str()).x;
    ImGui::SameLine(ImGui::GetWindowWidth() - w - ImGui::GetStyle().WindowPadding.x * 2);
    ImGui::TextDisabled("%s", what.c_str());
  }
  ImGui::EndMenuBar();
}

}  // namespace fi::web
