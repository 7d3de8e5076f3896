// HAR 1.2 import with RapidJSON's SAX Reader, iterative and in situ: a 500 MB export never
// becomes a DOM, deep nesting cannot overflow the stack, and frame payloads point into the
// input buffer instead of being copied.
//
// Flavours: Chrome and Edge write `_webSocketMessages` (time in seconds since the epoch, type
// send/receive/error, base64 data for non-text opcodes) and `_resourceType`; Firefox and
// Safari write the WebSocket entry with no frames at all; Charles, mitmproxy and Safari vary
// the date style (Z, +01:00, microseconds). A top-level array of message objects (frames copied
// out of devtools by a script) is read as one connection.
#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "bosh.h"
#include "import.h"
#include "rapidjson/error/en.h"
#include "rapidjson/reader.h"
#include "text_util.h"

namespace fi {
namespace {

enum class Ctx : uint8_t {
  Root, Log, Creator, Browser, Entries, Entry, Request, Response, ReqHeaders, RespHeaders,
  ReqHeader, RespHeader, PostData, Content, Messages, Message, Skip
};

struct MessageFields {
  std::string_view type, data;
  double time = kNoTime;
  int opcode = opcode::kText;
};

struct EntryFields {
  std::string_view started, url, method, resource_type, status_text, error, post_text, content_text,
      content_encoding;
  double total_ms = kNoTime;
  int status = 0;
  bool has_messages_key = false;
  bool relative_times = false;  // some message times look relative to the connection's start
  std::vector<std::pair<std::string_view, std::string_view>> req_headers, resp_headers;
  MessageFields message;        // the one being read
  size_t message_count = 0;
  std::vector<Frame> frames;    // messages already converted, as each one closes
  std::optional<int> close_code;
  std::string close_reason;
  void Clear() { *this = EntryFields(); }
};

class HarHandler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, HarHandler> {
 public:
  explicit HarHandler(Capture& capture) : m_capture(capture) { m_stack.reserve(16); }

  bool StartObject() {
    if (m_continuation) {  // the '{' written over a ',' to continue an enclosing object
      m_continuation = false;
      return true;
    }
    return Open(true);
  }
  bool StartArray() { return Open(false); }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool EndArray(rapidjson::SizeType) { return Close(); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    m_key = std::string_view(s, n);
    return true;
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    Scalar(std::string_view(s, n), kNoTime);
    return true;
  }
  bool Int(int v) { return Number(v); }
  bool Uint(unsigned v) { return Number(v); }
  bool Int64(int64_t v) { return Number(double(v)); }
  bool Uint64(uint64_t v) { return Number(double(v)); }
  bool Double(double v) { return Number(v); }
  bool Null() { return true; }
  bool Bool(bool) { return true; }

  // Called after the parse, whether it succeeded or not.
  void Finish(bool parse_ok) {
    // A message cut off after its data still says something; one cut before it does not.
    if (!parse_ok && InMessage() && !m_entry.message.data.empty())
      ConvertMessage(m_entry.message, CurrentEntry(), m_entry.message_count++);
    if (!parse_ok && m_in_entry) FinishEntry(/*truncated=*/true);
    if (m_top_array_messages) FinishMessageArray();
    BuildBoshConnections(m_bosh, m_capture);
    if (!m_saw_log && !m_top_array_messages && parse_ok)
      m_capture.errors.push_back(m_root_is_object
                                     ? "the JSON is not a HAR: there is no \"log\" object at the top level"
                                     : "the JSON is not a HAR: expected an object with \"log\", or an array of WebSocket messages");
    else if (m_saw_log && !m_saw_entries && parse_ok)
      m_capture.errors.push_back("the HAR has no \"log.entries\" array");
    m_capture.entries = m_entry_index;
    std::string producer = m_creator;
    if (!m_browser.empty() && m_browser != m_creator) producer += (producer.empty() ? "" : " / ") + m_browser;
    m_capture.producer = producer;
  }

  int CurrentEntry() const { return m_in_entry ? m_entry_index : -1; }
  size_t CurrentMessage() const { return m_entry.message_count; }

