// update(): fetch every ecosystem first (so a run where nothing changed does not rebuild the
// database), then apply all fetched zips in one rebuild_database pass.
#include "vulndb/update.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <unordered_set>
#include <utility>

#include "vulndb/fetch_state.h"
#include "vulndb/mirror.h"
#include "vulndb/osv.h"
#include "vulndb/rebuild.h"
#include "vulndb/schema.h"
#include "vulndb/store.h"
#include "vulndb/zip_records.h"

namespace hivesec::vulndb {

namespace {

namespace fs = std::filesystem;
using namespace detail;

// What the current database says before the update.
struct Known {
  std::vector<std::string> sources;  // distinct advisories.source values
  std::map<std::string, FetchState> fetch;
  int64_t advisories = -1;
};

// A file that is removed when this goes out of scope.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  TempFile(TempFile&& o) noexcept : path_(std::exchange(o.path_, "")) {}
  TempFile& operator=(TempFile&&) = delete;
  ~TempFile() {
    std::error_code ec;
    if (!path_.empty()) fs::remove(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A missing, unreadable or corrupt database is "nothing known" (the rebuild drops a corrupt one).
Result<Known> load_known(const std::string& db_path) {
  Known k;
  std::error_code ec;
  if (!fs::is_regular_file(db_path, ec)) return k;
  // Read-write when possible: closing the last read-write connection removes the -wal and -shm
  // files that a read-only connection to a WAL database leaves behind. Nothing is written.
  auto db = open_file(db_path, SQLITE_OPEN_READWRITE);
  if (!db.ok()) db = open_file(db_path, SQLITE_OPEN_READONLY);
  if (!db.ok()) return k;
  auto version = read_schema_version(db->get());
  if (!version.ok()) return k;
  if (*version > current_schema_version()) {
    return make_error(Errc::kUnsupported,
                      "{}: database schema version {} is newer than this hivesec supports ({})",
                      db_path, *version, current_schema_version());
  }
  if (*version == 0) return k;
  auto q = Stmt::prepare(db->get(), "SELECT source, COUNT(*) FROM advisories GROUP BY source");
  if (!q.ok()) return k;
  int64_t total = 0;
  while (q->step() == SQLITE_ROW) {
    k.sources.emplace_back(q->column_text(0));
    total += q->column_int64(1);
  }
  k.advisories = total;
  auto states = read_fetch_states(db->get());
  if (states.ok()) {
    for (auto& s : *states) k.fetch[s.ecosystem] = std::move(s);
  }
  return k;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

Result<std::vector<std::string>> choose_ecosystems(const std::vector<std::string>& asked,
                                                   const Known& known) {
  std::vector<std::string> names;  // spellings we know, for case correction
  for (const auto& [eco, state] : known.fetch) names.push_back(eco);
  for (const auto& s : known.sources) names.push_back(s);
  for (const auto& d : default_update_ecosystems()) names.push_back(d);

  std::vector<std::string> out;
  auto add = [&](std::string eco) {
    if (std::find(out.begin(), out.end(), eco) == out.end()) out.push_back(std::move(eco));
  };
  if (asked.empty()) {
    std::set<std::string> in_db;
    for (const auto& [eco, state] : known.fetch) in_db.insert(eco);
    for (const auto& s : known.sources) {
      if (s != "unknown" && check_ecosystem_name(s).ok()) in_db.insert(s);
    }
    for (const auto& eco : in_db) add(eco);
    if (out.empty()) out = default_update_ecosystems();
    return out;
  }
  for (std::string eco : asked) {
    while (!eco.empty() && eco.back() == ' ') eco.pop_back();
    while (!eco.empty() && eco.front() == ' ') eco.erase(0, 1);
    HIVESEC_TRY_STATUS(check_ecosystem_name(eco));
    if (std::find(names.begin(), names.end(), eco) == names.end()) {
      auto it = std::find_if(names.begin(), names.end(),
                             [&](const std::string& n) { return iequals(n, eco); });
      if (it != names.end()) eco = *it;
    }
    add(std::move(eco));
  }
  return out;
}

// "GHSA-xxxx.json" -> "GHSA-xxxx" (the id the bucket names the entry after).
std::string entry_stem(const std::string& entry) {
  std::string_view s = entry;
  size_t slash = s.rfind('/');
  if (slash != std::string_view::npos) s.remove_prefix(slash + 1);
  if (s.size() > 5) s.remove_suffix(5);
  return std::string(s);
}

// Replaces the records of `u.ecosystem` with those of the verified zip at `zip`. The caller
// owns the transaction.
Status apply_zip(sqlite3* db, Writer& writer, const std::string& zip, size_t max_reasons,
                 EcosystemUpdate& u) {
  HIVESEC_TRY(auto get, Stmt::prepare(db, "SELECT raw FROM advisories WHERE id=?1"));
  std::unordered_set<std::string> seen;  // valid ids in the zip
  std::unordered_set<std::string> kept;  // entries that did not parse: their old record stays
  auto skip = [&](const std::string& entry, std::string reason) {
    ++u.skipped;
    if (u.skipped_reasons.size() < max_reasons) {
      u.skipped_reasons.push_back({u.ecosystem + "/all.zip:" + entry, one_line(std::move(reason))});
    }
  };
  auto on_record = [&](const std::string& entry, std::string_view text) -> Status {
    auto adv = parse_osv(text);
    if (!adv.ok()) {
      skip(entry, adv.error().message);
      kept.insert(entry_stem(entry));
      return ok_status();
    }
    if (!seen.insert(adv->id).second) {
      skip(entry, fmt::format("duplicate id {} in the zip (the first copy is kept)", adv->id));
      return ok_status();
    }
    get.text(1, adv->id);
    int rc = get.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      auto e = sqlite_error(db, rc, "reading " + adv->id);
      get.reset();
      return e;
    }
    bool exists = rc == SQLITE_ROW;
    bool same = false;
    if (exists) {
      auto old = decompress_record(get.column_blob(0));
      same = old.ok() && *old == text;
    }
    get.reset();
    if (same) {
      ++u.unchanged;
      return ok_status();
    }
    (exists ? u.modified : u.added).push_back(adv->id);
    auto st = writer.put(*adv, text, u.ecosystem);
    if (!st.ok()) return std::move(st).error().wrap(entry);
    return ok_status();
  };
  HIVESEC_TRY_STATUS(read_zip_records(zip, u.source, ZipMode::kStrict, on_record, skip));

  HIVESEC_TRY(auto owned, Stmt::prepare(db, "SELECT id FROM advisories WHERE source=?1"));
  owned.text(1, u.ecosystem);
  int rc;
  while ((rc = owned.step()) == SQLITE_ROW) {
    std::string id(owned.column_text(0));
    if (!seen.count(id) && !kept.count(id)) u.removed.push_back(std::move(id));
  }
  if (rc != SQLITE_DONE) return sqlite_error(db, rc, "listing " + u.ecosystem);
  owned.reset();
  for (const auto& id : u.removed) HIVESEC_TRY_STATUS(writer.remove(id));
  for (auto* ids : {&u.added, &u.modified, &u.removed}) std::sort(ids->begin(), ids->end());
  u.records = static_cast<int64_t>(u.added.size() + u.modified.size()) + u.unchanged;
  return ok_status();
}

// A fetched, verified zip waiting to be applied to report.ecosystems[index].
struct Pending {
  size_t index;
  TempFile zip;
};

void fail(EcosystemUpdate& u, const Error& e) {
  u.outcome = UpdateOutcome::kFailed;
  u.error = one_line(e.message);
}

// Records the check time of not-modified ecosystems in the current database, in place.
Status mark_checked_in_place(const std::string& db_path, const std::vector<std::string>& ecosystems,
                             const std::string& when) {
  HIVESEC_TRY(auto db, open_file(db_path, SQLITE_OPEN_READWRITE));
  HIVESEC_TRY_STATUS(exec(db.get(), "BEGIN IMMEDIATE"));
  for (const auto& eco : ecosystems) {
    auto st = mark_checked(db.get(), eco, when);
    if (!st.ok()) {
      (void)exec(db.get(), "ROLLBACK");
      return st;
    }
  }
  return exec(db.get(), "COMMIT");
}

}  // namespace

bool UpdateReport::ok() const {
  return std::none_of(ecosystems.begin(), ecosystems.end(),
                      [](const EcosystemUpdate& u) { return u.outcome == UpdateOutcome::kFailed; });
}

std::vector<std::string> UpdateReport::changed_ids() const {
  std::vector<std::string> out;
  for (const auto& u : ecosystems) {
    for (const auto* ids : {&u.added, &u.modified, &u.removed}) {
      out.insert(out.end(), ids->begin(), ids->end());
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

const std::vector<std::string>& default_update_ecosystems() {
  static const std::vector<std::string> kDefaults = {"Debian", "Alpine",   "Go",        "npm",
                                                     "PyPI",   "Maven",    "crates.io", "RubyGems",
                                                     "NuGet",  "Packagist"};
  return kDefaults;
}

Result<UpdateReport> update(const UpdateOptions& options) {
  auto start = std::chrono::steady_clock::now();
  if (options.db_path.empty()) return make_error(Errc::kInvalidArgument, "no database path");
  if (options.max_download_bytes == 0) {
    return make_error(Errc::kInvalidArgument, "the download size limit must be positive");
  }
  FetchLimits limits;
  limits.max_bytes = options.max_download_bytes;
  limits.connect_timeout_s = options.connect_timeout_s;
  limits.stall_timeout_s = options.stall_timeout_s;
  limits.total_timeout_s = options.total_timeout_s;
  HIVESEC_TRY(auto mirror, make_mirror(options.mirror, limits));

  std::error_code ec;
  const fs::path target = fs::absolute(options.db_path, ec);
  if (ec) return make_error(Errc::kInvalidArgument, "{}: {}", options.db_path, ec.message());
  const std::string db_path = target.string();
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) return make_error(Errc::kIo, "{}: {}", target.parent_path().string(), ec.message());
  }
  (void)remove_stale_temp_files(db_path);
  HIVESEC_TRY(Known known, load_known(db_path));
  HIVESEC_TRY(auto ecosystems, choose_ecosystems(options.ecosystems, known));

  UpdateReport report;
  report.db_path = options.db_path;
  report.advisories_total = known.advisories;
  report.ecosystems.resize(ecosystems.size());
  std::vector<Pending> fetched;
  std::vector<size_t> not_modified;
  for (size_t i = 0; i < ecosystems.size(); ++i) {
    EcosystemUpdate& u = report.ecosystems[i];
    u.ecosystem = ecosystems[i];
    u.source = mirror->location(u.ecosystem);
    Validators stored;
    auto it = known.fetch.find(u.ecosystem);
    // Validators from another source say nothing about this one.
    if (it != known.fetch.end() && it->second.source == u.source) {
      stored = {it->second.etag, it->second.last_modified};
    }
    TempFile zip(temp_path_for(db_path, "fetch", static_cast<int>(i)));
    auto got = mirror->fetch(u.ecosystem, stored, zip.path());
    if (!got.ok()) {
      fail(u, got.error());
      continue;
    }
    u.etag = got->validators.etag;
    u.last_modified = got->validators.last_modified;
    if (got->not_modified) {
      u.outcome = UpdateOutcome::kNotModified;
      not_modified.push_back(i);
      continue;
    }
    u.bytes = got->bytes;
    auto verified = verify_zip(zip.path(), u.source);
    if (!verified.ok()) {
      fail(u, verified.error());
      continue;
    }
    fetched.push_back({i, std::move(zip)});
  }

  const std::string now = utc_now();
  if (fetched.empty()) {
    std::vector<std::string> checked;
    for (size_t i : not_modified) checked.push_back(report.ecosystems[i].ecosystem);
    if (!checked.empty()) HIVESEC_TRY_STATUS(mark_checked_in_place(db_path, checked, now));
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
  }

  auto info = rebuild_database(db_path, false, [&](sqlite3* db) -> Status {
    HIVESEC_TRY(auto writer, Writer::create(db));
    std::vector<std::string> sources;
    int64_t written = 0;
    int64_t skipped = 0;
    for (auto& p : fetched) {
      EcosystemUpdate& u = report.ecosystems[p.index];
      HIVESEC_TRY_STATUS(exec(db, "BEGIN"));
      auto st = apply_zip(db, writer, p.zip.path(), options.max_reasons, u);
      if (st.ok()) {
        st = write_fetch_state(
            db, FetchState{u.ecosystem, u.source, u.etag, u.last_modified, now, now, u.records});
      }
      if (!st.ok()) {
        (void)exec(db, "ROLLBACK");
        return std::move(st).error().wrap(u.ecosystem);
      }
      HIVESEC_TRY_STATUS(exec(db, "COMMIT"));
      u.outcome = UpdateOutcome::kUpdated;
      sources.push_back(u.source);
      written += static_cast<int64_t>(u.added.size() + u.modified.size());
      skipped += u.skipped;
    }
    HIVESEC_TRY_STATUS(exec(db, "BEGIN"));
    for (size_t i : not_modified) {
      HIVESEC_TRY_STATUS(mark_checked(db, report.ecosystems[i].ecosystem, now));
    }
    HIVESEC_TRY_STATUS(writer.log_import(sources, written, skipped));
    return exec(db, "COMMIT");
  });
  if (!info.ok()) return std::move(info).error();
  report.db_rebuilt = true;
  report.rebuilt_corrupt = info->rebuilt_corrupt;
  report.advisories_total = info->advisories_total;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace hivesec::vulndb
