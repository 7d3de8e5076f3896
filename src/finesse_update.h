// Decodes the Finesse <Update> that a pubsub notification carries as escaped text: event,
// requestId, source and data. Costs a second XML parse, so callers decode lazily.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fi {

struct ApiError {
  std::string type;     // errorType
  std::string message;  // errorMessage
  std::string data;     // errorData
};

// One user's state as a User or Team notification carries it.
struct UserState {
  std::string login_id;
  std::string state;
  std::string reason_code;   // reasonCode/code, the number agents pick ("10"); empty when none
  std::string reason_label;  // reasonCode/label
};

struct FinesseUpdate {
  bool ok = false;
  std::string error;  // why it could not be decoded
  std::string event;  // PUT, POST or DELETE (upper-cased; Finesse sends any case)
  std::string request_id;  // empty when unsolicited
  std::string source;
  std::string data_kind;  // the element under <data>: user, dialogs, dialog, team, apiErrors, SystemInfo...
  std::string state;      // user or dialog <state>, SystemInfo <status>
  std::string reason;     // the user's reason code label, when present
  std::vector<ApiError> api_errors;
  std::vector<UserState> users;  // data/user, or every user of a team's list
};

// fast_path: read the common shape (elements and text only) without building a DOM; anything
// else goes to tinyxml2. Tests turn it off to compare both readings.
FinesseUpdate DecodeUpdate(std::string_view update_xml, bool fast_path = true);
// The fast path alone, on the <Update> as XML or, `escaped`, as the text a notification carries
// ("&lt;Update&gt;…"); false when it is not of that shape (then un-escape it and DecodeUpdate).
bool ReadUpdateShape(std::string_view text, bool escaped, FinesseUpdate& out);

// The <ApiErrors> body of a failed REST call (ErrorType, ErrorMessage, ErrorData), or of a
// notification (apiErrors, errorType...): element names are matched without regard to case.
std::vector<ApiError> ReadApiErrors(std::string_view xml);

// Cheap pre-checks so that the checker decodes only the notifications that can matter.
bool MayHoldApiErrors(std::string_view update_xml);
bool MayBeOutOfService(std::string_view update_xml);
// False only when the <requestId> is absent or empty, in the raw (escaped) text or the XML.
bool MayHoldRequestId(std::string_view update_xml);

// Indented XML for display; returns the input unchanged when it does not parse.
std::string PrettyXml(std::string_view xml);

// "PUT · READY" style summary for a frame list, or "" when there is nothing to say.
std::string SummarizeUpdate(const FinesseUpdate& u);

}  // namespace fi
