// Top-level XML element splitter: a tag scanner that tracks depth and quotes, no tree.
#include "xml_split.h"

#include <cctype>
#include <string>

namespace fi {

bool IsStreamHeaderName(std::string_view qname) {
  size_t colon = qname.find(':');
  return colon != std::string_view::npos && qname.substr(colon + 1) == "stream";
}

static bool IsNameChar(char c) {
  return !(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>' || c == '\0');
}

std::vector<XmlPiece> SplitXmlElements(std::string_view s, size_t* stray) {
  std::vector<XmlPiece> pieces;
  if (stray) *stray = std::string_view::npos;
  size_t i = 0, n = s.size();
  int depth = 0;
  size_t start = 0;
  auto skip_to = [&](size_t from, std::string_view end) -> size_t {
    size_t p = s.find(end, from);
    return p == std::string_view::npos ? n : p + end.size();
  };
  while (i < n) {
    if (s[i] != '<') {
      if (depth == 0 && stray && *stray == std::string_view::npos &&
          !(s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        *stray = i;
      ++i;
      continue;
    }
    size_t tag_start = i;
    // "<0.255.0>", "<<<", "<==" or "a < b" in prose open nothing.
    const char next = i + 1 < n ? s[i + 1] : '\0';
    if (!(isalpha((unsigned char)next) || next == '_' || next == '/' || next == '!' || next == '?')) {
      if (depth == 0 && stray && *stray == std::string_view::npos) *stray = i;
      ++i;
      continue;
    }
    if (s.compare(i, 4, "<!--") == 0) { i = skip_to(i + 4, "-->"); continue; }
    if (s.compare(i, 9, "<![CDATA[") == 0) { i = skip_to(i + 9, "]]>"); continue; }
    if (s.compare(i, 2, "<?") == 0) { i = skip_to(i + 2, "?>"); continue; }
    if (s.compare(i, 2, "<!") == 0) { i = skip_to(i + 2, ">"); continue; }
    bool closing = i + 1 < n && s[i + 1] == '/';
    size_t name_begin = i + (closing ? 2 : 1);
    size_t name_end = name_begin;
    while (name_end < n && IsNameChar(s[name_end])) ++name_end;
    std::string_view name = s.substr(name_begin, name_end - name_begin);
    // Find the end of the tag, honouring quoted attribute values.
    size_t j = name_end;
    char quote = 0;
    while (j < n) {
      char c = s[j];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
      ++j;
    }
    if (j >= n) {  // truncated tag
      if (depth == 0) start = tag_start;
      pieces.push_back({s.substr(start), start, false});
      return pieces;
    }
    bool self_closing = !closing && j > name_end && s[j - 1] == '/';
    i = j + 1;
    if (closing) {
      if (depth == 0) {
        // A lone end tag: </stream:stream>, or a stray one that stands as its own piece.
        pieces.push_back({s.substr(tag_start, i - tag_start), tag_start, true});
        continue;
      }
      if (--depth == 0) pieces.push_back({s.substr(start, i - start), start, true});
      continue;
    }
    if (depth == 0) {
      start = tag_start;
      if (self_closing || IsStreamHeaderName(name)) {
        pieces.push_back({s.substr(start, i - start), start, true});
        continue;
      }
    }
    if (!self_closing) ++depth;
  }
  if (depth > 0) pieces.push_back({s.substr(start), start, false});
  return pieces;
}

}  // namespace fi
