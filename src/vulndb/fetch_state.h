// Private: the fetch_state table (schema >= 3) that `db update` keeps per ecosystem.
#pragma once

#include <sqlite3.h>

#include <string_view>
#include <vector>

#include "common/result.h"
#include "vulndb/vulndb.h"

namespace hivesec::vulndb::detail {

// Every row, sorted by ecosystem. Empty for a database older than schema 3.
Result<std::vector<FetchState>> read_fetch_states(sqlite3* db);

// Inserts or replaces the row of `state.ecosystem`. The caller owns the transaction.
Status write_fetch_state(sqlite3* db, const FetchState& state);

// Sets `checked` of an existing row (nothing when the row is absent).
Status mark_checked(sqlite3* db, std::string_view ecosystem, std::string_view when);

}  // namespace hivesec::vulndb::detail
