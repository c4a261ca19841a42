#pragma once

#include <memory>

#include "repl.hpp"
#include "requip/core/brain.hpp"

namespace requip::memory {
class Store;
}
namespace requip::router {
class RouterModel;
}

namespace requip::cli {

// The router model `requip chat` and `requip serve` share: a small gate sized for a handful
// of skills with a few examples each, its learning kept in `store`.
std::shared_ptr<router::RouterModel> make_chat_router_model(std::shared_ptr<memory::Store> store);

// Puts the requip router in front of the brain's skills, its learning kept in `store`, and
// gives the REPL /equip, /why, /forget and /stats.
void add_router(Brain& brain, Repl& repl, std::shared_ptr<memory::Store> store);

}  // namespace requip::cli
