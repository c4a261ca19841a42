#pragma once

#include <memory>

#include "repl.hpp"

namespace requip::memory {
class Store;
}
namespace requip::router {
class RouterModel;
struct RouterConfig;
}  // namespace requip::router

namespace requip::cli {

// A router with a small gate, sized for a handful of skills with a few examples each.
router::RouterConfig chat_router_config();

// The router model `requip chat` and `requip serve` share: chat_router_config(), its
// learning kept in `store`.
std::shared_ptr<router::RouterModel> make_chat_router_model(std::shared_ptr<memory::Store> store);

// Gives the REPL /equip, /why, /forget and /stats over its conversation's router.
void add_router_commands(Repl& repl);

}  // namespace requip::cli
