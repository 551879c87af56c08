// Composer versions (composer/semver VersionParser::normalize, then PHP version_compare as
// Composer's Comparator does). Accepted forms, after trimming and dropping "X as Y" aliases and
// +build metadata:
//   - classical: [v]N[.N[.N[.N]]] padded to four parts, with an optional stability modifier
//     ([._-]? then stable|beta|b|RC|alpha|a|patch|pl|p, optional numbers, optional [.-]dev);
//   - date based: [v]YYYY[sep]MM... (digit runs kept as they are);
//   - numeric branches: 1.x-dev, 2.1.*-dev (x and * read as 9999999);
//   - named branches: dev-<name>, master, trunk, default.
// Ordering: dev < alpha < beta < RC < release < patch, stability numbers after the word; named
// branches sort below every numbered version and compare with each other byte-wise.
// Limitation: composer/semver 1.x mapped master/trunk/default to 9999999-dev; here (as in
// Composer 2) they are ordinary named branches.
#include <algorithm>
#include <cstdint>
#include <re2/re2.h>

#include <string>
#include <vector>

#include "versions/builtins.h"
#include "versions/parsed_scheme.h"

namespace hivesec::versions {
namespace {

constexpr std::size_t kMaxLength = 256;
constexpr int kNumberRank = 4;  // version_compare's "#" special form

struct Token {
  bool numeric = false;
  std::uint64_t value = 0;  // numbers, saturated like strtol
  int rank = 0;             // words: dev 0, alpha 1, beta 2, RC 3, patch 5, other -6
};

struct ComposerVersion {
  bool branch = false;
  std::string branch_name;  // named branches
  std::vector<Token> tokens;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

void add_number(std::vector<Token>& out, std::string_view digits) {
  constexpr std::uint64_t kMax = INT64_MAX;
  std::uint64_t v = 0;
  for (char c : digits) {
    auto d = static_cast<std::uint64_t>(c - '0');
    v = (v > (kMax - d) / 10) ? kMax : v * 10 + d;
  }
  out.push_back(Token{true, v, 0});
}

void add_digit_runs(std::vector<Token>& out, std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (!is_digit(s[i])) {
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    add_number(out, s.substr(start, i - start));
  }
}

int word_rank(std::string_view w) {
  if (w.starts_with("dev")) return 0;
  if (w.starts_with("a")) return 1;  // alpha, a
  if (w.starts_with("b")) return 2;  // beta, b
  if (w.starts_with("RC") || w.starts_with("rc")) return 3;
  if (w.starts_with("p")) return 5;  // pl, p, patch
  return -6;
}

// Stability modifier: groups (word, numbers, dev) of the matched regex. A lower-case "stable"
// ends the version (Composer drops everything after it).
void add_modifier(std::vector<Token>& out, const std::string& word, const std::string& numbers,
                  const std::string& dev) {
  if (!word.empty()) {
    if (word == "stable") return;
    std::string w = to_lower(word);
    if (w == "a") w = "alpha";
    if (w == "b") w = "beta";
    if (w == "p" || w == "pl") w = "patch";
    if (w == "rc") w = "RC";
    out.push_back(Token{false, 0, word_rank(w)});
    add_digit_runs(out, numbers);
  }
  if (!dev.empty()) out.push_back(Token{false, 0, 0});
}

#define HIVESEC_COMPOSER_MODIFIER \
  "[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?"

// RE2, not std::regex: linear time whatever the input (std::regex backtracks exponentially on
// long digit runs against the date pattern). Case-insensitive like Composer's own patterns.
std::unique_ptr<RE2> compile(const std::string& pattern) {
  RE2::Options o;
  o.set_case_sensitive(false);
  o.set_log_errors(false);
  return std::make_unique<RE2>(pattern, o);
}

// Full match of `s`; `groups` receives every capturing group ("" when it did not take part).
bool full_match(const RE2& re, const std::string& s, std::vector<std::string>& groups) {
  const int n = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> pieces(static_cast<size_t>(n) + 1);
  if (!re.Match(s, 0, s.size(), RE2::ANCHOR_BOTH, pieces.data(), n + 1)) return false;
  groups.assign(1, s);
  for (size_t i = 1; i < pieces.size(); ++i) {
    groups.emplace_back(pieces[i].data() ? std::string(pieces[i]) : std::string());
  }
  return true;
}

Result<ComposerVersion> parse_impl(std::string_view raw) {
  static const auto kAlias = compile(R"(([^,\s]+) +as +([^,\s]+))");
  static const auto kMaster = compile("(?:dev-)?(?:master|trunk|default)");
  static const auto kMetadata = compile(R"(([^,\s+]+)\+[^\s]+)");
  static const auto kClassical =
      compile("v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?" HIVESEC_COMPOSER_MODIFIER);
  static const auto kDate = compile(
      "v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3}){0,2})" HIVESEC_COMPOSER_MODIFIER);
  static const auto kDevSuffix = compile("(.*?)[.-]?dev");
  static const auto kNumericBranch =
      compile(R"(v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?)");

  if (raw.size() > kMaxLength) {
    return make_error(Errc::kLimit, "version longer than {} characters", kMaxLength);
  }
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0' || c == '\v';
  };
  while (!raw.empty() && space(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && space(raw.back())) raw.remove_suffix(1);
  for (char c : raw) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return make_error(Errc::kInvalidArgument, "control character in version");
    }
  }
  std::string s(raw);
  if (s.empty()) return make_error(Errc::kInvalidArgument, "empty version");
  std::vector<std::string> m;
  if (full_match(*kAlias, s, m)) s = m[1];

