#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include "requip/core/unavailable.hpp"

namespace requip::memory {

// Why a database (a file, or a PostgreSQL server) was refused or an operation on it failed. Every
// refusal leaves the file exactly as it was.
enum class StoreErrorKind {
  not_a_file,     // a directory or something else that is not a regular file
  missing,        // no database there, and the caller asked not to create one
  cannot_create,  // the file or its folder cannot be created
  read_only,      // the file or its folder cannot be written
  corrupt,        // not an SQLite database, or a damaged one
  foreign,        // an SQLite database that some other program made
  newer_schema,   // written by a newer requip
  busy,           // another process held the database past the busy timeout
  unavailable,    // the database server cannot be reached (for now)
  io,             // anything else SQLite reported
};

// One line that names the database file, says what is wrong and how to fix it.
class StoreError : public std::runtime_error {
 public:
  // Reads "<subject> <file>: <problem>; <fix>".
  StoreError(StoreErrorKind kind, const std::filesystem::path& file, const std::string& problem,
             const std::string& fix, const std::string& subject = "database");

  StoreErrorKind kind() const { return kind_; }

 private:
  StoreErrorKind kind_;
};

// A store that cannot be reached for now (StoreErrorKind::unavailable): also an Unavailable,
// so that a turn meeting it is answered "try again" and blames no skill.
class StoreUnavailable final : public StoreError, public Unavailable {
 public:
  StoreUnavailable(const std::filesystem::path& file, const std::string& problem,
                   const std::string& fix)
      : StoreError(StoreErrorKind::unavailable, file, problem, fix) {}

  const char* reason() const noexcept override { return what(); }
};

}  // namespace requip::memory
