// The catalogue of Kubernetes manifest checks: each check's metadata (title, severity, the
// standards it maps to, rationale, fix), read from rules/config/kubernetes.yaml (compiled in).
// The logic is one function per id in k8s_checks.cpp; builtin_k8s_catalogue() verifies that
// the two agree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/finding.h"

namespace hivesec::config {

// The standards `config scan --standard` selects by.
enum class K8sStandard { kAll, kBaseline, kRestricted, kNsa, kCis };
// "baseline", "restricted", "nsa", "cis"; kInvalidArgument for anything else ("" is kAll).
Result<K8sStandard> parse_k8s_standard(std::string_view s);

struct K8sCheckMeta {
  std::string id;  // "HS-K8S-001"
  std::string title;
  model::Severity severity = model::Severity::kLow;
  std::string pss_level;    // "baseline", "restricted" or "" (no Pod Security Standards control)
  std::string pss_control;  // "Privileged Containers"
  std::string nsa;          // NSA/CISA hardening guide section, "" when none
  std::vector<std::string> cis;  // CIS Kubernetes Benchmark numbers ("5.2.2")
  std::string description;
  std::string remediation;

  // Whether the check belongs to the standard: restricted includes baseline (the profile is
  // cumulative); kAll matches every check.
  bool in_standard(K8sStandard s) const;
};

// "CIS-K8S-5.2.2": the alias format for CIS Kubernetes Benchmark recommendations.
std::string cis_k8s_alias(std::string_view cis);

class K8sCatalogue {
 public:
  // Parses the YAML text. kInvalidArgument "<name>: <reason>" for malformed YAML, a missing
  // field, a bad severity or PSS level, a duplicate id. Never throws.
  static Result<K8sCatalogue> parse(std::string_view yaml, std::string_view name);

  const std::vector<K8sCheckMeta>& all() const { return checks_; }
  const K8sCheckMeta* find(std::string_view id) const;  // nullptr when unknown

  // A finding of this check: kind misconfig, rule_id, aliases (CIS-K8S-*), title, severity,
  // remediation, and the mappings in evidence.extra ("pss", "nsa", "cis"). Callers add the
  // location and refine the title.
  model::Finding finding(std::string_view id) const;

 private:
  std::vector<K8sCheckMeta> checks_;
};

// The bundled catalogue, parsed and verified against the check registry once (thread-safe).
// An error is a bug in the bundled data or code (kInternal).
Result<const K8sCatalogue*> builtin_k8s_catalogue();

// Every catalogue id has a registered function and every function a catalogue entry;
// kInternal naming the first mismatch.
Status verify_k8s_registry(const K8sCatalogue& catalogue);

}  // namespace hivesec::config
