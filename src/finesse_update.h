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
};

FinesseUpdate DecodeUpdate(std::string_view update_xml);

// Cheap pre-checks so that the checker decodes only the notifications that can matter.
bool MayHoldApiErrors(std::string_view update_xml);
bool MayBeOutOfService(std::string_view update_xml);

// Indented XML for display; returns the input unchanged when it does not parse.
std::string PrettyXml(std::string_view xml);

// "PUT · READY" style summary for a frame list, or "" when there is nothing to say.
std::string SummarizeUpdate(const FinesseUpdate& u);

}  // namespace fi
