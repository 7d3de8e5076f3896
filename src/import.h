// Importers: bytes in, one Capture out. The format is detected from the content, never from a
// file name.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "capture.h"

namespace fi {

// Bytes of room an input buffer needs past its end (the importer pads with NULs for RapidJSON's
// 16-byte SIMD reads); reserve them up front so padding never reallocates a huge buffer.
constexpr size_t kInputPadding = 64;

// The largest input the CLI and the page accept: the page's wasm heap (at most 2 GiB) holds
// the input plus about a quarter more while reading. Larger inputs are refused with a message
// before anything is read or allocated.
constexpr uint64_t kMaxInputBytes = uint64_t(1) << 30;
// "the input is 1.20 GB, above the limit of 1.00 GB …", for the CLI and the page.
std::string TooLargeMessage(uint64_t size);

// Sizes `buffer` to hold an input of `size` bytes, or says why not: above kMaxInputBytes, or
// more than this process's memory can take (probed with malloc, which returns null where `new`
// would abort a program built without exceptions, as the page is). Leaves room for reading it.
bool ReserveInput(std::string& buffer, uint64_t size, std::string* error);

enum class InputFormat { Empty, Json, Xml, Transcript, Binary };
InputFormat DetectFormat(std::string_view bytes);

// An import that can run in slices, so a page stays responsive on a 200 MB file.
class Importer {
 public:
  virtual ~Importer() = default;
  // Works through about `budget_bytes` of input; returns true when the import is complete.
  virtual bool Step(size_t budget_bytes) = 0;
  virtual double Progress() const = 0;  // 0 to 1
  // The capture; finishes the import first if Step() has not.
  virtual Capture Take() = 0;
};
std::unique_ptr<Importer> MakeImporter(std::string bytes);
std::unique_ptr<Importer> MakeHarImporter(std::string bytes);

// Takes ownership of the bytes (JSON is parsed in situ). Never throws on bad input: problems
// are listed in Capture::errors with where they were found, and what was read before them is
// kept.
Capture ImportCapture(std::string bytes);

// The individual importers, for tests. ImportHar expects a mutable, owned buffer.
Capture ImportHar(std::string bytes);
Capture ImportTranscript(std::string bytes);

}  // namespace fi
