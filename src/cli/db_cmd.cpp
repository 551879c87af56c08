// `hivesec db import PATH... [--db FILE] [--fresh]`, `hivesec db update [--mirror URL|DIR]
// [--ecosystems LIST] [--db FILE] ...`, `hivesec db status [--db FILE]` and `hivesec db rematch`:
// the local advisory database (src/vulndb) and re-matching the stored scans against it.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/rematch.h"
#include "cli/scan_flags.h"
#include "common/time.h"
#include "store/store.h"
#include "vulndb/update.h"
#include "vulndb/vulndb.h"

namespace hivesec::cli {

namespace {

constexpr size_t kPrintedReasons = 20;

void print_skipped(const std::vector<vulndb::SkippedRecord>& reasons, int64_t skipped) {
  size_t shown = std::min(reasons.size(), kPrintedReasons);
  for (size_t i = 0; i < shown; ++i) {
    std::fprintf(stderr, "hivesec: skipped %s: %s\n", reasons[i].where.c_str(),
                 reasons[i].reason.c_str());
  }
  if (skipped > static_cast<int64_t>(shown)) {
    std::fprintf(stderr, "hivesec: ... and %lld more skipped records\n",
                 static_cast<long long>(skipped) - static_cast<long long>(shown));
  }
}

int run_import(const std::vector<std::string>& paths, const std::string& db, bool fresh) {
  vulndb::ImportOptions options;
  options.fresh = fresh;
  auto stats = vulndb::import_paths(paths, db, options);
  if (!stats.ok()) return report_error(stats.error());
  if (stats->rebuilt_corrupt) {
    std::fprintf(stderr, "hivesec: warning: the previous database %s was corrupt; rebuilt it\n",
                 db.c_str());
  }
  print_skipped(stats->skipped_reasons, stats->skipped);
  double rate = stats->seconds > 0 ? static_cast<double>(stats->imported) / stats->seconds : 0;
  std::printf(
      "imported %lld records (%lld skipped) into %s in %.2f s (%.0f records/s); %lld "
      "advisories in the database\n",
      static_cast<long long>(stats->imported), static_cast<long long>(stats->skipped), db.c_str(),
      stats->seconds, rate, static_cast<long long>(stats->advisories_total));
  return 0;
}

std::string human_bytes(uint64_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 3) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", n) : fmt::format("{:.1f} {}", v, units[u]);
}

// "2G", "512M", "100K" or plain bytes (binary multiples).
CLI::Validator size_validator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        if (s.empty()) return "empty size";
        uint64_t mult = 1;
        std::string digits = s;
        switch (digits.back()) {
          case 'K':
          case 'k':
            mult = 1ull << 10;
            break;
          case 'M':
          case 'm':
            mult = 1ull << 20;
            break;
          case 'G':
          case 'g':
            mult = 1ull << 30;
            break;
          default:
            break;
        }
        if (mult != 1) digits.pop_back();
        if (digits.empty() || digits.size() > 12 ||
            digits.find_first_not_of("0123456789") != std::string::npos) {
          return "expected a size such as 2G, 512M, 100K or a number of bytes";
        }
        uint64_t v = std::stoull(digits) * mult;
        if (v == 0) return "the size must be positive";
        s = std::to_string(v);
        return "";
      },
      "SIZE");
}

int run_update(const vulndb::UpdateOptions& options, const std::string& store_path, bool rematch) {
  auto report = vulndb::update(options);
  if (!report.ok()) return report_error(report.error());
  if (report->rebuilt_corrupt) {
    std::fprintf(stderr, "hivesec: warning: the previous database %s was corrupt; rebuilt it\n",
                 report->db_path.c_str());
  }
  size_t width = 10;
  for (const auto& u : report->ecosystems) width = std::max(width, u.ecosystem.size() + 1);
  for (const auto& u : report->ecosystems) {
    switch (u.outcome) {
      case vulndb::UpdateOutcome::kNotModified:
        std::printf("%-*s not modified\n", static_cast<int>(width), u.ecosystem.c_str());
        break;
      case vulndb::UpdateOutcome::kUpdated:
        std::printf(
            "%-*s %lld records: %zu added, %zu changed, %zu removed, %lld unchanged; %lld "
            "skipped (%s)\n",
            static_cast<int>(width), u.ecosystem.c_str(), static_cast<long long>(u.records),
            u.added.size(), u.modified.size(), u.removed.size(),
            static_cast<long long>(u.unchanged), static_cast<long long>(u.skipped),
            human_bytes(u.bytes).c_str());
        std::fflush(stdout);  // keep each ecosystem's stderr lines after its stdout line
        print_skipped(u.skipped_reasons, u.skipped);
        break;
      case vulndb::UpdateOutcome::kFailed:
        std::printf("%-*s failed\n", static_cast<int>(width), u.ecosystem.c_str());
        std::fflush(stdout);
        std::fprintf(stderr, "hivesec: error: %s: %s\n", u.ecosystem.c_str(), u.error.c_str());
        break;
    }
  }
  if (report->db_rebuilt) {
    std::printf("%lld advisories in %s (%.2f s)\n",
                static_cast<long long>(report->advisories_total), report->db_path.c_str(),
                report->seconds);
  } else {
    std::printf("nothing new to import into %s (%.2f s)\n", report->db_path.c_str(),
                report->seconds);
  }
  // New advisories reach the images already scanned: re-match the stored inventories.
  int rc = report->ok() ? 0 : 2;
  if (rematch && report->db_rebuilt && access(store_path.c_str(), F_OK) == 0) {
    std::printf("\n");
    std::fflush(stdout);
    int rrc = rematch_and_report(report->db_path, store_path);
    if (rc == 0) rc = rrc;
  }
  return rc;
}

