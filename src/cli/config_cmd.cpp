// `hivesec config scan PATH...`: misconfigurations in build and deployment files (Dockerfiles,
// Kubernetes manifests), with the same report formats, severity filter, ignore files and
// --exit-code gate as the image scans, plus --skip and --standard to select checks.
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/scan_flags.h"
#include "config/config_scan.h"
#include "config/file_kinds.h"
#include "suppress/filter.h"

namespace hivesec::cli {

namespace {

struct ConfigOptions {
  std::vector<std::string> paths;
  std::vector<std::string> severities;
  std::vector<std::string> ignore_files;
  std::vector<std::string> skip;
  std::string standard;
  int exit_code = 0;
  ScanFlags flags;  // format and output
};

int run_config_scan(const ConfigOptions& o) {
  suppress::FilterOptions fo;
  for (const std::string& name : o.severities) {
    auto sev = model::parse_severity(name);
    if (!sev) {
      return report_error(make_error(
          Errc::kInvalidArgument, "unknown severity '{}' (known: critical, high, medium, low, unknown)", name));
    }
    fo.severities.push_back(*sev);
  }
  fo.ignore_files = o.ignore_files.empty() ? suppress::default_ignore_files() : o.ignore_files;
  auto filters = suppress::Suppressor::load(fo);
  if (!filters.ok()) return report_error(filters.error());

  config::ConfigScanOptions so;
  auto standard = config::parse_k8s_standard(o.standard);
  if (!standard.ok()) return report_error(standard.error());
  so.selection.standard = *standard;
  so.selection.skip.insert(o.skip.begin(), o.skip.end());

  config::FileKindRegistry kinds;
  if (auto st = config::register_builtin_file_kinds(kinds); !st.ok()) return report_error(st.error());
  auto scanned = config::scan_config_paths(o.paths, kinds, so);
  if (!scanned.ok()) return report_error(scanned.error());
  model::ScanResult result = std::move(scanned).value();
  for (const auto& n : result.notes) std::fprintf(stderr, "hivesec: warning: %s\n", n.c_str());
  filters->apply(result);
  if (auto st = write_report(result, o.flags); !st.ok()) return report_error(st.error());
  if (o.exit_code != 0 && !result.findings.empty()) return o.exit_code;
  return 0;
}

}  // namespace

void register_config_command(CLI::App& app, Action& action) {
  auto* config = app.add_subcommand("config", "Check build and deployment files for misconfigurations");
  config->require_subcommand(1);
  auto o = std::make_shared<ConfigOptions>();
  auto* scan = config->add_subcommand(
      "scan", "Check Dockerfiles and Kubernetes manifests (files, directories searched recursively, - for stdin)");
  scan->add_option("path", o->paths,
                   "Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*, Kubernetes YAML/JSON, a directory, "
                   "or - (standard input, e.g. helm template output)")
      ->required();
  scan->add_option("-f,--format", o->flags.format, "Output format: table, json, sarif, html")
      ->capture_default_str();
  scan->add_option("-o,--output", o->flags.output, "Write the report to this file instead of stdout");
  scan->add_option("--severity", o->severities,
                   "Only report these severities, comma-separated: critical,high,medium,low,unknown")
      ->delimiter(',');
  scan->add_option("--ignorefile", o->ignore_files,
                   "Ignore file(s) (default: ./.hivesecignore when present)");
  scan->add_option("--skip", o->skip, "Check ids not to run (repeatable, comma-separated)")->delimiter(',');
  scan->add_option("--standard", o->standard,
                   "Only checks mapped to this standard: baseline, restricted (Pod Security Standards; "
                   "restricted includes baseline), nsa (NSA/CISA hardening guide), cis (CIS benchmarks)");
  scan->add_option("--exit-code", o->exit_code,
                   "Exit with this status when findings remain after filters (default 0)");
  scan->callback([&action, o] { action = [o] { return run_config_scan(*o); }; });
}

}  // namespace hivesec::cli
