#include "cli/scan_pipeline.h"

#include <algorithm>

#include "cli/scanners.h"

namespace hivesec::cli {

void add_scan_options(CLI::App* cmd, ScanOptions& o) {
  cmd->add_option("--scanners", o.scanners, "Scanners to run, comma-separated (default: all): vuln")
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
}

int run_scan(Result<model::ScanResult> inventory, const ScanFlags& flags,
             const ScanOptions& options) {
  if (!inventory.ok()) return report_error(inventory.error());
  model::ScanResult result = std::move(inventory).value();
  auto selected = select_scanners(options.scanners);
  if (!selected.ok()) return report_error(selected.error());
  for (const Scanner* s : *selected) {
    if (auto st = s->run(result, options); !st.ok()) {
      return report_error(std::move(st).error().wrap(std::string(s->name) + " scanner"));
    }
  }
  if (auto st = write_report(result, flags); !st.ok()) return report_error(st.error());
  if (options.exit_code != 0 && !result.findings.empty()) return options.exit_code;
  return 0;
}

}  // namespace hivesec::cli
