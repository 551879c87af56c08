// The advisory database (issue 3): OSV records in an embedded SQLite store.
//
// A database file holds OSV advisories (raw JSON, zstd-compressed), an index of affected
// (ecosystem, package) -> advisory id, an alias index and an import log. Its schema is versioned
// (table `meta`, key `schema_version`) and upgraded by migrations when opened read-write.
//
// Import never modifies the target in place: it builds a temporary file next to it (starting
// from a copy of the current database, or empty when the current one is missing or corrupt)
// and renames it over the target at the end, so a failed import leaves the previous database
// intact. Malformed records are skipped and counted with a reason; they never abort an import.
//
// Thread-safety: a Database is not thread-safe; open one per thread. Importing while another
// process has the same database open is not supported (its readers keep the old file).
// No function here throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hivesec::vulndb {

// ---- Parsed OSV records (the parts the matcher needs) ----

enum class EventKind { kIntroduced, kFixed, kLastAffected, kLimit };

struct Event {
  EventKind kind = EventKind::kIntroduced;
  std::string value;
};

struct Range {
  std::string type;  // "ECOSYSTEM", "SEMVER", "GIT" (others are kept as given)
  std::string repo;  // GIT ranges only
  std::vector<Event> events;
};

struct Severity {
  std::string type;   // "CVSS_V2", "CVSS_V3", "CVSS_V4", "Ubuntu", ...
  std::string score;  // the vector or rating as given
};

struct Affected {
  std::string ecosystem;  // as given, e.g. "Debian:12", "PyPI", "Go"
  std::string name;
  std::string purl;
  std::vector<Range> ranges;
  std::vector<std::string> versions;
  std::vector<Severity> severity;  // per-affected `severity` (OSV >= 1.7)
  // `severity` string from ecosystem_specific or database_specific, "" when absent.
  std::string specific_severity;
};

struct Advisory {
  std::string id;
  std::string modified;   // RFC 3339 as given
  std::string published;  // "" when absent
  std::string withdrawn;  // "" when not withdrawn
  std::vector<std::string> aliases;
  std::vector<std::string> related;
  std::vector<Affected> affected;
  std::vector<Severity> severity;
  std::string database_severity;        // top-level database_specific.severity, "" when absent
  std::string summary;                  // "" when absent (the shipped data has none)
  std::vector<std::string> references;  // reference URLs, in record order (at most 50 kept)

  bool is_withdrawn() const { return !withdrawn.empty(); }
};

// The name under which (ecosystem, name) is indexed: PyPI names are normalized (PEP 503:
// lower case, runs of "-_." become "-"); other ecosystems are exact. `ecosystem` may carry a
// release suffix ("Debian:12").
std::string index_name(std::string_view ecosystem, std::string_view name);

// ---- Status ----

struct EcosystemCount {
  std::string ecosystem;  // the source ecosystem (bucket folder, or the first affected's)
  int64_t advisories = 0;
  int64_t withdrawn = 0;
  // Date (YYYY-MM-DD) of the most recently modified record, ignoring the zero dates some
  // sources write ("0001-01-01"); "" when none has a date. How current the data is.
  std::string newest;
};

// What `db update` remembers about one ecosystem's zip.
struct FetchState {
  std::string ecosystem;      // bucket folder, e.g. "PyPI"
  std::string source;         // the URL or file it was last fetched from
  std::string etag;           // validators of that response; "" when the server sent none
  std::string last_modified;  // as the server sent it (an HTTP date)
  std::string fetched;        // RFC 3339 UTC: when its content was last imported
  std::string checked;        // RFC 3339 UTC: when it was last found current (200 or 304)
  int64_t records = 0;        // records imported from it then
};

struct DbStatus {
  std::string path;
  int schema_version = 0;
  int64_t advisories = 0;
  std::vector<EcosystemCount> ecosystems;  // sorted by name
  std::string last_import;                 // RFC 3339 UTC, "" when never imported
  std::vector<std::string> sources;        // the paths given to the last import
  int64_t last_import_skipped = 0;
  std::vector<FetchState> fetches;  // one per ecosystem `db update` fetched, sorted by name
};

// ---- The store ----

class Database {
 public:
  virtual ~Database() = default;

  // Every advisory with an affected entry for (ecosystem, package), withdrawn ones included
  // (callers skip them), ordered by id. `ecosystem` is matched exactly ("Debian:12").
  virtual Result<std::vector<Advisory>> advisories_for(std::string_view ecosystem,
                                                       std::string_view package) = 0;
  // The advisory whose id is `id_or_alias`, then those that list it as an alias (ordered by
  // id). Empty when none.
  virtual Result<std::vector<Advisory>> find(std::string_view id_or_alias) = 0;
  virtual Result<DbStatus> status() = 0;
};

// Current schema version written by this build.
int current_schema_version();

// Opens an existing database read-write, upgrading an older schema (one transaction).
// kNotFound when missing; kCorrupt with a hint to rebuild when it is not a valid database;
// kUnsupported when its schema is newer than this build.
Result<std::unique_ptr<Database>> open_database(const std::string& path);

// Opens an existing database read-only (no migration; an older schema is kUnsupported with a
// hint to re-import). Works on read-only media.
Result<std::unique_ptr<Database>> open_database_read_only(const std::string& path);

// $XDG_DATA_HOME/hivesec/vuln.db, else $HOME/.local/share/hivesec/vuln.db, else ./vuln.db.
std::string default_db_path();

// The database shipped with hivesec, built from the bundled advisory data: next to the
// executable in `share/hivesec/vuln.db` (build tree) or `../share/hivesec/vuln.db` (installed).
// "" when neither exists.
std::string bundled_db_path();

// The database a scan reads: `flag` when given, else $HIVESEC_DB, else the user's database
// (default_db_path()) when it exists, else the bundled one, else default_db_path() (which then
// fails to open with a hint to run `hivesec db update` or `db import`).
std::string locate_db(const std::string& flag);

// ---- Import ----

struct ImportOptions {
  bool fresh = false;  // start from an empty database instead of the current one
  // Reasons kept (the count is always exact).
  size_t max_reasons = 200;
};

struct SkippedRecord {
  std::string where;   // "PyPI/all.zip:PYSEC-1.json" or a file path
  std::string reason;  // one line
};

struct ImportStats {
  int64_t imported = 0;  // records written (a re-imported id replaces the older record)
  int64_t skipped = 0;
  std::vector<SkippedRecord> skipped_reasons;  // at most ImportOptions::max_reasons
  int64_t advisories_total = 0;                // in the database after the import
  bool rebuilt_corrupt = false;                // the previous database was corrupt and dropped
  double seconds = 0;
};

// Imports OSV records from each path: a `.json` file (one record), a `.zip` (every `*.json`
// entry; read in memory, never extracted) or a directory (recursively: `*.json` files and
// `<Ecosystem>/all.zip`-style zips). One transaction per path. Errors (kNotFound, kIo, kLimit,
// kCorrupt for an unreadable zip) abort the import and leave `db_path` untouched.
Result<ImportStats> import_paths(const std::vector<std::string>& paths, const std::string& db_path,
                                 const ImportOptions& options = {});

}  // namespace hivesec::vulndb
