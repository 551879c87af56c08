// CVSS v3.0 and v3.1 (FIRST, "CVSS v3.x: Specification Document", section 7): base, temporal
// and environmental equations. The two minor versions differ only in
//  - Roundup: v3.1 rounds through an integer so that floating error cannot push an exact tenth
//    up (Appendix A); v3.0 is "the smallest tenth >= x", i.e. ceil(x * 10) / 10 as FIRST's v3.0
//    calculator computes it, floating error included;
//  - the Scope-changed modified impact: v3.1 uses (MISS * 0.9731 - 0.02)^13 where v3.0 (like the
//    base impact) uses (MISS - 0.02)^15.
// The arithmetic follows the order of FIRST's calculators so that v3.0 results match them.
#include <algorithm>
#include <cmath>

#include "severity/cvss_internal.h"

namespace hivesec::severity::detail {
namespace {

// Value lists: a value's index is its code. Each modified metric lists "X" first and then the
// values of its base metric in the same order, so (modified code - 1) is a base code.
constexpr std::string_view kAV[] = {"N", "A", "L", "P"};
constexpr std::string_view kAC[] = {"L", "H"};
constexpr std::string_view kPR[] = {"N", "L", "H"};
constexpr std::string_view kUI[] = {"N", "R"};
constexpr std::string_view kS[] = {"U", "C"};
constexpr std::string_view kCIA[] = {"H", "L", "N"};
constexpr std::string_view kE[] = {"X", "U", "P", "F", "H"};
constexpr std::string_view kRL[] = {"X", "O", "T", "W", "U"};
constexpr std::string_view kRC[] = {"X", "U", "R", "C"};
constexpr std::string_view kReq[] = {"X", "L", "M", "H"};
constexpr std::string_view kMAV[] = {"X", "N", "A", "L", "P"};
constexpr std::string_view kMAC[] = {"X", "L", "H"};
constexpr std::string_view kMPR[] = {"X", "N", "L", "H"};
constexpr std::string_view kMUI[] = {"X", "N", "R"};
constexpr std::string_view kMS[] = {"X", "U", "C"};
constexpr std::string_view kMCIA[] = {"X", "H", "L", "N"};

constexpr double kAVWeight[] = {0.85, 0.62, 0.55, 0.2};
constexpr double kACWeight[] = {0.77, 0.44};
constexpr double kPRWeight[2][3] = {{0.85, 0.62, 0.27},  // Scope Unchanged
                                    {0.85, 0.68, 0.5}};  // Scope Changed
constexpr double kUIWeight[] = {0.85, 0.62};
constexpr double kCIAWeight[] = {0.56, 0.22, 0.0};
constexpr double kEWeight[] = {1, 0.91, 0.94, 0.97, 1};
constexpr double kRLWeight[] = {1, 0.95, 0.96, 0.97, 1};
constexpr double kRCWeight[] = {1, 0.92, 0.96, 1};
constexpr double kReqWeight[] = {1, 0.5, 1, 1.5};
constexpr int kScopeChanged = 1;

enum Metric {
  kAv,
  kAc,
  kPr,
  kUi,
  kScope,
  kConf,
  kInteg,
  kAvail,
  kExploit,
  kRemediation,
  kReport,
  kConfReq,
  kIntegReq,
  kAvailReq,
  kModAv,
  kModAc,
  kModPr,
  kModUi,
  kModScope,
  kModConf,
  kModInteg,
  kModAvail
};
constexpr MetricSpec kSpecs[] = {
    {"AV", kAV, true},    {"AC", kAC, true},    {"PR", kPR, true},    {"UI", kUI, true},
    {"S", kS, true},      {"C", kCIA, true},    {"I", kCIA, true},    {"A", kCIA, true},
    {"E", kE, false},     {"RL", kRL, false},   {"RC", kRC, false},   {"CR", kReq, false},
    {"IR", kReq, false},  {"AR", kReq, false},  {"MAV", kMAV, false}, {"MAC", kMAC, false},
    {"MPR", kMPR, false}, {"MUI", kMUI, false}, {"MS", kMS, false},   {"MC", kMCIA, false},
    {"MI", kMCIA, false}, {"MA", kMCIA, false},
};

// Code of a base metric as modified by its environmental twin (Not Defined keeps the base value).
int effective(const MetricCodes& m, Metric base, Metric modified) {
  return m[modified] > 0 ? m[modified] - 1 : m[base];
}

// An absent optional metric weighs as Not Defined (code 0).
int optional_code(const MetricCodes& m, Metric metric) { return m[metric] < 0 ? 0 : m[metric]; }

}  // namespace

double roundup_v31(double x) {
  const double int_input = js_round(x * 100000);
  if (std::fmod(int_input, 10000) == 0) return int_input / 100000.0;
  return (std::floor(int_input / 10000) + 1) / 10.0;
}

double roundup_v30(double x) { return std::ceil(x * 10) / 10; }

Result<Cvss3Scores> score_v3(std::string_view body, int minor) {
  auto parsed = parse_metrics(body, kSpecs);
  if (!parsed.ok()) return std::move(parsed).error();
  const MetricCodes& m = *parsed;
  double (*const roundup)(double) = minor == 0 ? &roundup_v30 : &roundup_v31;

  Cvss3Scores out;

  // Base.
  const bool changed = m[kScope] == kScopeChanged;
  const double exploitability =
      8.22 * kAVWeight[m[kAv]] * kACWeight[m[kAc]] * kPRWeight[changed][m[kPr]] * kUIWeight[m[kUi]];
  const double iss =
      1 - ((1 - kCIAWeight[m[kConf]]) * (1 - kCIAWeight[m[kInteg]]) * (1 - kCIAWeight[m[kAvail]]));
  const double impact =
      changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  if (impact > 0) {
    out.base = changed ? roundup(std::min((exploitability + impact) * 1.08, 10.0))
                       : roundup(std::min(exploitability + impact, 10.0));
  }

  // Temporal.
  const double e = kEWeight[optional_code(m, kExploit)];
  const double rl = kRLWeight[optional_code(m, kRemediation)];
  const double rc = kRCWeight[optional_code(m, kReport)];
  out.temporal = roundup(out.base * e * rl * rc);

  // Environmental.
  const bool mod_changed = effective(m, kScope, kModScope) == kScopeChanged;
  const double mod_exploitability =
      8.22 * kAVWeight[effective(m, kAv, kModAv)] * kACWeight[effective(m, kAc, kModAc)] *
      kPRWeight[mod_changed][effective(m, kPr, kModPr)] * kUIWeight[effective(m, kUi, kModUi)];
  const double miss = std::min(1 - ((1 - kCIAWeight[effective(m, kConf, kModConf)] *
                                             kReqWeight[optional_code(m, kConfReq)]) *
                                    (1 - kCIAWeight[effective(m, kInteg, kModInteg)] *
                                             kReqWeight[optional_code(m, kIntegReq)]) *
                                    (1 - kCIAWeight[effective(m, kAvail, kModAvail)] *
                                             kReqWeight[optional_code(m, kAvailReq)])),
                               0.915);
  double mod_impact = 6.42 * miss;
  if (mod_changed) {
    mod_impact = minor == 0 ? 7.52 * (miss - 0.029) - 3.25 * std::pow(miss - 0.02, 15)
                            : 7.52 * (miss - 0.029) - 3.25 * std::pow(miss * 0.9731 - 0.02, 13);
  }
  if (mod_impact > 0) {
    const double sum = mod_changed ? std::min(1.08 * (mod_impact + mod_exploitability), 10.0)
                                   : std::min(mod_impact + mod_exploitability, 10.0);
    out.environmental = roundup(roundup(sum) * e * rl * rc);
  }
  return out;
}

}  // namespace hivesec::severity::detail
