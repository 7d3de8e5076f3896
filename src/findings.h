// The findings catalogue and the step-detail texts: every sentence the checker can say is a row
// of a table, created as a code plus named arguments and turned into text only at the edge
// (reports, views), so that a translation can reorder the arguments.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace fi {

// The step ids are part of the public output, in this order.
enum class StepId : uint8_t { Upgrade, Open, Auth, Restart, Bind, Presence, FinessePresence,
                              SubscribeUser, SubscribeTeam, Notifications, Count };
enum class Severity : uint8_t { Error, Warning, Info, Count };
const char* SeverityName(Severity s);

constexpr int kNoFrame = -1;

// Named arguments of a text. Values are plain text: protocol tokens, names, numbers as written.
struct TextArg {
  std::string name;
  std::string value;
};
using TextArgs = std::vector<TextArg>;

// Fills "{name}" from args. A "[[ … ]]" segment is dropped when an argument it names is empty
// or absent, so optional clauses need no concatenation at the call site.
std::string RenderTemplate(std::string_view tmpl, const TextArgs& args);

enum class FindingCode : uint8_t {
  UpgradeFailed, WebSocketError, NoXmppSubprotocol, NoFramesExported,
  SaslFailure, NoPlainMechanism, SaslPlainMalformed, SaslEmptyPassword, AuthzidDomainMismatch, AuthNotPlain,
  StreamError, BoshTerminate, BoshHttpError,
  BindRefused, NoFinessePresence, FinesseUnavailable, SubscribeRefused, SubscriptionNotActive,
  NoAnswer, PingUnanswered, PingMissedTwice, AbnormalClose, Reconnect,
  SystemOutOfService, ApiErrors, FrameTooLarge, NotXmpp, UnparsableFrame,
  LiveUnreachable, LiveClosed, LiveStepTimeout, LivePingFailover,
  // Finesse's REST side, read beside the socket (finesse_rest.h).
  SystemInfoDomainMismatch, SystemInfoNotInService, RestUnauthorized, RestUnavailable, RestApiError,
  NotificationNotReceived, NotificationSlow, Failover,
  // The desktop's own client log (desktop_log.h).
  DesktopDisconnected, DesktopConflict, DesktopUnauthorized, DesktopSubscribeError, NotificationUnknownRequestId,
  DesktopClockDrift,
  // Live BOSH from the page.
  LiveBoshUnreachable, LiveBoshTimeout,
  Count
};

struct FindingSpec {
  FindingCode code;
  const char* id;  // the stable code; "{condition}" in it is filled from the arguments
  Severity severity;
  const char* message;
  const char* hint;
};
const FindingSpec& SpecOf(FindingCode code);
// Every row, for tests and documentation.
const FindingSpec* FindingSpecs(size_t* count);

struct Finding {
  FindingCode id = FindingCode::Count;
  Severity severity = Severity::Info;
  int frame = kNoFrame;
  int entry = -1;               // the HAR entry (0-based) of a REST finding; -1: none
  uint32_t line = 0;            // the desktop log's line (1-based); 0: none
  StepId step = StepId::Count;  // the step this finding explains; Count: none
  TextArgs args;

  std::string Code() const;     // stable kebab-case, e.g. "stream-error-conflict"
  std::string Message() const;  // rendered at the edge
  std::string Hint() const;
  std::string_view Arg(std::string_view name) const;
};

Finding MakeFinding(FindingCode code, int frame, TextArgs args = {}, StepId step = StepId::Count);
// The order every report shows: by severity, then by frame (stable).
void SortFindings(std::vector<Finding>& findings);

// Why a step has the status it has. Rendered at the edge like findings.
enum class DetailCode : uint8_t {
  None, Text,  // Text: the "text" argument as it is (a protocol summary)
  FeaturesSasl, FeaturesBind, FeaturesNoBind, AuthPlain, AuthMechanism, AuthPlainUndecodable, SaslFailed,
  Bound, BindRefusedCond, PresenceSent, FromJid, Subscribed, SubscribedByServer, EventBeforeAnswer,
  SubscribeRefusedCond, NotificationsCount, Refused, StreamEnded, BoshEnded, TransportError, BoshRequestError,
  NoAnswerBeforeEnd, NoAnswerInCapture, NoSessionCreation, NoFramesExported, NotReached, NoTeam, NoneInCapture,
  NeverSeenBeforeEnd, NotSeenFor, CaptureStopsBefore, NotCaptured, NotXmpp, NoHandshake, NoSessionRequest,
  SessionCreated, NoBoshSession, ServerOpened, FeaturesStarttls, Upgraded, UpgradedByFrames, UpgradeNoSubprotocol, UpgradeFailed,
  Count
};
struct Detail {
  DetailCode code = DetailCode::None;
  TextArgs args;
  std::string Render() const;
  bool Empty() const { return code == DetailCode::None; }
};
Detail MakeDetail(DetailCode code, TextArgs args = {});

// A condition's meaning and what to do, for stream errors, SASL failures and pubsub errors.
enum class ConditionFamily : uint8_t { Stream, Sasl, Pubsub };
struct ConditionText {
  const char* condition;
  const char* meaning;
  const char* hint;
};
const ConditionText* FindCondition(ConditionFamily family, std::string_view condition);

}  // namespace fi
