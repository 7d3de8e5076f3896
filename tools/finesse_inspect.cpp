// finesse-inspect: checks the Finesse notification login in a devtools export or transcript.
//   finesse-inspect [--format text|json|markdown] [--reveal-secrets] FILE   (- reads stdin)
// Exit codes: 0 every connection healthy; 1 problems found, or no connection; 2 usage error or
// nothing could be read.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>

#include "checker.h"
#include "import.h"
#include "report.h"

namespace {

const char* const kUsage =
    "usage: finesse-inspect [--format text|json|markdown] [--reveal-secrets] FILE\n"
    "  FILE   a HAR (Chrome, Edge, Firefox, Safari, Charles, mitmproxy), a BOSH HAR, or a pasted\n"
    "         transcript (SENT:/RECV: lines, IN/OUT blocks, bare XML); - reads standard input\n"
    "  --format          text (default), json (the stable contract) or markdown (for a ticket)\n"
    "  --reveal-secrets  show SASL passwords instead of masking them\n"
    "exit: 0 all healthy, 1 problems found or no connection, 2 usage error or unreadable input\n";

bool ReadAll(FILE* f, std::string& out) {
  char buf[1 << 16];
  size_t n;
  // Standard input has no size to check up front: stop as soon as it passes the limit.
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    out.append(buf, n);
    if (out.size() > fi::kMaxInputBytes) return true;
  }
  return !ferror(f);
}

}  // namespace

int main(int argc, char** argv) {
  std::string format = "text", path;
  fi::CheckOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--format" && i + 1 < argc) format = argv[++i];
    else if (a.rfind("--format=", 0) == 0) format = a.substr(9);
    else if (a == "--reveal-secrets") options.reveal_secrets = true;
    else if (a == "-h" || a == "--help") { std::fputs(kUsage, stdout); return 0; }
    else if (a.size() > 1 && a[0] == '-' && a != "-") { std::fprintf(stderr, "finesse-inspect: unknown option %s\n%s", a.c_str(), kUsage); return 2; }
    else if (path.empty()) path = a;
    else { std::fprintf(stderr, "finesse-inspect: one input file only\n%s", kUsage); return 2; }
  }
  if (path.empty()) { std::fputs(kUsage, stderr); return 2; }
  if (format != "text" && format != "json" && format != "markdown") {
    std::fprintf(stderr, "finesse-inspect: --format must be text, json or markdown, not \"%s\"\n", format.c_str());
    return 2;
  }

  std::string bytes;
  if (path == "-") {
    if (!ReadAll(stdin, bytes)) { std::fprintf(stderr, "finesse-inspect: cannot read standard input\n"); return 2; }
  } else {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) { std::fprintf(stderr, "finesse-inspect: cannot open %s: %s\n", path.c_str(), std::strerror(errno)); return 2; }
    std::fseek(f, 0, SEEK_END);
    long size = std::ftell(f);
    std::fseek(f, 0, SEEK_SET);
    if (size > 0 && uint64_t(size) > fi::kMaxInputBytes) {
      std::fclose(f);
      std::fprintf(stderr, "finesse-inspect: %s: %s\n", path.c_str(), fi::TooLargeMessage(uint64_t(size)).c_str());
      return 2;
    }
    bool ok;
    if (size > 0) {
      // One read straight into the buffer that the importer will parse in situ.
      bytes.reserve(size_t(size) + fi::kInputPadding);  // the importer's padding must not reallocate
      bytes.resize(size_t(size));
      size_t got = std::fread(bytes.data(), 1, bytes.size(), f);
      bytes.resize(got);
      ok = !std::ferror(f) && ReadAll(f, bytes);
    } else {
      ok = ReadAll(f, bytes);  // pipes and special files report no size
    }
    std::fclose(f);
    if (!ok) { std::fprintf(stderr, "finesse-inspect: error reading %s\n", path.c_str()); return 2; }
  }

  fi::Capture capture = fi::ImportCapture(std::move(bytes));
  fi::Report report = fi::Check(capture, options);
  fi::ReportOptions ro;
  ro.source_name = path == "-" ? "stdin" : path;
  ro.secrets_revealed = options.reveal_secrets;
  std::string out = format == "json" ? fi::ReportJson(report, true) + "\n"
                    : format == "markdown" ? fi::ReportMarkdown(report, ro)
                                           : fi::ReportText(report, ro);
  std::fwrite(out.data(), 1, out.size(), stdout);

  // Nothing readable at all: the input was empty, binary, or failed before any entry.
  bool unreadable = report.connections.empty() && !capture.errors.empty() && capture.entries == 0;
  if (unreadable) {
    std::fprintf(stderr, "finesse-inspect: %s\n", capture.errors.front().c_str());
    return 2;
  }
  if (capture.format == "finesse-desktop-log") return report.finesse.HasProblem() ? 1 : 0;
  if (report.XmppConnections() == 0) {
    if (format != "text") std::fprintf(stderr, "finesse-inspect: no WebSocket or BOSH XMPP connection found\n");
    return 1;
  }
  return report.AllHealthy() && !report.finesse.HasProblem() ? 0 : 1;
}
