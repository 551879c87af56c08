#include "store/fix_advice.h"

#include <algorithm>
#include <map>

#include "match/ecosystems.h"

namespace hivesec::store {

namespace {

std::string group_key(const model::Finding& f) {
  const model::VulnDetail& v = *f.vuln;
  bool os = model::is_os_package_type(v.package_type);
  if (os) return v.ecosystem + '\x1f' + (v.matched_name.empty() ? v.package_name : v.matched_name);
  if (v.matched_name == "stdlib" || v.package_name == "stdlib") {
    return "go-stdlib\x1f" + f.evidence.path;
  }
  return f.evidence.package;
}

std::string group_label(const model::Finding& f) {
  const model::VulnDetail& v = *f.vuln;
  bool os = model::is_os_package_type(v.package_type);
  if (os && !v.matched_name.empty()) return v.matched_name + " (source package)";
  if (v.package_name == "stdlib") {
    return "Go toolchain of " + (f.evidence.path.empty() ? std::string("a binary") : f.evidence.path);
  }
  return v.package_name;
}

}  // namespace

std::vector<Upgrade> fix_advice(const std::vector<model::Finding>& findings,
                                const versions::SchemeRegistry& schemes) {
  std::map<std::string, Upgrade> groups;
  std::map<std::string, const versions::Scheme*> group_scheme;
  for (const model::Finding& f : findings) {
    if (f.kind != model::FindingKind::kVulnerability || !f.vuln) continue;
    const model::VulnDetail& v = *f.vuln;
    std::string key = group_key(f);
    Upgrade& u = groups[key];
    if (u.package.empty()) {
      u.package = group_label(f);
      u.ecosystem = v.ecosystem;
      u.installed = v.installed_version;
      group_scheme[key] = match::scheme_for_ecosystem(schemes, v.ecosystem);
    }
    if (std::find(u.targets.begin(), u.targets.end(), f.evidence.package) == u.targets.end()) {
      u.targets.push_back(f.evidence.package);
    }
    if (v.status != model::FixStatus::kFixed || v.fixed_versions.empty()) {
      ++u.unfixed;
      continue;
    }
    const versions::Scheme* scheme = group_scheme[key];
    const std::string& need = v.fixed_versions.front();
    if (u.target_version.empty() ||
        (scheme != nullptr && scheme->validate(need).ok() &&
         scheme->validate(u.target_version).ok() && scheme->compare(need, u.target_version) > 0)) {
      u.target_version = need;
    }
    if (std::find(u.removes.begin(), u.removes.end(), f.rule_id) == u.removes.end()) {
      u.removes.push_back(f.rule_id);
      ++u.by_severity[static_cast<size_t>(f.severity)];
    }
  }
  std::vector<Upgrade> out;
  for (auto& [key, u] : groups) {
    if (!u.removes.empty()) out.push_back(std::move(u));
  }
  std::sort(out.begin(), out.end(), [](const Upgrade& a, const Upgrade& b) {
    for (int s = 4; s >= 0; --s) {
      if (a.by_severity[s] != b.by_severity[s]) return a.by_severity[s] > b.by_severity[s];
    }
    if (a.removes.size() != b.removes.size()) return a.removes.size() > b.removes.size();
    return a.package < b.package;
  });
  return out;
}

}  // namespace hivesec::store
