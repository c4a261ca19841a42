#pragma once

#include <spdlog/logger.h>

namespace requip::detail {

// What requip's modules log through; requip/core/log.hpp says where its lines go.
spdlog::logger& library_log();

}  // namespace requip::detail
