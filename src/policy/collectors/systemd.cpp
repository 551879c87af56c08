// `systemd_units`: which of `units` are installed, enabled and masked on the target, from the
// unit directories (etc, run, usr/lib, lib /systemd/system): installed = a unit file exists;
// enabled = a link in etc/systemd/system/*.wants or *.requires (or the run twin); masked = the
// unit in etc or run links to /dev/null (masked units count as neither installed nor enabled).
// A name without a suffix means NAME.service. Never kMissing: absent units are simply absent.
#include <sys/stat.h>
#include <unistd.h>

#include "policy/collectors/util.h"

namespace hivesec::policy::collectors {

namespace {

using nlohmann::json;

constexpr const char* kUnitDirs[] = {"/etc/systemd/system", "/run/systemd/system",
                                     "/usr/lib/systemd/system", "/lib/systemd/system"};

bool lexists(Host& host, const std::string& dir, const std::string& name) {
  auto d = host.host_path(dir);
  if (!d) return false;
  struct stat st {};
  return ::lstat((*d + "/" + name).c_str(), &st) == 0;
}

bool masked(Host& host, const std::string& unit) {
  for (const char* dir : {"/etc/systemd/system", "/run/systemd/system"}) {
    auto d = host.host_path(dir);
    if (!d) continue;
    char buf[256];
    ssize_t n = ::readlink((*d + "/" + unit).c_str(), buf, sizeof buf);
    if (n > 0 && std::string(buf, static_cast<size_t>(n)) == "/dev/null") return true;
  }
  return false;
}

class SystemdUnitsCollector : public Collector {
 public:
  std::string_view name() const override { return "systemd_units"; }
  std::string_view description() const override {
    return "of `units`: installed, enabled and masked lists (unit files and .wants links)";
  }
  Status validate(const json& p) const override {
    HIVESEC_TRY_STATUS(only_params(p, {"units"}));
    if (!p.contains("units") || !p["units"].is_array() || p["units"].empty()) {
      return make_error(Errc::kInvalidArgument, "needs a non-empty 'units' list");
    }
    for (const auto& u : p["units"]) {
      if (!u.is_string() || u.get<std::string>().find('/') != std::string::npos) {
        return make_error(Errc::kInvalidArgument, "bad unit name {}", u.dump());
      }
    }
    return ok_status();
  }
  Fact collect(const json& p, Host& host) const override {
    json v = {{"installed", json::array()}, {"enabled", json::array()}, {"masked", json::array()}};
    std::vector<std::string> wants;
    for (const char* base : {"/etc/systemd/system", "/run/systemd/system"}) {
      for (const auto& d : list_dir(host, base, "*.wants"))
        wants.push_back(std::string(base) + "/" + d);
      for (const auto& d : list_dir(host, base, "*.requires"))
        wants.push_back(std::string(base) + "/" + d);
    }
    for (const auto& u : p["units"]) {
      std::string unit = u.get<std::string>();
      if (unit.find('.') == std::string::npos) unit += ".service";
      if (masked(host, unit)) {
        v["masked"].push_back(unit);
        continue;
      }
      bool inst = false;
      for (const char* dir : kUnitDirs) inst = inst || lexists(host, dir, unit);
      if (inst) v["installed"].push_back(unit);
      for (const auto& w : wants) {
        if (lexists(host, w, unit)) {
          v["enabled"].push_back(unit);
          break;
        }
      }
    }
    return Fact::ok(std::move(v), "systemd units");
  }
};

}  // namespace

std::unique_ptr<Collector> make_systemd_units_collector() {
  return std::make_unique<SystemdUnitsCollector>();
}

}  // namespace hivesec::policy::collectors
