// import_paths: builds the new database in a temporary file next to the target and renames it
// into place, so readers and failed imports never see a half-written database.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>

#include "vulndb/osv.h"
#include "vulndb/schema.h"
#include "vulndb/store.h"
#include "vulndb/vulndb.h"

namespace hivesec::vulndb {

namespace {

namespace fs = std::filesystem;
using namespace detail;

constexpr size_t kMaxZipEntries = 2'000'000;
constexpr uint64_t kMaxZipBytes = 8ull << 30;  // uncompressed, per zip
constexpr size_t kMaxDirFiles = 2'000'000;
constexpr int kMaxDirDepth = 32;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (s.size() > 300) s.resize(300);
  return s;
}

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};

class Importer {
 public:
  Importer(Writer& writer, ImportStats& stats, const ImportOptions& options)
      : writer_(writer), stats_(stats), options_(options) {}

  Status import_path(const fs::path& path) {
    std::error_code ec;
    auto st = fs::symlink_status(path, ec);
    if (ec) return make_error(Errc::kNotFound, "{}: {}", path.string(), ec.message());
    if (fs::is_symlink(st)) st = fs::status(path, ec);
    if (fs::is_directory(st)) return import_dir(path);
    if (!fs::is_regular_file(st)) {
      return make_error(Errc::kInvalidArgument, "{}: not a file or directory", path.string());
    }
    if (ends_with(path.string(), ".zip")) return import_zip(path);
    return import_json_file(path);
  }

 private:
  void skip(std::string where, std::string reason) {
    ++stats_.skipped;
    if (stats_.skipped_reasons.size() < options_.max_reasons) {
      stats_.skipped_reasons.push_back({std::move(where), one_line(std::move(reason))});
    }
  }

  // `source` empty: the base of the first affected ecosystem.
  Status import_record(std::string_view text, const std::string& where, std::string_view source) {
    auto adv = parse_osv(text);
    if (!adv.ok()) {
      skip(where, adv.error().message);
      return ok_status();
    }
    std::string src(source);
    if (src.empty()) {
      for (const auto& a : adv->affected) {
        if (!a.ecosystem.empty()) {
          src = a.ecosystem.substr(0, a.ecosystem.find(':'));
          break;
        }
      }
      if (src.empty()) src = "unknown";
    }
    auto st = writer_.put(*adv, text, src);
    if (!st.ok()) return std::move(st).error().wrap(where);
    ++stats_.imported;
    return ok_status();
  }

  Status import_json_file(const fs::path& path) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (ec) return make_error(Errc::kIo, "{}: {}", path.string(), ec.message());
    if (size > kMaxRecordBytes) {
      skip(path.string(), fmt::format("record is {} bytes (limit {})", size, kMaxRecordBytes));
      return ok_status();
    }
    std::ifstream in(path, std::ios::binary);
    std::string text(size, '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(size))) {
      return make_error(Errc::kIo, "{}: read failed", path.string());
    }
    return import_record(text, path.string(), "");
  }

  Status import_dir(const fs::path& root) {
    std::vector<fs::path> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
    if (ec) return make_error(Errc::kIo, "{}: {}", root.string(), ec.message());
    for (; it != end; it.increment(ec)) {
      if (ec) return make_error(Errc::kIo, "{}: {}", root.string(), ec.message());
      if (it.depth() >= kMaxDirDepth) it.disable_recursion_pending();
      const auto& entry = *it;
      if (!entry.is_regular_file(ec) || entry.is_symlink(ec)) continue;
      std::string name = entry.path().filename().string();
      if (!ends_with(name, ".json") && !ends_with(name, ".zip")) continue;
      if (files.size() >= kMaxDirFiles) {
        return make_error(Errc::kLimit, "{}: more than {} files", root.string(), kMaxDirFiles);
      }
      files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      if (ends_with(f.string(), ".zip")) {
        HIVESEC_TRY_STATUS(import_zip(f));
      } else {
        HIVESEC_TRY_STATUS(import_json_file(f));
      }
    }
    return ok_status();
  }

  // The bucket layout names the ecosystem by folder: <Ecosystem>/all.zip.
  static std::string zip_source(const fs::path& zip) {
    if (zip.filename() != "all.zip") return "";
    auto parent = fs::absolute(zip).parent_path().filename().string();
    return parent;
  }

  Status import_zip(const fs::path& zip) {
    const std::string label = zip.string();
    const std::string source = zip_source(zip);
    std::unique_ptr<archive, ArchiveFree> a(archive_read_new());
    if (!a) return make_error(Errc::kInternal, "archive_read_new failed");
    archive_read_support_format_zip(a.get());
    if (archive_read_open_filename(a.get(), label.c_str(), 1 << 16) != ARCHIVE_OK) {
      return make_error(Errc::kCorrupt, "{}: not a readable zip ({})", label,
                        archive_error_string(a.get()) ? archive_error_string(a.get()) : "?");
    }
    size_t entries = 0;
    uint64_t total = 0;
    std::string text;
    char buf[1 << 16];
    for (;;) {
      archive_entry* e = nullptr;
      int rc = archive_read_next_header(a.get(), &e);
      if (rc == ARCHIVE_EOF) break;
      if (rc < ARCHIVE_WARN) {
        const char* msg = archive_error_string(a.get());
        return make_error(Errc::kCorrupt, "{}: {}", label, msg ? msg : "corrupt zip");
      }
      if (++entries > kMaxZipEntries) {
        return make_error(Errc::kLimit, "{}: more than {} entries", label, kMaxZipEntries);
      }
      const char* name_c = archive_entry_pathname(e);
      std::string name = name_c ? name_c : "";
      if (archive_entry_filetype(e) != AE_IFREG || !ends_with(name, ".json")) continue;
      std::string where = label + ":" + name;
      text.clear();
      bool too_big = false;
      bool failed = false;
      for (;;) {
        la_ssize_t n = archive_read_data(a.get(), buf, sizeof buf);
        if (n == 0) break;
        if (n < 0) {
          const char* msg = archive_error_string(a.get());
          skip(where, fmt::format("unreadable zip entry: {}", msg ? msg : "?"));
          failed = true;
          break;
        }
        total += static_cast<uint64_t>(n);
        if (total > kMaxZipBytes) {
          return make_error(Errc::kLimit, "{}: more than {} bytes uncompressed", label,
                            kMaxZipBytes);
        }
        if (text.size() + static_cast<size_t>(n) > kMaxRecordBytes) {
          too_big = true;
          continue;  // drain the entry without keeping it
        }
        text.append(buf, static_cast<size_t>(n));
      }
      if (failed) continue;
      if (too_big) {
        skip(where, fmt::format("record is larger than {} bytes", kMaxRecordBytes));
        continue;
      }
      HIVESEC_TRY_STATUS(import_record(text, where, source));
    }
    return ok_status();
  }

  Writer& writer_;
  ImportStats& stats_;
  const ImportOptions& options_;
};

