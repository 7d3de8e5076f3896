// The Finesse desktop's own client log ("Send Error Report"), as Cisco's JavaScript library writes
// it (finesse.js 10.5/10.6, tests/corpus/desktop/FORMAT.md): records of
// "<local time ±HH:MM>: <session key>: <host>: <server time>: <component> : <message>" that run on,
// wrap at a fixed width, and start or end mid-record. Records are found by their time
// stamp, never by line ends; each is classified by its message (connection status, transport,
// drift, subscriptions, notifications, REST requests), and one it cannot classify is kept as text.
#pragma once

#include <string>
#include <string_view>

#include "capture.h"

namespace fi {

struct Report;

// True when the text holds records in this format (checked on its first records).
bool LooksLikeDesktopLog(std::string_view text);

// Reads the records into capture.desktop (format "finesse-desktop-log").
Capture ImportDesktopLog(std::string bytes);

// The log's status timeline, transport, host, drift, subscriptions, notifications, REST requests
// matched to notifications by requestId, agent states and findings, into report.finesse.
void AnalyseDesktopLog(const Capture& capture, Report& report);

}  // namespace fi
