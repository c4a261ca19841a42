#pragma once

#include <filesystem>

#include "paths.hpp"

namespace requip::cli {

// Options of the `requip` app itself that every subcommand may use, filled in by the parser
// before any subcommand runs.
struct GlobalOptions {
  std::filesystem::path db;  // --db; empty for the default location

  // The database file every subcommand uses.
  std::filesystem::path database() const { return db.empty() ? data_home() / "requip.db" : db; }
};

}  // namespace requip::cli
