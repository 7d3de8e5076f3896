// Finesse <Update> decoding with tinyxml2.
#include "finesse_update.h"

#include <cstring>

#include "text_util.h"
#include "tinyxml2.h"

namespace fi {

using tinyxml2::XMLElement;

static std::string ChildText(const XMLElement* e, const char* name) {
  if (!e) return {};
  const XMLElement* c = e->FirstChildElement(name);
  const char* t = c ? c->GetText() : nullptr;
  return t ? std::string(Trim(t)) : std::string();
}

// Finesse writes REST bodies with capitalised names (ErrorType) and notifications without
// (errorType).
static const XMLElement* ChildNoCase(const XMLElement* e, std::string_view name) {
  for (const XMLElement* c = e ? e->FirstChildElement() : nullptr; c; c = c->NextSiblingElement())
    if (EqualsIgnoreCase(c->Name(), name)) return c;
  return nullptr;
}
static std::string ChildTextNoCase(const XMLElement* e, std::string_view name) {
  const XMLElement* c = ChildNoCase(e, name);
  const char* t = c ? c->GetText() : nullptr;
  return t ? std::string(Trim(t)) : std::string();
}

static void ReadErrors(const XMLElement* list, std::vector<ApiError>& out) {
  for (const XMLElement* e = list ? list->FirstChildElement() : nullptr; e; e = e->NextSiblingElement())
    if (EqualsIgnoreCase(e->Name(), "apiError"))
      out.push_back({ChildTextNoCase(e, "errorType"), ChildTextNoCase(e, "errorMessage"), ChildTextNoCase(e, "errorData")});
}

static UserState ReadUser(const XMLElement* user) {
  UserState s;
  s.login_id = ChildText(user, "loginId");
  s.state = ChildText(user, "state");
  if (const XMLElement* rc = user->FirstChildElement("reasonCode")) {
    s.reason_code = ChildText(rc, "code");
    s.reason_label = ChildText(rc, "label");
  }
  return s;
}

std::vector<ApiError> ReadApiErrors(std::string_view xml) {
  std::vector<ApiError> out;
  if (FindText(xml, "rror") == std::string_view::npos) return out;
  tinyxml2::XMLDocument doc(true, tinyxml2::COLLAPSE_WHITESPACE);
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) return out;
  const XMLElement* root = doc.RootElement();
  if (root && EqualsIgnoreCase(root->Name(), "apiErrors")) ReadErrors(root, out);
  return out;
}

// [SECTION] Fast path
// A large capture is mostly user notifications, and decoding each with tinyxml2 tripled the
// cost of a check. This reads the shape Finesse writes: elements without attributes, leaf text
// without entities or runs of white space, no comments, CDATA or declarations. A user, a team's
// users, or any other data kind but apiErrors and SystemInfo (rare; tinyxml2 reads those).
// Anything else returns false, and the caller starts over with tinyxml2.
class UpdateShapeReader {
 public:
  explicit UpdateShapeReader(FinesseUpdate& u) : m_u(u) {}

