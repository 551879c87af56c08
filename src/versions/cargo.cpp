// Cargo (crates.io) versions: strict SemVer 2.0.0 as the `semver` crate parses them — no "v" or
// "=" prefix, no surrounding whitespace. Ordering is SemVer precedence (build metadata ignored,
// as OSV's SEMVER ranges require). Components are bounded by 2^53-1 like the semver scheme.
#include "versions/builtins.h"
#include "versions/parsed_scheme.h"
#include "versions/semver.h"

namespace hivesec::versions {
namespace {

}  // namespace

std::unique_ptr<Scheme> make_cargo_scheme() {
  return std::make_unique<ParsedScheme<parse_semver_strict, compare_semver>>("cargo");
}

}  // namespace hivesec::versions
