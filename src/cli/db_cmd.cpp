// `hivesec db import PATH... [--db FILE] [--fresh]`, `hivesec db status [--db FILE]` and
// `hivesec db rematch`: the local advisory database (src/vulndb).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/rematch.h"
#include "cli/scan_flags.h"
#include "store/store.h"
#include "vulndb/vulndb.h"

namespace hivesec::cli {

namespace {

constexpr size_t kPrintedReasons = 20;

int run_import(const std::vector<std::string>& paths, const std::string& db, bool fresh) {
  vulndb::ImportOptions options;
  options.fresh = fresh;
  auto stats = vulndb::import_paths(paths, db, options);
  if (!stats.ok()) return report_error(stats.error());
  if (stats->rebuilt_corrupt) {
    std::fprintf(stderr, "hivesec: warning: the previous database %s was corrupt; rebuilt it\n",
                 db.c_str());
  }
  size_t shown = 0;
  for (const auto& s : stats->skipped_reasons) {
    if (shown++ == kPrintedReasons) break;
    std::fprintf(stderr, "hivesec: skipped %s: %s\n", s.where.c_str(), s.reason.c_str());
  }
  if (stats->skipped > static_cast<int64_t>(kPrintedReasons)) {
    std::fprintf(stderr, "hivesec: ... and %lld more skipped records\n",
                 static_cast<long long>(stats->skipped) - static_cast<long long>(kPrintedReasons));
  }
  double rate = stats->seconds > 0 ? static_cast<double>(stats->imported) / stats->seconds : 0;
  std::printf(
      "imported %lld records (%lld skipped) into %s in %.2f s (%.0f records/s); %lld "
      "advisories in the database\n",
      static_cast<long long>(stats->imported), static_cast<long long>(stats->skipped), db.c_str(),
      stats->seconds, rate, static_cast<long long>(stats->advisories_total));
  return 0;
}

int run_status(const std::string& db_path) {
  auto db = vulndb::open_database_read_only(db_path);
  if (!db.ok()) return report_error(db.error());
  auto s = (*db)->status();
  if (!s.ok()) return report_error(s.error());
  std::printf("database:       %s\n", s->path.c_str());
  std::printf("schema version: %d\n", s->schema_version);
  std::printf("last import:    %s\n", s->last_import.empty() ? "never" : s->last_import.c_str());
  std::string sources;
  for (const auto& src : s->sources) sources += (sources.empty() ? "" : ", ") + src;
  std::printf("sources:        %s\n", sources.empty() ? "-" : sources.c_str());
  std::printf("advisories:     %lld\n", static_cast<long long>(s->advisories));
  std::printf("\n%-20s %12s %10s\n", "ECOSYSTEM", "ADVISORIES", "WITHDRAWN");
  for (const auto& e : s->ecosystems) {
    std::printf("%-20s %12lld %10lld\n", e.ecosystem.c_str(), static_cast<long long>(e.advisories),
                static_cast<long long>(e.withdrawn));
  }
  return 0;
}

}  // namespace

void register_db_command(CLI::App& app, Action& action) {
  auto* db = app.add_subcommand("db", "Manage the local vulnerability database");
  db->require_subcommand(1);
  auto db_path = std::make_shared<std::string>();
  const std::string db_help =
      "Database file (default: $XDG_DATA_HOME/hivesec/vuln.db or ~/.local/share/hivesec/vuln.db)";

  auto paths = std::make_shared<std::vector<std::string>>();
  auto fresh = std::make_shared<bool>(false);
  auto* imp = db->add_subcommand(
      "import", "Import OSV advisories: JSON files, directories, <Ecosystem>/all.zip");
  imp->add_option("paths", *paths, "OSV JSON files, directories or zips")->required();
  imp->add_option("--db", *db_path, db_help);
  imp->add_flag("--fresh", *fresh, "Start from an empty database instead of adding to it");
  imp->callback([&action, paths, db_path, fresh] {
    action = [paths, db_path, fresh] {
      return run_import(*paths, db_path->empty() ? vulndb::default_db_path() : *db_path, *fresh);
    };
  });

  auto* status = db->add_subcommand("status", "Show what the database holds and its age");
  status->add_option("--db", *db_path, db_help);
  status->callback([&action, db_path] {
    action = [db_path] {
      return run_status(db_path->empty() ? vulndb::default_db_path() : *db_path);
    };
  });

  auto store_path = std::make_shared<std::string>();
  auto* rematch = db->add_subcommand(
      "rematch", "Match every stored scan against the database again; report new and resolved");
  rematch->add_option("--db", *db_path, "Database file (default: as for scans)");
  rematch->add_option("--store", *store_path,
                      "Inventory store (default: ~/.local/share/hivesec/store.db)");
  rematch->callback([&action, db_path, store_path] {
    action = [db_path, store_path] {
      return rematch_and_report(vulndb::locate_db(*db_path),
                                store_path->empty() ? store::default_store_path() : *store_path);
    };
  });
}

}  // namespace hivesec::cli
