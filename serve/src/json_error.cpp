#include "json_error.hpp"

#include <nlohmann/json.hpp>

namespace requip::serve {

std::string error_json(std::string_view message, std::string_view type) {
  return nlohmann::json{{"error", {{"message", message}, {"type", type}}}}.dump();
}

}  // namespace requip::serve
