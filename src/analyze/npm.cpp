// npm analyzer: installed packages (node_modules/**/package.json) and lock files
// (package-lock.json / npm-shrinkwrap.json v1-v3, yarn.lock classic and berry).
//
// Installed-package detection mirrors what `npm ls --all` (arborist's actual tree) reports: a
// package folder is a direct child of a node_modules folder (or of an @scope folder inside one),
// and node_modules folders are only looked up directly inside a package folder. Dot folders
// (.bin, .cache) are not packages. package.json files nested anywhere else inside a package
// (test fixtures, examples) are ignored.
#include <optional>
#include <set>
#include <tuple>

#include "analyze/builtins.h"
#include "analyze/lang_util.h"
#include "common/paths.h"
#include "model/purl.h"

namespace hivesec::analyze {
namespace {

using nlohmann::json;

constexpr size_t kMaxLockPackages = 500000;
constexpr std::string_view kNodeModules = "node_modules";

// Calls f(component, is_last) for each non-empty '/'-separated component; stops when f returns
// false. Allocation-free.
template <typename F>
void for_each_component(std::string_view path, F&& f) {
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(start, slash - start);
    start = slash + 1;
    if (part.empty()) continue;
    bool last = path.find_first_not_of('/', start) == std::string_view::npos;
    if (!f(part, last)) return;
  }
}

// True for ".../node_modules/<pkg>(/node_modules/<pkg>)*/package.json" where <pkg> is "name" or
// "@scope/name"; pnpm's "node_modules/.pnpm/<id>/node_modules/<pkg>" store is also accepted.
bool is_installed_manifest(std::string_view path) {
  enum class S { kPrefix, kAfterNm, kAfterScope, kAfterPkg, kPnpmId, kPnpmNm, kReject };
  S s = S::kPrefix;
  bool found = false;
  for_each_component(path, [&](std::string_view c, bool last) {
    if (last) {
      found = (s == S::kAfterPkg && c == "package.json");
      return false;
    }
    switch (s) {
      case S::kPrefix:
        if (c == kNodeModules) s = S::kAfterNm;
        break;
      case S::kAfterNm:
        if (c == ".pnpm") {
          s = S::kPnpmId;
        } else if (c.front() == '.') {
          s = S::kReject;
        } else if (c.front() == '@') {
          s = c.size() > 1 ? S::kAfterScope : S::kReject;
        } else {
          s = S::kAfterPkg;
        }
        break;
      case S::kAfterScope:
        s = c.front() == '.' ? S::kReject : S::kAfterPkg;
        break;
      case S::kAfterPkg:
        s = c == kNodeModules ? S::kAfterNm : S::kReject;
        break;
      case S::kPnpmId:
        s = S::kPnpmNm;
        break;
      case S::kPnpmNm:
        s = c == kNodeModules ? S::kAfterNm : S::kReject;
        break;
      case S::kReject:
        break;
    }
    return s != S::kReject;
  });
  return found;
}

bool has_node_modules_component(std::string_view path) {
  bool found = false;
  for_each_component(path, [&](std::string_view c, bool) {
    found = c == kNodeModules;
    return !found;
  });
  return found;
}

bool is_true(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_boolean() && it->get<bool>();
}

model::Package make_npm_package(std::string name, std::string version) {
  model::Package p;
  p.type = "npm";
  auto [scope, bare] = lang::split_scope(name);
  p.purl = model::make_purl("npm", scope, bare, version);
  p.name = std::move(name);
  p.version = std::move(version);
  return p;
}

// "node_modules/a/node_modules/@s/b/package.json" -> "@s/b" (the folder name npm ls reports).
std::string folder_name(std::string_view manifest_path) {
  std::string_view dir = parent_path(manifest_path);
  std::string_view name = base_name(dir);
  std::string_view up = base_name(parent_path(dir));
  if (!up.empty() && up.front() == '@') return std::string(up) + "/" + std::string(name);
  return std::string(name);
}

Status analyze_installed(const FileInfo& file, std::string_view content, AnalysisOutput& out) {
  HIVESEC_TRY(json doc, lang::parse_json(content));
  if (!doc.is_object()) return make_error(Errc::kCorrupt, "package.json is not a JSON object");
  std::string folder = folder_name(file.path);
  std::string name = lang::json_string(doc, "name");
  if (name.empty()) name = folder;
  std::string version = lang::json_string(doc, "version");
  if (version.empty())
    return make_error(Errc::kCorrupt, "package.json of '{}' has no version", name);
  if (!lang::plausible_name(name)) return make_error(Errc::kCorrupt, "implausible package name");
  model::Package p = make_npm_package(std::move(name), std::move(version));
  if (auto it = doc.find("license"); it != doc.end()) p.licenses = lang::json_licenses(*it);
  if (p.licenses.empty()) {
    if (auto it = doc.find("licenses"); it != doc.end()) p.licenses = lang::json_licenses(*it);
  }
  if (auto hp = lang::json_string(doc, "homepage"); !hp.empty()) p.metadata["homepage"] = hp;
  // Installed under another name (`npm install alias@npm:real@1`): npm ls lists the folder name.
  if (folder != p.name) p.metadata["alias"] = folder;
  out.packages.push_back(std::move(p));
  return ok_status();
}

// Collects lock-file packages, deduplicated on (name, version, dev).
class LockCollector {
 public:
  explicit LockCollector(AnalysisOutput& out) : out_(out) {}
  bool add(std::string name, std::string version, bool dev, std::vector<std::string> licenses) {
    if (!lang::plausible_name(name) || version.empty()) return true;
    if (seen_.size() >= kMaxLockPackages) return false;
    if (!seen_.insert({name, version, dev}).second) return true;
    model::Package p = make_npm_package(std::move(name), std::move(version));
    p.dev = dev;
    p.licenses = std::move(licenses);
    out_.packages.push_back(std::move(p));
    return true;
  }

