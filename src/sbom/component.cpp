#include "sbom/component.h"

#include <algorithm>
#include <cctype>

#include "model/purl.h"

namespace hivesec::sbom {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// PEP 503: lower case, runs of '-', '_' and '.' as one '-'.
std::string pypi_normal(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (out.empty() || out.back() != '-') out.push_back('-');
    } else {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

// Ecosystems whose packages hivesec names with their namespace ("@scope/name", "vendor/name").
bool joins_namespace(std::string_view type) { return type == "npm" || type == "composer"; }

// Splits a component name into purl namespace and name, for building a purl.
std::pair<std::string, std::string> purl_parts(std::string_view type, std::string_view group,
                                               std::string_view name) {
  if (type == "pypi") return {"", pypi_normal(name)};  // as the python analyzer builds it
  if (!group.empty()) return {std::string(group), std::string(name)};
  bool split = type == "golang" || (joins_namespace(type) && name.find('/') != name.npos);
  if (type == "npm" && !name.starts_with('@')) split = false;
  size_t slash = name.rfind('/');
  if (!split || slash == std::string_view::npos) return {"", std::string(name)};
  return {std::string(name.substr(0, slash)), std::string(name.substr(slash + 1))};
}

// The source package named by an `upstream` purl qualifier: "glibc", "glibc@2.36-9", or for rpm
// the source rpm file name.
void source_from_upstream(std::string_view type, std::string_view upstream, std::string_view epoch,
                          model::Package& p) {
  if (type == "rpm") {
    if (auto s = split_source_rpm(upstream)) {
      p.source_name = s->first;
      p.source_version = epoch.empty() ? s->second : std::string(epoch) + ":" + s->second;
      return;
    }
  }
  size_t at = upstream.find('@');
  p.source_name = std::string(trim(upstream.substr(0, at)));
  if (at != std::string_view::npos) p.source_version = std::string(trim(upstream.substr(at + 1)));
}

}  // namespace

std::string purl_type_for_tool_type(std::string_view tool_type) {
  struct Alias {
    std::string_view tool;
    std::string_view purl;
  };
  // hivesec's own types, syft's package types, trivy's analyzer types.
  // clang-format off
  static constexpr Alias kAliases[] = {
      {"deb", "deb"}, {"rpm", "rpm"}, {"apk", "apk"}, {"alpm", "alpm"}, {"npm", "npm"},
      {"pypi", "pypi"}, {"golang", "golang"}, {"maven", "maven"}, {"cargo", "cargo"},
      {"gem", "gem"}, {"composer", "composer"}, {"nuget", "nuget"},
      {"debian", "deb"}, {"ubuntu", "deb"},
      {"alpine", "apk"}, {"wolfi", "apk"}, {"chainguard", "apk"},
      {"redhat", "rpm"}, {"centos", "rpm"}, {"rocky", "rpm"}, {"alma", "rpm"},
      {"amazon", "rpm"}, {"oracle", "rpm"}, {"fedora", "rpm"}, {"suse", "rpm"},
      {"node-pkg", "npm"}, {"yarn", "npm"}, {"pnpm", "npm"},
      {"python", "pypi"}, {"python-pkg", "pypi"}, {"pip", "pypi"}, {"pipenv", "pypi"},
      {"poetry", "pypi"},
      {"go-module", "golang"}, {"gobinary", "golang"}, {"gomod", "golang"},
      {"java-archive", "maven"}, {"jar", "maven"}, {"pom", "maven"}, {"gradle", "maven"},
      {"rust-crate", "cargo"}, {"rust-binary", "cargo"},
      {"gemspec", "gem"}, {"bundler", "gem"},
      {"php-composer", "composer"},
      {"dotnet", "nuget"}, {"dotnet-core", "nuget"},
  };
  // clang-format on

  std::string t = lower(trim(tool_type));
  for (const auto& a : kAliases) {
    if (a.tool == t) return std::string(a.purl);
  }
  return "";
}

std::string normalize_os_family(std::string_view id) {
  struct Alias {
    std::string_view from;
    std::string_view to;
  };
  static constexpr Alias kAliases[] = {
      {"redhat", "rhel"},    {"red hat enterprise linux", "rhel"},
      {"amzn", "amazon"},    {"amazon linux", "amazon"},
      {"oracle", "ol"},      {"oraclelinux", "ol"},
      {"sles_sap", "sles"},  {"sled", "sles"},
      {"suse", "sles"},      {"opensuse", "opensuse-leap"},
      {"alma", "almalinux"}, {"debian gnu/linux", "debian"},
  };
  std::string l = lower(trim(id));
  for (const auto& a : kAliases) {
    if (a.from == l) return std::string(a.to);
  }
  return l;
}

std::pair<std::string, std::string> split_distro(std::string_view distro) {
  distro = trim(distro);
  if (distro.empty()) return {};
  if (std::isdigit(static_cast<unsigned char>(distro.front()))) return {"", std::string(distro)};
  for (size_t dash = distro.rfind('-'); dash != std::string_view::npos && dash > 0;
       dash = distro.rfind('-', dash - 1)) {
    if (dash + 1 < distro.size() && std::isdigit(static_cast<unsigned char>(distro[dash + 1]))) {
      return {normalize_os_family(distro.substr(0, dash)), std::string(distro.substr(dash + 1))};
    }
  }
  return {normalize_os_family(distro), ""};
}

std::optional<std::pair<std::string, std::string>> split_source_rpm(std::string_view srpm) {
  srpm = trim(srpm);
  for (std::string_view suffix : {".src.rpm", ".nosrc.rpm"}) {
    if (srpm.ends_with(suffix)) {
      srpm.remove_suffix(suffix.size());
      break;
    }
  }
  size_t rel = srpm.rfind('-');
  if (rel == std::string_view::npos || rel == 0) return std::nullopt;
  size_t ver = srpm.rfind('-', rel - 1);
  if (ver == std::string_view::npos || ver == 0 || ver + 1 == rel || rel + 1 == srpm.size()) {
    return std::nullopt;
  }
  return std::pair{std::string(srpm.substr(0, ver)), std::string(srpm.substr(ver + 1))};
}

std::optional<std::pair<std::string, std::string>> parse_source_info(std::string_view text) {
  text = trim(text);
  for (std::string_view prefix : {"built from source package ", "built package from:"}) {
    if (!text.starts_with(prefix)) continue;
    std::string_view rest = trim(text.substr(prefix.size()));
    size_t space = rest.find(' ');
    std::string name(rest.substr(0, space));
    std::string version =
        space == std::string_view::npos ? "" : std::string(trim(rest.substr(space + 1)));
    if (name.empty() || version.find(' ') != std::string::npos) return std::nullopt;
    return std::pair{std::move(name), std::move(version)};
  }
  return std::nullopt;
}

std::optional<model::Package> build_package(const ComponentFacts& f) {
  std::string purl_text = f.purl;
  std::optional<model::Purl> purl;
  if (!purl_text.empty()) {
    if (auto r = model::parse_purl(purl_text); r.ok()) purl = std::move(*r);
  }
  if (!purl) {
    if (f.type.empty() || f.name.empty() || f.version.empty()) return std::nullopt;
    auto [ns, name] = purl_parts(f.type, f.group, f.name);
    std::map<std::string, std::string> qualifiers;
    if (!f.arch.empty()) qualifiers[f.type == "gem" ? "platform" : "arch"] = f.arch;
    purl_text = model::make_purl(f.type, ns, name, f.version, qualifiers);
    auto r = model::parse_purl(purl_text);
    if (!r.ok()) return std::nullopt;
    purl = std::move(*r);
  }
  const model::Purl& u = *purl;
  auto qualifier = [&u](const char* key) -> std::string {
    auto it = u.qualifiers.find(key);
    return it == u.qualifiers.end() ? "" : it->second;
  };

  model::Package p;
  p.type = u.type;
  if (joins_namespace(u.type)) {
    p.name = u.namespace_.empty() ? u.name : u.namespace_ + "/" + u.name;
  } else {
    p.namespace_ = u.namespace_;
    p.name = u.name;
    // pypi purls carry the normalized name; keep the spelling the component shows.
    if (u.type == "pypi" && !f.name.empty() && pypi_normal(f.name) == pypi_normal(u.name)) {
      p.name = f.name;
    }
  }
  p.version = !u.version.empty() ? u.version : f.version;
  std::string epoch = u.type == "rpm" ? qualifier("epoch") : "";
  if (!epoch.empty() && p.version.find(':') == std::string::npos) {
    p.version = epoch + ":" + p.version;
  }
  p.arch = !f.arch.empty() ? f.arch : qualifier(u.type == "gem" ? "platform" : "arch");
  p.purl = std::move(purl_text);

  if (!f.source_name.empty()) {
    p.source_name = f.source_name;
    p.source_version = f.source_version;
  } else if (!f.upstream.empty()) {
    source_from_upstream(u.type, f.upstream, epoch, p);
  } else if (std::string up = qualifier("upstream"); !up.empty()) {
    source_from_upstream(u.type, up, epoch, p);
  }
  if (is_os_package_type(p.type)) {
    // As the OS analyzers do: a package built from a source of its own name and version.
    if (p.source_name.empty()) p.source_name = p.name;
    if (p.source_version.empty()) p.source_version = p.version;
  }

  for (const auto& l : f.licenses) {
    std::string_view t = trim(l);
    if (!t.empty() && std::find(p.licenses.begin(), p.licenses.end(), t) == p.licenses.end()) {
      p.licenses.emplace_back(t);
    }
  }
  p.found_by = f.found_by;
  p.location = f.location;
  p.layer = f.layer;
  p.owner = f.owner;
  p.dev = f.dev;
  p.metadata = f.metadata;
  return p;
}

}  // namespace hivesec::sbom
