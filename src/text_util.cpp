// Small text helpers shared by the importers and reports.
#include "text_util.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <limits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fi {

static char Lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                        [](char a, char b) { return Lower(a) == Lower(b); });
  return it != haystack.end();
}

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return s.substr(b, e - b);
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

// Howard Hinnant's days_from_civil: days since 1970-01-01 in the proleptic Gregorian calendar.
static int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int64_t(doe) - 719468;
}

namespace {
struct Cursor {
  std::string_view s;
  size_t i = 0;
  bool Digits(int n, int& out) {
    if (i + size_t(n) > s.size()) return false;
    int v = 0;
    for (int k = 0; k < n; ++k) {
      char c = s[i + size_t(k)];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    i += size_t(n);
    out = v;
    return true;
  }
  bool Eat(char c) {
    if (i < s.size() && s[i] == c) { ++i; return true; }
    return false;
  }
  // ".123456" -> 0.123456; any number of digits.
  double Fraction() {
    double f = 0, scale = 0.1;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        f += (s[i] - '0') * scale;
        scale /= 10;
        ++i;
      }
    }
    return f;
  }
};
}  // namespace

std::optional<double> ParseTimeOfDay(std::string_view s) {
  Cursor c{Trim(s)};
  int hh, mm, ss;
  if (!c.Digits(2, hh) || !c.Eat(':') || !c.Digits(2, mm) || !c.Eat(':') || !c.Digits(2, ss)) return std::nullopt;
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  double frac = c.Fraction();
  if (c.i != c.s.size()) return std::nullopt;
  return hh * 3600.0 + mm * 60.0 + ss + frac;
}

std::optional<double> ParseIsoTime(std::string_view s) {
  Cursor c{Trim(s)};
  int y, mo, d, hh, mm, ss = 0;
  if (!c.Digits(4, y) || !c.Eat('-') || !c.Digits(2, mo) || !c.Eat('-') || !c.Digits(2, d)) return std::nullopt;
  if (!c.Eat('T') && !c.Eat(' ') && !c.Eat('t')) return std::nullopt;
  if (!c.Digits(2, hh) || !c.Eat(':') || !c.Digits(2, mm)) return std::nullopt;
  if (c.Eat(':') && !c.Digits(2, ss)) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  double frac = c.Fraction();
  int offset = 0;
  if (c.Eat('Z') || c.Eat('z')) {
  } else if (c.i < c.s.size() && (c.s[c.i] == '+' || c.s[c.i] == '-')) {
    int sign = c.s[c.i] == '-' ? -1 : 1;
    ++c.i;
    int oh, om = 0;
    if (!c.Digits(2, oh)) return std::nullopt;
    c.Eat(':');
    if (c.i < c.s.size() && !c.Digits(2, om)) return std::nullopt;
    offset = sign * (oh * 3600 + om * 60);
  }
  if (c.i != c.s.size()) return std::nullopt;
  int64_t days = DaysFromCivil(y, unsigned(mo), unsigned(d));
  return double(days * 86400 + hh * 3600 + mm * 60 + ss - offset) + frac;
}

std::string FormatIsoTime(double t, int fraction_digits) {
  if (!std::isfinite(t) || t < 0 || t > 253402300799.0) return "";
  const int digits = fraction_digits == 6 ? 6 : 3;
  const long long scale = digits == 6 ? 1000000 : 1000;
  long long units = (long long)std::llround(t * double(scale));
  time_t secs = time_t(units / scale);
  long long frac = units % scale;
  struct tm tmv;
#if defined(_WIN32)
  gmtime_s(&tmv, &secs);
#else
  gmtime_r(&secs, &tmv);
#endif
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%0*lldZ", tmv.tm_year + 1900, tmv.tm_mon + 1, tmv.tm_mday,
                tmv.tm_hour, tmv.tm_min, tmv.tm_sec, digits, frac);
  return buf;
}

static int Base64Value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

