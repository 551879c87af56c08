// `process`: processes whose executable name (argv[0] basename or /proc/PID/comm) is `name`,
// read from /proc under the root: {running, count, pids, args (first match), flags (its
// command-line flags)}. Offline (--root) without a proc tree it is kUnavailable: a node image
// has no processes, and saying "not running" would be a guess.
#include "policy/collectors/util.h"

namespace hivesec::policy::collectors {

namespace {

using nlohmann::json;

constexpr size_t kMaxProcs = 100000;

class ProcessCollector : public Collector {
 public:
  std::string_view name() const override { return "process"; }
  std::string_view description() const override {
    return "running processes named `name` from /proc: running, count, pids, args, flags";
  }
  Status validate(const json& p) const override {
    HIVESEC_TRY_STATUS(only_params(p, {"name"}));
    return require_param(p, "name");
  }
  Fact collect(const json& p, Host& host) const override {
    std::string want = param(p, "name");
    std::string src = "process " + want;
    auto pids = list_dir(host, "/proc", "[0-9]*");
    if (pids.empty()) return Fact::unavailable("no /proc under the root", src);
    json v = {{"running", false}, {"count", 0}, {"pids", json::array()}};
    size_t seen = 0;
    for (const auto& pid : pids) {
      if (++seen > kMaxProcs) break;
      std::string raw, comm;
      if (host.read_file("/proc/" + pid + "/cmdline", &raw)) continue;  // exited or kernel thread
      (void)host.read_file("/proc/" + pid + "/comm", &comm);
      std::vector<std::string> args;
      size_t pos = 0;
      while (pos < raw.size()) {
        size_t z = raw.find('\0', pos);
        if (z == std::string::npos) z = raw.size();
        args.push_back(raw.substr(pos, z - pos));
        pos = z + 1;
      }
      std::string exe = args.empty() ? "" : args[0].substr(args[0].rfind('/') + 1);
      if (exe != want && trim(comm) != want) continue;
      v["running"] = true;
      v["count"] = v["count"].get<int>() + 1;
      v["pids"].push_back(pid);
      if (!v.contains("args")) {
        v["args"] = args;
        v["flags"] = parse_flags(
            std::vector<std::string>(args.size() > 1 ? args.begin() + 1 : args.end(), args.end()));
      }
    }
    return Fact::ok(std::move(v), src);
  }
};

}  // namespace

std::unique_ptr<Collector> make_process_collector() { return std::make_unique<ProcessCollector>(); }

}  // namespace hivesec::policy::collectors
