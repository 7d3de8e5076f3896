// Small text helpers shared by the importers and reports: case-insensitive compares, ISO 8601
// times, base64, and UTF-8 repair.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fi {

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle);
std::string_view Trim(std::string_view s);
std::string ToLower(std::string_view s);

// ISO 8601 date-time ("2024-05-01T10:00:00.123456Z", "...+01:00", "... 10:00:00") to seconds
// since the epoch. A missing offset is read as UTC.
std::optional<double> ParseIsoTime(std::string_view s);
// A time of day ("10:00:00.123") to seconds since midnight.
std::optional<double> ParseTimeOfDay(std::string_view s);
// With `fraction_digits` 3 (as Chrome writes) or 6 (microseconds, so a re-import keeps offsets).
std::string FormatIsoTime(double epoch_seconds, int fraction_digits = 3);

// Returns nullopt on a character outside the base64 alphabet. Whitespace is skipped.
std::optional<std::string> Base64Decode(std::string_view in);
std::string Base64Encode(std::string_view in);

// Offset of the first `c` at or after `from`, or npos: 16 bytes at a time where SSE2 exists (x86,
// and wasm SIMD128 through Emscripten's SSE2 emulation), where the C library's memchr is scalar.
size_t FindByte(std::string_view s, char c, size_t from = 0);
// Offset of the first occurrence of `needle` (non-empty), scanning for its rarest-looking byte.
size_t FindText(std::string_view s, std::string_view needle, size_t from = 0);

// Offset of the first invalid UTF-8 sequence, or nullopt when the text is valid.
std::optional<size_t> FindInvalidUtf8(std::string_view s);
// Replaces each invalid sequence with U+FFFD.
std::string RepairUtf8(std::string_view s);

// The "host:port" part of a URL ("wss://h:8445/ws/" -> "h:8445"); "" when there is none.
std::string HostPortOf(std::string_view url);
// The host alone ("wss://h:8445/ws/" -> "h", "http://[::1]:80/" -> "[::1]").
std::string HostOf(std::string_view url);
// The path, without query or fragment ("https://h/finesse/api/User/1?nocache=1" -> "/finesse/api/User/1").
std::string_view UrlPath(std::string_view url);

// A numeric field of an input (a HAR status or opcode) as an int: `fallback` when the number is
// not finite, not whole, or outside int's range. Converting such a double with int() is undefined
// behaviour (a fuzzer found "status": 2e124), and atoi has the same problem with long strings.
int IntFieldOr(double value, int fallback);
int IntFieldOr(std::string_view text, int fallback);

// Characters (code points) in UTF-8 text: what a terminal or a fixed-width column counts.
size_t Utf8Length(std::string_view s);

// At most `max_bytes` of `s`, never cutting a UTF-8 sequence in two.
std::string_view TruncateUtf8(std::string_view s, size_t max_bytes);

// "1.2 KB" style sizes for reports.
std::string FormatBytes(uint64_t n);

}  // namespace fi
