#pragma once

#include <vector>

#include "requip/memory/mappings.hpp"

namespace requip::memory::detail {

class Connection;

// Every mapping, sorted by key, read on a connection the caller already holds (Store's export
// reads it inside its own snapshot).
std::vector<Mapping> list_mappings(Connection& db);

}  // namespace requip::memory::detail