  // For the importer's element-by-element walk.
  bool m_streaming = true;
  bool m_stopped_at_array = false;
  bool m_continuation = false;
  bool StackEmpty() const { return m_stack.empty(); }
  bool InMessage() const { return !m_stack.empty() && m_stack.back() == Ctx::Message; }
  bool InWalkedArray() const { return !m_stack.empty() && (m_stack.back() == Ctx::Entries || m_stack.back() == Ctx::Messages); }
  void EndWalkedArray() { Close(); }
  void EndEnclosingObject() { Close(); }

 private:
  Ctx Top() const { return m_stack.empty() ? Ctx::Root : m_stack.back(); }

  bool Open(bool is_object) {
    std::string_view k = m_key;
    m_key = {};
    if (m_stack.empty()) {
      m_root_is_object = is_object;
      if (is_object) {
        m_stack.push_back(Ctx::Root);
      } else {
        // A bare list of copied messages: walked element by element like _webSocketMessages.
        m_top_array_messages = true;
        m_entry.Clear();
        m_stack.push_back(Ctx::Messages);
        if (m_streaming) {
          m_stopped_at_array = true;
          return false;
        }
      }
      return true;
    }
    Ctx parent = m_stack.back();
    Ctx child = Ctx::Skip;
    switch (parent) {
      case Ctx::Root:
        if (k == "log" && is_object) { child = Ctx::Log; m_saw_log = true; }
        break;
      case Ctx::Log:
        if (k == "creator" && is_object) child = Ctx::Creator;
        else if (k == "browser" && is_object) child = Ctx::Browser;
        else if (k == "entries" && !is_object) { child = Ctx::Entries; m_saw_entries = true; }
        break;
      case Ctx::Entries:
        if (is_object) {
          child = Ctx::Entry;
          m_entry.Clear();
          m_in_entry = true;
        }
        break;
      case Ctx::Entry:
        if (k == "request" && is_object) child = Ctx::Request;
        else if (k == "response" && is_object) child = Ctx::Response;
        else if (k == "_webSocketMessages" && !is_object) { child = Ctx::Messages; m_entry.has_messages_key = true; }
        break;
      case Ctx::Request:
        if (k == "headers" && !is_object) child = Ctx::ReqHeaders;
        else if (k == "postData" && is_object) child = Ctx::PostData;
        break;
      case Ctx::Response:
        if (k == "headers" && !is_object) child = Ctx::RespHeaders;
        else if (k == "content" && is_object) child = Ctx::Content;
        break;
      case Ctx::ReqHeaders:
        if (is_object) { child = Ctx::ReqHeader; m_entry.req_headers.emplace_back(); }
        break;
      case Ctx::RespHeaders:
        if (is_object) { child = Ctx::RespHeader; m_entry.resp_headers.emplace_back(); }
        break;
      case Ctx::Messages:
        if (is_object) { child = Ctx::Message; m_entry.message = MessageFields(); }
        break;
      default:
        break;
    }
    m_stack.push_back(child);
    // The two arrays that can hold most of a file are walked element by element by the
    // importer, so the page can stop between elements.
    if (m_streaming && (child == Ctx::Entries || child == Ctx::Messages)) {
      m_stopped_at_array = true;
      return false;
    }
    return true;
  }

  bool Close() {
    Ctx c = Top();
    if (!m_stack.empty()) m_stack.pop_back();
    if (c == Ctx::Entry) {
      FinishEntry(false);
    } else if (c == Ctx::Message) {
      // Converted as soon as it closes, so a 100,000-message entry costs nothing extra at its end.
      ConvertMessage(m_entry.message, CurrentEntry(), m_entry.message_count++);
    }
    return true;
  }

  bool Number(double v) {
    Scalar({}, v);
    return true;
  }

