#pragma once

#include "host_protocol.hpp"
#include "requip/plugin_abi.h"

namespace requip::plugins::detail {

// Answers a callback a plugin made in its host process (host_protocol.hpp) with this
// process's own table (host_api.hpp), for the context of the instance whose call it came
// in: memory, emotion and questions reach the conversation as they do in process. Throws
// nlohmann::json::exception for a callback that is not the protocol's.
protocol::Message answer_host_callback(requip_host_context* context,
                                       const protocol::Message& callback);

}  // namespace requip::plugins::detail
