// ScanResult: everything one run of hivesec says about one asset. Report writers, the store
// and (later) the server consume it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image/image.h"
#include "model/asset.h"
#include "model/finding.h"
#include "model/os.h"
#include "model/package.h"

namespace hivesec::model {

struct LayerSummary {
  std::string digest;
  std::string diff_id;
  int64_t size = -1;
  std::string created_by;  // from the history entry of this layer
  bool cached = false;     // result came from the layer cache
};

struct ScanResult {
  Asset asset;
  std::optional<image::ImageMeta> image;  // absent for filesystems and SBOMs
  OsInfo os;
  std::vector<LayerSummary> layers;
  std::vector<Package> packages;  // sorted by type, name, version, location
  std::vector<Finding> findings;
  std::vector<std::string> notes;  // warnings: unsupported formats, skipped files, ...
  // Scanners that ran after the inventory ("vuln", ...); empty for a plain inventory.
  std::vector<std::string> scanners;
  std::string scanned_at;          // RFC 3339 UTC
  std::string tool_version = HIVESEC_VERSION;
};

}  // namespace hivesec::model
