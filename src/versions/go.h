// Go versions (issue 3, scheme "go"): module versions and toolchain versions in one ordering.
//
// Module versions are semantic versions as golang.org/x/mod/semver reads them: "v1.2.3",
// shorthands "v1" / "v1.2" (= v1.0.0 / v1.2.0), prereleases, pseudo-versions
// ("v0.0.0-20220906165146-f3363e06e74c", "v1.2.4-0.20191109021931-daa7c04131f5", ordered as
// semver prereleases, i.e. by timestamp) and "+incompatible" (build metadata, ignored). The "v" may
// be omitted as OSV does ("1.19.8", "1.21.0-0").
//
// Toolchain versions follow go/version: "go1.21", "go1.21rc2", "go1.19.8", "1.21rc2",
// custom suffixes after '-', '+' or ' ' ignored ("go1.21.0 X:boringcrypto"). Since Go 1.21 the
// language version "1.21" sorts below "1.21rc1" below "1.21.0"; before, "1.20" equals "1.20.0".
// Toolchain versions map onto semver: "1.21rc2" -> 1.21.0-rc.2, "1.21" -> 1.21.0-0 (the lowest
// prerelease, as OSV's "introduced: 1.21.0-0"), "1.20" -> 1.20.0. A prefixless "X.Y" is read as a
// toolchain version.
//
// Pure and thread-safe; never throws.
#pragma once

#include <string_view>

#include "common/result.h"
#include "versions/semver.h"

namespace hivesec::versions {

// The semver equivalent of a Go module or toolchain version.
Result<SemVer> parse_go_version(std::string_view text);

// go/version.Compare on toolchain strings ("go1.21rc1"); invalid versions sort lowest and equal
// to each other, as in Go.
int compare_go_toolchain(std::string_view a, std::string_view b);

}  // namespace hivesec::versions
