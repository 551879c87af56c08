// LayerResult: what analyzing one layer (or one filesystem tree) produced. This is the unit
// the layer cache stores, keyed by diffID + analyzer versions + options.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "analyze/analyzer.h"

namespace hivesec::scan {

struct LayerResult {
  std::string diff_id;
  analyze::AnalysisOutput output;
  // Paths some analyzer looked at: a later layer's copy replaces an earlier layer's results.
  std::vector<std::string> analyzed_paths;
  // Paths deleted by ".wh.<name>" entries, and directories made opaque by ".wh..wh..opq".
  std::vector<std::string> whiteouts;
  std::vector<std::string> opaque_dirs;
  // Symbolic links: path -> target as stored.
  std::map<std::string, std::string> symlinks;
  int64_t entries = 0;
  int64_t bytes = 0;  // uncompressed bytes
};

void to_json(nlohmann::json& j, const LayerResult& r);
void from_json(const nlohmann::json& j, LayerResult& r);

}  // namespace hivesec::scan
