#include "severity/cvss.h"
namespace hivesec::severity {
Result<CvssScore> score_cvss(std::string_view) { return make_error(Errc::kUnsupported, "cvss: placeholder"); }
model::Severity rating_for(std::string_view, double) { return model::Severity::kUnknown; }
}  // namespace hivesec::severity
