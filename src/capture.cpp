// The capture model's small helpers.
#include "capture.h"

#include <algorithm>

#include "text_util.h"

namespace fi {

const char* DirectionName(Direction d) {
  static const char* const names[] = {"sent", "received", "error"};
  static_assert(std::size(names) == size_t(Direction::Count));
  return names[size_t(d)];
}

const char* TransportName(Transport t) {
  static const char* const names[] = {"websocket", "bosh", "tcp"};
  static_assert(std::size(names) == size_t(Transport::Count));
  return names[size_t(t)];
}

const Header* FindHeader(const std::vector<Header>& headers, std::string_view name) {
  for (const Header& h : headers)
    if (EqualsIgnoreCase(h.name, name)) return &h;
  return nullptr;
}

const Header* Handshake::FindRequest(std::string_view name) const { return FindHeader(request_headers, name); }
const Header* Handshake::FindResponse(std::string_view name) const { return FindHeader(response_headers, name); }

double Connection::Origin() const {
  if (HasTime(start_time)) return start_time;
  for (const Frame& f : frames)
    if (HasTime(f.time)) return f.time;
  return kNoTime;
}

double Connection::Duration() const {
  double origin = Origin();
  for (auto it = frames.rbegin(); it != frames.rend(); ++it)
    if (HasTime(it->time)) return HasTime(origin) ? it->time - origin : kNoTime;
  return kNoTime;
}

std::string_view Capture::Keep(std::string bytes) {
  m_storage.push_back(std::move(bytes));
  return m_storage.back();
}

char* Capture::Adopt(std::string bytes) {
  m_storage.push_back(std::move(bytes));
  return m_storage.back().data();
}

// Connections without any time keep their order after the timed ones.
static double SortKey(const Connection& c) {
  double t = c.Origin();
  return HasTime(t) ? t : std::numeric_limits<double>::infinity();
}

void SortConnections(Capture& capture) {
  std::stable_sort(capture.connections.begin(), capture.connections.end(),
                   [](const Connection& a, const Connection& b) { return SortKey(a) < SortKey(b); });
}

}  // namespace fi
