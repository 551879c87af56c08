#include "suppress/ignore_file.h"

#include <array>

#include "suppress/dates.h"
#include "suppress/input.h"
#include "suppress/purl_match.h"

namespace hivesec::suppress {
namespace {

// Types that make "pkg:TYPE/..." a purl rather than a package name.
constexpr std::array<std::string_view, 33> kPurlTypes = {
    "alpm",     "apk",    "bitbucket", "bitnami", "cargo",   "cocoapods", "composer",
    "conan",    "conda",  "cpan",      "cran",    "deb",     "docker",    "gem",
    "generic",  "github", "gitlab",    "golang",  "hackage", "hex",       "huggingface",
    "luarocks", "maven",  "mlflow",    "npm",     "nuget",   "oci",       "pub",
    "pypi",     "qpkg",   "rpm",       "swid",    "swift"};

bool is_purl_type(std::string_view t) {
  for (std::string_view k : kPurlTypes) {
    if (iequals(k, t)) return true;
  }
  return false;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_space(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool has_control(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

struct LineParser {
  std::string_view source;
  int line;

  template <typename... Args>
  Error fail(fmt::format_string<Args...> f, Args&&... args) const {
    return make_error(Errc::kInvalidArgument, "{}:{}: {}", source, line,
                      fmt::format(f, std::forward<Args>(args)...));
  }

  // Splits off a trailing comment, then the whitespace-separated tokens.
  Result<std::optional<IgnoreEntry>> parse(std::string_view text) const {
    IgnoreEntry e;
    e.source = std::string(source);
    e.line = line;
    std::vector<std::string_view> tokens;
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && is_space(text[i])) ++i;
      if (i >= text.size()) break;
      if (text[i] == '#') {
        e.comment = std::string(trim(text.substr(i + 1)));
        break;
      }
      size_t j = i;
      while (j < text.size() && !is_space(text[j])) ++j;
      tokens.push_back(text.substr(i, j - i));
      i = j;
    }
    if (tokens.empty()) return std::optional<IgnoreEntry>();
    for (std::string_view t : tokens) {
      if (has_control(t)) return fail("control character in '{}'", shown(t));
    }

    e.id = std::string(tokens[0]);
    for (std::string_view prefix : {"exp:", "pkg:", "path:"}) {
      if (tokens[0].starts_with(prefix)) {
        return fail("entry starts with '{}' but must start with a finding id", shown(tokens[0]));
      }
    }
    bool seen_exp = false, seen_pkg = false;
    for (size_t k = 1; k < tokens.size(); ++k) {
      std::string_view t = tokens[k];
      size_t colon = t.find(':');
      if (colon == std::string_view::npos) {
        return fail("unexpected '{}' after the id (one id per line; fields are exp:, pkg:, path:)",
                    shown(t));
      }
      std::string_view key = t.substr(0, colon);
      std::string_view value = t.substr(colon + 1);
      if (value.empty()) return fail("'{}:' needs a value", shown(key));
      if (key == "exp") {
        if (seen_exp) return fail("exp: given twice");
        seen_exp = true;
        auto day = parse_date(value);
        if (!day) return fail("invalid date '{}' in exp: (want YYYY-MM-DD)", shown(value));
        e.expires = std::string(value);
        e.expires_day = *day;
      } else if (key == "pkg") {
        if (seen_pkg) return fail("pkg: given twice");
        seen_pkg = true;
        HIVESEC_TRY_STATUS(parse_package(value, e));
      } else if (key == "path") {
        if (e.path) return fail("path: given twice");
        auto g = Glob::compile(value);
        if (!g.ok()) return fail("path: {}", g.error().message);
        e.path = std::move(*g);
      } else {
        return fail("unknown field '{}:' (fields are exp:, pkg:, path:)", shown(key));
      }
    }
    return std::optional<IgnoreEntry>(std::move(e));
  }

  Status parse_package(std::string_view value, IgnoreEntry& e) const {
    bool explicit_purl = value.starts_with("pkg:");
    size_t slash = value.find('/');
    bool typed = slash != std::string_view::npos && is_purl_type(value.substr(0, slash));
    if (explicit_purl || typed) {
      auto p = model::parse_purl(explicit_purl ? std::string(value) : "pkg:" + std::string(value));
      if (!p.ok()) return fail("pkg: {}", p.error().message);
      e.package = std::move(*p);
    } else {
      e.package_name = std::string(value);
    }
    return ok_status();
  }
};

bool id_matches(std::string_view id, const model::Finding& f) {
  if (iequals(id, f.rule_id)) return true;
  for (const auto& a : f.aliases) {
    if (iequals(id, a)) return true;
  }
  if (f.vuln) {
    for (const auto& a : f.vuln->advisories) {
      if (iequals(id, a)) return true;
    }
  }
  return false;
}

bool name_matches(std::string_view want, const model::Finding& f) {
  if (f.vuln && !want.empty() && (want == f.vuln->package_name || want == f.vuln->matched_name)) {
    return true;
  }
  if (f.evidence.package.empty()) return false;
  auto p = model::parse_purl(f.evidence.package);
  if (!p.ok()) return false;
  std::string full = p->namespace_.empty() ? p->name : p->namespace_ + "/" + p->name;
  for (const std::string& have : {p->name, full}) {
    if (want == have) return true;
    if (normalized_package_name(p->type, want) == normalized_package_name(p->type, have)) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool IgnoreEntry::matches(const model::Finding& f) const {
  if (!id_matches(id, f)) return false;
  if (package) {
    if (f.evidence.package.empty()) return false;
    auto actual = model::parse_purl(f.evidence.package);
    if (!actual.ok() || !purl_matches(*package, *actual)) return false;
  }
  if (!package_name.empty() && !name_matches(package_name, f)) return false;
  if (path && (f.evidence.path.empty() || !path->matches(f.evidence.path))) return false;
  return true;
}

std::string IgnoreEntry::where() const { return fmt::format("{}:{}", source, line); }

Result<IgnoreFile> parse_ignore_file(std::string_view content, std::string_view source) {
  IgnoreFile out;
  out.source = std::string(source);
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  int line = 0;
  size_t i = 0;
  while (i < content.size()) {
    size_t j = content.find('\n', i);
    if (j == std::string_view::npos) j = content.size();
    std::string_view text = content.substr(i, j - i);
    i = j + 1;
    ++line;
    if (text.ends_with('\r')) text.remove_suffix(1);
    if (text.size() > kMaxIgnoreLineLength) {
      return make_error(Errc::kInvalidArgument, "{}:{}: line longer than {} bytes", source, line,
                        kMaxIgnoreLineLength);
    }
    LineParser p{source, line};
    HIVESEC_TRY(std::optional<IgnoreEntry> e, p.parse(text));
    if (e) out.entries.push_back(std::move(*e));
  }
  return out;
}

Result<IgnoreFile> load_ignore_file(const std::string& path) {
  auto content = read_input_file(path);
  if (!content.ok()) return std::move(content).error().wrap("ignore file");
  return parse_ignore_file(*content, path);
}

}  // namespace hivesec::suppress
