#pragma once

namespace requip::memory::detail {

class PostgresConnection;

// Brings a PostgreSQL database up to Store::schema_version in one transaction, under the
// write lock, so that replicas starting together migrate it once. A database with other
// tables and no requip_schema is another program's and is refused, as is a newer schema;
// either way nothing is changed.
void migrate_postgres(PostgresConnection& connection);

}  // namespace requip::memory::detail
