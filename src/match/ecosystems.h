// Which advisories apply to a package: maps an inventoried Package (and the image's OS) to the
// OSV ecosystem, package name, version and version scheme to look up (issue 3).
//
// OS packages are looked up in their distro release's own ecosystem ("Debian:12",
// "Alpine:v3.19", "Ubuntu:22.04:LTS"), by source package where the distro's advisories name
// source packages, and compared with the distro's scheme. Language packages use the language
// ecosystem ("npm", "PyPI", "Go", ...). Language packages owned by an OS package are not looked
// up — the distro's advisories cover them — except the Go standard library linked into a Go
// binary, which no distro advisory for the binary's package describes.
//
// One table row per package type and one per distro family (ecosystems.cpp); no if-chains.
// Pure and thread-safe.
#pragma once

#include <string>
#include <vector>

#include "model/os.h"
#include "model/package.h"
#include "versions/scheme.h"

namespace hivesec::match {

struct Query {
  std::string ecosystem;  // exact OSV ecosystem string, e.g. "Debian:12"
  std::string name;       // name to look up (the source package, "@scope/name", module path)
  std::string version;    // version to compare (source version for OS packages)
  const versions::Scheme* scheme = nullptr;  // ECOSYSTEM ranges
  const versions::Scheme* semver = nullptr;  // SEMVER ranges
};

struct QueryPlan {
  std::vector<Query> queries;  // empty when the package is not matched
  std::string skip_reason;     // why not, when empty ("owned by pkg:deb/...", "no OSV ecosystem")
};

class EcosystemMapper {
 public:
  explicit EcosystemMapper(const versions::SchemeRegistry& schemes);
  // The lookups for one package of an image whose OS is `os`.
  QueryPlan plan(const model::Package& pkg, const model::OsInfo& os) const;

 private:
  const versions::SchemeRegistry& schemes_;
};

// The version scheme of an OSV ecosystem ("Debian:12" -> dpkg, "npm" -> semver); nullptr when
// unknown.
const versions::Scheme* scheme_for_ecosystem(const versions::SchemeRegistry& schemes,
                                             std::string_view ecosystem);

// The version scheme of a purl type ("deb" -> dpkg, "npm" -> semver); nullptr when unknown.
const versions::Scheme* scheme_for_package_type(const versions::SchemeRegistry& schemes,
                                                std::string_view type);

}  // namespace hivesec::match
