// Generates the benchmark HAR: Chrome-shaped, mostly response bodies (as a real devtools export
// of a Finesse desktop is), plus one WebSocket connection carrying a full agent login and N
// notification frames.
//   make-bench-har OUT.har [total-MB (200)] [notifications (100000)]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "rapidjson/filewritestream.h"
#include "rapidjson/writer.h"
#include "text_util.h"

namespace {

using Writer = rapidjson::Writer<rapidjson::FileWriteStream>;

void Str(Writer& w, const std::string& s) { w.String(s.c_str(), rapidjson::SizeType(s.size())); }

void Header(Writer& w, const char* name, const char* value) {
  w.StartObject();
  w.Key("name"); w.String(name);
  w.Key("value"); w.String(value);
  w.EndObject();
}

void Message(Writer& w, const char* type, double t, const std::string& data) {
  w.StartObject();
  w.Key("type"); w.String(type);
  w.Key("time"); w.Double(t);
  w.Key("opcode"); w.Int(1);
  w.Key("data"); Str(w, data);
  w.EndObject();
}

std::string Escape(const std::string& xml) {
  std::string out;
  for (char c : xml) out += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: make-bench-har OUT.har [total-MB] [notifications]\n");
    return 2;
  }
  const double total_mb = argc > 2 ? std::atof(argv[2]) : 200;
  const long notifications = argc > 3 ? std::atol(argv[3]) : 100000;
  FILE* f = std::fopen(argv[1], "wb");
  if (!f) { std::perror(argv[1]); return 2; }
  static char buffer[1 << 16];
  rapidjson::FileWriteStream os(f, buffer, sizeof buffer);
  Writer w(os);
  const double t0 = 1714557600.0;
  const std::string domain = "uccxpub.prabhat.com";

  w.StartObject();
  w.Key("log"); w.StartObject();
  w.Key("version"); w.String("1.2");
  w.Key("creator"); w.StartObject(); w.Key("name"); w.String("WebInspector"); w.Key("version"); w.String("537.36"); w.EndObject();
  w.Key("pages"); w.StartArray(); w.EndArray();
  w.Key("entries"); w.StartArray();

