// Private to src/severity: the metric-table parser every CVSS version shares, and the
// per-version scorers that cvss.cpp dispatches to. Tests use these directly to reach sub-scores
// the public API does not return.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "common/result.h"

namespace hivesec::severity::detail {

// One metric a version defines: its abbreviation, its allowed values (the index of a value in
// `values` is the code the parser reports) and whether a vector must carry it.
struct MetricSpec {
  std::string_view name;
  std::span<const std::string_view> values;
  bool mandatory;
};

inline constexpr std::size_t kMaxMetrics = 32;  // v4.0 defines 32, the most of any version
inline constexpr std::int8_t kAbsent = -1;

// Value codes of a parsed vector, indexed like the spec table it was parsed with.
using MetricCodes = std::array<std::int8_t, kMaxMetrics>;

// Parses "M:V/M:V/..." (the vector without its version prefix) against `specs`
// (specs.size() <= kMaxMetrics). Metrics may come in any order; each at most once; every
// mandatory one must be present. An empty `body` has no metrics. Does not allocate on success.
// Errors: kInvalidArgument, one line, naming the metric ("metric AV has invalid value 'Q'").
Result<MetricCodes> parse_metrics(std::string_view body, std::span<const MetricSpec> specs);

// Quotes untrusted text for an error message: at most 24 bytes, non-printable bytes as '?'.
std::string quote_for_error(std::string_view text);

// JavaScript's Math.round (ties towards +infinity), which FIRST's reference calculators use.
double js_round(double x);

// --- per-version scorers: `body` is the vector without its version prefix ---

// CVSS v2.0 base score. `body` has no parentheses.
Result<double> score_v2(std::string_view body);

struct Cvss3Scores {
  double base = 0;
  double temporal = 0;
  double environmental = 0;
};
// CVSS v3.x base, temporal and environmental scores; minor is 0 (v3.0) or 1 (v3.1).
Result<Cvss3Scores> score_v3(std::string_view body, int minor);
// v3.1 Roundup (spec Appendix A) and v3.0 round up (ceil to one decimal, as FIRST's v3.0
// calculator computes it, floating error included).
double roundup_v31(double x);
double roundup_v30(double x);

// CVSS v4.0 score (CVSS-B/BT/BE/BTE depending on the metrics given).
Result<double> score_v4(std::string_view body);
// The macrovector (EQ1..EQ6 as six digits, e.g. "002201") of a valid v4.0 vector; for tests.
Result<std::array<char, 6>> macrovector_v4(std::string_view body);

// --- v4.0 data from the specification (cvss4_table.cpp) ---

// Score of the macrovector eq1..eq6, or a negative value when the macrovector does not exist
// (a digit out of range, or EQ3=2 with EQ6=0).
double cvss4_macrovector_score(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6);
// Number of macrovectors with a score (270 in the v4.0 specification).
int cvss4_macrovector_count();

// The highest-severity vectors of one EQ level, each written "AV:N/PR:N/UI:N"; empty for a level
// that does not exist.
using Cvss4MaxVectors = std::span<const std::string_view>;
Cvss4MaxVectors cvss4_max_vectors_eq1(int eq1);
Cvss4MaxVectors cvss4_max_vectors_eq2(int eq2);
Cvss4MaxVectors cvss4_max_vectors_eq3eq6(int eq3, int eq6);
Cvss4MaxVectors cvss4_max_vectors_eq4(int eq4);
// Depth of each EQ level in severity-distance steps of 0.1 (the "max severity" data).
int cvss4_max_severity_eq1(int eq1);
int cvss4_max_severity_eq2(int eq2);
int cvss4_max_severity_eq3eq6(int eq3, int eq6);
int cvss4_max_severity_eq4(int eq4);

}  // namespace hivesec::severity::detail
