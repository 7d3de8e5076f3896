// Sanitised HAR export: RapidJSON's Reader feeds a filter that masks secrets and writes the rest
// through RapidJSON's Writer unchanged (compact). Objects inside `headers`, `cookies`, `params`
// and `queryString` arrays are held back until they close, because their `value` may come
// before their `name`.
#include <string>
#include <vector>

#include "rapidjson/error/en.h"
#include "rapidjson/reader.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "redact.h"
#include "text_util.h"
#include "workspace.h"

namespace fi {
namespace {

enum class Arr : uint8_t { Other, Headers, Cookies, Params, Messages };

struct Level {
  bool is_object;
  Arr array = Arr::Other;  // for arrays: what they hold
  std::string key;         // for objects: the key being read
};

class SanitizeHandler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, SanitizeHandler> {
 public:
  explicit SanitizeHandler(rapidjson::Writer<rapidjson::StringBuffer>& w) : m_w(w) {}

  bool StartObject() {
    Arr parent = ParentArray();
    if (m_held_depth == 0 && (parent == Arr::Headers || parent == Arr::Cookies || parent == Arr::Params)) {
      m_held_depth = 1;
      m_held.clear();
      m_held_kind = parent;
      m_levels.push_back({true, Arr::Other, {}});
      return true;
    }
    if (m_held_depth > 0) FlushHeld();  // a nested container: give up holding this object
    m_levels.push_back({true, Arr::Other, {}});
    return m_w.StartObject();
  }
  bool EndObject(rapidjson::SizeType n) {
    m_levels.pop_back();
    if (m_held_depth > 0) {
      EmitHeld();
      return true;
    }
    return m_w.EndObject(n);
  }
  bool StartArray() {
    if (m_held_depth > 0) FlushHeld();
    std::string k = m_levels.empty() ? "" : m_levels.back().key;
    Arr a = k == "headers" ? Arr::Headers
            : k == "cookies" ? Arr::Cookies
            : (k == "params" || k == "queryString") ? Arr::Params
            : k == "_webSocketMessages" ? Arr::Messages
                                        : Arr::Other;
    if (m_levels.empty()) a = Arr::Messages;  // a bare list of copied messages
    m_levels.push_back({false, a, {}});
    return m_w.StartArray();
  }
  bool EndArray(rapidjson::SizeType n) {
    m_levels.pop_back();
    return m_w.EndArray(n);
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    m_levels.back().key.assign(s, n);
    if (m_held_depth > 0) {
      m_held.push_back({std::string(s, n), {}, Held::Pending});
      return true;
    }
    return m_w.Key(s, n);
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    std::string_view v(s, n);
    if (m_held_depth > 0) return Hold(Held::Str, std::string(v));
    const std::string& key = m_levels.empty() ? m_empty : m_levels.back().key;
    bool in_message = m_levels.size() >= 2 && m_levels[m_levels.size() - 2].array == Arr::Messages;
    if ((in_message && key == "data") || key == "text") {
      // Frames and BOSH bodies may hold SASL secrets; REST bodies (postData.text, response
      // content) form fields, JSON and XML ones.
      if (auto masked = in_message ? RedactFrame(v) : RedactBody(v)) return Out(*masked);
    } else if (key == "url") {
      return Out(RedactUrl(v));
    }
    return m_w.String(s, n);
  }
  bool Null() { return m_held_depth ? Hold(Held::Null, "") : m_w.Null(); }
  bool Bool(bool b) { return m_held_depth ? Hold(Held::Bool, b ? "true" : "false") : m_w.Bool(b); }
  bool Int(int i) { return m_held_depth ? Hold(Held::Raw, std::to_string(i)) : m_w.Int(i); }
  bool Uint(unsigned i) { return m_held_depth ? Hold(Held::Raw, std::to_string(i)) : m_w.Uint(i); }
  bool Int64(int64_t i) { return m_held_depth ? Hold(Held::Raw, std::to_string(i)) : m_w.Int64(i); }
  bool Uint64(uint64_t i) { return m_held_depth ? Hold(Held::Raw, std::to_string(i)) : m_w.Uint64(i); }
  bool Double(double d) {
    if (!m_held_depth) return m_w.Double(d);
    rapidjson::StringBuffer b;
    rapidjson::Writer<rapidjson::StringBuffer> w(b);
    w.Double(d);
    return Hold(Held::Raw, b.GetString());
  }

