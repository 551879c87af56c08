// CVSS v4.0 (FIRST, "CVSS v4.0 Specification Document", section 8): a vector's score is the
// score of its macrovector (its equivalence classes EQ1..EQ6, looked up in the table of
// cvss4_table.cpp) lowered by the mean, over the EQs that have a next-lower macrovector, of
//   (score - score of the next-lower macrovector) * (severity distance / depth of the EQ level),
// where the severity distance is measured from the first highest-severity vector of the level
// that the vector does not exceed. The arithmetic follows FIRST's reference calculator step by
// step (same constants, same order of operations, same rounding) so that scores match it.
#include <algorithm>

#include "severity/cvss_internal.h"

namespace hivesec::severity::detail {
namespace {

// Value lists: a value's index is its code. Environmental metrics list "X" (Not Defined) first.
constexpr std::string_view kAV[] = {"N", "A", "L", "P"};
constexpr std::string_view kAC[] = {"L", "H"};
constexpr std::string_view kAT[] = {"N", "P"};
constexpr std::string_view kPR[] = {"N", "L", "H"};
constexpr std::string_view kUI[] = {"N", "P", "A"};
constexpr std::string_view kCIA[] = {"H", "L", "N"};
constexpr std::string_view kE[] = {"X", "A", "P", "U"};
constexpr std::string_view kReq[] = {"X", "H", "M", "L"};
constexpr std::string_view kMAV[] = {"X", "N", "A", "L", "P"};
constexpr std::string_view kMAC[] = {"X", "L", "H"};
constexpr std::string_view kMAT[] = {"X", "N", "P"};
constexpr std::string_view kMPR[] = {"X", "N", "L", "H"};
constexpr std::string_view kMUI[] = {"X", "N", "P", "A"};
constexpr std::string_view kMCIA[] = {"X", "H", "L", "N"};
constexpr std::string_view kMSafety[] = {"X", "S", "H", "L", "N"};  // MSI, MSA add Safety
constexpr std::string_view kS[] = {"X", "N", "P"};
constexpr std::string_view kAU[] = {"X", "N", "Y"};
constexpr std::string_view kR[] = {"X", "A", "U", "I"};
constexpr std::string_view kV[] = {"X", "D", "C"};
constexpr std::string_view kRE[] = {"X", "L", "M", "H"};
constexpr std::string_view kU[] = {"X", "Clear", "Green", "Amber", "Red"};

// Table 23 order: base, threat, environmental, supplemental.
enum Metric {
  kAv,
  kAc,
  kAt,
  kPr,
  kUi,
  kVc,
  kVi,
  kVa,
  kSc,
  kSi,
  kSa,
  kExploit,
  kCr,
  kIr,
  kAr,
  kMav,
  kMac,
  kMat,
  kMpr,
  kMui,
  kMvc,
  kMvi,
  kMva,
  kMsc,
  kMsi,
  kMsa
};
constexpr MetricSpec kSpecs[] = {
    {"AV", kAV, true},        {"AC", kAC, true},        {"AT", kAT, true},
    {"PR", kPR, true},        {"UI", kUI, true},        {"VC", kCIA, true},
    {"VI", kCIA, true},       {"VA", kCIA, true},       {"SC", kCIA, true},
    {"SI", kCIA, true},       {"SA", kCIA, true},       {"E", kE, false},
    {"CR", kReq, false},      {"IR", kReq, false},      {"AR", kReq, false},
    {"MAV", kMAV, false},     {"MAC", kMAC, false},     {"MAT", kMAT, false},
    {"MPR", kMPR, false},     {"MUI", kMUI, false},     {"MVC", kMCIA, false},
    {"MVI", kMCIA, false},    {"MVA", kMCIA, false},    {"MSC", kMCIA, false},
    {"MSI", kMSafety, false}, {"MSA", kMSafety, false}, {"S", kS, false},
    {"AU", kAU, false},       {"R", kR, false},         {"V", kV, false},
    {"RE", kRE, false},       {"U", kU, false},
};
static_assert(std::size(kSpecs) == kMaxMetrics);

// The metric values that scoring uses, after environmental overrides and defaults; one letter.
struct Effective {
  char av, ac, at, pr, ui, vc, vi, va, sc, si, sa, e, cr, ir, ar;
};

char letter(const MetricCodes& m, Metric metric) { return kSpecs[metric].values[m[metric]][0]; }

// A modified metric that is given and not X overrides its base metric.
char overridden(const MetricCodes& m, Metric base, Metric modified) {
  return m[modified] > 0 ? letter(m, modified) : letter(m, base);
}

// Not Defined threat and security requirements take their worst case (E:A, CR/IR/AR:H).
char defaulted(const MetricCodes& m, Metric metric, char worst) {
  return m[metric] > 0 ? letter(m, metric) : worst;
}

Effective effective_values(const MetricCodes& m) {
  return Effective{
      overridden(m, kAv, kMav), overridden(m, kAc, kMac), overridden(m, kAt, kMat),
      overridden(m, kPr, kMpr), overridden(m, kUi, kMui), overridden(m, kVc, kMvc),
      overridden(m, kVi, kMvi), overridden(m, kVa, kMva), overridden(m, kSc, kMsc),
      overridden(m, kSi, kMsi), overridden(m, kSa, kMsa), defaulted(m, kExploit, 'A'),
      defaulted(m, kCr, 'H'),   defaulted(m, kIr, 'H'),   defaulted(m, kAr, 'H'),
  };
}

struct Macrovector {
  int eq[6];
};

Macrovector macrovector_of(const Effective& v) {
  Macrovector mv{};
  // EQ1: AV/PR/UI.
  if (v.av == 'N' && v.pr == 'N' && v.ui == 'N') {
    mv.eq[0] = 0;
  } else if ((v.av == 'N' || v.pr == 'N' || v.ui == 'N') && v.av != 'P') {
    mv.eq[0] = 1;
  } else {
    mv.eq[0] = 2;
  }
  // EQ2: AC/AT.
  mv.eq[1] = (v.ac == 'L' && v.at == 'N') ? 0 : 1;
  // EQ3: VC/VI/VA.
  if (v.vc == 'H' && v.vi == 'H') {
    mv.eq[2] = 0;
  } else if (v.vc == 'H' || v.vi == 'H' || v.va == 'H') {
    mv.eq[2] = 1;
  } else {
    mv.eq[2] = 2;
  }
  // EQ4: SC/SI/SA, with Safety (MSI:S or MSA:S) the highest level.
  if (v.si == 'S' || v.sa == 'S') {
    mv.eq[3] = 0;
  } else if (v.sc == 'H' || v.si == 'H' || v.sa == 'H') {
    mv.eq[3] = 1;
  } else {
    mv.eq[3] = 2;
  }
  // EQ5: E.
  mv.eq[4] = v.e == 'A' ? 0 : v.e == 'P' ? 1 : 2;
  // EQ6: security requirements against the vulnerable-system impacts.
  mv.eq[5] =
      ((v.cr == 'H' && v.vc == 'H') || (v.ir == 'H' && v.vi == 'H') || (v.ar == 'H' && v.va == 'H'))
          ? 0
          : 1;
  return mv;
}

double score_of(const int (&eq)[6]) {
  return cvss4_macrovector_score(eq[0], eq[1], eq[2], eq[3], eq[4], eq[5]);
}

// Severity levels of metric values, in the reference calculator's units (steps of 0.1). The
// letters of `order` get the levels kLevels[0], kLevels[1], ...; a leading ' ' skips a level.
constexpr double kLevels[] = {0.0, 0.1, 0.2, 0.3};
double level(std::string_view order, char value) {
  const std::size_t i = order.find(value);
  return i < std::size(kLevels) ? kLevels[i] : 0.0;
}
constexpr std::string_view kAvOrder = "NALP", kPrOrder = "NLH", kUiOrder = "NPA";
constexpr std::string_view kAcOrder = "LH", kAtOrder = "NP";
constexpr std::string_view kVOrder = "HLN", kScOrder = " HLN", kSOrder = "SHLN", kReqOrder = "HML";

// Value of `metric` in a highest-severity vector written "AV:N/PR:N/UI:N".
char value_in(std::string_view vector, std::string_view metric) {
  std::size_t start = 0;
  while (start < vector.size()) {
    std::size_t end = vector.find('/', start);
    if (end == std::string_view::npos) end = vector.size();
    const std::string_view part = vector.substr(start, end - start);
    if (part.size() > metric.size() && part.substr(0, metric.size()) == metric &&
        part[metric.size()] == ':') {
      return part[metric.size() + 1];
    }
    start = end + 1;
  }
  return '?';
}

struct MetricDistance {
  std::string_view metric;
  std::string_view order;
  char value;
};

// Distances of `metrics` from the first vector of `maxes` that none of them exceeds, summed in
// the given order; `found` says whether such a vector exists (else the last one is used, as the
// reference calculator does).
template <std::size_t N>
double group_distance(std::span<const std::string_view> maxes, const MetricDistance (&metrics)[N],
                      bool& found) {
  double sum = 0;
  found = false;
  for (const std::string_view max : maxes) {
    bool dominated = true;
    sum = 0;
    for (const MetricDistance& d : metrics) {
      const double distance = level(d.order, d.value) - level(d.order, value_in(max, d.metric));
      if (distance < 0) dominated = false;
      sum += distance;
    }
    if (dominated) {
      found = true;
      break;
    }
  }
  return sum;
}

}  // namespace

Result<std::array<char, 6>> macrovector_v4(std::string_view body) {
  auto parsed = parse_metrics(body, kSpecs);
  if (!parsed.ok()) return std::move(parsed).error();
  const Macrovector mv = macrovector_of(effective_values(*parsed));
  std::array<char, 6> out{};
  for (int i = 0; i < 6; ++i) out[i] = static_cast<char>('0' + mv.eq[i]);
  return out;
}

Result<double> score_v4(std::string_view body) {
  auto parsed = parse_metrics(body, kSpecs);
  if (!parsed.ok()) return std::move(parsed).error();
  const Effective v = effective_values(*parsed);

  // No impact on either system scores 0 whatever else is true.
  if (v.vc == 'N' && v.vi == 'N' && v.va == 'N' && v.sc == 'N' && v.si == 'N' && v.sa == 'N') {
    return 0.0;
  }

  const Macrovector mv = macrovector_of(v);
  const int(&eq)[6] = mv.eq;
  const double value = score_of(eq);
  if (value < 0) {
    return make_error(Errc::kInternal, "CVSS v4.0 macrovector without a score");
  }

  // Scores of the next-lower macrovector of each EQ (negative: there is none). EQ3 and EQ6 move
  // together: 00 has two next-lower macrovectors (01 and 10) and takes the higher-scoring one.
  const int eq1_lower[6] = {eq[0] + 1, eq[1], eq[2], eq[3], eq[4], eq[5]};
  const int eq2_lower[6] = {eq[0], eq[1] + 1, eq[2], eq[3], eq[4], eq[5]};
  const int eq4_lower[6] = {eq[0], eq[1], eq[2], eq[3] + 1, eq[4], eq[5]};
  const int eq5_lower[6] = {eq[0], eq[1], eq[2], eq[3], eq[4] + 1, eq[5]};
  const int eq3_down[6] = {eq[0], eq[1], eq[2] + 1, eq[3], eq[4], eq[5]};
  const int eq6_down[6] = {eq[0], eq[1], eq[2], eq[3], eq[4], eq[5] + 1};
  double lower_eq3eq6;
  if (eq[2] == 0 && eq[5] == 0) {
    lower_eq3eq6 = std::max(score_of(eq6_down), score_of(eq3_down));
  } else if (eq[2] == 1 && eq[5] == 0) {
    lower_eq3eq6 = score_of(eq6_down);
  } else if (eq[2] == 2) {
    lower_eq3eq6 = -1;  // 21 is the lowest level
  } else {
    lower_eq3eq6 = score_of(eq3_down);  // 01 -> 11, 11 -> 21
  }
  const double lower[5] = {score_of(eq1_lower), score_of(eq2_lower), lower_eq3eq6,
                           score_of(eq4_lower), score_of(eq5_lower)};

  // Severity distances from the highest-severity vectors of the vector's levels.
  const MetricDistance eq1_metrics[] = {
      {"AV", kAvOrder, v.av}, {"PR", kPrOrder, v.pr}, {"UI", kUiOrder, v.ui}};
  const MetricDistance eq2_metrics[] = {{"AC", kAcOrder, v.ac}, {"AT", kAtOrder, v.at}};
  const MetricDistance eq3eq6_metrics[] = {{"VC", kVOrder, v.vc},   {"VI", kVOrder, v.vi},
                                           {"VA", kVOrder, v.va},   {"CR", kReqOrder, v.cr},
                                           {"IR", kReqOrder, v.ir}, {"AR", kReqOrder, v.ar}};
  const MetricDistance eq4_metrics[] = {
      {"SC", kScOrder, v.sc}, {"SI", kSOrder, v.si}, {"SA", kSOrder, v.sa}};
  const std::span<const std::string_view> maxes[4] = {
      cvss4_max_vectors_eq1(eq[0]), cvss4_max_vectors_eq2(eq[1]),
      cvss4_max_vectors_eq3eq6(eq[2], eq[5]), cvss4_max_vectors_eq4(eq[3])};
  bool found[4];
  double distance[5] = {group_distance(maxes[0], eq1_metrics, found[0]),
                        group_distance(maxes[1], eq2_metrics, found[1]),
                        group_distance(maxes[2], eq3eq6_metrics, found[2]),
                        group_distance(maxes[3], eq4_metrics, found[3]), 0.0};
  if (!(found[0] && found[1] && found[2] && found[3])) {
    // The reference calculator then keeps the distances from the last vector of every level.
    // Exhaustive tests show this never happens with the published data; kept for fidelity.
    const std::span<const std::string_view> last[4] = {maxes[0].last(1), maxes[1].last(1),
                                                       maxes[2].last(1), maxes[3].last(1)};
    distance[0] = group_distance(last[0], eq1_metrics, found[0]);
    distance[1] = group_distance(last[1], eq2_metrics, found[1]);
    distance[2] = group_distance(last[2], eq3eq6_metrics, found[2]);
    distance[3] = group_distance(last[3], eq4_metrics, found[3]);
  }

  constexpr double kStep = 0.1;
  const double depth[5] = {
      cvss4_max_severity_eq1(eq[0]) * kStep, cvss4_max_severity_eq2(eq[1]) * kStep,
      cvss4_max_severity_eq3eq6(eq[2], eq[5]) * kStep, cvss4_max_severity_eq4(eq[3]) * kStep, 0.0};

  int existing = 0;
  double normalized[5] = {0, 0, 0, 0, 0};
  for (int i = 0; i < 5; ++i) {
    if (lower[i] < 0) continue;
    ++existing;
    // EQ5's proportion is always 0: E has a single value per level.
    const double proportion = i == 4 ? 0.0 : distance[i] / depth[i];
    normalized[i] = (value - lower[i]) * proportion;
  }
  double mean = 0;
  if (existing > 0) {
    mean =
        (normalized[0] + normalized[1] + normalized[2] + normalized[3] + normalized[4]) / existing;
  }
  return js_round(std::clamp(value - mean, 0.0, 10.0) * 10) / 10;
}

}  // namespace hivesec::severity::detail
