#include "match/rating.h"

#include <algorithm>
#include <cctype>

#include "severity/cvss.h"

namespace hivesec::match {

namespace {

struct WordRow {
  std::string_view word;
  model::Severity severity;
};

constexpr WordRow kWords[] = {
    {"negligible", model::Severity::kLow},  {"unimportant", model::Severity::kLow},
    {"low", model::Severity::kLow},         {"moderate", model::Severity::kMedium},
    {"medium", model::Severity::kMedium},   {"important", model::Severity::kHigh},
    {"high", model::Severity::kHigh},       {"critical", model::Severity::kCritical},
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == y;
         });
}

// Who stands behind a record's own rating: the id prefix names the database.
std::string vendor_of(const vulndb::Advisory& adv, const vulndb::Affected* affected) {
  std::string_view id = adv.id;
  if (id.starts_with("GHSA-")) return "GHSA";
  if (affected != nullptr && !affected->ecosystem.empty()) {
    return affected->ecosystem.substr(0, affected->ecosystem.find(':'));
  }
  return std::string(id.substr(0, id.find('-')));
}

std::string cvss_type_version(std::string_view type) {
  if (type == "CVSS_V4") return "4.0";
  if (type == "CVSS_V3") return "3";
  if (type == "CVSS_V2") return "2.0";
  return "";
}

void add_cvss(const vulndb::Advisory& adv, const std::vector<vulndb::Severity>& list,
              std::vector<model::CvssRating>& out) {
  for (const vulndb::Severity& s : list) {
    if (cvss_type_version(s.type).empty()) continue;
    bool seen = std::any_of(out.begin(), out.end(),
                            [&](const model::CvssRating& r) { return r.vector == s.score; });
    if (seen) continue;
    model::CvssRating r;
    r.vector = s.score;
    r.source = adv.id;
    auto scored = severity::score_cvss(s.score);
    if (scored.ok()) {
      r.version = scored->version;
      r.base_score = scored->base_score;
      r.severity = scored->severity;
    } else {
      r.version = cvss_type_version(s.type);
    }
    out.push_back(std::move(r));
  }
}

}  // namespace

model::Severity vendor_rating(std::string_view word) {
  for (const WordRow& row : kWords) {
    if (iequals(word, row.word)) return row.severity;
  }
  return model::Severity::kUnknown;
}

Rating rate(const std::vector<const vulndb::Advisory*>& advisories,
            const std::vector<const vulndb::Affected*>& affected) {
  Rating out;
  for (size_t i = 0; i < advisories.size(); ++i) {
    const vulndb::Advisory& adv = *advisories[i];
    const vulndb::Affected* aff = i < affected.size() ? affected[i] : nullptr;
    std::string_view word = aff != nullptr && !aff->specific_severity.empty()
                                ? std::string_view(aff->specific_severity)
                                : std::string_view(adv.database_severity);
    model::Severity vendor = vendor_rating(word);
    if (vendor > out.severity) {
      out.severity = vendor;
      out.source = vendor_of(adv, aff);
    }
    if (aff != nullptr) add_cvss(adv, aff->severity, out.cvss);
    add_cvss(adv, adv.severity, out.cvss);
  }
  if (out.severity != model::Severity::kUnknown || out.cvss.empty()) return out;
  // No vendor rating: the highest-version scored vector, the worst of that version.
  const model::CvssRating* best = nullptr;
  for (const model::CvssRating& r : out.cvss) {
    if (r.base_score < 0) continue;
    if (best == nullptr || r.version > best->version ||
        (r.version.substr(0, 1) == best->version.substr(0, 1) && r.base_score > best->base_score)) {
      best = &r;
    }
  }
  if (best != nullptr) {
    out.severity = best->severity;
    out.source = best->version.starts_with('4')   ? "CVSS_V4"
                 : best->version.starts_with('3') ? "CVSS_V3"
                                                   : "CVSS_V2";
  }
  return out;
}

}  // namespace hivesec::match
