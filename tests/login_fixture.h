// A healthy Finesse agent login as transcript lines ("seconds DIR xml"), shared by the tests
// that break it in one place (checker) or put REST calls beside it (finesse_rest).
#pragma once

#include <string>
#include <vector>

#include "text_util.h"

namespace fixture {

const std::string kFraming = "xmlns='urn:ietf:params:xml:ns:xmpp-framing'";
const std::string kSasl = "xmlns='urn:ietf:params:xml:ns:xmpp-sasl'";
const std::string kPubsub = "xmlns='http://jabber.org/protocol/pubsub'";

inline std::string Plain(const std::string& authzid, const std::string& authcid, const std::string& password) {
  return fi::Base64Encode(authzid + std::string(1, '\0') + authcid + std::string(1, '\0') + password);
}

inline std::string Event(const std::string& node, const std::string& update) {
  std::string escaped;
  for (char c : update) escaped += c == '<' ? "&lt;" : c == '>' ? "&gt;" : std::string(1, c);
  return "<message from='pubsub.d' id='" + node + "__1001@d__Ab3xZ'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='" +
         node + "'><item id='i'><notification " + kPubsub + ">" + escaped + "</notification></item></items></event></message>";
}

const std::string kReady =
    "<Update><data><user><state>READY</state></user></data><event>PUT</event><requestId></requestId><source>/finesse/api/User/1001</source></Update>";

// A healthy agent login as "seconds DIR xml" lines; tests edit it.
inline std::vector<std::string> Healthy() {
  return {
      "00:00:00.000 SENT: <open " + kFraming + " to='d' version='1.0'/>",
      "00:00:00.010 RECV: <open " + kFraming + " from='d' id='s1' version='1.0'/>",
      "00:00:00.011 RECV: <stream:features><mechanisms " + kSasl + "><mechanism>PLAIN</mechanism></mechanisms></stream:features>",
      "00:00:00.020 SENT: <auth " + kSasl + " mechanism='PLAIN'>" + Plain("1001@d", "1001", "secret") + "</auth>",
      "00:00:00.030 RECV: <success " + kSasl + "/>",
      "00:00:00.040 SENT: <open " + kFraming + " to='d' version='1.0'/>",
      "00:00:00.050 RECV: <open " + kFraming + " from='d' id='s2' version='1.0'/>",
      "00:00:00.051 RECV: <stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>",
      "00:00:00.060 SENT: <iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>desktop</resource></bind></iq>",
      "00:00:00.070 RECV: <iq type='result' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>1001@d/desktop</jid></bind></iq>",
      "00:00:00.080 SENT: <presence/>",
      "00:00:00.090 RECV: <presence from='finesse@d/finesse'/>",
      "00:00:00.100 SENT: <iq type='set' id='sub1' to='pubsub.d'><pubsub " + kPubsub + "><subscribe node='/finesse/api/User/1001' jid='1001@d'/></pubsub></iq>",
      "00:00:00.110 RECV: <iq type='result' id='sub1' from='pubsub.d'><pubsub " + kPubsub + "><subscription node='/finesse/api/User/1001' jid='1001@d' subscription='subscribed'/></pubsub></iq>",
      "00:00:00.200 RECV: " + Event("/finesse/api/User/1001", kReady),
  };
}

inline std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace fixture
