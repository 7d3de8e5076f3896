// Secret masking for frames and headers.
#include "redact.h"

#include <algorithm>

#include <cctype>

#include "text_util.h"

namespace fi {

namespace {

// Finds the text content of the first <name ...>TEXT</name> element; returns its span.
bool FindElementText(std::string_view xml, std::string_view name, size_t& begin, size_t& end, std::string_view& tag) {
  size_t p = 0;
  while ((p = xml.find('<', p)) != std::string_view::npos) {
    size_t n = p + 1;
    size_t colon_end = n;
    while (colon_end < xml.size() && xml[colon_end] != ' ' && xml[colon_end] != '>' && xml[colon_end] != '/') ++colon_end;
    std::string_view qname = xml.substr(n, colon_end - n);
    std::string_view local = qname.substr(qname.find(':') == std::string_view::npos ? 0 : qname.find(':') + 1);
    size_t gt = xml.find('>', n);
    if (gt == std::string_view::npos) return false;
    if (local == name && xml[gt - 1] != '/') {
      begin = gt + 1;
      end = xml.find('<', begin);
      if (end == std::string_view::npos) return false;
      tag = xml.substr(p, gt + 1 - p);
      return true;
    }
    p = gt;
  }
  return false;
}

std::string MaskPlain(const std::string& raw) {
  // authzid NUL authcid NUL password: keep the identities, star out the password.
  size_t first = raw.find('\0');
  size_t second = first == std::string::npos ? std::string::npos : raw.find('\0', first + 1);
  if (second == std::string::npos) return std::string(raw.size(), '*');
  return raw.substr(0, second + 1) + std::string(raw.size() - second - 1, '*');
}

std::string MaskScram(const std::string& raw) {
  // SCRAM client-final-message: "c=...,r=...,p=PROOF" — the proof allows an offline guess.
  std::string out = raw;
  size_t p = out.find(",p=");
  if (p != std::string::npos) {
    size_t end = out.find(',', p + 3);
    if (end == std::string::npos) end = out.size();
    out.replace(p + 3, end - p - 3, std::string(end - p - 3, '*'));
  }
  return out;
}

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

std::optional<std::string> RedactSasl(std::string_view payload);

}  // namespace

std::optional<std::string> RedactJwts(std::string_view text) {
  // A JWT's header and payload are base64url JSON objects, so both start "eyJ".
  size_t p = text.find("eyJ");
  if (p == std::string_view::npos) return std::nullopt;
  std::string out;
  size_t copied = 0;
  while (p != std::string_view::npos) {
    size_t i = p;
    int dots = 0;
    size_t dot1 = 0;
    while (i < text.size() && (IsBase64UrlChar(text[i]) || (text[i] == '.' && dots < 2))) {
      if (text[i] == '.') {
        if (++dots == 1) dot1 = i;
      }
      ++i;
    }
    bool jwt = dots == 2 && text.compare(dot1 + 1, 3, "eyJ") == 0 && i - p > 20;
    if (jwt) {
      // Keep the header (which algorithm, which key): it helps diagnose and holds no secret.
      out.append(text.data() + copied, dot1 + 1 - copied);
      // Plain characters: the mask must stay valid inside XML, JSON and URLs alike.
      out += "*****.*****";
      copied = i;
    }
    p = text.find("eyJ", i > p ? i : p + 3);
  }
  if (copied == 0) return std::nullopt;
  out.append(text.data() + copied, text.size() - copied);
  return out;
}

std::optional<std::string> RedactFrame(std::string_view payload) {
  std::optional<std::string> sasl = RedactSasl(payload);
  std::optional<std::string> jwt = RedactJwts(sasl ? std::string_view(*sasl) : payload);
  return jwt ? jwt : sasl;
}

namespace {
std::optional<std::string> RedactSasl(std::string_view payload) {
  // Cheap test first: almost every frame is not an <auth> or SASL <response>.
  if (payload.find("xmpp-sasl") == std::string_view::npos && payload.find("<auth") == std::string_view::npos &&
      payload.find("<response") == std::string_view::npos)
    return std::nullopt;
  size_t begin, end;
  std::string_view tag;
  bool is_auth = FindElementText(payload, "auth", begin, end, tag);
  if (!is_auth && !FindElementText(payload, "response", begin, end, tag)) return std::nullopt;
  std::string_view b64 = Trim(payload.substr(begin, end - begin));
  if (b64.empty() || b64 == "=") return std::nullopt;
  auto raw = Base64Decode(b64);
  std::string masked;
  if (!raw) {
    masked = kMask;
  } else if (is_auth && ContainsIgnoreCase(tag, "PLAIN")) {
    masked = Base64Encode(MaskPlain(*raw));
  } else if (raw->find(",p=") != std::string::npos) {
    masked = Base64Encode(MaskScram(*raw));
  } else if (is_auth && (ContainsIgnoreCase(tag, "SCRAM") || ContainsIgnoreCase(tag, "ANONYMOUS"))) {
    return std::nullopt;  // SCRAM's first message holds only the user name and a nonce
  } else {
    masked = kMask;  // an unknown mechanism: assume the worst
  }
  std::string out(payload.substr(0, begin));
  out += masked;
  out += payload.substr(end);
  return out;
}
}  // namespace

bool IsSecretHeader(std::string_view name) {
  return EqualsIgnoreCase(name, "Authorization") || EqualsIgnoreCase(name, "Proxy-Authorization") ||
         EqualsIgnoreCase(name, "Cookie") || EqualsIgnoreCase(name, "Set-Cookie");
}

std::string RedactHeaderValue(std::string_view name, std::string_view value) {
  if (!IsSecretHeader(name)) return std::string(value);
  if (EqualsIgnoreCase(name, "Authorization") || EqualsIgnoreCase(name, "Proxy-Authorization")) {
    size_t space = value.find(' ');
    return space == std::string_view::npos ? kMask : std::string(value.substr(0, space + 1)) + kMask;
  }
  // Cookies: keep the names, which help diagnose, and mask every value.
  std::string out;
  bool set_cookie = EqualsIgnoreCase(name, "Set-Cookie");
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t semi = value.find(';', pos);
    if (semi == std::string_view::npos) semi = value.size();
    std::string_view part = Trim(value.substr(pos, semi - pos));
    if (!part.empty()) {
      if (!out.empty()) out += "; ";
      size_t eq = part.find('=');
      // In Set-Cookie only the first pair is the cookie; the rest are attributes (Path, Expires).
      if (eq == std::string_view::npos || (set_cookie && pos > 0)) out += part;
      else out += std::string(part.substr(0, eq + 1)) + kMask;
    }
    pos = semi + 1;
  }
  return out;
}

