// How a hivesec severity is expressed in SARIF 2.1.0, shared by the scan report and the
// benchmark report: the result level and GitHub's "security-severity" number.
#pragma once

#include "model/finding.h"

namespace hivesec::report {

// "error" (critical, high), "warning" (medium), "note" (low, unknown).
const char* sarif_level(model::Severity s);

// GitHub ranks security alerts by this number: >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium,
// 0.1-3.9 low. A representative value of each band; -1 for unknown (no number to give).
double sarif_security_score(model::Severity s);

}  // namespace hivesec::report
