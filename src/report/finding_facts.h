// What several report writers say about a finding in the same way (private to src/report): who
// publishes an advisory id, which fixed version to recommend, the id people search for, and how
// findings sort. Every function is pure and thread-safe; inputs may be hostile (any bytes).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"

namespace hivesec::report {

// Who publishes an advisory id and where to read it, from the id's prefix:
// CVE- NVD, GHSA- GitHub, GO- Go, DSA-/DLA- Debian, PYSEC- PyPA, anything else OSV.
// The url embeds the id percent-encoded, so it is a valid URI for any id.
struct AdvisorySource {
  std::string name;
  std::string url;
};
AdvisorySource advisory_source(std::string_view id);

// Percent-encodes every byte outside RFC 3986 "unreserved" and the characters in `keep`.
std::string percent_encode(std::string_view s, std::string_view keep = "");

// True for an absolute http(s) URL holding nothing a URI may not contain (spaces, controls,
// quotes, <>, brackets, a second '#', bad %-escapes, non-ASCII): safe to emit where a schema wants
// format "uri" or in an href.
bool is_web_url(std::string_view s);

// True for an RFC 3339 date-time with a time zone ("2024-01-02T03:04:05Z", ".5+02:00").
bool is_rfc3339(std::string_view s);

// The fixed version to recommend: the lowest of fixed_versions above installed_version when the
// package type has a known version scheme and every version parses, else the first (lowest)
// fixed version; "" when there is none.
std::string recommended_fix(const model::VulnDetail& v);

// The id people search for: the first CVE among rule_id and aliases, else the first alias,
// else "". Never equal to rule_id.
std::string headline_alias(const model::Finding& f);

// Higher = worse; kCritical > kHigh > kMedium > kLow > kUnknown.
int severity_rank(model::Severity s);

// The CVSS base score that agrees with the finding's severity (the newest CVSS version whose
// severity equals it), or -1 when none does (severity set by a vendor, or no score).
double matching_cvss_score(const model::Finding& f);

// The package a finding is about, for people: vuln.package_name, else the purl's name, else "".
std::string finding_package_name(const model::Finding& f);

// findings in report order: severity (worst first), then package name, id, path. Stable.
std::vector<const model::Finding*> sorted_findings(const std::vector<model::Finding>& findings);

}  // namespace hivesec::report
