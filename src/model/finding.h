// Finding: one problem on one asset; the single currency of hivesec (DESIGN §1).
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hivesec::model {

enum class Severity { kUnknown = 0, kLow, kMedium, kHigh, kCritical };
const char* severity_name(Severity s);
std::optional<Severity> parse_severity(std::string_view s);

enum class FindingKind {
  kVulnerability,
  kSecret,
  kMalware,
  kMisconfig,
  kSensitiveFile,
  kWeakPassword,
  kRuntime,
  kNetwork,
  kAdmission,
  kAudit
};
const char* finding_kind_name(FindingKind k);

struct Evidence {
  std::string path;
  std::string layer;
  int line = 0;
  std::string package;  // purl
  std::string match;    // masked where it is a secret
  std::map<std::string, std::string> extra;
};

// How a vulnerability can be remediated in the package that has it.
enum class FixStatus {
  kUnknown = 0,
  kFixed,     // a fixed version exists (upgrade to one of fixed_versions)
  kNotFixed,  // affected, no fixed version published yet
  kWontFix    // the vendor said it will not fix (e.g. a distro's "ignored" / "no-dsa")
};
const char* fix_status_name(FixStatus s);  // "fixed", "not-fixed", "wont-fix", "unknown"
std::optional<FixStatus> parse_fix_status(std::string_view s);

// One CVSS rating found for a vulnerability (computed from its vector by src/severity).
struct CvssRating {
  std::string version;  // "2.0", "3.0", "3.1", "4.0"
  std::string vector;   // as published ("CVSS:3.1/AV:N/...")
  double base_score = -1;  // -1 when the vector could not be scored
  Severity severity = Severity::kUnknown;
  std::string source;  // who published it ("GHSA-xxxx", "PYSEC-...": the advisory carrying it)
};

// Facts only vulnerability findings have. Absent on other kinds.
struct VulnDetail {
  std::string package_name;       // the installed package (binary name for OS packages)
  std::string package_type;       // purl type ("deb", "npm", "golang", ...)
  std::string installed_version;  // the version that was compared
  std::string ecosystem;          // OSV ecosystem matched ("Debian:12", "npm", "Go")
  std::string matched_name;       // name looked up (the source package for OS packages)
  std::vector<std::string> advisories;  // ids of every advisory record merged into this finding
  std::vector<std::string> fixed_versions;  // ascending; empty when none
  FixStatus status = FixStatus::kUnknown;
  std::string severity_source;  // "Debian", "GHSA", "CVSS_V3", ... "" when unknown
  std::vector<CvssRating> cvss;
  std::string published;  // RFC 3339, earliest of the merged records, "" when unknown
  std::string modified;   // RFC 3339, latest of the merged records
  std::vector<std::string> references;  // URLs
};

struct Finding {
  FindingKind kind = FindingKind::kVulnerability;
  std::string rule_id;               // advisory id, rule id, check id
  std::vector<std::string> aliases;  // other ids naming the same problem
  Severity severity = Severity::kUnknown;
  std::string title;
  std::string asset_id;
  Evidence evidence;
  std::string remediation;
  std::vector<std::string> attack;  // ATT&CK technique ids
  std::string first_seen;           // RFC 3339
  std::string last_seen;
  std::optional<VulnDetail> vuln;  // kind == kVulnerability only
};

void to_json(nlohmann::json& j, const Finding& f);
void from_json(const nlohmann::json& j, Finding& f);

}  // namespace hivesec::model
