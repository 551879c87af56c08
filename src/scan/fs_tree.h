// Walks a root filesystem directory (an unpacked image, a mounted node image, or the host's own
// "/") and dispatches its files to analyzers, as if it were one layer. Symlinks are recorded,
// never followed; pseudo filesystems (proc, sysfs, devtmpfs, cgroup, tracefs, ...) are skipped.
#pragma once

#include <string>
#include <vector>

#include "analyze/analyzer.h"
#include "scan/dispatcher.h"
#include "scan/layer_result.h"

namespace hivesec::scan {

struct TreeOptions {
  WalkLimits limits;
  // Paths relative to the root to skip entirely ("var/lib/containers").
  std::vector<std::string> skip_dirs;
  int max_depth = 256;
};

// kNotFound when `root` is missing, kInvalidArgument when it is not a directory. Unreadable
// files and directories below the root become notes.
Result<LayerResult> analyze_tree(const std::string& root, const analyze::Registry& registry,
                                 const TreeOptions& options);

}  // namespace hivesec::scan
