// The findings catalogue, the step details and the condition tables (data), and the one place
// that turns a code plus arguments into text.
//
// [SECTION] Templates
// [SECTION] Findings (data)
// [SECTION] Step details (data)
// [SECTION] Conditions (data)
#include "findings.h"

#include <algorithm>
#include <iterator>

namespace fi {

const char* SeverityName(Severity s) {
  static const char* const names[] = {"error", "warning", "info"};
  static_assert(std::size(names) == size_t(Severity::Count));
  return names[size_t(s)];
}

// [SECTION] Templates

static const std::string* FindArg(const TextArgs& args, std::string_view name) {
  for (const TextArg& a : args)
    if (a.name == name) return &a.value;
  return nullptr;
}

// Renders [from, to) of tmpl; false when a named argument is empty or absent.
static bool RenderRange(std::string_view tmpl, const TextArgs& args, std::string& out) {
  bool all_present = true;
  size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl.compare(i, 2, "[[") == 0) {
      // Optional segment: find its matching "]]" (segments may nest).
      int depth = 1;
      size_t j = i + 2;
      while (j < tmpl.size() && depth > 0) {
        if (tmpl.compare(j, 2, "[[") == 0) { ++depth; j += 2; continue; }
        if (tmpl.compare(j, 2, "]]") == 0) { --depth; j += 2; continue; }
        ++j;
      }
      std::string inner;
      size_t inner_end = depth == 0 ? j - 2 : j;
      if (RenderRange(tmpl.substr(i + 2, inner_end - i - 2), args, inner)) out += inner;
      i = j;
      continue;
    }
    if (tmpl[i] == '{') {
      size_t close = tmpl.find('}', i);
      if (close != std::string_view::npos) {
        std::string_view name = tmpl.substr(i + 1, close - i - 1);
        // "{?flag}" only asks that the flag be set; it writes nothing.
        const bool flag_only = !name.empty() && name[0] == '?';
        const std::string* v = FindArg(args, flag_only ? name.substr(1) : name);
        if (!v || v->empty()) all_present = false;
        else if (!flag_only) out += *v;
        i = close + 1;
        continue;
      }
    }
    out += tmpl[i++];
  }
  return all_present;
}

std::string RenderTemplate(std::string_view tmpl, const TextArgs& args) {
  std::string out;
  RenderRange(tmpl, args, out);
  return out;
}

// [SECTION] Findings (data)

