#include "cli/scan_pipeline.h"

#include <algorithm>

#include "cli/scanners.h"
#include "store/store.h"

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
  cmd->add_option("--store", o.store,
                  "Inventory store kept for re-matching (default: ~/.local/share/hivesec/store.db)");
  cmd->add_flag("--no-store", o.no_store, "Do not keep this scan in the inventory store");
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
  // Keep the inventory and every finding (before filters: filters are per report) so that
  // `db update` can re-match it later.
  if (!options.no_store) {
    auto store = store::open_store(options.store.empty() ? store::default_store_path()
                                                         : options.store);
    if (!store.ok()) return report_error(store.error());
    if (auto st = (*store)->put(result); !st.ok()) return report_error(st.error());
  }
  if (auto st = write_report(result, flags); !st.ok()) return report_error(st.error());
  if (options.exit_code != 0 && !result.findings.empty()) return options.exit_code;
  return 0;
}

}  // namespace hivesec::cli