 private:
  AnalysisOutput& out_;
  std::set<std::tuple<std::string, std::string, bool>> seen_;
};

// "npm:real@1.2.3" (an alias) -> {"real", "1.2.3"}; false when not an alias.
bool split_alias(std::string_view spec, std::string& name, std::string& version) {
  if (!spec.starts_with("npm:")) return false;
  spec.remove_prefix(4);
  size_t at = spec.find('@', 1);
  if (at == std::string_view::npos) return false;
  name = spec.substr(0, at);
  version = spec.substr(at + 1);
  return true;
}

bool plain_version(std::string_view v) {
  return !v.empty() && v.find_first_of(":/ ") == std::string_view::npos;
}

Status walk_v1(const json& deps, int depth, LockCollector& c) {
  if (depth > kMaxJsonDepth) return make_error(Errc::kLimit, "dependency tree too deep");
  if (!deps.is_object()) return ok_status();
  for (const auto& [key, val] : deps.items()) {
    if (!val.is_object()) continue;
    std::string name = key;
    std::string version = lang::json_string(val, "version");
    std::string real_name, real_version;
    if (split_alias(version, real_name, real_version)) {
      name = std::move(real_name);
      version = std::move(real_version);
    }
    bool dev = is_true(val, "dev");
    if (plain_version(version) && !c.add(name, version, dev, {})) {
      return make_error(Errc::kLimit, "more than {} packages", kMaxLockPackages);
    }
    if (auto it = val.find("dependencies"); it != val.end()) {
      HIVESEC_TRY_STATUS(walk_v1(*it, depth + 1, c));
    }
  }
  return ok_status();
}

Status analyze_package_lock(std::string_view content, AnalysisOutput& out) {
  HIVESEC_TRY(json doc, lang::parse_json(content));
  if (!doc.is_object()) return make_error(Errc::kCorrupt, "lock file is not a JSON object");
  LockCollector c(out);
  if (auto pk = doc.find("packages"); pk != doc.end() && pk->is_object()) {
    for (const auto& [key, val] : pk->items()) {
      if (key.empty() || !val.is_object()) continue;  // "" is the root project
      size_t nm = key.rfind("node_modules/");
      if (nm == std::string::npos) continue;  // a workspace folder, not an installed package
      if (is_true(val, "link")) continue;
      std::string name = lang::json_string(val, "name");
      if (name.empty()) name = key.substr(nm + 13);
      std::string version = lang::json_string(val, "version");
      if (!plain_version(version)) continue;
      bool dev = is_true(val, "dev");
      std::vector<std::string> licenses;
      if (auto it = val.find("license"); it != val.end()) licenses = lang::json_licenses(*it);
      if (!c.add(std::move(name), std::move(version), dev, std::move(licenses))) {
        return make_error(Errc::kLimit, "more than {} packages", kMaxLockPackages);
      }
    }
    return ok_status();
  }
  if (auto deps = doc.find("dependencies"); deps != doc.end()) return walk_v1(*deps, 0, c);
  return make_error(Errc::kUnsupported, "lock file has neither 'packages' nor 'dependencies'");
}

std::string_view unquote(std::string_view s) {
  s = lang::trim(s);
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    s = s.substr(1, s.size() - 2);
  }
  return s;
}

