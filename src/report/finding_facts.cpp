#include "report/finding_facts.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>
#include <tuple>

#include "match/ecosystems.h"
#include "versions/scheme.h"

namespace hivesec::report {

namespace {

struct SourceRule {
  std::string_view prefix;
  std::string_view name;
  std::string_view url_base;  // the id is appended
};

// First match wins; the empty prefix is the fallback.
constexpr std::array<SourceRule, 7> kSources = {{
    {"CVE-", "NVD", "https://nvd.nist.gov/vuln/detail/"},
    {"GHSA-", "GitHub", "https://github.com/advisories/"},
    {"GO-", "Go", "https://pkg.go.dev/vuln/"},
    {"DSA-", "Debian", "https://security-tracker.debian.org/tracker/"},
    {"DLA-", "Debian", "https://security-tracker.debian.org/tracker/"},
    {"PYSEC-", "PyPA", "https://osv.dev/vulnerability/"},
    {"", "OSV", "https://osv.dev/vulnerability/"},
}};

const versions::SchemeRegistry& schemes() {
  // Built once (thread-safe static init); schemes are stateless.
  static const versions::SchemeRegistry reg = [] {
    versions::SchemeRegistry r;
    if (!versions::register_builtin_schemes(r).ok()) return versions::SchemeRegistry();
    return r;
  }();
  return reg;
}

std::string purl_name(std::string_view purl) {
  if (!purl.starts_with("pkg:")) return "";
  purl.remove_prefix(4);
  purl = purl.substr(0, purl.find_first_of("?#"));
  purl = purl.substr(0, purl.find('@'));
  auto slash = purl.rfind('/');
  if (slash == std::string_view::npos) return "";
  std::string_view enc = purl.substr(slash + 1);
  std::string out;
  for (std::size_t i = 0; i < enc.size(); ++i) {
    auto hex = [](char c) {
      return c >= '0' && c <= '9'   ? c - '0'
             : c >= 'a' && c <= 'f' ? c - 'a' + 10
             : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                    : -1;
    };
    if (enc[i] == '%' && i + 2 < enc.size() && hex(enc[i + 1]) >= 0 && hex(enc[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(enc[i + 1]) * 16 + hex(enc[i + 2])));
      i += 2;
    } else {
      out.push_back(enc[i]);
    }
  }
  return out;
}

}  // namespace

std::string percent_encode(std::string_view s, std::string_view keep) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (c != 0 && keep.find(ch) != std::string_view::npos)) {
      out.push_back(ch);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

AdvisorySource advisory_source(std::string_view id) {
  for (const auto& rule : kSources) {
    if (id.starts_with(rule.prefix)) {
      return {std::string(rule.name), std::string(rule.url_base) + percent_encode(id)};
    }
  }
  return {};  // unreachable: the last rule matches everything
}

bool is_web_url(std::string_view s) {
  if (s.size() > 2048) return false;
  if (!s.starts_with("https://") && !s.starts_with("http://")) return false;
  std::string_view rest = s.substr(s.find("://") + 3);
  if (rest.empty() || rest.front() == '/') return false;  // no host
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f) return false;
    if (std::string_view("\"<>\\^`{|}[]").find(ch) != std::string_view::npos) return false;
  }
  if (std::count(s.begin(), s.end(), '#') > 1) return false;
  // A '%' must start a valid escape (ajv's "uri" format insists).
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') continue;
    if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      return false;
    }
  }
  return true;
}

bool is_rfc3339(std::string_view s) {
  static const std::regex kRe(
      R"(^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$)");
  if (s.size() > 40) return false;
  return std::regex_match(s.begin(), s.end(), kRe);
}

std::string recommended_fix(const model::VulnDetail& v) {
  if (v.fixed_versions.empty()) return "";
  const versions::Scheme* scheme = match::scheme_for_ecosystem(schemes(), v.ecosystem);
  if (scheme == nullptr) scheme = match::scheme_for_package_type(schemes(), v.package_type);
  if (!scheme || !scheme->validate(v.installed_version).ok()) return v.fixed_versions.front();
  const std::string* best = nullptr;
  for (const auto& fixed : v.fixed_versions) {
    if (!scheme->validate(fixed).ok()) return v.fixed_versions.front();
    if (scheme->compare(fixed, v.installed_version) <= 0) continue;
    if (!best || scheme->compare(fixed, *best) < 0) best = &fixed;
  }
  return best ? *best : v.fixed_versions.front();
}

std::string headline_alias(const model::Finding& f) {
  if (f.rule_id.starts_with("CVE-")) {
    // The id is already the CVE; show another alias only if there is one.
    for (const auto& a : f.aliases) {
      if (a != f.rule_id) return a;
    }
    return "";
  }
  for (const auto& a : f.aliases) {
    if (a.starts_with("CVE-")) return a;
  }
  for (const auto& a : f.aliases) {
    if (a != f.rule_id) return a;
  }
  return "";
}

int severity_rank(model::Severity s) { return static_cast<int>(s); }

double matching_cvss_score(const model::Finding& f) {
  if (!f.vuln) return -1;
  const model::CvssRating* best = nullptr;
  for (const auto& c : f.vuln->cvss) {
    if (!(c.base_score >= 0 && c.base_score <= 10) || c.severity != f.severity)
      continue;  // NaN too
    if (!best || c.version > best->version) best = &c;
  }
  return best ? best->base_score : -1;
}

std::string finding_package_name(const model::Finding& f) {
  if (f.vuln && !f.vuln->package_name.empty()) return f.vuln->package_name;
  return purl_name(f.evidence.package);
}

std::vector<const model::Finding*> sorted_findings(const std::vector<model::Finding>& findings) {
  struct Keyed {
    const model::Finding* f;
    std::string package;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(findings.size());
  for (const auto& f : findings) keyed.push_back({&f, finding_package_name(f)});
  std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    int ra = severity_rank(a.f->severity);
    int rb = severity_rank(b.f->severity);
    return std::tie(rb, a.package, a.f->rule_id, a.f->evidence.path) <
           std::tie(ra, b.package, b.f->rule_id, b.f->evidence.path);
  });
  std::vector<const model::Finding*> out;
  out.reserve(keyed.size());
  for (const auto& k : keyed) out.push_back(k.f);
  return out;
}

}  // namespace hivesec::report
