// Private: replacing a database file atomically (used by import and update).
//
// A new version of the database is built in a temporary file next to the target, starting from
// a copy of the current database (or empty), then renamed over the target. Readers and failed or
// killed writers never see a half-written database. Temporary files are named
// `<db>.<kind>-<pid>[-<n>].tmp`, so a later run can recognise and remove those left behind by a
// process that no longer runs.
#pragma once

#include <sqlite3.h>

#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hivesec::vulndb::detail {

struct RebuildInfo {
  bool rebuilt_corrupt = false;  // the previous database was corrupt and dropped
  int64_t advisories_total = 0;  // in the new database
};

// Copies `db_path` (unless `fresh` or missing; a corrupt one is dropped) into a temporary file,
// migrates it to the current schema, runs `apply` on it (which owns its transactions) and renames
// the result over `db_path`. Any error, from `apply` too, removes the temporary file and leaves
// `db_path` untouched. kUnsupported when the current database is newer than this build.
// Not safe against another process writing the same database concurrently (the last rename wins).
Result<RebuildInfo> rebuild_database(const std::string& db_path, bool fresh,
                                     const std::function<Status(sqlite3* db)>& apply);

// `<db_path>.<kind>-<pid>.tmp`, or `<db_path>.<kind>-<pid>-<n>.tmp` for n >= 0. `kind` is one
// of "import", "update", "fetch".
std::string temp_path_for(const std::string& db_path, std::string_view kind, int n = -1);

// Removes the temporary files (and their -journal/-wal/-shm) next to `db_path` that follow the
// naming above and belong to a process that no longer runs. Returns how many were removed.
// Best effort: errors are ignored.
int remove_stale_temp_files(const std::string& db_path);

// Removes `path` and its -journal, -wal and -shm companions (best effort).
void remove_db_files(const std::string& path);

}  // namespace hivesec::vulndb::detail
