// PEP 440 versions and specifiers (issue 3, scheme "pep440").
//
// Parsing accepts what Python's `packaging.version.Version` accepts (case-insensitive, optional
// "v", alternative spellings alpha/beta/c/pre/preview/rev/r, separators [-_.], implicit numbers,
// "1.0-1" post releases, local versions). Ordering is PEP 440's: epoch, release with implicit
// trailing zeros, dev < pre < final < post, local versions above their public version.
// Specifier sets follow `packaging.specifiers.SpecifierSet.contains` with default prerelease
// handling: a prerelease only matches when some specifier of the set names a prerelease.
//
// Pure and thread-safe; never throws. Inputs over 1024 characters are rejected with kLimit.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hivesec::versions {

struct Pep440Version {
  // Numbers are kept as decimal strings without leading zeros (Python ints are unbounded).
  std::string epoch = "0";
  std::vector<std::string> release;
  char pre_kind = 0;  // 0 (none), 'a', 'b' or 'c' (rc)
  std::string pre_num;
  bool has_post = false;
  std::string post_num;
  bool has_dev = false;
  std::string dev_num;
  std::vector<std::string> local;  // lower-cased segments

  bool is_prerelease() const { return pre_kind != 0 || has_dev; }
  // Canonical text, as str(packaging.version.Version(...)).
  std::string to_string() const;
};

Result<Pep440Version> parse_pep440(std::string_view text);
int compare_pep440(const Pep440Version& a, const Pep440Version& b);

// Comma-separated specifiers: ~= == != <= >= < > ===, with `==X.Y.*` / `!=X.Y.*` wildcards.
// kInvalidArgument when a specifier or the version does not parse.
Result<bool> pep440_satisfies(std::string_view specifiers, std::string_view version);

}  // namespace hivesec::versions
