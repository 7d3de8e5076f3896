// Pasted transcripts: Strophe's raw log ("SENT: <xml>" / "RECV: <xml>"), Smack's debugger
// ("SENT (0): ..." with a connection number), xmpp.js debug blocks ("⮊ OUT" / "⮈ IN" on a line
// of their own, XML below), arrows (↑ ↓), RFC-style "C:" / "S:", or bare XML. The format is read
// from the content. Lines may start with a time stamp.
#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "bosh.h"
#include "import.h"
#include "text_util.h"
#include "xml_split.h"
#include "xmpp.h"

namespace fi {
namespace {

struct Marker {
  bool found = false;
  Direction dir = Direction::Received;
  std::string conn_id;  // Smack's "(0)"
  size_t rest = 0;      // where the XML starts on the line
  const char* style = "";
};

// Strips "2024-05-01 10:00:00.123", "[10:00:00]" or "10:00:00.123" from the line start.
double TakeTimestamp(std::string_view& line) {
  std::string_view s = line;
  bool bracket = !s.empty() && s[0] == '[';
  if (bracket) s.remove_prefix(1);
  size_t end = 0;
  while (end < s.size() && (isdigit((unsigned char)s[end]) || strchr("-:.,TZ+ ", s[end]))) {
    // A space may separate date and time, but a time is never followed by a second space run.
    if (s[end] == ' ' && !(end == 10 && s.size() > 11 && isdigit((unsigned char)s[11]))) break;
    ++end;
  }
  std::string_view stamp = Trim(s.substr(0, end));
  while (!stamp.empty() && (stamp.back() == ',' || stamp.back() == '-')) stamp.remove_suffix(1);
  double t = kNoTime;
  if (auto iso = ParseIsoTime(stamp)) t = *iso;
  else if (auto tod = ParseTimeOfDay(stamp)) t = *tod;
  if (!HasTime(t)) return kNoTime;
  size_t skip = end;
  if (bracket) {
    if (skip < s.size() && s[skip] == ']') ++skip;
    else return kNoTime;
  }
  line = Trim(s.substr(skip));
  return t;
}

Marker FindMarker(std::string_view line) {
  Marker m;
  struct Prefix { const char* text; Direction dir; const char* style; };
  static const Prefix prefixes[] = {
      {"SENT", Direction::Sent, "SENT/RECV"},      {"SEND", Direction::Sent, "SENT/RECV"},
      {"RECV", Direction::Received, "SENT/RECV"},  {"RECEIVED", Direction::Received, "SENT/RECV"},
      {"OUT", Direction::Sent, "IN/OUT"},          {"IN", Direction::Received, "IN/OUT"},
      {"C", Direction::Sent, "C:/S:"},             {"S", Direction::Received, "C:/S:"},
      {">>", Direction::Sent, ">>/<<"},            {"<<", Direction::Received, ">>/<<"},
      {"\xE2\x86\x91", Direction::Sent, "arrows"}, {"\xE2\x86\x93", Direction::Received, "arrows"},        // ↑ ↓
      {"\xE2\xAC\x86", Direction::Sent, "arrows"}, {"\xE2\xAC\x87", Direction::Received, "arrows"},        // ⬆ ⬇
      {"\xE2\xAE\x8A", Direction::Sent, "IN/OUT"}, {"\xE2\xAE\x88", Direction::Received, "IN/OUT"},        // ⮊ ⮈
  };
  for (const Prefix& p : prefixes) {
    std::string_view text(p.text);
    if (!StartsWithIgnoreCase(line, text)) continue;
    size_t i = text.size();
    bool word = isalpha((unsigned char)text[0]);
    // The word must end there: "INFO" is not "IN", "Sending" is not "SEND".
    if (word && i < line.size() && isalnum((unsigned char)line[i])) continue;
    // xmpp.js writes the arrow then the word ("⮊ OUT"): take the word as part of the marker.
    if (!word && !isalpha((unsigned char)text[0])) {
      std::string_view after = Trim(line.substr(i));
      for (const char* w : {"OUT", "IN"})
        if (StartsWithIgnoreCase(after, w) && (after.size() == strlen(w) || !isalnum((unsigned char)after[strlen(w)]))) {
          i = size_t(after.data() - line.data()) + strlen(w);
          break;
        }
    }
    std::string_view rest = line.substr(i);
    size_t k = 0;
    while (k < rest.size() && rest[k] == ' ') ++k;
    if (k < rest.size() && rest[k] == '(') {  // Smack's connection number
      size_t close = rest.find(')', k);
      if (close != std::string_view::npos && close - k < 12) {
        m.conn_id = std::string(rest.substr(k + 1, close - k - 1));
        k = close + 1;
      }
    }
    while (k < rest.size() && (rest[k] == ' ' || rest[k] == ':' || rest[k] == '\t')) ++k;
    std::string_view xml = rest.substr(k);
    // A word marker must be followed by XML or nothing (an xmpp.js block header).
    if (word && !xml.empty() && xml[0] != '<') continue;
    if (word && std::string_view(p.text).size() == 1 && (xml.empty() || rest.empty() || rest[0] != ':')) continue;  // "C:" "S:" need the colon
    m.found = true;
    m.dir = p.dir;
    m.rest = size_t(xml.data() - line.data());
    m.style = p.style;
    return m;
  }
  return m;
}

struct Block {
  Direction dir;
  double time;
  std::string conn_id;
  size_t line;  // 1-based line of its start
  std::string text;
  bool inferred = false;  // bare XML: direction guessed
};

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
      if (s.type == "result" || s.type == "error") {
        auto it = iq_dirs.find(s.id);
        if (it != iq_dirs.end()) return it->second == Direction::Sent ? Direction::Received : Direction::Sent;
      }
      return s.from.empty() ? Direction::Sent : Direction::Received;
    default:
      return s.from.empty() ? Direction::Sent : Direction::Received;
  }
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

