// The catalogue of image-configuration checks (scanner "config"): each check's metadata, read
// from rules/config/image-checks.yaml (compiled in). The logic lives in per-target registries
// (layer_checks.h, image_checks.h, dockerfile_checks.h); builtin_catalogue() (checks.h) ties
// the two and fails when they disagree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/finding.h"

namespace hivesec::config {

// Where a check's code runs.
enum class Target { kLayer, kImage, kDockerfile };
const char* target_name(Target t);  // "layer", "image", "dockerfile"

struct CheckMeta {
  std::string id;  // "HS-IMG-001"
  std::string cis;  // CIS Docker Benchmark v1.6.0 recommendation ("4.1"), "" when none
  std::string title;
  model::Severity severity = model::Severity::kLow;
  std::string description;
  std::string remediation;
  std::vector<Target> targets;

  bool has_target(Target t) const;
};

// "CIS-DOCKER-4.1": the alias format for CIS Docker Benchmark recommendations.
std::string cis_alias(std::string_view cis);

class Catalogue {
 public:
  // Parses the YAML text. kInvalidArgument "<name>: <reason>" for malformed YAML, a missing
  // field, a bad severity or target, a duplicate id. Never throws.
  static Result<Catalogue> parse(std::string_view yaml, std::string_view name);

  const std::vector<CheckMeta>& all() const { return checks_; }
  const CheckMeta* find(std::string_view id) const;  // nullptr when unknown

  // A finding of this check: kind misconfig, rule_id, aliases (CIS), title, severity,
  // remediation. Callers add evidence and may refine title or severity.
  model::Finding finding(std::string_view id) const;

 private:
  std::vector<CheckMeta> checks_;
};

}  // namespace hivesec::config
