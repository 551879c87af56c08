// Kubernetes node collectors (`hivesec bench kubernetes`):
//  - `k8s_component` {component, view, manifest}: whether a component is on this node
//    (view presence), its command-line flags (view flags) and, for the kubelet, its effective
//    settings merged from flags, its config file and the defaults (view settings).
//  - `k8s_path` {component, setting, fallback}: the stat of a file another setting names
//    (--kubeconfig, --config, --client-ca-file, --data-dir), with a fallback path.
//  - `k8s_etcd_ca`: whether etcd's --trusted-ca-file is a different CA from the API server's
//    --client-ca-file.
// A component that is not on the node is kMissing "component not found on this node" (checks
// say `if_missing: info`); a malformed manifest or kubelet config file is kError.
#include <algorithm>

#include "policy/collectors/formats.h"
#include "policy/collectors/k8s_node.h"
#include "policy/collectors/util.h"

namespace hivesec::policy::collectors {

std::unique_ptr<Collector> make_process_collector();

namespace {

using nlohmann::json;

constexpr const char* kUnitDirs[] = {"/etc/systemd/system", "/run/systemd/system",
                                     "/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
                                     "/lib/systemd/system"};
constexpr const char* kKubeletConfigDefault = "/var/lib/kubelet/config.yaml";
constexpr const char* kKubeletKubeconfigDefault = "/etc/kubernetes/kubelet.conf";

bool exists(Host& host, const std::string& path) {
  return stat_fact(host, path).state != FactState::kMissing;
}

// The running process of a component: {pid, args} when found; `why` says why not.
struct ProcInfo {
  bool found = false;
  bool known = false;  // /proc could be read
  std::string pid;
  std::vector<std::string> args;
};

ProcInfo find_process(Host& host, const std::string& exe) {
  static const std::unique_ptr<Collector> proc = make_process_collector();
  const Fact& f = collect_cached(*proc, json{{"name", exe}}, host);
  ProcInfo p;
  if (f.state != FactState::kOk) return p;
  p.known = true;
  if (!f.value.value("running", false)) return p;
  p.found = true;
  if (f.value.contains("pids") && !f.value["pids"].empty())
    p.pid = f.value["pids"][0].get<std::string>();
  if (f.value.contains("args") && f.value["args"].is_array()) {
    for (const auto& a : f.value["args"]) p.args.push_back(a.get<std::string>());
  }
  return p;
}

std::vector<std::string> tail(const std::vector<std::string>& v) {
  return v.size() > 1 ? std::vector<std::string>(v.begin() + 1, v.end())
                      : std::vector<std::string>();
}

std::string not_found(const std::string& what, const ProcInfo& p, const std::string& where) {
  std::string why = "component not found on this node (" + where + "; ";
  why += p.known ? "no " + what + " process" : "no /proc under the root to look for processes";
  return why + ")";
}

// ------------------------------------------------------------------ kubelet command line
struct KubeletCommand {
  std::vector<std::string> unit_files;
  std::vector<std::string> args;  // without argv[0]
  std::string source;             // how the command line was found, for the value
  std::string source_path;        // the fact's source: a path on the target when there is one
  bool found = false;             // a process, a unit or a config file says the kubelet is here
  std::string where;              // for "not found" reasons
  ProcInfo proc;
};

// Reads the kubelet unit and drop-ins (systemd precedence: /etc over /run over /lib; drop-ins
// in name order, a name in a higher directory hiding the same name below).
std::optional<Fact> read_kubelet_unit(Host& host, KubeletCommand& out) {
  std::string main;
  std::map<std::string, std::string> dropins;
  for (const char* dir : kUnitDirs) {
    std::string unit = std::string(dir) + "/kubelet.service";
    if (main.empty() && exists(host, unit)) main = unit;
    for (const auto& n : list_dir(host, std::string(dir) + "/kubelet.service.d", "*.conf"))
      dropins.emplace(n, std::string(dir) + "/kubelet.service.d/" + n);
  }
  std::vector<std::string> files;
  if (!main.empty()) files.push_back(main);
  for (const auto& [n, p] : dropins) files.push_back(p);
  if (files.empty()) return std::nullopt;
  std::map<std::string, std::string> env;
  std::vector<std::string> env_files;
  std::string exec;
  for (const auto& path : files) {
    std::string text;
    if (auto f = host.read_file(path, &text)) return f;
    out.unit_files.push_back(path);
    std::string section, pending;
    for (const auto& raw : split_lines(text)) {
      std::string l = trim(raw);
      if (!l.empty() && l.back() == '\\') {
        pending += l.substr(0, l.size() - 1) + " ";
        continue;
      }
      l = pending + l;
      pending.clear();
      if (l.empty() || l[0] == '#' || l[0] == ';') continue;
      if (l[0] == '[') {
        section = l;
        continue;
      }
      if (section != "[Service]") continue;
      size_t eq = l.find('=');
      if (eq == std::string::npos) continue;
      std::string k = trim(l.substr(0, eq)), v = trim(l.substr(eq + 1));
      if (k == "Environment") {
        for (const auto& w : k8s::split_words(v)) {
          size_t e = w.find('=');
          if (e != std::string::npos) env[w.substr(0, e)] = w.substr(e + 1);
        }
      } else if (k == "EnvironmentFile") {
        if (v.empty())
          env_files.clear();
        else
          env_files.push_back(v);
      } else if (k == "ExecStart") {
        exec = v;  // an empty ExecStart= resets; the last one is what runs
      }
    }
  }
  // Environment files override Environment= (systemd reads them when the service starts).
  for (auto path : env_files) {
    if (!path.empty() && path[0] == '-') path.erase(0, 1);
    std::string text;
    if (auto f = host.read_file(path, &text)) {
      if (f->state == FactState::kMissing) continue;
      return f;
    }
    for (auto& [k, v] : k8s::parse_env_file(text)) env[k] = v;
  }
  if (!exec.empty()) {
    out.args = tail(k8s::expand_exec(exec, env));
    out.source = "systemd unit " + files.front() + (files.size() > 1 ? " + drop-ins" : "");
    out.source_path = files.front();
  }
  out.found = true;
  return std::nullopt;
}

std::optional<Fact> kubelet_command(Host& host, KubeletCommand& out) {
  out.proc = find_process(host, "kubelet");
  if (auto f = read_kubelet_unit(host, out)) return f;
  if (out.proc.found) {
    out.args = tail(out.proc.args);
    out.source = "process " + out.proc.pid;
    out.source_path = out.source;
    out.found = true;
    return std::nullopt;
  }
  bool config = exists(host, kKubeletConfigDefault);
  if (config || exists(host, kKubeletKubeconfigDefault)) out.found = true;
  if (out.source.empty() && config) {
    // No process and no unit command line: assume the kubeadm layout.
    out.args = {std::string("--config=") + kKubeletConfigDefault};
    out.source = std::string("assumed --config=") + kKubeletConfigDefault + " (no unit command)";
    out.source_path = kKubeletConfigDefault;
  }
  out.where = "no kubelet.service unit, no " + std::string(kKubeletConfigDefault);
  return std::nullopt;
}

// ------------------------------------------------------------------ control-plane command line
struct PodCommand {
  std::string manifest;
  bool manifest_exists = false;
  json manifest_flags;  // null when not read
  ProcInfo proc;
};

std::optional<Fact> pod_command(Host& host, const k8s::ComponentInfo& info,
                                const std::string& manifest_override, bool parse, PodCommand& out) {
  out.manifest = manifest_override.empty() ? info.manifest : manifest_override;
  out.proc = find_process(host, info.process);
  std::string text;
  auto f = host.read_file(out.manifest, &text);
  out.manifest_exists = !f || f->state != FactState::kMissing;
  if (!parse) return std::nullopt;
  if (f && f->state != FactState::kMissing) return f;
  if (!f) {
    auto cmd = k8s::manifest_command(text, info.container);
    if (!cmd.ok()) return Fact::error(cmd.error().message, out.manifest);
    std::vector<std::string> args = *cmd;
    if (!args.empty() && !args[0].empty() && args[0][0] != '-') args.erase(args.begin());
    out.manifest_flags = k8s::parse_component_args(args);
  }
  return std::nullopt;
}

// A KubeletConfiguration file: YAML (or JSON), a map, kind KubeletConfiguration when given.
Result<json> parse_kubelet_config(const std::string& text) {
  HIVESEC_TRY(json v, parse_format("yaml", text));
  if (!v.is_object()) return make_error(Errc::kCorrupt, "not a KubeletConfiguration (not a map)");
  if (v.contains("kind") && v["kind"] != "KubeletConfiguration")
    return make_error(Errc::kCorrupt, "kind is '{}', not KubeletConfiguration",
                      v["kind"].is_string() ? v["kind"].get<std::string>() : v["kind"].dump());
  return v;
}

class ComponentCollector : public Collector {
 public:
  std::string_view name() const override { return "k8s_component"; }
  std::string_view description() const override {
    return "a Kubernetes component on this node (component, view: presence|flags|settings, "
           "manifest)";
  }
  Status validate(const json& p) const override {
    HIVESEC_TRY_STATUS(only_params(p, {"component", "view", "manifest"}));
    HIVESEC_TRY_STATUS(require_param(p, "component"));
    std::string c = param(p, "component"), view = param(p, "view");
    const k8s::ComponentInfo* info = k8s::find_component(c);
    if (!info) {
      std::string known;
      for (const auto& id : k8s::component_ids()) known += (known.empty() ? "" : ", ") + id;
      return make_error(Errc::kInvalidArgument, "unknown component '{}' (known: {})", c, known);
    }
    if (!view.empty() && view != "presence" && view != "flags" && view != "settings")
      return make_error(Errc::kInvalidArgument, "view must be presence, flags or settings");
    if (view == "settings" && c != "kubelet")
      return make_error(Errc::kInvalidArgument, "view settings is for the kubelet only");
    if (p.contains("manifest")) {
      if (c == "kubelet") return make_error(Errc::kInvalidArgument, "the kubelet has no manifest");
      HIVESEC_TRY_STATUS(require_param(p, "manifest", true));
    }
    return ok_status();
  }
  Fact collect(const json& p, Host& host) const override {
    std::string c = param(p, "component"), view = param(p, "view");
    if (view.empty()) view = "flags";
    const k8s::ComponentInfo* info = k8s::find_component(c);
    if (!info) return Fact::error("unknown component", c);
    if (c == "kubelet") return kubelet(view, host);
    PodCommand cmd;
    std::string src = info->process;
    auto f = pod_command(host, *info, param(p, "manifest"), view != "presence", cmd);
    if (f) return Fact{f->state, nullptr, f->reason, f->source, false};
    if (!cmd.manifest_exists && !cmd.proc.found)
      return Fact::missing(not_found(info->process, cmd.proc, "no " + cmd.manifest), src);
    json v = {{"component", c}};
    v["manifest"] = cmd.manifest_exists ? json(cmd.manifest) : json(nullptr);
    v["process"] = cmd.proc.found ? json(cmd.proc.pid) : json(nullptr);
    if (view == "presence") {
      src = cmd.manifest_exists ? cmd.manifest : "process " + cmd.proc.pid;
      return Fact::ok(std::move(v), src);
    }
    // The running process is what is in effect: when one is visible its flags are used as
    // they are; the manifest is the fallback (offline trees).
    json pflags = cmd.proc.found ? k8s::parse_component_args(tail(cmd.proc.args)) : json();
    v["manifest_flags"] = cmd.manifest_flags;
    v["process_flags"] = pflags;
    v["flags"] = cmd.proc.found ? pflags : cmd.manifest_flags;
    v["source"] = cmd.proc.found ? "process " + cmd.proc.pid : "manifest " + cmd.manifest;
    json drift = json::array();
    if (cmd.proc.found && cmd.manifest_flags.is_object()) {
      for (auto it = cmd.manifest_flags.begin(); it != cmd.manifest_flags.end(); ++it) {
        if (!pflags.contains(it.key()) || pflags[it.key()] != *it) drift.push_back(it.key());
      }
      for (auto it = pflags.begin(); it != pflags.end(); ++it) {
        if (!cmd.manifest_flags.contains(it.key())) drift.push_back(it.key());
      }
    }
    v["drift"] = drift;
    return Fact::ok(std::move(v), cmd.proc.found ? "process " + cmd.proc.pid : cmd.manifest);
  }

