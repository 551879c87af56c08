// The severity of a vulnerability finding: the distro's or vendor's own rating where the
// advisory carries one, else the CVSS base score computed from the published vector (v4 before
// v3 before v2), else unknown (issue 3).
//
// Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"
#include "vulndb/vulndb.h"

namespace hivesec::match {

// A vendor's word ("MODERATE", "important", "negligible", "unimportant") as a severity;
// kUnknown when it is not a rating word.
model::Severity vendor_rating(std::string_view word);

struct Rating {
  model::Severity severity = model::Severity::kUnknown;
  std::string source;  // "GHSA", "Debian", "CVSS_V3", ... "" when unknown
  std::vector<model::CvssRating> cvss;
};

// Rates the advisories merged into one finding. `affected` holds, per advisory, the affected
// entry that matched the package (its own severity fields take precedence over the record's).
Rating rate(const std::vector<const vulndb::Advisory*>& advisories,
            const std::vector<const vulndb::Affected*>& affected);

}  // namespace hivesec::match
