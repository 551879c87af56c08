// rpmdb.sqlite (rpm >= 4.16): table Packages(hnum INTEGER PRIMARY KEY, blob BLOB). The file is
// opened from memory (sqlite3_deserialize) read-only, with a step budget against hostile
// schemas.
#include <sqlite3.h>

#include <cstring>
#include <memory>

#include "analyze/rpm_db.h"

namespace hivesec::analyze::rpm {
namespace {

constexpr int kProgressOps = 1000;          // callback every N VM instructions
constexpr int kMaxProgressCalls = 2000000;  // => at most ~2e9 instructions

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtCloser {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

int on_progress(void* counter) {
  int& n = *static_cast<int*>(counter);
  return ++n > kMaxProgressCalls ? 1 : 0;
}

}  // namespace

Status read_sqlite(std::string_view file, const BlobFn& blob, size_t& skipped) {
  if (file.size() < 100 || file.substr(0, 16) != std::string_view("SQLite format 3\0", 16)) {
    return make_error(Errc::kCorrupt, "not an SQLite database");
  }
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2("", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, nullptr) != SQLITE_OK) {
    sqlite3_close(raw);
    return make_error(Errc::kInternal, "sqlite: cannot open an in-memory database");
  }
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  auto* buf = static_cast<unsigned char*>(sqlite3_malloc64(file.size()));
  if (!buf) return make_error(Errc::kLimit, "sqlite: out of memory for {} bytes", file.size());
  std::memcpy(buf, file.data(), file.size());
  // rpm keeps the database in WAL mode; an in-memory image cannot use WAL, so read it as a
  // rollback-journal database (what is in a -wal file is not in this image anyway).
  if (buf[18] == 2) buf[18] = 1;
  if (buf[19] == 2) buf[19] = 1;
  int rc = sqlite3_deserialize(db.get(), "main", buf, static_cast<sqlite3_int64>(file.size()),
                               static_cast<sqlite3_int64>(file.size()),
                               SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
  if (rc != SQLITE_OK) return make_error(Errc::kCorrupt, "sqlite: cannot load database ({})", rc);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  int progress = 0;
  sqlite3_progress_handler(db.get(), kProgressOps, on_progress, &progress);

  // Only a real table named Packages: a view could run arbitrary queries.
  const char* kCheck = "SELECT 1 FROM sqlite_master WHERE type='table' AND name='Packages'";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db.get(), kCheck, -1, &st, nullptr) != SQLITE_OK) {
    sqlite3_finalize(st);
    return make_error(Errc::kCorrupt, "sqlite: {}", sqlite3_errmsg(db.get()));
  }
  std::unique_ptr<sqlite3_stmt, StmtCloser> check(st);
  if (sqlite3_step(check.get()) != SQLITE_ROW) {
    return make_error(Errc::kCorrupt, "sqlite: no Packages table");
  }
  st = nullptr;
  if (sqlite3_prepare_v2(db.get(), "SELECT blob FROM Packages", -1, &st, nullptr) != SQLITE_OK) {
    sqlite3_finalize(st);
    return make_error(Errc::kCorrupt, "sqlite: {}", sqlite3_errmsg(db.get()));
  }
  std::unique_ptr<sqlite3_stmt, StmtCloser> query(st);
  while ((rc = sqlite3_step(query.get())) == SQLITE_ROW) {
    const void* data = sqlite3_column_blob(query.get(), 0);
    int n = sqlite3_column_bytes(query.get(), 0);
    if (!data || n <= 0) {
      ++skipped;
      continue;
    }
    blob(std::string_view(static_cast<const char*>(data), static_cast<size_t>(n)));
  }
  if (rc != SQLITE_DONE) {
    return make_error(Errc::kCorrupt, "sqlite: reading Packages: {}", sqlite3_errmsg(db.get()));
  }
  return ok_status();
}

}  // namespace hivesec::analyze::rpm
