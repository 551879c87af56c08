// Package: one installed component found in an image or filesystem (DESIGN §1).
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace hivesec::model {

// Package types are purl types (https://github.com/package-url/purl-spec): "deb", "apk", "rpm",
// "npm", "pypi", "golang", "maven", "cargo", "gem", "composer", "nuget".
struct Package {
  std::string type;
  std::string name;
  std::string version;
  // Namespace for purl (maven groupId, golang module prefix handled in name, distro for OS pkgs).
  std::string namespace_;
  std::string arch;
  // OS packages: the source package and its version (dpkg Source:, rpm SOURCERPM, apk origin).
  std::string source_name;
  std::string source_version;
  std::vector<std::string> licenses;
  std::string purl;
  // Which analyzer found it ("dpkg", "npm", ...).
  std::string found_by;
  // The file that proved it, relative to the image root ("var/lib/dpkg/status").
  std::string location;
  // diffID of the layer that added it ("" for a plain filesystem).
  std::string layer;
  // Files the package owns (OS packages), relative to the image root.
  std::vector<std::string> files;
  // purl of the OS package that owns this package's files, if any.
  std::string owner;
  // Language packages: true when only declared by a lock file, not installed.
  bool dev = false;
  // Extra facts (maintainer, homepage, go_version, main_module, ...), sorted for stable output.
  std::map<std::string, std::string> metadata;

  // Identity within one image: type + namespace + name + version + arch + location.
  std::string key() const;
};

// Package types an OS package manager installs (purl types deb, apk, rpm, alpm): matched by
// distro release and source package, owners of language packages' files.
bool is_os_package_type(std::string_view type);

void to_json(nlohmann::json& j, const Package& p);
void from_json(const nlohmann::json& j, Package& p);

}  // namespace hivesec::model
