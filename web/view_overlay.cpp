// Over everything: the progress of a large load, and short messages (toasts).
#include "app.h"

namespace fi::web {

void DrawOverlay(App& app) {
  ImGuiIO& io = ImGui::GetIO();
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                 ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoMove;
  if (app.workspace.Busy()) {
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowBgAlpha(0.95f);
    ImGui::Begin("progress", nullptr, flags);
    ImGui::Text("%s %s…", app.workspace.Stage()[0] == 'r' ? "Reading" : "Checking",
                app.source_path.empty() ? "the input" : "the sample");
    ImGui::ProgressBar(float(app.workspace.Progress()), ImVec2(ImGui::GetFontSize() * 22, 0));
    ImGui::End();
  }
  const double now = NowSeconds();
  app.toasts.erase(std::remove_if(app.toasts.begin(), app.toasts.end(), [&](const Toast& t) { return t.until_s < now; }),
                   app.toasts.end());
  if (app.toasts.empty()) return;
  const float pad = 12 * app.dpr;
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x - pad, io.DisplaySize.y - pad), ImGuiCond_Always, ImVec2(1, 1));
  ImGui::SetNextWindowBgAlpha(0.95f);
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(io.DisplaySize.x * 0.45f, io.DisplaySize.y * 0.5f));
  ImGui::Begin("toasts", nullptr, flags);
  ImGui::PushTextWrapPos(io.DisplaySize.x * 0.42f);
  for (const Toast& t : app.toasts) {
    if (t.error) ImGui::TextColored(StatusColor(StepStatus::Failed), "%s", t.text.c_str());
    else ImGui::TextUnformatted(t.text.c_str());
  }
  ImGui::PopTextWrapPos();
  ImGui::End();
}

}  // namespace fi::web
