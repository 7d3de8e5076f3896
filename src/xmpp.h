// XMPP framing and stanza classification (tinyxml2): what one frame says, reduced to the facts
// the checker and the views need. RFC 7395 framing, RFC 6120 SASL/bind/stream errors, XEP-0060
// pubsub, XEP-0199 ping, XEP-0124/0206 BOSH bodies.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fi {

enum class StanzaKind : uint8_t {
  Empty,           // whitespace keep-alive
  NotXml,          // not well-formed XML
  Open,            // <open/> (RFC 7395) or <stream:stream> (RFC 6120)
  Close,           // <close/> or </stream:stream>
  Features,        // <stream:features>
  StreamError,     // <stream:error>
  Auth,            // SASL <auth>
  Challenge,       // SASL <challenge>
  Response,        // SASL <response>
  Success,         // SASL <success>
  Failure,         // SASL <failure>
  Iq,
  Presence,
  Message,
  BoshSession,     // <body> that opens a BOSH session (request: to=, response: sid=)
  BoshRestart,     // <body xmpp:restart="true">
  BoshTerminate,   // <body type="terminate">
  OtherXml,        // well-formed but none of the above (e.g. stream management)
  Count
};
const char* StanzaKindName(StanzaKind k);

// What an iq carries, by its first child.
enum class IqPayload : uint8_t { None, Bind, Session, Ping, PubsubSubscribe, PubsubUnsubscribe,
                                 PubsubSubscription, PubsubOther, Roster, Disco, Other, Count };
const char* IqPayloadName(IqPayload p);

struct SaslPlain {
  bool decoded = false;  // base64 and NUL layout were valid
  std::string authzid;
  std::string authcid;
  size_t password_length = 0;
};

struct Stanza {
  StanzaKind kind = StanzaKind::Empty;
  std::string name;  // local element name
  std::string ns;    // xmlns
  std::string to, from, id, type, version, lang;

  // Open / Features
  std::vector<std::string> mechanisms;
  bool has_mechanisms = false;  // a SASL <mechanisms> element, even an empty one
  bool has_bind = false;
  bool has_session = false;
  bool has_starttls = false;
  std::string caps_node, caps_ver;

  // Auth
  std::string mechanism;
  std::string sasl_payload;  // base64 as sent
  SaslPlain plain;
  bool sasl_hidden = false;  // the log replaced the credentials with an element

  // Failure, StreamError, iq error, BoshTerminate
  std::string condition;
  std::string error_text;
  std::string error_type;  // iq error type= (cancel, auth, ...)

  // Iq
  IqPayload iq_payload = IqPayload::None;
  std::string bind_resource, bind_jid;
  std::string pubsub_node, pubsub_jid, subscription;  // subscribe / subscription

  // Message: pubsub event
  bool is_pubsub_event = false;
  std::string event_node;
  std::vector<std::string> item_ids;
  // Finesse's <Update> as the frame carries it: XML-escaped text inside <notification>. It points
  // into the parsed payload and stays escaped, because un-escaping costs more than the rest of the
  // parse; NotificationXml() does it when the Update is shown or a finding needs it.
  std::string_view notification_raw;
  std::string notification_xml;  // set instead when a tool re-serialised <Update> as child elements
  std::string delay_stamp;

  // Presence
  std::string show;

  // BOSH body
  std::string bosh_sid, bosh_rid;

  // NotXml
  std::string parse_error;
  int parse_error_line = 0;

  // Empties every field but keeps the strings' memory, so one Stanza can be reused per frame.
  void Clear();
};

// Parses one frame. Reuses one tinyxml2 document per thread of use, so keep one classifier.
class StanzaParser {
 public:
  // fast_paths: read the common notification shape without tinyxml2 (tests turn it off to
  // compare both readings).
  explicit StanzaParser(bool fast_paths = true);
  ~StanzaParser();
  StanzaParser(const StanzaParser&) = delete;
  StanzaParser& operator=(const StanzaParser&) = delete;

  Stanza Parse(std::string_view payload);
  // The same, into a Stanza that is reused (no allocation once its strings have grown).
  void Parse(std::string_view payload, Stanza& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  bool m_fast_paths;
};

// "user@domain/resource" helpers.
std::string_view JidLocal(std::string_view jid);
std::string_view JidDomain(std::string_view jid);
std::string_view JidBare(std::string_view jid);

// Decodes RFC 4616 PLAIN ("authzid NUL authcid NUL password", base64).
SaslPlain DecodeSaslPlain(std::string_view base64);

// The <Update> XML of a pubsub event, un-escaped; "" when the event carries none.
std::string NotificationXml(const Stanza& s);

// The password of a PLAIN payload, for an explicit reveal only ("" when it does not decode).
std::string RevealPlainPassword(std::string_view base64);

// One-line human summary such as "iq set bind → desktop".
std::string Summarize(const Stanza& s);

}  // namespace fi
