// The vulnerability matcher (issue 3): inventory + advisory database -> vulnerability findings.
//
// For every package, EcosystemMapper says what to look up; the advisories of that (ecosystem,
// name) are read once per run (cached), withdrawn ones dropped, and each `affected` entry is
// evaluated with the ecosystem's version scheme (affected.h). Advisories that name the same
// vulnerability (one's id is another's alias, or they share an alias) are merged: one finding
// per vulnerability per package, listing every id and alias. Severity comes from rating.h.
//
// Not thread-safe (the cache); one Matcher per thread. Errors are database read failures only;
// odd packages or records become notes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "match/ecosystems.h"
#include "model/scan_result.h"
#include "versions/scheme.h"
#include "vulndb/vulndb.h"

namespace hivesec::match {

struct MatchStats {
  int64_t packages = 0;         // packages seen
  int64_t packages_looked_up = 0;
  int64_t findings = 0;         // findings added
  int64_t advisories_read = 0;  // distinct advisory records evaluated
  double seconds = 0;
};

class Matcher {
 public:
  Matcher(vulndb::Database& db, const versions::SchemeRegistry& schemes);

  // Appends a vulnerability finding per (vulnerability, package) to result.findings (existing
  // vulnerability findings are replaced, other kinds kept) and notes about what could not be
  // matched to result.notes. Findings are ordered by package then id.
  Result<MatchStats> match(model::ScanResult& result);

 private:
  Result<const std::vector<vulndb::Advisory>*> advisories(const Query& q);

  vulndb::Database& db_;
  EcosystemMapper mapper_;
  std::map<std::string, std::vector<vulndb::Advisory>> cache_;  // "eco\x1fname" -> records
};

}  // namespace hivesec::match
