#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace requip::serve {

// JSON as it goes on the wire. Text from outside (a path, a session id, a header) may hold
// bytes that are not UTF-8; they become U+FFFD here instead of throwing out of a handler.
std::string json_text(const nlohmann::json& json);

}  // namespace requip::serve
