#include "match/matcher.h"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <numeric>
#include <set>

#include "match/affected.h"
#include "match/rating.h"
#include "vulndb/vulndb.h"

namespace hivesec::match {

namespace {

// One advisory record that affects one package.
struct Hit {
  const vulndb::Advisory* advisory = nullptr;
  const vulndb::Affected* affected = nullptr;
  AffectedResult result;
  const Query* query = nullptr;
};

// Groups hits naming the same vulnerability: union-find over shared ids and aliases.
std::vector<std::vector<const Hit*>> group_hits(const std::vector<Hit>& hits) {
  std::vector<size_t> parent(hits.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::map<std::string, size_t> owner;
  for (size_t i = 0; i < hits.size(); ++i) {
    const vulndb::Advisory& a = *hits[i].advisory;
    auto link = [&](const std::string& id) {
      auto [it, fresh] = owner.emplace(id, i);
      if (!fresh) parent[find(i)] = find(it->second);
    };
    link(a.id);
    for (const std::string& alias : a.aliases) link(alias);
  }
  std::map<size_t, std::vector<const Hit*>> groups;
  for (size_t i = 0; i < hits.size(); ++i) groups[find(i)].push_back(&hits[i]);
  std::vector<std::vector<const Hit*>> out;
  out.reserve(groups.size());
  for (auto& [root, members] : groups) out.push_back(std::move(members));
  return out;
}

// Sorts versions ascending by the scheme, dropping duplicates.
void sort_versions(std::vector<std::string>& v, const versions::Scheme& scheme) {
  std::sort(v.begin(), v.end(), [&](const std::string& a, const std::string& b) {
    int c = scheme.compare(a, b);
    return c != 0 ? c < 0 : a < b;
  });
  v.erase(std::unique(v.begin(), v.end(),
                      [&](const std::string& a, const std::string& b) {
                        return scheme.compare(a, b) == 0;
                      }),
          v.end());
}

model::Finding make_finding(const model::Package& pkg, const std::vector<const Hit*>& group,
                            const std::string& asset_id) {
  // The primary id: the lowest record id (stable across runs); everything else is an alias.
  std::vector<const Hit*> sorted = group;
  std::sort(sorted.begin(), sorted.end(),
            [](const Hit* a, const Hit* b) { return a->advisory->id < b->advisory->id; });
  const Query& q = *sorted.front()->query;

  model::Finding f;
  f.kind = model::FindingKind::kVulnerability;
  f.rule_id = sorted.front()->advisory->id;
  f.asset_id = asset_id;
  model::VulnDetail v;
  v.package_name = pkg.namespace_.empty() || model::is_os_package_type(pkg.type) ? pkg.name : q.name;
  v.package_type = pkg.type;
  v.installed_version = q.version;
  v.ecosystem = q.ecosystem;
  if (q.name != v.package_name) v.matched_name = q.name;

  std::set<std::string> ids;
  std::vector<const vulndb::Advisory*> advisories;
  std::vector<const vulndb::Affected*> affected;
  bool unfixed = false;
  for (const Hit* h : sorted) {
    const vulndb::Advisory& a = *h->advisory;
    v.advisories.push_back(a.id);
    ids.insert(a.id);
    ids.insert(a.aliases.begin(), a.aliases.end());
    advisories.push_back(&a);
    affected.push_back(h->affected);
    for (const std::string& fx : h->result.fixed) v.fixed_versions.push_back(fx);
    unfixed = unfixed || h->result.unfixed_range;
    if (!a.published.empty() && (v.published.empty() || a.published < v.published)) {
      v.published = a.published;
    }
    if (a.modified > v.modified) v.modified = a.modified;
    if (f.title.empty() && !a.summary.empty()) f.title = a.summary;
    for (const std::string& r : a.references) {
      if (std::find(v.references.begin(), v.references.end(), r) == v.references.end()) {
        v.references.push_back(r);
      }
    }
  }
  ids.erase(f.rule_id);
  f.aliases.assign(ids.begin(), ids.end());
  sort_versions(v.fixed_versions, *q.scheme);
  // Some ranges may not name a fix while others do: the known fixes are still the advice.
  v.status = !v.fixed_versions.empty() ? model::FixStatus::kFixed
             : unfixed                 ? model::FixStatus::kNotFixed
                                       : model::FixStatus::kUnknown;

  Rating rating = rate(advisories, affected);
  f.severity = rating.severity;
  v.severity_source = rating.source;
  v.cvss = std::move(rating.cvss);

  std::string shown = v.package_name + " " + pkg.version;
  if (f.title.empty()) f.title = shown + " is affected by " + f.rule_id;
  if (v.status == model::FixStatus::kFixed) {
    std::string target = v.fixed_versions.front();
    f.remediation = v.matched_name.empty() || q.name == "stdlib"
                        ? fmt::format("Upgrade {} to {} or later", v.package_name, target)
                        : fmt::format("Upgrade {} (source {}) to {} or later", v.package_name,
                                      v.matched_name, target);
    if (q.name == "stdlib") {
      f.remediation = fmt::format("Rebuild {} with Go {} or later",
                                  pkg.location.empty() ? "the binary" : pkg.location, target);
    }
  } else {
    f.remediation = "No fixed version published yet";
  }
  f.evidence.package = pkg.purl;
  f.evidence.path = pkg.location;
  f.evidence.layer = pkg.layer;
  f.vuln = std::move(v);
  return f;
}

// Counts of one kind of skipped thing, turned into one note.
struct Tally {
  int64_t count = 0;
  std::string example;
};

}  // namespace

Matcher::Matcher(vulndb::Database& db, const versions::SchemeRegistry& schemes)
    : db_(db), mapper_(schemes) {}

Result<const std::vector<vulndb::Advisory>*> Matcher::advisories(const Query& q) {
  std::string key = q.ecosystem + '\x1f' + q.name;
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    HIVESEC_TRY(auto list, db_.advisories_for(q.ecosystem, q.name));
    std::erase_if(list, [](const vulndb::Advisory& a) { return a.is_withdrawn(); });
    it = cache_.emplace(std::move(key), std::move(list)).first;
  }
  return &it->second;
}

Result<MatchStats> Matcher::match(model::ScanResult& result) {
  auto start = std::chrono::steady_clock::now();
  MatchStats stats;
  std::erase_if(result.findings, [](const model::Finding& f) {
    return f.kind == model::FindingKind::kVulnerability;
  });
  std::map<std::string, Tally> skipped;  // reason -> packages
  Tally invalid_versions, git_only, invalid_ranges;
  std::set<std::string> evaluated;
  std::vector<model::Finding> found;

  for (const model::Package& pkg : result.packages) {
    ++stats.packages;
    QueryPlan plan = mapper_.plan(pkg, result.os);
    if (plan.queries.empty()) {
      if (!plan.skip_reason.starts_with("owned by")) {
        Tally& t = skipped[plan.skip_reason];
        if (t.count++ == 0) t.example = pkg.purl;
      }
      continue;
    }
    ++stats.packages_looked_up;
    std::vector<Hit> hits;
    for (const Query& q : plan.queries) {
      if (q.scheme == nullptr || q.semver == nullptr) {
        return make_error(Errc::kInternal, "no version scheme for ecosystem {}", q.ecosystem);
      }
      if (auto st = q.scheme->validate(q.version); !st.ok()) {
        if (invalid_versions.count++ == 0) {
          invalid_versions.example = fmt::format("{} ({})", pkg.purl, st.error().message);
        }
        break;
      }
      HIVESEC_TRY(const std::vector<vulndb::Advisory>* list, advisories(q));
      for (const vulndb::Advisory& adv : *list) {
        evaluated.insert(adv.id);
        for (const vulndb::Affected& aff : adv.affected) {
          if (aff.ecosystem != q.ecosystem ||
              vulndb::index_name(aff.ecosystem, aff.name) != q.name) {
            continue;
          }
          AffectedResult r = evaluate_affected(aff, q.version, *q.scheme, *q.semver);
          if (r.git_ranges_skipped > 0 && !r.affected && aff.versions.empty() &&
              std::all_of(aff.ranges.begin(), aff.ranges.end(),
                          [](const vulndb::Range& g) { return g.type == "GIT"; })) {
            if (git_only.count++ == 0) git_only.example = adv.id;
          }
          if (r.invalid_ranges > 0 && invalid_ranges.count++ == 0) {
            invalid_ranges.example = adv.id + ": " + r.invalid_reason;
          }
          if (!r.affected) continue;
          // Several affected entries of one record for this package: merge into one hit.
          auto same = std::find_if(hits.begin(), hits.end(),
                                   [&](const Hit& h) { return h.advisory == &adv; });
          if (same != hits.end()) {
            for (auto& fx : r.fixed) same->result.fixed.push_back(fx);
            same->result.unfixed_range = same->result.unfixed_range || r.unfixed_range;
            continue;
          }
          hits.push_back({&adv, &aff, std::move(r), &q});
        }
      }
    }
    for (const auto& group : group_hits(hits)) {
      found.push_back(make_finding(pkg, group, result.asset.id));
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const model::Finding& a, const model::Finding& b) {
    if (a.evidence.package != b.evidence.package) return a.evidence.package < b.evidence.package;
    return a.rule_id < b.rule_id;
  });
  stats.findings = static_cast<int64_t>(found.size());
  stats.advisories_read = static_cast<int64_t>(evaluated.size());
  for (auto& f : found) result.findings.push_back(std::move(f));

  for (const auto& [reason, t] : skipped) {
    result.notes.push_back(fmt::format("vulnerability matching skipped {} package(s): {} (e.g. {})",
                                       t.count, reason, t.example));
  }
  if (invalid_versions.count > 0) {
    result.notes.push_back(fmt::format("{} package(s) have versions their scheme cannot read, not "
                                       "matched (e.g. {})",
                                       invalid_versions.count, invalid_versions.example));
  }
  if (git_only.count > 0) {
    result.notes.push_back(fmt::format("{} advisory entries have only GIT (commit) ranges and were "
                                       "skipped (e.g. {})",
                                       git_only.count, git_only.example));
  }
  if (invalid_ranges.count > 0) {
    result.notes.push_back(fmt::format("{} advisory ranges have versions that do not parse and were "
                                       "skipped (e.g. {})",
                                       invalid_ranges.count, invalid_ranges.example));
  }
  stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace hivesec::match
