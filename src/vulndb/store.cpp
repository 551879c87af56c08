#include "vulndb/store.h"

#include <zstd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "common/json.h"
#include "common/time.h"
#include "vulndb/fetch_state.h"
#include "vulndb/osv.h"
#include "vulndb/schema.h"

namespace hivesec::vulndb {

namespace detail {

Result<DbPtr> open_file(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) return sqlite_error(raw, rc, path);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  return db;
}

Result<std::string> compress_record(std::string_view raw) {
  std::string out(ZSTD_compressBound(raw.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), 3);
  if (ZSTD_isError(n)) return make_error(Errc::kInternal, "zstd: {}", ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

Result<std::string> decompress_record(std::string_view blob) {
  unsigned long long size = ZSTD_getFrameContentSize(blob.data(), blob.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
      size > kMaxRecordBytes) {
    return make_error(Errc::kCorrupt, "stored record is not a valid zstd frame");
  }
  // One context per thread: ZSTD_decompress would allocate and free one per record.
  struct DctxFree {
    void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
  };
  thread_local std::unique_ptr<ZSTD_DCtx, DctxFree> dctx(ZSTD_createDCtx());
  if (!dctx) return make_error(Errc::kInternal, "zstd: cannot create a decompression context");
  std::string out(static_cast<size_t>(size), '\0');
  size_t n = ZSTD_decompressDCtx(dctx.get(), out.data(), out.size(), blob.data(), blob.size());
  if (ZSTD_isError(n) || n != size) {
    return make_error(Errc::kCorrupt, "stored record does not decompress");
  }
  return out;
}

std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (s.size() > 300) s.resize(300);
  return s;
}

std::string source_of(const Advisory& adv) {
  for (const auto& a : adv.affected) {
    if (!a.ecosystem.empty()) return a.ecosystem.substr(0, a.ecosystem.find(':'));
  }
  return "unknown";
}

std::string utc_now() { return now_rfc3339(); }

Result<Writer> Writer::create(sqlite3* db) {
  Writer w;
  HIVESEC_TRY(w.del_affected_, Stmt::prepare(db, "DELETE FROM affected WHERE advisory_id=?1"));
  HIVESEC_TRY(w.del_aliases_, Stmt::prepare(db, "DELETE FROM aliases WHERE advisory_id=?1"));
  HIVESEC_TRY(w.del_advisory_, Stmt::prepare(db, "DELETE FROM advisories WHERE id=?1"));
  HIVESEC_TRY(w.put_advisory_,
              Stmt::prepare(db,
                            "INSERT OR REPLACE INTO advisories(id, modified, published, "
                            "withdrawn, aliases, source, raw) VALUES(?1,?2,?3,?4,?5,?6,?7)"));
  HIVESEC_TRY(w.put_affected_, Stmt::prepare(db,
                                             "INSERT OR IGNORE INTO affected(ecosystem, name, "
                                             "advisory_id) VALUES(?1,?2,?3)"));
  HIVESEC_TRY(w.put_alias_, Stmt::prepare(db,
                                          "INSERT OR IGNORE INTO aliases(alias, advisory_id) "
                                          "VALUES(?1,?2)"));
  HIVESEC_TRY(w.log_, Stmt::prepare(db,
                                    "INSERT INTO imports(time, sources, imported, skipped) "
                                    "VALUES(?1,?2,?3,?4)"));
  return w;
}

Status Writer::put(const Advisory& adv, std::string_view raw, std::string_view source) {
  HIVESEC_TRY(auto blob, compress_record(raw));
  HIVESEC_TRY_STATUS(del_affected_.text(1, adv.id).run("delete affected"));
  HIVESEC_TRY_STATUS(del_aliases_.text(1, adv.id).run("delete aliases"));
  std::string aliases = nlohmann::json(adv.aliases).dump();
  put_advisory_.text(1, adv.id)
      .text(2, adv.modified)
      .text_or_null(3, adv.published)
      .text_or_null(4, adv.withdrawn)
      .text(5, aliases)
      .text(6, source)
      .blob(7, blob);
  HIVESEC_TRY_STATUS(put_advisory_.run("insert advisory"));
  for (const auto& a : adv.affected) {
    if (a.ecosystem.empty() || a.name.empty()) continue;
    put_affected_.text(1, a.ecosystem).text(2, index_name(a.ecosystem, a.name)).text(3, adv.id);
    HIVESEC_TRY_STATUS(put_affected_.run("insert affected"));
  }
  for (const auto& alias : adv.aliases) {
    if (alias == adv.id) continue;
    HIVESEC_TRY_STATUS(put_alias_.text(1, alias).text(2, adv.id).run("insert alias"));
  }
  return ok_status();
}

Status Writer::remove(std::string_view id) {
  HIVESEC_TRY_STATUS(del_affected_.text(1, id).run("delete affected"));
  HIVESEC_TRY_STATUS(del_aliases_.text(1, id).run("delete aliases"));
  return del_advisory_.text(1, id).run("delete advisory");
}

Status Writer::log_import(const std::vector<std::string>& sources, int64_t imported,
                          int64_t skipped) {
  log_.text(1, utc_now())
      .text(2, nlohmann::json(sources).dump())
      .int64(3, imported)
      .int64(4, skipped);
  return log_.run("log import");
}

namespace {

Error corrupt_hint(const std::string& path, const Error& e) {
  return make_error(Errc::kCorrupt,
                    "vulnerability database {} is unusable ({}); rebuild it with `hivesec db "
                    "import --fresh PATH...`",
                    path, e.message);
}

class DatabaseImpl final : public Database {
 public:
  DatabaseImpl(DbPtr db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

  Status prepare() {
    HIVESEC_TRY(by_package_, Stmt::prepare(db_.get(),
                                           "SELECT a.raw FROM affected f JOIN advisories a ON "
                                           "a.id = f.advisory_id WHERE f.ecosystem=?1 AND "
                                           "f.name=?2 ORDER BY a.id"));
    HIVESEC_TRY(by_id_, Stmt::prepare(db_.get(), "SELECT raw FROM advisories WHERE id=?1"));
    HIVESEC_TRY(by_alias_, Stmt::prepare(db_.get(),
                                         "SELECT a.raw FROM aliases s JOIN advisories a ON "
                                         "a.id = s.advisory_id WHERE s.alias=?1 AND a.id<>?1 "
                                         "ORDER BY a.id"));
    return ok_status();
  }

  Result<std::vector<Advisory>> advisories_for(std::string_view ecosystem,
                                               std::string_view package) override {
    by_package_.text(1, ecosystem).text(2, index_name(ecosystem, package));
    std::vector<Advisory> out;
    auto st = collect(by_package_, out);
    if (!st.ok()) return std::move(st).error();
    return out;
  }

  Result<std::vector<Advisory>> find(std::string_view id_or_alias) override {
    std::vector<Advisory> out;
    by_id_.text(1, id_or_alias);
    HIVESEC_TRY_STATUS(collect(by_id_, out));
    by_alias_.text(1, id_or_alias);
    HIVESEC_TRY_STATUS(collect(by_alias_, out));
    return out;
  }

  Result<DbStatus> status() override {
    DbStatus s;
    s.path = path_;
    auto v = read_schema_version(db_.get());
    if (!v.ok()) return corrupt_hint(path_, v.error());
    s.schema_version = *v;
    HIVESEC_TRY(auto q, Stmt::prepare(db_.get(),
                                      "SELECT source, COUNT(*), SUM(withdrawn IS NOT NULL AND "
                                      "withdrawn <> ''), MAX(CASE WHEN modified >= '1970' THEN "
                                      "substr(modified, 1, 10) END) FROM advisories GROUP BY "
                                      "source ORDER BY source"));
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      EcosystemCount c{std::string(q.column_text(0)), q.column_int64(1), q.column_int64(2),
                       std::string(q.column_text(3))};
      s.advisories += c.advisories;
      s.ecosystems.push_back(std::move(c));
    }
    if (rc != SQLITE_DONE) return corrupt_or(sqlite_error(db_.get(), rc, "status"));
    HIVESEC_TRY(auto last, Stmt::prepare(db_.get(),
                                         "SELECT time, sources, skipped FROM imports ORDER BY "
                                         "id DESC LIMIT 1"));
    rc = last.step();
    if (rc == SQLITE_ROW) {
      s.last_import = std::string(last.column_text(0));
      s.last_import_skipped = last.column_int64(2);
      auto sources = parse_json_bounded(last.column_text(1));
      if (sources.ok() && sources->is_array()) {
        for (const auto& src : *sources) {
          if (src.is_string()) s.sources.push_back(src.get<std::string>());
        }
      }
    } else if (rc != SQLITE_DONE) {
      return corrupt_or(sqlite_error(db_.get(), rc, "status"));
    }
    auto fetches = read_fetch_states(db_.get());
    if (!fetches.ok()) return corrupt_or(std::move(fetches).error());
    s.fetches = std::move(fetches).value();
    return s;
  }

 private:
  Error corrupt_or(Error e) const {
    if (e.code == Errc::kCorrupt) return corrupt_hint(path_, e);
    return e;
  }

  Status collect(Stmt& q, std::vector<Advisory>& out) {
    int rc;
    Status st;
    while ((rc = q.step()) == SQLITE_ROW) {
      auto raw = decompress_record(q.column_blob(0));
      if (!raw.ok()) {
        st = corrupt_hint(path_, raw.error());
        break;
      }
      auto adv = parse_osv(*raw);
      if (!adv.ok()) {
        st = corrupt_hint(path_, adv.error());
        break;
      }
      out.push_back(std::move(adv).value());
    }
    if (st.ok() && rc != SQLITE_DONE) st = corrupt_or(sqlite_error(db_.get(), rc, "query"));
    q.reset();
    return st;
  }

  DbPtr db_;
  std::string path_;
  Stmt by_package_, by_id_, by_alias_;
};

Result<std::unique_ptr<Database>> finish_open(DbPtr db, const std::string& path) {
  auto impl = std::make_unique<DatabaseImpl>(std::move(db), path);
  auto st = impl->prepare();
  if (!st.ok()) return corrupt_hint(path, st.error());
  return std::unique_ptr<Database>(std::move(impl));
}

std::string uri_escape(const std::string& path) {
  std::string out = "file:";
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c < 0x20 || c >= 0x7f) {
      out += fmt::format("%{:02X}", c);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

Status check_exists(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return make_error(Errc::kNotFound,
                      "no vulnerability database at {} (create it with `hivesec db import`)", path);
  }
  return ok_status();
}

}  // namespace
}  // namespace detail

Result<std::unique_ptr<Database>> open_database(const std::string& path) {
  using namespace detail;
  HIVESEC_TRY_STATUS(check_exists(path));
  HIVESEC_TRY(auto db, open_file(path, SQLITE_OPEN_READWRITE));
  // Rollback journal (see rebuild.cpp): read-only openers must not leave -wal/-shm files.
  auto st = exec(db.get(), "PRAGMA journal_mode=DELETE");
  if (st.ok()) st = migrate(db.get());
  if (!st.ok()) {
    if (st.error().code == Errc::kUnsupported) return std::move(st).error();
    return corrupt_hint(path, st.error());
  }
  return finish_open(std::move(db), path);
}

Result<std::unique_ptr<Database>> open_database_read_only(const std::string& path) {
  using namespace detail;
  HIVESEC_TRY_STATUS(check_exists(path));
  auto version = [&](DbPtr& db) -> Result<int> { return read_schema_version(db.get()); };
  HIVESEC_TRY(auto db, open_file(path, SQLITE_OPEN_READONLY));
  auto v = version(db);
  if (!v.ok() && v.error().code != Errc::kCorrupt) {
    // A WAL database on read-only media cannot create its -shm file: read it as immutable.
    HIVESEC_TRY(
        db, open_file(uri_escape(path) + "?immutable=1", SQLITE_OPEN_READONLY | SQLITE_OPEN_URI));
    v = version(db);
  }
  if (!v.ok()) return corrupt_hint(path, v.error());
  if (*v != current_schema_version()) {
    return make_error(Errc::kUnsupported,
                      "vulnerability database {} has schema version {} (this hivesec uses {}); "
                      "re-import it with `hivesec db import`",
                      path, *v, current_schema_version());
  }
  // One read transaction for the connection's life: every query reads the same snapshot, and
  // SQLite takes the shared lock and validates its page cache once instead of per query (a
  // scan runs one query per distinct package). Imports and updates replace the file by
  // rename and are not blocked; the one in-place write (the check time of a `db update` that
  // found nothing new) waits for the reader to finish (busy timeout).
  if (auto st = exec(db.get(), "BEGIN"); !st.ok()) return corrupt_hint(path, st.error());
  return finish_open(std::move(db), path);
}

std::string default_db_path() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg && *xdg == '/') return std::string(xdg) + "/hivesec/vuln.db";
  const char* home = std::getenv("HOME");
  if (home && *home == '/') return std::string(home) + "/.local/share/hivesec/vuln.db";
  return "vuln.db";
}

}  // namespace hivesec::vulndb
