// RPM version ordering: rpm's EVR split ([epoch:]version[-release]) and rpmvercmp segments.
#include <cstddef>
#include <optional>
#include <string_view>

#include "versions/builtins.h"

namespace hivesec::versions {
namespace {

constexpr std::size_t kMaxVersionLength = 1024;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }

struct Evr {
  std::string_view epoch;  // "0" when absent
  std::string_view version;
  std::optional<std::string_view> release;
};

// rpm's split: the epoch is the leading digit run when a ':' follows it; the release follows the
// last '-' after that point.
Evr split(std::string_view s) {
  Evr out{"0", s, std::nullopt};
  std::size_t d = 0;
  while (d < s.size() && is_digit(s[d])) ++d;
  std::string_view rest = s;
  if (d < s.size() && s[d] == ':') {
    out.epoch = d == 0 ? std::string_view("0") : s.substr(0, d);
    rest = s.substr(d + 1);
  }
  if (auto hyphen = rest.rfind('-'); hyphen != std::string_view::npos) {
    out.release = rest.substr(hyphen + 1);
    rest = rest.substr(0, hyphen);
  }
  out.version = rest;
  return out;
}

// Compares two digit runs numerically, ignoring leading zeros, at any length.
int compare_digits(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') a.remove_prefix(1);
  while (!b.empty() && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

// rpmvercmp: separators are skipped, '~' sorts before anything (even the end), '^' sorts after
// the end but before anything else, numeric segments beat alphabetic ones.
int rpmvercmp(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  std::size_t i = 0;
  std::size_t j = 0;
  auto ch = [](std::string_view s, std::size_t k) { return k < s.size() ? s[k] : '\0'; };
  auto skippable = [](char c) { return c != '\0' && !is_alnum(c) && c != '~' && c != '^'; };
  // A NUL byte ends the string as it does for rpm's C strings.
  if (auto n = a.find('\0'); n != std::string_view::npos) a = a.substr(0, n);
  if (auto n = b.find('\0'); n != std::string_view::npos) b = b.substr(0, n);
  while (i < a.size() || j < b.size()) {
    while (skippable(ch(a, i))) ++i;
    while (skippable(ch(b, j))) ++j;
    char x = ch(a, i);
    char y = ch(b, j);
    if (x == '~' || y == '~') {
      if (x != '~') return 1;
      if (y != '~') return -1;
      ++i;
      ++j;
      continue;
    }
    if (x == '^' || y == '^') {
      if (x == '\0') return -1;
      if (y == '\0') return 1;
      if (x != '^') return 1;
      if (y != '^') return -1;
      ++i;
      ++j;
      continue;
    }
    if (x == '\0' || y == '\0') break;
    const bool numeric = is_digit(x);
    auto seg_end = [numeric](std::string_view s, std::size_t k) {
      while (k < s.size() && (numeric ? is_digit(s[k]) : is_alpha(s[k]))) ++k;
      return k;
    };
    std::size_t ie = seg_end(a, i);
    std::size_t je = seg_end(b, j);
    if (je == j) return numeric ? 1 : -1;  // numeric beats alphabetic
    std::string_view sa = a.substr(i, ie - i);
    std::string_view sb = b.substr(j, je - j);
    int c = numeric ? compare_digits(sa, sb) : sa.compare(sb);
    if (c != 0) return c < 0 ? -1 : 1;
    i = ie;
    j = je;
  }
  const bool a_done = i >= a.size();
  const bool b_done = j >= b.size();
  if (a_done && b_done) return 0;
  return a_done ? -1 : 1;
}

const char* check_part(std::string_view part, const char* what_empty, const char* what_bad) {
  if (part.empty()) return what_empty;
  for (char c : part) {
    if (!is_alnum(c) && c != '.' && c != '_' && c != '+' && c != '~' && c != '^') return what_bad;
  }
  return nullptr;
}

class RpmScheme final : public Scheme {
 public:
  std::string_view name() const override { return "rpm"; }

  // Accepts what rpm accepts in a package's Version/Release tags: letters, digits and "._+~^".
  Status validate(std::string_view v) const override {
    if (v.empty()) return make_error(Errc::kInvalidArgument, "version string is empty");
    if (v.size() > kMaxVersionLength) {
      return make_error(Errc::kInvalidArgument, "version string is too long");
    }
    Evr evr = split(v);
    if (evr.epoch.size() > 10 || (evr.epoch.size() == 10 && evr.epoch > "4294967295")) {
      return make_error(Errc::kInvalidArgument, "epoch is too big");
    }
    if (const char* err = check_part(evr.version, "version is empty",
                                     "invalid character in version (allowed: A-Za-z0-9._+~^)")) {
      return make_error(Errc::kInvalidArgument, "{}", err);
    }
    if (evr.release) {
      if (const char* err = check_part(*evr.release, "release is empty",
                                       "invalid character in release (allowed: A-Za-z0-9._+~^)")) {
        return make_error(Errc::kInvalidArgument, "{}", err);
      }
    }
    return ok_status();
  }

  // As rpm: epochs first (absent = 0), then versions, then releases; a missing release sorts
  // before a present one.
  int compare(std::string_view a, std::string_view b) const override {
    a = a.substr(0, kMaxVersionLength);
    b = b.substr(0, kMaxVersionLength);
    Evr x = split(a);
    Evr y = split(b);
    if (int c = rpmvercmp(x.epoch, y.epoch); c != 0) return c;
    if (int c = rpmvercmp(x.version, y.version); c != 0) return c;
    if (x.release && y.release) return rpmvercmp(*x.release, *y.release);
    if (x.release) return 1;
    if (y.release) return -1;
    return 0;
  }
};

}  // namespace

std::unique_ptr<Scheme> make_rpm_scheme() { return std::make_unique<RpmScheme>(); }

}  // namespace hivesec::versions
