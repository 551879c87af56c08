// `hivesec config scan PATH...`: finds the configuration files under the paths (files,
// directories searched recursively, or "-" for standard input), hands each to its kind
// (file_kinds.h) and gathers the findings in one ScanResult (asset kind filesystem, labels
// scan=config).
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/file_kinds.h"
#include "model/scan_result.h"

namespace hivesec::config {

struct ConfigScanLimits {
  size_t max_files = 100'000;      // files examined per directory walk
  size_t max_stdin = 64u << 20;    // bytes read from standard input
};

struct ConfigScanOptions {
  CheckSelection selection;  // --standard, --skip
  ConfigScanLimits limits;
  std::istream* input = nullptr;  // what "-" reads; nullptr: std::cin
};

// A path given as a file must be of a known kind (by name, or by content when the name says
// nothing, e.g. a Kubernetes manifest without .yaml) and must be usable as a whole: otherwise
// the whole scan fails (kInvalidArgument / kNotFound / kLimit naming the file). "-" reads
// standard input, whose kind is decided by content (Kubernetes manifests, e.g. `helm template`
// output); its findings have evidence.path "-". Files found in directories that are too
// large, unreadable, binary or do not parse become notes and the rest is still scanned; *.yaml,
// *.yml and *.json files that are not Kubernetes manifests are ignored. Problems confined to
// one document of a manifest are notes naming file, document index and line. Symbolic links to
// directories are not followed; ".git" and "node_modules" directories are skipped.
// With a --standard other than cis, per-file kinds (Dockerfiles, which map to the CIS Docker
// Benchmark only) report nothing; with cis, only their checks that have a CIS id.
Result<model::ScanResult> scan_config_paths(const std::vector<std::string>& paths,
                                            const FileKindRegistry& kinds,
                                            const ConfigScanOptions& options = {});

}  // namespace hivesec::config