  // Pass 1: lines into blocks, each with a direction when the transcript marks one.
  std::vector<Block> blocks;
  std::string style;
  size_t line_no = 0, pos = 0;
  bool any_marker = false;
  while (pos <= all.size()) {
    size_t nl = all.find('\n', pos);
    if (nl == std::string_view::npos) nl = all.size();
    std::string_view raw = all.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    std::string_view line = Trim(raw);
    double t = TakeTimestamp(line);
    Marker m = FindMarker(line);
    if (m.found) {
      any_marker = true;
      if (style.empty()) style = m.style;
      blocks.push_back({m.dir, t, m.conn_id, line_no, std::string(line.substr(m.rest)), false});
    } else if (!blocks.empty()) {
      blocks.back().text += '\n';
      blocks.back().text.append(raw.data(), raw.size());
    } else if (!Trim(raw).empty()) {
      blocks.push_back({Direction::Received, kNoTime, "", line_no, std::string(raw), true});
    }
    if (nl == all.size()) break;
  }
  if (!any_marker) {
    style = "bare XML";
    for (Block& b : blocks) b.inferred = true;
  }
  capture.producer = style == "bare XML" ? "bare XML (directions inferred)" : style + " transcript";

  // Pass 2: blocks into elements, elements into connections.
  StanzaParser parser;
  std::map<std::string, Direction> iq_dirs;
  std::map<std::string, size_t> by_conn_id;  // Smack's numbering, when present
  struct ConnState { bool after_success = false; bool ended = false; };
  std::vector<ConnState> states;
  size_t current = SIZE_MAX;
  auto start_connection = [&](Transport t, const std::string& id) {
    capture.connections.emplace_back().transport = t;
    states.emplace_back();
    current = capture.connections.size() - 1;
    if (!id.empty()) by_conn_id[id] = current;
  };
  int elements = 0;
  for (size_t bi = 0; bi < blocks.size(); ++bi) {
    Block& b = blocks[bi];
    std::string_view block_text = capture.Keep(std::move(b.text));
    size_t stray = std::string_view::npos;
    auto pieces = SplitXmlElements(block_text, &stray);
    if (stray != std::string_view::npos && !b.inferred)
      capture.errors.push_back("line " + std::to_string(b.line) + ": text outside any XML element was ignored");
    for (const XmlPiece& piece : pieces) {
      ++elements;
      size_t piece_line = b.line + size_t(std::count(block_text.begin(), block_text.begin() + long(piece.offset), '\n'));
      if (!piece.complete)
        capture.errors.push_back("line " + std::to_string(piece_line) + ": the XML element is cut off at the end of the " +
                                 (bi + 1 == blocks.size() ? "input" : "block"));
      Stanza s = parser.Parse(piece.text);
      Direction dir = b.inferred ? InferDirection(s, iq_dirs) : b.dir;
      if (s.kind == StanzaKind::Iq && (s.type == "set" || s.type == "get") && !s.id.empty()) iq_dirs[s.id] = dir;
      bool is_bosh_body = s.kind == StanzaKind::BoshSession || s.kind == StanzaKind::BoshRestart ||
                          s.kind == StanzaKind::BoshTerminate;
      Transport transport = is_bosh_body ? Transport::Bosh : Transport::WebSocket;

      // Which connection: Smack numbers them; otherwise a fresh login (an initial open that is
      // not the restart after SASL success, or a BOSH session request) starts a new one.
      if (!b.conn_id.empty()) {
        auto it = by_conn_id.find(b.conn_id);
        if (it == by_conn_id.end()) start_connection(transport, b.conn_id);
        else current = it->second;
      }
      bool fresh_login = dir == Direction::Sent &&
                         ((s.kind == StanzaKind::Open &&
                           (current == SIZE_MAX || !states[current].after_success || states[current].ended)) ||
                          (s.kind == StanzaKind::BoshSession && s.bosh_sid.empty() && !s.to.empty()));
      if (current == SIZE_MAX || (fresh_login && !capture.connections[current].frames.empty()))
        start_connection(transport, b.conn_id);
      Connection& conn = capture.connections[current];
      ConnState& st = states[current];

      if (is_bosh_body) {
        conn.transport = Transport::Bosh;
        size_t before = conn.frames.size();
        BodyInfo info = ExpandBoshBody(piece.text, dir, b.time, uint32_t(piece_line), conn, capture);
        if (!info.error.empty()) capture.errors.push_back("line " + std::to_string(piece_line) + ": " + info.error);
        for (size_t k = before; k < conn.frames.size(); ++k) {
          StanzaKind kind = parser.Parse(conn.frames[k].payload).kind;
          if (kind == StanzaKind::Success) st.after_success = true;
          if (kind == StanzaKind::BoshRestart) st.after_success = false;
          if (kind == StanzaKind::BoshTerminate || kind == StanzaKind::StreamError) st.ended = true;
        }
        continue;
      }
      conn.frames.push_back({dir, opcode::kText, b.time, piece.text, uint32_t(piece_line)});
      if (s.kind == StanzaKind::Success) st.after_success = true;
      else if (s.kind == StanzaKind::Open && dir == Direction::Sent) st.after_success = false;
      if (s.kind == StanzaKind::Close || s.kind == StanzaKind::StreamError) st.ended = true;
    }
  }
  capture.entries = elements;
  // Transcript times of day have no date: keep them relative to each other only.
  return capture;
}

}  // namespace fi
