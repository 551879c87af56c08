#include "report/license.h"

#include <array>
#include <cctype>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hivesec::report {

namespace {

constexpr std::size_t kMaxExpression = 4096;
constexpr int kMaxDepth = 32;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

using Index = std::unordered_map<std::string, std::string>;

Index build_index(const std::string_view* ids, std::size_t n) {
  Index idx;
  idx.reserve(n);
  for (std::size_t i = 0; i < n; ++i) idx.emplace(lower(ids[i]), std::string(ids[i]));
  return idx;
}

const Index& license_index() {
  static const Index idx = [] {
    Index i = build_index(kSpdxLicenseIds, kSpdxLicenseIdCount);
    // Debian copyright short names and other common spellings that are not list ids.
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kAliases{{
        {"gpl-1", "GPL-1.0-only"},
        {"gpl-1+", "GPL-1.0-or-later"},
        {"gpl-2", "GPL-2.0-only"},
        {"gpl-2+", "GPL-2.0-or-later"},
        {"gpl-3", "GPL-3.0-only"},
        {"gpl-3+", "GPL-3.0-or-later"},
        {"lgpl-2", "LGPL-2.0-only"},
        {"lgpl-2+", "LGPL-2.0-or-later"},
        {"lgpl-2.1", "LGPL-2.1-only"},
        {"lgpl-2.1+", "LGPL-2.1-or-later"},
        {"lgpl-3", "LGPL-3.0-only"},
        {"lgpl-3+", "LGPL-3.0-or-later"},
        {"agpl-3", "AGPL-3.0-only"},
        {"agpl-3+", "AGPL-3.0-or-later"},
        {"expat", "MIT"},
        {"apache-2", "Apache-2.0"},
        {"apache2", "Apache-2.0"},
        {"mpl-2", "MPL-2.0"},
        {"bsd-2", "BSD-2-Clause"},
        {"bsd-3", "BSD-3-Clause"},
        {"gfdl-1.2+", "GFDL-1.2-or-later"},
        {"gfdl-1.3+", "GFDL-1.3-or-later"},
        {"psf", "PSF-2.0"},
        {"zlib-license", "Zlib"},
    }};
    for (const auto& [from, to] : kAliases) i.insert_or_assign(std::string(from), std::string(to));
    return i;
  }();
  return idx;
}

const Index& exception_index() {
  static const Index idx = build_index(kSpdxExceptionIds, kSpdxExceptionIdCount);
  return idx;
}

bool is_idstring_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}

bool is_idstring(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_idstring_char(c)) return false;
  }
  return true;
}

bool is_license_ref(std::string_view s) {
  constexpr std::string_view kRef = "LicenseRef-";
  constexpr std::string_view kDoc = "DocumentRef-";
  if (s.starts_with(kDoc)) {
    auto colon = s.find(':');
    if (colon == std::string_view::npos || !is_idstring(s.substr(kDoc.size(), colon - kDoc.size())))
      return false;
    s.remove_prefix(colon + 1);
  }
  return s.starts_with(kRef) && is_idstring(s.substr(kRef.size()));
}

enum class Tok { kOpen, kClose, kAnd, kOr, kWith, kTerm };

struct Token {
  Tok kind;
  std::string_view text;
};

bool tokenize(std::string_view s, std::vector<Token>& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (c == '(' || c == ')') {
      out.push_back({c == '(' ? Tok::kOpen : Tok::kClose, s.substr(i, 1)});
      ++i;
    } else {
      std::size_t j = i;
      while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' &&
             s[j] != '(' && s[j] != ')') {
        ++j;
      }
      std::string_view w = s.substr(i, j - i);
      std::string lw = lower(w);
      Tok k = lw == "and"    ? Tok::kAnd
              : lw == "or"   ? Tok::kOr
              : lw == "with" ? Tok::kWith
                             : Tok::kTerm;
      out.push_back({k, w});
      i = j;
    }
  }
  return !out.empty();
}

class Parser {
 public:
  Parser(const std::vector<Token>& toks, const LicenseLeafMapper& leaf) : t_(toks), leaf_(leaf) {}

