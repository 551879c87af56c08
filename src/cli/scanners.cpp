#include "cli/scanners.h"

#include <cstdio>
#include <ctime>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "analyze/passwords.h"
#include "cli/scan_pipeline.h"
#include "common/time.h"
#include "config/checks.h"
#include "match/matcher.h"
#include "secrets/engine.h"
#include "secrets/image_config.h"
#include "versions/scheme.h"
#include "vulndb/vulndb.h"

namespace hivesec::cli {

namespace {

Status run_vuln(model::ScanResult& result, const ScanOptions& options) {
  std::string path = vulndb::locate_db(options.db);
  auto db = vulndb::open_database_read_only(path);
  if (!db.ok()) {
    if (db.error().code == Errc::kNotFound) {
      return make_error(Errc::kNotFound,
                        "no advisory database at {}: run `hivesec db update` or `hivesec db import "
                        "DIR`, or pass --db",
                        path);
    }
    return std::move(db).error();
  }
  HIVESEC_TRY(auto status, (*db)->status());
  double age = days_since(status.last_import);
  if (age > options.db_max_age_days) {
    std::fprintf(stderr,
                 "hivesec: warning: the advisory database %s is %.0f days old (updated %s); run "
                 "`hivesec db update`\n",
                 path.c_str(), age, status.last_import.c_str());
  }
  versions::SchemeRegistry schemes;
  HIVESEC_TRY_STATUS(versions::register_builtin_schemes(schemes));
  match::Matcher matcher(**db, schemes);
  HIVESEC_TRY(auto stats, matcher.match(result));
  spdlog::debug("vuln: {} packages ({} looked up), {} advisories evaluated, {} findings in {:.3f} s",
                stats.packages, stats.packages_looked_up, stats.advisories_read, stats.findings,
                stats.seconds);
  return ok_status();
}

// Files were scanned in the layer pass; this adds the image config and history, and folds the
// per-file notes about skipped binaries into one.
Status run_secret(model::ScanResult& result, const ScanOptions& options) {
  secrets::fold_binary_notes(result.notes);
  if (!result.image) return ok_status();
  HIVESEC_TRY(auto engine, secrets::shared_engine(options.content.secret_rule_files, options.content.cache_dir));
  return secrets::scan_image_config(*engine, result);
}

}  // namespace

const std::vector<Scanner>& builtin_scanners() {
  static const std::vector<Scanner> kScanners = {
      {"vuln", "Known vulnerabilities of the packages (OSV advisory database)", run_vuln},
      // Works during the layer pass (analyzers tagged "file"); nothing to do afterwards.
      {"file", "Sensitive files: private keys, cloud credentials, .env, history, .git",
       [](model::ScanResult&, const ScanOptions&) { return ok_status(); }},
      {"secret", "Secrets in files, ENV, labels and history (rules/secrets, --secret-rules)",
       run_secret},
      // Works during the layer pass (analyzer "malware"); nothing to do afterwards.
      {"malware", "Malware: webshells, miners, reverse shells, hack tools (YARA, sha256 deny-list, "
                  "optional ClamAV)",
       [](model::ScanResult&, const ScanOptions&) { return ok_status(); }},
      // Checks etc/passwd and etc/shadow in the layer pass; afterwards only raises common
      // passwords of extra uid-0 accounts to critical (needs the final image's passwd).
      {"password", "Weak passwords: empty, extra uid 0, common passwords (real crypt, time-bounded)",
       [](model::ScanResult& result, const ScanOptions&) {
         analyze::raise_uid0_password_findings(result.findings);
         return ok_status();
       }},
      // Layer pass: set-id, world-writable and cache files (analyzer "config-files"); then the
      // image config, history and packages, and the aggregation of the per-file findings.
      {"config", "Image configuration: root user, HEALTHCHECK, ADD, secrets in ENV/ARG, set-id files, caches",
       [](model::ScanResult& result, const ScanOptions&) { return config::run_image_checks(result); }},
  };
  return kScanners;
}

Result<std::vector<const Scanner*>> select_scanners(const std::vector<std::string>& names) {
  const auto& all = builtin_scanners();
  std::vector<const Scanner*> out;
  for (const std::string& n : names) {
    bool known = false;
    for (const Scanner& s : all) known = known || s.name == n;
    if (!known) {
      std::string list;
      for (const Scanner& s : all) list += (list.empty() ? "" : ", ") + std::string(s.name);
      return make_error(Errc::kInvalidArgument, "unknown scanner '{}' (known: {})", n, list);
    }
  }
  for (const Scanner& s : all) {
    if (names.empty() || std::find(names.begin(), names.end(), s.name) != names.end()) {
      out.push_back(&s);
    }
  }
  return out;
}

}  // namespace hivesec::cli
