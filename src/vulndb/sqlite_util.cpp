#include "vulndb/sqlite_util.h"

namespace hivesec::vulndb::detail {

Error sqlite_error(sqlite3* db, int rc, std::string_view what, Errc fallback) {
  const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (is_corruption(rc)) {
    return make_error(Errc::kCorrupt, "{}: database is corrupt ({})", what, msg);
  }
  return make_error(fallback, "{}: sqlite: {}", what, msg);
}

Status exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return ok_status();
  std::string msg = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  if (is_corruption(rc)) return make_error(Errc::kCorrupt, "database is corrupt ({})", msg);
  return make_error(Errc::kIo, "sqlite: {}", msg);
}

Result<Stmt> Stmt::prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(raw);
    return sqlite_error(db, rc, "prepare");
  }
  Stmt s;
  s.s_.reset(raw);
  return s;
}

Status Stmt::run(std::string_view what) {
  int rc;
  while ((rc = step()) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) {
    auto e = sqlite_error(db(), rc, what);
    reset();
    return e;
  }
  reset();
  return ok_status();
}

}  // namespace hivesec::vulndb::detail
