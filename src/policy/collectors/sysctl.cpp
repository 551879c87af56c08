// `sysctl`: a kernel parameter (key: "net.ipv4.ip_forward"). The running value from
// /proc/sys under the root. Offline (--root) without a proc/sys tree, the configured value:
// sysctl.d files (usr/lib, lib, run, etc; a later directory's file of the same name replaces
// an earlier one; files applied in name order) then etc/sysctl.conf, last assignment wins.
// A key the kernel does not have (or nobody configured) is kMissing.
#include <algorithm>
#include <map>

#include "policy/collectors/formats.h"
#include "policy/collectors/util.h"

namespace hivesec::policy::collectors {

namespace {

using nlohmann::json;

std::string normalize(std::string v) {
  std::string out;
  bool space = false;
  for (char c : trim(std::move(v))) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

class SysctlCollector : public Collector {
 public:
  std::string_view name() const override { return "sysctl"; }
  std::string_view description() const override {
    return "a kernel parameter (key), running value from /proc/sys; offline: the configured value";
  }
  Status validate(const json& p) const override {
    HIVESEC_TRY_STATUS(only_params(p, {"key"}));
    HIVESEC_TRY_STATUS(require_param(p, "key"));
    std::string k = param(p, "key");
    if (k.find("..") != std::string::npos || k.find('/') != std::string::npos) {
      return make_error(Errc::kInvalidArgument, "bad sysctl key '{}'", k);
    }
    return ok_status();
  }
  Fact collect(const json& p, Host& host) const override {
    std::string key = param(p, "key");
    std::string rel = key;
    std::replace(rel.begin(), rel.end(), '.', '/');
    std::string src = "sysctl " + key;
    bool have_proc = !list_dir(host, "/proc/sys").empty();
    if (host.live() || have_proc) {
      std::string text;
      auto f = host.read_file("/proc/sys/" + rel, &text);
      if (!f) return Fact::ok(normalize(text), src);
      if (f->state == FactState::kMissing)
        return Fact::missing("the kernel has no such parameter", src);
      f->source = src;
      return *f;
    }
    return configured(key, host);
  }

 private:
  static Fact configured(const std::string& key, Host& host) {
    std::map<std::string, std::string> files;  // name -> path (later dirs replace)
    for (const char* dir :
         {"/usr/lib/sysctl.d", "/lib/sysctl.d", "/run/sysctl.d", "/etc/sysctl.d"}) {
      for (const auto& n : list_dir(host, dir, "*.conf")) files[n] = std::string(dir) + "/" + n;
    }
    std::vector<std::string> order;
    for (const auto& [n, path] : files) order.push_back(path);
    order.push_back("/etc/sysctl.conf");
    std::string value, where;
    for (const auto& path : order) {
      std::string text;
      if (auto f = host.read_file(path, &text)) {
        if (f->state == FactState::kMissing) continue;
        f->source = path;
        return *f;
      }
      auto parsed = parse_format("sysctl", text);
      if (!parsed.ok()) return Fact::error(parsed.error().message, path);
      if (parsed->contains(key)) {
        value = (*parsed)[key].get<std::string>();
        where = path;
      }
    }
    if (where.empty())
      return Fact::missing("not configured (no proc/sys under the root)", "sysctl " + key);
    return Fact::ok(normalize(value), "sysctl " + key + " configured in " + where);
  }
};

}  // namespace

std::unique_ptr<Collector> make_sysctl_collector() { return std::make_unique<SysctlCollector>(); }

}  // namespace hivesec::policy::collectors
