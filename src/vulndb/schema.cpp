#include "vulndb/schema.h"

#include <string>

#include "vulndb/sqlite_util.h"
#include "vulndb/vulndb.h"

namespace hivesec::vulndb {

namespace detail {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       {
           "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
           // raw: the record as imported, zstd-compressed. aliases: a JSON array of strings.
           // source: the ecosystem the record was imported from (bucket folder).
           "CREATE TABLE advisories(id TEXT PRIMARY KEY, modified TEXT NOT NULL, published TEXT,"
           " withdrawn TEXT, aliases TEXT NOT NULL DEFAULT '[]', source TEXT NOT NULL,"
           " raw BLOB NOT NULL)",
           "CREATE TABLE affected(ecosystem TEXT NOT NULL, name TEXT NOT NULL,"
           " advisory_id TEXT NOT NULL, PRIMARY KEY(ecosystem, name, advisory_id)) WITHOUT ROWID",
           "CREATE INDEX affected_by_advisory ON affected(advisory_id)",
       }},
      {2,
       {
           "CREATE TABLE aliases(alias TEXT NOT NULL, advisory_id TEXT NOT NULL,"
           " PRIMARY KEY(alias, advisory_id)) WITHOUT ROWID",
           "CREATE INDEX aliases_by_advisory ON aliases(advisory_id)",
           "INSERT OR IGNORE INTO aliases(alias, advisory_id) SELECT j.value, a.id FROM"
           " advisories a, json_each(a.aliases) j WHERE j.type = 'text'",
           "CREATE TABLE imports(id INTEGER PRIMARY KEY, time TEXT NOT NULL,"
           " sources TEXT NOT NULL, imported INTEGER NOT NULL, skipped INTEGER NOT NULL)",
       }},
      {3,
       {
           // `db update`: per bucket folder, where its zip came from, the HTTP validators of
           // that response (replayed as If-None-Match / If-Modified-Since) and when it was
           // last imported (fetched) and last found current (checked). Times are RFC 3339 UTC.
           "CREATE TABLE fetch_state(ecosystem TEXT PRIMARY KEY, source TEXT NOT NULL,"
           " etag TEXT NOT NULL DEFAULT '', last_modified TEXT NOT NULL DEFAULT '',"
           " fetched TEXT NOT NULL DEFAULT '', checked TEXT NOT NULL DEFAULT '',"
           " records INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID",
           "CREATE INDEX advisories_by_source ON advisories(source)",
       }},
  };
  return kMigrations;
}

Result<int> read_schema_version(sqlite3* db) {
  HIVESEC_TRY(auto tables, Stmt::prepare(db, "SELECT name FROM sqlite_schema WHERE type='table'"));
  bool has_meta = false;
  int count = 0;
  int rc;
  while ((rc = tables.step()) == SQLITE_ROW) {
    ++count;
    if (tables.column_text(0) == "meta") has_meta = true;
  }
  if (rc != SQLITE_DONE) return sqlite_error(db, rc, "reading schema");
  if (count == 0) return 0;
  if (!has_meta) {
    return make_error(Errc::kCorrupt, "not a hivesec vulnerability database (no meta table)");
  }
  HIVESEC_TRY(auto q, Stmt::prepare(db, "SELECT value FROM meta WHERE key='schema_version'"));
  rc = q.step();
  if (rc == SQLITE_DONE) return make_error(Errc::kCorrupt, "meta table has no schema_version");
  if (rc != SQLITE_ROW) return sqlite_error(db, rc, "reading schema_version");
  std::string v(q.column_text(0));
  int version = 0;
  for (char c : v) {
    if (c < '0' || c > '9' || version > 100000) {
      return make_error(Errc::kCorrupt, "invalid schema_version '{}'", v);
    }
    version = version * 10 + (c - '0');
  }
  if (v.empty()) return make_error(Errc::kCorrupt, "empty schema_version");
  return version;
}

Status migrate(sqlite3* db, int target) {
  const auto& all = migrations();
  if (target < 0) target = all.back().version;
  HIVESEC_TRY_STATUS(exec(db, "BEGIN IMMEDIATE"));
  auto apply = [&]() -> Status {
    HIVESEC_TRY(int current, read_schema_version(db));
    if (current > target) {
      return make_error(Errc::kUnsupported,
                        "database schema version {} is newer than this hivesec supports ({})",
                        current, target);
    }
    if (current == target) return ok_status();
    for (const auto& m : all) {
      if (m.version <= current || m.version > target) continue;
      for (const char* sql : m.steps) {
        auto st = exec(db, sql);
        if (!st.ok()) return std::move(st).error().wrap(fmt::format("migration {}", m.version));
      }
    }
    HIVESEC_TRY(auto set, Stmt::prepare(db,
                                        "INSERT OR REPLACE INTO meta(key, value) "
                                        "VALUES('schema_version', ?1)"));
    set.text(1, std::to_string(target));
    return set.run("writing schema_version");
  };
  auto st = apply();
  if (!st.ok()) {
    (void)exec(db, "ROLLBACK");
    return st;
  }
  return exec(db, "COMMIT");
}

}  // namespace detail

int current_schema_version() { return detail::migrations().back().version; }

}  // namespace hivesec::vulndb