  void Scalar(std::string_view s, double num) {
    std::string_view k = m_key;
    m_key = {};
    bool is_num = !std::isnan(num) || s.data() == nullptr;
    switch (Top()) {
      case Ctx::Creator:
        if (k == "name") m_creator = std::string(s) + m_creator;
        else if (k == "version" && !s.empty()) m_creator += " " + std::string(s);
        break;
      case Ctx::Browser:
        if (k == "name") m_browser = std::string(s) + m_browser;
        else if (k == "version" && !s.empty()) m_browser += " " + std::string(s);
        break;
      case Ctx::Entry:
        if (k == "startedDateTime") m_entry.started = s;
        else if (k == "_resourceType") m_entry.resource_type = s;
        else if (k == "time" && is_num) m_entry.total_ms = num;
        break;
      case Ctx::Request:
        if (k == "url") m_entry.url = s;
        else if (k == "method") m_entry.method = s;
        break;
      case Ctx::Response:
        if (k == "status") {
          m_entry.status = is_num ? IntFieldOr(num, -1) : IntFieldOr(s, Trim(s).empty() ? 0 : -1);
          if (m_entry.status < 0 || m_entry.status > 999) {
            m_capture.errors.push_back(Where(CurrentEntry()) + ": response status is not an HTTP status code; read as no response");
            m_entry.status = 0;
          }
        }
        else if (k == "statusText") m_entry.status_text = s;
        else if (k == "_error") m_entry.error = s;
        break;
      case Ctx::ReqHeader:
      case Ctx::RespHeader: {
        auto& h = Top() == Ctx::ReqHeader ? m_entry.req_headers.back() : m_entry.resp_headers.back();
        if (k == "name") h.first = s;
        else if (k == "value") h.second = s;
        break;
      }
      case Ctx::PostData:
        if (k == "text") m_entry.post_text = s;
        break;
      case Ctx::Content:
        if (k == "text") m_entry.content_text = s;
        else if (k == "encoding") m_entry.content_encoding = s;
        break;
      case Ctx::Message: {
        MessageFields& m = m_entry.message;
        if (k == "type") m.type = s;
        else if (k == "data") m.data = s;
        else if (k == "time") m.time = is_num ? num : std::strtod(std::string(s).c_str(), nullptr);
        else if (k == "opcode") m.opcode = is_num ? IntFieldOr(num, -1) : IntFieldOr(s, -1);
        break;
      }
      default:
        break;
    }
  }

  std::string Where(int entry, size_t message = SIZE_MAX) const {
    std::string w = entry >= 0 ? "log.entries[" + std::to_string(entry) + "]" : std::string();
    if (message != SIZE_MAX) w += (entry >= 0 ? "._webSocketMessages[" : "[") + std::to_string(message) + "]";
    return w;
  }

  // Text the model keeps must be valid UTF-8; a bad sequence is replaced and reported.
  std::string_view KeepText(std::string_view s, const std::string& where) {
    return KeepTextAt(s, [&] { return where; });
  }
  // The location is built only when there is something to report: this runs once per frame.
  template <typename Where>
  std::string_view KeepTextAt(std::string_view s, Where where) {
    if (auto bad = FindInvalidUtf8(s)) {
      m_capture.errors.push_back(where() + ": invalid UTF-8 at byte " + std::to_string(*bad) +
                                 "; replaced with U+FFFD");
      return m_capture.Keep(RepairUtf8(s));
    }
    return s;
  }
  std::string KeepString(std::string_view s, const std::string& where) { return std::string(KeepText(s, where)); }

  static double CheckedTime(double t) {
    // Negative, NaN or past year 9999: unusable.
    if (!std::isfinite(t) || t < 0 || t > 253402300799.0) return kNoTime;
    return t;
  }

  bool IsWebSocket() const {
    if (EqualsIgnoreCase(m_entry.resource_type, "websocket")) return true;
    if (StartsWithIgnoreCase(m_entry.url, "ws:") || StartsWithIgnoreCase(m_entry.url, "wss:")) return true;
    if (m_entry.status == 101) {
      for (auto& h : m_entry.resp_headers)
        if (EqualsIgnoreCase(h.first, "upgrade") && ContainsIgnoreCase(h.second, "websocket")) return true;
    }
    return m_entry.has_messages_key;
  }

  bool IsBosh() const {
    if (!EqualsIgnoreCase(m_entry.method, "POST")) return false;
    if (ContainsIgnoreCase(m_entry.url, "/http-bind")) return true;
    std::string_view body = Trim(m_entry.post_text);
    return body.compare(0, 5, "<body") == 0 && ContainsIgnoreCase(body.substr(0, 400), "httpbind");
  }

