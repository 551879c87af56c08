// OSV range semantics: is one version of a package inside an advisory's `affected` entry?
//
// Implements the evaluation of the OSV schema (https://ossf.github.io/osv-schema/): the
// `versions` list, and `ECOSYSTEM` / `SEMVER` ranges whose events (introduced, fixed,
// last_affected, limit) are sorted by version and walked in order — "introduced: 0" means from
// the first version, a version is affected between an introduced event and the next fixed (exclusive) or
// last_affected (inclusive) event, and never at or above a limit. `GIT` ranges name commits, not
// versions: they are skipped and reported.
//
// Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "versions/scheme.h"
#include "vulndb/vulndb.h"

namespace hivesec::match {

struct AffectedResult {
  bool affected = false;
  // `fixed` events that end the ranges containing the version (the upgrades that remove it).
  std::vector<std::string> fixed;
  // The version is affected by a range with no fix after it (open-ended or last_affected).
  bool unfixed_range = false;
  int git_ranges_skipped = 0;
  // Ranges skipped because an event version is invalid in the scheme (the reason of the first).
  int invalid_ranges = 0;
  std::string invalid_reason;
};

// `version` must be valid in `scheme` (callers validate it). `semver` compares SEMVER ranges.
AffectedResult evaluate_affected(const vulndb::Affected& affected, std::string_view version,
                                 const versions::Scheme& scheme, const versions::Scheme& semver);

}  // namespace hivesec::match