std::optional<std::string> Base64Decode(std::string_view in) {
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    if (c == '=' ) break;
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    int v = Base64Value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(char((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::string Base64Encode(std::string_view in) {
  static const char* const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = uint32_t(uint8_t(in[i])) << 16 | uint32_t(uint8_t(in[i + 1])) << 8 | uint8_t(in[i + 2]);
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (i < in.size()) {
    uint32_t v = uint32_t(uint8_t(in[i])) << 16;
    if (i + 1 < in.size()) v |= uint32_t(uint8_t(in[i + 1])) << 8;
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid (overlongs, surrogates
// and code points above U+10FFFF included).
static size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return uint8_t(s[k]); };
  uint8_t c = byte(i);
  if (c < 0x80) return 1;
  size_t n;
  uint8_t lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) { n = 3; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
  else if (c >= 0xF0 && c <= 0xF4) { n = 4; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
  else return 0;
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  return n;
}

size_t FindByte(std::string_view s, char c, size_t from) {
  size_t i = from;
#if defined(__SSE2__)
  const __m128i target = _mm_set1_epi8(c);
  for (; i + 16 <= s.size(); i += 16) {
    __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(block, target));
    if (mask) return i + size_t(__builtin_ctz(unsigned(mask)));
  }
#endif
  for (; i < s.size(); ++i)
    if (s[i] == c) return i;
  return std::string_view::npos;
}

size_t FindText(std::string_view s, std::string_view needle, size_t from) {
  // Anchor on the needle's last byte, usually rarer in text than its first.
  const size_t last = needle.size() - 1;
  size_t i = from + last;
  while (i < s.size()) {
    size_t hit = FindByte(s, needle[last], i);
    if (hit == std::string_view::npos) return hit;
    if (s.compare(hit - last, needle.size(), needle) == 0) return hit - last;
    i = hit + 1;
  }
  return std::string_view::npos;
}

std::optional<size_t> FindInvalidUtf8(std::string_view s) {
  size_t i = 0;
#if defined(__SSE2__)
  // Most text is ASCII: skip 16 bytes at a time while no byte has its high bit set.
  while (i + 16 <= s.size() &&
         _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i))) == 0)
    i += 16;
#endif
  while (i < s.size()) {
    // Fast path: eight ASCII bytes at a time.
    if (i + 8 <= s.size()) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if ((word & 0x8080808080808080ull) == 0) { i += 8; continue; }
    }
    if (uint8_t(s[i]) < 0x80) { ++i; continue; }
    size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

std::string RepairUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.data() + i, n);
      i += n;
    }
  }
  return out;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string_view TruncateUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;  // s[end] starts the next character
  return s.substr(0, end);
}

int IntFieldOr(double value, int fallback) {
  if (!std::isfinite(value) || value != std::floor(value)) return fallback;
  if (value < double(std::numeric_limits<int>::min()) || value > double(std::numeric_limits<int>::max())) return fallback;
  return int(value);
}

int IntFieldOr(std::string_view text, int fallback) {
  std::string_view t = Trim(text);
  if (t.empty() || t.size() > 32) return fallback;
  std::string s(t);
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return fallback;
  return IntFieldOr(v, fallback);
}

std::string HostPortOf(std::string_view url) {
  size_t scheme = url.find("://");
  size_t begin = scheme == std::string_view::npos ? 0 : scheme + 3;
  return std::string(url.substr(begin, url.find('/', begin) - begin));
}

std::string HostOf(std::string_view url) {
  std::string hp = HostPortOf(url);
  size_t colon = hp.rfind(':');
  if (colon != std::string::npos && hp.find(']', colon) == std::string::npos) hp.resize(colon);
  return hp;
}

std::string_view UrlPath(std::string_view url) {
  size_t scheme = url.find("://");
  size_t begin = scheme == std::string_view::npos ? 0 : url.find('/', scheme + 3);
  if (begin == std::string_view::npos) return {};
  std::string_view path = url.substr(begin);
  return path.substr(0, path.find_first_of("?#"));
}

std::string FormatBytes(uint64_t n) {
  char buf[32];
  if (n < 1024) std::snprintf(buf, sizeof buf, "%llu B", (unsigned long long)n);
  else if (n < 1024 * 1024) std::snprintf(buf, sizeof buf, "%.1f KB", double(n) / 1024);
  else if (n < 1024ull * 1024 * 1024) std::snprintf(buf, sizeof buf, "%.1f MB", double(n) / (1024 * 1024));
  else std::snprintf(buf, sizeof buf, "%.2f GB", double(n) / (1024.0 * 1024 * 1024));
  return buf;
}

}  // namespace fi
