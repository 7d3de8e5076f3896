// The page's transports for live mode: the browser's WebSocket (emscripten/websocket.h) and
// fetch() for BOSH. They only execute the driver's commands and report events to the host.
#pragma once

#include <memory>

#include "live_host.h"

namespace fi::web {

std::unique_ptr<LiveIo> MakePageIo(LiveHost& host, LiveTransport transport);

}  // namespace fi::web
