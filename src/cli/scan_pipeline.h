// `image scan`, `fs scan`, `sbom scan`: inventory -> scanners (vulnerabilities, ...) ->
// filters (severity, unfixed, ignore file, VEX) -> report, with `--exit-code` gating for CI.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "cli/scan_flags.h"
#include "common/result.h"
#include "model/scan_result.h"

namespace hivesec::cli {

struct ScanOptions {
  std::vector<std::string> scanners;  // empty: all
  std::string db;                     // advisory database ("" -> vulndb::locate_db)
  int db_max_age_days = 7;            // warn when the database is older
  std::vector<std::string> severities;
  bool ignore_unfixed = false;
  int exit_code = 0;  // exit status when findings remain after filters (0: always 0)
  std::vector<std::string> ignore_files;
  std::vector<std::string> vex_files;
  std::string store;  // inventory store ("" -> default)
  bool no_store = false;
  analyze::AnalyzerOptions content;  // --secret-rules, --yara-rules, size caps, ...
};

void add_scan_options(CLI::App* cmd, ScanOptions& options);

// Checks the options (scanners, severities, ignore files, VEX), runs `inventory`, the scanners
// and the filters, keeps the scan in the store and writes the report; returns the exit status
// (`exit_code` when findings remain after the filters).
// `inventory` receives `flags` with layer_scanners set to the selected scanners.
int run_scan(const std::function<Result<model::ScanResult>(const ScanFlags&)>& inventory,
             const ScanFlags& flags, const ScanOptions& options);

}  // namespace hivesec::cli
