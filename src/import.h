// Importers: bytes in, one Capture out. The format is detected from the content, never from a
// file name.
#pragma once

#include <string>
#include <string_view>

#include "capture.h"

namespace fi {

enum class InputFormat { Empty, Json, Xml, Transcript, Binary };
InputFormat DetectFormat(std::string_view bytes);

// Takes ownership of the bytes (JSON is parsed in situ). Never throws on bad input: problems
// are listed in Capture::errors with where they were found, and what was read before them is
// kept.
Capture ImportCapture(std::string bytes);

// The individual importers, for tests. ImportHar expects a mutable, owned buffer.
Capture ImportHar(std::string bytes);
Capture ImportTranscript(std::string bytes);

}  // namespace fi
