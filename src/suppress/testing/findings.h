// Builders of Finding values for the suppression tests.
#pragma once

#include <string>
#include <vector>

#include "model/finding.h"

namespace hivesec::suppress::testing {

inline model::Finding vuln(std::string id, std::string purl, std::string package_name,
                           std::string version, std::vector<std::string> aliases = {},
                           model::Severity sev = model::Severity::kHigh,
                           model::FixStatus status = model::FixStatus::kFixed) {
  model::Finding f;
  f.kind = model::FindingKind::kVulnerability;
  f.rule_id = std::move(id);
  f.aliases = std::move(aliases);
  f.severity = sev;
  f.evidence.package = std::move(purl);
  model::VulnDetail d;
  d.package_name = std::move(package_name);
  d.installed_version = std::move(version);
  d.status = status;
  f.vuln = std::move(d);
  return f;
}

inline model::Finding secret(std::string rule, std::string path) {
  model::Finding f;
  f.kind = model::FindingKind::kSecret;
  f.rule_id = std::move(rule);
  f.severity = model::Severity::kCritical;
  f.evidence.path = std::move(path);
  return f;
}

}  // namespace hivesec::suppress::testing
