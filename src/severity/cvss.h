// Interim interface: the CVSS calculators land from the cvss branch; until then every vector
// is reported unscored (kUnsupported) and severities come from vendor ratings only.
#pragma once
#include <string>
#include <string_view>
#include "common/result.h"
#include "model/finding.h"
namespace hivesec::severity {
struct CvssScore {
  std::string version;
  double base_score = 0;
  model::Severity severity = model::Severity::kUnknown;
};
Result<CvssScore> score_cvss(std::string_view vector);
model::Severity rating_for(std::string_view version, double score);
}  // namespace hivesec::severity
