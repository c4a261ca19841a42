#pragma once

#include <optional>
#include <string>

#include "requip/plugin_abi.h"

namespace requip::plugins::host {

// The callback table a plugin gets inside a host process: each callback goes to the agent on
// the channel of the call running on this thread, and waits for its answer there.
const requip_host_api& forwarded_host_api();

// Names the channel whose call this thread runs, for the callbacks that call makes.
void set_calling_channel(int channel);
// The conversation's emotion as the call brought it (none: not attached); emotion_get is
// answered from it without a round trip.
void set_calling_emotion(std::optional<std::string> emotion);

}  // namespace requip::plugins::host
