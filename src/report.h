// The three outputs of a check: JSON (the stable contract scripts and the web page rely on),
// a readable text table, and Markdown to paste into a ticket.
#pragma once

#include <string>

#include "checker.h"

namespace fi {

struct ReportOptions {
  std::string source_name;  // the file name, for the headings of text and Markdown
  bool secrets_revealed = false;
};

std::string ReportJson(const Report& report, bool pretty = false);
std::string ReportText(const Report& report, const ReportOptions& options = {});
std::string ReportMarkdown(const Report& report, const ReportOptions& options = {});

}  // namespace fi
