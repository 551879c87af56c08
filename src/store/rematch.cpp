#include "store/rematch.h"

#include <chrono>
#include <ctime>
#include <fmt/format.h>
#include <set>

#include "common/time.h"
#include "match/matcher.h"

namespace hivesec::store {

namespace {

std::set<std::string> vuln_keys(const std::vector<model::Finding>& findings) {
  std::set<std::string> out;
  for (const auto& f : findings) {
    if (f.kind == model::FindingKind::kVulnerability) out.insert(finding_key(f));
  }
  return out;
}

}  // namespace

std::string finding_key(const model::Finding& f) {
  return f.rule_id + '\x1f' + f.evidence.package + '\x1f' + f.evidence.path;
}

Result<std::vector<AssetDelta>> rematch_all(Store& store, vulndb::Database& db,
                                            const versions::SchemeRegistry& schemes) {
  HIVESEC_TRY(auto assets, store.list());
  match::Matcher matcher(db, schemes);
  std::vector<AssetDelta> out;
  const std::string stamp = now_rfc3339();
  for (const AssetSummary& a : assets) {
    auto stored = store.get(a.id);
    if (!stored.ok()) return std::move(stored).error().wrap("stored asset " + a.name);
    model::ScanResult r = std::move(stored).value();
    std::set<std::string> before = vuln_keys(r.findings);
    std::vector<model::Finding> old = r.findings;
    HIVESEC_TRY(auto stats, matcher.match(r));
    AssetDelta d;
    d.asset_id = a.id;
    d.asset_name = a.name;
    d.findings = stats.findings;
    std::set<std::string> after = vuln_keys(r.findings);
    for (const auto& f : r.findings) {
      if (f.kind == model::FindingKind::kVulnerability && !before.count(finding_key(f))) {
        d.added.push_back(f);
      }
    }
    for (const auto& f : old) {
      if (f.kind == model::FindingKind::kVulnerability && !after.count(finding_key(f))) {
        d.resolved.push_back(f);
      }
    }
    HIVESEC_TRY_STATUS(store.put_findings(a.id, r.findings, stamp));
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace hivesec::store
