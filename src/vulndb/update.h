// `db update`: refreshes the advisory database from `<Ecosystem>/all.zip` files of the public OSV
// bucket or a mirror (an http(s) base URL or a local directory in the same layout).
//
// Per ecosystem: a conditional fetch (the ETag / Last-Modified of the last fetch are replayed as
// If-None-Match / If-Modified-Since; a 304 means nothing to import) into a temporary file next to
// the database, a full check that the file is one complete, CRC-clean zip, then the ecosystem's
// records are REPLACED by the zip's: records the zip no longer holds are removed, changed ones
// rewritten, identical ones left alone. All fetched ecosystems are applied in one new version of
// the database built beside it and renamed into place (see vulndb.h, Import), together with their
// validators. An ecosystem that fails (network, HTTP status, size, timeout, broken zip) keeps its
// previous records and validators and is reported with a one-line error; the others are still
// applied. When no ecosystem brings new content the database file is not rebuilt (304s only
// record their check time in place, in one SQLite transaction); when every ecosystem fails it is
// not touched at all.
//
// Ownership of records: a record belongs to the ecosystem (bucket folder) it was last written
// from (`source`). Removal only ever touches that ecosystem's records. A record present in
// several zips belongs to the last one whose copy differed.
//
// Thread-safety: update() may run on any thread; two updates (or an update and an import) of the
// same database at once are not supported (the last rename wins; neither corrupts the file).
// Temporary files are `<db>.fetch-<pid>-<n>.tmp` and `<db>.import-<pid>.tmp`; those of a killed
// run are removed by the next import or update.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "vulndb/vulndb.h"

namespace hivesec::vulndb {

struct UpdateOptions {
  std::string db_path;  // required
  // "": the public OSV bucket (https://osv-vulnerabilities.storage.googleapis.com);
  // an http:// or https:// base URL; a file:// URL or a directory holding <Ecosystem>/all.zip.
  std::string mirror;
  // Bucket folder names, case as in the bucket ("PyPI", "npm"; a case-insensitive match with a
  // default or stored name is corrected). Empty: every ecosystem the database already holds
  // records or fetch state for, else default_update_ecosystems().
  std::vector<std::string> ecosystems;
  uint64_t max_download_bytes = 2ull << 30;  // per zip
  long connect_timeout_s = 10;
  long stall_timeout_s = 60;    // abort a download that makes no progress (< 1 byte/s) this long
  long total_timeout_s = 3600;  // per download; 0: none
  size_t max_reasons = 200;     // skipped-record reasons kept per ecosystem (counts are exact)
};

enum class UpdateOutcome {
  kUpdated,      // new content fetched and applied (possibly with no record changes)
  kNotModified,  // the source still has the version last fetched
  kFailed,       // see `error`; the ecosystem's records and validators are unchanged
};

struct EcosystemUpdate {
  std::string ecosystem;
  std::string source;  // the URL or file fetched
  UpdateOutcome outcome = UpdateOutcome::kFailed;
  std::string error;    // kFailed: one line
  uint64_t bytes = 0;   // downloaded
  int64_t records = 0;  // valid records in the new zip (added + modified + unchanged)
  // Advisory ids, sorted. `modified` holds ids whose stored record text changed; `removed`
  // those of this ecosystem that the new zip no longer holds.
  std::vector<std::string> added, modified, removed;
  int64_t unchanged = 0;
  int64_t skipped = 0;  // malformed, oversized or duplicate records (never abort)
  std::vector<SkippedRecord> skipped_reasons;  // at most UpdateOptions::max_reasons
  std::string etag, last_modified;             // the validators now stored
};

struct UpdateReport {
  std::string db_path;
  std::vector<EcosystemUpdate> ecosystems;  // in the order requested
  bool db_rebuilt = false;                  // a new database file was renamed into place
  bool rebuilt_corrupt = false;             // the previous database was corrupt and dropped
  int64_t advisories_total = 0;             // in the database afterwards (-1 when it was not read)
  double seconds = 0;

  // True when no ecosystem failed.
  bool ok() const;
  // Every added, modified and removed id over all ecosystems, sorted and unique: the advisories
  // whose matches may have changed.
  std::vector<std::string> changed_ids() const;
};

// Debian, Alpine, Go, npm, PyPI, Maven, crates.io, RubyGems, NuGet, Packagist.
const std::vector<std::string>& default_update_ecosystems();

// Runs an update as described above. Errors (no ecosystem is applied then, the database is
// unchanged): kInvalidArgument for bad options (ecosystem name, mirror scheme, empty db_path),
// kNotFound for a missing mirror directory, kUnsupported when the database is newer than this
// build, kIo / kCorrupt when the new database cannot be written. Per-ecosystem failures are not
// errors: they are in the report (UpdateReport::ok()).
Result<UpdateReport> update(const UpdateOptions& options);

}  // namespace hivesec::vulndb
