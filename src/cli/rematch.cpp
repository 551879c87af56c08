#include "cli/rematch.h"

#include <cstdio>

#include "cli/scan_flags.h"
#include "store/rematch.h"
#include "store/store.h"
#include "versions/scheme.h"
#include "vulndb/vulndb.h"

namespace hivesec::cli {

namespace {

constexpr size_t kListedIds = 10;

std::string id_list(const std::vector<model::Finding>& fs) {
  std::string out;
  for (size_t i = 0; i < fs.size() && i < kListedIds; ++i) {
    out += (i ? ", " : "") + fs[i].rule_id + " (" +
           (fs[i].vuln ? fs[i].vuln->package_name : fs[i].evidence.package) + ")";
  }
  if (fs.size() > kListedIds) out += ", ...";
  return out;
}

}  // namespace

int rematch_and_report(const std::string& db_path, const std::string& store_path) {
  auto db = vulndb::open_database_read_only(db_path);
  if (!db.ok()) return report_error(db.error());
  auto store = store::open_store(store_path);
  if (!store.ok()) return report_error(store.error());
  versions::SchemeRegistry schemes;
  if (auto st = versions::register_builtin_schemes(schemes); !st.ok()) return report_error(st.error());
  auto deltas = store::rematch_all(**store, **db, schemes);
  if (!deltas.ok()) return report_error(deltas.error());
  if (deltas->empty()) {
    std::printf("no stored scans to re-match in %s\n", store_path.c_str());
    return 0;
  }
  size_t added = 0, resolved = 0;
  for (const auto& d : *deltas) {
    std::printf("%s: %lld vulnerabilities, %zu new, %zu resolved\n", d.asset_name.c_str(),
                static_cast<long long>(d.findings), d.added.size(), d.resolved.size());
    if (!d.added.empty()) std::printf("  new:      %s\n", id_list(d.added).c_str());
    if (!d.resolved.empty()) std::printf("  resolved: %s\n", id_list(d.resolved).c_str());
    added += d.added.size();
    resolved += d.resolved.size();
  }
  std::printf("re-matched %zu stored scans: %zu new, %zu resolved\n", deltas->size(), added,
              resolved);
  return 0;
}

}  // namespace hivesec::cli
