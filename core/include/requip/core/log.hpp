#pragma once

#include <functional>
#include <string_view>

namespace requip {

enum class LogLevel { debug, info, warn, error, off };

// Receives each line requip logs, from whichever thread logs it, one at a time. It must not
// itself log through requip.
using LogSink = std::function<void(LogLevel level, std::string_view line)>;

// requip's own log lines (a router retrained, a plugin refused, a turn past its deadline) go
// to standard error unless the program sets a sink: never to standard output, which a bot
// may speak a protocol of its own on. Both settings are thread-safe.
void set_log_sink(LogSink sink);     // an empty one restores standard error
void set_log_level(LogLevel least);  // lines below it are dropped; info by default

}  // namespace requip
