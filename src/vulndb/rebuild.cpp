#include "vulndb/rebuild.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "vulndb/schema.h"
#include "vulndb/sqlite_util.h"
#include "vulndb/store.h"
#include "vulndb/vulndb.h"

namespace hivesec::vulndb::detail {

namespace {

namespace fs = std::filesystem;

// Copies the current database into `tmp`; false (and `tmp` left empty) when it is corrupt.
Result<bool> copy_existing(const std::string& db_path, sqlite3* tmp) {
  {
    // Fold a pending WAL into the main file so the copy and the rename lose nothing.
    auto rw = open_file(db_path, SQLITE_OPEN_READWRITE);
    if (rw.ok()) (void)exec(rw->get(), "PRAGMA wal_checkpoint(TRUNCATE)");
  }
  auto src = open_file(db_path, SQLITE_OPEN_READONLY);
  if (!src.ok()) return false;
  auto version = read_schema_version(src->get());
  if (!version.ok()) return false;
  if (*version > current_schema_version()) {
    return make_error(Errc::kUnsupported,
                      "{}: database schema version {} is newer than this hivesec supports ({})",
                      db_path, *version, current_schema_version());
  }
  sqlite3_backup* b = sqlite3_backup_init(tmp, "main", src->get(), "main");
  if (!b) return sqlite_error(tmp, sqlite3_errcode(tmp), "copying the current database");
  int rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    if (is_corruption(rc)) return false;
    return sqlite_error(tmp, rc, "copying the current database");
  }
  HIVESEC_TRY(auto check, Stmt::prepare(tmp, "PRAGMA quick_check(1)"));
  rc = check.step();
  if (rc != SQLITE_ROW || check.column_text(0) != "ok") return false;
  return true;
}

Status fsync_path(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(Errc::kIo, "{}: cannot open for sync", path);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return make_error(Errc::kIo, "{}: fsync failed", path);
  return ok_status();
}

Status build(const std::string& db_path, const std::string& tmp_path, bool fresh,
             const std::function<Status(sqlite3*)>& apply, RebuildInfo& info) {
  HIVESEC_TRY(auto db, open_file(tmp_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  std::error_code ec;
  if (!fresh && fs::exists(db_path, ec)) {
    HIVESEC_TRY(bool copied, copy_existing(db_path, db.get()));
    if (!copied) {
      info.rebuilt_corrupt = true;
      db.reset();
      remove_db_files(tmp_path);
      HIVESEC_TRY(db, open_file(tmp_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    }
  }
  // The temporary file is discarded on any failure, so it needs no durability until the end.
  HIVESEC_TRY_STATUS(exec(db.get(),
                          "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; "
                          "PRAGMA cache_size=-32768"));
  HIVESEC_TRY_STATUS(migrate(db.get()));
  HIVESEC_TRY_STATUS(apply(db.get()));
  {
    HIVESEC_TRY(auto count, Stmt::prepare(db.get(), "SELECT COUNT(*) FROM advisories"));
    if (count.step() == SQLITE_ROW) info.advisories_total = count.column_int64(0);
  }
  // A rollback-journal database: readers (scans open it read-only) leave no -wal/-shm files
  // behind, and updates never write in place while readers run (they rename a new file over it).
  HIVESEC_TRY_STATUS(exec(db.get(), "PRAGMA journal_mode=DELETE"));
  // `apply` must have finalized its statements.
  int rc = sqlite3_close(db.release());
  if (rc != SQLITE_OK) return make_error(Errc::kIo, "closing {} failed", tmp_path);
  return fsync_path(tmp_path, false);
}

bool process_gone(long pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

// The pid in "<kind>-<pid>[-<n>].tmp<companion>", or -1 when `rest` does not follow the naming.
long temp_owner(std::string_view rest) {
  size_t dash = rest.find('-');
  if (dash == std::string_view::npos) return -1;
  std::string_view kind = rest.substr(0, dash);
  if (kind != "import" && kind != "update" && kind != "fetch") return -1;
  rest.remove_prefix(dash + 1);
  long pid = 0;
  size_t i = 0;
  while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9' && pid < 100000000) {
    pid = pid * 10 + (rest[i++] - '0');
  }
  if (i == 0) return -1;
  rest.remove_prefix(i);
  if (!rest.empty() && rest[0] == '-') {
    size_t j = 1;
    while (j < rest.size() && rest[j] >= '0' && rest[j] <= '9') ++j;
    if (j == 1) return -1;
    rest.remove_prefix(j);
  }
  for (std::string_view tail : {".tmp", ".tmp-journal", ".tmp-wal", ".tmp-shm"}) {
    if (rest == tail) return pid;
  }
  return -1;
}

}  // namespace

void remove_db_files(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(path + suffix, ec);
}

std::string temp_path_for(const std::string& db_path, std::string_view kind, int n) {
  if (n < 0) return fmt::format("{}.{}-{}.tmp", db_path, kind, ::getpid());
  return fmt::format("{}.{}-{}-{}.tmp", db_path, kind, ::getpid(), n);
}

int remove_stale_temp_files(const std::string& db_path) {
  std::error_code ec;
  fs::path target = fs::absolute(db_path, ec);
  if (ec) return 0;
  const std::string prefix = target.filename().string() + ".";
  fs::directory_iterator it(target.parent_path(), ec), end;
  int removed = 0;
  for (; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    long pid = temp_owner(std::string_view(name).substr(prefix.size()));
    if (pid < 0 || pid == ::getpid() || !process_gone(pid)) continue;
    std::error_code rm;
    if (it->is_regular_file(rm) && fs::remove(it->path(), rm)) ++removed;
  }
  return removed;
}

Result<RebuildInfo> rebuild_database(const std::string& db_path, bool fresh,
                                     const std::function<Status(sqlite3* db)>& apply) {
  std::error_code ec;
  fs::path target = fs::absolute(db_path, ec);
  if (ec) return make_error(Errc::kInvalidArgument, "{}: {}", db_path, ec.message());
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
      return make_error(Errc::kIo, "{}: {}", target.parent_path().string(), ec.message());
    }
  }
  const std::string tmp_path = temp_path_for(target.string(), "import");
  remove_db_files(tmp_path);
  RebuildInfo info;
  auto st = build(target.string(), tmp_path, fresh, apply, info);
  if (!st.ok()) {
    remove_db_files(tmp_path);
    return std::move(st).error();
  }
  // A stale -wal from the old file must not be replayed onto the new one (its content was
  // checkpointed into the copy above).
  for (const char* suffix : {"-wal", "-shm"}) fs::remove(target.string() + suffix, ec);
  fs::rename(tmp_path, target, ec);
  if (ec) {
    remove_db_files(tmp_path);
    return make_error(Errc::kIo, "renaming {} into place: {}", tmp_path, ec.message());
  }
  (void)fsync_path(target.parent_path().string(), true);
  return info;
}

}  // namespace hivesec::vulndb::detail
