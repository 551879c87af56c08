// apk: installed Alpine/Wolfi packages from lib/apk/db/installed.
// Stanzas of "X:value" lines separated by blank lines: P name, V version, A arch, o origin
// (the source package), L license, m maintainer, F directory and R file (relative to the last F).
// purl and namespace are left empty: the pipeline fills them once the OS is known.
#include <string>
#include <string_view>

#include "analyze/analyzer.h"
#include "analyze/builtins.h"
#include "analyze/ospkg_text.h"
#include "common/paths.h"

namespace hivesec::analyze {
namespace {

using ospkg::LineReader;
using ospkg::trim;

constexpr std::string_view kInstalled = "lib/apk/db/installed";
constexpr size_t kMaxPackages = 100000;
constexpr size_t kMaxFilesTotal = 4000000;
constexpr size_t kMaxValue = 4096;

class ApkParser {
 public:
  ApkParser(std::string_view location, AnalysisOutput& out) : location_(location), out_(out) {}

  Status parse(std::string_view content) {
    if (!ospkg::looks_textual(content)) {
      return make_error(Errc::kCorrupt, "apk database is not text");
    }
    LineReader lines(content);
    std::string_view line;
    while (lines.next(line)) {
      if (trim(line).empty()) {
        flush();
        continue;
      }
      if (line.size() < 2 || line[1] != ':') {
        ++malformed_;
        continue;
      }
      char key = line[0];
      std::string_view value = trim(line.substr(2)).substr(0, kMaxValue);
      any_ = true;
      switch (key) {
        case 'P':
          pkg_.name = std::string(value);
          break;
        case 'V':
          pkg_.version = std::string(value);
          break;
        case 'A':
          pkg_.arch = std::string(value);
          break;
        case 'o':
          pkg_.source_name = std::string(value);
          break;
        case 'L':
          if (!value.empty()) pkg_.licenses = {std::string(value)};
          break;
        case 'm':
          pkg_.metadata["maintainer"] = std::string(value);
          break;
        case 'U':
          pkg_.metadata["homepage"] = std::string(value);
          break;
        case 'F': {
          auto dir = normalize_entry_path(value);
          dir_ok_ = dir.ok();
          dir_ = dir_ok_ ? std::move(*dir) : std::string();
          if (!dir_ok_) ++bad_paths_;
          break;
        }
        case 'R':
          add_file(value);
          break;
        default:
          break;
      }
    }
    flush();
    if (malformed_ > 0) {
      out_.notes.push_back(
          fmt::format("apk: {}: {} malformed line(s) ignored", location_, malformed_));
    }
    if (bad_paths_ > 0) {
      out_.notes.push_back(
          fmt::format("apk: {}: {} unsafe path(s) ignored", location_, bad_paths_));
    }
    if (nameless_ > 0) {
      out_.notes.push_back(
          fmt::format("apk: {}: {} stanza(s) without P: skipped", location_, nameless_));
    }
    if (dropped_ > 0) {
      out_.notes.push_back(fmt::format("apk: {}: limits reached; {} package(s) or file(s) dropped",
                                       location_, dropped_));
    }
    return ok_status();
  }

 private:
  void add_file(std::string_view name) {
    if (!dir_ok_ || name.empty()) {
      ++bad_paths_;
      return;
    }
    auto full =
        normalize_entry_path(dir_.empty() ? std::string(name) : dir_ + "/" + std::string(name));
    if (!full.ok() || full->empty()) {
      ++bad_paths_;
      return;
    }
    if (total_files_ >= kMaxFilesTotal) {
      ++dropped_;
      return;
    }
    ++total_files_;
    files_.push_back(std::move(*full));
  }

  void flush() {
    model::Package p = std::move(pkg_);
    std::vector<std::string> files = std::move(files_);
    pkg_ = model::Package{};
    files_.clear();
    dir_.clear();
    dir_ok_ = true;
    if (!any_) return;
    any_ = false;
    if (p.name.empty()) {
      ++nameless_;
      return;
    }
    if (out_.packages.size() >= kMaxPackages + first_index_) {
      ++dropped_;
      return;
    }
    p.type = "apk";
    if (p.source_name.empty()) p.source_name = p.name;
    p.source_version = p.version;
    p.location = std::string(location_);
    if (!files.empty()) {
      PackageFiles pf;
      pf.type = "apk";
      pf.package = p.name;
      pf.location = std::string(location_);
      pf.files = std::move(files);
      out_.package_files.push_back(std::move(pf));
    }
    out_.packages.push_back(std::move(p));
  }

  std::string_view location_;
  AnalysisOutput& out_;
  size_t first_index_ = out_.packages.size();
  model::Package pkg_;
  std::vector<std::string> files_;
  std::string dir_;
  bool dir_ok_ = true;
  bool any_ = false;
  size_t malformed_ = 0, bad_paths_ = 0, nameless_ = 0, dropped_ = 0, total_files_ = 0;
};

class ApkAnalyzer final : public Analyzer {
 public:
  std::string_view name() const override { return "apk"; }
  int version() const override { return 1; }
  bool required(const FileInfo& file) const override {
    return file.type == FileType::kRegular && file.path == kInstalled;
  }
  int64_t max_size() const override { return 256ll << 20; }
  Status analyze(const FileInfo& file, std::string_view content,
                 AnalysisOutput& out) const override {
    return ApkParser(file.path, out).parse(content);
  }
};

}  // namespace

std::unique_ptr<Analyzer> make_apk_analyzer() { return std::make_unique<ApkAnalyzer>(); }

}  // namespace hivesec::analyze