namespace {
using C = FindingCode;
constexpr Severity E = Severity::Error, W = Severity::Warning, I = Severity::Info;

// A WebSocket error frame and a failed BOSH request have the same likely causes.
constexpr const char* kTransportErrorHint =
    "[[{?cert}The certificate of this host and port is not trusted in this browser: open https://<host>:<port>/ in a "
    "tab, accept or install the certificate (or the Finesse CA), then reload the desktop.]][[{?other}Look for a proxy "
    "or firewall between the browser and port 8445/7443, and for the Finesse node going down at that moment.]]";

constexpr FindingSpec kFindings[] = {
    {C::UpgradeFailed, "upgrade-failed", E, "The WebSocket upgrade failed: {status}[[ ({error})]][[, close code {close_code}]].",
     "[[{?tls}Likely causes, most common first: the certificate of {host} is not trusted in this browser (open "
     "https://{host}/ in a tab and accept it, or install the Finesse CA); port {port} is blocked by a firewall; a "
     "proxy drops the Upgrade header.]][[{?plain}Likely causes: nothing listens at {host} (wrong host or port, or the "
     "server is down); port {port} is blocked by a firewall; a proxy drops the Upgrade header.]]"},
    {C::WebSocketError, "websocket-error", E, "The browser reported a WebSocket error: {text}",
     kTransportErrorHint},
    {C::NoXmppSubprotocol, "no-xmpp-subprotocol", E,
     "The 101 response does not carry Sec-WebSocket-Protocol: xmpp[[ (it says \"{protocol}\")]].",
     "Openfire makes no XMPP session without the xmpp subprotocol: a proxy in between rewrote the handshake, or this "
     "is not Openfire's /ws/ endpoint."},
    {C::NoFramesExported, "no-frames-exported", W,
     "This export has the WebSocket connection but none of its frames, so the login cannot be checked.",
     "Firefox and Safari do not export WebSocket frames. Export the HAR again from Chrome or Edge (DevTools → Network "
     "→ right-click → Save all as HAR with content), or paste the frames from the Messages tab."},
    {C::SaslFailure, "sasl-failure", E, "Sign-in refused: SASL failure <{condition}/>[[: {meaning}]][[ (\"{text}\")]].",
     "Check the agent's credentials and the Openfire logs on the Finesse node."},
    {C::NoPlainMechanism, "no-plain-mechanism", E,
     "[[{?none}The server offered no SASL mechanism at all.]][[The server does not offer SASL PLAIN (it offers "
     "{mechanisms}).]]",
     "The Finesse desktop signs in with PLAIN only. Check Openfire's SASL settings (sasl.mechs) on the Finesse node, "
     "and that the connection is wss:// when PLAIN needs TLS."},
    {C::SaslPlainMalformed, "sasl-plain-malformed", W,
     "The PLAIN payload is not base64 of authzid NUL authcid NUL password.",
     "The server will answer malformed-request or not-authorized; check what produced the payload."},
    {C::SaslEmptyPassword, "sasl-empty-password", E, "The PLAIN payload carries an empty password.",
     "The desktop had no password to send: check single sign-on settings or the login form."},
    {C::AuthzidDomainMismatch, "authzid-domain-mismatch", W,
     "The authzid {authzid} names the domain {authzid_domain}, but the stream was opened to {domain}.",
     "The authzid must be <agent id>@<xmppDomain>. Compare the domain with SystemInfo's xmppDomain and the server "
     "name the desktop was opened with; a typo there makes the server refuse or map the identity."},
    {C::AuthNotPlain, "auth-not-plain", I, "This login used SASL {mechanism}, not PLAIN.",
     "The Finesse desktop itself signs in with PLAIN: this log comes from another client, or the server is tried "
     "with another mechanism. What the server answered still holds."},
    {C::StreamError, "stream-error-{condition}", E,
     "The server ended the stream with <{condition}/>[[: {meaning}]][[ (\"{text}\")]].",
     "Check the Openfire logs on the Finesse node at this time."},
    {C::BoshTerminate, "bosh-terminate-{condition}", E,
     "The server ended the BOSH session with <{condition}/>[[: {meaning}]][[ (\"{text}\")]].",
     "Check the Openfire logs on the Finesse node at this time."},
    {C::BoshHttpError, "bosh-http-error", E, "The BOSH request failed: {text}",
     kTransportErrorHint},
    {C::BindRefused, "bind-refused", E, "The server refused to bind the resource: <{condition}/>.",
     "[[{?conflict}The resource is in use by another session; the desktop uses 'desktop'.]][[{?other}Check the "
     "resource requested and the Openfire logs.]]"},
    {C::NoFinessePresence, "no-finesse-presence", E,
     "No presence from finesse@{domain} arrived: the desktop stays at 'connecting'.",
     "The Finesse web application is down or not connected to Openfire on this node. Check the Cisco Finesse Tomcat "
     "service ('utils service list'), then the Finesse logs."},
    {C::FinesseUnavailable, "finesse-unavailable", E,
     "finesse@ went unavailable: the Finesse web application stopped or lost its XMPP session.",
     "The desktop shows 'connecting' or fails over. Check the Finesse Tomcat service on this node (utils service "
     "list) and its logs."},
    {C::SubscribeRefused, "subscribe-refused", E,
     "The subscribe to {node} was answered with an error <{condition}/>[[: {meaning}]].",
     "Check the node name and the Openfire pubsub logs."},
    {C::SubscriptionNotActive, "subscription-not-active", W,
     "The subscribe to {node} was answered with subscription=\"{subscription}\": no notifications will arrive yet.",
     "The node needs approval or configuration; Finesse nodes normally answer subscribed."},
    {C::NoAnswer, "no-answer", E, "The {step} request got no answer before the connection ended.",
     "The server dropped the request or the connection died at that moment; look at the close that follows."},
    {C::PingUnanswered, "ping-unanswered", W,
     "[[{?client}The ping (id {id}) got no answer within {timeout} s.]][[{?server}The server's ping (id {id}) got no "
     "answer from the client[[{?ended} before the stream ended]][[{?late} within {timeout} s]].]]",
     "[[{?client}One miss is tolerated; the server or the network path is slow.]][[{?server}A client that stops "
     "answering the server's pings (a frozen or sleeping tab, a network drop) has its stream closed by the "
     "server.]]"},
    {C::PingMissedTwice, "ping-missed-twice", E,
     "Two pings in a row got no answer: the desktop declares the notification connection lost and fails over to "
     "the other Finesse node.",
     "Check the network path to the Finesse node (proxies that buffer WebSocket frames, VPN drops) and the Openfire "
     "service on it."},
    {C::AbnormalClose, "abnormal-close", E,
     "The connection ended[[ with close code {close_code}]][[{?dropped} (no close frame: the TCP "
     "connection dropped)]][[ \"{reason}\"]][[{?no_close} without <close/> or a stream error]].",
     "The network path or the server dropped it: look for the Finesse node restarting, a proxy or firewall idle "
     "timeout, or the client machine sleeping. The desktop shows 'notification connection lost' and reconnects."},
    {C::Reconnect, "reconnect", I,
     "This connection is a reconnect after connection {previous} ended abnormally[[, {gap} s after its last frame]].",
     "A reconnect that logs in again means the desktop recovered; check why the previous one ended."},
    {C::SystemOutOfService, "system-out-of-service", E, "Finesse reported SystemInfo status OUT_OF_SERVICE.",
     "Finesse lost a back end (CTI server, AW database or Openfire): the desktop signs agents out and fails over to "
     "the other node. Check the CTI link and 'utils service list' on this node."},
    {C::ApiErrors, "api-errors", W, "A notification carries apiErrors[[ ({errors})]][[ for request {request_id}]].",
     "The REST request with that requestId failed on the Finesse side (for example a state change refused by the CTI "
     "server); the error type says why."},
    {C::FrameTooLarge, "frame-too-large", W,
     "A {size} text frame: Openfire closes the stream with internal-server-error above 1 MiB.",
     "Find what produced such a large stanza; Finesse itself never sends one."},
    {C::NotXmpp, "not-xmpp", W, "None of this connection's {frames} frames is XMPP[[ (first: {error})]].",
     "This is another WebSocket on the page, not the Finesse notification channel; it is not checked."},
    {C::UnparsableFrame, "unparsable-frame", W, "{count} frame(s) are not well-formed XML (first: {error}).",
     "A cut-off export or a frame that was edited by hand; the steps around it may be misread."},
    {C::LiveUnreachable, "live-unreachable", E,
     "[[{?tls}The browser could not open {url} and, as browsers do, reports only close {close_code} with no reason. "
     "The usual cause is a certificate this browser does not trust for {host}.]][[{?plain}Nothing answered at {host} "
     "(close {close_code}): the name does not resolve, or no server listens on that port.]]",
     "[[{?tls}Open https://{host}/ in a new tab and accept or install the certificate (the Finesse CA), then Test "
     "connection again. If that page does not load either, the name does not resolve or the port is closed by a "
     "firewall.]][[{?plain}Check the host name and port, and that the XMPP server runs there.]]"},
    {C::LiveClosed, "live-closed", E,
     "The WebSocket closed with code {close_code}[[ \"{reason}\"]][[{?after_close} after the XMPP stream was "
     "closed]][[{?no_close}, without the XMPP stream being closed first]].",
     "[[{?dropped}1006 means the connection dropped with no close frame: the server stopped, or a network device cut "
     "it.]][[{?other}Codes follow RFC 6455 (1000 normal, 1001 going away, 1011 server error).]]"},
    {C::LiveStepTimeout, "live-step-timeout", E, "No {step} within {timeout} s.",
     "The server or the network is slow or silent at that step; the other findings say which step. Raise the per-step "
     "timeout to tell slowness from silence."},
    {C::LivePingFailover, "live-ping-failover", E, "Two pings in a row got no answer: the desktop would fail over now.",
     "Check the network path and the XMPP server on this node."},
    {C::SystemInfoDomainMismatch, "systeminfo-domain-mismatch", E,
     "The stream was opened to {domain}, but SystemInfo (entry {entry}) gives the xmppDomain {xmpp_domain}.",
     "The desktop must open the stream to the xmppDomain, {xmpp_domain}; an IP address or another alias such as "
     "{domain} ends in host-unknown. Check the server name the desktop was given and Finesse's xmppDomain."},
    {C::SystemInfoNotInService, "systeminfo-not-in-service", E, "SystemInfo says {status}[[: {reason}]].",
     "Finesse lost a back end (CTI server, AW database or Openfire) and answers every request with 503 until it is "
     "IN_SERVICE again (2 to 3 minutes during a CTI failover). Check 'utils service list' and the CTI link on this "
     "node; the desktop moves to the other node."},
    {C::RestUnauthorized, "rest-unauthorized", E, "{method} {path} was refused with 401[[ ({errors})]].",
     "Finesse did not accept the agent's credentials or SSO token. Five failures in a row lock the account for 5 "
     "minutes; check the agent's ID and password in the contact-centre configuration."},
    {C::RestUnavailable, "rest-unavailable", E,
     "{method} {path} was answered 503: Finesse is failing over or not in service[[ ({errors})]].",
     "Finesse answers every request with 503 while it is PARTIAL_SERVICE or OUT_OF_SERVICE (a CTI failover takes 2 "
     "to 3 minutes). Wait for IN_SERVICE or sign in on the other node; SystemInfo's statusReason says why."},
    {C::RestApiError, "rest-api-error", W, "{method} {path} was answered {status}[[ ({errors})]].",
     "The error type says why (for example Invalid State: a state the agent cannot take now). A 500 can mean the CTI "
     "link was lost and Finesse has not noticed yet."},
    {C::NotificationNotReceived, "notification-not-received", E,
     "{method} {path} was accepted ({status}, requestId {request_id}) but no notification carrying that requestId "
     "arrived[[{?up}, although connection {connection} was up, subscribed and answering pings for the {after} s the "
     "capture ran on after it]][[{?log_up}, although the desktop's status was connected and the log runs on {after} s "
     "after it]][[{?status_down}: the desktop's status was {desktop_status} at that time]][[{?no_connection}: no notification connection was open at that time]][[{?not_subscribed}: "
     "connection {connection} was not subscribed to a user node at that time]][[{?ended}: connection {connection} "
     "ended {ended_after} s after it[[ ({problem})]]]][[{?pings}: connection {connection} was missing pings at that "
     "time]][[{?closed}: connection {connection} was closed {ended_after} s after it, so it may still have been on its "
     "way]][[{?too_soon}; the capture stops {after} s after it, so it may still have been on its way]].",
     "[[{?up}The channel worked, so Finesse did not publish the change, or the desktop listens on another node[[ than "
     "{node}]]. Look for this requestId in the Finesse logs (notification service).]][[{?down}The change was made, but "
     "the desktop could not hear about it: fix the connection problem first (see that connection's findings). After "
     "reconnecting, the desktop reads its state again.]][[{?too_soon}Capture for longer after the request to tell.]][[{?closed}"
     "Capture for longer after the request, before signing out, to tell.]]"},
    {C::NotificationSlow, "notification-slow", W,
     "The notification for {method} {path} (requestId {request_id}) arrived {latency} s after the request.",
     "Finesse normally publishes within a second. A delay this long points at a loaded Finesse node or Openfire, or "
     "at a proxy that buffers the WebSocket; compare with the round trips of the pings."},
    {C::Failover, "failover", W,
     "The notification channel moved to {host}[[ from {previous_host}]][[{?primary} (SystemInfo's primary "
     "node)]][[{?secondary} (SystemInfo's secondary node)]][[, {gap} s after connection {previous}'s last frame]].",
     "The desktop moves to the other Finesse node when it cannot reconnect to its own. See why connection "
     "{previous} ended (its findings), and check Openfire and the network path on the node it left."},
    {C::DesktopDisconnected, "desktop-disconnected", E,
     "The desktop's notification connection was {status} at {time}[[{?back}; it was back ({back_status}) {after} s "
     "later]][[{?never}; it did not come back before the log ends]].",
     "[[{?back}The desktop recovered by itself; look at what happened on the network or the Finesse node at that time "
     "(a HAR of the same session shows the socket).]][[{?never}The agent had no notifications from then on. Check "
     "the network path to the Finesse node and Openfire there; a HAR of the same session shows how the socket "
     "ended.]]"},
    {C::DesktopConflict, "desktop-conflict", E,
     "The desktop reported status conflict at {time}: another session signed in as this agent took over.",
     "A second desktop (another tab, browser or PC) or a tool signed in with the same agent ID. Close the other "
     "session."},
    {C::DesktopUnauthorized, "desktop-unauthorized", E, "The desktop reported status unauthorized at {time}.",
     "The XMPP server refused the agent's credentials: check the agent's ID and password, or the SSO token's "
     "validity."},
    {C::DesktopSubscribeError, "desktop-subscribe-error", E, "Subscribing to {node} failed[[: {error}]].",
     "Without this subscription the desktop gets no notifications for it. Check the node name and the Openfire "
     "pubsub logs on the Finesse node."},
    {C::NotificationUnknownRequestId, "notification-unknown-request-id", W,
     "A notification[[ on {node}]] carries [[requestId {request_id}, ]]which matches no request in the log.",
     "The desktop ignores it: the request came from another tab or session of this agent, or the log begins after "
     "it was made. Cisco calls the correlation best effort."},
    {C::DesktopClockDrift, "desktop-clock-drift", W,
     "The agent PC's clock is {drift} s off the Finesse server's.",
     "Every time the desktop shows (state timers, call durations) is skewed by that much. Set the PC to sync its "
     "clock (NTP), as the Finesse server does."},
    {C::LiveBoshUnreachable, "live-bosh-unreachable", E,
     "[[{?origin}The server at {host} answered, but the browser kept the answer from this page (CORS): the path is not "
     "a BOSH service (its error page allows no other origin), or the BOSH service does not allow this page's "
     "origin.]][[{?network}The BOSH request to {url} got no HTTP answer: "
     "[[{?tls}the browser does not trust the certificate of {host}, or ]]the name does not resolve, or nothing listens "
     "at {host}.]][[{?timeout}The BOSH session request to {url} got no answer within {timeout} s.]]",
     "[[{?origin}A browser cannot tell these apart. Check the path first (/http-bind/ on Finesse). Then the origin: "
     "the server lists the origins it accepts BOSH from; open this page from an allowed one, or have the "
     "administrator add this page's origin to that list.]][[{?network}[[{?tls}Open "
     "https://{host}/ in a new tab and accept or install the certificate (the Finesse CA), then test again. ]]Check "
     "the host name, the port and the path (/http-bind/), and that the XMPP server runs there.]][[{?timeout}Something "
     "between the page and the server holds the request: a proxy, a firewall, or a server that is not answering.]]"},
    {C::LiveBoshTimeout, "live-bosh-timeout", E,
     "A BOSH request got no answer within {timeout} s, though the session allows the server at most {wait} s.",
     "A proxy or load balancer between the page and the server holds or drops long-polling requests, or the server "
     "stopped answering. Check that every proxy's timeout exceeds the BOSH wait."},
};
static_assert(std::size(kFindings) == size_t(FindingCode::Count), "one catalogue row per finding code");

// [SECTION] Step details (data)
using D = DetailCode;
struct DetailSpec {
  DetailCode code;
  const char* text;
};
constexpr DetailSpec kDetails[] = {
    {D::None, ""},
    {D::Text, "{text}"},
    {D::FeaturesSasl, "features: SASL {mechanisms}[[, caps {caps}]]"},
    {D::FeaturesBind, "features with bind"},
    {D::FeaturesNoBind, "features without bind"},
    {D::AuthPlain, "PLAIN authzid={authzid} authcid={authcid} password: {length} characters, {password}"},
    {D::AuthMechanism, "mechanism {mechanism}"},
    {D::AuthPlainUndecodable, "PLAIN payload could not be decoded"},
    {D::SaslFailed,
     "SASL failure: {condition}[[ ({text})]][[; PLAIN authzid={authzid} authcid={authcid} password: {length} characters, "
     "{password}]]"},
    {D::Bound, "bound[[ {jid}]]"},
    {D::BindRefusedCond, "bind refused: {condition}"},
    {D::PresenceSent, "initial presence sent"},
    {D::FromJid, "from {jid}"},
    {D::Subscribed, "{node} {subscription}"},
    {D::SubscribedByServer, "subscribed by the server: notifications arrived on {node}"},
    {D::EventBeforeAnswer, "notifications arrived on {node} before the subscribe was answered"},
    {D::SubscribeRefusedCond, "subscribe to {node} refused: {condition}"},
    {D::NotificationsCount, "{count} on {nodes} node(s)"},
    {D::Refused, "refused"},
    {D::StreamEnded, "stream error <{condition}/>[[ ({text})]]"},
    {D::BoshEnded, "BOSH session terminated: {condition}[[ ({text})]]"},
    {D::TransportError, "WebSocket error: {text}"},
    {D::BoshRequestError, "BOSH request failed: {text}"},
    {D::NoAnswerBeforeEnd, "no answer before the connection ended"},
    {D::NoAnswerInCapture, "no answer in the capture"},
    {D::NoSessionCreation, "no session creation in the capture"},
    {D::NoFramesExported, "this export carries no frames"},
    {D::NotReached, "not reached: {step} failed"},
    {D::NoTeam, "no team subscription (an agent, not a supervisor)"},
    {D::NoneInCapture, "none in the capture"},
    {D::NeverSeenBeforeEnd, "never seen before the connection ended"},
    {D::NotSeenFor, "not seen in the {seconds} s the capture went on after the previous step"},
    {D::CaptureStopsBefore, "not seen: the capture stops before it"},
    {D::NotCaptured, "before the capture began: it starts mid-session, after this step"},
    {D::NotXmpp, "not an XMPP connection"},
    {D::NoHandshake, "no handshake in a transcript"},
    {D::NoSessionRequest, "no session request in this transcript"},
    {D::SessionCreated, "session created"},
    {D::NoBoshSession, "no BOSH session was created"},
    {D::ServerOpened, "the server opened its stream"},
    {D::FeaturesStarttls, "features: STARTTLS (SASL follows after TLS)"},
    {D::Upgraded, "101 Switching Protocols[[{?xmpp}, subprotocol xmpp]]"},
    {D::UpgradedByFrames, "the export shows status {status}, but frames flowed, so the upgrade happened"},
    {D::UpgradeNoSubprotocol, "101 without the xmpp subprotocol"},
    {D::UpgradeFailed, "no 101 Switching Protocols ({status}[[, {error}]])"},
};
static_assert(std::size(kDetails) == size_t(DetailCode::Count), "one text per detail code");
// Rows are looked up by position: each must stand at its own code's place.
template <typename T, size_t N>
constexpr bool InCodeOrder(const T (&rows)[N]) {
  for (size_t i = 0; i < N; ++i)
    if (size_t(rows[i].code) != i) return false;
  return true;
}
static_assert(InCodeOrder(kDetails), "kDetails rows must follow the DetailCode order");
static_assert(InCodeOrder(kFindings), "kFindings rows must follow the FindingCode order");

// [SECTION] Conditions (data)
const ConditionText kStreamConditions[] = {
    {"conflict", "another session bound the same resource and took this one over",
     "The resource 'desktop' is reserved for the agent desktop: a second desktop (another tab, browser or PC) or a "
     "tool signed in as the same agent with the same resource. Close the other session, or use another resource."},
    {"host-unknown", "the domain in <open to=…> is not served by this XMPP server",
     "The 'to' domain must be Finesse's xmppDomain (GET /finesse/api/SystemInfo). Check the server name the desktop "
     "was opened with, and DNS/hosts entries that point it at the wrong node."},
    {"connection-timeout", "the server closed an idle stream",
     "The client stopped answering or pinging. Look for a frozen tab, a laptop that slept, or a proxy that buffers "
     "WebSocket frames."},
    {"internal-server-error", "the XMPP server failed while handling the stream",
     "Check the Openfire logs on the Finesse node. A text frame over 1 MiB is a known trigger."},
    {"policy-violation", "the server's policy refused what the client sent",
     "Often a stanza too large or too frequent (rate limits). Check the frame before the error."},
    {"system-shutdown", "the XMPP server is shutting down",
     "Finesse/Openfire was restarted or the node is going down; the desktop should fail over to the other node."},
    {"not-authorized", "the stream was used before authenticating", "Check that SASL succeeded before stanzas were sent."},
    {"see-other-host", "the server redirects the client to another host", "Follow the host named in the error text."},
    {"remote-connection-failed", "the server could not reach a remote component",
     "Check the Openfire cluster and pubsub component on the Finesse node."},
    {"reset", "the server reset the stream (security or configuration change)", "Reconnect; check the server logs."},
    {"resource-constraint", "the server lacks resources for this stream", "Check Openfire memory and session limits."},
    {"not-well-formed", "the server received XML that is not well-formed", "Look at the last frame the client sent."},
    {"invalid-namespace", "the stream or stanza used a wrong namespace",
     "The WebSocket framing namespace must be urn:ietf:params:xml:ns:xmpp-framing."},
    {"unsupported-version", "the server does not support the requested XMPP version", "Send version=\"1.0\"."},
    {"unsupported-stanza-type", "the server does not understand a stanza the client sent",
     "Over WebSocket every stanza must carry xmlns='jabber:client' (RFC 7395); check the frame before the error."},
};
const ConditionText kSaslConditions[] = {
    {"not-authorized", "wrong user id or password",
     "The desktop shows 'unauthorized'. Check the agent's id and password (case matters), that the user is a Finesse "
     "agent or supervisor, and that the account is not locked in CUCM/UCCE."},
    {"account-disabled", "the account is disabled", "Enable the agent's account."},
    {"credentials-expired", "the password has expired", "Reset the agent's password."},
    {"temporary-auth-failure", "the server could not check the credentials right now",
     "Finesse could not reach its authentication source (CUCM/AW/IdS): retry, and check that service."},
    {"invalid-authzid", "the authorization identity was refused",
     "The authzid must be <agent id>@<xmppDomain>; compare it with SystemInfo's xmppDomain."},
    {"invalid-mechanism", "the server does not support that mechanism", "Use PLAIN, as the Finesse desktop does."},
    {"malformed-request", "the SASL payload was malformed",
     "The PLAIN payload must be base64 of authzid NUL authcid NUL password."},
    {"mechanism-too-weak", "the mechanism is too weak for the server's policy", "The server wants TLS before PLAIN."},
    {"encryption-required", "PLAIN is allowed only over TLS", "Connect with wss://, not ws://."},
    {"aborted", "the client aborted the SASL exchange", "Look at the client's last SASL message."},
};
const ConditionText kPubsubConditions[] = {
    {"item-not-found", "the node does not exist",
     "The node id is wrong: check the user or team id in the subscribe. A team node exists only for a team that has a "
     "supervisor; a user node only for a Finesse user."},
    {"not-authorized", "the user may not subscribe to this node",
     "A team node may be subscribed only by a supervisor of that team."},
    {"forbidden", "the server forbids this subscription", "Check the supervisor's team assignment."},
    {"subscription-required", "a subscription is needed first", "Subscribe before requesting items."},
    {"presence-subscription-required", "the node requires a presence subscription", "Check the node's access model."},
    {"not-allowed", "the node does not allow this subscription", "Check the node's access model."},
    {"bad-request", "the subscribe request was malformed", "The subscribe must name the node and the subscriber's bare JID."},
    {"invalid-jid", "the subscriber JID does not match the sender", "Subscribe with the bare JID that was bound."},
    {"service-unavailable", "the pubsub service is not reachable",
     "The subscribe must go to pubsub.<xmppDomain>; check the pubsub component is running."},
};

// Which condition table a finding's {condition} argument is read in.
bool FamilyOf(FindingCode code, ConditionFamily* family) {
  switch (code) {
    case C::StreamError: case C::BoshTerminate: *family = ConditionFamily::Stream; return true;
    case C::SaslFailure: *family = ConditionFamily::Sasl; return true;
    case C::SubscribeRefused: *family = ConditionFamily::Pubsub; return true;
    default: return false;
  }
}

}  // namespace

