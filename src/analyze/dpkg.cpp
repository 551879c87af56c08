// dpkg: installed Debian packages.
//   var/lib/dpkg/status                 control stanzas of every package
//   var/lib/dpkg/status.d/<pkg>         distroless: one file per package (one or more stanzas)
//   var/lib/dpkg/status.d/<pkg>.md5sums distroless: "md5  path" lines -> owned files
//   var/lib/dpkg/info/<pkg>[:arch].list files owned by a package
//   usr/share/doc/<pkg>/copyright       licenses (DEP-5 machine-readable, else a cheap heuristic)
// Packages are those `dpkg-query -W` lists: every stanza whose Status is not "not-installed".
// purl and namespace are left empty: the pipeline fills them once the OS is known.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "analyze/analyzer.h"
#include "analyze/builtins.h"
#include "analyze/ospkg_text.h"
#include "common/paths.h"

namespace hivesec::analyze {
namespace {

using ospkg::LineReader;
using ospkg::to_lower;
using ospkg::trim;

constexpr std::string_view kStatus = "var/lib/dpkg/status";
constexpr std::string_view kStatusDir = "var/lib/dpkg/status.d/";
constexpr std::string_view kInfoDir = "var/lib/dpkg/info/";
constexpr std::string_view kDocDir = "usr/share/doc/";
constexpr size_t kMaxFieldValue = 4096;  // kept fields only; others are skipped unbuffered
constexpr size_t kMaxPackages = 200000;
constexpr size_t kMaxFilesPerList = 1000000;
constexpr size_t kMaxLicenses = 64;

enum class Kind { kStatus, kStatusDirEntry, kStatusDirMd5sums, kInfoList, kCopyright, kNone };

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// `path` is "<dir><name>" with no further '/'.
bool direct_child(std::string_view path, std::string_view dir) {
  return path.size() > dir.size() && starts_with(path, dir) &&
         path.find('/', dir.size()) == std::string_view::npos;
}

Kind classify(std::string_view path) {
  if (path == kStatus) return Kind::kStatus;
  if (direct_child(path, kStatusDir)) {
    if (ends_with(path, ".md5sums")) return Kind::kStatusDirMd5sums;
    if (path[kStatusDir.size()] == '.') return Kind::kNone;  // hidden/temp files
    return Kind::kStatusDirEntry;
  }
  if (direct_child(path, kInfoDir) && ends_with(path, ".list") &&
      path.size() > kInfoDir.size() + 5) {
    return Kind::kInfoList;
  }
  if (starts_with(path, kDocDir) && ends_with(path, "/copyright")) {
    std::string_view pkg = path.substr(kDocDir.size());
    pkg.remove_suffix(10);
    if (!pkg.empty() && pkg.find('/') == std::string_view::npos) return Kind::kCopyright;
  }
  return Kind::kNone;
}

// One control stanza, only the fields we keep.
struct Stanza {
  std::string package, version, arch, source, status, maintainer;
  bool has_status = false;
  bool any_field = false;
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

// The slot of a kept field (names are case-insensitive), or null for a field we skip.
std::string* field_slot(Stanza& s, std::string_view name) {
  if (iequals(name, "package")) return &s.package;
  if (iequals(name, "version")) return &s.version;
  if (iequals(name, "architecture")) return &s.arch;
  if (iequals(name, "source")) return &s.source;
  if (iequals(name, "status")) {
    s.has_status = true;
    return &s.status;
  }
  if (iequals(name, "maintainer")) return &s.maintainer;
  return nullptr;
}

// dpkg-query prints the epoch only when it is not zero (or when it is needed to parse).
std::string dpkg_version(std::string_view raw) {
  std::string_view v = trim(raw);
  size_t colon = v.find(':');
  if (colon != std::string_view::npos) {
    std::string_view epoch = v.substr(0, colon);
    bool zero =
        !epoch.empty() && std::all_of(epoch.begin(), epoch.end(), [](char c) { return c == '0'; });
    std::string_view rest = v.substr(colon + 1);
    if (zero && rest.find(':') == std::string_view::npos) return std::string(rest);
  }
  return std::string(v);
}

// "name (version)" or "name".
void split_source(std::string_view src, std::string& name, std::string& version) {
  src = trim(src);
  size_t open = src.find('(');
  if (open == std::string_view::npos) {
    name = std::string(src);
    return;
  }
  name = std::string(trim(src.substr(0, open)));
  size_t close = src.find(')', open);
  if (close == std::string_view::npos) close = src.size();
  version = dpkg_version(src.substr(open + 1, close - open - 1));
}

class StatusParser {
 public:
  StatusParser(std::string_view location, bool status_dir, AnalysisOutput& out)
      : location_(location), status_dir_(status_dir), out_(out) {}

