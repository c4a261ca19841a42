#include "requip/memory/store_error.hpp"

#include <fmt/format.h>

namespace requip::memory {

StoreError::StoreError(StoreErrorKind kind, const std::filesystem::path& file,
                       const std::string& problem, const std::string& fix,
                       const std::string& subject)
    : std::runtime_error(fmt::format("{} {}: {}; {}", subject, file.string(), problem, fix)),
      kind_(kind) {}

}  // namespace requip::memory
