// Private to src/sbom: turning what an SBOM says about one component into a model::Package
// that looks like what hivesec's own analyzers produce, so the matcher needs no special case for
// SBOM input. Shared by the CycloneDX and SPDX readers. Pure functions, thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/package.h"

namespace hivesec::sbom {

// The facts a format reader collected for one component; all optional.
struct ComponentFacts {
  std::string purl;  // as written
  // Ecosystem as a purl type ("deb", "npm"), from hivesec:type or a tool's package type
  // property (see purl_type_for_tool_type); only used when there is no valid purl.
  std::string type;
  std::string group;  // CycloneDX group (maven groupId, npm scope)
  std::string name;
  std::string version;
  std::vector<std::string> licenses;
  std::string source_name;
  std::string source_version;
  // The source as a purl `upstream` qualifier names it ("glibc", "glibc@2.36-9", or an rpm's
  // source rpm file); used when source_name is empty, before the purl's own qualifier.
  std::string upstream;
  std::string arch;
  std::string location;
  std::string layer;
  std::string found_by;
  std::string owner;
  bool dev = false;
  std::map<std::string, std::string> metadata;
};

// The package for `f`: identity from the purl (or, without a valid purl, from type + name +
// version, which then get a purl built for them); nullopt when neither is there.
std::optional<model::Package> build_package(const ComponentFacts& f);

// A producing tool's package type as a purl type: syft "python" -> "pypi", "go-module" ->
// "golang", trivy "gobinary" -> "golang", "jar" -> "maven", hivesec's own types as they are.
// "" when unknown.
std::string purl_type_for_tool_type(std::string_view tool_type);

using model::is_os_package_type;

// An os-release ID, distro name or purl namespace as hivesec's OS family ("redhat" -> "rhel",
// "amzn" -> "amazon", "Debian" -> "debian"); unknown names lower-cased.
std::string normalize_os_family(std::string_view id);

// A purl distro qualifier: "debian-12" -> {"debian", "12"}, "opensuse-leap-15.5" ->
// {"opensuse-leap", "15.5"}, "3.19.1" -> {"", "3.19.1"}, "alpine" -> {"alpine", ""}. The
// family is normalized. A value without a version may be a codename ("bookworm"): callers
// should not trust its family alone.
std::pair<std::string, std::string> split_distro(std::string_view distro);

// "bash-5.1.8-6.el9.src.rpm" -> {"bash", "5.1.8-6.el9"}; nullopt when it is not one.
std::optional<std::pair<std::string, std::string>> split_source_rpm(std::string_view srpm);

// The source package named by an SPDX sourceInfo written by hivesec ("built from source package
// glibc 2.36-9") or trivy ("built package from: glibc 2.36-9"); nullopt for other text.
std::optional<std::pair<std::string, std::string>> parse_source_info(std::string_view text);

}  // namespace hivesec::sbom