 private:
  static Fact kubelet(const std::string& view, Host& host) {
    KubeletCommand cmd;
    if (auto f = kubelet_command(host, cmd)) return *f;
    if (!cmd.found) return Fact::missing(not_found("kubelet", cmd.proc, cmd.where), "kubelet");
    json v = {{"component", "kubelet"}, {"unit_files", cmd.unit_files}};
    v["process"] = cmd.proc.found ? json(cmd.proc.pid) : json(nullptr);
    v["source"] = cmd.source.empty() ? "no command line found" : cmd.source;
    std::string src = cmd.source_path.empty() ? "kubelet" : cmd.source_path;
    if (view == "presence") return Fact::ok(std::move(v), src);
    json flags = k8s::parse_component_args(cmd.args);
    v["flags"] = flags;
    if (view == "flags") return Fact::ok(std::move(v), src);
    json config;
    const json* cfg = nullptr;
    if (flags.contains("config")) {
      json last = flags["config"].is_array() ? flags["config"].back() : flags["config"];
      std::string path = last.get<std::string>();
      std::string text;
      if (auto f = host.read_file(path, &text)) {
        if (f->state == FactState::kMissing)
          return Fact::error("kubelet config file (--config) does not exist", path);
        return *f;
      }
      auto parsed = parse_kubelet_config(text);
      if (!parsed.ok()) return Fact::error(parsed.error().message, path);
      config = std::move(parsed).value();
      cfg = &config;
      v["config_path"] = path;
      v["config"] = config;
      src = path;
    }
    json s = k8s::kubelet_settings(flags, cfg);
    v["settings"] = s["settings"];
    v["settings_sources"] = s["sources"];
    return Fact::ok(std::move(v), src);
  }
};

const ComponentCollector& component_collector() {
  static const ComponentCollector c;
  return c;
}

// The component fact through the run's cache (the same key a check's own fact uses).
const Fact& component_fact(Host& host, const std::string& component, const std::string& view) {
  return collect_cached(component_collector(), json{{"component", component}, {"view", view}},
                        host);
}

std::optional<std::string> last_text(const json& obj, const std::string& key) {
  if (!obj.is_object() || !obj.contains(key)) return std::nullopt;
  const json& v = obj[key].is_array() && !obj[key].empty() ? obj[key].back() : obj[key];
  if (!v.is_string()) return std::nullopt;
  return v.get<std::string>();
}

class PathCollector : public Collector {
 public:
  std::string_view name() const override { return "k8s_path"; }
  std::string_view description() const override {
    return "stat of the file a component setting names (component, setting, fallback)";
  }
  Status validate(const json& p) const override {
    HIVESEC_TRY_STATUS(only_params(p, {"component", "setting", "fallback"}));
    HIVESEC_TRY_STATUS(require_param(p, "component"));
    HIVESEC_TRY_STATUS(require_param(p, "setting"));
    if (!k8s::find_component(param(p, "component")))
      return make_error(Errc::kInvalidArgument, "unknown component '{}'", param(p, "component"));
    if (p.contains("fallback")) HIVESEC_TRY_STATUS(require_param(p, "fallback", true));
    return ok_status();
  }
  Fact collect(const json& p, Host& host) const override {
    std::string c = param(p, "component"), setting = param(p, "setting");
    std::string fallback = param(p, "fallback");
    const Fact& flags = component_fact(host, c, "flags");
    if (flags.state != FactState::kOk) return flags;
    std::optional<std::string> path = last_text(flags.value["flags"], setting);
    std::string from = "--" + setting;
    if (!path && c == "kubelet") {
      const Fact& s = component_fact(host, c, "settings");
      if (s.state != FactState::kOk) return s;
      const json& srcs = s.value["settings_sources"];
      if (srcs.contains(setting) && srcs[setting].get<std::string>().rfind("config ", 0) == 0) {
        path = last_text(s.value["settings"], setting);
        from = srcs[setting].get<std::string>();
      }
    }
    if (!path && !fallback.empty()) {
      path = fallback;
      from = "default path (--" + setting + " not set)";
    }
    if (!path) return Fact::missing("--" + setting + " is not set", c);
    if (path->empty() || (*path)[0] != '/')
      return Fact::error("--" + setting + " is not an absolute path: '" + *path + "'", *path);
    Fact f = stat_fact(host, *path);
    if (f.state == FactState::kMissing) f.reason = "does not exist (from " + from + ")";
    if (f.state == FactState::kOk) {
      f.value["path"] = *path;
      f.value["from"] = from;
    }
    return f;
  }
};

class EtcdCaCollector : public Collector {
 public:
  std::string_view name() const override { return "k8s_etcd_ca"; }
  std::string_view description() const override {
    return "etcd --trusted-ca-file compared with the API server's --client-ca-file";
  }
  Status validate(const json& p) const override { return only_params(p, {}); }
  Fact collect(const json&, Host& host) const override {
    const Fact& etcd = component_fact(host, "etcd", "flags");
    if (etcd.state != FactState::kOk) return etcd;
    auto etcd_ca = last_text(etcd.value["flags"], "trusted-ca-file");
    if (!etcd_ca) return Fact::missing("--trusted-ca-file is not set", "etcd");
    json v = {{"etcd_ca", *etcd_ca}, {"apiserver_ca", nullptr}};
    const Fact& api = component_fact(host, "apiserver", "flags");
    if (api.state == FactState::kError) return api;
    std::optional<std::string> api_ca;
    if (api.state == FactState::kOk) api_ca = last_text(api.value["flags"], "client-ca-file");
    if (!api_ca) return Fact::ok(std::move(v), "etcd --trusted-ca-file " + *etcd_ca);
    v["apiserver_ca"] = *api_ca;
    std::string a, b;
    if (auto f = host.read_file(*etcd_ca, &a)) return *f;
    if (auto f = host.read_file(*api_ca, &b)) return *f;
    auto ha = host.host_path(*etcd_ca), hb = host.host_path(*api_ca);
    v["same_file"] = ha && hb && *ha == *hb;
    v["same_content"] = trim(a) == trim(b);
    return Fact::ok(std::move(v), "etcd " + *etcd_ca + " vs apiserver " + *api_ca);
  }
};

}  // namespace

std::unique_ptr<Collector> make_k8s_component_collector() {
  return std::make_unique<ComponentCollector>();
}
std::unique_ptr<Collector> make_k8s_path_collector() { return std::make_unique<PathCollector>(); }
std::unique_ptr<Collector> make_k8s_etcd_ca_collector() {
  return std::make_unique<EtcdCaCollector>();
}

}  // namespace hivesec::policy::collectors
