// Pasted text logs, as people paste them: Strophe/Candy/Converse consoles ("SENT: <xml>", often
// behind a "file.js:1 " prefix), Smack and Android logcat ("D/SMACK( 123): 04:44:51 RCV  (0):"),
// xmpp.js's @xmpp/debug ("⮊ OUT" / "⮈ IN" headers with XML below, "status open <open/>"),
// slixmpp and libstrophe loggers ("DEBUG    SEND:", "conn DEBUG SENT:"), "C:"/"S:", arrows, and
// server-side logs (Prosody "Received[c2s]:", ejabberd "Received XML on stream = <<\"…\">>"),
// whose directions are the server's and are turned around. Bare XML is read too, with directions
// inferred. The format is read from the content.
//
// [SECTION] Markers: where a direction is written, and what follows it
// [SECTION] Pass 1: lines into records and notes
// [SECTION] Orientation: client-side or server-side log
// [SECTION] Pass 2: records into connections
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "bosh.h"
#include "import.h"
#include "text_util.h"
#include "xml_split.h"
#include "xmpp.h"

namespace fi {
namespace {

bool IsAlnum(char c) { return isalnum((unsigned char)c) != 0; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
// "<" that can open an XML element, as opposed to "<0.255.0>", "<<<", "<==" or "<3".
bool OpensElement(std::string_view s, size_t i) {
  if (i + 1 >= s.size() || s[i] != '<') return false;
  char c = s[i + 1];
  return isalpha((unsigned char)c) || c == '_' || c == '/' || c == '?' || c == '!';
}

// [SECTION] Markers: where a direction is written, and what follows it

struct MarkerSpec {
  const char* token;
  Direction dir;
  const char* style;
  bool word;            // a word: case and word boundaries matter
  bool case_sensitive;  // "IN"/"OUT"/"C"/"S"/"RCV": only as written, never "in" in prose
  bool line_start;      // must open the line (after its time stamp): "C:", "S:"
};

const MarkerSpec kMarkers[] = {
    {"SENDING", Direction::Sent, "SENT/RECV", true, false, false},
    {"SENT", Direction::Sent, "SENT/RECV", true, false, false},
    {"SEND", Direction::Sent, "SENT/RECV", true, false, false},
    {"RECEIVED", Direction::Received, "SENT/RECV", true, false, false},
    {"RECEIVING", Direction::Received, "SENT/RECV", true, false, false},
    {"RECV", Direction::Received, "SENT/RECV", true, false, false},
    {"RCV", Direction::Received, "SENT/RECV", true, true, false},
    {"OUT", Direction::Sent, "IN/OUT", true, true, false},
    {"IN", Direction::Received, "IN/OUT", true, true, false},
    {"C", Direction::Sent, "C:/S:", true, true, true},
    {"S", Direction::Received, "C:/S:", true, true, true},
    {"==>", Direction::Sent, "arrows", false, true, false},
    {"<==", Direction::Received, "arrows", false, true, false},
    {">>>", Direction::Sent, "arrows", false, true, false},
    {"<<<", Direction::Received, "arrows", false, true, false},
    {">>", Direction::Sent, ">>/<<", false, true, false},
    {"<<", Direction::Received, ">>/<<", false, true, false},
    {"\xE2\x86\x91", Direction::Sent, "arrows", false, true, false},      // ↑
    {"\xE2\x86\x93", Direction::Received, "arrows", false, true, false},  // ↓
    {"\xE2\xAC\x86", Direction::Sent, "arrows", false, true, false},      // ⬆
    {"\xE2\xAC\x87", Direction::Received, "arrows", false, true, false},  // ⬇
    {"\xE2\xAE\x8A", Direction::Sent, "IN/OUT", false, true, false},      // ⮊ (xmpp.js)
    {"\xE2\xAE\x88", Direction::Received, "IN/OUT", false, true, false},  // ⮈ (xmpp.js)
    // Server-side logs: the server's own words for what it received and sent.
    {"Received XML on stream", Direction::Received, "ejabberd", false, true, false},
    {"Send XML on stream", Direction::Sent, "ejabberd", false, true, false},
    // xmpp.js prints the server's stream header only on its status line.
    {"status open", Direction::Received, "IN/OUT", false, true, false},
    // …and the server's <close/> on the status line that ends a clean logout.
    {"status offline", Direction::Received, "IN/OUT", false, true, false},
    // xmpp_stone (Flutter) logs "sending: <…>" and "response: <xmpp_stone>…".
    {"response", Direction::Received, "SENT/RECV", true, true, false},
};

struct Marker {
  size_t begin = 0;      // where the marker starts on the line
  size_t xml = 0;        // where its XML starts (== line size: on the lines below)
  Direction dir = Direction::Received;
  const char* style = "";
  std::string conn_id;   // Smack's "(0)"
  bool erlang = false;   // the XML is an Erlang binary: <<"…">>
  bool server = false;   // a server-side shape
};

// Reads what may follow a marker token at `i`: a connection number "(0)" or "[c2s]", then
// ':' '=' or blanks, then XML, an Erlang binary, or the end of the line.
bool ReadMarkerTail(std::string_view line, size_t i, Marker& m, bool needs_colon) {
  size_t k = i;
  while (k < line.size() && line[k] == ' ') ++k;
  if (k < line.size() && (line[k] == '(' || line[k] == '[')) {
    char close = line[k] == '(' ? ')' : ']';
    size_t end = line.substr(0, std::min(line.size(), k + 18)).find(close, k);  // short, or none
    if (end == std::string_view::npos) return false;
    std::string_view inside = Trim(line.substr(k + 1, end - k - 1));
    // Smack numbers its connections "(0)"; other words in brackets ("(IMMED)") name none.
    if (line[k] == '(' && !inside.empty() && std::all_of(inside.begin(), inside.end(), [](char c) { return isdigit((unsigned char)c); }))
      m.conn_id = std::string(inside);
    k = end + 1;
  }
  bool colon = false;
  while (k < line.size() && (line[k] == ' ' || line[k] == '\t' || line[k] == ':' || line[k] == '=')) {
    colon = colon || line[k] == ':' || line[k] == '=';
    ++k;
  }
  if (needs_colon && !colon) return false;
  if (!colon && k < line.size() && line[k] != '<') {
    // Erlang loggers put words between the verb and the binary: "Sending (binary) to <<"sid">>:
    // <<"<body…>">>". Take the binary that closes the clause.
    size_t bin = line.substr(0, std::min(line.size(), k + 160)).find(": <<\"", k);
    if (bin == std::string_view::npos) return false;
    m.erlang = true;
    m.server = true;  // Erlang binaries come from Erlang servers' logs (ejabberd, MongooseIM)
    m.conn_id.clear();  // "(binary)" was a word of the clause, not a connection number
    m.xml = bin + 5;
    return true;
  }
  if (k >= line.size()) {
    // XML on the lines below: only where the marker plainly ends the line as a header.
    if (!colon && !m.style[0]) return false;
    m.xml = line.size();
    return true;
  }
  if (line.compare(k, 3, "<<\"") == 0) {
    m.erlang = true;
    m.server = true;
    m.xml = k + 3;
    return true;
  }
  if (!OpensElement(line, k)) return false;
  m.xml = k;
  return true;
}

// True when nothing but a log level stands before a marker ("", " DEBUG  ", "[debug]").
bool OnlyLevelBefore(std::string_view prefix) {
  std::string_view t = Trim(prefix);
  if (t.empty()) return true;
  if (t.front() == '[' && t.back() == ']') t = Trim(t.substr(1, t.size() - 2));
  for (const char* level : {"DEBUG", "INFO", "LOG", "TRACE", "VERBOSE"})
    if (EqualsIgnoreCase(t, level)) return true;
  return false;
}

// Finds the first marker at or after `from`.
bool FindMarker(std::string_view line, size_t from, size_t line_start, Marker& out) {
  for (size_t i = from; i < line.size(); ++i) {
    const char c = line[i];
    // Cheap filter: every token starts with one of these bytes.
    if (!(isalpha((unsigned char)c) || c == '=' || c == '<' || c == '>' || (unsigned char)c == 0xE2)) continue;
    if (IsAlnum(c) && i > 0 && IsAlnum(line[i - 1])) continue;  // inside a word
    for (const MarkerSpec& spec : kMarkers) {
      std::string_view tok(spec.token);
      if (line.size() - i < tok.size()) continue;
      std::string_view here = line.substr(i, tok.size());
      if (spec.case_sensitive ? here != tok : !EqualsIgnoreCase(here, tok)) continue;
      if (spec.word && i + tok.size() < line.size() && IsAlnum(line[i + tok.size()])) continue;
      if (spec.line_start && i != line_start) continue;
      // Symbol markers stand apart: "<<" and ">>" inside Erlang terms (<<"sid">>, <<101,52>>)
      // or "<<<" are not markers.
      if (!spec.word && (unsigned char)tok[0] != 0xE2) {
        const char before = i > 0 ? line[i - 1] : ' ';
        const char after = i + tok.size() < line.size() ? line[i + tok.size()] : ' ';
        if (!(IsSpace(before) || before == ']' || before == ')') || !(IsSpace(after) || after == ':')) continue;
      }
      Marker m;
      m.begin = i;
      m.dir = spec.dir;
      m.style = spec.style;
      m.server = std::strcmp(spec.style, "ejabberd") == 0;
      size_t after = i + tok.size();
      // xmpp.js writes the arrow then the word ("⮊ OUT"): take the word as part of the marker.
      if (!spec.word && (unsigned char)tok[0] == 0xE2) {
        size_t k = after;
        while (k < line.size() && line[k] == ' ') ++k;
        for (const char* w : {"OUT", "IN"})
          if (line.compare(k, strlen(w), w) == 0 && (k + strlen(w) == line.size() || !IsAlnum(line[k + strlen(w)]))) {
            after = k + strlen(w);
            break;
          }
      }
      // Word markers with the XML on the next lines must end the line with ':' or "(n):", or
      // stand alone ("OUT", " DEBUG  IN"), so that prose ending in "IN" opens nothing.
      const bool alone = OnlyLevelBefore(line.substr(0, i)) || !spec.word;
      Marker probe = m;
      probe.style = alone ? m.style : "";
      if (!ReadMarkerTail(line, after, probe, spec.line_start)) continue;
      if (probe.xml == line.size() && spec.word && !alone) {
        // "SENT:" at the end of a prefixed line is a header; "... LOGGED IN" is not.
        size_t k = after;
        while (k < line.size() && line[k] != ':') ++k;
        if (k == line.size()) continue;
      }
      probe.style = m.style;
      out = probe;
      return true;
    }
  }
  return false;
}

// Prosody's debug log: "c2s55e1c3a0 debug Received[c2s]: <iq …>" / "Sending[c2s]: <…>"; the
// session id in front of it tells the client's streams apart.
bool FindProsodyMarker(std::string_view line, Marker& out, std::string* session) {
  for (const char* w : {"Received[", "Sending[", "sasl reply:"}) {
    size_t p = line.find(w);
    if (p == std::string_view::npos) continue;
    size_t close = w[0] == 's' ? p + strlen(w) - 2 : line.find("]:", p);
    if (close == std::string_view::npos || close - p > 24) continue;
    size_t k = close + 2;
    while (k < line.size() && line[k] == ' ') ++k;
    if (!OpensElement(line, k) && k != line.size()) continue;
    out = Marker();
    out.begin = p;
    out.xml = k;
    out.dir = w[0] == 'R' ? Direction::Received : Direction::Sent;
    out.style = "Prosody";
    out.server = true;
    // "<time> <source>\t<level>\t<message>": the source is the session ("c2s55e1c3a0",
    // "bosh6d2f…") for stream traffic, a module or host name for the rest.
    std::string_view head = Trim(line.substr(0, p));
    for (const char* level : {"debug", "info", "warn", "error"}) {
      size_t l = head.rfind(level);
      if (l == std::string_view::npos || l == 0) continue;
      std::string_view before = Trim(head.substr(0, l));
      size_t b = before.find_last_of(" \t");
      std::string_view source = b == std::string_view::npos ? before : before.substr(b + 1);
      if (StartsWithIgnoreCase(source, "c2s") || StartsWithIgnoreCase(source, "bosh") ||
          StartsWithIgnoreCase(source, "websocket"))
        *session = std::string(source);
      break;
    }
    return true;
  }
  return false;
}

// A time in the text before a marker: "2024-05-01 10:00:00.123", "10:00:00,123", "04:44:51".
double FindTime(std::string_view prefix) {
  for (size_t i = 0; i + 8 <= prefix.size(); ++i) {
    if (!isdigit((unsigned char)prefix[i]) || (i > 0 && isdigit((unsigned char)prefix[i - 1]))) continue;
    // A date first?
    if (i + 19 <= prefix.size() && prefix[i + 4] == '-' && prefix[i + 7] == '-') {
      size_t end = i + 10;
      while (end < prefix.size() && (isdigit((unsigned char)prefix[end]) || strchr("-:.,TZ+ ", prefix[end]))) ++end;
      std::string stamp(Trim(prefix.substr(i, end - i)));
      std::replace(stamp.begin(), stamp.end(), ',', '.');
      while (!stamp.empty() && (stamp.back() == '.' || stamp.back() == '-' || stamp.back() == ' ')) stamp.pop_back();
      if (auto t = ParseIsoTime(stamp)) return *t;
    }
    if (prefix[i + 2] == ':' && prefix[i + 5] == ':') {
      size_t end = i + 8;
      while (end < prefix.size() && (isdigit((unsigned char)prefix[end]) || prefix[end] == '.' || prefix[end] == ',')) ++end;
      std::string stamp(prefix.substr(i, end - i));
      std::replace(stamp.begin(), stamp.end(), ',', '.');
      if (auto t = ParseTimeOfDay(stamp)) return *t;
    }
  }
  return kNoTime;
}

// A line that opens a log record of its own (a time stamp, or a logcat tag, near its start),
// as opposed to the next line of a stanza printed over several lines.
bool StartsRecord(std::string_view line) {
  std::string_view head = line.substr(0, 40);
  if (HasTime(FindTime(head))) return true;
  return head.size() > 2 && strchr("VDIWEF", head[0]) && head[1] == '/';
}

// Logcat repeats its "D/SMACK( 1234): " on every line of a long print: strip it from
// continuation lines.
std::string_view StripLogcatPrefix(std::string_view line) {
  if (line.size() > 3 && strchr("VDIWEF", line[0]) && line[1] == '/') {
    size_t p = line.find("): ");
    size_t q = line.find(": ");
    size_t cut = p != std::string_view::npos && p < 40 ? p + 3 : q != std::string_view::npos && q < 40 ? q + 2 : 0;
    return line.substr(cut);
  }
  return line;
}

// Lines that report connection state: kept as notes, never parsed as stanzas.
bool IsStateNote(std::string_view line) {
  // ("connect" also finds disconnect/reconnect, "socket" WebSocket, "fail" CONNFAIL/AUTHFAIL.)
  static const char* const words[] = {"Resource bound", "End of stream", "status",    "connect", "socket", "closed",
                                      "error",          "fail",          "timeout",   "timed out", "online", "offline",
                                      "can't establish"};
  for (const char* w : words)
    if (ContainsIgnoreCase(line, w)) return true;
  return false;
}

// Tracks XML depth across the lines of one record without building a tree.
struct DepthScan {
  int depth = 0;
  bool in_tag = false, closing = false, name_done = false, any = false;
  char quote = 0, prev = 0;  // prev: the last non-blank character inside the tag
  std::string name;          // of the tag being read
  int special = 0;           // 1 comment, 2 CDATA, 3 PI/doctype
  // Feeds text; returns the offset where text follows the last complete top-level element
  // (the run of elements ended inside `s`), else npos.
  size_t Feed(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (special) {
        if ((special == 1 && c == '>' && i >= 2 && s[i - 1] == '-' && s[i - 2] == '-') ||
            (special == 2 && c == '>' && i >= 2 && s[i - 1] == ']' && s[i - 2] == ']') || (special == 3 && c == '>'))
          special = 0;
        continue;
      }
      if (in_tag) {
        if (quote) {
          if (c == quote) quote = 0;
          continue;
        }
        if (c == '"' || c == '\'') {
          quote = c;
          prev = c;
          continue;
        }
        if (c == '>') {
          in_tag = false;
          if (closing) {
            if (depth > 0) --depth;
          } else if (prev != '/' && !IsStreamHeaderName(name)) {
            ++depth;  // an RFC 6120 stream header stays open: it counts as complete
          }
          any = true;
          continue;
        }
        if (!name_done) {
          if (IsSpace(c) || c == '/') name_done = true;
          else if (name.size() < 64) name += c;
        }
        if (!IsSpace(c)) prev = c;
        continue;
      }
      if (c == '<') {
        if (s.compare(i, 4, "<!--") == 0) { special = 1; i += 3; continue; }
        if (s.compare(i, 9, "<![CDATA[") == 0) { special = 2; i += 8; continue; }
        if (s.compare(i, 2, "<?") == 0 || s.compare(i, 2, "<!") == 0) { special = 3; continue; }
        if (depth == 0 && any && !OpensElement(s, i)) return i;
        in_tag = true;
        closing = i + 1 < s.size() && s[i + 1] == '/';
        name_done = false;
        prev = 0;
        name.clear();
        if (closing) ++i;
        continue;
      }
      if (depth == 0 && any && !IsSpace(c)) return i;
    }
    return std::string_view::npos;
  }
  bool Complete() const { return any && depth == 0 && !in_tag && !special; }
};

// [SECTION] Pass 1: lines into records and notes

struct Record {
  Direction dir = Direction::Received;
  double time = kNoTime;
  std::string conn_id;  // Smack's "(0)", Prosody's session, ejabberd's pid
  size_t line = 0;      // 1-based line where it starts
  std::string text;
  bool server = false;      // written by a server-side logger
  bool inferred = false;    // bare XML: direction guessed
  bool is_note = false;     // a state line, not a stanza
  bool bosh = false;        // the logger says the session is BOSH
};

std::string UnescapeErlang(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[++i];
      out += n == 'n' ? '\n' : n == 't' ? '\t' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

class LineReader {
 public:
  explicit LineReader(size_t wrap_width) : m_wrap(wrap_width) {}
  std::vector<Record> records;
  size_t marked = 0;
  std::string style;

  void Line(std::string_view raw, size_t line_no) {
    std::string_view line = raw;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    m_joined = m_wrap && m_prev_len == m_wrap;  // the line before was cut at the terminal's width
    m_prev_len = Utf8Length(line);
    if (m_open) {
      std::string_view cont = StripLogcatPrefix(line);
      // Inside a stanza printed over several lines, a line that starts with markup is more of
      // it, whatever words its text holds (<status>sent</status>).
      if (!Trim(cont).empty() && Trim(cont)[0] == '<') {
        Append(cont, line_no);
        return;
      }
      Marker m;
      std::string session;
      const bool marker_here = FindProsodyMarker(line, m, &session) || FindMarker(line, 0, LineStart(line), m);
      // A new log record (time stamp or logcat tag first) ends the stanza; other lines go on it.
      if (!marker_here && !(StartsRecord(line) && !Trim(cont).empty())) {
        Append(cont, line_no);
        return;
      }
      CloseOpen();
    }
    ReadLine(line, line_no);
  }

  void Finish() {
    if (m_open) CloseOpen();
  }

 private:
  static size_t LineStart(std::string_view line) {
    // Where the text of the line starts after a leading time stamp and brackets.
    size_t i = 0;
    while (i < line.size() && IsSpace(line[i])) ++i;
    std::string_view rest = line.substr(i);
    double t = FindTime(rest.substr(0, 32));
    if (!HasTime(t)) return i;
    size_t k = 0;
    bool bracket = !rest.empty() && rest[0] == '[';
    if (bracket) ++k;
    while (k < rest.size() && (isdigit((unsigned char)rest[k]) || strchr("-:.,TZ+ ", rest[k]))) {
      if (rest[k] == ' ' && !(k == size_t(bracket) + 10)) break;
      ++k;
    }
    if (bracket && k < rest.size() && rest[k] == ']') ++k;
    while (k < rest.size() && IsSpace(rest[k])) ++k;
    return i + k;
  }

  void ReadLine(std::string_view line, size_t line_no) {
    Marker m;
    std::string session;
    size_t from = 0;
    bool any = false;
    double line_time = kNoTime;
    const size_t start = LineStart(line);
    while (from <= line.size()) {
      bool found = from == 0 && FindProsodyMarker(line, m, &session);
      if (!found) found = FindMarker(line, from, start, m);
      if (!found) break;
      any = true;
      ++marked;
      if (style.empty()) style = m.style;
      Record r;
      r.dir = m.dir;
      // The time stands in the record's own prefix; only the text since the previous record is
      // searched, so a line of many records costs no more than its length.
      const size_t prefix_from = from == 0 ? 0 : std::max(from, m.begin > 80 ? m.begin - 80 : 0);
      const double own_time = FindTime(line.substr(prefix_from, m.begin - prefix_from));
      if (from == 0) line_time = own_time;
      r.time = HasTime(own_time) ? own_time : line_time;
      // (ejabberd's process ids do not name a stream: its receiver and c2s processes differ.)
      r.conn_id = !m.conn_id.empty() ? m.conn_id : session;
      if (StartsWithIgnoreCase(session, "bosh")) r.bosh = true;
      r.line = line_no;
      // Openfire's own log names its Java packages: what it "received" the client sent.
      r.server = m.server || line.find("org.jivesoftware") != std::string_view::npos;
      if (m.erlang) {
        size_t end = line.find("\">>", m.xml);
        r.text = UnescapeErlang(line.substr(m.xml, (end == std::string_view::npos ? line.size() : end) - m.xml));
        records.push_back(std::move(r));
        from = end == std::string_view::npos ? line.size() + 1 : end + 3;
        continue;
      }
      m_scan = DepthScan();
      std::string_view xml = line.substr(m.xml);
      size_t stop = m_scan.Feed(xml);
      if (stop != std::string_view::npos) {
        r.text = std::string(Trim(xml.substr(0, stop)));
        records.push_back(std::move(r));
        from = m.xml + stop;  // another record may follow on the same line
        continue;
      }
      r.text = std::string(xml);
      records.push_back(std::move(r));
      if (!m_scan.Complete()) m_open = true;  // the element goes on below
      m_last_record_line = line_no;
      break;
    }
    if (any) {
      m_last_record_line = line_no;
      return;
    }
    std::string_view text = Trim(line);
    if (text.empty()) return;
    // XML with no marker right after a record's lines: more of the same direction (xmpp.js
    // prints one element per line under one header).
    std::string_view body = Trim(StripLogcatPrefix(text));
    if (!records.empty() && m_last_record_line + 1 == line_no && OpensElement(body, 0) && !records.back().is_note) {
      Record r = records.back();
      r.line = line_no;
      r.text.clear();
      records.push_back(std::move(r));
      m_scan = DepthScan();
      Append(body, line_no);
      m_open = !m_scan.Complete();
      return;
    }
    bool has_element = false;
    for (size_t k = 0; k < text.size() && !has_element; ++k) has_element = OpensElement(text, k);
    if (IsStateNote(text) && !has_element) {
      Record n;
      n.is_note = true;
      n.line = line_no;
      n.time = FindTime(text.substr(0, 40));
      n.text = std::string(TruncateUtf8(text, 300));
      records.push_back(std::move(n));
    }
  }

  void Append(std::string_view cont, size_t line_no) {
    Record& r = records.back();
    if (!r.text.empty() && !m_joined) r.text += '\n';
    r.text.append(cont.data(), cont.size());
    size_t stop = m_scan.Feed(std::string_view(cont).substr(0));
    if (stop != std::string_view::npos || m_scan.Complete()) {
      if (stop != std::string_view::npos) r.text.resize(r.text.size() - (cont.size() - stop));
      m_open = false;
    }
    m_last_record_line = line_no;
  }

  void CloseOpen() { m_open = false; }

  size_t m_wrap, m_prev_len = 0;
  bool m_joined = false;
  bool m_open = false;
  DepthScan m_scan;
  size_t m_last_record_line = 0;
};

// [SECTION] Orientation: client-side or server-side log

// Direction of a bare-XML element, from what it says (servers stamp `from`; clients rarely do).
Direction InferDirection(const Stanza& s, const std::map<std::string, Direction>& iq_dirs) {
  switch (s.kind) {
    case StanzaKind::Open: return s.id.empty() && s.from.empty() ? Direction::Sent : Direction::Received;
    case StanzaKind::Features: case StanzaKind::Success: case StanzaKind::Failure:
    case StanzaKind::Challenge: case StanzaKind::StreamError: case StanzaKind::BoshTerminate:
      return Direction::Received;
    case StanzaKind::Auth: case StanzaKind::Response: case StanzaKind::BoshRestart: case StanzaKind::Close:
      return Direction::Sent;
    case StanzaKind::BoshSession: return s.bosh_rid.empty() ? Direction::Received : Direction::Sent;
    case StanzaKind::Iq:
      if (s.type == "result" && !s.bind_jid.empty()) return Direction::Received;  // only a server binds
      if (s.type == "result" || s.type == "error") {
        auto it = iq_dirs.find(s.id);
        if (it != iq_dirs.end()) return it->second == Direction::Sent ? Direction::Received : Direction::Sent;
      }
      return s.from.empty() ? Direction::Sent : Direction::Received;
    default:
      return s.from.empty() ? Direction::Sent : Direction::Received;
  }
}

// +1 when the element as labelled reads as the client's view, -1 as the server's, 0 when it
// cannot tell: only the client sends <auth>, only the server sends features and SASL results.
int ClientSideVote(const Stanza& s, Direction dir) {
  const bool sent = dir == Direction::Sent;
  switch (s.kind) {
    case StanzaKind::Auth: case StanzaKind::Response: return sent ? 1 : -1;
    case StanzaKind::Features: case StanzaKind::Success: case StanzaKind::Challenge: case StanzaKind::StreamError:
      return sent ? -1 : 1;
    case StanzaKind::Iq:
      if (s.iq_payload == IqPayload::Bind) return (s.type == "set") == sent ? 1 : -1;
      return 0;
    default: return 0;
  }
}

Direction Flip(Direction d) { return d == Direction::Sent ? Direction::Received : d == Direction::Received ? Direction::Sent : d; }

bool IsStartOnlyPiece(std::string_view t) {
  return !t.empty() && t.back() == '>' && std::count(t.begin(), t.end(), '<') == 1;
}

}  // namespace

Capture ImportTranscript(std::string bytes) {
  Capture capture;
  capture.format = "transcript";
  size_t bom = bytes.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  std::string_view all = capture.Keep(std::move(bytes));
  all.remove_prefix(bom);
  if (auto bad = FindInvalidUtf8(all)) {
    capture.errors.push_back("invalid UTF-8 at byte " + std::to_string(*bad + bom) + "; replaced with U+FFFD");
    all = capture.Keep(RepairUtf8(all));
  }

  // A terminal copy wraps long lines at one width: lines of exactly the longest length, seen
  // several times, were cut there, and their next line goes on without a break.
  size_t wrap_width = 0;
  {
    size_t longest = 0, count = 0, start = 0;
    while (start < all.size()) {
      size_t nl = all.find('\n', start);
      if (nl == std::string_view::npos) nl = all.size();
      std::string_view l = all.substr(start, nl - start);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      size_t len = Utf8Length(l);
      if (len > longest) longest = len, count = 1;
      else if (len == longest) ++count;
      start = nl + 1;
    }
    if (longest >= 60 && count >= 3) wrap_width = longest;
  }
  LineReader reader(wrap_width);
  size_t line_no = 0, pos = 0;
  while (pos <= all.size()) {
    size_t nl = all.find('\n', pos);
    if (nl == std::string_view::npos) nl = all.size();
    reader.Line(all.substr(pos, nl - pos), ++line_no);
    pos = nl + 1;
    if (nl == all.size()) break;
  }
  reader.Finish();
  std::vector<Record> records = std::move(reader.records);
  std::vector<Record> notes;  // kept apart, and put back beside the frames by line
  for (Record& r : records)
    if (r.is_note) notes.push_back(std::move(r));
  records.erase(std::remove_if(records.begin(), records.end(), [](const Record& r) { return r.is_note; }), records.end());
  std::string style = reader.style;
  const bool bare = reader.marked == 0;
  if (bare) {
    // No direction marker anywhere: the whole text is XML, directions inferred.
    records.clear();
    Record r;
    r.line = 1;
    r.inferred = true;
    r.text = std::string(all);
    records.push_back(std::move(r));
    style = "bare XML";
  }

  StanzaParser parser;
  // Orientation: a server's log labels what the client sent as received.
  bool server_side = false;
  if (!bare) {
    int votes = 0;
    size_t voted = 0;
    for (const Record& r : records) {
      // A few hundred elements settle who wrote the log; the rest need not be parsed twice.
      if (std::abs(votes) >= 50 || ++voted > 2000) break;
      for (const XmlPiece& piece : SplitXmlElements(r.text)) {
        // A BOSH body's children say who sent it.
        std::string_view t = piece.text;
        size_t open_end = t.find('>');
        if (StartsWithIgnoreCase(t, "<body") && open_end != std::string_view::npos && t[open_end - 1] != '/') {
          size_t close = t.rfind("</");
          std::string_view inner = t.substr(open_end + 1, close == std::string_view::npos || close <= open_end ? 0 : close - open_end - 1);
          for (const XmlPiece& child : SplitXmlElements(inner)) votes += ClientSideVote(parser.Parse(child.text), r.dir);
        } else {
          votes += ClientSideVote(parser.Parse(t), r.dir);
        }
      }
    }
    server_side = votes < 0 || std::any_of(records.begin(), records.end(), [](const Record& r) { return r.server; });
    if (server_side) {
      for (Record& r : records) r.dir = Flip(r.dir);
      style += " server log (directions turned around)";
    }
  }
  capture.producer = bare ? "bare XML (directions inferred)" : style + " transcript";

  // [SECTION] Pass 2: records into connections
  std::map<std::string, Direction> iq_dirs;
  std::map<std::string, size_t> by_conn_id;
  struct ConnState {
    bool restart_expected = false;  // after <success/> or STARTTLS <proceed/>
    bool ended = false;
    bool received_since_open = false;
    bool bound = false;
    std::vector<std::string> server_stream_ids;
    bool named = false;  // a connection id (Smack's number, Prosody's session) names it
    struct Seen {
      size_t line;    // where it was last printed
      size_t frames;  // the connection's frame count just after it
    };
    // Stream-level elements already in this connection, by direction (0 received, 1 sent).
    std::unordered_map<std::string_view, Seen> stream_level[2];
    size_t frames_after_last[2] = {0, 0};  // frame count after the last frame of each direction
    bool replay = false;  // the server's stream header came again with the same id: a reprint
  };
  // A repeated print is the same element again with nothing in between from the other side: a
  // SASL retry (auth, failure, auth) has the server's answer between its copies, and a note
  // between two identical stream errors ("Reconnect in 0") makes them two attempts. Within a
  // reprint of the stream (its header again, same id) everything already seen is a copy.
  auto note_between = [&](size_t from_line, size_t to_line) {  // notes are in line order
    auto it = std::upper_bound(notes.begin(), notes.end(), from_line, [](size_t l, const Record& n) { return l < n.line; });
    return it != notes.end() && it->line < to_line;
  };
  auto repeats = [&](const ConnState& st, std::string_view text, Direction dir, size_t line) {
    const bool sent = dir == Direction::Sent;
    auto it = st.stream_level[sent].find(text);
    if (it == st.stream_level[sent].end() || note_between(it->second.line, line)) return false;
    return st.replay || st.frames_after_last[!sent] <= it->second.frames;
  };
  std::vector<ConnState> states;
  size_t current = SIZE_MAX;
  size_t next_note = 0;
  // Notes up to `line` go beside the frames of the connection they were written in.
  auto place_notes = [&](size_t line) {
    for (; next_note < notes.size() && notes[next_note].line < line && current != SIZE_MAX; ++next_note) {
      Record& n = notes[next_note];
      Connection& conn = capture.connections[current];
      conn.notes.push_back({uint32_t(conn.frames.size()), n.time, uint32_t(n.line), capture.Keep(std::move(n.text))});
    }
  };
  bool tcp_hint = false;  // an XML declaration came before any stanza
  auto start_connection = [&](Transport t, const std::string& id) {
    capture.connections.emplace_back().transport = tcp_hint && t == Transport::WebSocket ? Transport::Tcp : t;
    tcp_hint = false;
    states.emplace_back();
    current = capture.connections.size() - 1;
    if (!id.empty()) {
      by_conn_id[id] = current;
      states[current].named = true;
    }
  };
  int elements = 0;
  for (size_t ri = 0; ri < records.size(); ++ri) {
    Record& rec = records[ri];
    // An XML declaration starts only a TCP stream (RFC 7395 has none); Prosody logs the server's
    // TCP stream header as just that.
    if (StartsWithIgnoreCase(Trim(rec.text), "<?xml")) {
      if (current == SIZE_MAX) tcp_hint = true;
      else if (capture.connections[current].transport == Transport::WebSocket) capture.connections[current].transport = Transport::Tcp;
    }
    std::string_view text = capture.Keep(std::move(rec.text));
    size_t counted_to = 0, lines_before = 0;  // newlines counted so far, so a huge record costs O(n)
    for (const XmlPiece& piece : SplitXmlElements(text)) {
      ++elements;
      lines_before += size_t(std::count(text.begin() + long(counted_to), text.begin() + long(piece.offset), '\n'));
      counted_to = piece.offset;
      const size_t piece_line = rec.line + lines_before;
      std::string_view piece_text = piece.text;
      if (!piece.complete) {
        std::string_view t = Trim(piece_text);
        if (IsStartOnlyPiece(t)) {
          // A start tag printed alone (Prosody's "Received[c2s]: <enable …>"): the logger shows
          // the element's head only, which reads as the element itself.
          piece_text = capture.Keep(std::string(t.substr(0, t.size() - 1)) + "/>");
        } else {
          capture.errors.push_back("line " + std::to_string(piece_line) + ": the XML element is cut off at the end of the " +
                                   (ri + 1 == records.size() ? std::string("input") : std::string("record")));
        }
      }
      // xmpp_stone wraps what it received in <xmpp_stone>…</xmpp_stone>: read what is inside.
      if (StartsWithIgnoreCase(piece_text, "<xmpp_stone>")) {
        std::string_view inner = piece_text.substr(12);
        if (inner.size() >= 13 && inner.compare(inner.size() - 13, 13, "</xmpp_stone>") == 0) inner.remove_suffix(13);
        size_t decl = inner.find("?>");
        if (StartsWithIgnoreCase(inner, "<?xml") && decl != std::string_view::npos) inner.remove_prefix(decl + 2);
        piece_text = Trim(inner);
      }
      Stanza s = parser.Parse(piece_text);
      Direction dir = rec.inferred ? InferDirection(s, iq_dirs) : rec.dir;
      if (s.kind == StanzaKind::Iq && (s.type == "set" || s.type == "get") && !s.id.empty()) iq_dirs[s.id] = dir;
      const bool is_bosh_body = s.kind == StanzaKind::BoshSession || s.kind == StanzaKind::BoshRestart ||
                                s.kind == StanzaKind::BoshTerminate;
      const bool framed = s.kind == StanzaKind::Open && s.name == "open";
      const bool stream_header = s.kind == StanzaKind::Open && s.name != "open";
      Transport transport = is_bosh_body || rec.bosh ? Transport::Bosh
                            : stream_header          ? Transport::Tcp
                                                     : Transport::WebSocket;

      if (!rec.conn_id.empty()) {
        auto it = by_conn_id.find(rec.conn_id);
        if (it != by_conn_id.end()) {
          current = it->second;
        } else if (current != SIZE_MAX && !states[current].named) {
          // The first named record of a stream that other lines already began names it.
          by_conn_id[rec.conn_id] = current;
          states[current].named = true;
        } else {
          start_connection(transport, rec.conn_id);
        }
      }
      if (rec.bosh && current != SIZE_MAX) capture.connections[current].transport = Transport::Bosh;
      // A new transport starts a new connection: a fresh BOSH session request, or a stream
      // opened after the previous one ended (or went on past its login without a restart). A
      // restart after SASL or STARTTLS, and the same header logged twice, stay in it.
      const bool stream_level = s.kind == StanzaKind::Open || s.kind == StanzaKind::Features ||
                                s.kind == StanzaKind::Failure || s.kind == StanzaKind::Success ||
                                s.kind == StanzaKind::StreamError || s.kind == StanzaKind::Close ||
                                s.kind == StanzaKind::Auth;
      // A stream-level element this connection already has, printed again (queued then sent, or
      // an application echoing its library). Stream headers legitimately repeat on a restart
      // (some servers even keep the stream id), so they are never merged.
      const bool may_repeat = stream_level && s.kind != StanzaKind::Open;
      if (may_repeat && current != SIZE_MAX && repeats(states[current], piece_text, dir, piece_line)) continue;
      // A stanza with an id printed twice in a row (a library's log, then the application's):
      // ids are unique per request, so the wire carried it once.
      if (current != SIZE_MAX && !s.id.empty() && !capture.connections[current].frames.empty()) {
        const Frame& last = capture.connections[current].frames.back();
        const bool same_moment = !HasTime(last.time) || !HasTime(rec.time) || std::abs(last.time - rec.time) < 1.0;
        if (last.payload == piece_text && last.dir == dir && same_moment) continue;
      }
      bool fresh = false;
      if (current != SIZE_MAX) {
        const ConnState& st = states[current];
        if (s.kind == StanzaKind::BoshSession && dir == Direction::Sent && s.bosh_sid.empty() && !s.to.empty())
          fresh = !capture.connections[current].frames.empty();
        else if (s.kind == StanzaKind::Open && dir == Direction::Sent)
          fresh = st.ended || (!st.restart_expected && st.received_since_open);
        else if (s.kind == StanzaKind::Open && dir == Direction::Received) {
          // The same stream id is the same stream, printed again.
          const bool reprint = !s.id.empty() && std::find(st.server_stream_ids.begin(), st.server_stream_ids.end(), s.id) !=
                                                     st.server_stream_ids.end();
          fresh = !reprint && (st.ended || (!st.restart_expected && st.bound));
          if (reprint) states[current].replay = true;
        }
        else  // what only a new stream can carry, after the old one ended
          fresh = st.ended && (s.kind == StanzaKind::StreamError || s.kind == StanzaKind::Features);
      }
      if (current == SIZE_MAX || fresh) {
        place_notes(piece_line);  // notes before the new stream belong to the old one
        start_connection(transport, rec.conn_id);
      }
      place_notes(piece_line);
      Connection& conn = capture.connections[current];
      ConnState& st = states[current];
      if (framed || stream_header) {
        if (conn.frames.empty() || conn.transport != Transport::Bosh) conn.transport = transport;
      }
      // </stream:stream> closes only an RFC 6120 stream (WebSocket closes with <close/>).
      // (A server's log may write its WebSocket close that way too: Prosody does.)
      if (s.kind == StanzaKind::Close && s.name == "stream" && !server_side && conn.transport == Transport::WebSocket)
        conn.transport = Transport::Tcp;
      // STARTTLS exists only on a TCP stream (WebSocket and BOSH have TLS from the start).
      if (s.kind == StanzaKind::Features && s.has_starttls && conn.transport == Transport::WebSocket) conn.transport = Transport::Tcp;
      if (!(s.kind == StanzaKind::Open && st.replay)) st.replay = false;  // something new: the reprint is over
      if (s.kind == StanzaKind::Open && dir == Direction::Received && !s.id.empty()) st.server_stream_ids.push_back(s.id);

      if (is_bosh_body) {
        conn.transport = Transport::Bosh;
        size_t before = conn.frames.size();
        BodyInfo info = ExpandBoshBody(piece_text, dir, rec.time, uint32_t(piece_line), conn, capture);
        if (!info.error.empty()) capture.errors.push_back("line " + std::to_string(piece_line) + ": " + info.error);
        for (size_t k = before; k < conn.frames.size(); ++k) {
          StanzaKind kind = parser.Parse(conn.frames[k].payload).kind;
          if (kind == StanzaKind::Success) st.restart_expected = true;
          if (kind == StanzaKind::BoshRestart) st.restart_expected = false;
          if (kind == StanzaKind::BoshTerminate || kind == StanzaKind::StreamError) st.ended = true;
        }
        if (conn.frames.size() > before && dir != Direction::Error) st.frames_after_last[dir == Direction::Sent] = conn.frames.size();
        continue;
      }
      conn.frames.push_back({dir, opcode::kText, rec.time, piece_text, uint32_t(piece_line)});
      if (dir != Direction::Error) st.frames_after_last[dir == Direction::Sent] = conn.frames.size();
      if (may_repeat) st.stream_level[dir == Direction::Sent][piece_text] = {piece_line, conn.frames.size()};
      if (s.kind == StanzaKind::Success || (s.name == "proceed" && dir == Direction::Received)) st.restart_expected = true;
      if (s.kind == StanzaKind::Open && dir == Direction::Sent) {
        st.restart_expected = false;
        st.received_since_open = false;
      } else if (dir == Direction::Received) {
        st.received_since_open = true;
      }
      if (s.kind == StanzaKind::Iq && s.type == "result" && !s.bind_jid.empty()) st.bound = true;
      if (s.kind == StanzaKind::Close || s.kind == StanzaKind::StreamError) st.ended = true;
    }
  }
  // Notes after the last stanza stay with the last connection; with no connection at all there
  // is nothing to show them beside.
  place_notes(SIZE_MAX);
  capture.entries = elements;
  return capture;
}

}  // namespace fi
