// Go module and toolchain versions mapped onto one semver ordering.
#include "versions/go.h"

#include <optional>

#include "versions/builtins.h"

namespace hivesec::versions {
namespace {

constexpr std::size_t kMaxLength = 256;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// gover's cutInt: digits without a leading zero (unless "0").
bool cut_int(std::string_view& s, std::string_view& out) {
  std::size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == 0 || (s[0] == '0' && i != 1)) return false;
  out = s.substr(0, i);
  s.remove_prefix(i);
  return true;
}

int cmp_int(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

struct Toolchain {
  std::string_view major, minor, patch, kind, pre;
  bool valid = false;
};

// go/version's parse of a version without the "go" prefix.
Toolchain parse_toolchain(std::string_view x) {
  Toolchain v;
  if (!cut_int(x, v.major)) return {};
  if (x.empty()) {
    v.minor = "0";
    v.patch = "0";
    v.valid = true;
    return v;
  }
  if (x[0] != '.') return {};
  x.remove_prefix(1);
  if (!cut_int(x, v.minor)) return {};
  if (x.empty()) {
    // Before Go 1.21 a missing patch means ".0" (gover compares only the minor number).
    if (cmp_int(v.minor, "21") < 0) v.patch = "0";
    v.valid = true;
    return v;
  }
  if (x[0] == '.') {
    x.remove_prefix(1);
    if (!cut_int(x, v.patch) || !x.empty()) return {};
    v.valid = true;
    return v;
  }
  std::size_t i = 0;
  while (i < x.size() && !is_digit(x[i])) {
    if (x[i] < 'a' || x[i] > 'z') return {};
    ++i;
  }
  if (i == 0) return {};
  v.kind = x.substr(0, i);
  x.remove_prefix(i);
  if (!x.empty() && (!cut_int(x, v.pre) || !x.empty())) return {};
  v.valid = true;
  return v;
}

std::string_view strip_go(std::string_view s) {
  auto cut = s.find_first_of("-+ ");
  if (cut != std::string_view::npos) s = s.substr(0, cut);
  if (s.size() < 2 || s.substr(0, 2) != "go") return {};
  return s.substr(2);
}

Result<std::uint64_t> to_component(std::string_view s) {
  std::uint64_t v = 0;
  for (char c : s) {
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > kSemVerMaxComponent) {
      return make_error(Errc::kInvalidArgument, "version component too large");
    }
  }
  return v;
}

Result<SemVer> toolchain_to_semver(const Toolchain& t) {
  SemVer v;
  HIVESEC_TRY(v.major, to_component(t.major));
  HIVESEC_TRY(v.minor, to_component(t.minor));
  if (!t.patch.empty()) {
    HIVESEC_TRY(v.patch, to_component(t.patch));
  } else if (!t.kind.empty()) {
    v.prerelease.emplace_back(t.kind);
    if (!t.pre.empty()) v.prerelease.emplace_back(t.pre);
  } else {
    v.prerelease.emplace_back("0");  // language version: below every prerelease
  }
  return v;
}

class GoScheme final : public Scheme {
 public:
  std::string_view name() const override { return "go"; }
  Status validate(std::string_view v) const override {
    auto r = parse_go_version(v);
    if (!r.ok()) return std::move(r).error();
    return ok_status();
  }
  int compare(std::string_view a, std::string_view b) const override {
    auto pa = parse_go_version(a);
    auto pb = parse_go_version(b);
    if (!pa.ok() || !pb.ok()) return pa.ok() ? 1 : pb.ok() ? -1 : 0;
    return compare_semver(*pa, *pb);
  }
};

}  // namespace

Result<SemVer> parse_go_version(std::string_view text) {
  if (text.size() > kMaxLength) {
    return make_error(Errc::kLimit, "version longer than {} characters", kMaxLength);
  }
  if (text.empty()) return make_error(Errc::kInvalidArgument, "empty version");
  if (text.substr(0, 2) == "go") {
    auto t = parse_toolchain(strip_go(text));
    if (!t.valid) return make_error(Errc::kInvalidArgument, "not a Go toolchain version");
    return toolchain_to_semver(t);
  }
  std::string_view s = text;
  bool v_prefix = s[0] == 'v';
  if (v_prefix) s.remove_prefix(1);
  if (auto full = parse_semver_strict(s); full.ok()) return full;
  if (v_prefix) {
    // x/mod/semver shorthands: "v1" and "v1.2" without prerelease or build.
    std::string_view rest = s;
    std::string_view major, minor;
    if (cut_int(rest, major)) {
      SemVer v;
      if (rest.empty()) {
        HIVESEC_TRY(v.major, to_component(major));
        return v;
      }
      if (rest[0] == '.') {
        rest.remove_prefix(1);
        if (cut_int(rest, minor) && rest.empty()) {
          HIVESEC_TRY(v.major, to_component(major));
          HIVESEC_TRY(v.minor, to_component(minor));
          return v;
        }
      }
    }
    return parse_semver_strict(s).error().wrap("not a Go module version");
  }
  auto t = parse_toolchain(s);
  if (t.valid && s.find('.') != std::string_view::npos) return toolchain_to_semver(t);
  return parse_semver_strict(s).error().wrap("not a Go module or toolchain version");
}

int compare_go_toolchain(std::string_view a, std::string_view b) {
  auto x = parse_toolchain(strip_go(a));
  auto y = parse_toolchain(strip_go(b));
  if (int c = cmp_int(x.major, y.major)) return c;
  if (int c = cmp_int(x.minor, y.minor)) return c;
  if (int c = cmp_int(x.patch, y.patch)) return c;
  if (int c = x.kind.compare(y.kind)) return c < 0 ? -1 : 1;
  return cmp_int(x.pre, y.pre);
}

std::unique_ptr<Scheme> make_go_scheme() { return std::make_unique<GoScheme>(); }

}  // namespace hivesec::versions
