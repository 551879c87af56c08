// The scanners a scan command can run (`--scanners vuln,...`), registered by name. Each one
// adds findings of its kind to a ScanResult after the inventory; all run by default.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/scan_result.h"

namespace hivesec::cli {

struct ScanOptions;  // scan_pipeline.h

struct Scanner {
  std::string_view name;
  std::string_view description;
  // Adds this scanner's findings (and notes) to `result`; warnings go to stderr.
  std::function<Status(model::ScanResult& result, const ScanOptions& options)> run;
};

// Every built-in scanner, in the order they run.
const std::vector<Scanner>& builtin_scanners();

// The scanners named in `names` (all when empty), in registry order. kInvalidArgument naming
// an unknown one.
Result<std::vector<const Scanner*>> select_scanners(const std::vector<std::string>& names);

}  // namespace hivesec::cli