  Status parse(std::string_view content) {
    if (!ospkg::looks_textual(content)) {
      return make_error(Errc::kCorrupt, "dpkg status is not text");
    }
    LineReader lines(content);
    std::string_view line;
    std::string* current = nullptr;  // slot of the field being continued (or null: skipped)
    while (lines.next(line)) {
      if (trim(line).empty()) {
        flush();
        current = nullptr;
        continue;
      }
      if (line[0] == ' ' || line[0] == '\t') {
        if (current && current->size() < kMaxFieldValue) {
          current->push_back(' ');
          current->append(trim(line).substr(0, kMaxFieldValue - current->size()));
        }
        continue;
      }
      size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        ++malformed_lines_;
        current = nullptr;
        continue;
      }
      stanza_.any_field = true;
      current = field_slot(stanza_, line.substr(0, colon));
      if (current) *current = std::string(trim(line.substr(colon + 1)).substr(0, kMaxFieldValue));
    }
    flush();
    if (malformed_lines_ > 0) {
      out_.notes.push_back(
          fmt::format("dpkg: {}: {} malformed line(s) ignored", location_, malformed_lines_));
    }
    if (nameless_ > 0) {
      out_.notes.push_back(
          fmt::format("dpkg: {}: {} stanza(s) without Package skipped", location_, nameless_));
    }
    if (dropped_ > 0) {
      out_.notes.push_back(fmt::format("dpkg: {}: more than {} packages; {} dropped", location_,
                                       kMaxPackages, dropped_));
    }
    return ok_status();
  }

 private:
  void flush() {
    Stanza s = std::move(stanza_);
    stanza_ = Stanza{};
    if (!s.any_field) return;
    if (s.package.empty()) {
      ++nameless_;
      return;
    }
    // Status: "<want> <flag> <state>". dpkg-query -W lists every state but not-installed.
    std::string state;
    if (s.has_status) {
      std::string_view st = trim(s.status);
      size_t sp = st.rfind(' ');
      state = std::string(sp == std::string_view::npos ? st : st.substr(sp + 1));
      if (state.empty() || state == "not-installed") return;
    } else if (!status_dir_) {
      return;  // the main status file always carries Status
    }
    if (emitted_ >= kMaxPackages) {
      ++dropped_;
      return;
    }
    ++emitted_;
    model::Package p;
    p.type = "deb";
    p.name = std::move(s.package);
    p.version = dpkg_version(s.version);
    p.arch = std::move(s.arch);
    if (!s.source.empty()) split_source(s.source, p.source_name, p.source_version);
    if (p.source_name.empty()) p.source_name = p.name;
    if (p.source_version.empty()) p.source_version = p.version;
    if (!s.maintainer.empty()) p.metadata["maintainer"] = std::move(s.maintainer);
    if (!state.empty() && state != "installed") p.metadata["status"] = state;
    p.location = std::string(location_);
    out_.packages.push_back(std::move(p));
  }

