// PEP 440: a hand-written parser equivalent to packaging's VERSION_PATTERN (no regex, bounded).
#include "versions/pep440.h"

#include <algorithm>
#include <optional>

#include "versions/builtins.h"
#include "versions/parsed_scheme.h"

namespace hivesec::versions {
namespace {

constexpr std::size_t kMaxLength = 1024;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum_lower(char c) { return is_digit(c) || (c >= 'a' && c <= 'z'); }
bool is_sep(char c) { return c == '-' || c == '_' || c == '.'; }
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string strip_zeros(std::string_view digits) {
  while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
  return std::string(digits);
}

int cmp_num(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return pos_ >= s_.size(); }
  char peek(std::size_t off = 0) const {
    return pos_ + off < s_.size() ? lower(s_[pos_ + off]) : 0;
  }
  std::size_t pos() const { return pos_; }
  void reset(std::size_t p) { pos_ = p; }
  bool eat_word(std::string_view w) {
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (peek(i) != w[i]) return false;
    }
    pos_ += w.size();
    return true;
  }
  bool eat_sep() {
    if (is_sep(peek())) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::optional<std::string_view> digits() {
    std::size_t start = pos_;
    while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    if (start == pos_) return std::nullopt;
    return s_.substr(start, pos_ - start);
  }
  std::string_view rest() const { return s_.substr(std::min(pos_, s_.size())); }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

// Parses `[sep]? word [sep]? digits?`, with the longest matching word of `words`.
bool parse_suffix(Cursor& c, std::initializer_list<std::string_view> words, std::string& word,
                  std::string& num) {
  std::size_t start = c.pos();
  c.eat_sep();
  for (auto w : words) {
    if (c.eat_word(w)) {
      word = std::string(w);
      // A separator without a number stays consumed ("1.0a.", "1.0a.dev1"): packaging's pattern
      // accepts it, and the next part's own separator is optional.
      c.eat_sep();
      if (auto d = c.digits()) {
        num = strip_zeros(*d);
      } else {
        num.assign(1, '0');  // not `= "0"`: g++ 12 -O2 raises a false -Wrestrict on it
      }
      return true;
    }
  }
  c.reset(start);
  return false;
}

struct Parsed {
  Pep440Version v;
  bool wildcard = false;  // trailing ".*" right after the release (specifiers only)
};

Result<Parsed> parse_impl(std::string_view text, bool allow_wildcard) {
  if (text.size() > kMaxLength) {
    return make_error(Errc::kLimit, "version longer than {} characters", kMaxLength);
  }
  std::string_view s = trim(text);
  if (s.empty()) return make_error(Errc::kInvalidArgument, "empty version");
  Cursor c(s);
  Parsed out;
  auto& v = out.v;
  if (c.peek() == 'v') c.reset(1);
  std::size_t start = c.pos();
  auto first = c.digits();
  if (!first) return make_error(Errc::kInvalidArgument, "version must start with a number");
  if (c.peek() == '!') {
    v.epoch = strip_zeros(*first);
    c.reset(c.pos() + 1);
    start = c.pos();
    first = c.digits();
    if (!first) return make_error(Errc::kInvalidArgument, "missing release after epoch");
  }
  (void)start;
  v.release.push_back(strip_zeros(*first));
  while (c.peek() == '.' && is_digit(c.peek(1))) {
    c.reset(c.pos() + 1);
    v.release.push_back(strip_zeros(*c.digits()));
  }
  if (allow_wildcard && c.rest() == ".*") {
    out.wildcard = true;
    return out;
  }
  std::string word, num;
  if (parse_suffix(c, {"preview", "alpha", "beta", "pre", "rc", "a", "b", "c"}, word, num)) {
    v.pre_kind = word == "alpha" || word == "a" ? 'a' : word == "beta" || word == "b" ? 'b' : 'c';
    v.pre_num = num;
  }
  {
    std::size_t p = c.pos();
    if (c.peek() == '-' && is_digit(c.peek(1))) {
      c.reset(p + 1);
      v.has_post = true;
      v.post_num = strip_zeros(*c.digits());
    } else if (parse_suffix(c, {"post", "rev", "r"}, word, num)) {
      v.has_post = true;
      v.post_num = num;
    }
  }
  if (parse_suffix(c, {"dev"}, word, num)) {
    v.has_dev = true;
    v.dev_num = num;
  }
  if (c.peek() == '+') {
    c.reset(c.pos() + 1);
    std::string_view rest = c.rest();
    std::string seg;
    for (char ch : rest) {
      char l = lower(ch);
      if (is_sep(l)) {
        if (seg.empty()) return make_error(Errc::kInvalidArgument, "empty local segment");
        v.local.push_back(std::move(seg));
        seg.clear();
      } else if (is_alnum_lower(l)) {
        seg.push_back(l);
      } else {
        return make_error(Errc::kInvalidArgument, "invalid character in local version");
      }
    }
    if (seg.empty()) return make_error(Errc::kInvalidArgument, "empty local segment");
    v.local.push_back(std::move(seg));
    c.reset(s.size());
  }
  if (!c.done()) {
    return make_error(Errc::kInvalidArgument, "unexpected '{}' in version", c.rest());
  }
  return out;
}

// Local segments: numeric above alphanumeric, numbers by value, strings lexically.
int compare_local(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    bool an = std::all_of(a[i].begin(), a[i].end(), is_digit);
    bool bn = std::all_of(b[i].begin(), b[i].end(), is_digit);
    int c;
    if (an && bn) {
      c = cmp_num(strip_zeros(a[i]), strip_zeros(b[i]));
    } else if (an != bn) {
      c = an ? 1 : -1;
    } else {
      c = a[i].compare(b[i]);
      c = c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    if (c != 0) return c;
  }
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

Pep440Version public_of(Pep440Version v) {
  v.local.clear();
  return v;
}

Pep440Version base_of(const Pep440Version& v) {
  Pep440Version b;
  b.epoch = v.epoch;
  b.release = v.release;
  return b;
}

// Segments as packaging's _version_split of the canonical public form.
std::vector<std::string> split_segments(const Pep440Version& v) {
  std::vector<std::string> out{v.epoch};
  for (const auto& r : v.release) out.push_back(r);
  if (v.pre_kind)
    out.push_back((v.pre_kind == 'c' ? std::string("rc") : std::string(1, v.pre_kind)) + v.pre_num);
  if (v.has_post) out.push_back("post" + v.post_num);
  if (v.has_dev) out.push_back("dev" + v.dev_num);
  return out;
}

bool prefix_match(const Pep440Version& item, const Pep440Version& spec_release_only) {
  auto spec = split_segments(spec_release_only);
  auto mine = split_segments(public_of(item));
  // Pad the numeric leading part (epoch + release) of the candidate with zeros.
  std::size_t my_num = 1 + item.release.size();
  std::size_t spec_num = 1 + spec_release_only.release.size();
  if (spec_num > my_num)
    mine.insert(mine.begin() + static_cast<std::ptrdiff_t>(my_num), spec_num - my_num, "0");
  if (mine.size() < spec.size()) return false;
  return std::equal(spec.begin(), spec.end(), mine.begin());
}

struct Spec {
  std::string op;
  std::string raw;  // version text after the operator
  Pep440Version v;
  bool wildcard = false;
  bool allows_prerelease = false;
};

Result<Spec> parse_spec(std::string_view text) {
  Spec sp;
  for (std::string_view op : {"===", "~=", "==", "!=", "<=", ">=", "<", ">"}) {
    if (text.substr(0, op.size()) == op) {
      sp.op = std::string(op);
      break;
    }
  }
  if (sp.op.empty())
    return make_error(Errc::kInvalidArgument, "specifier '{}' lacks an operator", text);
  std::string_view rest = trim(text.substr(sp.op.size()));
  sp.raw = std::string(rest);
  auto invalid = [&](std::string_view why) {
    return make_error(Errc::kInvalidArgument, "invalid specifier '{}': {}", text, why);
  };
  if (sp.op == "===") {
    if (rest.empty()) return invalid("empty version");
    for (char ch : rest) {
      if (is_space(ch) || ch == ';' || ch == ')') return invalid("bad character");
    }
    auto p = parse_impl(rest, false);
    if (!p.ok()) return invalid(p.error().message);  // packaging needs it for the prerelease test
    sp.allows_prerelease = p->v.is_prerelease();
    return sp;
  }
  bool eq = sp.op == "==" || sp.op == "!=";
  auto p = parse_impl(rest, eq);
  if (!p.ok()) return invalid(p.error().message);
  sp.v = p->v;
  sp.wildcard = p->wildcard;
  if (!sp.v.local.empty() && !eq) return invalid("local version not allowed");
  if (sp.op == "~=" && sp.v.release.size() < 2) return invalid("~= needs two release segments");
  if (sp.op == "==" || sp.op == ">=" || sp.op == "<=" || sp.op == "~=") {
    sp.allows_prerelease = sp.v.is_prerelease();
  }
  return sp;
}

bool spec_contains(const Spec& sp, const Pep440Version& item) {
  if (sp.op == "===")
    return item.to_string() == [&] {
      std::string l;
      for (char ch : sp.raw) l.push_back(lower(ch));
      return l;
    }();
  if (sp.op == "==" || sp.op == "!=") {
    bool eq;
    if (sp.wildcard) {
      eq = prefix_match(item, sp.v);
    } else if (!sp.v.local.empty()) {
      eq = compare_pep440(item, sp.v) == 0;
    } else {
      eq = compare_pep440(public_of(item), sp.v) == 0;
    }
    return sp.op == "==" ? eq : !eq;
  }
  if (sp.op == "~=") {
    if (compare_pep440(public_of(item), sp.v) < 0) return false;
    Pep440Version prefix = base_of(sp.v);
    prefix.release.pop_back();
    return prefix_match(item, prefix);
  }
  Pep440Version pub = public_of(item);
  if (sp.op == "<=") return compare_pep440(pub, sp.v) <= 0;
  if (sp.op == ">=") return compare_pep440(pub, sp.v) >= 0;
  if (sp.op == "<") {
    if (compare_pep440(item, sp.v) >= 0) return false;
    if (!sp.v.is_prerelease() && item.is_prerelease() &&
        compare_pep440(base_of(item), base_of(sp.v)) == 0) {
      return false;
    }
    return true;
  }
  // ">"
  if (compare_pep440(item, sp.v) <= 0) return false;
  if (!sp.v.has_post && item.has_post && compare_pep440(base_of(item), base_of(sp.v)) == 0) {
    return false;
  }
  if (!item.local.empty() && compare_pep440(base_of(item), base_of(sp.v)) == 0) return false;
  return true;
}

}  // namespace

std::string Pep440Version::to_string() const {
  std::string s;
  if (epoch != "0") s += epoch + "!";
  for (std::size_t i = 0; i < release.size(); ++i) {
    if (i) s += ".";
    s += release[i];
  }
  if (pre_kind) s += (pre_kind == 'c' ? std::string("rc") : std::string(1, pre_kind)) + pre_num;
  if (has_post) s += ".post" + post_num;
  if (has_dev) s += ".dev" + dev_num;
  for (std::size_t i = 0; i < local.size(); ++i) s += (i ? "." : "+") + local[i];
  return s;
}

Result<Pep440Version> parse_pep440(std::string_view text) {
  HIVESEC_TRY(auto p, parse_impl(text, false));
  return std::move(p.v);
}

int compare_pep440(const Pep440Version& a, const Pep440Version& b) {
  if (int c = cmp_num(a.epoch, b.epoch); c != 0) return c;
  // Release with trailing zeros ignored.
  std::size_t na = a.release.size(), nb = b.release.size();
  while (na > 0 && a.release[na - 1] == "0") --na;
  while (nb > 0 && b.release[nb - 1] == "0") --nb;
  for (std::size_t i = 0; i < std::min(na, nb); ++i) {
    if (int c = cmp_num(a.release[i], b.release[i]); c != 0) return c;
  }
  if (na != nb) return na < nb ? -1 : 1;
  // Pre: a dev release of a final sorts below its prereleases; no pre sorts above all.
  auto pre_rank = [](const Pep440Version& v) {
    if (!v.pre_kind && !v.has_post && v.has_dev) return 0;
    if (!v.pre_kind) return 2;
    return 1;
  };
  int ra = pre_rank(a), rb = pre_rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 1) {
    if (a.pre_kind != b.pre_kind) return a.pre_kind < b.pre_kind ? -1 : 1;
    if (int c = cmp_num(a.pre_num, b.pre_num); c != 0) return c;
  }
  if (a.has_post != b.has_post) return a.has_post ? 1 : -1;
  if (a.has_post) {
    if (int c = cmp_num(a.post_num, b.post_num); c != 0) return c;
  }
  if (a.has_dev != b.has_dev) return a.has_dev ? -1 : 1;
  if (a.has_dev) {
    if (int c = cmp_num(a.dev_num, b.dev_num); c != 0) return c;
  }
  if (a.local.empty() != b.local.empty()) return a.local.empty() ? -1 : 1;
  return compare_local(a.local, b.local);
}

Result<bool> pep440_satisfies(std::string_view specifiers, std::string_view version) {
  if (specifiers.size() > kMaxLength) {
    return make_error(Errc::kLimit, "specifier set longer than {} characters", kMaxLength);
  }
  HIVESEC_TRY(auto item, parse_pep440(version));
  std::vector<Spec> specs;
  std::string_view rest = specifiers;
  for (;;) {
    auto pos = rest.find(',');
    auto part = trim(rest.substr(0, pos));
    if (!part.empty()) {
      HIVESEC_TRY(auto sp, parse_spec(part));
      specs.push_back(std::move(sp));
    }
    if (pos == std::string_view::npos) break;
    rest.remove_prefix(pos + 1);
  }
  bool prereleases =
      std::any_of(specs.begin(), specs.end(), [](const Spec& s) { return s.allows_prerelease; });
  if (item.is_prerelease() && !prereleases) return false;
  for (const auto& sp : specs) {
    if (!spec_contains(sp, item)) return false;
  }
  return true;
}

std::unique_ptr<Scheme> make_pep440_scheme() {
  return std::make_unique<ParsedScheme<parse_pep440, compare_pep440>>("pep440");
}

}  // namespace hivesec::versions
