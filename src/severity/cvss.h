// CVSS base-score calculators: rate a vulnerability from the CVSS vector its advisory carries
// when there is no vendor rating.
//
// Supported: CVSS v2.0 ("AV:N/AC:L/Au:N/C:P/I:P/A:P", optionally in parentheses), v3.0
// ("CVSS:3.0/..."), v3.1 ("CVSS:3.1/...") and v4.0 ("CVSS:4.0/..."), each scored as FIRST's
// specification for that version says (one file per version: cvss2.cpp, cvss3.cpp, cvss4.cpp).
//
// Thread-safety: every function here is pure and reentrant. Scoring does not allocate on success.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "model/finding.h"

namespace hivesec::severity {

struct CvssScore {
  std::string version;       // "2.0", "3.0", "3.1", "4.0"
  double base_score = 0;     // 0.0 .. 10.0, a multiple of 0.1, rounded as the version's spec says
  model::Severity severity;  // rating_for(version, base_score)
};

// Longest vector accepted, in bytes (after nothing: the limit applies to the raw input).
inline constexpr std::size_t kMaxCvssVectorBytes = 1024;

// Detects the version from the vector and scores it.
//  - v2, v3.x: the BASE score. Temporal and environmental metrics are validated but do not change
//    the result.
//  - v4.0: CVSS-BTE with the metrics given (omitted threat/environmental metrics count as Not
//    Defined), which is the CVSS-B base score when only base metrics are given. Supplemental
//    metrics are validated and ignored, as the spec says.
// Metrics may appear in any order (see cvss.cpp for why v4 is read leniently too). Surrounding
// ASCII whitespace is ignored.
// Errors: kInvalidArgument with a one-line reason naming the offending metric, for an unknown
// metric, a bad value, a metric given twice, a missing base metric, an unknown or missing version
// prefix, a malformed component, or a vector longer than kMaxCvssVectorBytes.
Result<CvssScore> score_cvss(std::string_view vector);

// Qualitative rating of `score` for a CVSS `version` ("2.0", "3.0", "3.1", "4.0"):
//  - v3.x/v4.0 (FIRST's scale): 0.0 -> kUnknown ("None"), 0.1-3.9 kLow, 4.0-6.9 kMedium,
//    7.0-8.9 kHigh, 9.0-10.0 kCritical.
//  - v2.0 (NVD's convention; v2 itself defines no scale): 0.0-3.9 kLow, 4.0-6.9 kMedium,
//    7.0-10.0 kHigh.
// Each band starts at its lower bound (a score of 3.95 is kLow). An unknown version, a negative
// score, a score above 10 or NaN gives kUnknown.
model::Severity rating_for(std::string_view version, double score);

}  // namespace hivesec::severity
