// Private: the vulndb schema as an ordered list of migrations.
//
// Migration N holds the SQL steps that turn a version N-1 database into version N. The version
// lives in meta(key='schema_version'). An empty file is version 0.
#pragma once

#include <sqlite3.h>

#include <vector>

#include "common/result.h"

namespace hivesec::vulndb::detail {

struct Migration {
  int version = 0;
  std::vector<const char*> steps;
};

// Every migration, ordered by version (1, 2, ...).
const std::vector<Migration>& migrations();

// The version of `db`: 0 for an empty database; kCorrupt when the file is not a database or
// holds tables but no hivesec `meta` table.
Result<int> read_schema_version(sqlite3* db);

// Applies the migrations after the current version up to `target` (default: the latest) in one
// transaction; nothing changes on error. kUnsupported when the database is newer than `target`.
Status migrate(sqlite3* db, int target = -1);

}  // namespace hivesec::vulndb::detail
