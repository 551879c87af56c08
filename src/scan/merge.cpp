#include "scan/merge.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "common/paths.h"
#include "model/purl.h"

namespace hivesec::scan {
namespace {

struct LocEntry {
  std::vector<model::Package> packages;
  std::vector<analyze::OsCandidate> os;
  std::vector<analyze::PackageFiles> files;
  std::vector<model::Finding> findings;
  size_t layer = 0;
};

// Removes every key equal to `dir` or below it.
template <typename Map>
void erase_subtree(Map& m, const std::string& dir) {
  if (dir.empty()) {
    m.clear();
    return;
  }
  m.erase(dir);
  std::string prefix = dir + "/";
  auto it = m.lower_bound(prefix);
  while (it != m.end() && it->first.compare(0, prefix.size(), prefix) == 0) it = m.erase(it);
}

template <typename Map>
void erase_below(Map& m, const std::string& dir) {
  if (dir.empty()) {
    m.clear();
    return;
  }
  std::string prefix = dir + "/";
  auto it = m.lower_bound(prefix);
  while (it != m.end() && it->first.compare(0, prefix.size(), prefix) == 0) it = m.erase(it);
}


std::string rpm_namespace(const std::string& family) {
  static const std::map<std::string, std::string> k{{"rhel", "redhat"},
                                                    {"ol", "oracle"},
                                                    {"sles", "suse"},
                                                    {"opensuse-leap", "opensuse"},
                                                    {"opensuse-tumbleweed", "opensuse"},
                                                    {"amazon", "amazon"}};
  auto it = k.find(family);
  return it == k.end() ? family : it->second;
}

// Lock files that only declare what an installer put next to them.
bool is_lockfile(std::string_view base) {
  for (std::string_view l :
       {"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "composer.lock", "Gemfile.lock",
        "poetry.lock", "Pipfile.lock", "Cargo.lock"}) {
    if (base == l) return true;
  }
  return base.starts_with("requirements") && base.ends_with(".txt");
}

// A package declared by a lock file and also installed below that lock file's directory is
// reported once, as installed (the installed copy is what runs).
void drop_lockfile_duplicates(std::vector<model::Package>& packages) {
  std::unordered_map<std::string, std::vector<const model::Package*>> installed;
  auto id = [](const model::Package& p) { return p.type + '\x1f' + p.name + '\x1f' + p.version; };
  for (const auto& p : packages) {
    if (!is_lockfile(base_name(p.location))) installed[id(p)].push_back(&p);
  }
  std::erase_if(packages, [&](const model::Package& p) {
    if (!is_lockfile(base_name(p.location))) return false;
    auto it = installed.find(id(p));
    if (it == installed.end()) return false;
    std::string_view dir = parent_path(p.location);
    return std::any_of(it->second.begin(), it->second.end(),
                       [&](const model::Package* q) { return path_within(q->location, dir); });
  });
}

}  // namespace

std::string os_package_purl(const model::Package& pkg, const model::OsInfo& os) {
  std::string distro =
      os.family.empty() ? "" : os.family + (os.version.empty() ? "" : "-" + os.version);
  if (pkg.type == "deb") {
    std::string ns = (os.family == "ubuntu") ? "ubuntu" : "debian";
    return model::make_purl("deb", ns, pkg.name, pkg.version,
                            {{"arch", pkg.arch}, {"distro", distro}});
  }
  if (pkg.type == "apk") {
    std::string ns = os.family.empty() ? "alpine" : os.family;
    return model::make_purl("apk", ns, pkg.name, pkg.version,
                            {{"arch", pkg.arch}, {"distro", distro}});
  }
  if (pkg.type == "rpm") {
    std::string version = pkg.version, epoch;
    if (auto c = version.find(':'); c != std::string::npos) {
      epoch = version.substr(0, c);
      version = version.substr(c + 1);
    }
    return model::make_purl("rpm", rpm_namespace(os.family.empty() ? "redhat" : os.family),
                            pkg.name, version,
                            {{"arch", pkg.arch}, {"epoch", epoch}, {"distro", distro}});
  }
  return "";
}

void merge_layers(std::vector<LayerResult> layers, const std::vector<std::string>& layer_ids,
                  model::ScanResult& out) {
  std::map<std::string, LocEntry> locs;
  std::map<std::string, std::string> symlinks;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> licenses;

  for (size_t j = 0; j < layers.size(); ++j) {
    LayerResult& L = layers[j];
    for (const auto& d : L.opaque_dirs) {
      erase_below(locs, d);
      erase_below(symlinks, d);
    }
    for (const auto& w : L.whiteouts) {
      erase_subtree(locs, w);
      erase_subtree(symlinks, w);
    }
    // Group this layer's output by location.
    std::map<std::string, LocEntry> fresh;
    for (const auto& p : L.analyzed_paths) fresh[p].layer = j;
    for (auto& p : L.output.packages) fresh[p.location].packages.push_back(std::move(p));
    for (auto& o : L.output.os) fresh[o.os.source].os.push_back(std::move(o));
    for (auto& f : L.output.package_files) fresh[f.location].files.push_back(std::move(f));
    for (auto& f : L.output.findings) {
      f.evidence.layer = j < layer_ids.size() ? layer_ids[j] : "";
      fresh[f.evidence.path].findings.push_back(std::move(f));
    }
    for (auto& [path, entry] : fresh) {
      entry.layer = j;
      std::unordered_map<std::string, std::string> earlier;
      if (auto it = locs.find(path); it != locs.end()) {
        for (const auto& p : it->second.packages) earlier.emplace(p.key(), p.layer);
      }
      for (auto& p : entry.packages) {
        auto e = earlier.find(p.key());
        p.layer = e != earlier.end() ? e->second : (j < layer_ids.size() ? layer_ids[j] : "");
      }
      locs[path] = std::move(entry);
    }
    for (auto& [k, v] : L.symlinks) symlinks[k] = std::move(v);
    for (auto& l : L.output.package_licenses) {
      licenses[{l.type, l.package}] = std::move(l.licenses);
    }
    for (auto& n : L.output.notes) out.notes.push_back(std::move(n));
  }

  // OS: highest priority, then the upper layer.
  const analyze::OsCandidate* best = nullptr;
  size_t best_layer = 0;
  for (const auto& [path, e] : locs) {
    for (const auto& c : e.os) {
      if (!best || c.priority > best->priority ||
          (c.priority == best->priority && e.layer >= best_layer)) {
        best = &c;
        best_layer = e.layer;
      }
    }
  }
  if (best) out.os = best->os;

  auto readlink = [&](const std::string& p) -> std::optional<std::string> {
    auto it = symlinks.find(p);
    if (it == symlinks.end()) return std::nullopt;
    return it->second;
  };
  // Canonical form of a path's directory (links resolved inside the root), memoized: owned file
  // lists run to tens of thousands of paths in a few thousand directories.
  std::unordered_map<std::string, std::string> dir_memo;
  auto canonical = [&](const std::string& p) -> std::string {
    if (symlinks.empty()) return p;
    std::string dir(parent_path(p));
    auto it = dir_memo.find(dir);
    if (it == dir_memo.end()) {
      auto r = resolve_in_root(dir, readlink);
      it = dir_memo.emplace(dir, r.ok() ? *r : dir).first;
    }
    std::string_view base = base_name(p);
    return it->second.empty() ? std::string(base) : it->second + "/" + std::string(base);
  };

  // Owned files per (type, name) and per (type, name:arch).
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> owned;
  for (auto& [path, e] : locs) {
    for (auto& f : e.files) {
      auto& dst = owned[{f.type, f.package}];
      if (dst.empty()) {
        dst = std::move(f.files);
      } else {
        dst.insert(dst.end(), std::make_move_iterator(f.files.begin()),
                   std::make_move_iterator(f.files.end()));
      }
    }
  }

  std::vector<model::Package> packages;
  for (auto& [path, e] : locs) {
    for (auto& p : e.packages) packages.push_back(std::move(p));
    // Findings on files still present in the final tree, in path order.
    for (auto& f : e.findings) out.findings.push_back(std::move(f));
  }

  for (auto& p : packages) {
    if (!model::is_os_package_type(p.type)) continue;
    if (p.purl.empty()) p.purl = os_package_purl(p, out.os);
    if (p.namespace_.empty()) {
      p.namespace_ = p.type == "deb"   ? (out.os.family == "ubuntu" ? "ubuntu" : "debian")
                     : p.type == "apk" ? (out.os.family.empty() ? "alpine" : out.os.family)
                                       : rpm_namespace(out.os.family);
    }
    std::vector<std::string>* files = nullptr;
    if (auto it = owned.find({p.type, p.name + ":" + p.arch}); it != owned.end()) {
      files = &it->second;
    } else if (auto it2 = owned.find({p.type, p.name}); it2 != owned.end()) {
      files = &it2->second;
    }
    if (files && p.files.empty()) p.files = std::move(*files);
    std::sort(p.files.begin(), p.files.end());
    p.files.erase(std::unique(p.files.begin(), p.files.end()), p.files.end());
    if (p.licenses.empty()) {
      if (auto it = licenses.find({p.type, p.name}); it != licenses.end()) p.licenses = it->second;
    }
  }

  // Which OS package owns each language package's proving file. Only the few language package
  // locations are indexed (raw and canonical); owned files are canonicalized only when their
  // base name could match one.
  std::unordered_map<std::string, std::vector<model::Package*>> wanted;
  std::unordered_set<std::string_view> wanted_base;
  for (auto& p : packages) {
    if (model::is_os_package_type(p.type) || !p.owner.empty() || p.location.empty()) continue;
    wanted[p.location].push_back(&p);
    if (!symlinks.empty()) {
      std::string c = canonical(p.location);
      if (c != p.location) wanted[c].push_back(&p);
    }
  }
  for (const auto& [path, _] : wanted) wanted_base.insert(base_name(path));
  for (const auto& p : packages) {
    if (!model::is_os_package_type(p.type) || wanted.empty()) continue;
    for (const auto& f : p.files) {
      if (!wanted_base.contains(base_name(f))) continue;
      auto it = wanted.find(f);
      if (it == wanted.end() && !symlinks.empty()) it = wanted.find(canonical(f));
      if (it == wanted.end()) continue;
      for (model::Package* q : it->second) {
        if (q->owner.empty()) q->owner = p.purl;
      }
    }
  }

  drop_lockfile_duplicates(packages);
  std::sort(packages.begin(), packages.end(), [](const model::Package& a, const model::Package& b) {
    return std::tie(a.type, a.name, a.version, a.arch, a.location) <
           std::tie(b.type, b.name, b.version, b.arch, b.location);
  });
  out.packages = std::move(packages);
}

}  // namespace hivesec::scan
