// Fix advice (issue 3): per asset, the package upgrades that remove the most vulnerability
// findings, ranked by the severity they remove, each with the version to upgrade to.
//
// Findings are grouped by what one upgrade changes: an OS package's source package (upgrading
// it updates every binary package built from it), a language package by purl, the Go standard
// library of each binary. The target is the highest of the lowest fixed versions of the
// group's findings, so that the one upgrade removes them all. Unfixed findings are listed per
// group but never counted as removed. Pure; thread-safe.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "model/finding.h"
#include "versions/scheme.h"

namespace hivesec::store {

struct Upgrade {
  std::string package;               // what to upgrade ("openssl (source)", "lodash", "Go stdlib")
  std::string ecosystem;             // "Debian:12", "npm", "Go"
  std::vector<std::string> targets;  // purls affected by this upgrade
  std::string installed;
  std::string target_version;
  std::vector<std::string> removes;  // finding ids removed
  // Removed findings per severity, indexed by model::Severity (unknown..critical).
  std::array<int, 5> by_severity{};
  int unfixed = 0;  // findings on the same package that no version fixes yet
};

// Upgrades in priority order: most critical removed, then high, ..., then total removed, then
// name. Upgrades that remove nothing are omitted.
std::vector<Upgrade> fix_advice(const std::vector<model::Finding>& findings,
                                const versions::SchemeRegistry& schemes);

}  // namespace hivesec::store
