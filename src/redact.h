// Masks secrets in what the tool shows or writes: SASL PLAIN passwords and SCRAM proofs inside
// frames, Authorization/Cookie header values. Masking keeps the shape (a PLAIN payload stays
// decodable, with authzid and authcid intact and the password's length kept) so a masked
// capture re-imports to the same analysis.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fi {

// A JSON Web Token anywhere in the text ("eyJ….eyJ….sig") with its payload and signature masked.
std::optional<std::string> RedactJwts(std::string_view text);

// The frame with any SASL secret or JWT masked, or nullopt when it holds none (the common case, so
// callers can keep the original bytes).
std::optional<std::string> RedactFrame(std::string_view payload);

bool IsSecretHeader(std::string_view name);
// "Basic dXNlcjpwYXNz" -> "Basic ••••••", "a=1; b=2" -> "a=•••; b=•••".
std::string RedactHeaderValue(std::string_view name, std::string_view value);

// Query parameters and form fields whose values are secrets (password, pwd, token, …).
bool IsSecretParameter(std::string_view name);
// The URL with the values of secret query parameters masked.
std::string RedactUrl(std::string_view url);

// A line of prose from a log (a note, a desktop log record) with secrets masked: the value after
// an Authorization/Cookie header name, the value of a secret parameter in key=value, key: value
// or "key":"value" form, and JWTs.
std::string RedactLogLine(std::string_view line);

// An HTTP body (a REST request or response, form or JSON or XML): SASL secrets and JWTs as in
// frames, secret fields as key=value or "key":"value" (line by line), and the text of XML
// elements named like a secret parameter (<password>…</password>). Nothing to mask: nullopt.
std::optional<std::string> RedactBody(std::string_view body);

constexpr const char* kMask = "••••••";

}  // namespace fi
