// SemVer ordering and npm ranges. The range grammar mirrors npm's Range pipeline (build strip,
// hyphen ranges, operator/whitespace trimming, caret/tilde/x-range desugaring into primitive
// comparators), so that edge cases such as `<=1.x` -> `<2.0.0-0` behave as in npm.
#include "versions/semver.h"

#include <algorithm>
#include <optional>

#include "versions/builtins.h"
#include "versions/parsed_scheme.h"

namespace hivesec::versions {
namespace {

constexpr std::size_t kMaxRangeLength = 4096;
constexpr std::size_t kMaxComparators = 256;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ident_char(char c) { return is_digit(c) || is_alpha(c) || c == '-'; }
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

// A numeric identifier: "0" or digits without a leading zero.
bool is_numeric_identifier(std::string_view s) {
  return all_digits(s) && (s.size() == 1 || s[0] != '0');
}

// Saturates at UINT64_MAX; callers bound-check against kSemVerMaxComponent.
std::uint64_t to_number(std::string_view s) {
  std::uint64_t v = 0;
  for (char c : s) {
    auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return UINT64_MAX;
    v = v * 10 + d;
  }
  return v;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    auto pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

Status parse_prerelease(std::string_view s, std::vector<std::string>& out) {
  for (auto id : split(s, '.')) {
    if (id.empty()) return make_error(Errc::kInvalidArgument, "empty prerelease identifier");
    if (!std::all_of(id.begin(), id.end(), is_ident_char)) {
      return make_error(Errc::kInvalidArgument, "invalid character in prerelease identifier");
    }
    if (all_digits(id) && !is_numeric_identifier(id)) {
      return make_error(Errc::kInvalidArgument, "numeric prerelease identifier with leading zero");
    }
    out.emplace_back(id);
  }
  return ok_status();
}

Status check_build(std::string_view s) {
  for (auto id : split(s, '.')) {
    if (id.empty()) return make_error(Errc::kInvalidArgument, "empty build identifier");
    if (!std::all_of(id.begin(), id.end(), is_ident_char)) {
      return make_error(Errc::kInvalidArgument, "invalid character in build identifier");
    }
  }
  return ok_status();
}

Result<std::uint64_t> parse_component(std::string_view s, const char* what) {
  if (s.empty()) return make_error(Errc::kInvalidArgument, "missing {} version", what);
  if (!all_digits(s)) return make_error(Errc::kInvalidArgument, "non-numeric {} version", what);
  if (!is_numeric_identifier(s)) {
    return make_error(Errc::kInvalidArgument, "{} version has a leading zero", what);
  }
  auto v = to_number(s);
  if (v > kSemVerMaxComponent) {
    return make_error(Errc::kInvalidArgument, "{} version larger than 2^53-1", what);
  }
  return v;
}

int compare_identifier(const std::string& a, const std::string& b) {
  bool an = all_digits(a);
  bool bn = all_digits(b);
  if (an && bn) {
    // No leading zeros in valid input: longer means larger.
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return a.compare(b) < 0 ? -1 : a.compare(b) > 0 ? 1 : 0;
  }
  if (an) return -1;
  if (bn) return 1;
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

// ---- ranges ----

enum class Op { kAny, kEq, kLt, kLe, kGt, kGe };

struct Comparator {
  Op op = Op::kAny;
  SemVer v;
};

bool comparator_test(const Comparator& c, const SemVer& v) {
  if (c.op == Op::kAny) return true;
  int r = compare_semver(v, c.v);
  switch (c.op) {
    case Op::kEq:
      return r == 0;
    case Op::kLt:
      return r < 0;
    case Op::kLe:
      return r <= 0;
    case Op::kGt:
      return r > 0;
    case Op::kGe:
      return r >= 0;
    case Op::kAny:
      return true;
  }
  return false;
}

bool is_null_comparator(const Comparator& c) {
  return c.op == Op::kLt && c.v.major == 0 && c.v.minor == 0 && c.v.patch == 0 &&
         c.v.prerelease.size() == 1 && c.v.prerelease[0] == "0";
}

// A partial version of an x-range: each of M, m, p is a numeric identifier or x/X/* or absent.
struct Partial {
  std::string_view major, minor, patch;
  std::string_view prerelease;  // only with all three numeric/x parts
  bool has_prerelease = false;
  bool xM() const { return is_x(major); }
  bool xm() const { return xM() || is_x(minor); }
  bool xp() const { return xm() || is_x(patch); }
  static bool is_x(std::string_view s) { return s.empty() || s == "x" || s == "X" || s == "*"; }
};

bool is_xrange_identifier(std::string_view s) {
  return s == "x" || s == "X" || s == "*" || is_numeric_identifier(s);
}

// XRANGEPLAIN without the `[v=]*` prefix (build metadata was stripped beforehand).
std::optional<Partial> parse_partial(std::string_view s) {
  Partial p;
  std::string_view rest = s;
  auto take_ident = [&](std::string_view& out) -> bool {
    std::size_t n = 0;
    while (n < rest.size() && rest[n] != '.' && rest[n] != '-') ++n;
    out = rest.substr(0, n);
    rest.remove_prefix(n);
    return is_xrange_identifier(out);
  };
  if (!take_ident(p.major)) return std::nullopt;
  if (rest.empty()) return p;
  if (rest[0] != '.') return std::nullopt;
  rest.remove_prefix(1);
  if (!take_ident(p.minor)) return std::nullopt;
  if (rest.empty()) return p;
  if (rest[0] != '.') return std::nullopt;
  rest.remove_prefix(1);
  if (!take_ident(p.patch)) return std::nullopt;
  if (rest.empty()) return p;
  if (rest[0] != '-') return std::nullopt;
  rest.remove_prefix(1);
  std::vector<std::string> ids;
  if (!parse_prerelease(rest, ids).ok()) return std::nullopt;
  p.prerelease = rest;
  p.has_prerelease = true;
  return p;
}

std::string_view strip_prefix(std::string_view s) {
  while (!s.empty() && (s[0] == 'v' || s[0] == '=')) s.remove_prefix(1);
  return s;
}

// Builds a comparator from numbers, failing like npm when a component exceeds 2^53-1.
Status push(std::vector<Comparator>& out, Op op, std::uint64_t M, std::uint64_t m, std::uint64_t p,
            std::string_view pre) {
  if (M > kSemVerMaxComponent || m > kSemVerMaxComponent || p > kSemVerMaxComponent) {
    return make_error(Errc::kInvalidArgument, "range version component larger than 2^53-1");
  }
  Comparator c;
  c.op = op;
  c.v.major = M;
  c.v.minor = m;
  c.v.patch = p;
  if (!pre.empty()) HIVESEC_TRY_STATUS(parse_prerelease(pre, c.v.prerelease));
  // `>=0.0.0` means any version in npm.
  if (op == Op::kGe && M == 0 && m == 0 && p == 0 && c.v.prerelease.empty()) c.op = Op::kAny;
  out.push_back(std::move(c));
  return ok_status();
}

std::uint64_t inc(std::uint64_t v) { return v == UINT64_MAX ? v : v + 1; }

Status desugar_caret(const Partial& x, std::vector<Comparator>& out) {
  if (x.xM()) return push(out, Op::kAny, 0, 0, 0, {});
  auto M = to_number(x.major);
  if (x.xm()) {
    HIVESEC_TRY_STATUS(push(out, Op::kGe, M, 0, 0, {}));
    return push(out, Op::kLt, inc(M), 0, 0, "0");
  }
  auto m = to_number(x.minor);
  if (x.xp()) {
    HIVESEC_TRY_STATUS(push(out, Op::kGe, M, m, 0, {}));
    if (M == 0) return push(out, Op::kLt, M, inc(m), 0, "0");
    return push(out, Op::kLt, inc(M), 0, 0, "0");
  }
  auto p = to_number(x.patch);
  HIVESEC_TRY_STATUS(push(out, Op::kGe, M, m, p, x.prerelease));
  if (M == 0) {
    if (m == 0) return push(out, Op::kLt, M, m, inc(p), "0");
    return push(out, Op::kLt, M, inc(m), 0, "0");
  }
  return push(out, Op::kLt, inc(M), 0, 0, "0");
}

Status desugar_tilde(const Partial& x, std::vector<Comparator>& out) {
  if (x.xM()) return push(out, Op::kAny, 0, 0, 0, {});
  auto M = to_number(x.major);
  if (x.xm()) {
    HIVESEC_TRY_STATUS(push(out, Op::kGe, M, 0, 0, {}));
    return push(out, Op::kLt, inc(M), 0, 0, "0");
  }
  auto m = to_number(x.minor);
  if (x.xp()) {
    HIVESEC_TRY_STATUS(push(out, Op::kGe, M, m, 0, {}));
    return push(out, Op::kLt, M, inc(m), 0, "0");
  }
  auto p = to_number(x.patch);
  HIVESEC_TRY_STATUS(push(out, Op::kGe, M, m, p, x.prerelease));
  return push(out, Op::kLt, M, inc(m), 0, "0");
}

// An exact comparator version: npm's Comparator accepts only an optional single "v" prefix.
Status push_exact(std::vector<Comparator>& out, Op op, std::string_view text) {
  if (!text.empty() && text[0] == 'v') text.remove_prefix(1);
  HIVESEC_TRY(auto v, parse_semver_strict(text));
  Comparator c{op, std::move(v)};
  if (op == Op::kGe && c.v.major == 0 && c.v.minor == 0 && c.v.patch == 0 &&
      c.v.prerelease.empty()) {
    c.op = Op::kAny;
  }
  out.push_back(std::move(c));
  return ok_status();
}

Status desugar_xrange(std::string_view gtlt, std::string_view body, const Partial& x,
                      std::vector<Comparator>& out) {
  if (!x.xp()) {
    Op op = gtlt == "<"    ? Op::kLt
            : gtlt == "<=" ? Op::kLe
            : gtlt == ">"  ? Op::kGt
            : gtlt == ">=" ? Op::kGe
                           : Op::kEq;
    return push_exact(out, op, body);
  }
  if (gtlt == "=") gtlt = "";
  if (x.xM()) {
    if (gtlt == ">" || gtlt == "<") return push(out, Op::kLt, 0, 0, 0, "0");  // nothing
    return push(out, Op::kAny, 0, 0, 0, {});
  }
  std::uint64_t M = to_number(x.major);
  std::uint64_t m = x.xm() ? 0 : to_number(x.minor);
  std::uint64_t p = 0;
  if (!gtlt.empty()) {
    if (gtlt == ">") {
      gtlt = ">=";
      if (x.xm()) {
        M = inc(M);
        m = 0;
      } else {
        m = inc(m);
      }
    } else if (gtlt == "<=") {
      gtlt = "<";
      if (x.xm()) {
        M = inc(M);
      } else {
        m = inc(m);
      }
    }
    if (gtlt == "<") return push(out, Op::kLt, M, m, p, "0");
    return push(out, Op::kGe, M, m, p, {});
  }
  if (x.xm()) {
    HIVESEC_TRY_STATUS(push(out, Op::kGe, M, 0, 0, {}));
    return push(out, Op::kLt, inc(M), 0, 0, "0");
  }
  HIVESEC_TRY_STATUS(push(out, Op::kGe, M, m, 0, {}));
  return push(out, Op::kLt, M, inc(m), 0, "0");
}

Status parse_token(std::string_view tok, std::vector<Comparator>& out) {
  auto invalid = [&] { return make_error(Errc::kInvalidArgument, "invalid comparator '{}'", tok); };
  if (tok.empty()) return push(out, Op::kAny, 0, 0, 0, {});
  if (tok[0] == '^' || tok[0] == '~') {
    bool caret = tok[0] == '^';
    std::string_view rest = tok.substr(1);
    if (!caret && !rest.empty() && rest[0] == '>') rest.remove_prefix(1);
    auto x = parse_partial(strip_prefix(rest));
    if (!x) return invalid();
    return caret ? desugar_caret(*x, out) : desugar_tilde(*x, out);
  }
  std::size_t n = 0;
  if (n < tok.size() && (tok[n] == '<' || tok[n] == '>')) ++n;
  if (n < tok.size() && tok[n] == '=') ++n;
  std::string_view gtlt = tok.substr(0, n);
  std::string_view body = tok.substr(n);
  auto x = parse_partial(strip_prefix(body));
  if (!x) return invalid();
  // npm rejects an x-range whose wildcard is followed by a number (`1.x.2`, `*.1`).
  if ((Partial::is_x(x->major) && !Partial::is_x(x->minor)) ||
      (Partial::is_x(x->minor) && !x->patch.empty() && !Partial::is_x(x->patch))) {
    return invalid();
  }
  if (auto st = desugar_xrange(gtlt, body, *x, out); !st.ok()) {
    return make_error(Errc::kInvalidArgument, "invalid comparator '{}': {}", tok,
                      st.error().message);
  }
  return ok_status();
}

// npm's hyphen range: the whole set is `A - B` with A and B x-range versions.
std::optional<Status> try_hyphen(std::string_view set, std::vector<Comparator>& out) {
  auto pos = set.find(" - ");
  if (pos == std::string_view::npos) return std::nullopt;
  std::string_view a = set.substr(0, pos);
  std::string_view b = set.substr(pos + 3);
  if (a.find(' ') != std::string_view::npos || b.find(' ') != std::string_view::npos) {
    return std::nullopt;
  }
  auto fa = parse_partial(strip_prefix(a));
  auto fb = parse_partial(strip_prefix(b));
  if (!fa || !fb) return std::nullopt;
  Status st = ok_status();
  if (fa->xM()) {
  } else if (fa->xm()) {
    st = push(out, Op::kGe, to_number(fa->major), 0, 0, {});
  } else if (fa->xp()) {
    st = push(out, Op::kGe, to_number(fa->major), to_number(fa->minor), 0, {});
  } else {
    st = push_exact(out, Op::kGe, a);
  }
  if (!st.ok()) return st;
  if (fb->xM()) {
  } else if (fb->xm()) {
    st = push(out, Op::kLt, inc(to_number(fb->major)), 0, 0, "0");
  } else if (fb->xp()) {
    st = push(out, Op::kLt, to_number(fb->major), inc(to_number(fb->minor)), 0, "0");
  } else if (fb->has_prerelease) {
    st = push(out, Op::kLe, to_number(fb->major), to_number(fb->minor), to_number(fb->patch),
              fb->prerelease);
  } else {
    st = push_exact(out, Op::kLe, b);
  }
  if (!st.ok()) return st;
  if (out.empty()) return push(out, Op::kAny, 0, 0, 0, {});
  return ok_status();
}

bool is_op_token(std::string_view t) {
  return t == "<" || t == "<=" || t == ">" || t == ">=" || t == "=" || t == "^" || t == "~" ||
         t == "~>";
}

Result<std::vector<Comparator>> parse_set(std::string_view set) {
  std::vector<Comparator> out;
  if (auto h = try_hyphen(set, out)) {
    HIVESEC_TRY_STATUS(std::move(*h));
  } else {
    std::vector<std::string_view> toks;
    for (auto t : split(set, ' ')) toks.push_back(t);
    // `> 1.2.3`, `^ 1.2`: an operator separated from its version by spaces.
    std::vector<std::string> merged;
    for (std::size_t i = 0; i < toks.size(); ++i) {
      if (is_op_token(toks[i]) && i + 1 < toks.size()) {
        merged.push_back(std::string(toks[i]) + std::string(toks[i + 1]));
        ++i;
      } else {
        merged.emplace_back(toks[i]);
      }
    }
    for (const auto& t : merged) {
      HIVESEC_TRY_STATUS(parse_token(t, out));
      if (out.size() > kMaxComparators) {
        return make_error(Errc::kLimit, "range has more than {} comparators", kMaxComparators);
      }
    }
  }
  for (const auto& c : out) {
    if (is_null_comparator(c)) return std::vector<Comparator>{c};
  }
  bool has_other = std::any_of(out.begin(), out.end(), [](auto& c) { return c.op != Op::kAny; });
  if (has_other) {
    out.erase(std::remove_if(out.begin(), out.end(), [](auto& c) { return c.op == Op::kAny; }),
              out.end());
  } else {
    out.resize(1);
  }
  return out;
}

bool test_set(const std::vector<Comparator>& set, const SemVer& v) {
  for (const auto& c : set) {
    if (!comparator_test(c, v)) return false;
  }
  if (v.prerelease.empty()) return true;
  for (const auto& c : set) {
    if (c.op == Op::kAny || c.v.prerelease.empty()) continue;
    if (c.v.major == v.major && c.v.minor == v.minor && c.v.patch == v.patch) return true;
  }
  return false;
}

// Removes build metadata (`+ident(.ident)*`) anywhere in the range, as npm does.
std::string strip_build(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '+') {
      std::size_t j = i + 1;
      std::size_t k = j;
      while (k < s.size() && is_ident_char(s[k])) ++k;
      if (k > j) {
        while (k + 1 < s.size() && s[k] == '.' && is_ident_char(s[k + 1])) {
          ++k;
          while (k < s.size() && is_ident_char(s[k])) ++k;
        }
        i = k;
        continue;
      }
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

std::string collapse_spaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : trim(s)) {
    if (is_space(c)) {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace

Result<SemVer> parse_semver_strict(std::string_view s) {
  if (s.size() > kSemVerMaxLength) {
    return make_error(Errc::kLimit, "version longer than {} characters", kSemVerMaxLength);
  }
  SemVer v;
  auto plus = s.find('+');
  if (plus != std::string_view::npos) {
    HIVESEC_TRY_STATUS(check_build(s.substr(plus + 1)));
    v.build = std::string(s.substr(plus + 1));
    s = s.substr(0, plus);
  }
  auto dash = s.find('-');
  if (dash != std::string_view::npos) {
    HIVESEC_TRY_STATUS(parse_prerelease(s.substr(dash + 1), v.prerelease));
    s = s.substr(0, dash);
  }
  auto parts = split(s, '.');
  if (parts.size() != 3) {
    return make_error(Errc::kInvalidArgument, "expected MAJOR.MINOR.PATCH, got {} parts",
                      parts.size());
  }
  HIVESEC_TRY(v.major, parse_component(parts[0], "major"));
  HIVESEC_TRY(v.minor, parse_component(parts[1], "minor"));
  HIVESEC_TRY(v.patch, parse_component(parts[2], "patch"));
  return v;
}

Result<SemVer> parse_semver(std::string_view text) {
  if (text.size() > kSemVerMaxLength) {
    return make_error(Errc::kLimit, "version longer than {} characters", kSemVerMaxLength);
  }
  std::string_view s = trim(text);
  if (!s.empty() && s[0] == '=') s.remove_prefix(1);
  if (!s.empty() && s[0] == 'v') s.remove_prefix(1);
  if (s.empty()) return make_error(Errc::kInvalidArgument, "empty version");
  return parse_semver_strict(s);
}

int compare_semver_prerelease(const std::vector<std::string>& a,
                              const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) {
    if (a.empty() && b.empty()) return 0;
    return a.empty() ? 1 : -1;
  }
  std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (int c = compare_identifier(a[i], b[i]); c != 0) return c;
  }
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

int compare_semver(const SemVer& a, const SemVer& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  return compare_semver_prerelease(a.prerelease, b.prerelease);
}

Result<bool> npm_range_satisfies(std::string_view range, std::string_view version) {
  if (range.size() > kMaxRangeLength) {
    return make_error(Errc::kLimit, "range longer than {} characters", kMaxRangeLength);
  }
  HIVESEC_TRY(auto v, parse_semver(version));
  std::string raw = strip_build(collapse_spaces(range));
  std::vector<std::vector<Comparator>> sets;
  std::size_t total = 0;
  std::string_view rest = raw;
  for (;;) {
    auto pos = rest.find("||");
    std::string_view part = trim(rest.substr(0, pos));
    HIVESEC_TRY(auto set, parse_set(part));
    total += set.size();
    if (total > kMaxComparators) {
      return make_error(Errc::kLimit, "range has more than {} comparators", kMaxComparators);
    }
    sets.push_back(std::move(set));
    if (pos == std::string_view::npos) break;
    rest.remove_prefix(pos + 2);
  }
  // npm: with several sets, a set that is just `*` replaces them all.
  if (sets.size() > 1) {
    for (const auto& s : sets) {
      if (s.size() == 1 && s[0].op == Op::kAny) return test_set(s, v);
    }
  }
  for (const auto& s : sets) {
    if (test_set(s, v)) return true;
  }
  return false;
}

std::unique_ptr<Scheme> make_semver_scheme() {
  return std::make_unique<ParsedScheme<parse_semver, compare_semver>>("semver");
}

}  // namespace hivesec::versions
