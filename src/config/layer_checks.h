// Layer checks of the "config" scanner: properties of single files seen during the layer pass
// (mode, type, path; never content), one entry per check id. The "config-files" analyzer
// (analyze/config_files.cpp) runs them; image checks (image_checks.h) later aggregate the
// per-file findings of HS-IMG-008 and HS-IMG-010, which carry extra["per-file"] = "1".
#pragma once

#include <map>
#include <string_view>

#include "analyze/analyzer.h"
#include "model/finding.h"

namespace hivesec::config {

struct LayerCheck {
  // Cheap test on path and metadata; no allocation on the common "no" path.
  bool (*matches)(const analyze::FileInfo& file);
  // Adds what the check saw to a finding that already has the catalogue's fields.
  void (*describe)(const analyze::FileInfo& file, model::Finding& finding);
};

const std::map<std::string_view, LayerCheck>& layer_checks();

// The package-manager cache directory `path` lies in ("var/lib/apt/lists"), "" when none.
std::string_view cache_dir_of(std::string_view path);

}  // namespace hivesec::config
