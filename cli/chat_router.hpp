#pragma once

#include <filesystem>
#include <memory>

#include "repl.hpp"
#include "requip/core/brain.hpp"

namespace requip::cli {

// Puts the requip router in front of the brain's skills, its learning kept in the database
// at `db` (in memory for the run when empty), and gives the REPL /why and /forget.
void add_router(Brain& brain, Repl& repl, const std::filesystem::path& db);

// The memento the brain should use: the database's when there is one.
std::shared_ptr<Memento> chat_memento(const std::filesystem::path& db);

}  // namespace requip::cli
