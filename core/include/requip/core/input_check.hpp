#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace requip {

// Why a text cannot be taken as input (empty, longer than max_bytes, or not UTF-8), as one
// line naming the fix; nothing if it can.
std::optional<std::string> check_input(std::string_view text, std::size_t max_bytes);

}  // namespace requip
