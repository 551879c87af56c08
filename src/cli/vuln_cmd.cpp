// `hivesec vuln show ID`, `hivesec vuln where ID`, `hivesec vuln fixes IMAGE`: search the
// advisory database and the inventory store by vulnerability (any id or alias), and advise
// upgrades per stored image.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/command.h"
#include "cli/scan_flags.h"
#include "store/fix_advice.h"
#include "store/store.h"
#include "versions/scheme.h"
#include "vulndb/vulndb.h"

namespace hivesec::cli {

namespace {

using nlohmann::json;

const char* event_name(vulndb::EventKind k) {
  switch (k) {
    case vulndb::EventKind::kIntroduced:
      return "introduced";
    case vulndb::EventKind::kFixed:
      return "fixed";
    case vulndb::EventKind::kLastAffected:
      return "last_affected";
    case vulndb::EventKind::kLimit:
      return "limit";
  }
  return "?";
}

json advisory_json(const vulndb::Advisory& a) {
  json j = {{"id", a.id}, {"modified", a.modified}, {"aliases", a.aliases}};
  if (!a.published.empty()) j["published"] = a.published;
  if (!a.withdrawn.empty()) j["withdrawn"] = a.withdrawn;
  if (!a.summary.empty()) j["summary"] = a.summary;
  if (!a.database_severity.empty()) j["database_severity"] = a.database_severity;
  json sev = json::array();
  for (const auto& s : a.severity) sev.push_back({{"type", s.type}, {"score", s.score}});
  if (!sev.empty()) j["severity"] = sev;
  json aff = json::array();
  for (const auto& x : a.affected) {
    json ranges = json::array();
    for (const auto& r : x.ranges) {
      json events = json::array();
      for (const auto& e : r.events) events.push_back({{event_name(e.kind), e.value}});
      ranges.push_back({{"type", r.type}, {"events", events}});
    }
    json one = {{"ecosystem", x.ecosystem}, {"name", x.name}, {"ranges", ranges}};
    if (!x.versions.empty()) one["versions"] = x.versions;
    aff.push_back(std::move(one));
  }
  j["affected"] = std::move(aff);
  if (!a.references.empty()) j["references"] = a.references;
  return j;
}

void print_advisory_text(const vulndb::Advisory& a) {
  std::printf("%s%s\n", a.id.c_str(), a.is_withdrawn() ? "  (WITHDRAWN)" : "");
  std::string aliases;
  for (const auto& x : a.aliases) aliases += (aliases.empty() ? "" : ", ") + x;
  std::printf("  aliases:    %s\n", aliases.empty() ? "-" : aliases.c_str());
  if (!a.summary.empty()) std::printf("  summary:    %s\n", a.summary.c_str());
  std::printf("  published:  %s\n", a.published.empty() ? "-" : a.published.c_str());
  std::printf("  modified:   %s\n", a.modified.c_str());
  if (!a.database_severity.empty()) std::printf("  severity:   %s\n", a.database_severity.c_str());
  for (const auto& s : a.severity) std::printf("  %-11s %s\n", (s.type + ":").c_str(), s.score.c_str());
  for (const auto& x : a.affected) {
    std::string desc;
    for (const auto& r : x.ranges) {
      desc += (desc.empty() ? "" : "; ") + r.type + " ";
      for (size_t i = 0; i < r.events.size(); ++i) {
        desc += (i ? ", " : "") + std::string(event_name(r.events[i].kind)) + " " +
                r.events[i].value;
      }
    }
    if (!x.versions.empty()) desc += (desc.empty() ? "" : "; ") + std::to_string(x.versions.size()) + " listed versions";
    std::printf("  affects:    %s %s: %s\n", x.ecosystem.c_str(), x.name.c_str(), desc.c_str());
  }
  for (const auto& r : a.references) std::printf("  reference:  %s\n", r.c_str());
}

int run_show(const std::string& id, const std::string& db_flag, const std::string& format) {
  auto db = vulndb::open_database_read_only(vulndb::locate_db(db_flag));
  if (!db.ok()) return report_error(db.error());
  auto found = (*db)->find(id);
  if (!found.ok()) return report_error(found.error());
  if (found->empty()) {
    return report_error(make_error(Errc::kNotFound, "no advisory named {} in the database", id));
  }
  if (format == "json") {
    json arr = json::array();
    for (const auto& a : *found) arr.push_back(advisory_json(a));
    std::printf("%s\n", arr.dump(2).c_str());
    return 0;
  }
  for (size_t i = 0; i < found->size(); ++i) {
    if (i) std::printf("\n");
    print_advisory_text((*found)[i]);
  }
  return 0;
}

std::string fixed_of(const model::Finding& f) {
  if (!f.vuln || f.vuln->fixed_versions.empty()) return "-";
  return f.vuln->fixed_versions.front();
}

int run_where(const std::string& id, const std::string& store_flag, const std::string& format) {
  auto store = store::open_store(store_flag.empty() ? store::default_store_path() : store_flag);
  if (!store.ok()) return report_error(store.error());
  auto hits = (*store)->where(id);
  if (!hits.ok()) return report_error(hits.error());
  if (format == "json") {
    json arr = json::array();
    for (const auto& h : *hits) {
      arr.push_back({{"asset_id", h.asset_id}, {"asset", h.asset_name}, {"finding", h.finding}});
    }
    std::printf("%s\n", arr.dump(2).c_str());
    return 0;
  }
  if (hits->empty()) {
    std::printf("%s: no stored scan is affected\n", id.c_str());
    return 0;
  }
  std::printf("%-40s %-20s %-24s %-24s %-14s %s\n", "IMAGE", "ID", "PACKAGE", "INSTALLED",
              "FIXED", "PATH");
  for (const auto& h : *hits) {
    const auto& f = h.finding;
    std::printf("%-40s %-20s %-24s %-24s %-14s %s\n", h.asset_name.c_str(), f.rule_id.c_str(),
                f.vuln ? f.vuln->package_name.c_str() : f.evidence.package.c_str(),
                f.vuln ? f.vuln->installed_version.c_str() : "-", fixed_of(f).c_str(),
                f.evidence.path.c_str());
  }
  return 0;
}

int run_fixes(const std::string& image, const std::string& store_flag, const std::string& format) {
  auto store = store::open_store(store_flag.empty() ? store::default_store_path() : store_flag);
  if (!store.ok()) return report_error(store.error());
  auto result = (*store)->get(image);
  if (!result.ok()) return report_error(result.error());
  versions::SchemeRegistry schemes;
  if (auto st = versions::register_builtin_schemes(schemes); !st.ok()) return report_error(st.error());
  auto advice = store::fix_advice(result->findings, schemes);
  static const char* kSev[] = {"unknown", "low", "medium", "high", "critical"};
  if (format == "json") {
    json arr = json::array();
    for (const auto& u : advice) {
      json sev = json::object();
      for (int s = 4; s >= 0; --s) {
        if (u.by_severity[s]) sev[kSev[s]] = u.by_severity[s];
      }
      arr.push_back({{"package", u.package}, {"ecosystem", u.ecosystem}, {"installed", u.installed},
                     {"upgrade_to", u.target_version}, {"removes", u.removes},
                     {"removes_by_severity", sev}, {"unfixed", u.unfixed}, {"purls", u.targets}});
    }
    std::printf("%s\n", json{{"asset", result->asset.name}, {"upgrades", arr}}.dump(2).c_str());
    return 0;
  }
  if (advice.empty()) {
    std::printf("%s: no upgrade removes a finding\n", result->asset.name.c_str());
    return 0;
  }
  std::printf("Upgrades for %s, most severe first:\n\n", result->asset.name.c_str());
  std::printf("%-36s %-22s %-22s %8s %5s %5s %5s %5s %5s\n", "PACKAGE", "INSTALLED", "UPGRADE TO",
              "REMOVES", "CRIT", "HIGH", "MED", "LOW", "UNK");
  for (const auto& u : advice) {
    std::printf("%-36s %-22s %-22s %8zu %5d %5d %5d %5d %5d\n", u.package.c_str(),
                u.installed.c_str(), u.target_version.c_str(), u.removes.size(), u.by_severity[4],
                u.by_severity[3], u.by_severity[2], u.by_severity[1], u.by_severity[0]);
  }
  return 0;
}

}  // namespace

void register_vuln_command(CLI::App& app, Action& action) {
  auto* vuln = app.add_subcommand("vuln", "Search advisories and stored scans by vulnerability");
  vuln->require_subcommand(1);
  auto id = std::make_shared<std::string>();
  auto db = std::make_shared<std::string>();
  auto store_path = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  const std::string store_help = "Inventory store (default: ~/.local/share/hivesec/store.db)";

  auto* show = vuln->add_subcommand("show", "Show the advisories with this id or alias");
  show->add_option("id", *id, "CVE, GHSA, GO-, DSA-, PYSEC-... id")->required();
  show->add_option("--db", *db, "Advisory database (default: as for scans)");
  show->add_option("-f,--format", *format, "table or json")->check(CLI::IsMember({"table", "json"}));
  show->callback([&action, id, db, format] {
    action = [id, db, format] { return run_show(*id, *db, *format); };
  });

  auto* where = vuln->add_subcommand("where", "Which stored images and packages have this vulnerability");
  where->add_option("id", *id, "Any id or alias (CVE-2023-4863, GHSA-..., DSA-...)")->required();
  where->add_option("--store", *store_path, store_help);
  where->add_option("-f,--format", *format, "table or json")->check(CLI::IsMember({"table", "json"}));
  where->callback([&action, id, store_path, format] {
    action = [id, store_path, format] { return run_where(*id, *store_path, *format); };
  });

  auto* fixes = vuln->add_subcommand("fixes", "Upgrades that remove the most findings from a stored scan");
  fixes->add_option("image", *id, "Asset id (image digest) or name as scanned")->required();
  fixes->add_option("--store", *store_path, store_help);
  fixes->add_option("-f,--format", *format, "table or json")->check(CLI::IsMember({"table", "json"}));
  fixes->callback([&action, id, store_path, format] {
    action = [id, store_path, format] { return run_fixes(*id, *store_path, *format); };
  });
}

}  // namespace hivesec::cli
