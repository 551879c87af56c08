// NuGet versions (NuGet.Versioning.NuGetVersion): 1 to 4 numeric parts (missing ones are 0,
// leading zeros allowed), optional -prerelease (dot-separated labels of [0-9A-Za-z-]) and
// +metadata (ignored). Labels compare case-insensitively; numeric labels by value and below
// alphanumeric ones; a release sorts above its prereleases.
#include <algorithm>
#include <vector>

#include "versions/builtins.h"
#include "versions/parsed_scheme.h"

namespace hivesec::versions {
namespace {

constexpr std::size_t kMaxLength = 256;

struct NuGetVersion {
  std::vector<std::string> parts;   // 4 numbers, leading zeros stripped
  std::vector<std::string> labels;  // lower-cased
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_label_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

std::vector<std::string_view> split_dots(std::string_view s) {
  std::vector<std::string_view> out;
  for (;;) {
    auto p = s.find('.');
    out.push_back(s.substr(0, p));
    if (p == std::string_view::npos) return out;
    s.remove_prefix(p + 1);
  }
}

Result<NuGetVersion> parse(std::string_view s) {
  if (s.size() > kMaxLength) {
    return make_error(Errc::kLimit, "version longer than {} characters", kMaxLength);
  }
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  NuGetVersion v;
  if (auto plus = s.find('+'); plus != std::string_view::npos) {
    for (auto id : split_dots(s.substr(plus + 1))) {
      if (id.empty() || !std::all_of(id.begin(), id.end(), is_label_char)) {
        return make_error(Errc::kInvalidArgument, "invalid build metadata");
      }
    }
    s = s.substr(0, plus);
  }
  if (auto dash = s.find('-'); dash != std::string_view::npos) {
    for (auto id : split_dots(s.substr(dash + 1))) {
      if (id.empty() || !std::all_of(id.begin(), id.end(), is_label_char)) {
        return make_error(Errc::kInvalidArgument, "invalid prerelease label");
      }
      std::string l(id);
      for (char& c : l) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      v.labels.push_back(std::move(l));
    }
    s = s.substr(0, dash);
  }
  auto parts = split_dots(s);
  if (parts.size() > 4) return make_error(Errc::kInvalidArgument, "more than four version parts");
  for (auto p : parts) {
    if (p.empty() || !std::all_of(p.begin(), p.end(), is_digit)) {
      return make_error(Errc::kInvalidArgument, "version parts must be numbers");
    }
    while (p.size() > 1 && p[0] == '0') p.remove_prefix(1);
    if (p.size() > 10 || (p.size() == 10 && p > "2147483647")) {
      return make_error(Errc::kInvalidArgument, "version part larger than 2^31-1");
    }
    v.parts.emplace_back(p);
  }
  while (v.parts.size() < 4) v.parts.emplace_back("0");
  return v;
}

int cmp_num(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

int compare_parsed(const NuGetVersion& a, const NuGetVersion& b) {
  for (std::size_t i = 0; i < 4; ++i) {
    if (int c = cmp_num(a.parts[i], b.parts[i])) return c;
  }
  if (a.labels.empty() || b.labels.empty()) {
    if (a.labels.empty() == b.labels.empty()) return 0;
    return a.labels.empty() ? 1 : -1;
  }
  for (std::size_t i = 0; i < std::min(a.labels.size(), b.labels.size()); ++i) {
    const auto& x = a.labels[i];
    const auto& y = b.labels[i];
    bool xn = std::all_of(x.begin(), x.end(), is_digit);
    bool yn = std::all_of(y.begin(), y.end(), is_digit);
    int c;
    if (xn && yn) {
      auto strip = [](std::string s) {
        s.erase(0, std::min(s.find_first_not_of('0'), s.size() - 1));
        return s;
      };
      c = cmp_num(strip(x), strip(y));
    } else if (xn != yn) {
      c = xn ? -1 : 1;
    } else {
      c = x.compare(y);
      c = c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    if (c != 0) return c;
  }
  return a.labels.size() < b.labels.size() ? -1 : a.labels.size() > b.labels.size() ? 1 : 0;
}

}  // namespace

std::unique_ptr<Scheme> make_nuget_scheme() {
  return std::make_unique<ParsedScheme<parse, compare_parsed>>("nuget");
}

}  // namespace hivesec::versions