bool IsSecretParameter(std::string_view name) {
  static const char* const secret[] = {"password", "passwd", "pwd", "pass", "j_password", "secret", "token",
                                       "access_token", "id_token", "refresh_token", "auth", "authorization",
                                       "jwt", "session", "sessionid", "apikey", "api_key"};
  for (const char* s : secret)
    if (EqualsIgnoreCase(name, s)) return true;
  return false;
}

std::string RedactLogLine(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  size_t i = 0;
  while (i < line.size()) {
    // A word, then ':' or '=' (optionally quoted): a key whose value may be secret.
    size_t w = i;
    while (w < line.size() && (isalnum((unsigned char)line[w]) || line[w] == '_' || line[w] == '-')) ++w;
    if (w == i) {
      out += line[i++];
      continue;
    }
    std::string_view key = line.substr(i, w - i);
    out.append(key.data(), key.size());
    size_t k = w;
    if (k < line.size() && line[k] == '"') ++k;  // "key":"value"
    if (k < line.size() && (line[k] == ':' || line[k] == '=') && (IsSecretHeader(key) || IsSecretParameter(key))) {
      out.append(line.data() + w, k + 1 - w);
      ++k;
      while (k < line.size() && (line[k] == ' ' || line[k] == '"')) out += line[k++];
      if (IsSecretHeader(key)) {
        // The header's value runs to the end of the line: keep the scheme word of Authorization.
        std::string_view value = line.substr(k);
        out += RedactHeaderValue(key, value);
        return out;
      }
      size_t end = k;
      if (k > 0 && line[k - 1] == '"') {
        // A quoted JSON value runs to its closing quote, spaces and escaped quotes included.
        while (end < line.size() && line[end] != '"') end += line[end] == '\\' ? 2 : 1;
        end = std::min(end, line.size());
      } else {
        while (end < line.size() && line[end] != '"' && line[end] != '&' && line[end] != ',' && line[end] != ';' &&
               line[end] != ' ' && line[end] != '}')
          ++end;
      }
      if (end > k) out += kMask;
      i = end;
      continue;
    }
    i = w;
  }
  if (auto jwt = RedactJwts(out)) return *jwt;
  return out;
}