  std::vector<Header> Headers(const std::vector<std::pair<std::string_view, std::string_view>>& in, const std::string& where) {
    std::vector<Header> out;
    out.reserve(in.size());
    for (auto& h : in) out.push_back({KeepString(h.first, where), KeepString(h.second, where)});
    return out;
  }

  void ConvertMessage(const MessageFields& m, int entry_index, size_t i) {
    Frame f;
    f.source_index = uint32_t(i);
    if (EqualsIgnoreCase(m.type, "send")) f.dir = Direction::Sent;
    else if (EqualsIgnoreCase(m.type, "receive")) f.dir = Direction::Received;
    else if (EqualsIgnoreCase(m.type, "error")) f.dir = Direction::Error;
    else {
      m_capture.errors.push_back(Where(entry_index, i) + ": unknown message type \"" +
                                 RepairUtf8(m.type.substr(0, 40)) + "\"; read as received");
    }
    f.opcode = uint8_t(m.opcode >= 0 && m.opcode <= 15 ? m.opcode : opcode::kText);
    double t = CheckedTime(m.time);
    // A few tools write seconds since the connection started rather than since the epoch;
    // the entry's start may come later in the file, so they are fixed when the entry ends.
    if (HasTime(t) && t < 1e8) m_entry.relative_times = true;
    if (!HasTime(t) && !std::isnan(m.time))
      m_capture.errors.push_back(Where(entry_index, i) + ": unusable time value; the frame is kept without a time");
    f.time = t;
    if (f.opcode == opcode::kText || f.dir == Direction::Error) {
      f.payload = KeepTextAt(m.data, [&] { return Where(entry_index, i); });
    } else {
      // Chrome base64-encodes non-text frames.
      auto raw = Base64Decode(m.data);
      if (!raw) {
        m_capture.errors.push_back(Where(entry_index, i) + ": binary frame data is not valid base64; kept as text");
        f.payload = KeepText(m.data, Where(entry_index, i));
      } else {
        f.payload = m_capture.Keep(std::move(*raw));
      }
      if (f.opcode == opcode::kClose && f.payload.size() >= 2) {
        m_entry.close_code = (uint8_t(f.payload[0]) << 8) | uint8_t(f.payload[1]);
        m_entry.close_reason = RepairUtf8(f.payload.substr(2));
      }
    }
    m_entry.frames.push_back(f);
  }

  void TakeFrames(Connection& conn) {
    if (m_entry.relative_times && HasTime(conn.start_time))
      for (Frame& f : m_entry.frames)
        if (HasTime(f.time) && f.time < 1e8) f.time += conn.start_time;
    conn.frames = std::move(m_entry.frames);
    conn.close_code = m_entry.close_code;
    conn.close_reason = std::move(m_entry.close_reason);
  }

  void FinishEntry(bool truncated) {
    m_in_entry = false;
    int index = m_entry_index++;
    std::string where = Where(index);
    double start = kNoTime;
    if (!m_entry.started.empty()) {
      if (auto t = ParseIsoTime(m_entry.started)) start = CheckedTime(*t);
      else m_capture.errors.push_back(where + ": startedDateTime \"" + RepairUtf8(m_entry.started.substr(0, 60)) + "\" is not an ISO 8601 time");
    }
    if (IsWebSocket()) {
      Connection conn;
      conn.transport = Transport::WebSocket;
      conn.url = KeepString(m_entry.url, where);
      conn.start_time = start;
      conn.source_entry = index;
      conn.frames_exported = m_entry.has_messages_key;
      conn.handshake.present = true;
      FillHttp(conn.handshake, where);
      TakeFrames(conn);
      if (truncated) conn.frames_exported = true;
      m_capture.connections.push_back(std::move(conn));
    } else if (IsBosh()) {
      BoshExchange x;
      x.entry = index;
      x.url = KeepString(m_entry.url, where);
      // To the microsecond, the finest a HAR writes: a request sent in the same microsecond as an
      // answer arrived must not sort before it by a rounding error (a live BOSH HAR has many).
      auto micro = [](double t) { return HasTime(t) ? std::round(t * 1e6) / 1e6 : t; };
      x.sent_time = micro(start);
      x.received_time = HasTime(start) && std::isfinite(m_entry.total_ms) && m_entry.total_ms >= 0
                            ? micro(start + m_entry.total_ms / 1000.0)
                            : x.sent_time;
      x.status = m_entry.status;
      x.error = KeepString(m_entry.error, where);
      x.request_body = KeepText(m_entry.post_text, where + " request body");
      x.response_body = ResponseBody(where);
      x.request_headers = Headers(m_entry.req_headers, where);
      x.response_headers = Headers(m_entry.resp_headers, where);
      m_bosh.push_back(std::move(x));
    } else if (IsFinesseRest()) {
      RestCall r;
      r.entry = index;
      r.start_time = start;
      r.total_ms = std::isfinite(m_entry.total_ms) && m_entry.total_ms >= 0 ? m_entry.total_ms : kNoTime;
      r.url = KeepString(m_entry.url, where);
      FillHttp(r, where);
      r.request_body = KeepText(m_entry.post_text, where + " request body");
      r.response_body = ResponseBody(where);
      m_capture.rest_calls.push_back(std::move(r));
    }
  }

