// BOSH (XEP-0124/0206): turns <body> wrappers into the frames of a connection. Session
// requests, restarts and terminates become frames of their own; empty polls carry nothing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "capture.h"

namespace fi {

struct BodyInfo {
  bool parsed = false;
  std::string error;  // why the body could not be read
  std::string sid, rid, to, type, condition;
  int requests = 0, wait = 0;  // a session response's limits; 0: not given
  bool restart = false;
  size_t stanzas = 0;
};

// Reads one <body>, appending a frame per child stanza (and one for a session request or
// response, a restart or a terminate) to conn. Returns what the body's attributes said.
BodyInfo ExpandBoshBody(std::string_view body_xml, Direction dir, double time, uint32_t source_index,
                        Connection& conn, Capture& capture);

// One HTTP exchange of a BOSH session as a HAR holds it.
struct BoshExchange {
  int entry = 0;
  std::string url;
  double sent_time = kNoTime;
  double received_time = kNoTime;
  int status = 0;
  std::string error;  // HAR response._error
  std::string_view request_body;
  std::string_view response_body;
  std::vector<Header> request_headers;
  std::vector<Header> response_headers;
};

// Groups exchanges into sessions by sid (a session request without sid opens a new one) and
// appends one BOSH connection per session to the capture.
void BuildBoshConnections(std::vector<BoshExchange>& exchanges, Capture& capture);

}  // namespace fi
