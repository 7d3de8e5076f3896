// BOSH body expansion and session grouping.
#include "bosh.h"

#include <algorithm>
#include <map>

#include "text_util.h"
#include "tinyxml2.h"

namespace fi {

static std::string AttrOf(const tinyxml2::XMLElement* e, const char* name) {
  const char* v = e->Attribute(name);
  return v ? v : "";
}

// The body's own start tag, as an empty element, so the frame list shows the session request,
// restart or terminate with its attributes (children are frames of their own).
static std::string BodyTagOnly(const tinyxml2::XMLElement* body) {
  std::string out = "<body";
  for (const tinyxml2::XMLAttribute* a = body->FirstAttribute(); a; a = a->Next()) {
    tinyxml2::XMLPrinter p(nullptr, true);
    p.PushText(a->Value());  // escapes &, <, > and quotes consistently
    out += ' ';
    out += a->Name();
    out += "=\"";
    std::string v = p.CStr();
    for (char c : v) out += c == '"' ? std::string("&quot;") : std::string(1, c);
    out += '"';
  }
  out += "/>";
  return out;
}

BodyInfo ExpandBoshBody(std::string_view body_xml, Direction dir, double time, uint32_t source_index,
                        Connection& conn, Capture& capture) {
  BodyInfo info;
  std::string_view text = Trim(body_xml);
  if (text.empty()) return info;
  tinyxml2::XMLDocument doc(true, tinyxml2::PRESERVE_WHITESPACE);
  if (doc.Parse(text.data(), text.size()) != tinyxml2::XML_SUCCESS) {
    info.error = std::string("BOSH body is not well-formed XML: ") + (doc.ErrorStr() ? doc.ErrorStr() : "");
    // Keep the raw text as a frame so the user can see it.
    conn.frames.push_back({dir, opcode::kText, time, capture.Keep(std::string(text)), source_index});
    return info;
  }
  const tinyxml2::XMLElement* body = doc.RootElement();
  if (!body || std::string_view(body->Name()) != "body") {
    info.error = "expected a BOSH <body> element";
    conn.frames.push_back({dir, opcode::kText, time, capture.Keep(std::string(text)), source_index});
    return info;
  }
  info.parsed = true;
  info.sid = AttrOf(body, "sid");
  info.rid = AttrOf(body, "rid");
  info.to = AttrOf(body, "to");
  info.type = AttrOf(body, "type");
  info.condition = AttrOf(body, "condition");
  info.requests = body->IntAttribute("requests", 0);
  info.wait = body->IntAttribute("wait", 0);
  std::string restart = AttrOf(body, "xmpp:restart");
  info.restart = restart == "true" || restart == "1";

  bool session_request = dir == Direction::Sent && info.sid.empty() && !info.to.empty();
  bool session_response = dir == Direction::Received && !info.sid.empty() &&
                          (body->Attribute("wait") || body->Attribute("requests") || body->Attribute("inactivity"));
  bool terminate = info.type == "terminate";
  if (session_request || session_response || info.restart || terminate)
    conn.frames.push_back({dir, opcode::kText, time, capture.Keep(BodyTagOnly(body)), source_index});

  for (const tinyxml2::XMLElement* c = body->FirstChildElement(); c; c = c->NextSiblingElement()) {
    tinyxml2::XMLPrinter printer(nullptr, true);
    c->Accept(&printer);
    conn.frames.push_back({dir, opcode::kText, time, capture.Keep(printer.CStr()), source_index});
    ++info.stanzas;
  }
  return info;
}

void BuildBoshConnections(std::vector<BoshExchange>& exchanges, Capture& capture) {
  if (exchanges.empty()) return;
  std::stable_sort(exchanges.begin(), exchanges.end(), [](const BoshExchange& a, const BoshExchange& b) {
    double ta = HasTime(a.sent_time) ? a.sent_time : 0, tb = HasTime(b.sent_time) ? b.sent_time : 0;
    return ta < tb;
  });
  std::map<std::string, size_t> by_sid;  // sid -> index in capture.connections
  const size_t first_new = capture.connections.size();
  auto new_session = [&](const BoshExchange& x) {
    Connection conn;
    conn.transport = Transport::Bosh;
    conn.url = x.url;
    conn.start_time = x.sent_time;
    conn.source_entry = x.entry;
    conn.handshake.present = true;
    conn.handshake.method = "POST";
    conn.handshake.status = x.status;
    conn.handshake.error = x.error;
    conn.handshake.request_headers = x.request_headers;
    conn.handshake.response_headers = x.response_headers;
    capture.connections.push_back(std::move(conn));
    return capture.connections.size() - 1;
  };
  for (BoshExchange& x : exchanges) {
    std::string where = "log.entries[" + std::to_string(x.entry) + "]";
    // Expand first, then find the session by the request's sid; a request without one opens one.
    Connection request;
    BodyInfo sent = ExpandBoshBody(x.request_body, Direction::Sent, x.sent_time, uint32_t(x.entry), request, capture);
    if (!sent.error.empty()) capture.errors.push_back(where + " request: " + sent.error);
    size_t index;
    auto known = by_sid.find(sent.sid);
    if (!sent.sid.empty() && known != by_sid.end()) {
      index = known->second;
    } else {
      // A new session, or a sid we never saw created (the capture started mid-session).
      index = new_session(x);
      if (!sent.sid.empty()) by_sid[sent.sid] = index;
    }
    Connection& conn = capture.connections[index];
    conn.frames.insert(conn.frames.end(), request.frames.begin(), request.frames.end());
    // No status and no error: the request was still waiting when the capture was saved.
    if (x.status == 0 && x.error.empty()) continue;
    if (x.status != 200 || !x.error.empty()) {
      std::string what = "HTTP " + std::to_string(x.status);
      if (!x.error.empty()) what += " " + x.error;
      conn.frames.push_back({Direction::Error, opcode::kText, x.received_time,
                             capture.Keep(what + " on BOSH request rid=" + sent.rid), uint32_t(x.entry)});
      continue;
    }
    BodyInfo got = ExpandBoshBody(x.response_body, Direction::Received, x.received_time, uint32_t(x.entry), conn, capture);
    if (!got.error.empty()) capture.errors.push_back(where + " response: " + got.error);
    if (!got.sid.empty() && !by_sid.count(got.sid)) by_sid[got.sid] = index;
  }
  for (size_t i = first_new; i < capture.connections.size(); ++i) {
    auto& frames = capture.connections[i].frames;
    // Long polls overlap: order frames by when they crossed the wire.
    std::stable_sort(frames.begin(), frames.end(), [](const Frame& a, const Frame& b) {
      return (HasTime(a.time) ? a.time : 0) < (HasTime(b.time) ? b.time : 0);
    });
  }
}

}  // namespace fi
