#include "suppress/purl_match.h"

#include <array>

#include "suppress/input.h"

namespace hivesec::suppress {
namespace {

// purl types whose namespace and name are case-insensitive (purl-spec type definitions).
constexpr std::array<std::string_view, 14> kCaseInsensitiveTypes = {
    "alpm", "apk", "bitbucket", "bitnami", "composer", "deb",  "github",
    "hex",  "npm", "nuget",     "oci",     "pub",      "pypi", "qpkg"};

bool case_insensitive(std::string_view type) {
  for (std::string_view t : kCaseInsensitiveTypes) {
    if (t == type) return true;
  }
  return false;
}

}  // namespace

std::string normalized_package_name(std::string_view type, std::string_view name) {
  if (!case_insensitive(type)) return std::string(name);
  std::string out = ascii_lower(name);
  if (type == "pypi") {
    // PEP 503: runs of '-', '_' and '.' are one '-'.
    std::string norm;
    for (char c : out) {
      bool sep = c == '-' || c == '_' || c == '.';
      if (sep) {
        if (norm.empty() || norm.back() != '-') norm.push_back('-');
      } else {
        norm.push_back(c);
      }
    }
    out = std::move(norm);
  }
  return out;
}

bool purl_matches(const model::Purl& pattern, const model::Purl& actual) {
  if (pattern.type != actual.type) return false;
  const std::string& type = actual.type;
  if (normalized_package_name(type, pattern.name) != normalized_package_name(type, actual.name)) {
    return false;
  }
  bool ns_equal = case_insensitive(type) ? iequals(pattern.namespace_, actual.namespace_)
                                         : pattern.namespace_ == actual.namespace_;
  if (!ns_equal) return false;
  return pattern.version.empty() || pattern.version == actual.version;
}

}  // namespace hivesec::suppress
