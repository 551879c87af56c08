// SemVer 2.0.0 versions and npm range matching (issue 3, scheme "semver").
//
// Versions follow npm's `semver` package in its default (non-loose) mode: MAJOR.MINOR.PATCH with
// optional -prerelease and +build, no leading zeros in numeric identifiers, components at most
// 2^53-1, at most 256 characters. Leniency as npm applies it: surrounding whitespace and a leading
// "v" or "=" (or "=v") are accepted. Build metadata is ignored by the ordering.
//
// Ranges follow npm's Range: `||`-separated comparator sets of `< <= > >= =` comparators, `^`,
// `~`/`~>`, x-ranges (`x X *`, partial versions) and hyphen ranges `A - B`. A prerelease version
// only satisfies a comparator set that has a comparator with a prerelease on the same
// [major, minor, patch] tuple (npm's rule without includePrerelease).
//
// All functions are pure and thread-safe; they never throw. Inputs longer than the documented
// bounds are rejected with kLimit.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "versions/scheme.h"

namespace hivesec::versions {

struct SemVer {
  std::uint64_t major = 0;
  std::uint64_t minor = 0;
  std::uint64_t patch = 0;
  std::vector<std::string> prerelease;  // identifiers, dot-separated in the text
  std::string build;                    // without the '+', ignored by compare_semver
};

// Largest numeric component npm accepts (Number.MAX_SAFE_INTEGER).
inline constexpr std::uint64_t kSemVerMaxComponent = (std::uint64_t{1} << 53) - 1;
inline constexpr std::size_t kSemVerMaxLength = 256;

// Parses with the leniency described above. kInvalidArgument with the reason; kLimit when longer
// than kSemVerMaxLength.
Result<SemVer> parse_semver(std::string_view text);

// Strict core: no prefix, no surrounding whitespace.
Result<SemVer> parse_semver_strict(std::string_view text);

// SemVer 2.0.0 precedence: <0, 0, >0. Build metadata is ignored.
int compare_semver(const SemVer& a, const SemVer& b);

// Compares two prerelease identifier lists (an empty list ranks above any prerelease).
int compare_semver_prerelease(const std::vector<std::string>& a, const std::vector<std::string>& b);

// True when `version` satisfies the npm range. kInvalidArgument when the range or the version
// does not parse (npm's `satisfies` would return false for both); kLimit for a range longer than
// 4096 characters or with more than 256 comparators.
Result<bool> npm_range_satisfies(std::string_view range, std::string_view version);

}  // namespace hivesec::versions