  std::string_view location_;
  bool status_dir_;
  AnalysisOutput& out_;
  Stanza stanza_;
  size_t malformed_lines_ = 0, nameless_ = 0, dropped_ = 0, emitted_ = 0;
};

// Drops the root and any entry that is a parent directory of another entry.
std::vector<std::string> drop_parent_dirs(std::vector<std::string> files) {
  std::unordered_set<std::string_view> parents;
  for (const auto& f : files) {
    std::string_view p = parent_path(f);
    while (!p.empty() && parents.insert(p).second) p = parent_path(p);
  }
  std::vector<std::string> out;
  out.reserve(files.size());
  for (auto& f : files) {
    if (!f.empty() && !parents.count(f)) out.push_back(std::move(f));
  }
  return out;
}

Status parse_file_list(std::string_view path, std::string_view package, bool md5sums,
                       std::string_view content, AnalysisOutput& out) {
  if (!ospkg::looks_textual(content)) {
    return make_error(Errc::kCorrupt, "dpkg file list is not text");
  }
  PackageFiles pf;
  pf.type = "deb";
  pf.package = std::string(package);
  pf.location = std::string(path);
  LineReader lines(content);
  std::string_view line;
  size_t bad = 0;
  std::set<std::string> seen;
  std::vector<std::string> files;
  while (lines.next(line)) {
    if (md5sums) {
      // "<md5>  <path>"
      size_t sp = line.find(' ');
      if (sp == std::string_view::npos) {
        if (!trim(line).empty()) ++bad;
        continue;
      }
      line = line.substr(sp);
    }
    line = trim(line);
    if (line.empty()) continue;
    auto norm = normalize_entry_path(line);
    if (!norm.ok()) {
      ++bad;
      continue;
    }
    if (norm->empty() || !seen.insert(*norm).second) continue;
    if (files.size() >= kMaxFilesPerList) {
      out.notes.push_back(
          fmt::format("dpkg: {}: more than {} files; list truncated", path, kMaxFilesPerList));
      break;
    }
    files.push_back(std::move(*norm));
  }
  if (bad > 0) out.notes.push_back(fmt::format("dpkg: {}: {} bad line(s) ignored", path, bad));
  pf.files = md5sums ? std::move(files) : drop_parent_dirs(std::move(files));
  out.package_files.push_back(std::move(pf));
  return ok_status();
}

void add_license(std::vector<std::string>& licenses, std::string_view name) {
  name = trim(name);
  if (name.empty() || name.size() > 256 || licenses.size() >= kMaxLicenses) return;
  if (std::find(licenses.begin(), licenses.end(), name) == licenses.end()) {
    licenses.emplace_back(name);
  }
}

// DEP-5: every "License:" field's first line is a short name or an expression.
// Otherwise: references to /usr/share/common-licenses/<NAME>, as most Debian packages make.
Status parse_copyright(std::string_view path, std::string_view package, std::string_view content,
                       AnalysisOutput& out) {
  if (!ospkg::looks_textual(content)) return ok_status();  // nothing to say about binary junk
  PackageLicenses pl;
  pl.type = "deb";
  pl.package = std::string(package);
  LineReader lines(content);
  std::string_view line;
  bool dep5 = false;
  bool first = true;
  while (lines.next(line)) {
    if (first) {
      std::string head = to_lower(line.substr(0, 32));
      dep5 = starts_with(head, "format:") || starts_with(head, "format-specification:");
      first = false;
    }
    if (dep5) {
      if (line.size() > 8 && to_lower(line.substr(0, 8)) == "license:") {
        add_license(pl.licenses, line.substr(8));
      }
      continue;
    }
    constexpr std::string_view kCommon = "/usr/share/common-licenses/";
    size_t pos = 0;
    while ((pos = line.find(kCommon, pos)) != std::string_view::npos) {
      pos += kCommon.size();
      size_t end = pos;
      while (end < line.size() && (std::isalnum(static_cast<unsigned char>(line[end])) ||
                                   line[end] == '-' || line[end] == '.' || line[end] == '+')) {
        ++end;
      }
      std::string_view name = line.substr(pos, end - pos);
      while (!name.empty() && name.back() == '.') name.remove_suffix(1);  // end of sentence
      add_license(pl.licenses, name);
      pos = end;
    }
  }
  if (!pl.licenses.empty()) out.package_licenses.push_back(std::move(pl));
  (void)path;
  return ok_status();
}

class DpkgAnalyzer final : public Analyzer {
 public:
  std::string_view name() const override { return "dpkg"; }
  int version() const override { return 1; }
  bool required(const FileInfo& file) const override {
    return file.type == FileType::kRegular && classify(file.path) != Kind::kNone;
  }
  int64_t max_size() const override { return 128ll << 20; }

  Status analyze(const FileInfo& file, std::string_view content,
                 AnalysisOutput& out) const override {
    std::string_view path = file.path;
    switch (classify(path)) {
      case Kind::kStatus:
        return StatusParser(path, false, out).parse(content);
      case Kind::kStatusDirEntry:
        return StatusParser(path, true, out).parse(content);
      case Kind::kStatusDirMd5sums: {
        std::string_view pkg = base_name(path);
        pkg.remove_suffix(8);
        return parse_file_list(path, pkg, true, content, out);
      }
      case Kind::kInfoList: {
        std::string_view pkg = base_name(path);
        pkg.remove_suffix(5);
        return parse_file_list(path, pkg, false, content, out);
      }
      case Kind::kCopyright: {
        std::string_view pkg = path.substr(kDocDir.size());
        pkg.remove_suffix(10);
        return parse_copyright(path, pkg, content, out);
      }
      case Kind::kNone:
        break;
    }
    return ok_status();
  }
};

}  // namespace

std::unique_ptr<Analyzer> make_dpkg_analyzer() { return std::make_unique<DpkgAnalyzer>(); }

}  // namespace hivesec::analyze
