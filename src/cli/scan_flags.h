// Flags shared by every command that reads an image or a filesystem, and the common steps:
// open -> inventory -> write the report. Errors print one line and map to exit codes.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "analyze/analyzer.h"
#include "common/result.h"
#include "model/scan_result.h"

namespace hivesec::cli {

struct ScanFlags {
  std::string format = "table";
  std::string output;  // "" -> stdout
  std::string cache_dir;
  bool no_cache = false;
  std::string platform;
  std::string username;
  std::string password;
  bool insecure = false;
  int parallel = 0;
  std::vector<std::string> analyzers;
  std::vector<std::string> skip_dirs;
  // Scanners whose analyzers run in the layer pass ("file", ...); empty for inventories.
  std::vector<std::string> layer_scanners;
  // Rule sets, caps and caches of the content scanners (set by run_scan from ScanOptions).
  analyze::AnalyzerOptions content;
};

// Adds the image/fs flags to `cmd`; `formats_help` lists the formats that command accepts.
void add_scan_flags(CLI::App* cmd, ScanFlags& flags, bool image_flags);

// Inventories an image reference (any source) or, when `allow_dir` and `ref` is a plain
// directory (not an OCI layout), a root filesystem.
Result<model::ScanResult> run_inventory(const std::string& ref, const ScanFlags& flags,
                                        bool allow_dir);
Result<model::ScanResult> run_fs_inventory(const std::string& dir, const ScanFlags& flags);

// Writes the report in flags.format to flags.output (atomically) or stdout.
Status write_report(const model::ScanResult& result, const ScanFlags& flags);

// Writes the report of a successful scan, or prints the scan's error; returns the exit status.
int report_or_error(const Result<model::ScanResult>& result, const ScanFlags& flags);

// Prints "hivesec: error: <message>" and returns the exit status for `e` (2, or 3 for bugs).
int report_error(const Error& e);

}  // namespace hivesec::cli
