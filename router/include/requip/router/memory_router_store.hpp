#pragma once

#include <memory>

#include "requip/router/router_store.hpp"

namespace requip::memory {
class Store;
}

namespace requip::router {

// The router's learning kept in a requip database (requip::memory): mappings, the feedback
// log and the gate's weights survive restarts and are shared by processes using one file.
std::shared_ptr<RouterStore> make_memory_router_store(std::shared_ptr<memory::Store> store);

}  // namespace requip::router
