// The inventory pipeline: source -> layers (cached, in parallel) -> analyzers -> merged view.
#pragma once

#include <string>

#include "analyze/analyzer.h"
#include "image/source.h"
#include "model/scan_result.h"
#include "scan/fs_tree.h"

namespace hivesec::scan {

struct InventoryOptions {
  bool use_cache = true;
  std::string cache_dir;  // "" -> default_cache_dir()
  int parallel = 0;       // layers analyzed at once; 0 -> number of CPUs
  WalkLimits limits;
};

// Analyzes every layer of `source` once (or takes it from the cache without reading it) and
// merges them. The first layer error aborts the scan and is returned (kCorrupt, kLimit, ...).
Result<model::ScanResult> inventory_image(const image::ImageSource& source,
                                          const analyze::Registry& registry,
                                          const InventoryOptions& options);

// Analyzes a root filesystem directory.
Result<model::ScanResult> inventory_tree(const std::string& root, const analyze::Registry& registry,
                                         const TreeOptions& options);


}  // namespace hivesec::scan
