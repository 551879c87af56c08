// `engine`: facts from the container engine's Docker Engine API (src/engine; Docker, or Podman's
// `podman system service`), found as Docker's tools find it (DOCKER_HOST, /var/run/docker.sock,
// /run/podman/podman.sock). `what` selects the fact:
//   version     hivesec: {kind: docker|podman, product, version, socket, api_version} from
//               /_ping's Server header (/version when the header is absent)
//   counts      {containers, running, stopped, images, untagged_images} from the two lists
//   info        /info + hivesec: {root_dir_is_mount, swarm_active, userns, rootless,
//               insecure_registries}
//   containers  running containers (all: "true" adds stopped ones), each the inspect document
//               + hivesec: derived per-container facts (see derive_container) + subject
//   images      images, each the inspect document + history (CreatedBy lines) + hivesec: {user,
//               runs_as_root, healthcheck, add_lines, update_alone_lines} + subject
// Per-container and per-image inspects run concurrently (kWorkers). Offline (--root) the fact is
// kMissing ("no engine is queried for an offline tree"); no engine or an engine that does not
// answer is kUnavailable (WARN, never a false PASS); a malformed reply is kError.
#include "engine/engine.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <mutex>
#include <thread>

#include "policy/collectors/util.h"

namespace hivesec::policy::collectors {

namespace {

using nlohmann::json;

constexpr size_t kMaxSubjects = 5000;
constexpr size_t kWorkers = 8;
constexpr size_t kMaxExecs = 20;
const char* kSensitiveDirs[] = {"/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr"};
const char* kSocketNames[] = {"docker.sock", "podman.sock", "containerd.sock", "crio.sock",
                              "dockershim.sock"};

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

const json& obj(const json& j, const char* key) {
  static const json kEmpty = json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

const json& arr(const json& j, const char* key) {
  static const json kEmpty = json::array();
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : kEmpty;
}

long long num(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<long long>() : 0;
}

std::string normalize_path(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

std::string basename_of(const std::string& p) {
  size_t s = p.rfind('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

// A user that is root in the container: unset, "root", "0", with or without a group.
bool is_root_user(const std::string& user) {
  std::string u = user.substr(0, user.find(':'));
  return u.empty() || u == "root" || u == "0";
}

// The namespace link of a process ("ipc:[4026531839]"); "" when unreadable.
std::string ns_link(const std::string& pid, const char* ns) {
  char buf[128];
  std::string p = "/proc/" + pid + "/ns/" + ns;
  ssize_t n = ::readlink(p.c_str(), buf, sizeof buf);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

// Derived facts the checks test, next to the raw inspect document.
json derive_container(const json& c, const std::string& engine_socket, bool live) {
  const json& hc = obj(c, "HostConfig");
  const json& cfg = obj(c, "Config");
  const json& state = obj(c, "State");
  json d;
  std::string id = str(c, "Id");
  std::string name = str(c, "Name");
  if (!name.empty() && name[0] == '/') name.erase(0, 1);
  d["id"] = id;
  d["name"] = name;
  d["image"] = str(cfg, "Image");
  std::string user = str(cfg, "User");
  d["user"] = user;
  d["runs_as_root"] = is_root_user(user);
  d["privileged"] = hc.value("Privileged", false);
  json caps = json::array();
  for (const auto& cap : arr(hc, "CapAdd")) {
    if (!cap.is_string()) continue;
    std::string s = cap.get<std::string>();
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    if (s.rfind("CAP_", 0) == 0) s.erase(0, 4);
    caps.push_back(s);
  }
  d["cap_add"] = caps;

  // Mounts: sensitive host directories, the engine's socket, shared propagation.
  json sources = json::array(), sensitive = json::array(), sockets = json::array(),
       shared = json::array();
  for (const auto& m : arr(c, "Mounts")) {
    if (!m.is_object()) continue;
    std::string src = normalize_path(str(m, "Source"));
    std::string type = str(m, "Type");
    if (src.empty()) continue;
    sources.push_back(src);
    if (type.empty() || type == "bind") {
      for (const char* dir : kSensitiveDirs) {
        if (src == dir) sensitive.push_back(src);
      }
      std::string base = basename_of(src);
      bool sock = src == normalize_path(engine_socket) && !engine_socket.empty();
      for (const char* s : kSocketNames) sock = sock || base == s;
      struct stat st {};
      if (!sock && live && ::stat(src.c_str(), &st) == 0 && S_ISSOCK(st.st_mode) &&
          base.find("sock") != std::string::npos) {
        sock = true;  // another runtime API socket bind-mounted under its own name
      }
      if (sock) sockets.push_back(src);
    }
    std::string prop = str(m, "Propagation");
    if (prop == "shared" || prop == "rshared") shared.push_back(src);
  }
  d["mount_sources"] = sources;
  d["sensitive_mounts"] = sensitive;
  d["runtime_socket_mounts"] = sockets;
  d["shared_propagation_mounts"] = shared;

  // Namespaces: the mode the engine reports, or (live, as root) the same namespace as host
  // init (or, when init cannot be read, as hivesec itself) - Podman 4 reports IpcMode
  // "shareable" even for --ipc host.
  std::string pid = std::to_string(num(state, "Pid"));
  bool can_compare = live && num(state, "Pid") > 0;
  auto shared_ns = [&](const char* mode_key, const char* ns) {
    if (str(hc, mode_key) == "host") return true;
    if (!can_compare) return false;
    std::string mine = ns_link(pid, ns), host = ns_link("1", ns);
    if (host.empty()) host = ns_link("self", ns);  // no access to init (we run in a sandbox)
    return !mine.empty() && mine == host;
  };
  d["host_network"] = shared_ns("NetworkMode", "net");
  d["host_pid"] = shared_ns("PidMode", "pid");
  d["host_ipc"] = shared_ns("IpcMode", "ipc");
  d["host_uts"] = shared_ns("UTSMode", "uts");
  d["host_userns"] = str(hc, "UsernsMode") == "host";

  // Limits.
  d["memory"] = num(hc, "Memory");
  bool cpu = num(hc, "NanoCpus") > 0 || num(hc, "CpuQuota") > 0 ||
             (num(hc, "CpuShares") > 0 && num(hc, "CpuShares") != 1024) ||
             !str(hc, "CpusetCpus").empty();
  d["cpu_limited"] = cpu;
  d["pids_limit"] = num(hc, "PidsLimit");

  // Security options.
  bool nnp = false, seccomp_off = false;
  json selinux = json::array();
  for (const auto& o : arr(hc, "SecurityOpt")) {
    if (!o.is_string()) continue;
    std::string s = o.get<std::string>();
    if (s == "no-new-privileges" || s == "no-new-privileges:true" || s == "no-new-privileges=true")
      nnp = true;
    if (s == "seccomp=unconfined" || s == "seccomp:unconfined") seccomp_off = true;
    if (s.rfind("label=", 0) == 0 || s.rfind("label:", 0) == 0) selinux.push_back(s);
  }
  d["no_new_privileges"] = nnp;
  d["seccomp_unconfined"] = seccomp_off || d["privileged"].get<bool>();
  d["selinux_options"] = selinux;
  std::string aa = str(c, "AppArmorProfile");
  d["apparmor_profile"] = aa;
  d["process_label"] = str(c, "ProcessLabel");
  d["read_only_rootfs"] = hc.value("ReadonlyRootfs", false);

  // Ports published on the host.
  json privileged_ports = json::array(), wildcard = json::array();
  const json& ports = obj(obj(c, "NetworkSettings"), "Ports");
  for (const auto& [port, binds] : ports.items()) {
    if (!binds.is_array()) continue;
    for (const auto& b : binds) {
      if (!b.is_object()) continue;
      std::string hp = str(b, "HostPort"), ip = str(b, "HostIp");
      long n = 0;
      bool numeric = !hp.empty() && hp.size() < 6 && std::all_of(hp.begin(), hp.end(), [](char ch) {
        return ch >= '0' && ch <= '9';
      });
      if (numeric) n = std::stol(hp);
      if (numeric && n > 0 && n < 1024) privileged_ports.push_back(hp + "->" + port);
      if (ip.empty() || ip == "0.0.0.0" || ip == "::") wildcard.push_back(hp + "->" + port);
    }
  }
  d["privileged_host_ports"] = privileged_ports;
  d["wildcard_host_ports"] = wildcard;

  // Restart policy: none, or on-failure with at most 5 retries.
  const json& rp = obj(hc, "RestartPolicy");
  std::string policy = str(rp, "Name");
  d["restart_policy"] = policy.empty() ? "no" : policy;
  d["restart_retries"] = num(rp, "MaximumRetryCount");
  d["restart_ok"] = policy.empty() || policy == "no" ||
                    (policy == "on-failure" && num(rp, "MaximumRetryCount") <= 5 &&
                     num(rp, "MaximumRetryCount") > 0);

  d["devices"] = arr(hc, "Devices").size();
  d["cgroup_parent"] = str(hc, "CgroupParent");

  // Health check: configured (not NONE) in the container's config, or a health state.
  bool health = false;
  const json& hcheck = obj(cfg, "Healthcheck");
  const json& test = arr(hcheck, "Test");
  if (!test.empty() && !(test[0].is_string() && test[0].get<std::string>() == "NONE"))
    health = true;
  if (!str(obj(state, "Health"), "Status").empty()) health = true;
  d["healthcheck"] = health;

  // The main process: sshd?
  std::string path = basename_of(str(c, "Path"));
  bool sshd = path == "sshd";
  for (const auto& a : arr(c, "Args")) {
    if (a.is_string() && basename_of(a.get<std::string>()) == "sshd") sshd = true;
  }
  d["runs_sshd"] = sshd;

  const json& nets = obj(obj(c, "NetworkSettings"), "Networks");
  d["default_bridge"] = nets.contains("bridge") || str(hc, "NetworkMode") == "default";
  d["subject"] = name + " (" + id.substr(0, 12) + ")";
  return d;
}

std::vector<std::string> history_lines(const json& history) {
  std::vector<std::string> out;
  if (!history.is_array()) return out;
  for (const auto& h : history) {
    if (h.is_object() && out.size() < 1000) out.push_back(str(h, "CreatedBy"));
  }
  return out;
}

json derive_image(const json& img, const json& history, const std::string& label) {
  const json& cfg = obj(img, "Config");
  json d;
  std::string user = str(cfg, "User");
  d["user"] = user;
  d["runs_as_root"] = is_root_user(user);
  const json& test = arr(obj(cfg, "Healthcheck"), "Test");
  d["healthcheck"] =
      !test.empty() && !(test[0].is_string() && test[0].get<std::string>() == "NONE");
  json adds = json::array(), update_alone = json::array();
  for (const auto& line : history_lines(history)) {
    std::string l = line;
    size_t nop = l.find("#(nop) ");
    if (nop != std::string::npos) l = l.substr(nop + 7);
    size_t start = l.find_first_not_of(' ');
    l = start == std::string::npos ? "" : l.substr(start);
    if (l.rfind("ADD ", 0) == 0) adds.push_back(line.substr(0, 200));
    bool update = line.find("apt-get update") != std::string::npos ||
                  line.find("apt update") != std::string::npos ||
                  line.find("apk update") != std::string::npos ||
                  line.find("yum update") != std::string::npos ||
                  line.find("dnf update") != std::string::npos;
    bool install = line.find(" install") != std::string::npos ||
                   line.find("apk add") != std::string::npos ||
                   line.find("upgrade") != std::string::npos;
    if (update && !install) update_alone.push_back(line.substr(0, 200));
  }
  d["add_lines"] = adds;
  d["update_alone_lines"] = update_alone;
  d["subject"] = label;
  return d;
}

// Runs fn(i) for i in [0, n) on up to kWorkers threads. An exception from fn (a hostile reply
// with a field of the wrong type) is stored in errors[i] instead of ending the process.
template <typename Fn>
void parallel_for(size_t n, std::vector<std::string>& errors, Fn fn) {
  size_t workers = std::min(kWorkers, n);
  std::atomic<size_t> next{0};
  auto run = [&] {
    for (size_t i = next++; i < n; i = next++) {
      try {
        fn(i);
      } catch (const std::exception& e) {
        errors[i] = std::string("malformed engine reply: ") + e.what();
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < workers; ++w) threads.emplace_back(run);
  run();
  for (auto& t : threads) t.join();
}

// A worker's error text; "malformed..." ones become ERROR facts, the rest unavailable.
std::string failure_text(const Error& e) {
  if (e.code == Errc::kCorrupt || e.code == Errc::kLimit)
    return "malformed engine reply: " + e.message;
  return e.message;
}

Fact engine_failure(const Error& e, const std::string& src) {
  if (e.code == Errc::kCorrupt || e.code == Errc::kLimit) return Fact::error(e.message, src);
  return Fact::unavailable(e.message, src);
}

// The fact of a per-subject list (containers, images) fetched concurrently: a malformed reply
// is an ERROR fact, any other failure makes the list unavailable; a list cut at kMaxSubjects is
// marked incomplete.
Fact subject_list(std::vector<json> docs, const std::vector<std::string>& errors,
                  const std::string& src, bool incomplete, const char* what) {
  for (const auto& e : errors) {
    if (e.rfind("malformed", 0) == 0) return Fact::error(e, src);
    if (!e.empty()) return Fact::unavailable(e, src);
  }
  json out = json::array();
  for (auto& d : docs) {
    if (!d.is_null()) out.push_back(std::move(d));
  }
  Fact f = Fact::ok(std::move(out), src);
  if (incomplete) {
    f.incomplete = true;
    f.reason = "more than " + std::to_string(kMaxSubjects) + " " + what;
  }
  return f;
}

class EngineCollector : public Collector {
 public:
  std::string_view name() const override { return "engine"; }
  std::string_view description() const override {
    return "the container engine's API (what: version|info|counts|containers|images; all: "
           "true for stopped containers too)";
  }
  Status validate(const json& p) const override {
    HIVESEC_TRY_STATUS(only_params(p, {"what", "all"}));
    if (!find(param(p, "what"))) {
      return make_error(Errc::kInvalidArgument,
                        "'what' must be version, info, counts, containers or images");
    }
    std::string all = param(p, "all");
    if (!all.empty() && all != "true" && all != "false")
      return make_error(Errc::kInvalidArgument, "'all' must be true or false");
    return ok_status();
  }

  bool concurrent() const override { return true; }  // reads host.live() only

  Fact collect(const json& p, Host& host) const override {
    std::string what = param(p, "what");
    std::string src = "engine " + what;
    const Kind* kind = find(what);
    if (!kind) return Fact::error("unknown 'what'", src);
    if (!host.live()) {
      return Fact::missing("offline tree (--root): no container engine is queried", src);
    }
    auto client = engine::Client::connect();
    if (!client.ok()) return Fact::unavailable(client.error().message, src);
    src = "engine " + what + " at " + client->endpoint().where;
    return kind->fn(*client, p, src);
  }

 private:
  // The facts by `what` (STYLE §4: a table, not an if-chain).
  struct Kind {
    const char* what;
    Fact (*fn)(const engine::Client&, const json& params, const std::string& src);
  };
  static const Kind* find(const std::string& what) {
    static const Kind kKinds[] = {
        {"version",
         [](const engine::Client& c, const json&, const std::string& s) { return version(c, s); }},
        {"info",
         [](const engine::Client& c, const json&, const std::string& s) { return info(c, s); }},
        {"counts",
         [](const engine::Client& c, const json&, const std::string& s) { return counts(c, s); }},
        {"containers",
         [](const engine::Client& c, const json& p, const std::string& s) {
           return containers(c, param(p, "all") == "true", s);
         }},
        {"images",
         [](const engine::Client& c, const json&, const std::string& s) { return images(c, s); }},
    };
    for (const auto& k : kKinds) {
      if (what == k.what) return &k;
    }
    return nullptr;
  }

 private:
  // The engine's kind and version from /_ping's Server header ("Docker/27.0.3 (linux)",
  // "Libpod/4.3.1 (linux)"); /version only when the header says nothing (it is slow on Podman).
  static Fact version(const engine::Client& c, const std::string& src) {
    auto ping = c.ping();
    if (!ping.ok()) return engine_failure(ping.error(), src);
    std::string server = ping->headers.count("server") ? ping->headers.at("server") : "";
    json d;
    auto ver_of = [&](size_t prefix) {
      std::string v = server.substr(prefix);
      return v.substr(0, v.find(' '));
    };
    if (server.rfind("Libpod/", 0) == 0) {
      d = {{"kind", "podman"}, {"product", "Podman"}, {"version", ver_of(7)}};
    } else if (server.rfind("Docker/", 0) == 0) {
      d = {{"kind", "docker"}, {"product", "Docker Engine"}, {"version", ver_of(7)}};
    } else {
      auto v = c.get_json("/version");
      if (!v.ok()) return engine_failure(v.error(), src);
      if (!v->is_object()) return Fact::error("/version reply is not an object", src);
      d = {{"kind", "docker"}, {"product", "Docker Engine"}, {"version", str(*v, "Version")}};
      for (const auto& comp : arr(*v, "Components")) {
        if (str(comp, "Name").find("Podman") != std::string::npos) {
          d = {{"kind", "podman"}, {"product", "Podman"}, {"version", str(comp, "Version")}};
        }
      }
    }
    d["socket"] = c.endpoint().where;
    d["api_version"] = ping->headers.count("api-version") ? ping->headers.at("api-version") : "";
    return Fact::ok(json{{"hivesec", d}}, src);
  }

  static Fact info(const engine::Client& c, const std::string& src) {
    auto v = c.get_json("/info");
    if (!v.ok()) return engine_failure(v.error(), src);
    if (!v->is_object()) return Fact::error("/info reply is not an object", src);
    json d;
    std::string root = str(*v, "DockerRootDir");
    d["root_dir"] = root;
    // A separate partition: the root dir is on another device than its parent directory.
    struct stat a {
    }, b{};
    std::string parent = root.substr(0, root.rfind('/'));
    if (parent.empty()) parent = "/";
    if (!root.empty() && ::stat(root.c_str(), &a) == 0 && ::stat(parent.c_str(), &b) == 0) {
      d["root_dir_is_mount"] = a.st_dev != b.st_dev;
    }
    d["swarm_active"] = str(obj(*v, "Swarm"), "LocalNodeState") == "active";
    bool userns = false, rootless = v->value("Rootless", false);
    for (const auto& o : arr(*v, "SecurityOptions")) {
      if (!o.is_string()) continue;
      std::string s = o.get<std::string>();
      if (s.find("name=userns") != std::string::npos) userns = true;
      if (s.find("name=rootless") != std::string::npos) rootless = true;
    }
    d["userns"] = userns;
    d["rootless"] = rootless;
    json insecure = json::array();
    const json& reg = obj(*v, "RegistryConfig");
    for (const auto& cidr : arr(reg, "InsecureRegistryCIDRs")) {
      if (cidr.is_string() && cidr.get<std::string>() != "127.0.0.0/8" &&
          cidr.get<std::string>() != "::1/128")
        insecure.push_back(cidr);
    }
    for (const auto& [name, idx] : obj(reg, "IndexConfigs").items()) {
      if (idx.is_object() && idx.contains("Secure") && idx["Secure"] == false)
        insecure.push_back(name);
    }
    d["insecure_registries"] = insecure;
    json out = std::move(*v);
    out["hivesec"] = d;
    return Fact::ok(std::move(out), src);
  }

  // Two list calls, no inspects: cheaper than /info (which takes ~0.4 s on Podman).
  static Fact counts(const engine::Client& c, const std::string& src) {
    auto cs = c.get_json("/containers/json?all=1");
    if (!cs.ok()) return engine_failure(cs.error(), src);
    auto is = c.get_json("/images/json");
    if (!is.ok()) return engine_failure(is.error(), src);
    if (!cs->is_array() || !is->is_array()) return Fact::error("list reply is not a list", src);
    int running = 0, dangling = 0;
    for (const auto& e : *cs) running += str(e, "State") == "running";
    for (const auto& e : *is) {
      bool tagged = false;
      for (const auto& t : arr(e, "RepoTags")) {
        tagged = tagged || (t.is_string() && t.get<std::string>() != "<none>:<none>");
      }
      dangling += !tagged;
    }
    int total = static_cast<int>(cs->size());
    return Fact::ok(json{{"containers", total},
                         {"running", running},
                         {"stopped", total - running},
                         {"images", is->size()},
                         {"untagged_images", dangling}},
                    src);
  }

  static Fact containers(const engine::Client& c, bool all, const std::string& src) {
    auto list = c.get_json(all ? "/containers/json?all=1" : "/containers/json");
    if (!list.ok()) return engine_failure(list.error(), src);
    if (!list->is_array()) return Fact::error("/containers/json reply is not a list", src);
    std::vector<std::string> ids;
    for (const auto& e : *list) {
      std::string id = str(e, "Id");
      bool ok = !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char ch) {
        return std::isxdigit(static_cast<unsigned char>(ch));
      });
      if (ok) ids.push_back(id);
    }
    bool incomplete = ids.size() > kMaxSubjects;
    if (incomplete) ids.resize(kMaxSubjects);
    std::vector<json> docs(ids.size());
    std::vector<std::string> errors(ids.size());
    std::string sock = c.endpoint().socket;
    bool live_ns = ::geteuid() == 0;
    parallel_for(ids.size(), errors, [&](size_t i) {
      auto doc = c.get_json("/containers/" + ids[i] + "/json");
      if (!doc.ok()) {
        // Gone between list and inspect: not an error, just no longer a subject.
        if (doc.error().code != Errc::kNotFound) errors[i] = failure_text(doc.error());
        return;
      }
      if (!doc->is_object()) {
        errors[i] = "malformed engine reply: inspect of " + ids[i] + " is not an object";
        return;
      }
      json execs = json::array();
      for (const auto& e : arr(*doc, "ExecIDs")) {
        if (!e.is_string() || execs.size() >= kMaxExecs) continue;
        auto x = c.get_json("/exec/" + e.get<std::string>() + "/json");
        if (!x.ok() || !x->is_object()) continue;
        const json& pc = obj(*x, "ProcessConfig");
        std::string user = str(pc, "user");
        execs.push_back(
            {{"id", e},
             {"privileged", pc.value("privileged", false)},
             {"user", user},
             {"as_root", is_root_user(user.empty() ? str(obj(*doc, "Config"), "User") : user)}});
      }
      json d = derive_container(*doc, sock, live_ns);
      d["execs"] = execs;
      d["privileged_execs"] = static_cast<int>(std::count_if(
          execs.begin(), execs.end(), [](const json& x) { return x["privileged"] == true; }));
      d["root_execs"] = static_cast<int>(std::count_if(
          execs.begin(), execs.end(), [](const json& x) { return x["as_root"] == true; }));
      (*doc)["hivesec"] = std::move(d);
      (*doc)["subject"] = (*doc)["hivesec"]["subject"];
      docs[i] = std::move(*doc);
    });
    return subject_list(std::move(docs), errors, src, incomplete, "containers");
  }

  static Fact images(const engine::Client& c, const std::string& src) {
    auto list = c.get_json("/images/json");
    if (!list.ok()) return engine_failure(list.error(), src);
    if (!list->is_array()) return Fact::error("/images/json reply is not a list", src);
    struct Entry {
      std::string id, label;
    };
    std::vector<Entry> entries;
    for (const auto& e : *list) {
      std::string id = str(e, "Id");
      if (id.rfind("sha256:", 0) == 0) id.erase(0, 7);
      if (id.empty() || id.size() > 128 || !std::all_of(id.begin(), id.end(), [](char ch) {
            return std::isxdigit(static_cast<unsigned char>(ch));
          }))
        continue;
      std::string label;
      for (const auto& t : arr(e, "RepoTags")) {
        if (t.is_string() && t.get<std::string>() != "<none>:<none>") {
          label = t.get<std::string>();
          break;
        }
      }
      label = (label.empty() ? "<none>" : label) + " (" + id.substr(0, 12) + ")";
      entries.push_back({id, label});
    }
    bool incomplete = entries.size() > kMaxSubjects;
    if (incomplete) entries.resize(kMaxSubjects);
    std::vector<json> docs(entries.size());
    std::vector<std::string> errors(entries.size());
    parallel_for(entries.size(), errors, [&](size_t i) {
      auto doc = c.get_json("/images/" + entries[i].id + "/json");
      if (!doc.ok()) {
        if (doc.error().code != Errc::kNotFound) errors[i] = failure_text(doc.error());
        return;
      }
      auto hist = c.get_json("/images/" + entries[i].id + "/history");
      if (!hist.ok() && hist.error().code != Errc::kNotFound) {
        errors[i] = failure_text(hist.error());
        return;
      }
      if (!doc->is_object()) {
        errors[i] =
            "malformed engine reply: inspect of image " + entries[i].id + " is not an object";
        return;
      }
      json history = hist.ok() ? *hist : json::array();
      json d = derive_image(*doc, history, entries[i].label);
      json lines = json::array();
      for (const auto& l : history_lines(history)) lines.push_back(l);
      (*doc)["history"] = lines;
      (*doc)["hivesec"] = std::move(d);
      (*doc)["subject"] = entries[i].label;
      docs[i] = std::move(*doc);
    });
    return subject_list(std::move(docs), errors, src, incomplete, "images");
  }
};

// `env`: an environment variable of hivesec's own process (client-side settings such as
// DOCKER_CONTENT_TRUST). kMissing when unset or offline (--root: the tree has no environment).
class EnvCollector : public Collector {
 public:
  std::string_view name() const override { return "env"; }
  std::string_view description() const override {
    return "an environment variable of the hivesec process (name); live only";
  }
  Status validate(const json& p) const override {
    HIVESEC_TRY_STATUS(only_params(p, {"name"}));
    return require_param(p, "name");
  }
  Fact collect(const json& p, Host& host) const override {
    std::string name = param(p, "name");
    std::string src = "environment " + name;
    if (!host.live()) return Fact::missing("offline tree (--root): no environment", src);
    const char* v = std::getenv(name.c_str());
    if (!v) return Fact::missing("not set", src);
    return Fact::ok(std::string(v).substr(0, 4096), src);
  }
};

}  // namespace

std::unique_ptr<Collector> make_engine_collector() { return std::make_unique<EngineCollector>(); }
std::unique_ptr<Collector> make_env_collector() { return std::make_unique<EnvCollector>(); }

}  // namespace hivesec::policy::collectors
