// Finding filters for scan commands: severity selection, --ignore-unfixed, ignore files and
// VEX documents. They remove findings from a ScanResult, keep what they removed (for a future
// --show-suppressed) and say what they did in result.notes.
//
// Each finding is tested against the filters in this order and is attributed to the first that
// removes it: ignore-file entry, VEX statement, --ignore-unfixed, severity. A VEX statement
// that does not suppress but says the supplier will not fix the vulnerability (CycloneDX
// analysis.response will_not_fix / can_not_fix) marks a vulnerability without a fixed version
// "wont-fix" before --ignore-unfixed is tested.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/result.h"
#include "model/finding.h"
#include "model/scan_result.h"
#include "suppress/ignore_file.h"
#include "suppress/vex.h"

namespace hivesec::suppress {

struct FilterOptions {
  std::vector<model::Severity> severities;  // keep only these; empty keeps every severity
  bool ignore_unfixed = false;            // drop vulnerability findings whose status is not kFixed
  std::vector<std::string> ignore_files;  // .hivesecignore paths (see default_ignore_files)
  std::vector<std::string> vex_files;     // OpenVEX / CycloneDX VEX paths
  std::string today;  // "YYYY-MM-DD" for ignore-entry expiry; "" means today (UTC)
};

enum class SuppressReason { kIgnoreFile = 0, kVex, kUnfixed, kSeverity };
inline constexpr size_t kSuppressReasonCount = 4;
const char* suppress_reason_name(SuppressReason r);  // "ignore-file", "vex", "unfixed", "severity"

struct SuppressedFinding {
  model::Finding finding;
  SuppressReason reason;
  // Which rule removed it: ".hivesecignore:12 (comment)", "vex.json statement 3: not_affected
  // (component_not_present)", "status not-fixed", "severity low".
  std::string detail;
};

struct FilterReport {
  std::vector<SuppressedFinding> suppressed;  // in their original order
  std::array<size_t, kSuppressReasonCount> counts{};
  size_t marked_wont_fix = 0;      // kept or not: findings VEX turned into status wont-fix
  std::vector<std::string> notes;  // exactly the lines appended to result.notes

  size_t count(SuppressReason r) const { return counts[static_cast<size_t>(r)]; }
};

// The loaded filters; load once and apply to any number of results. apply() is const and
// thread-safe.
class Suppressor {
 public:
  // Reads every ignore file and VEX document in `opts`. Fails on the first missing, oversized
  // or malformed one, with a one-line message naming the file (and line for ignore files); the
  // CLI turns that into exit status 2. kInvalidArgument for a malformed opts.today.
  [[nodiscard]] static Result<Suppressor> load(const FilterOptions& opts);

  // Removes suppressed findings from result.findings (the kept ones stay in order) and appends
  // one note per category that removed something, one per expired ignore entry (the first 20,
  // then a count) and one per VEX document with unresolvable refs.
  FilterReport apply(model::ScanResult& result) const;

 private:
  // The first unexpired entry, in file order, that matches `f`; nullptr when none.
  const IgnoreEntry* first_ignore_match(const model::Finding& f) const;

  FilterOptions opts_;
  int64_t today_ = 0;
  std::vector<IgnoreFile> ignore_files_;
  // lowercase id -> (file, entry), in file order: a finding is tested only against the
  // entries that name one of its ids.
  std::unordered_map<std::string, std::vector<std::pair<size_t, size_t>>> ignore_by_id_;
  VexSet vex_;
};

// Suppressor::load(opts) then apply(result).
[[nodiscard]] Result<FilterReport> apply_filters(model::ScanResult& result,
                                                 const FilterOptions& opts);

// {".hivesecignore"} when that file exists in the current directory, else {}: what a caller
// puts in FilterOptions::ignore_files when the user named none.
std::vector<std::string> default_ignore_files();

}  // namespace hivesec::suppress
