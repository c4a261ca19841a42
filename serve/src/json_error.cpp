#include "json_error.hpp"

#include <nlohmann/json.hpp>

#include "json_text.hpp"

namespace requip::serve {

std::string error_json(std::string_view message, std::string_view type) {
  return json_text({{"error", {{"message", message}, {"type", type}}}});
}

}  // namespace requip::serve
