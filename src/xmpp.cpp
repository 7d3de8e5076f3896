// XMPP stanza classification with tinyxml2. One document is reused across frames because
// allocation dominates the cost of parsing small stanzas.
#include "xmpp.h"

#include <cstring>

#include "text_util.h"
#include "tinyxml2.h"
#include "xml_split.h"

namespace fi {

using tinyxml2::XMLElement;

const char* StanzaKindName(StanzaKind k) {
  static const char* const names[] = {"empty",    "not-xml",  "open",     "close",     "features",
                                      "stream-error", "auth", "challenge", "response", "success",
                                      "failure",  "iq",       "presence", "message",   "bosh-session",
                                      "bosh-restart", "bosh-terminate", "other"};
  static_assert(std::size(names) == size_t(StanzaKind::Count));
  return names[size_t(k)];
}

const char* IqPayloadName(IqPayload p) {
  static const char* const names[] = {"",           "bind",        "session",      "ping",
                                      "subscribe",  "unsubscribe", "subscription", "pubsub",
                                      "roster",     "disco",       "other"};
  static_assert(std::size(names) == size_t(IqPayload::Count));
  return names[size_t(p)];
}

std::string_view JidBare(std::string_view jid) { return jid.substr(0, jid.find('/')); }
std::string_view JidLocal(std::string_view jid) {
  std::string_view bare = JidBare(jid);
  size_t at = bare.find('@');
  return at == std::string_view::npos ? std::string_view() : bare.substr(0, at);
}
std::string_view JidDomain(std::string_view jid) {
  std::string_view bare = JidBare(jid);
  size_t at = bare.find('@');
  return at == std::string_view::npos ? bare : bare.substr(at + 1);
}

SaslPlain DecodeSaslPlain(std::string_view base64) {
  SaslPlain out;
  auto raw = Base64Decode(base64);
  if (!raw) return out;
  size_t first = raw->find('\0');
  if (first == std::string::npos) return out;
  size_t second = raw->find('\0', first + 1);
  if (second == std::string::npos) return out;
  out.decoded = true;
  out.authzid = RepairUtf8(std::string_view(*raw).substr(0, first));
  out.authcid = RepairUtf8(std::string_view(*raw).substr(first + 1, second - first - 1));
  out.password_length = raw->size() - second - 1;
  return out;
}

namespace {

std::string_view LocalName(const char* qname) {
  std::string_view n(qname ? qname : "");
  size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string Attr(const XMLElement* e, const char* name) {
  const char* v = e->Attribute(name);
  return v ? std::string(v) : std::string();
}

std::string Text(const XMLElement* e) {
  const char* t = e ? e->GetText() : nullptr;
  return t ? std::string(t) : std::string();
}

const XMLElement* Child(const XMLElement* e, std::string_view local) {
  for (const XMLElement* c = e->FirstChildElement(); c; c = c->NextSiblingElement())
    if (LocalName(c->Name()) == local) return c;
  return nullptr;
}

// RFC 6120 error conditions: the first child that is not <text/> (nor an app-specific element
// in another namespace when a standard one exists).
void ReadCondition(const XMLElement* error, Stanza& s) {
  for (const XMLElement* c = error->FirstChildElement(); c; c = c->NextSiblingElement()) {
    std::string_view local = LocalName(c->Name());
    if (local == "text") {
      s.error_text = Text(c);
    } else if (s.condition.empty()) {
      s.condition = std::string(local);
    }
  }
}

void ReadFeatures(const XMLElement* e, Stanza& s) {
  for (const XMLElement* c = e->FirstChildElement(); c; c = c->NextSiblingElement()) {
    std::string_view local = LocalName(c->Name());
    if (local == "mechanisms") {
      s.has_mechanisms = true;
      for (const XMLElement* m = c->FirstChildElement(); m; m = m->NextSiblingElement())
        if (LocalName(m->Name()) == "mechanism") s.mechanisms.push_back(std::string(Trim(Text(m))));
    } else if (local == "bind") {
      s.has_bind = true;
    } else if (local == "session") {
      s.has_session = true;
    } else if (local == "starttls") {
      s.has_starttls = true;
    } else if (local == "c") {
      s.caps_node = Attr(c, "node");
      s.caps_ver = Attr(c, "ver");
    }
  }
}

void ReadIq(const XMLElement* e, Stanza& s) {
  for (const XMLElement* c = e->FirstChildElement(); c; c = c->NextSiblingElement()) {
    std::string_view local = LocalName(c->Name());
    std::string ns = Attr(c, "xmlns");
    if (local == "error") {
      s.error_type = Attr(c, "type");
      ReadCondition(c, s);
      continue;
    }
    if (s.iq_payload != IqPayload::None) continue;
    if (local == "bind") {
      s.iq_payload = IqPayload::Bind;
      s.bind_resource = std::string(Trim(Text(Child(c, "resource"))));
      s.bind_jid = std::string(Trim(Text(Child(c, "jid"))));
    } else if (local == "session") {
      s.iq_payload = IqPayload::Session;
    } else if (local == "ping") {
      s.iq_payload = IqPayload::Ping;
    } else if (local == "pubsub") {
      s.iq_payload = IqPayload::PubsubOther;
      for (const XMLElement* p = c->FirstChildElement(); p; p = p->NextSiblingElement()) {
        std::string_view op = LocalName(p->Name());
        if (op == "subscribe") s.iq_payload = IqPayload::PubsubSubscribe;
        else if (op == "unsubscribe") s.iq_payload = IqPayload::PubsubUnsubscribe;
        else if (op == "subscription") s.iq_payload = IqPayload::PubsubSubscription;
        else continue;
        s.pubsub_node = Attr(p, "node");
        s.pubsub_jid = Attr(p, "jid");
        s.subscription = Attr(p, "subscription");
        break;
      }
      if (s.iq_payload == IqPayload::PubsubOther) {
        if (const XMLElement* first = c->FirstChildElement()) s.pubsub_node = Attr(first, "node");
      }
    } else if (local == "query" && ns == "jabber:iq:roster") {
      s.iq_payload = IqPayload::Roster;
    } else if (local == "query" && ns.rfind("http://jabber.org/protocol/disco", 0) == 0) {
      s.iq_payload = IqPayload::Disco;
    } else {
      s.iq_payload = IqPayload::Other;
    }
  }
}

// The escaped text of the first <notification> element, straight from the payload.
std::string_view RawElementText(std::string_view payload, std::string_view local) {
  std::string open = "<" + std::string(local);
  size_t p = payload.find(open);
  while (p != std::string_view::npos) {
    size_t after = p + open.size();
    if (after < payload.size() && (payload[after] == ' ' || payload[after] == '>' || payload[after] == '/')) break;
    p = payload.find(open, after);
  }
  if (p == std::string_view::npos) return {};
  size_t gt = payload.find('>', p);
  if (gt == std::string_view::npos || payload[gt - 1] == '/') return {};
  size_t end = payload.find("</", gt + 1);
  return end == std::string_view::npos ? std::string_view() : payload.substr(gt + 1, end - gt - 1);
}

void ReadMessage(const XMLElement* e, Stanza& s, std::string_view payload) {
  for (const XMLElement* c = e->FirstChildElement(); c; c = c->NextSiblingElement()) {
    std::string_view local = LocalName(c->Name());
    if (local == "event") {
      s.is_pubsub_event = true;
      const XMLElement* items = Child(c, "items");
      if (!items) continue;
      s.event_node = Attr(items, "node");
      for (const XMLElement* item = items->FirstChildElement(); item; item = item->NextSiblingElement()) {
        if (LocalName(item->Name()) != "item") continue;
        s.item_ids.push_back(Attr(item, "id"));
        if (s.notification_raw.empty() && s.notification_xml.empty()) {
          if (Child(item, "notification")) {
            s.notification_raw = RawElementText(payload, "notification");
          } else if (const XMLElement* u = Child(item, "Update")) {
            // Some tools re-serialise it as child elements; keep it as XML text all the same.
            tinyxml2::XMLPrinter printer(nullptr, true);
            u->Accept(&printer);
            s.notification_xml = printer.CStr();
          }
        }
      }
    } else if (local == "delay") {
      s.delay_stamp = Attr(c, "stamp");
    } else if (local == "error") {
      s.error_type = Attr(c, "type");
      ReadCondition(c, s);
    }
  }
}

void ReadPresence(const XMLElement* e, Stanza& s) {
  for (const XMLElement* c = e->FirstChildElement(); c; c = c->NextSiblingElement()) {
    std::string_view local = LocalName(c->Name());
    if (local == "c") {
      s.caps_node = Attr(c, "node");
      s.caps_ver = Attr(c, "ver");
    } else if (local == "show") {
      s.show = Text(c);
    } else if (local == "delay") {
      s.delay_stamp = Attr(c, "stamp");
    } else if (local == "error") {
      s.error_type = Attr(c, "type");
      ReadCondition(c, s);
    }
  }
}

void ReadBody(const XMLElement* e, Stanza& s) {
  s.bosh_sid = Attr(e, "sid");
  s.bosh_rid = Attr(e, "rid");
  std::string restart = Attr(e, "xmpp:restart");
  if (s.type == "terminate") {
    s.kind = StanzaKind::BoshTerminate;
    s.condition = Attr(e, "condition");
  } else if (restart == "true" || restart == "1") {
    s.kind = StanzaKind::BoshRestart;
  } else {
    s.kind = StanzaKind::BoshSession;
  }
}

// The stanza field a root attribute fills, or null for attributes the checker does not read.
std::string* RootField(Stanza& s, std::string_view name) {
  return name == "to"         ? &s.to
         : name == "from"     ? &s.from
         : name == "id"       ? &s.id
         : name == "type"     ? &s.type
         : name == "xmlns"    ? &s.ns
         : name == "version"  ? &s.version
         : name == "xml:lang" ? &s.lang
                              : nullptr;
}

// [SECTION] Fast path for pubsub notifications
// Notifications are almost all of a large capture, and they come in one shape. This reads
// exactly that shape: <message><event xmlns=pubsub#event><items node><item><notification>TEXT
// </notification></item></items></event></message>, with attributes whose values hold no '&'
// or '<', and TEXT with no '<'. Anything else (comments, CDATA, <delay/>, entities in
// attributes, a mismatched tag) returns false and tinyxml2 reads the frame as usual.
class ShapeReader {
 public:
  explicit ShapeReader(std::string_view s) : m_s(s) {}

  // Reads "<name attr='v' ...>" (not self-closing); calls on_attr(name, value) for each.
  template <typename OnAttr>
  bool Open(std::string_view name, OnAttr on_attr) {
    SkipSpace();
    if (!Eat('<') || !EatWord(name)) return false;
    while (true) {
      size_t before = m_i;
      SkipSpace();
      if (Eat('>')) return true;
      if (m_i == before) return false;  // attributes must be separated by white space
      size_t n0 = m_i;
      while (m_i < m_s.size() && (isalnum((unsigned char)m_s[m_i]) || m_s[m_i] == ':' || m_s[m_i] == '_' ||
                                  m_s[m_i] == '-' || m_s[m_i] == '.'))
        ++m_i;
      std::string_view attr = m_s.substr(n0, m_i - n0);
      if (attr.empty() || !Eat('=')) return false;
      if (m_i >= m_s.size() || (m_s[m_i] != '"' && m_s[m_i] != '\'')) return false;
      char q = m_s[m_i++];
      size_t v0 = m_i;
      size_t end = FindByte(m_s, q, m_i);
      if (end == std::string_view::npos) return false;
      std::string_view value = m_s.substr(v0, end - v0);
      if (value.find_first_of("&<") != std::string_view::npos) return false;
      m_i = end + 1;
      on_attr(attr, value);
    }
  }
  bool Close(std::string_view name) {
    SkipSpace();
    if (!Eat('<') || !Eat('/') || !EatWord(name)) return false;
    SkipSpace();
    return Eat('>');
  }
  // Text up to the next '<', which must open the given end tag.
  bool TextUntilClose(std::string_view name, std::string_view& text) {
    size_t lt = FindByte(m_s, '<', m_i);
    if (lt == std::string_view::npos) return false;
    text = m_s.substr(m_i, lt - m_i);
    m_i = lt;
    return Close(name);
  }
  bool AtEnd() {
    SkipSpace();
    return m_i == m_s.size();
  }

 private:
  void SkipSpace() {
    while (m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\t' || m_s[m_i] == '\r' || m_s[m_i] == '\n')) ++m_i;
  }
  bool Eat(char c) {
    if (m_i < m_s.size() && m_s[m_i] == c) { ++m_i; return true; }
    return false;
  }
  bool EatWord(std::string_view w) {
    if (m_s.compare(m_i, w.size(), w) != 0) return false;
    m_i += w.size();
    // The name must end there ("item" is not "items").
    return m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '>' || m_s[m_i] == '/' || m_s[m_i] == '\t' ||
                                 m_s[m_i] == '\r' || m_s[m_i] == '\n');
  }
  std::string_view m_s;
  size_t m_i = 0;
};

// Writes into `out` as it reads; on false the caller reads the frame again from scratch.
bool ReadNotificationShape(std::string_view text, Stanza& out) {
  ShapeReader r(text);
  bool event_ns = false;
  auto root = [&](std::string_view n, std::string_view v) {
    if (std::string* field = RootField(out, n)) field->assign(v.data(), v.size());
  };
  std::string_view item_id;
  std::string_view payload;
  if (!r.Open("message", root)) return false;
  if (!r.Open("event", [&](std::string_view n, std::string_view v) {
        if (n == "xmlns") event_ns = v == "http://jabber.org/protocol/pubsub#event";
      }))
    return false;
  if (!event_ns) return false;
  if (!r.Open("items", [&](std::string_view n, std::string_view v) {
        if (n == "node") out.event_node.assign(v.data(), v.size());
      }))
    return false;
  if (!r.Open("item", [&](std::string_view n, std::string_view v) {
        if (n == "id") item_id = v;
      }))
    return false;
  if (!r.Open("notification", [](std::string_view, std::string_view) {})) return false;
  if (!r.TextUntilClose("notification", payload)) return false;
  if (!r.Close("item") || !r.Close("items") || !r.Close("event") || !r.Close("message") || !r.AtEnd()) return false;
  out.kind = StanzaKind::Message;
  out.name = "message";
  out.is_pubsub_event = true;
  out.item_ids.emplace_back(item_id);
  out.notification_raw = payload;
  return true;
}

}  // namespace

struct StanzaParser::Impl {
  tinyxml2::XMLDocument doc{true, tinyxml2::PRESERVE_WHITESPACE};
  std::string scratch;
};

StanzaParser::StanzaParser(bool fast_paths) : m_impl(std::make_unique<Impl>()), m_fast_paths(fast_paths) {}
StanzaParser::~StanzaParser() = default;

void Stanza::Clear() {
  kind = StanzaKind::Empty;
  for (std::string* f : {&name, &ns, &to, &from, &id, &type, &version, &lang, &caps_node, &caps_ver, &mechanism,
                         &sasl_payload, &condition, &error_text, &error_type, &bind_resource, &bind_jid, &pubsub_node,
                         &pubsub_jid, &subscription, &event_node, &notification_xml, &delay_stamp, &show, &bosh_sid,
                         &bosh_rid, &parse_error})
    f->clear();
  mechanisms.clear();
  item_ids.clear();
  has_bind = has_session = has_mechanisms = has_starttls = sasl_hidden = is_pubsub_event = false;
  plain = SaslPlain();
  iq_payload = IqPayload::None;
  notification_raw = {};
  parse_error_line = 0;
}

Stanza StanzaParser::Parse(std::string_view payload) {
  Stanza s;
  Parse(payload, s);
  return s;
}

void StanzaParser::Parse(std::string_view payload, Stanza& s) {
  s.Clear();
  std::string_view text = Trim(payload);
  if (text.empty()) return;
  // Skip an XML declaration; RFC 6120 streams open with one.
  if (text.compare(0, 5, "<?xml") == 0) {
    size_t end = text.find("?>");
    text = Trim(end == std::string_view::npos ? std::string_view() : text.substr(end + 2));
    if (text.empty()) return;
  }
  if (text.compare(0, 2, "</") == 0) {
    size_t end = text.find('>');
    std::string_view name = text.substr(2, (end == std::string_view::npos ? text.size() : end) - 2);
    if (IsStreamHeaderName(Trim(name))) {
      s.kind = StanzaKind::Close;
      s.name = "stream";
      return;
    }
  }
  // An RFC 6120 stream header is a start tag that stays open: parse it as if self-closed.
  if (text.size() > 1 && text[0] == '<') {
    size_t name_end = text.find_first_of(" \t\r\n/>", 1);
    if (name_end != std::string_view::npos && IsStreamHeaderName(text.substr(1, name_end - 1))) {
      auto pieces = SplitXmlElements(text);
      if (!pieces.empty() && pieces[0].complete && pieces[0].text.size() >= 2 &&
          pieces[0].text[pieces[0].text.size() - 2] != '/') {
        m_impl->scratch.assign(pieces[0].text.data(), pieces[0].text.size() - 1);
        m_impl->scratch += "/>";
        text = m_impl->scratch;
      }
    }
  }

  if (m_fast_paths && text.compare(0, 8, "<message") == 0) {
    if (ReadNotificationShape(text, s)) return;
    s.Clear();
  }

  // Notifications are most of a large capture, and most of each is the escaped <Update> text,
  // which is kept as it is (see notification_raw). tinyxml2 gets the stanza without that text:
  // the structure is still checked, the bulk is not walked twice.
  std::string_view notification;
  if (text.compare(0, 8, "<message") == 0) {
    std::string_view raw = RawElementText(text, "notification");
    if (!raw.empty() && raw.find('<') == std::string_view::npos) {
      size_t cut = size_t(raw.data() - text.data());
      m_impl->scratch.assign(text.data(), cut);
      m_impl->scratch.append(raw.data() + raw.size(), text.size() - cut - raw.size());
      notification = raw;
      text = m_impl->scratch;
    }
  }

  tinyxml2::XMLDocument& doc = m_impl->doc;
  doc.Clear();
  if (doc.Parse(text.data(), text.size()) != tinyxml2::XML_SUCCESS) {
    s.kind = StanzaKind::NotXml;
    s.parse_error = doc.ErrorStr() ? doc.ErrorStr() : "malformed XML";
    s.parse_error_line = doc.ErrorLineNum();
    return;
  }
  const XMLElement* e = doc.RootElement();
  if (!e) {
    s.kind = StanzaKind::NotXml;
    s.parse_error = "no element";
    return;
  }
  std::string_view qname(e->Name());
  std::string_view local = LocalName(e->Name());
  bool stream_prefixed = qname.size() > local.size();
  s.name = std::string(local);
  // One pass over the attributes: Attribute(name) walks the whole list on every call.
  for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next()) {
    std::string_view n(a->Name());
    if (std::string* field = RootField(s, n)) *field = a->Value();
  }

