#pragma once

#include "api.hpp"
#include "connections.hpp"
#include "stream_hub.hpp"

namespace requip::serve {

// What every connection of one server shares.
struct ServerContext {
  const ServerOptions& options;
  Api& api;
  StreamHub& streams;
  Connections& connections;
};

}  // namespace requip::serve
