// score_cvss: picks the calculator for a vector's version from one table, and the qualitative
// rating scales.
//
// Metric order: v2 and v3.x readers must accept any order (v3.1 spec §6). The v4.0 spec says
// other orders are invalid, but published advisories carry reordered v4.0 vectors and the order
// changes nothing in the score, so v4.0 is read as leniently; every other rule (known metrics,
// valid values, each at most once, all base metrics present) is enforced for every version.
#include "severity/cvss.h"

#include <cmath>

#include "severity/cvss_internal.h"

namespace hivesec::severity {
namespace {

Result<double> score_v30(std::string_view body) {
  auto s = detail::score_v3(body, 0);
  if (!s.ok()) return std::move(s).error();
  return s->base;
}

Result<double> score_v31(std::string_view body) {
  auto s = detail::score_v3(body, 1);
  if (!s.ok()) return std::move(s).error();
  return s->base;
}

Result<double> score_v2_text(std::string_view text) {
  // v2 vectors are often published in parentheses: "(AV:N/AC:L/Au:N/C:P/I:P/A:P)".
  const bool open = !text.empty() && text.front() == '(';
  const bool close = !text.empty() && text.back() == ')';
  if (open != close || (open && text.size() < 2)) {
    return make_error(Errc::kInvalidArgument, "unbalanced parentheses");
  }
  if (open) text = text.substr(1, text.size() - 2);
  return detail::score_v2(text);
}

struct Version {
  std::string_view label;    // the vector's prefix; empty for v2, whose vectors carry none
  std::string_view version;  // CvssScore::version
  std::string_view name;     // for error messages
  Result<double> (*score)(std::string_view rest);
};

// Versions by prefix. The unlabelled v2 form is last: it is what a vector without a
// "CVSS:" label must be.
constexpr Version kVersions[] = {
    {"CVSS:3.1/", "3.1", "CVSS v3.1", &score_v31},
    {"CVSS:3.0/", "3.0", "CVSS v3.0", &score_v30},
    {"CVSS:4.0/", "4.0", "CVSS v4.0", &detail::score_v4},
    {"", "2.0", "CVSS v2", &score_v2_text},
};

constexpr std::string_view kLabel = "CVSS:";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

Result<CvssScore> score_cvss(std::string_view vector) {
  if (vector.size() > kMaxCvssVectorBytes) {
    return make_error(Errc::kInvalidArgument, "CVSS vector longer than {} bytes ({})",
                      kMaxCvssVectorBytes, vector.size());
  }
  while (!vector.empty() && is_space(vector.front())) vector.remove_prefix(1);
  while (!vector.empty() && is_space(vector.back())) vector.remove_suffix(1);
  if (vector.empty()) return make_error(Errc::kInvalidArgument, "empty CVSS vector");

  for (const Version& v : kVersions) {
    if (!vector.starts_with(v.label)) continue;
    if (v.label.empty() && vector.starts_with(kLabel)) {
      const std::string_view label = vector.substr(0, vector.find('/'));
      return make_error(Errc::kInvalidArgument,
                        "unsupported CVSS version {} (want CVSS:3.0, CVSS:3.1 or CVSS:4.0)",
                        detail::quote_for_error(label));
    }
    auto score = v.score(vector.substr(v.label.size()));
    if (!score.ok()) return std::move(score).error().wrap(fmt::format("invalid {} vector", v.name));
    return CvssScore{std::string(v.version), *score, rating_for(v.version, *score)};
  }
  return make_error(Errc::kInternal, "no CVSS version entry matched");  // the v2 entry matches all
}

model::Severity rating_for(std::string_view version, double score) {
  using model::Severity;
  if (std::isnan(score) || score < 0 || score > 10) return Severity::kUnknown;
  if (version == "2.0") {
    if (score >= 7.0) return Severity::kHigh;
    if (score >= 4.0) return Severity::kMedium;
    return Severity::kLow;
  }
  if (version == "3.0" || version == "3.1" || version == "4.0") {
    if (score >= 9.0) return Severity::kCritical;
    if (score >= 7.0) return Severity::kHigh;
    if (score >= 4.0) return Severity::kMedium;
    if (score > 0.0) return Severity::kLow;
    return Severity::kUnknown;  // "None"
  }
  return Severity::kUnknown;
}

}  // namespace hivesec::severity
