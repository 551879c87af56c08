// The inventory store (issue 3, "continuous detection"): every scanned asset's inventory and its
// current findings, kept in a local SQLite file so that new advisories can be matched against
// images without rescanning them (`hivesec db update` / `db rematch`) and searched by vulnerability
// id or alias (`hivesec vuln where`).
//
// One row per asset (keyed by Asset::id: the image config digest, a directory's path, an SBOM's
// digest); a new scan of the same asset replaces it. Findings are kept in a JSON column and in an
// index table of (identifier -> asset, package) for searches. Writes are one transaction each;
// the file is created with its parent directory on first use.
//
// Thread-safety: one Store per thread; concurrent processes are serialized by SQLite's locking
// (busy timeout 10 s). No function throws.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "model/scan_result.h"

namespace hivesec::store {

struct AssetSummary {
  std::string id;
  std::string name;
  std::string kind;
  std::string scanned_at;  // last inventory
  std::string matched_at;  // last vulnerability matching
  int64_t packages = 0;
  int64_t findings = 0;
};

struct WhereHit {
  std::string asset_id;
  std::string asset_name;
  model::Finding finding;  // the stored finding naming the identifier
};

class Store {
 public:
  virtual ~Store() = default;
  // Saves (replaces) the asset's inventory and findings.
  virtual Status put(const model::ScanResult& result) = 0;
  // Replaces only the findings of a stored asset (after re-matching), stamping matched_at.
  virtual Status put_findings(const std::string& asset_id,
                              const std::vector<model::Finding>& findings,
                              const std::string& matched_at) = 0;
  virtual Result<std::vector<AssetSummary>> list() = 0;
  // By asset id, or by name when no id matches (the most recent scan of that name).
  // kNotFound when neither.
  virtual Result<model::ScanResult> get(const std::string& id_or_name) = 0;
  // Stored findings whose id or an alias equals `identifier` (case-insensitive).
  virtual Result<std::vector<WhereHit>> where(const std::string& identifier) = 0;
};

// $XDG_DATA_HOME/hivesec/store.db, else $HOME/.local/share/hivesec/store.db, else ./store.db.
std::string default_store_path();

// Opens (creating when missing) the store. kCorrupt with a hint when the file is not a store.
Result<std::unique_ptr<Store>> open_store(const std::string& path);

}  // namespace hivesec::store