int run_status(const std::string& db_path) {
  auto db = vulndb::open_database_read_only(db_path);
  if (!db.ok()) return report_error(db.error());
  auto s = (*db)->status();
  if (!s.ok()) return report_error(s.error());
  std::printf("database:       %s\n", s->path.c_str());
  std::printf("schema version: %d\n", s->schema_version);
  if (s->last_import.empty()) {
    std::printf("last import:    never\n");
  } else {
    std::printf("last import:    %s (%.1f days ago)\n", s->last_import.c_str(),
                days_since(s->last_import));
  }
  std::string sources;
  for (const auto& src : s->sources) sources += (sources.empty() ? "" : ", ") + src;
  std::printf("sources:        %s\n", sources.empty() ? "-" : sources.c_str());
  std::printf("advisories:     %lld\n", static_cast<long long>(s->advisories));
  std::printf("\n%-20s %12s %10s  %s\n", "ECOSYSTEM", "ADVISORIES", "WITHDRAWN", "NEWEST RECORD");
  for (const auto& e : s->ecosystems) {
    std::printf("%-20s %12lld %10lld  %s\n", e.ecosystem.c_str(),
                static_cast<long long>(e.advisories), static_cast<long long>(e.withdrawn),
                e.newest.empty() ? "-" : e.newest.c_str());
  }
  if (!s->fetches.empty()) {
    std::printf("\nfetched by `db update`:\n%-12s %-20s %-20s %-31s %s\n", "ECOSYSTEM",
                "LAST FETCHED", "LAST CHECKED", "LAST-MODIFIED", "ETAG");
    for (const auto& f : s->fetches) {
      std::printf("%-12s %-20s %-20s %-31s %s\n", f.ecosystem.c_str(), f.fetched.c_str(),
                  f.checked.c_str(), f.last_modified.empty() ? "-" : f.last_modified.c_str(),
                  f.etag.empty() ? "-" : f.etag.c_str());
      std::printf("%-12s from %s\n", "", f.source.c_str());
    }
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

  auto update = std::make_shared<vulndb::UpdateOptions>();
  auto* upd = db->add_subcommand(
      "update",
      "Fetch <Ecosystem>/all.zip from the OSV bucket or a mirror and replace those "
      "ecosystems' records");
  upd->add_option("--mirror", update->mirror,
                  "Base URL (http/https) or directory holding <Ecosystem>/all.zip (default: "
                  "https://osv-vulnerabilities.storage.googleapis.com)");
  upd->add_option("--ecosystems", update->ecosystems,
                  "Comma-separated bucket folders, e.g. PyPI,npm,Debian (default: those in the "
                  "database, else Debian,Alpine,Go,npm,PyPI,Maven,crates.io,RubyGems,NuGet,"
                  "Packagist)")
      ->delimiter(',');
  upd->add_option("--db", *db_path, db_help);
  upd->add_option("--max-size", update->max_download_bytes,
                  "Largest zip to download (K, M, G suffixes)")
      ->transform(size_validator())
      ->default_str("2G");
  upd->add_option("--timeout", update->stall_timeout_s,
                  "Abort a download that makes no progress for this many seconds")
      ->check(CLI::Range(1, 86400))
      ->default_val(60);
  upd->add_option("--max-time", update->total_timeout_s,
                  "Abort a download that takes longer than this many seconds (0: no limit)")
      ->check(CLI::Range(0, 604800))
      ->default_val(3600);
  auto store_path = std::make_shared<std::string>();
  auto no_rematch = std::make_shared<bool>(false);
  const std::string store_help = "Inventory store (default: ~/.local/share/hivesec/store.db)";
  upd->add_option("--store", *store_path,
                  store_help + "; its scans are re-matched after an update");
  upd->add_flag("--no-rematch", *no_rematch, "Do not re-match the stored scans");
  upd->callback([&action, update, db_path, store_path, no_rematch] {
    action = [update, db_path, store_path, no_rematch] {
      update->db_path = db_path->empty() ? vulndb::default_db_path() : *db_path;
      return run_update(*update, store_path->empty() ? store::default_store_path() : *store_path,
                        !*no_rematch);
    };
  });

  auto* status = db->add_subcommand("status", "Show what the database holds and its age");
  status->add_option("--db", *db_path, db_help);
  status->callback([&action, db_path] {
    action = [db_path] {
      return run_status(db_path->empty() ? vulndb::default_db_path() : *db_path);
    };
  });

  auto* rematch = db->add_subcommand(
      "rematch", "Match every stored scan against the database again; report new and resolved");
  rematch->add_option("--db", *db_path, "Database file (default: as for scans)");
  rematch->add_option("--store", *store_path, store_help);
  rematch->callback([&action, db_path, store_path] {
    action = [db_path, store_path] {
      return rematch_and_report(vulndb::locate_db(*db_path),
                                store_path->empty() ? store::default_store_path() : *store_path);
    };
  });
}

}  // namespace hivesec::cli
