// Re-matching stored inventories against the current advisory database: what is new and what is
// resolved per asset since its findings were last computed (issue 3, continuous detection).
//
// Only vulnerability findings change; other kinds stored with the asset are kept. Findings are
// compared by (id, package purl, path). Not thread-safe (uses one Store and one Database).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "model/finding.h"
#include "store/store.h"
#include "versions/scheme.h"
#include "vulndb/vulndb.h"

namespace hivesec::store {

struct AssetDelta {
  std::string asset_id;
  std::string asset_name;
  std::vector<model::Finding> added;     // newly matched
  std::vector<model::Finding> resolved;  // no longer matched (advisory changed or withdrawn)
  int64_t findings = 0;                  // vulnerability findings after re-matching
};

// Re-matches every stored asset, saves the new findings, and returns one delta per asset (in
// the store's order). An asset whose stored inventory cannot be read is an error naming it.
Result<std::vector<AssetDelta>> rematch_all(Store& store, vulndb::Database& db,
                                            const versions::SchemeRegistry& schemes);

// The identity of a finding across runs: id, package purl and path.
std::string finding_key(const model::Finding& f);

}  // namespace hivesec::store
