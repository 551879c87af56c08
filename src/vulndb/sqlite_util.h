// Private: small RAII wrappers over the SQLite C API for the vulndb store.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hivesec::vulndb::detail {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

// True for result codes that mean "this file is not a (valid) database".
inline bool is_corruption(int rc) {
  int primary = rc & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

// An error from `db`'s last failure: kCorrupt for corruption, else `fallback`.
Error sqlite_error(sqlite3* db, int rc, std::string_view what, Errc fallback = Errc::kIo);

// Runs `sql` (one or more statements, no results).
Status exec(sqlite3* db, const char* sql);

// A prepared statement; reset after each use by its owner.
class Stmt {
 public:
  Stmt() = default;
  static Result<Stmt> prepare(sqlite3* db, const char* sql);

  Stmt& text(int i, std::string_view v) {
    sqlite3_bind_text(s_.get(), i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // NULL when empty.
  Stmt& text_or_null(int i, std::string_view v) {
    if (v.empty()) {
      sqlite3_bind_null(s_.get(), i);
      return *this;
    }
    return text(i, v);
  }
  Stmt& blob(int i, std::string_view v) {
    sqlite3_bind_blob(s_.get(), i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& int64(int i, int64_t v) {
    sqlite3_bind_int64(s_.get(), i, v);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(s_.get()); }
  // Steps to completion, then resets. An error names `what`.
  Status run(std::string_view what);
  void reset() {
    sqlite3_reset(s_.get());
    sqlite3_clear_bindings(s_.get());
  }

  std::string_view column_text(int i) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_.get(), i));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(s_.get(), i)))
             : std::string_view();
  }
  std::string_view column_blob(int i) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(s_.get(), i));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(s_.get(), i)))
             : std::string_view();
  }
  int64_t column_int64(int i) const { return sqlite3_column_int64(s_.get(), i); }
  sqlite3* db() const { return sqlite3_db_handle(s_.get()); }

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  std::unique_ptr<sqlite3_stmt, Finalizer> s_;
};

}  // namespace hivesec::vulndb::detail