  // The request and response facts a WebSocket handshake and a REST call both keep.
  template <typename Http>
  void FillHttp(Http& x, const std::string& where) {
    x.method = KeepString(m_entry.method, where);
    x.status = m_entry.status;
    x.status_text = KeepString(m_entry.status_text, where);
    x.error = KeepString(m_entry.error, where);
    x.request_headers = Headers(m_entry.req_headers, where);
    x.response_headers = Headers(m_entry.resp_headers, where);
  }

  bool IsFinesseRest() const { return StartsWithIgnoreCase(UrlPath(m_entry.url), "/finesse/api/"); }

  std::string_view ResponseBody(const std::string& where) {
    if (EqualsIgnoreCase(m_entry.content_encoding, "base64")) {
      auto raw = Base64Decode(m_entry.content_text);
      return raw ? KeepText(m_capture.Keep(std::move(*raw)), where + " response body") : std::string_view();
    }
    return KeepText(m_entry.content_text, where + " response body");
  }

  void FinishMessageArray() {
    if (m_entry.frames.empty()) return;
    Connection conn;
    conn.transport = Transport::WebSocket;
    TakeFrames(conn);
    m_capture.connections.push_back(std::move(conn));
    m_capture.producer = "WebSocket message list";
  }

  Capture& m_capture;
  std::vector<Ctx> m_stack;
  std::string_view m_key;
  EntryFields m_entry;
  std::vector<BoshExchange> m_bosh;
  std::string m_creator, m_browser;
  int m_entry_index = 0;
  bool m_in_entry = false;
  bool m_saw_log = false, m_saw_entries = false;
  bool m_root_is_object = false, m_top_array_messages = false;
};

// Walks the document in steps. A value is parsed with kParseStopWhenDoneFlag; when the handler
// stops at `log.entries` or `_webSocketMessages`, their elements are parsed one Parse() each,
// and after the closing ']' the enclosing object is continued by writing '{' over the ',' that
// follows (the buffer is ours and parsed in situ anyway).
class HarImporter final : public Importer {
 public:
  explicit HarImporter(std::string bytes) : m_handler(m_capture) {
    m_capture.format = "har";
    m_size = bytes.size();
    m_pos = bytes.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    // RapidJSON's SSE2 scanners read whole 16-byte blocks, up to 15 bytes past the end: pad
    // the buffer so those reads stay inside it (the NULs also end the in-situ stream).
    bytes.append(16, '\0');  // within kInputPadding when the caller reserved it
    m_buffer = m_capture.Adopt(std::move(bytes));
  }

  bool Step(size_t budget) override {
    const size_t start = m_pos;
    while (m_phase != Phase::Done && m_pos - start <= budget) Advance();
    return m_phase == Phase::Done;
  }

  double Progress() const override { return m_size ? double(m_pos) / double(m_size) : 1.0; }

  Capture Take() override {
    while (!Step(SIZE_MAX)) {
    }
    return std::move(m_capture);
  }

 private:
  enum class Phase { Value, Items, AfterContainer, Done };

  void SkipSpace() {
    while (m_pos < m_size && (m_buffer[m_pos] == ' ' || m_buffer[m_pos] == '\n' || m_buffer[m_pos] == '\r' || m_buffer[m_pos] == '\t'))
      ++m_pos;
  }