const FindingSpec& SpecOf(FindingCode code) { return kFindings[size_t(code)]; }
const FindingSpec* FindingSpecs(size_t* count) {
  *count = std::size(kFindings);
  return kFindings;
}

const ConditionText* FindCondition(ConditionFamily family, std::string_view condition) {
  auto find = [&](const auto& table) -> const ConditionText* {
    for (const ConditionText& c : table)
      if (condition == c.condition) return &c;
    return nullptr;
  };
  switch (family) {
    case ConditionFamily::Stream: return find(kStreamConditions);
    case ConditionFamily::Sasl: return find(kSaslConditions);
    case ConditionFamily::Pubsub: return find(kPubsubConditions);
  }
  return nullptr;
}

Finding MakeFinding(FindingCode code, int frame, TextArgs args, StepId step) {
  Finding f;
  f.id = code;
  f.severity = SpecOf(code).severity;
  f.frame = frame;
  f.step = step;
  f.args = std::move(args);
  return f;
}

void SortFindings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity < b.severity;
    return a.frame < b.frame;
  });
}

std::string_view Finding::Arg(std::string_view name) const {
  const std::string* v = FindArg(args, name);
  return v ? std::string_view(*v) : std::string_view();
}

std::string Finding::Code() const { return RenderTemplate(SpecOf(id).id, args); }

std::string Finding::Message() const {
  ConditionFamily family;
  if (FamilyOf(id, &family) && !FindArg(args, "meaning")) {
    if (const ConditionText* c = FindCondition(family, Arg("condition"))) {
      TextArgs with = args;
      with.push_back({"meaning", c->meaning});
      return RenderTemplate(SpecOf(id).message, with);
    }
  }
  return RenderTemplate(SpecOf(id).message, args);
}

std::string Finding::Hint() const {
  ConditionFamily family;
  if (FamilyOf(id, &family))
    if (const ConditionText* c = FindCondition(family, Arg("condition"))) return c->hint;
  return RenderTemplate(SpecOf(id).hint, args);
}

Detail MakeDetail(DetailCode code, TextArgs args) { return Detail{code, std::move(args)}; }

std::string Detail::Render() const { return RenderTemplate(kDetails[size_t(code)].text, args); }

}  // namespace fi
