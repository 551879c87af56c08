// Loads check files (rules/benchmarks/*.yaml, custom baselines) into the check model and
// composes a run's check list (base benchmark + baselines - disabled - skipped).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "policy/check.h"
#include "policy/collector.h"
#include "policy/operators.h"

namespace hivesec::policy {

struct Registries {
  const CollectorRegistry* collectors = nullptr;
  const OperatorRegistry* operators = nullptr;
};

// Parses one YAML file. Errors are kInvalidArgument "<name>:<line>: <reason>" (bad YAML, a
// missing field, an unknown collector/operator/fact, a bad value, a duplicate id). Never throws.
Result<CheckFile> parse_check_file(std::string_view yaml, std::string_view name,
                                   const Registries& reg);

// Reads and parses a file from disk (bounded to 4 MiB).
Result<CheckFile> load_check_file(const std::string& path, const Registries& reg);

// The embedded files under rules/benchmarks/ whose `benchmark:` is `benchmark`, parsed, in
// name order; kNotFound when none.
Result<std::vector<CheckFile>> load_builtin_benchmark(std::string_view benchmark,
                                                      const Registries& reg);

// base checks, then each baseline: `disable:` ids removed, `override: true` checks replace the
// check with their id, other checks added (a duplicate id is an error); then `skip` ids removed.
// Unknown ids in disable/override/skip are kInvalidArgument.
Result<std::vector<Check>> compose_checks(std::vector<CheckFile> base,
                                          std::vector<CheckFile> baselines,
                                          const std::vector<std::string>& skip);

}  // namespace hivesec::policy
