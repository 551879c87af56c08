// Private: opening database files and writing advisories into them (used by the importer).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "vulndb/sqlite_util.h"
#include "vulndb/vulndb.h"

namespace hivesec::vulndb::detail {

// Opens `path` with `flags` (SQLITE_OPEN_*), sets a busy timeout and defensive mode.
Result<DbPtr> open_file(const std::string& path, int flags);

// zstd frame of `raw` / the inverse (bounded by kMaxRecordBytes).
Result<std::string> compress_record(std::string_view raw);
Result<std::string> decompress_record(std::string_view blob);

// `s` on one line (CR/LF become spaces), at most 300 bytes.
std::string one_line(std::string s);

// The source to file a record under when no bucket folder names it: the base of its first
// affected ecosystem ("Debian" for "Debian:12"), else "unknown".
std::string source_of(const Advisory& adv);

// The current UTC time as RFC 3339 ("2026-01-02T03:04:05Z").
std::string utc_now();

// Writes advisories through prepared statements. The caller owns the transaction.
class Writer {
 public:
  static Result<Writer> create(sqlite3* db);
  // Inserts or replaces `adv` (and its affected/alias index rows). `raw` is the record text.
  Status put(const Advisory& adv, std::string_view raw, std::string_view source);
  // Deletes the advisory `id` and its index rows (nothing when absent).
  Status remove(std::string_view id);
  Status log_import(const std::vector<std::string>& sources, int64_t imported, int64_t skipped);

 private:
  Stmt del_affected_, del_aliases_, del_advisory_, put_advisory_, put_affected_, put_alias_, log_;
};

}  // namespace hivesec::vulndb::detail