  if (local == "open" || (local == "stream" && stream_prefixed)) {
    s.kind = StanzaKind::Open;
  } else if (local == "close") {
    s.kind = StanzaKind::Close;
  } else if (local == "features") {
    s.kind = StanzaKind::Features;
    ReadFeatures(e, s);
  } else if (local == "error" && (stream_prefixed || s.ns == "http://etherx.jabber.org/streams")) {
    s.kind = StanzaKind::StreamError;
    ReadCondition(e, s);
  } else if (local == "auth") {
    s.kind = StanzaKind::Auth;
    s.mechanism = Attr(e, "mechanism");
    s.sasl_payload = std::string(Trim(Text(e)));
    // A logger that hides the credentials writes an element in their place (xmpp.js:
    // <hidden xmlns="xmpp.js"/>): nothing was sent wrong, the log just does not show it.
    s.sasl_hidden = e->FirstChildElement() != nullptr;
    if (EqualsIgnoreCase(s.mechanism, "PLAIN") && !s.sasl_hidden) s.plain = DecodeSaslPlain(s.sasl_payload);
  } else if (local == "challenge" || local == "response" || local == "success") {
    s.kind = local == "challenge" ? StanzaKind::Challenge
             : local == "response" ? StanzaKind::Response
                                   : StanzaKind::Success;
    s.sasl_payload = std::string(Trim(Text(e)));
  } else if (local == "failure") {
    s.kind = StanzaKind::Failure;
    ReadCondition(e, s);
  } else if (local == "iq") {
    s.kind = StanzaKind::Iq;
    ReadIq(e, s);
  } else if (local == "presence") {
    s.kind = StanzaKind::Presence;
    ReadPresence(e, s);
  } else if (local == "message") {
    s.kind = StanzaKind::Message;
    ReadMessage(e, s, text);
    if (!notification.empty()) s.notification_raw = notification;
  } else if (local == "body" && s.ns == "http://jabber.org/protocol/httpbind") {
    ReadBody(e, s);
  } else {
    s.kind = StanzaKind::OtherXml;
  }
  return;
}

std::string RevealPlainPassword(std::string_view base64) {
  auto raw = Base64Decode(base64);
  if (!raw) return {};
  size_t second = raw->find('\0', raw->find('\0') + 1);
  return second == std::string::npos ? std::string() : RepairUtf8(raw->substr(second + 1));
}

// The five predefined entities, which is all Finesse's escaping writes. Numeric references or
// CDATA return false and go to tinyxml2.
static bool UnescapePlain(std::string_view raw, std::string& out) {
  out.clear();
  out.reserve(raw.size());
  size_t i = 0;
  while (i < raw.size()) {
    const size_t amp = FindByte(raw, '&', i);
    std::string_view run = raw.substr(i, amp == std::string_view::npos ? std::string_view::npos : amp - i);
    if (run.find('<') != std::string_view::npos) return false;
    out.append(run);
    if (amp == std::string_view::npos) break;
    static constexpr std::pair<std::string_view, char> kEntities[] = {
        {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
    bool known = false;
    for (const auto& [entity, ch] : kEntities)
      if (raw.compare(amp, entity.size(), entity) == 0) {
        out += ch;
        i = amp + entity.size();
        known = true;
        break;
      }
    if (!known) return false;
  }
  return true;
}

std::string NotificationXml(const Stanza& s) {
  if (!s.notification_xml.empty() || s.notification_raw.empty()) return s.notification_xml;
  std::string plain;
  if (UnescapePlain(s.notification_raw, plain)) return plain;
  // Let tinyxml2 undo the escaping (entities, character references, CDATA) on a wrapper.
  std::string wrapped = "<n>" + std::string(s.notification_raw) + "</n>";
  tinyxml2::XMLDocument doc(true, tinyxml2::PRESERVE_WHITESPACE);
  if (doc.Parse(wrapped.data(), wrapped.size()) != tinyxml2::XML_SUCCESS) return {};
  const char* text = doc.RootElement()->GetText();
  return text ? text : "";
}

std::string Summarize(const Stanza& s) {
  std::string out;
  auto add = [&](std::string_view part) {
    if (part.empty()) return;
    if (!out.empty()) out += ' ';
    out += part;
  };
  switch (s.kind) {
    case StanzaKind::Empty: return "(whitespace keep-alive)";
    case StanzaKind::NotXml: return "not XML: " + s.parse_error;
    case StanzaKind::Open:
      add("open");
      if (!s.to.empty()) add("to=" + s.to);
      if (!s.from.empty()) add("from=" + s.from);
      return out;
    case StanzaKind::Close: return "close";
    case StanzaKind::Features: {
      add("features");
      std::string mechs;
      for (const std::string& m : s.mechanisms) mechs += (mechs.empty() ? "" : ",") + m;
      if (!mechs.empty()) add("sasl " + mechs);
      if (s.has_bind) add("bind");
      if (!s.caps_node.empty()) add("caps");
      return out;
    }
    case StanzaKind::StreamError: return "stream error " + s.condition;
    case StanzaKind::Auth:
      add("auth " + s.mechanism);
      if (s.plain.decoded) add(s.plain.authcid.empty() ? s.plain.authzid : s.plain.authcid);
      return out;
    case StanzaKind::Challenge: return "sasl challenge";
    case StanzaKind::Response: return "sasl response";
    case StanzaKind::Success: return "sasl success";
    case StanzaKind::Failure: return "sasl failure " + s.condition;
    case StanzaKind::Iq:
      add("iq " + s.type);
      add(IqPayloadName(s.iq_payload));
      if (s.iq_payload == IqPayload::Bind) {
        if (!s.bind_jid.empty()) add("→ " + s.bind_jid);
        else if (!s.bind_resource.empty()) add("→ " + s.bind_resource);
      }
      add(s.pubsub_node);
      add(s.subscription);
      if (!s.condition.empty()) add("error " + s.condition);
      return out;
    case StanzaKind::Presence:
      add("presence");
      if (!s.type.empty()) add(s.type);
      if (!s.from.empty()) add("from " + s.from);
      if (!s.condition.empty()) add("error " + s.condition);
      return out;
    case StanzaKind::Message:
      if (s.is_pubsub_event) {
        add("pubsub event");
        add(s.event_node);
      } else {
        add("message");
        if (!s.type.empty()) add(s.type);
        if (!s.from.empty()) add("from " + s.from);
      }
      return out;
    case StanzaKind::BoshSession:
      add("bosh session");
      if (!s.bosh_sid.empty()) add("sid=" + s.bosh_sid);
      else if (!s.to.empty()) add("to=" + s.to);
      return out;
    case StanzaKind::BoshRestart: return "bosh restart";
    case StanzaKind::BoshTerminate: return s.condition.empty() ? "bosh terminate" : "bosh terminate " + s.condition;
    case StanzaKind::OtherXml: return "<" + s.name + ">";
    case StanzaKind::Count: break;
  }
  return out;
}

}  // namespace fi