  // `escaped`: the text as a notification carries it, "&lt;Update&gt;…", read without
  // un-escaping it first. Plain loops: memchr's call costs more than it saves on tags this short.
  bool Read(std::string_view x, bool escaped) {
    const std::string_view lt_mark = escaped ? "&lt;" : "<", gt_mark = escaped ? "&gt;" : ">";
    const char* p = x.data();
    const char* const end = p + x.size();
    auto at = [&](const char* q, std::string_view mark) {
      return size_t(end - q) >= mark.size() && std::memcmp(q, mark.data(), mark.size()) == 0;
    };
    // Control characters (a NUL stops tinyxml2) and, escaped, markup of the carrier: refused.
    auto odd = [&](char c) {
      return (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') || (escaped && c == '<');
    };
    while (true) {
      const char* lt = p;
      while (lt < end && *lt != lt_mark[0]) {
        if (odd(*lt)) return false;
        ++lt;
      }
      std::string_view text(p, size_t(lt - p));
      if (lt == end) return Blank(text) && m_depth == 0 && m_root_done;
      if (!at(lt, lt_mark)) return false;  // an entity in text: tinyxml2 reads it
      const char* t0 = lt + lt_mark.size();
      const char* gt = t0;
      while (gt < end && *gt != gt_mark[0]) {
        if (odd(*gt)) return false;
        ++gt;
      }
      if (gt == t0 || !at(gt, gt_mark)) return false;
      std::string_view tag(t0, size_t(gt - t0));
      if (tag[0] == '/') {
        if (!End(tag.substr(1), text)) return false;
      } else {
        const bool empty = tag.back() == '/';
        if (empty) tag.remove_suffix(1);
        if (!Blank(text) || !Start(tag)) return false;
        if (empty && !End(tag, {})) return false;
      }
      p = gt + gt_mark.size();
    }
  }

 private:
  static bool Blank(std::string_view t) { return Trim(t).empty(); }
  static bool Letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
  static bool Name(std::string_view n) {
    if (n.empty() || !Letter(n[0])) return false;
    for (char c : n)
      if (!(Letter(c) || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
    return true;
  }
  // Leaf text as tinyxml2's COLLAPSE_WHITESPACE would give it, or false when it would differ.
  static bool Text(std::string_view t, std::string_view& out) {
    out = Trim(t);
    char prev = 0;
    for (char c : out) {
      if (c == '&' || c == '\t' || c == '\r' || c == '\n' || (c == ' ' && prev == ' ')) return false;
      prev = c;
    }
    return true;
  }
  // The elements this reader takes a value from may stand once in their parent: a second one
  // (tinyxml2 takes the first, even an empty one) is left to tinyxml2.
  static constexpr uint32_t kEvent = 1, kRequestId = 2, kSource = 4, kData = 8, kState = 16, kReason = 32, kLabel = 64,
                         kCode = 128, kLoginId = 256, kUsers = 512;
  static bool Once(uint32_t& seen, uint32_t bit) {
    if (seen & bit) return false;
    seen |= bit;
    return true;
  }
  bool InData(int depth) const { return depth >= 2 && m_stack[1] == "data"; }

  bool Start(std::string_view name) {
    if (!Name(name) || m_depth == kMaxDepth || (m_depth == 0 && (m_root_done || name != "Update"))) return false;
    if (m_depth > 0) m_had_child[m_depth - 1] = true;
    m_had_child[m_depth] = false;
    m_stack[m_depth] = name;
    // Cheap tests first: this runs for every element of every notification.
    if (m_depth == 1) {
      const uint32_t bit = name == "event" ? kEvent : name == "requestId" ? kRequestId : name == "source" ? kSource
                           : name == "data" ? kData : 0;
      if (bit && !Once(m_update_seen, bit)) return false;
    }
    const bool under_data = m_depth == 2 && m_stack[1] == "data";
    if (under_data) {
      if (name == "apiErrors" || name == "SystemInfo" || !m_u.data_kind.empty()) return false;
      m_u.data_kind = std::string(name);
    }
    if (m_depth == 3 && InData(3)) {
      if ((name == "state" && !Once(m_item_seen, kState)) || (name == "reasonCode" && !Once(m_item_seen, kReason)) ||
          (name == "users" && m_stack[2] == "team" && !Once(m_item_seen, kUsers)))
        return false;
    }
    if (m_depth == 4 && InData(4) && m_stack[3] == "reasonCode" && name == "label" && !Once(m_item_reason_seen, kLabel))
      return false;
    // data/user, data/users/user, data/team/users/user.
    if (m_user_depth < 0 && m_depth >= 2 && m_depth <= 4 && name == "user" &&
        (under_data || (m_depth == 3 && InData(3) && m_stack[2] == "users") ||
         (m_depth == 4 && InData(4) && m_stack[2] == "team" && m_stack[3] == "users"))) {
      m_user_depth = m_depth;
      m_user_seen = m_user_reason_seen = 0;
      m_u.users.emplace_back();
    } else if (m_user_depth >= 0 && m_depth == m_user_depth + 1) {
      const uint32_t bit = name == "loginId" ? kLoginId : name == "state" ? kState : name == "reasonCode" ? kReason : 0;
      if (bit && !Once(m_user_seen, bit)) return false;
    } else if (m_user_depth >= 0 && m_depth == m_user_depth + 2 && m_stack[m_depth - 1] == "reasonCode") {
      const uint32_t bit = name == "code" ? kCode : name == "label" ? kLabel : 0;
      if (bit && !Once(m_user_reason_seen, bit)) return false;
    }
    ++m_depth;
    return true;
  }
  bool End(std::string_view name, std::string_view raw) {
    if (m_depth == 0 || m_stack[m_depth - 1] != name) return false;
    --m_depth;
    // Text after child elements is mixed content: GetText() would not give it.
    if (m_had_child[m_depth] && !Blank(raw)) return false;
    std::string_view text;
    if (!Text(raw, text)) return false;
    if (m_depth == 0) m_root_done = true;
    if (m_depth == 1) {
      if (name == "event")
        for (char c : text) m_u.event += char(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
      else if (name == "requestId") m_u.request_id = std::string(text);
      else if (name == "source") m_u.source = std::string(text);
    }
    // The data item's own state and reason label (a user's, a dialog's).
    if (m_depth == 3 && InData(3) && name == "state") m_u.state = std::string(text);
    if (m_depth == 4 && InData(4) && name == "label" && m_stack[3] == "reasonCode") m_u.reason = std::string(text);
    if (m_user_depth >= 0) {
      UserState& us = m_u.users.back();
      if (m_depth == m_user_depth) {
        m_user_depth = -1;
      } else if (m_depth == m_user_depth + 1) {
        if (name == "loginId") us.login_id = std::string(text);
        else if (name == "state") us.state = std::string(text);
      } else if (m_depth == m_user_depth + 2 && m_stack[m_depth - 1] == "reasonCode") {
        if (name == "code") us.reason_code = std::string(text);
        else if (name == "label") us.reason_label = std::string(text);
      }
    }
    return true;
  }

  static constexpr int kMaxDepth = 16;
  FinesseUpdate& m_u;
  std::string_view m_stack[kMaxDepth];
  bool m_had_child[kMaxDepth] = {};
  int m_depth = 0, m_user_depth = -1;
  uint32_t m_update_seen = 0, m_item_seen = 0, m_item_reason_seen = 0, m_user_seen = 0, m_user_reason_seen = 0;
  bool m_root_done = false;
};

bool ReadUpdateShape(std::string_view text, bool escaped, FinesseUpdate& out) {
  out = FinesseUpdate();
  out.ok = UpdateShapeReader(out).Read(text, escaped);
  return out.ok;
}

FinesseUpdate DecodeUpdate(std::string_view xml, bool fast_path) {
  if (FinesseUpdate fast; fast_path && ReadUpdateShape(xml, false, fast)) return fast;
  FinesseUpdate u;
  tinyxml2::XMLDocument doc(true, tinyxml2::COLLAPSE_WHITESPACE);
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) {
    u.error = std::string("the <Update> is not well-formed XML: ") + (doc.ErrorStr() ? doc.ErrorStr() : "");
    return u;
  }
  const XMLElement* root = doc.RootElement();
  if (!root || std::string_view(root->Name()) != "Update") {
    u.error = std::string("expected <Update>, found <") + (root ? root->Name() : "") + ">";
    return u;
  }
  u.ok = true;
  for (char c : ChildText(root, "event")) u.event += char(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  u.request_id = ChildText(root, "requestId");
  u.source = ChildText(root, "source");
  const XMLElement* data = root->FirstChildElement("data");
  const XMLElement* item = data ? data->FirstChildElement() : nullptr;
  if (!item) return u;
  u.data_kind = item->Name();
  if (u.data_kind == "apiErrors") {
    ReadErrors(item, u.api_errors);
  } else if (u.data_kind == "SystemInfo") {
    u.state = ChildText(item, "status");
  } else {
    u.state = ChildText(item, "state");
    if (const XMLElement* rc = item->FirstChildElement("reasonCode")) u.reason = ChildText(rc, "label");
    // A team's notification lists its members: <team><users><user>…, or <users><user>….
    const XMLElement* list = u.data_kind == "team" ? item->FirstChildElement("users") : u.data_kind == "users" ? item : nullptr;
    if (u.data_kind == "user") u.users.push_back(ReadUser(item));
    for (const XMLElement* e = list ? list->FirstChildElement("user") : nullptr; e; e = e->NextSiblingElement("user"))
      u.users.push_back(ReadUser(e));
  }
  return u;
}

bool MayHoldApiErrors(std::string_view xml) { return FindText(xml, "apiErrors") != std::string_view::npos; }
bool MayBeOutOfService(std::string_view xml) { return FindText(xml, "OUT_OF_SERVICE") != std::string_view::npos; }

bool MayHoldRequestId(std::string_view xml) {
  // Every occurrence: a word in the data ("user.requestId") may come before the element.
  for (size_t at = FindText(xml, "requestId"); at != std::string_view::npos; at = FindText(xml, "requestId", at + 9)) {
    // Only an opening tag: "<requestId" or "&lt;requestId", not "</requestId".
    const bool open = (at >= 1 && xml[at - 1] == '<') || (at >= 4 && xml.compare(at - 4, 4, "&lt;") == 0);
    if (!open) continue;
    std::string_view rest = xml.substr(at + 9);
    auto starts = [&](std::string_view p) { return rest.compare(0, p.size(), p) == 0; };
    if (starts("/")) continue;  // <requestId/>
    if (starts(">")) rest.remove_prefix(1);
    else if (starts("&gt;")) rest.remove_prefix(4);
    else continue;  // not the element's tag
    rest = Trim(rest);
    if (!(starts("<") || starts("&lt;"))) return true;
  }
  return false;
}

std::string PrettyXml(std::string_view xml) {
  tinyxml2::XMLDocument doc(true, tinyxml2::COLLAPSE_WHITESPACE);
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) return std::string(xml);
  tinyxml2::XMLPrinter printer;
  doc.Print(&printer);
  std::string out(printer.CStr());
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string SummarizeUpdate(const FinesseUpdate& u) {
  if (!u.ok) return {};
  std::string out = u.event;
  auto add = [&](const std::string& part) {
    if (part.empty()) return;
    if (!out.empty()) out += " · ";
    out += part;
  };
  if (u.data_kind == "apiErrors") {
    add("apiErrors");
    if (!u.api_errors.empty()) add(u.api_errors[0].type);
  } else {
    add(u.state);
    add(u.reason);
    if (u.state.empty()) add(u.data_kind);
  }
  return out;
}

}  // namespace fi
