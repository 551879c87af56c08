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
};

void to_json(nlohmann::json& j, const Finding& f);

}  // namespace hivesec::model
