// Cargo (crates.io) versions: strict SemVer 2.0.0 as the `semver` crate parses them — no "v" or
// "=" prefix, no surrounding whitespace. Ordering is SemVer precedence (build metadata ignored,
// as OSV's SEMVER ranges require). Components are bounded by 2^53-1 like the semver scheme.
#include "versions/builtins.h"
#include "versions/semver.h"

namespace hivesec::versions {
namespace {

class CargoScheme final : public Scheme {
 public:
  std::string_view name() const override { return "cargo"; }
  Status validate(std::string_view v) const override {
    auto r = parse_semver_strict(v);
    if (!r.ok()) return std::move(r).error();
    return ok_status();
  }
  int compare(std::string_view a, std::string_view b) const override {
    auto pa = parse_semver_strict(a);
    auto pb = parse_semver_strict(b);
    if (!pa.ok() || !pb.ok()) return pa.ok() ? 1 : pb.ok() ? -1 : a.compare(b);
    return compare_semver(*pa, *pb);
  }
};

}  // namespace

std::unique_ptr<Scheme> make_cargo_scheme() { return std::make_unique<CargoScheme>(); }

}  // namespace hivesec::versions