// <password>…</password>, <token>…</token>: the text of such a bare element masked.
static std::string RedactSecretElements(std::string_view x) {
  std::string out;
  size_t i = 0;
  while (i < x.size()) {
    const size_t lt = x.find('<', i);
    if (lt == std::string_view::npos) break;
    size_t n = lt + 1;
    while (n < x.size() && (isalnum((unsigned char)x[n]) || x[n] == '_' || x[n] == '-' || x[n] == ':')) ++n;
    std::string_view name = x.substr(lt + 1, n - lt - 1);
    if (const size_t colon = name.rfind(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
    const size_t gt = x.find('>', n);
    // SASL's <auth mechanism=…> keeps its masked-but-decodable payload (RedactFrame's work).
    if (name.empty() || gt == std::string_view::npos || x[gt - 1] == '/' || !IsSecretParameter(name) ||
        EqualsIgnoreCase(name, "auth")) {
      out.append(x.substr(i, lt + 1 - i));
      i = lt + 1;
      continue;
    }
    // The element's text runs to its end tag, through a CDATA section if there is one.
    size_t end = x.find('<', gt);
    if (end != std::string_view::npos && x.compare(end, 9, "<![CDATA[") == 0) {
      const size_t cdata_end = x.find("]]>", end);
      end = cdata_end == std::string_view::npos ? std::string_view::npos : x.find('<', cdata_end);
    }
    out.append(x.substr(i, gt + 1 - i));
    if (end == std::string_view::npos) {
      out += kMask;
      return out;
    }
    if (end > gt + 1) out += kMask;
    i = end;
  }
  out.append(x.substr(std::min(i, x.size())));
  return out;
}

std::optional<std::string> RedactBody(std::string_view body) {
  std::string text = std::string(body);
  if (auto frame = RedactFrame(text)) text = std::move(*frame);
  text = RedactSecretElements(text);
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t nl = text.find('\n', pos);
    const size_t end = nl == std::string::npos ? text.size() : nl;
    out += RedactLogLine(std::string_view(text).substr(pos, end - pos));
    if (nl == std::string::npos) break;
    out += '\n';
    pos = nl + 1;
  }
  if (out == body) return std::nullopt;
  return out;
}

std::string RedactUrl(std::string_view url) {
  size_t q = url.find('?');
  if (q == std::string_view::npos) return std::string(url);
  size_t hash = url.find('#', q);
  std::string_view query = url.substr(q + 1, (hash == std::string_view::npos ? url.size() : hash) - q - 1);
  std::string out(url.substr(0, q + 1));
  size_t pos = 0;
  bool first = true;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(pos, amp - pos);
    if (!first) out += '&';
    first = false;
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && IsSecretParameter(pair.substr(0, eq))) out += std::string(pair.substr(0, eq + 1)) + "*****";
    else if (auto jwt = RedactJwts(pair)) out += *jwt;  // a token under any other name
    else out += pair;
    pos = amp + 1;
  }
  if (hash != std::string_view::npos) out += url.substr(hash);
  return out;
}

}  // namespace fi
