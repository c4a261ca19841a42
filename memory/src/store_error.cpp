#include "requip/memory/store_error.hpp"

#include <fmt/format.h>
#include <fmt/std.h>

namespace requip::memory {

StoreError::StoreError(StoreErrorKind kind, const std::filesystem::path& file,
                       const std::string& problem, const std::string& fix)
    : std::runtime_error(fmt::format("database {}: {}; {}", file.string(), problem, fix)),
      kind_(kind) {}

}  // namespace requip::memory