  std::optional<std::string> run() {
    auto r = parse_or(0);
    if (!r || pos_ != t_.size()) return std::nullopt;
    return r;
  }

 private:
  bool at(Tok k) const { return pos_ < t_.size() && t_[pos_].kind == k; }

  std::optional<std::string> parse_or(int depth) {
    auto lhs = parse_and(depth);
    if (!lhs) return std::nullopt;
    while (at(Tok::kOr)) {
      ++pos_;
      auto rhs = parse_and(depth);
      if (!rhs) return std::nullopt;
      *lhs += " OR " + *rhs;
    }
    return lhs;
  }

  std::optional<std::string> parse_and(int depth) {
    auto lhs = parse_with(depth);
    if (!lhs) return std::nullopt;
    while (at(Tok::kAnd)) {
      ++pos_;
      auto rhs = parse_with(depth);
      if (!rhs) return std::nullopt;
      *lhs += " AND " + *rhs;
    }
    return lhs;
  }

  std::optional<std::string> parse_with(int depth) {
    if (at(Tok::kOpen)) {
      if (depth >= kMaxDepth) return std::nullopt;
      ++pos_;
      auto inner = parse_or(depth + 1);
      if (!inner || !at(Tok::kClose)) return std::nullopt;
      ++pos_;
      return "(" + *inner + ")";
    }
    if (!at(Tok::kTerm)) return std::nullopt;
    auto term = leaf_(t_[pos_].text);
    ++pos_;
    if (!term) return std::nullopt;
    if (at(Tok::kWith)) {
      ++pos_;
      if (!at(Tok::kTerm)) return std::nullopt;
      auto ex = canonical_exception_id(t_[pos_].text);
      ++pos_;
      if (!ex) return std::nullopt;
      *term += " WITH " + *ex;
    }
    return term;
  }

  const std::vector<Token>& t_;
  const LicenseLeafMapper& leaf_;
  std::size_t pos_ = 0;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> canonical_license_id(std::string_view s) {
  const Index& idx = license_index();
  if (auto it = idx.find(lower(s)); it != idx.end()) return it->second;
  return std::nullopt;
}

std::optional<std::string> canonical_exception_id(std::string_view s) {
  const Index& idx = exception_index();
  if (auto it = idx.find(lower(s)); it != idx.end()) return it->second;
  return std::nullopt;
}

std::optional<std::string> known_license_leaf(std::string_view term) {
  if (is_license_ref(term)) return std::string(term);
  if (auto id = canonical_license_id(term)) return id;
  // "Apache-2.0+": the "+" operator on a listed id.
  if (term.size() > 1 && term.back() == '+') {
    if (auto id = canonical_license_id(term.substr(0, term.size() - 1))) {
      if (!id->ends_with("-or-later") && !id->ends_with("-only") && !id->ends_with("+")) {
        return *id + "+";
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> normalize_license_expression(std::string_view expr,
                                                        const LicenseLeafMapper& leaf) {
  if (expr.size() > kMaxExpression) return std::nullopt;
  std::vector<Token> toks;
  if (!tokenize(expr, toks)) return std::nullopt;
  return Parser(toks, leaf).run();
}

ClassifiedLicense classify_license(std::string_view s) {
  s = trim(s);
  if (auto id = canonical_license_id(s)) return {LicenseKind::kId, *id};
  if (auto e = normalize_license_expression(s, known_license_leaf)) {
    // A lone LicenseRef or "Apache-2.0+" is still an expression, not a list id.
    return {LicenseKind::kExpression, *e};
  }
  return {LicenseKind::kName, std::string(s)};
}

bool is_compound_expression(std::string_view expr) {
  return expr.find(' ') != std::string_view::npos;
}

std::string spdx_idstring(std::string_view s, std::size_t max_len) {
  std::string out;
  for (char c : s) {
    if (out.size() >= max_len) break;
    if (is_idstring_char(c)) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.empty()) out = "unknown";
  return out;
}

}  // namespace hivesec::report
