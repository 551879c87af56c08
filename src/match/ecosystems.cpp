#include "match/ecosystems.h"

#include <array>
#include <string_view>

#include "vulndb/vulndb.h"

namespace hivesec::match {

namespace {

// The part of a version id up to the `parts`-th dot: ("3.19.1", 2) -> "3.19".
std::string leading_parts(std::string_view v, int parts) {
  size_t end = 0;
  for (int i = 0; i < parts; ++i) {
    size_t dot = v.find('.', end);
    if (dot == std::string_view::npos) return std::string(v);
    end = dot + (i + 1 < parts ? 1 : 0);
  }
  return std::string(v.substr(0, end));
}

// ---- OS distributions ----

struct DistroRow {
  std::string_view family;   // OsInfo::family
  std::string_view pkg_type;  // the purl type its package manager produces
  std::string_view scheme;
  // OSV ecosystems for a release: each pattern's "{}" is replaced by the release string
  // (VERSION_ID cut to `version_parts` dot-separated parts; 0 = no release in the ecosystem).
  std::array<std::string_view, 2> ecosystems;
  int version_parts;
  bool by_source;  // advisories name source packages
};

constexpr DistroRow kDistros[] = {
    {"debian", "deb", "dpkg", {"Debian:{}", ""}, 1, true},
    {"ubuntu", "deb", "dpkg", {"Ubuntu:{}", "Ubuntu:{}:LTS"}, 2, true},
    {"alpine", "apk", "apk", {"Alpine:v{}", ""}, 2, true},
    {"wolfi", "apk", "apk", {"Wolfi", ""}, 0, true},
    {"chainguard", "apk", "apk", {"Chainguard", ""}, 0, true},
    {"rocky", "rpm", "rpm", {"Rocky Linux:{}", ""}, 1, false},
    {"almalinux", "rpm", "rpm", {"AlmaLinux:{}", ""}, 1, false},
    {"opensuse-leap", "rpm", "rpm", {"openSUSE:Leap {}", ""}, 2, false},
    {"photon", "rpm", "rpm", {"Photon OS:{}", ""}, 2, false},
    {"mariner", "rpm", "rpm", {"Mariner:{}", ""}, 2, false},
    {"azurelinux", "rpm", "rpm", {"Azure Linux:{}", ""}, 2, false},
};

const DistroRow* find_distro(std::string_view family) {
  for (const DistroRow& row : kDistros) {
    if (row.family == family) return &row;
  }
  return nullptr;
}

// ---- Language ecosystems ----

enum class NameForm { kPlain, kSlash, kColon };

struct LanguageRow {
  std::string_view pkg_type;
  std::string_view ecosystem;
  std::string_view scheme;
  NameForm name_form;  // how namespace and name join into the OSV package name
};

constexpr LanguageRow kLanguages[] = {
    {"npm", "npm", "semver", NameForm::kSlash},
    {"pypi", "PyPI", "pep440", NameForm::kPlain},
    {"golang", "Go", "go", NameForm::kSlash},
    {"maven", "Maven", "maven", NameForm::kColon},
    {"cargo", "crates.io", "cargo", NameForm::kPlain},
    {"gem", "RubyGems", "gem", NameForm::kPlain},
    {"composer", "Packagist", "composer", NameForm::kSlash},
    {"nuget", "NuGet", "nuget", NameForm::kPlain},
};

std::string joined_name(const model::Package& p, NameForm form) {
  if (p.namespace_.empty() || form == NameForm::kPlain) return p.name;
  return p.namespace_ + (form == NameForm::kColon ? ":" : "/") + p.name;
}

// The Go standard library of a Go binary: owned or not, it is matched.
bool is_go_stdlib(const model::Package& p) {
  return p.type == "golang" && p.namespace_.empty() && (p.name == "stdlib" || p.name == "toolchain");
}

}  // namespace

EcosystemMapper::EcosystemMapper(const versions::SchemeRegistry& schemes) : schemes_(schemes) {}

QueryPlan EcosystemMapper::plan(const model::Package& pkg, const model::OsInfo& os) const {
  QueryPlan out;
  if (pkg.version.empty()) {
    out.skip_reason = "no version";
    return out;
  }
  const versions::Scheme* semver = schemes_.find("semver");
  if (model::is_os_package_type(pkg.type)) {
    const DistroRow* row = find_distro(os.family);
    if (row == nullptr || row->pkg_type != pkg.type) {
      out.skip_reason = os.family.empty() ? "OS package but the OS is unknown"
                                          : "no OSV ecosystem for OS family " + os.family;
      return out;
    }
    std::string release;
    if (row->version_parts > 0) {
      release = leading_parts(os.version, row->version_parts);
      if (release.empty()) {
        out.skip_reason = "the " + os.family + " release is unknown (no VERSION_ID)";
        return out;
      }
    }
    bool use_source = row->by_source && !pkg.source_name.empty();
    std::string name = use_source ? pkg.source_name : pkg.name;
    std::string version =
        use_source && !pkg.source_version.empty() ? pkg.source_version : pkg.version;
    for (std::string_view pattern : row->ecosystems) {
      if (pattern.empty()) continue;
      std::string eco(pattern);
      if (size_t at = eco.find("{}"); at != std::string::npos) eco.replace(at, 2, release);
      out.queries.push_back({eco, name, version, schemes_.find(row->scheme), semver});
    }
    return out;
  }
  if (!pkg.owner.empty() && !is_go_stdlib(pkg)) {
    out.skip_reason = "owned by " + pkg.owner;
    return out;
  }
  for (const LanguageRow& row : kLanguages) {
    if (row.pkg_type != pkg.type) continue;
    std::string name = joined_name(pkg, row.name_form);
    std::string version = pkg.version;
    if (row.pkg_type == "golang" && version.starts_with('v')) version.erase(0, 1);
    const versions::Scheme* scheme = schemes_.find(row.scheme);
    // The Go scheme reads SEMVER ranges too (it is a superset accepting "1.21.0-0").
    out.queries.push_back({std::string(row.ecosystem), vulndb::index_name(row.ecosystem, name),
                           version, scheme, row.pkg_type == "golang" ? scheme : semver});
    return out;
  }
  out.skip_reason = "no OSV ecosystem for package type " + pkg.type;
  return out;
}

const versions::Scheme* scheme_for_ecosystem(const versions::SchemeRegistry& schemes,
                                             std::string_view ecosystem) {
  for (const LanguageRow& row : kLanguages) {
    if (row.ecosystem == ecosystem) return schemes.find(row.scheme);
  }
  for (const DistroRow& row : kDistros) {
    for (std::string_view pattern : row.ecosystems) {
      std::string_view prefix = pattern.substr(0, pattern.find("{}"));
      if (!pattern.empty() && ecosystem.starts_with(prefix)) return schemes.find(row.scheme);
    }
  }
  return nullptr;
}

const versions::Scheme* scheme_for_package_type(const versions::SchemeRegistry& schemes,
                                                std::string_view type) {
  for (const LanguageRow& row : kLanguages) {
    if (row.pkg_type == type) return schemes.find(row.scheme);
  }
  for (const DistroRow& row : kDistros) {
    if (row.pkg_type == type) return schemes.find(row.scheme);
  }
  return nullptr;
}

}  // namespace hivesec::match
