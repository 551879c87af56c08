#include "report/sarif_severity.h"

namespace hivesec::report {

const char* sarif_level(model::Severity s) {
  switch (s) {
    case model::Severity::kCritical:
    case model::Severity::kHigh:
      return "error";
    case model::Severity::kMedium:
      return "warning";
    case model::Severity::kLow:
    case model::Severity::kUnknown:
      return "note";
  }
  return "note";
}

double sarif_security_score(model::Severity s) {
  switch (s) {
    case model::Severity::kCritical:
      return 9.5;
    case model::Severity::kHigh:
      return 8.0;
    case model::Severity::kMedium:
      return 5.5;
    case model::Severity::kLow:
      return 2.0;
    case model::Severity::kUnknown:
      return -1;
  }
  return -1;
}

}  // namespace hivesec::report