  // Where to go once a value or container has closed: back to the walked array it sits in,
  // on to the rest of its enclosing object, or done.
  void AfterClose() {
    if (m_handler.StackEmpty()) Finish(true);
    else if (m_handler.InWalkedArray()) m_phase = Phase::Items;
    else m_phase = Phase::AfterContainer;
  }

  void Advance() {
    switch (m_phase) {
      case Phase::Value: {
        rapidjson::InsituStringStream stream(m_buffer + m_pos);
        constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseInsituFlag |
                                    rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseNanAndInfFlag;
        rapidjson::ParseResult r = m_reader.Parse<kFlags>(stream, m_handler);
        if (!r.IsError()) {
          m_pos += stream.Tell();
          AfterClose();
        } else if (r.Code() == rapidjson::kParseErrorTermination && m_handler.m_stopped_at_array) {
          m_handler.m_stopped_at_array = false;
          m_pos += r.Offset() + 1;  // the handler stopped before the '['
          m_first_item = true;
          m_phase = Phase::Items;
        } else {
          Fail(m_pos + r.Offset(), rapidjson::GetParseError_En(r.Code()));
        }
        return;
      }
      case Phase::Items:
        SkipSpace();
        if (m_pos < m_size && m_buffer[m_pos] == ']') {
          ++m_pos;
          m_handler.EndWalkedArray();
          AfterClose();
        } else if (m_first_item || (m_pos < m_size && m_buffer[m_pos] == ',')) {
          if (!m_first_item) ++m_pos;
          m_first_item = false;
          m_phase = Phase::Value;
        } else {
          Fail(m_pos, m_pos >= m_size ? "The document ends inside an array." : "Missing a comma or ']' after an array element.");
        }
        return;
      case Phase::AfterContainer:
        SkipSpace();
        if (m_pos < m_size && m_buffer[m_pos] == ',') {
          m_buffer[m_pos] = '{';
          m_handler.m_continuation = true;
          m_phase = Phase::Value;
        } else if (m_pos < m_size && m_buffer[m_pos] == '}') {
          ++m_pos;
          m_handler.EndEnclosingObject();
          AfterClose();
        } else {
          Fail(m_pos, m_pos >= m_size ? "The document ends inside an object." : "Missing a comma or '}' after an object member.");
        }
        return;
      case Phase::Done:
        return;
    }
  }

  void Fail(size_t offset, const char* what) {
    int entry = m_handler.CurrentEntry();
    size_t message = m_handler.CurrentMessage();
    std::string msg = "JSON error at byte " + std::to_string(offset) + ": " + what;
    if (entry >= 0) {
      msg += " (inside log.entries[" + std::to_string(entry) + "]";
      if (message > 0) msg += ", after _webSocketMessages[" + std::to_string(message - 1) + "]";
      msg += "; what came before it is analysed)";
    }
    if (offset >= m_size) msg += "; the file looks truncated";
    m_capture.errors.insert(m_capture.errors.begin(), msg);
    m_pos = m_size;
    Finish(false);
  }

  void Finish(bool ok) {
    m_phase = Phase::Done;
    m_handler.Finish(ok);
    if (ok) {
      SkipSpace();
      if (m_pos < m_size) {
        if (m_buffer[m_pos] == '\0')
          m_capture.errors.push_back("NUL byte at byte " + std::to_string(m_pos) + "; the rest of the input was ignored");
        else
          m_capture.errors.push_back("ignored " + std::to_string(m_size - m_pos) + " bytes after the JSON value (from byte " +
                                     std::to_string(m_pos) + ")");
      }
    }
    m_pos = m_size;
    SortConnections(m_capture);
  }

  Capture m_capture;
  HarHandler m_handler;
  rapidjson::Reader m_reader;
  char* m_buffer = nullptr;
  size_t m_size = 0, m_pos = 0;
  Phase m_phase = Phase::Value;
  bool m_first_item = false;
};

}  // namespace

std::unique_ptr<Importer> MakeHarImporter(std::string bytes) { return std::make_unique<HarImporter>(std::move(bytes)); }

Capture ImportHar(std::string bytes) { return HarImporter(std::move(bytes)).Take(); }

}  // namespace fi
