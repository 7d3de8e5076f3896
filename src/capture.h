// The capture model: connections, each an ordered list of frames, plus the HTTP handshake facts.
// Every importer (HAR, BOSH, transcript) and the live driver fill this one shape; nothing
// downstream knows which of them produced it.
#pragma once

#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fi {

enum class Direction : uint8_t { Sent, Received, Error, Count };
// Tcp: an RFC 6120 <stream:stream> in a text log, with no WebSocket or BOSH around it.
enum class Transport : uint8_t { WebSocket, Bosh, Tcp, Count };

const char* DirectionName(Direction d);  // "sent", "received", "error"
const char* TransportName(Transport t);  // "websocket", "bosh", "tcp"

// RFC 6455 opcodes, kept as numbers because captures carry them as numbers.
namespace opcode {
constexpr uint8_t kText = 1, kBinary = 2, kClose = 8, kPing = 9, kPong = 10;
}

constexpr double kNoTime = std::numeric_limits<double>::quiet_NaN();
inline bool HasTime(double t) { return std::isfinite(t); }

struct Frame {
  Direction dir = Direction::Received;
  uint8_t opcode = opcode::kText;
  double time = kNoTime;      // seconds since the Unix epoch
  std::string_view payload;   // points into storage owned by the Capture
  uint32_t source_index = 0;  // index of the frame in its source (HAR message, transcript line)
};

// A line of a text log that reports connection state ("status online", "Websocket error") rather
// than carrying a stanza: kept, with its time, to be shown among the frames; never a stanza.
struct Note {
  uint32_t before_frame = 0;  // it stands before this frame (frames.size(): after the last one)
  double time = kNoTime;
  uint32_t line = 0;  // 1-based line in the source
  std::string_view text;
};

struct Header {
  std::string name;
  std::string value;
};

// Case-insensitive, because header names arrive in any case (HTTP/2 writes them lower-case).
const Header* FindHeader(const std::vector<Header>& headers, std::string_view name);

struct Handshake {
  bool present = false;  // a transcript has none
  std::string method;
  int status = 0;  // 0: no response
  std::string status_text;
  std::string error;  // e.g. Chrome's response._error "net::ERR_CERT_AUTHORITY_INVALID"
  std::vector<Header> request_headers;
  std::vector<Header> response_headers;

  // Case-insensitive lookup, because header names arrive in any case.
  const Header* FindRequest(std::string_view name) const;
  const Header* FindResponse(std::string_view name) const;
};

// One HTTP request of a live BOSH session, kept so the session's HAR export can write it as the
// entry a browser would have; importers leave the list empty (frames are what they read).
struct HttpExchange {
  double sent_time = kNoTime;
  double received_time = kNoTime;  // kNoTime: no answer (yet)
  int status = 0;                  // 0: no HTTP answer
  std::string error;               // why there was none
  std::string_view request_body;   // secrets masked; into the capture's storage
  std::string_view response_body;
};

struct Connection {
  Transport transport = Transport::WebSocket;
  std::string url;
  double start_time = kNoTime;  // handshake start, else first frame
  int source_entry = -1;        // HAR entry index (first one for BOSH), -1 for transcripts
  bool frames_exported = true;  // false: the export had the connection but carried no frames
  Handshake handshake;
  std::vector<Frame> frames;
  std::vector<Note> notes;
  std::optional<int> close_code;  // RFC 6455 close code when known (close frame, live close)
  std::string close_reason;
  std::vector<HttpExchange> http;  // a live BOSH session's requests, in the order posted

  // The earliest time known for the connection, for relative offsets.
  double Origin() const;
  // Seconds from Origin() to the last timed frame; kNoTime when either is unknown.
  double Duration() const;
};

// A Finesse REST call (a HAR entry whose path starts with /finesse/api/), kept as the HAR has it;
// read by finesse_rest, never by the checker's frame walk.
struct RestCall {
  int entry = -1;  // index in log.entries
  double start_time = kNoTime;
  double total_ms = kNoTime;
  std::string method;
  std::string url;
  int status = 0;  // 0: no response
  std::string status_text, error;
  std::vector<Header> request_headers, response_headers;
  std::string_view request_body, response_body;  // point into the capture's storage
};

// One record of a Finesse desktop client log (desktop_log.h).
struct LogRecord {
  uint32_t line = 0;      // 1-based line of the source where the record starts
  double time = kNoTime;  // the agent PC's local time, as epoch seconds
  // Into the capture's storage. Text before the first record (a log cut mid-record) is a record
  // with no header: only `message` is set.
  std::string_view session, host, server_time, component, message;
};

struct Capture {
  std::string format;    // "har" or "transcript"
  std::string producer;  // e.g. "WebInspector 537.36", "Strophe raw log"
  int entries = 0;       // HAR entries, or transcript elements
  std::vector<std::string> errors;  // what could not be read, and where
  std::vector<Connection> connections;
  std::vector<RestCall> rest_calls;  // in HAR order
  std::vector<LogRecord> log_records;  // a desktop client log's records, in order

  // Keeps bytes alive for frames to point at. References stay valid as more are added.
  std::string_view Keep(std::string bytes);
  // Takes the whole input buffer; frames parsed in situ point into it.
  char* Adopt(std::string bytes);

 private:
  std::deque<std::string> m_storage;
};

// Orders connections by start time (stable), as reconnect detection needs.
void SortConnections(Capture& capture);

}  // namespace fi