  ComposerVersion v;
  if (full_match(*kMaster, s, m)) {
    v.branch = true;
    v.branch_name = to_lower(s.starts_with("dev-") || s.starts_with("DEV-") ? s.substr(4) : s);
    return v;
  }
  if (to_lower(s.substr(0, 4)) == "dev-") {
    v.branch = true;
    v.branch_name = s.substr(4);
    if (v.branch_name.empty()) return make_error(Errc::kInvalidArgument, "empty branch name");
    return v;
  }
  if (full_match(*kMetadata, s, m)) s = m[1];

  if (full_match(*kClassical, s, m)) {
    for (int i = 1; i <= 4; ++i) add_digit_runs(v.tokens, !m[i].empty() ? m[i] : "0");
    add_modifier(v.tokens, m[5], m[6], m[7]);
    return v;
  }
  if (full_match(*kDate, s, m)) {
    add_digit_runs(v.tokens, m[1]);
    add_modifier(v.tokens, m[2], m[3], m[4]);
    return v;
  }
  if (full_match(*kDevSuffix, s, m)) {
    std::string base = m[1];
    std::vector<std::string> b;
    if (full_match(*kNumericBranch, base, b)) {
      for (int i = 1; i <= 4; ++i) {
        std::string part = !b[i].empty() ? b[i] : ".x";
        if (part.find_first_of("xX*") != std::string::npos) {
          add_number(v.tokens, "9999999");
        } else {
          add_digit_runs(v.tokens, part);
        }
      }
      v.tokens.push_back(Token{false, 0, 0});  // -dev
      return v;
    }
  }
  return make_error(Errc::kInvalidArgument, "invalid Composer version string");
}

Result<ComposerVersion> parse(std::string_view raw) {
  try {
    return parse_impl(raw);
  } catch (const std::exception& e) {  // allocation failure; nothing else throws
    return make_error(Errc::kInvalidArgument, "version could not be parsed: {}", e.what());
  }
}

int sign(long long x) { return x < 0 ? -1 : x > 0 ? 1 : 0; }

int compare_tokens(const std::vector<Token>& a, const std::vector<Token>& b) {
  std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const Token& x = a[i];
    const Token& y = b[i];
    if (x.numeric && y.numeric) {
      if (x.value != y.value) return x.value < y.value ? -1 : 1;
      continue;
    }
    int rx = x.numeric ? kNumberRank : x.rank;
    int ry = y.numeric ? kNumberRank : y.rank;
    if (rx != ry) return sign(rx - ry);
  }
  if (a.size() > n) return a[n].numeric ? 1 : sign(a[n].rank - kNumberRank);
  if (b.size() > n) return b[n].numeric ? -1 : sign(kNumberRank - b[n].rank);
  return 0;
}

int compare_parsed(const ComposerVersion& a, const ComposerVersion& b) {
  if (a.branch || b.branch) {
    if (a.branch != b.branch) return a.branch ? -1 : 1;
    int c = a.branch_name.compare(b.branch_name);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return compare_tokens(a.tokens, b.tokens);
}

}  // namespace

std::unique_ptr<Scheme> make_composer_scheme() {
  return std::make_unique<ParsedScheme<parse, compare_parsed>>("composer");
}

}  // namespace hivesec::versions
