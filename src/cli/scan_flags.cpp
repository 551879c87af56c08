#include "cli/scan_flags.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "analyze/analyzer.h"
#include "image/source.h"
#include "report/writer.h"
#include "scan/inventory.h"
#include "scan/layer_cache.h"

namespace hivesec::cli {

void add_scan_flags(CLI::App* cmd, ScanFlags& f, bool image_flags) {
  cmd->add_option("-f,--format", f.format,
                  "Output format: table, json, cyclonedx, cyclonedx-1.5, spdx, sarif, html")
      ->capture_default_str();
  cmd->add_option("-o,--output", f.output, "Write the report to this file instead of stdout");
  cmd->add_option("--analyzers", f.analyzers, "Only run these analyzers (comma-separated)")
      ->delimiter(',');
  if (image_flags) {
    cmd->add_option("--cache-dir", f.cache_dir,
                    "Layer cache directory (default: ~/.cache/hivesec)");
    cmd->add_flag("--no-cache", f.no_cache, "Neither read nor write the layer cache");
    cmd->add_option("--platform", f.platform,
                    "Platform to pick from a multi-arch image (linux/arm64)");
    cmd->add_option("--username", f.username,
                    "Registry user (else $HIVESEC_USERNAME, docker config)")
        ->envname("HIVESEC_USERNAME");
    cmd->add_option("--password", f.password, "Registry password (else $HIVESEC_PASSWORD)")
        ->envname("HIVESEC_PASSWORD");
    cmd->add_flag("--insecure", f.insecure, "Allow plain HTTP and unverified TLS for registries");
    cmd->add_option("--parallel", f.parallel, "Layers analyzed at once (default: number of CPUs)");
  }
  cmd->add_option("--skip-dir", f.skip_dirs, "Filesystem scans: directories to skip (repeatable)");
}

namespace {

Result<analyze::Registry> make_registry(const ScanFlags& f) {
  analyze::Registry reg;
  analyze::AnalyzerOptions opts = f.content;
  opts.scanners = f.layer_scanners;
  opts.all_scanners = false;
  if (opts.cache_dir.empty()) {
    opts.cache_dir = f.cache_dir.empty() ? scan::default_cache_dir() : f.cache_dir;
  }
  HIVESEC_TRY_STATUS(analyze::register_builtins(reg, opts));
  reg.retain_scanners(f.layer_scanners);
  if (!f.analyzers.empty()) HIVESEC_TRY_STATUS(reg.retain(f.analyzers));
  return reg;
}

bool is_plain_dir(const std::string& ref) {
  struct stat st {};
  if (stat(ref.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  return access((ref + "/oci-layout").c_str(), F_OK) != 0;
}

}  // namespace

Result<model::ScanResult> run_fs_inventory(const std::string& dir, const ScanFlags& f) {
  HIVESEC_TRY(auto reg, make_registry(f));
  scan::TreeOptions opts;
  for (const auto& s : f.skip_dirs) {
    std::string rel = s;
    while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
    while (!rel.empty() && rel.back() == '/') rel.pop_back();
    opts.skip_dirs.push_back(rel);
  }
  std::error_code ec;
  if (std::filesystem::equivalent(dir, "/", ec)) {
    // The host itself: runtime state and device trees are not part of what is installed.
    for (const char* d :
         {"proc", "sys", "dev", "run", "tmp", "var/lib/containers", "var/lib/docker"}) {
      opts.skip_dirs.emplace_back(d);
    }
  }
  return scan::inventory_tree(dir, reg, opts);
}

Result<model::ScanResult> run_inventory(const std::string& ref, const ScanFlags& f,
                                        bool allow_dir) {
  std::string r = ref;
  if (r.starts_with("dir:") || r.starts_with("fs:")) {
    return run_fs_inventory(r.substr(r.find(':') + 1), f);
  }
  if (allow_dir && is_plain_dir(r)) return run_fs_inventory(r, f);
  if ((r.starts_with("/") || r.starts_with("./") || r.starts_with("../")) &&
      access(r.c_str(), F_OK) != 0) {
    return make_error(Errc::kNotFound, "{}: no such file or directory", r);
  }

  image::SourceRegistry sources;
  HIVESEC_TRY_STATUS(image::register_builtin_sources(sources));
  image::SourceOptions so;
  if (!f.platform.empty()) {
    HIVESEC_TRY(auto p, image::parse_platform(f.platform));
    so.platform = p;
  }
  so.username = f.username;
  so.password = f.password;
  so.insecure = f.insecure;
  so.temp_dir = (f.cache_dir.empty() ? scan::default_cache_dir() : f.cache_dir) + "/tmp";
  HIVESEC_TRY(auto reg, make_registry(f));  // bad user rules fail before any download
  HIVESEC_TRY(auto source, image::open_image(sources, r, so));
  scan::InventoryOptions io;
  io.use_cache = !f.no_cache;
  io.cache_dir = f.cache_dir;
  io.parallel = f.parallel;
  return scan::inventory_image(*source, reg, io);
}

Status write_report(const model::ScanResult& result, const ScanFlags& f) {
  report::WriterRegistry writers;
  HIVESEC_TRY_STATUS(report::register_builtin_writers(writers));
  const report::Writer* w = writers.find(f.format);
  if (!w) {
    std::string known;
    for (const auto& n : writers.names()) known += (known.empty() ? "" : ", ") + n;
    return make_error(Errc::kInvalidArgument, "unknown format '{}' (known: {})", f.format, known);
  }
  std::ostringstream doc;
  HIVESEC_TRY_STATUS(w->write(result, doc));
  const std::string data = doc.str();
  if (f.output.empty() || f.output == "-") {
    std::fwrite(data.data(), 1, data.size(), stdout);
    std::fflush(stdout);
    return ok_status();
  }
  // A device, FIFO or socket (-o /dev/null, -o /dev/stdout) is written to, never renamed over:
  // as root the rename would replace /dev/null with a regular file.
  if (struct stat st{}; stat(f.output.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode))
      return make_error(Errc::kInvalidArgument, "{}: is a directory", f.output);
    std::ofstream out(f.output, std::ios::binary);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) return make_error(Errc::kIo, "cannot write {}", f.output);
    return ok_status();
  }
  // Write next to the target and rename, so a failure never leaves a half-written report.
  std::string tmp = f.output + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      return make_error(Errc::kIo, "cannot write {}", f.output);
    }
  }
  if (std::rename(tmp.c_str(), f.output.c_str()) != 0) {
    int err = errno;
    std::remove(tmp.c_str());
    return make_error(Errc::kIo, "cannot write {}: {}", f.output, std::strerror(err));
  }
  return ok_status();
}

int report_or_error(const Result<model::ScanResult>& result, const ScanFlags& flags) {
  if (!result.ok()) return report_error(result.error());
  auto st = write_report(*result, flags);
  if (!st.ok()) return report_error(st.error());
  return 0;
}

int report_error(const Error& e) {
  std::string msg = e.message;
  for (char& c : msg) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::fprintf(stderr, "hivesec: error: %s\n", msg.c_str());
  return e.code == Errc::kInternal ? 3 : 2;
}

}  // namespace hivesec::cli
