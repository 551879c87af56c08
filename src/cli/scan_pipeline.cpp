#include "cli/scan_pipeline.h"

#include "scan/layer_cache.h"

#include <algorithm>

#include "cli/scanners.h"
#include "store/store.h"
#include "suppress/filter.h"

namespace hivesec::cli {

void add_scan_options(CLI::App* cmd, ScanOptions& o) {
  cmd->add_option("--scanners", o.scanners,
                  "Scanners to run, comma-separated (default: all): vuln, file, secret, malware, "
                  "password, config")
      ->delimiter(',');
  cmd->add_option("--db", o.db,
                  "Advisory database (default: $HIVESEC_DB, ~/.local/share/hivesec/vuln.db, "
                  "else the bundled one)");
  cmd->add_option("--db-max-age", o.db_max_age_days,
                  "Warn when the advisory database is older than this many days")
      ->capture_default_str();
  cmd->add_option("--severity", o.severities,
                  "Only report these severities, comma-separated: critical,high,medium,low,unknown")
      ->delimiter(',');
  cmd->add_flag("--ignore-unfixed", o.ignore_unfixed,
                "Hide vulnerabilities that have no fixed version yet");
  cmd->add_option("--exit-code", o.exit_code,
                  "Exit with this status when findings remain after filters (default 0)");
  cmd->add_option("--ignorefile", o.ignore_files,
                  "Ignore file(s) (default: ./.hivesecignore when present)");
  cmd->add_option("--vex", o.vex_files, "OpenVEX or CycloneDX VEX document(s) (repeatable)");
  cmd->add_option("--store", o.store,
                  "Inventory store kept for re-matching (default: ~/.local/share/hivesec/store.db)");
  cmd->add_flag("--no-store", o.no_store, "Do not keep this scan in the inventory store");
  // Secret scanner (docs/commands/secrets.md).
  cmd->add_option("--secret-rules", o.content.secret_rule_files,
                  "Secret rule file adding, overriding or disabling rules (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--secret-max-size", o.content.secret_max_size,
                  "Skip larger files in the secret scan (bytes; suffixes K, M, G)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  cmd->add_option("--password-time-budget", o.content.password_budget_ms,
                  "Password scanner: milliseconds of crypt work per image (all layers)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  // malware scanner
  cmd->add_option("--yara-rules", o.content.yara_rule_dirs,
                  "Malware: directory of extra YARA rules (*.yar, *.yara; recursive; repeatable)");
  cmd->add_option("--malware-max-size", o.content.malware_max_size,
                  "Malware: larger files are skipped, with a note (suffixes K, M, G)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  cmd->add_option("--clamav-db", o.content.clamav_db,
                  "Malware: also scan with ClamAV signatures from this directory (needs "
                  "libclamav.so.12)");
  cmd->add_option("--deny-list", o.content.deny_list_files,
                  "Malware: extra sha256 deny-list file (YAML, repeatable)");
  cmd->add_flag_callback(
      "--malware-scan-package-files", [&o] { o.content.malware_skip_package_files = false; },
      "Malware: run YARA also on files the layer's package database (dpkg, apk, rpm) proves "
      "unmodified (default: left out, with a note)");
}

namespace {

Result<suppress::Suppressor> load_filters(const ScanOptions& options) {
  suppress::FilterOptions fo;
  for (const std::string& name : options.severities) {
    auto sev = model::parse_severity(name);
    if (!sev) {
      return make_error(Errc::kInvalidArgument,
                        "unknown severity '{}' (known: critical, high, medium, low, unknown)",
                        name);
    }
    fo.severities.push_back(*sev);
  }
  fo.ignore_unfixed = options.ignore_unfixed;
  fo.ignore_files =
      options.ignore_files.empty() ? suppress::default_ignore_files() : options.ignore_files;
  fo.vex_files = options.vex_files;
  return suppress::Suppressor::load(fo);
}

}  // namespace

int run_scan(const std::function<Result<model::ScanResult>(const ScanFlags&)>& inventory,
             const ScanFlags& flags, const ScanOptions& given) {
  // Compiled-rule caches live with the layer cache.
  ScanOptions options = given;
  if (options.content.cache_dir.empty()) {
    options.content.cache_dir = flags.cache_dir.empty() ? scan::default_cache_dir() : flags.cache_dir;
  }
  // Everything the user wrote is checked before the (possibly long) scan starts.
  auto selected = select_scanners(options.scanners);
  if (!selected.ok()) return report_error(selected.error());
  auto filters = load_filters(options);
  if (!filters.ok()) return report_error(filters.error());

  // Scanners that work inside the layer pass turn on their analyzers.
  ScanFlags layer_flags = flags;
  layer_flags.content = options.content;
  for (const Scanner* s : *selected) layer_flags.layer_scanners.emplace_back(s->name);
  auto scanned = inventory(layer_flags);
  if (!scanned.ok()) return report_error(scanned.error());
  model::ScanResult result = std::move(scanned).value();
  for (const Scanner* s : *selected) {
    if (auto st = s->run(result, options); !st.ok()) {
      return report_error(std::move(st).error().wrap(std::string(s->name) + " scanner"));
    }
    result.scanners.emplace_back(s->name);
  }
  // Keep the inventory and every finding (before filters: filters are per report) so that
  // `db update` can re-match it later.
  if (!options.no_store) {
    auto store = store::open_store(options.store.empty() ? store::default_store_path()
                                                         : options.store);
    if (!store.ok()) return report_error(store.error());
    if (auto st = (*store)->put(result); !st.ok()) return report_error(st.error());
  }
  filters->apply(result);
  if (auto st = write_report(result, flags); !st.ok()) return report_error(st.error());
  if (options.exit_code != 0 && !result.findings.empty()) return options.exit_code;
  return 0;
}

}  // namespace hivesec::cli
