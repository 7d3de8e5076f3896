// Helpers shared by the tests: reading samples, building small captures.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "capture.h"
#include "checker.h"
#include "import.h"

extern bool g_update_golden;

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string Sample(const std::string& name) { return ReadFile(std::string(FI_SAMPLES_DIR) + "/" + name); }

// A transcript in Strophe's raw-log style, for checker tests: lines of "SENT: <xml>" and
// "RECV: <xml>", optionally stamped "10:00:00.000".
inline fi::Capture FromTranscript(const std::string& text) { return fi::ImportCapture(text); }

inline const fi::StepResult& StepOf(const fi::ConnectionReport& c, fi::StepId id) { return c.steps[size_t(id)]; }

inline bool HasFinding(const fi::ConnectionReport& c, const std::string& code) {
  for (const auto& f : c.findings)
    if (f.Code() == code) return true;
  return false;
}

inline const fi::Finding* FindingOf(const fi::ConnectionReport& c, const std::string& code) {
  for (const auto& f : c.findings)
    if (f.Code() == code) return &f;
  return nullptr;
}
