#include "requip/core/memento.hpp"

namespace requip {

namespace {
constexpr std::string_view shared_prefix = "shared:";
}

std::string user_space(std::string_view user, std::string_view space) {
  if (user.empty()) return std::string(space);
  std::string named = "users/";
  named.append(user).append("/").append(space);
  return named;
}

std::string shared_space(std::string_view space) {
  return std::string(shared_prefix).append(space);
}

bool is_shared_space(std::string_view space) {
  return space.starts_with(shared_prefix);
}

}  // namespace requip