void remove_db_files(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(path + suffix, ec);
}

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

Status build(const std::vector<std::string>& paths, const std::string& db_path,
             const std::string& tmp_path, const ImportOptions& options, ImportStats& stats) {
  HIVESEC_TRY(auto db, open_file(tmp_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  std::error_code ec;
  if (!options.fresh && fs::exists(db_path, ec)) {
    HIVESEC_TRY(bool copied, copy_existing(db_path, db.get()));
    if (!copied) {
      stats.rebuilt_corrupt = true;
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
  HIVESEC_TRY(auto writer, Writer::create(db.get()));
  Importer importer(writer, stats, options);
  for (const auto& p : paths) {
    HIVESEC_TRY_STATUS(exec(db.get(), "BEGIN"));
    auto st = importer.import_path(p);
    if (!st.ok()) {
      (void)exec(db.get(), "ROLLBACK");
      return st;
    }
    HIVESEC_TRY_STATUS(exec(db.get(), "COMMIT"));
  }
  HIVESEC_TRY_STATUS(writer.log_import(paths, stats.imported, stats.skipped));
  HIVESEC_TRY(auto count, Stmt::prepare(db.get(), "SELECT COUNT(*) FROM advisories"));
  if (count.step() == SQLITE_ROW) stats.advisories_total = count.column_int64(0);
  count.reset();
  HIVESEC_TRY_STATUS(exec(db.get(), "PRAGMA journal_mode=WAL"));
  writer = Writer();
  count = Stmt();
  // Closing the last connection checkpoints and removes the -wal file.
  int rc = sqlite3_close(db.release());
  if (rc != SQLITE_OK) return make_error(Errc::kIo, "closing {} failed", tmp_path);
  return fsync_path(tmp_path, false);
}

}  // namespace

Result<ImportStats> import_paths(const std::vector<std::string>& paths, const std::string& db_path,
                                 const ImportOptions& options) {
  auto start = std::chrono::steady_clock::now();
  if (paths.empty()) return make_error(Errc::kInvalidArgument, "nothing to import");
  std::error_code ec;
  for (const auto& p : paths) {
    if (!fs::exists(p, ec)) return make_error(Errc::kNotFound, "{}: no such file or directory", p);
  }
  fs::path target = fs::absolute(db_path, ec);
  if (ec) return make_error(Errc::kInvalidArgument, "{}: {}", db_path, ec.message());
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
      return make_error(Errc::kIo, "{}: {}", target.parent_path().string(), ec.message());
    }
  }
  const std::string tmp_path = fmt::format("{}.import-{}.tmp", target.string(), ::getpid());
  remove_db_files(tmp_path);
  ImportStats stats;
  auto st = build(paths, target.string(), tmp_path, options, stats);
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
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace hivesec::vulndb