 private:
  struct Held {
    enum Type { Pending, Str, Raw, Bool, Null } ;
    std::string key, value;
    Type type;
  };

  Arr ParentArray() const { return m_levels.empty() || m_levels.back().is_object ? Arr::Other : m_levels.back().array; }
  bool Out(const std::string& s) { return m_w.String(s.c_str(), rapidjson::SizeType(s.size())); }

  bool Hold(Held::Type t, std::string v) {
    if (!m_held.empty() && m_held.back().type == Held::Pending) {
      m_held.back().type = t;
      m_held.back().value = std::move(v);
    }
    return true;
  }

  void WriteHeld(const Held& h, const std::string& value) {
    m_w.Key(h.key.c_str(), rapidjson::SizeType(h.key.size()));
    switch (h.type) {
      case Held::Str: Out(value); break;
      case Held::Raw: m_w.RawValue(h.value.c_str(), h.value.size(), rapidjson::kNumberType); break;
      case Held::Bool: m_w.Bool(h.value == "true"); break;
      default: m_w.Null(); break;
    }
  }

  void EmitHeld() {
    m_held_depth = 0;
    std::string name;
    for (const Held& h : m_held)
      if (h.key == "name") name = h.value;
    bool secret = m_held_kind == Arr::Cookies || (m_held_kind == Arr::Headers && IsSecretHeader(name)) ||
                  (m_held_kind == Arr::Params && IsSecretParameter(name));
    m_w.StartObject();
    for (const Held& h : m_held) {
      std::string value = h.value;
      if (h.key == "value" && h.type == Held::Str && secret)
        value = m_held_kind == Arr::Headers ? RedactHeaderValue(name, h.value) : std::string(kMask);
      else if (h.type == Held::Str)
        if (auto jwt = RedactJwts(value)) value = *jwt;  // a token under a name we do not know
      WriteHeld(h, value);
    }
    m_w.EndObject(rapidjson::SizeType(m_held.size()));
  }

  // A held object turned out to nest a container: write what is held so far as it was.
  void FlushHeld() {
    m_held_depth = 0;
    m_w.StartObject();
    for (const Held& h : m_held) {
      if (h.type == Held::Pending) {
        m_w.Key(h.key.c_str(), rapidjson::SizeType(h.key.size()));
        continue;
      }
      WriteHeld(h, h.value);
    }
  }

  rapidjson::Writer<rapidjson::StringBuffer>& m_w;
  std::vector<Level> m_levels;
  std::vector<Held> m_held;
  Arr m_held_kind = Arr::Other;
  int m_held_depth = 0;
  std::string m_empty;
};

}  // namespace

std::string SanitizeHar(std::string_view har, std::string* error) {
  size_t bom = har.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  rapidjson::StringBuffer out;
  out.Reserve(har.size() + 64);
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  SanitizeHandler handler(writer);
  rapidjson::MemoryStream ms(har.data() + bom, har.size() - bom);
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> stream(ms);
  rapidjson::Reader reader;
  rapidjson::ParseResult r = reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseNanAndInfFlag>(stream, handler);
  if (r.IsError()) {
    if (error)
      *error = "cannot sanitise: JSON error at byte " + std::to_string(bom + r.Offset()) + ": " +
               rapidjson::GetParseError_En(r.Code());
    return {};
  }
  return std::string(out.GetString(), out.GetSize());
}

}  // namespace fi
