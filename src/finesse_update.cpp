// Finesse <Update> decoding with tinyxml2.
#include "finesse_update.h"

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

FinesseUpdate DecodeUpdate(std::string_view xml) {
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
    for (const XMLElement* e = item->FirstChildElement("apiError"); e; e = e->NextSiblingElement("apiError"))
      u.api_errors.push_back({ChildText(e, "errorType"), ChildText(e, "errorMessage"), ChildText(e, "errorData")});
  } else if (u.data_kind == "SystemInfo") {
    u.state = ChildText(item, "status");
  } else {
    u.state = ChildText(item, "state");
    if (const XMLElement* rc = item->FirstChildElement("reasonCode")) u.reason = ChildText(rc, "label");
  }
  return u;
}

bool MayHoldApiErrors(std::string_view xml) { return FindText(xml, "apiErrors") != std::string_view::npos; }
bool MayBeOutOfService(std::string_view xml) { return FindText(xml, "OUT_OF_SERVICE") != std::string_view::npos; }

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
