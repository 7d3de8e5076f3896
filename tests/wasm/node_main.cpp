// The core as a wasm module for node: the page's analysis path without the UI, with the same
// memory settings, so the input limit and out-of-memory behaviour can be tested under node.
#include <emscripten.h>
#include <emscripten/heap.h>

#include <string>

#include "checker.h"
#include "import.h"
#include "report.h"

namespace {
std::string g_pending, g_result, g_error;
}

extern "C" {
EMSCRIPTEN_KEEPALIVE char* fi_alloc(double size) {
  if (!fi::ReserveInput(g_pending, uint64_t(size), &g_error)) return nullptr;
  return g_pending.data();
}
EMSCRIPTEN_KEEPALIVE const char* fi_error() { return g_error.c_str(); }
EMSCRIPTEN_KEEPALIVE const char* fi_analyze_pending() {
  fi::Capture capture = fi::ImportCapture(std::move(g_pending));
  g_pending = std::string();
  g_result = fi::ReportJson(fi::Check(capture));
  return g_result.c_str();
}
EMSCRIPTEN_KEEPALIVE double fi_heap_limit() { return double(emscripten_get_heap_max()); }
}
