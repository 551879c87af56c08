// The "METRIC:VALUE/METRIC:VALUE" reader shared by every CVSS version, and small numeric helpers
// (cvss_internal.h).
#include <cassert>
#include <cmath>
#include <string>

#include "severity/cvss_internal.h"

namespace hivesec::severity::detail {

std::string quote_for_error(std::string_view text) {
  constexpr std::size_t kMax = 24;
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  if (text.size() > kMax) out += "...";
  out += "'";
  return out;
}

double js_round(double x) {
  // Math.round: the nearest integer, halves towards +infinity. x - floor(x) is exact.
  const double f = std::floor(x);
  return (x - f >= 0.5) ? f + 1 : f;
}

Result<MetricCodes> parse_metrics(std::string_view body, std::span<const MetricSpec> specs) {
  assert(specs.size() <= kMaxMetrics);
  MetricCodes codes;
  codes.fill(kAbsent);

  // An empty body has no components; otherwise every '/'-separated piece must be METRIC:VALUE
  // (so "//" and a trailing '/' are errors).
  for (std::size_t start = 0; !body.empty();) {
    const std::size_t slash = body.find('/', start);
    const std::string_view part = body.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);

    if (part.empty()) {
      return make_error(Errc::kInvalidArgument, "empty metric component ('//' or a trailing '/')");
    }
    const std::size_t colon = part.find(':');
    if (colon == std::string_view::npos) {
      return make_error(Errc::kInvalidArgument, "malformed component {} (want METRIC:VALUE)",
                        quote_for_error(part));
    }
    const std::string_view name = part.substr(0, colon);
    const std::string_view value = part.substr(colon + 1);

    std::size_t index = 0;
    while (index < specs.size() && specs[index].name != name) ++index;
    if (index == specs.size()) {
      return make_error(Errc::kInvalidArgument, "unknown metric {}", quote_for_error(name));
    }
    const MetricSpec& spec = specs[index];
    if (codes[index] != kAbsent) {
      return make_error(Errc::kInvalidArgument, "metric {} appears more than once", spec.name);
    }
    std::size_t code = 0;
    while (code < spec.values.size() && spec.values[code] != value) ++code;
    if (code == spec.values.size()) {
      return make_error(Errc::kInvalidArgument, "metric {} has invalid value {}", spec.name,
                        quote_for_error(value));
    }
    codes[index] = static_cast<std::int8_t>(code);

    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }

  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].mandatory && codes[i] == kAbsent) {
      return make_error(Errc::kInvalidArgument, "missing base metric {}", specs[i].name);
    }
  }
  return codes;
}

}  // namespace hivesec::severity::detail
