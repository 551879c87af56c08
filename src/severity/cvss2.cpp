// CVSS v2.0 (FIRST, "A Complete Guide to the Common Vulnerability Scoring System Version 2.0",
// section 3.2.1): the base equation. Temporal and environmental metrics are validated only.
#include <algorithm>

#include "severity/cvss_internal.h"

namespace hivesec::severity::detail {
namespace {

// Value lists; the index of a value is its code, and the weight arrays follow the same order.
constexpr std::string_view kAV[] = {"L", "A", "N"};
constexpr double kAVWeight[] = {0.395, 0.646, 1.0};
constexpr std::string_view kAC[] = {"H", "M", "L"};
constexpr double kACWeight[] = {0.35, 0.61, 0.71};
constexpr std::string_view kAu[] = {"M", "S", "N"};
constexpr double kAuWeight[] = {0.45, 0.56, 0.704};
constexpr std::string_view kImpact[] = {"N", "P", "C"};
constexpr double kImpactWeight[] = {0.0, 0.275, 0.660};

constexpr std::string_view kE[] = {"U", "POC", "F", "H", "ND"};
constexpr std::string_view kRL[] = {"OF", "TF", "W", "U", "ND"};
constexpr std::string_view kRC[] = {"UC", "UR", "C", "ND"};
constexpr std::string_view kCDP[] = {"N", "L", "LM", "MH", "H", "ND"};
constexpr std::string_view kTD[] = {"N", "L", "M", "H", "ND"};
constexpr std::string_view kReq[] = {"L", "M", "H", "ND"};

// Positions in kSpecs of the base metrics.
enum Base { kAccessVector, kAccessComplexity, kAuthentication, kConf, kInteg, kAvail };
constexpr MetricSpec kSpecs[] = {
    {"AV", kAV, true},    {"AC", kAC, true},    {"Au", kAu, true},  {"C", kImpact, true},
    {"I", kImpact, true}, {"A", kImpact, true}, {"E", kE, false},   {"RL", kRL, false},
    {"RC", kRC, false},   {"CDP", kCDP, false}, {"TD", kTD, false}, {"CR", kReq, false},
    {"IR", kReq, false},  {"AR", kReq, false},
};

}  // namespace

Result<double> score_v2(std::string_view body) {
  auto parsed = parse_metrics(body, kSpecs);
  if (!parsed.ok()) return std::move(parsed).error();
  const MetricCodes& m = *parsed;

  const double impact =
      10.41 * (1 - (1 - kImpactWeight[m[kConf]]) * (1 - kImpactWeight[m[kInteg]]) *
                       (1 - kImpactWeight[m[kAvail]]));
  const double exploitability = 20 * kAVWeight[m[kAccessVector]] * kACWeight[m[kAccessComplexity]] *
                                kAuWeight[m[kAuthentication]];
  const double f_impact = impact == 0 ? 0 : 1.176;
  const double base = ((0.6 * impact) + (0.4 * exploitability) - 1.5) * f_impact;
  return std::clamp(js_round(base * 10) / 10, 0.0, 10.0);
}

}  // namespace hivesec::severity::detail
