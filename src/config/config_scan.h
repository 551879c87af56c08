// `hivesec config scan PATH...`: finds the configuration files under the paths (files, or
// directories searched recursively), hands each to its kind (file_kinds.h) and gathers the
// findings in one ScanResult (asset kind filesystem, labels scan=config).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "config/file_kinds.h"
#include "model/scan_result.h"

namespace hivesec::config {

struct ConfigScanLimits {
  size_t max_files = 100'000;  // files examined per directory walk
};

// A path given as a file must be of a known kind and must parse: otherwise the whole scan fails
// (kInvalidArgument / kNotFound / kLimit naming the file). Files found in directories that do
// not parse, are too large or unreadable become notes and the rest is still scanned. Symbolic
// links to directories are not followed; ".git" directories are skipped.
Result<model::ScanResult> scan_config_paths(const std::vector<std::string>& paths,
                                            const FileKindRegistry& kinds,
                                            const ConfigScanLimits& limits = {});

}  // namespace hivesec::config
