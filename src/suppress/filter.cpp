#include "suppress/filter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "suppress/dates.h"
#include "suppress/input.h"

namespace hivesec::suppress {
namespace {

// Expired ignore entries get one note each up to this many, then one summary note.
constexpr size_t kMaxExpiredNotes = 20;

std::string findings_word(size_t n) { return n == 1 ? "1 finding" : fmt::format("{} findings", n); }

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

}  // namespace

const char* suppress_reason_name(SuppressReason r) {
  switch (r) {
    case SuppressReason::kIgnoreFile:
      return "ignore-file";
    case SuppressReason::kVex:
      return "vex";
    case SuppressReason::kUnfixed:
      return "unfixed";
    case SuppressReason::kSeverity:
      return "severity";
  }
  return "unknown";
}

Result<Suppressor> Suppressor::load(const FilterOptions& opts) {
  Suppressor s;
  s.opts_ = opts;
  std::string today = opts.today.empty() ? today_utc() : opts.today;
  auto day = parse_date(today);
  if (!day) {
    return make_error(Errc::kInvalidArgument, "invalid date '{}' (want YYYY-MM-DD)", shown(today));
  }
  s.today_ = *day;
  for (const auto& path : opts.ignore_files) {
    HIVESEC_TRY(IgnoreFile f, load_ignore_file(path));
    for (size_t i = 0; i < f.entries.size(); ++i) {
      s.ignore_by_id_[ascii_lower(f.entries[i].id)].emplace_back(s.ignore_files_.size(), i);
    }
    s.ignore_files_.push_back(std::move(f));
  }
  for (const auto& path : opts.vex_files) {
    HIVESEC_TRY(VexDocument d, load_vex(path));
    s.vex_.add(std::move(d));
  }
  return s;
}

FilterReport Suppressor::apply(model::ScanResult& result) const {
  FilterReport report;
  const AssetIdentity asset = AssetIdentity::from(result);
  std::vector<std::string> ignore_sources, vex_sources, wont_fix_sources;

  size_t expired = 0;
  for (const IgnoreFile& file : ignore_files_) {
    for (const IgnoreEntry& e : file.entries) {
      if (!e.expired(today_) || ++expired > kMaxExpiredNotes) continue;
      report.notes.push_back(fmt::format("ignore entry for {} expired on {} ({} line {})",
                                         shown(e.id), e.expires, e.source, e.line));
    }
  }
  if (expired > kMaxExpiredNotes) {
    report.notes.push_back(
        fmt::format("{} more ignore entries have expired", expired - kMaxExpiredNotes));
  }
  for (const VexDocument& d : vex_.documents()) {
    if (d.unresolved_refs > 0) {
      report.notes.push_back(
          fmt::format("VEX {}: {} affects ref{} name no component with a purl and match nothing",
                      d.source, d.unresolved_refs, d.unresolved_refs == 1 ? "" : "s"));
    }
  }

  std::vector<model::Finding> kept;
  kept.reserve(result.findings.size());
  for (model::Finding& f : result.findings) {
    std::optional<SuppressReason> reason;
    std::string detail;

    if (const IgnoreEntry* e = first_ignore_match(f)) {
      reason = SuppressReason::kIgnoreFile;
      detail = e->where();
      if (!e->comment.empty()) detail += fmt::format(" ({})", shown(e->comment));
      add_unique(ignore_sources, e->source);
    }
    if (!reason) {
      if (auto v = vex_.evaluate(f, asset); v && v->suppress) {
        reason = SuppressReason::kVex;
        detail = v->reason;
        add_unique(vex_sources, vex_.documents()[v->document].source);
      } else if (v && v->wont_fix && f.vuln && f.vuln->status != model::FixStatus::kFixed) {
        f.vuln->status = model::FixStatus::kWontFix;
        f.remediation = fmt::format("The supplier will not fix it (VEX {})", v->reason);
        ++report.marked_wont_fix;
        add_unique(wont_fix_sources, vex_.documents()[v->document].source);
      }
    }
    if (!reason && opts_.ignore_unfixed && f.kind == model::FindingKind::kVulnerability) {
      model::FixStatus st = f.vuln ? f.vuln->status : model::FixStatus::kUnknown;
      if (st != model::FixStatus::kFixed) {
        reason = SuppressReason::kUnfixed;
        detail = fmt::format("status {}", model::fix_status_name(st));
      }
    }
    if (!reason && !opts_.severities.empty() &&
        std::find(opts_.severities.begin(), opts_.severities.end(), f.severity) ==
            opts_.severities.end()) {
      reason = SuppressReason::kSeverity;
      detail = fmt::format("severity {}", model::severity_name(f.severity));
    }

    if (reason) {
      ++report.counts[static_cast<size_t>(*reason)];
      report.suppressed.push_back({std::move(f), *reason, std::move(detail)});
    } else {
      kept.push_back(std::move(f));
    }
  }
  result.findings = std::move(kept);

  if (size_t n = report.count(SuppressReason::kIgnoreFile)) {
    report.notes.push_back(fmt::format("{} suppressed by ignore file ({})", findings_word(n),
                                       join(ignore_sources, ", ")));
  }
  if (size_t n = report.count(SuppressReason::kVex)) {
    report.notes.push_back(
        fmt::format("{} suppressed by VEX ({})", findings_word(n), join(vex_sources, ", ")));
  }
  if (size_t n = report.marked_wont_fix) {
    report.notes.push_back(fmt::format("{} marked wont-fix by VEX ({})", findings_word(n),
                                       join(wont_fix_sources, ", ")));
  }
  if (size_t n = report.count(SuppressReason::kUnfixed)) {
    report.notes.push_back(
        fmt::format("{} without a fixed version suppressed (--ignore-unfixed)", findings_word(n)));
  }
  if (size_t n = report.count(SuppressReason::kSeverity)) {
    std::vector<std::string> names;
    for (model::Severity s : opts_.severities) {
      std::string name = model::severity_name(s);
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      names.push_back(std::move(name));
    }
    report.notes.push_back(fmt::format("{} suppressed by severity filter (keeping {})",
                                       findings_word(n), join(names, ", ")));
  }
  result.notes.insert(result.notes.end(), report.notes.begin(), report.notes.end());
  return report;
}

const IgnoreEntry* Suppressor::first_ignore_match(const model::Finding& f) const {
  std::vector<std::pair<size_t, size_t>> candidates;
  auto collect = [&](const std::string& id) {
    if (auto it = ignore_by_id_.find(ascii_lower(id)); it != ignore_by_id_.end()) {
      candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    }
  };
  collect(f.rule_id);
  for (const auto& a : f.aliases) collect(a);
  if (f.vuln) {
    for (const auto& a : f.vuln->advisories) collect(a);
  }
  std::sort(candidates.begin(), candidates.end());
  for (const auto& [file, entry] : candidates) {
    const IgnoreEntry& e = ignore_files_[file].entries[entry];
    if (!e.expired(today_) && e.matches(f)) return &e;
  }
  return nullptr;
}

Result<FilterReport> apply_filters(model::ScanResult& result, const FilterOptions& opts) {
  HIVESEC_TRY(Suppressor s, Suppressor::load(opts));
  return s.apply(result);
}

std::vector<std::string> default_ignore_files() {
  std::error_code ec;
  if (std::filesystem::is_regular_file(".hivesecignore", ec)) return {".hivesecignore"};
  return {};
}

}  // namespace hivesec::suppress
