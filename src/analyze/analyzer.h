// The analyzer contract (DESIGN §2 "analyzers", STYLE: trivy's type/version/required/analyze).
//
// An analyzer says what is in a file: packages, the OS, which files a package owns. It never
// decides what is wrong (that is the matchers' job). The layer walker calls `required` for every
// file of every layer (a cheap path filter), reads the content once for all analyzers that want
// it, and calls `analyze`. Analyzers are stateless and thread-safe: layers are walked in
// parallel and the same analyzer instance serves them all.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/os.h"
#include "model/finding.h"
#include "model/package.h"

namespace hivesec::analyze {

enum class FileType { kRegular, kDirectory, kSymlink, kHardlink, kOther };

struct FileInfo {
  std::string_view path;  // normalized, relative to the image root ("usr/bin/ls")
  FileType type = FileType::kRegular;
  uint32_t mode = 0;  // permission and set-id bits (07777)
  int64_t size = 0;
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string_view link_target;  // symlinks and hard links, as stored

  bool executable() const { return (mode & 0111) != 0; }
};

// Files a package claims ("this dpkg package owns these paths").
struct PackageFiles {
  std::string type;                // purl type of the owning package ("deb", "apk", "rpm")
  std::string package;             // package name (and ":arch" for multi-arch dpkg lists)
  std::string location;            // the file that says so
  std::vector<std::string> files;  // normalized image paths
};

// Licenses found for a package in a separate file (dpkg: usr/share/doc/<pkg>/copyright).
struct PackageLicenses {
  std::string type;                   // purl type of the package ("deb")
  std::string package;                // package name
  std::vector<std::string> licenses;  // SPDX ids or expressions where known, else the names
};

// A candidate OS description found in one file; the pipeline picks the best one.
struct OsCandidate {
  model::OsInfo os;
  int priority = 0;  // higher wins: os-release 100, distro files 50, hints 10
};

// Everything analyzers found in one layer (or one filesystem tree).
struct AnalysisOutput {
  std::vector<model::Package> packages;
  std::vector<OsCandidate> os;
  std::vector<PackageFiles> package_files;
  std::vector<PackageLicenses> package_licenses;
  // Human-readable notes: unsupported formats, skipped files, parse problems. Never silent.
  std::vector<std::string> notes;
  // Problems found in the file itself (sensitive files, secrets, malware, ...). evidence.path
  // is set by the analyzer (the file's path); evidence.layer is filled in by the merge, which
  // drops findings on files a later layer deleted or replaced.
  std::vector<model::Finding> findings;

  void merge(AnalysisOutput&& other);
};

void to_json(nlohmann::json& j, const AnalysisOutput& o);
void from_json(const nlohmann::json& j, AnalysisOutput& o);

// The incremental form of `analyze` for analyzers that must see files of any size with bounded
// memory (secrets): the file arrives as consecutive chunks; `finish` is called once at the end
// (not after an error from `feed`). Used by one thread at a time.
class FileStream {
 public:
  virtual ~FileStream() = default;
  virtual Status feed(std::string_view chunk) = 0;
  virtual Status finish(AnalysisOutput& out) = 0;
};

// Per-layer state of an analyzer whose work on a file may depend on files that come later in the
// same layer (the malware scanner skips files the layer's own package database proves unmodified,
// and a tar lists that database after the files). The dispatcher opens one pass per layer (or
// filesystem tree) for each analyzer that offers one, hands it every file the analyzer takes
// instead of calling Analyzer::analyze (same contract; `content` is valid only during the call),
// and calls finish() once after the last file. Not for streaming analyzers. Used by one thread
// at a time; the analyzer outlives its passes.
class LayerPass {
 public:
  virtual ~LayerPass() = default;
  virtual Status analyze(const FileInfo& file, std::string_view content, AnalysisOutput& out) = 0;
  // Work left for the end of the layer. Findings name their paths; notes are written whole. A
  // returned error becomes a note naming the analyzer.
  virtual Status finish(AnalysisOutput& out) = 0;
};

// Options the user gives to the content scanners (their rule sets, caps and caches). Analyzers
// whose output depends on them fold them into config_fingerprint() (part of the cache key).
struct AnalyzerOptions {
  // Only the analyzers of these scanners are built (inventory analyzers always are); empty:
  // every analyzer. Building some is not free (YARA compiles rules).
  std::vector<std::string> scanners;
  bool all_scanners = true;  // false: `scanners` is the exact list (possibly empty)
  std::vector<std::string> secret_rule_files;  // --secret-rules: extra/overriding rules
  int64_t secret_max_size = 256ll << 20;      // --secret-max-size: larger files are skipped
  std::vector<std::string> yara_rule_dirs;     // --yara-rules
  std::string clamav_db;                       // --clamav-db ("" -> no ClamAV)
  std::vector<std::string> deny_list_files;    // --deny-list: extra sha256 deny-lists
  int64_t malware_max_size = 64ll << 20;      // --malware-max-size
  // false: --malware-scan-package-files (YARA also on files the package database proves unmodified)
  bool malware_skip_package_files = true;
  int password_budget_ms = 10'000;             // --password-time-budget (per image)
  std::string cache_dir;                       // compiled rule caches ("" -> default cache dir)