  // The WebSocket first, as it opens early in a desktop session.
  w.StartObject();
  w.Key("startedDateTime"); Str(w, fi::FormatIsoTime(t0));
  w.Key("time"); w.Double(30.5);
  w.Key("_resourceType"); w.String("websocket");
  w.Key("request"); w.StartObject();
  w.Key("method"); w.String("GET");
  w.Key("url"); Str(w, "wss://" + domain + ":8445/ws/");
  w.Key("httpVersion"); w.String("HTTP/1.1");
  w.Key("headers"); w.StartArray();
  Header(w, "Upgrade", "websocket"); Header(w, "Connection", "Upgrade"); Header(w, "Sec-WebSocket-Protocol", "xmpp");
  w.EndArray(); w.EndObject();
  w.Key("response"); w.StartObject();
  w.Key("status"); w.Int(101); w.Key("statusText"); w.String("Switching Protocols");
  w.Key("headers"); w.StartArray();
  Header(w, "Upgrade", "websocket"); Header(w, "Connection", "Upgrade"); Header(w, "Sec-WebSocket-Protocol", "xmpp");
  w.EndArray();
  w.Key("content"); w.StartObject(); w.Key("size"); w.Int(0); w.Key("mimeType"); w.String("x-unknown"); w.EndObject();
  w.EndObject();
  w.Key("_webSocketMessages"); w.StartArray();
  const std::string fr = "xmlns=\"urn:ietf:params:xml:ns:xmpp-framing\"";
  const std::string auth = fi::Base64Encode(std::string("1001@") + domain + '\0' + "1001" + '\0' + "password");
  double t = t0 + 0.01;
  auto step = [&](const char* type, const std::string& data) { Message(w, type, t, data); t += 0.005; };
  step("send", "<open " + fr + " to=\"" + domain + "\" version=\"1.0\"/>");
  step("receive", "<open " + fr + " from=\"" + domain + "\" id=\"a1\" version=\"1.0\"/>");
  step("receive", "<stream:features xmlns:stream=\"http://etherx.jabber.org/streams\"><mechanisms xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><mechanism>PLAIN</mechanism></mechanisms></stream:features>");
  step("send", "<auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\" mechanism=\"PLAIN\">" + auth + "</auth>");
  step("receive", "<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>");
  step("send", "<open " + fr + " to=\"" + domain + "\" version=\"1.0\"/>");
  step("receive", "<open " + fr + " from=\"" + domain + "\" id=\"a1\" version=\"1.0\"/>");
  step("receive", "<stream:features xmlns:stream=\"http://etherx.jabber.org/streams\"><bind xmlns=\"urn:ietf:params:xml:ns:xmpp-bind\"/></stream:features>");
  step("send", "<iq type=\"set\" id=\"b1\"><bind xmlns=\"urn:ietf:params:xml:ns:xmpp-bind\"><resource>desktop</resource></bind></iq>");
  step("receive", "<iq type=\"result\" id=\"b1\"><bind xmlns=\"urn:ietf:params:xml:ns:xmpp-bind\"><jid>1001@" + domain + "/desktop</jid></bind></iq>");
  step("send", "<presence/>");
  step("receive", "<presence from=\"finesse@" + domain + "/finesse\"/>");
  step("send", "<iq type=\"set\" id=\"s1\" to=\"pubsub." + domain + "\"><pubsub xmlns=\"http://jabber.org/protocol/pubsub\"><subscribe node=\"/finesse/api/User/1001\" jid=\"1001@" + domain + "\"/></pubsub></iq>");
  step("receive", "<iq type=\"result\" id=\"s1\" from=\"pubsub." + domain + "\"><pubsub xmlns=\"http://jabber.org/protocol/pubsub\"><subscription node=\"/finesse/api/User/1001\" jid=\"1001@" + domain + "\" subscription=\"subscribed\"/></pubsub></iq>");
  const char* states[] = {"READY", "NOT_READY", "TALKING", "WORK", "READY"};
  size_t ws_bytes = 0;
  for (long i = 0; i < notifications; ++i) {
    std::string update = "<Update><data><user><dialogs>/finesse/api/User/1001/Dialogs</dialogs><extension>1001001</extension>"
                         "<firstName>Agent</firstName><lastName>One</lastName><loginId>1001</loginId><state>" +
                         std::string(states[i % 5]) + "</state><stateChangeTime>2024-05-01T10:00:00.000Z</stateChangeTime>"
                         "<teamId>1</teamId><teamName>Default</teamName></user></data><event>PUT</event><requestId></requestId>"
                         "<source>/finesse/api/User/1001</source></Update>";
    std::string msg = "<message from=\"pubsub." + domain + "\" to=\"1001@" + domain + "/desktop\" id=\"/finesse/api/User/1001__1001@" +
                      domain + "__" + std::to_string(10000 + i % 90000) + "\"><event xmlns=\"http://jabber.org/protocol/pubsub#event\">"
                      "<items node=\"/finesse/api/User/1001\"><item id=\"" + std::to_string(i) + "\"><notification xmlns=\"http://jabber.org/protocol/pubsub\">" +
                      Escape(update) + "</notification></item></items></event></message>";
    ws_bytes += msg.size();
    t = t0 + 1.0 + double(i) * 0.1;
    Message(w, "receive", t, msg);
  }
  w.EndArray();
  w.EndObject();

  // Then ordinary requests whose bodies make up the rest of the size.
  std::string body;
  for (int i = 0; body.size() < 60000; ++i)
    body += "function gadget" + std::to_string(i) + "(a,b){return \"<div class=\\\"finesse\\\">\"+a+b+\"</div>\";}\n";
  const double target = total_mb * 1024 * 1024;
  double written = double(ws_bytes) * 1.1;
  for (int i = 0; written < target; ++i) {
    w.StartObject();
    w.Key("startedDateTime"); Str(w, fi::FormatIsoTime(t0 + i * 0.01));
    w.Key("time"); w.Double(12.0);
    w.Key("_resourceType"); w.String("script");
    w.Key("request"); w.StartObject();
    w.Key("method"); w.String("GET");
    w.Key("url"); Str(w, "https://" + domain + ":8445/desktop/js/gadget" + std::to_string(i) + ".js");
    w.Key("headers"); w.StartArray(); Header(w, "Accept", "*/*"); w.EndArray();
    w.EndObject();
    w.Key("response"); w.StartObject();
    w.Key("status"); w.Int(200); w.Key("statusText"); w.String("OK");
    w.Key("headers"); w.StartArray(); Header(w, "Content-Type", "application/javascript"); w.EndArray();
    w.Key("content"); w.StartObject();
    w.Key("size"); w.Uint64(body.size()); w.Key("mimeType"); w.String("application/javascript");
    w.Key("text"); Str(w, body);
    w.EndObject();
    w.EndObject();
    w.EndObject();
    written += double(body.size()) * 1.05 + 400;
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  os.Flush();
  std::fclose(f);
  return 0;
}
