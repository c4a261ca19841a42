#pragma once

#include <memory>

#include "repl.hpp"
#include "requip/core/brain.hpp"

namespace requip::memory {
class Store;
}

namespace requip::cli {

// Puts the requip router in front of the brain's skills, its learning kept in `store`, and
// gives the REPL /why and /forget.
void add_router(Brain& brain, Repl& repl, std::shared_ptr<memory::Store> store);

}  // namespace requip::cli
