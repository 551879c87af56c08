// RubyGems versions (Gem::Version). Valid strings match Gem::Version's anchored pattern:
// optional surrounding whitespace around [0-9]+(\.[0-9A-Za-z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?
// (a blank string is version "0"). Every '-' reads as ".pre."; the string is then cut into runs
// of digits and runs of letters ("1.0.a10" -> 1, 0, "a", 10). Trailing zeros are dropped from
// the numeric head and from the tail after the first string segment; missing segments are 0;
// a string segment sorts below any number (prerelease); strings compare byte-wise.
#include <algorithm>
#include <vector>

#include "versions/builtins.h"
#include "versions/parsed_scheme.h"

namespace hivesec::versions {
namespace {

constexpr std::size_t kMaxLength = 256;

struct Segment {
  bool numeric = false;
  std::string text;  // numbers: leading zeros stripped ("0" for zero)
  bool is_zero() const { return numeric && text == "0"; }
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Gem::Version::ANCHORED_VERSION_PATTERN on the trimmed string.
Status check_pattern(std::string_view s) {
  if (s.empty()) return ok_status();
  std::size_t i = 0;
  if (!is_digit(s[0])) return make_error(Errc::kInvalidArgument, "version must start with a digit");
  while (i < s.size() && is_digit(s[i])) ++i;
  while (i < s.size() && s[i] == '.') {
    std::size_t start = ++i;
    while (i < s.size() && is_alnum(s[i])) ++i;
    if (i == start) return make_error(Errc::kInvalidArgument, "empty version segment");
  }
  if (i < s.size() && s[i] == '-') {
    for (;;) {
      std::size_t start = ++i;  // skips the '-' or '.'
      while (i < s.size() && (is_alnum(s[i]) || s[i] == '-')) ++i;
      if (i == start) return make_error(Errc::kInvalidArgument, "empty prerelease segment");
      if (i < s.size() && s[i] == '.') continue;
      break;
    }
  }
  if (i != s.size()) {
    return make_error(Errc::kInvalidArgument, "unexpected character in version");
  }
  return ok_status();
}

Result<std::vector<Segment>> parse(std::string_view raw) {
  if (raw.size() > kMaxLength) {
    return make_error(Errc::kLimit, "version longer than {} characters", kMaxLength);
  }
  std::string_view s = trim(raw);
  HIVESEC_TRY_STATUS(check_pattern(s));
  // '-' becomes ".pre."; since '.' only separates, that is a "pre" segment in its place.
  std::vector<Segment> segs;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '-') {
      segs.push_back(Segment{false, "pre"});
      ++i;
    } else if (is_digit(s[i])) {
      std::size_t start = i;
      while (i < s.size() && is_digit(s[i])) ++i;
      std::string_view n = s.substr(start, i - start);
      while (n.size() > 1 && n[0] == '0') n.remove_prefix(1);
      segs.push_back(Segment{true, std::string(n)});
    } else if (is_alpha(s[i])) {
      std::size_t start = i;
      while (i < s.size() && is_alpha(s[i])) ++i;
      segs.push_back(Segment{false, std::string(s.substr(start, i - start))});
    } else {
      ++i;  // '.'
    }
  }
  if (segs.empty()) segs.push_back(Segment{true, "0"});  // blank version is "0"
  // canonical_segments: drop trailing zeros of the numeric head and of the string tail.
  auto first_str =
      std::find_if(segs.begin(), segs.end(), [](const Segment& g) { return !g.numeric; });
  std::vector<Segment> head(segs.begin(), first_str);
  std::vector<Segment> tail(first_str, segs.end());
  while (!head.empty() && head.back().is_zero()) head.pop_back();
  while (!tail.empty() && tail.back().is_zero()) tail.pop_back();
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

int compare_parsed(const std::vector<Segment>& a, const std::vector<Segment>& b) {
  static const Segment kZero{true, "0"};
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const Segment& x = i < a.size() ? a[i] : kZero;
    const Segment& y = i < b.size() ? b[i] : kZero;
    if (x.numeric != y.numeric) return x.numeric ? 1 : -1;
    if (x.numeric && x.text.size() != y.text.size()) return x.text.size() < y.text.size() ? -1 : 1;
    int c = x.text.compare(y.text);
    if (c != 0) return c < 0 ? -1 : 1;
  }
  return 0;
}

}  // namespace

std::unique_ptr<Scheme> make_gem_scheme() {
  return std::make_unique<ParsedScheme<parse, compare_parsed>>("gem");
}

}  // namespace hivesec::versions
