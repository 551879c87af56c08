// OsInfo: the operating system of an image or root filesystem.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace hivesec::model {

struct OsInfo {
  // Normalized family: "debian", "ubuntu", "alpine", "rhel", "centos", "rocky", "almalinux",
  // "fedora", "amazon", "ol", "sles", "opensuse-leap", "opensuse-tumbleweed", "distroless",
  // "wolfi", "chainguard", or the os-release ID when unknown. Empty when nothing was found.
  std::string family;
  std::string name;      // PRETTY_NAME or NAME
  std::string version;   // VERSION_ID ("12", "3.19.1", "9.3")
  std::string codename;  // VERSION_CODENAME ("bookworm")
  std::string source;    // the file it came from ("etc/os-release")

  bool empty() const { return family.empty(); }
};

void to_json(nlohmann::json& j, const OsInfo& o);
void from_json(const nlohmann::json& j, OsInfo& o);

}  // namespace hivesec::model