// "name@range" -> name (the '@' of a scope is not the separator).
std::string_view spec_name(std::string_view spec) {
  size_t at = spec.find('@', 1);
  return at == std::string_view::npos ? spec : spec.substr(0, at);
}
std::string_view spec_range(std::string_view spec) {
  size_t at = spec.find('@', 1);
  return at == std::string_view::npos ? std::string_view{} : spec.substr(at + 1);
}

struct YarnEntry {
  std::string_view header;
  std::string_view version;
  std::string_view resolution;  // berry only
};

void flush_yarn_entry(const YarnEntry& e, bool berry, LockCollector& c, size_t& skipped) {
  if (e.header.empty() || e.header == "__metadata") return;
  std::string_view first = e.header.substr(0, e.header.find(','));
  first = unquote(first);
  std::string_view name = spec_name(first);
  std::string_view range = spec_range(first);
  std::string_view version = unquote(e.version);
  if (berry) {
    std::string_view res = unquote(e.resolution);
    if (!res.empty()) {
      name = spec_name(res);
      range = spec_range(res);
    }
    std::string_view proto = range.substr(0, range.find(':'));
    if (proto == "workspace" || proto == "link" || proto == "portal" || proto == "patch") return;
  } else if (range.starts_with("npm:")) {
    name = spec_name(range.substr(4));
  } else if (range.starts_with("link:")) {
    return;
  }
  if (version.empty() || !plain_version(version)) return;
  if (!c.add(std::string(name), std::string(version), false, {})) ++skipped;
}

Status analyze_yarn_lock(std::string_view content, AnalysisOutput& out) {
  auto lines = lang::split_lines(content);
  bool berry = false;
  for (auto l : lines) {
    if (l.starts_with("__metadata:")) berry = true;
  }
  LockCollector c(out);
  YarnEntry cur;
  size_t skipped = 0;
  bool any_header = false;
  for (auto line : lines) {
    if (line.empty() || line.front() == '#') continue;
    if (line.front() != ' ' && line.front() != '\t') {
      flush_yarn_entry(cur, berry, c, skipped);
      cur = YarnEntry{};
      std::string_view h = lang::trim(line);
      if (!h.ends_with(':')) {
        return make_error(Errc::kCorrupt, "yarn.lock: unexpected top-level line");
      }
      cur.header = h.substr(0, h.size() - 1);
      any_header = true;
      continue;
    }
    // Only fields of the entry itself (two-space indent); deeper lines are dependency lists.
    if (!line.starts_with("  ") || (line.size() > 2 && (line[2] == ' ' || line[2] == '\t'))) {
      continue;
    }
    std::string_view f = lang::trim(line);
    auto field = [&](std::string_view key) -> std::optional<std::string_view> {
      if (!f.starts_with(key) || f.size() == key.size()) return std::nullopt;
      char sep = f[key.size()];
      if (sep == ':') return lang::trim(f.substr(key.size() + 1));
      if (sep == ' ') return lang::trim(f.substr(key.size()));
      return std::nullopt;
    };
    if (auto v = field("version")) cur.version = *v;
    if (auto v = field("resolution")) cur.resolution = *v;
  }
  flush_yarn_entry(cur, berry, c, skipped);
  if (!any_header && !lang::trim(content).empty()) {
    return make_error(Errc::kCorrupt, "yarn.lock has no entries");
  }
  if (skipped > 0) {
    return make_error(Errc::kLimit, "yarn.lock: more than {} packages", kMaxLockPackages);
  }
  return ok_status();
}

class NpmAnalyzer final : public Analyzer {
 public:
  std::string_view name() const override { return "npm"; }
  int version() const override { return 1; }

  bool required(const FileInfo& file) const override {
    if (file.type != FileType::kRegular && file.type != FileType::kHardlink) return false;
    std::string_view base = base_name(file.path);
    if (base == "package.json") return is_installed_manifest(file.path);
    if (base == "package-lock.json" || base == "npm-shrinkwrap.json" || base == "yarn.lock") {
      return !has_node_modules_component(file.path);
    }
    return false;
  }

  Status analyze(const FileInfo& file, std::string_view content,
                 AnalysisOutput& out) const override {
    std::string_view base = base_name(file.path);
    if (base == "package.json") return analyze_installed(file, content, out);
    if (base == "yarn.lock") return analyze_yarn_lock(content, out);
    return analyze_package_lock(content, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> make_npm_analyzer() { return std::make_unique<NpmAnalyzer>(); }

}  // namespace hivesec::analyze