  bool wants(std::string_view scanner) const;
};

class Analyzer {
 public:
  virtual ~Analyzer() = default;
  // Stable short name ("dpkg"); also the `found_by` of the packages it reports.
  virtual std::string_view name() const = 0;
  // Bump whenever the output for the same input changes: it is part of the layer cache key.
  virtual int version() const = 0;
  // Cheap filter on path and metadata only. Must not allocate on the common "no" path.
  virtual bool required(const FileInfo& file) const = 0;
  // "" for inventory analyzers (always run); else the scanner whose findings this analyzer
  // produces ("file", "secret", ...): it runs only when that scanner is selected.
  virtual std::string_view scanner() const { return {}; }
  // Largest file content this analyzer reads; larger files are skipped with a note. 0 means
  // the analyzer needs no content (metadata checks): analyze() gets an empty view.
  virtual int64_t max_size() const { return 64ll << 20; }
  // Non-null for streaming analyzers: the file is fed in chunks (up to max_size() bytes in
  // all) instead of passed whole to analyze().
  virtual std::unique_ptr<FileStream> open_stream(const FileInfo& /*file*/) const {
    return nullptr;
  }
  // Non-null when this analyzer needs per-layer state (LayerPass); called once per layer.
  virtual std::unique_ptr<LayerPass> open_layer() const { return nullptr; }
  // What besides version() changes the output (user rule files' digests, caps); "" when
  // nothing. Part of the layer cache key.
  virtual std::string config_fingerprint() const { return {}; }
  // Analyzes one file. `content` is the whole file. Appends to `out`. A returned error becomes a
  // note naming the analyzer and the file; it never aborts the scan. Packages left with an
  // empty `location` get the file's path; `layer` and `found_by` are filled in by the caller.
  virtual Status analyze(const FileInfo& file, std::string_view content,
                         AnalysisOutput& out) const = 0;
};

// An instance registry (STYLE §4): names are unique, order is registration order.
class Registry {
 public:
  Status add(std::unique_ptr<Analyzer> analyzer);
  const std::vector<std::unique_ptr<Analyzer>>& all() const { return analyzers_; }
  const Analyzer* find(std::string_view name) const;
  // "name:version,..." of every analyzer, for the layer cache key.
  std::string fingerprint() const;
  // Keeps only the named analyzers (for --analyzers); unknown names are an error.
  Status retain(const std::vector<std::string>& names);
  // Drops the analyzers that belong to a scanner not in `scanners` (inventory analyzers stay).
  void retain_scanners(const std::vector<std::string>& scanners);

 private:
  std::vector<std::unique_ptr<Analyzer>> analyzers_;
};

// Registers every built-in analyzer, in one visible list (analyze/builtins.cpp). Errors: a
// user rule file that does not load (kInvalidArgument naming file and line).
Status register_builtins(Registry& registry, const AnalyzerOptions& options = {});

}  // namespace hivesec::analyze
