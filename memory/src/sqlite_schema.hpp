#pragma once

#include <SQLiteCpp/Database.h>

namespace requip::memory::detail {

// Brings an open, checked SQLite database up to Store::schema_version, one committed step per
// version, so that an interrupted migration resumes where it stopped. Each step re-reads the
// version inside its write transaction: two processes opening the same old file migrate it
// once.
void migrate_sqlite(SQLite::Database& database);

// Marks requip's files (PRAGMA application_id) so that another program's SQLite file is
// refused instead of being filled with our tables.
inline constexpr int sqlite_application_id = 0x72657170;  // "reqp"

}  // namespace requip::memory::detail
