// Debian version ordering (Debian policy §5.6.12), matching dpkg's parser and comparison.
#include <cstddef>
#include <string_view>

#include "versions/builtins.h"

namespace hivesec::versions {
namespace {

constexpr std::size_t kMaxVersionLength = 1024;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

struct DebVersion {
  std::string_view epoch;  // digits with leading zeros stripped; empty means 0
  std::string_view upstream;
  std::string_view revision;  // empty when absent (equal to "0")
};

// dpkg's parse; returns the error message on failure, nullptr on success. Like dpkg, characters
// outside the policy set only earn a warning, so they are accepted here.
const char* parse(std::string_view v, DebVersion& out) {
  if (v.size() > kMaxVersionLength) return "version string is too long";
  if (v.find('\0') != std::string_view::npos) return "version string contains a NUL byte";
  while (!v.empty() && is_space(v.front())) v.remove_prefix(1);
  while (!v.empty() && is_space(v.back())) v.remove_suffix(1);
  if (v.empty()) return "version string is empty";
  for (char c : v) {
    if (is_space(c)) return "version string has embedded spaces";
  }
  out.epoch = {};
  if (auto colon = v.find(':'); colon != std::string_view::npos) {
    // strtol semantics: an optional sign, then digits that must reach the colon.
    std::string_view e = v.substr(0, colon);
    bool negative = false;
    if (!e.empty() && (e.front() == '+' || e.front() == '-')) {
      negative = e.front() == '-';
      e.remove_prefix(1);
    }
    std::size_t digits = 0;
    while (digits < e.size() && is_digit(e[digits])) ++digits;
    if (digits == 0) return "epoch in version is empty";
    if (digits != e.size()) return "epoch in version is not number";
    while (e.size() > 1 && e.front() == '0') e.remove_prefix(1);
    if (negative && e != "0") return "epoch in version is negative";
    if (e.size() > 10 || (e.size() == 10 && e > "2147483647")) {
      return "epoch in version is too big";
    }
    if (colon + 1 == v.size()) return "nothing after colon in version number";
    out.epoch = e == "0" ? std::string_view() : e;
    v.remove_prefix(colon + 1);
  }
  out.revision = {};
  if (auto hyphen = v.rfind('-'); hyphen != std::string_view::npos) {
    if (hyphen + 1 == v.size()) return "revision number is empty";
    out.revision = v.substr(hyphen + 1);
    v = v.substr(0, hyphen);
  }
  if (v.empty()) return "version number is empty";
  out.upstream = v;
  return nullptr;
}

// dpkg's character weight: '~' below the end of the string, letters below everything else.
// Bytes are signed as in dpkg's `const char*` on x86_64.
int order(int c) {
  if (is_digit(static_cast<char>(c))) return 0;
  if (is_alpha(static_cast<char>(c))) return c;
  if (c == '~') return -1;
  if (c != 0) return c + 256;
  return 0;
}

int verrevcmp(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  auto at = [](std::string_view s, std::size_t k) -> int {
    return k < s.size() ? static_cast<signed char>(s[k]) : 0;
  };
  while (i < a.size() || j < b.size()) {
    while ((i < a.size() && !is_digit(a[i])) || (j < b.size() && !is_digit(b[j]))) {
      int ac = order(at(a, i));
      int bc = order(at(b, j));
      if (ac != bc) return ac - bc;
      ++i;
      ++j;
    }
    while (i < a.size() && a[i] == '0') ++i;
    while (j < b.size() && b[j] == '0') ++j;
    int first_diff = 0;
    while (i < a.size() && j < b.size() && is_digit(a[i]) && is_digit(b[j])) {
      if (first_diff == 0) first_diff = a[i] - b[j];
      ++i;
      ++j;
    }
    if (i < a.size() && is_digit(a[i])) return 1;
    if (j < b.size() && is_digit(b[j])) return -1;
    if (first_diff != 0) return first_diff;
  }
  return 0;
}

int compare_epoch(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b);
}

class DpkgScheme final : public Scheme {
 public:
  std::string_view name() const override { return "dpkg"; }

  Status validate(std::string_view v) const override {
    DebVersion parsed;
    if (const char* err = parse(v, parsed)) {
      return make_error(Errc::kInvalidArgument, "{}", err);
    }
    return ok_status();
  }

  int compare(std::string_view a, std::string_view b) const override {
    DebVersion va;
    DebVersion vb;
    // Invalid input: compare whatever parsed (never crashes; result unspecified).
    if (parse(a, va) != nullptr) va = DebVersion{{}, a.substr(0, kMaxVersionLength), {}};
    if (parse(b, vb) != nullptr) vb = DebVersion{{}, b.substr(0, kMaxVersionLength), {}};
    if (int c = compare_epoch(va.epoch, vb.epoch); c != 0) return c;
    if (int c = verrevcmp(va.upstream, vb.upstream); c != 0) return c;
    return verrevcmp(va.revision, vb.revision);
  }
};

}  // namespace

std::unique_ptr<Scheme> make_dpkg_scheme() { return std::make_unique<DpkgScheme>(); }

}  // namespace hivesec::versions
