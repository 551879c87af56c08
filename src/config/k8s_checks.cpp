#include "config/k8s_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <cstdlib>
#include <optional>
#include <tuple>

#include "config/check_util.h"

namespace hivesec::config {

namespace {

using model::Finding;
using model::Severity;

// ---------------------------------------------------------------- navigating with paths

// A place in an object: the node (undefined when absent), its YAML path, and the line of its
// key (or of the nearest present parent when absent).
// Loc never uses YAML::Node::operator=, which would assign through to the document's node:
// handles are rebound with reset().
struct Loc {
  YAML::Node node{YAML::NodeType::Undefined};
  std::string path;
  int line = 0;

  Loc() = default;
  Loc(const YAML::Node& n, std::string p, int l) : node(n), path(std::move(p)), line(l) {}
  Loc(const Loc&) = default;
  Loc& operator=(const Loc& o) {
    node.reset(o.node);
    path = o.path;
    line = o.line;
    return *this;
  }
};

bool defined(const Loc& l) { return l.node.IsDefined() && !l.node.IsNull(); }

Loc root_of(const ManifestObject& o) { return {o.node, o.base_path, o.line}; }

// Keys are found by iterating the map, which also gives the key's own line.
Loc child(const ManifestObject& o, const Loc& at, std::string_view key) {
  Loc out(YAML::Node(YAML::NodeType::Undefined),
          at.path.empty() ? std::string(key) : at.path + "." + std::string(key), at.line);
  if (!at.node.IsDefined() || !at.node.IsMap()) return out;
  const YAML::Node& map = at.node;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node k = it->first;  // a copy: `it->` yields a temporary pair
    if (k.IsScalar() && k.Scalar() == key) {
      out.node.reset(YAML::Node(it->second));
      int line = o.line_of(k);
      if (line > 0) out.line = line;
      return out;
    }
  }
  return out;
}

// Child by a chain of keys.
Loc dig(const ManifestObject& o, Loc at, std::initializer_list<std::string_view> keys) {
  for (auto k : keys) at = child(o, at, k);
  return at;
}

// Items of a sequence, with their paths and lines.
std::vector<Loc> items(const ManifestObject& o, const Loc& at) {
  std::vector<Loc> out;
  if (!at.node.IsDefined() || !at.node.IsSequence()) return out;
  const YAML::Node& seq = at.node;
  size_t i = 0;
  for (auto it = seq.begin(); it != seq.end(); ++it, ++i) {
    int line = o.line_of(*it);
    out.push_back({*it, fmt::format("{}[{}]", at.path, i), line > 0 ? line : at.line});
  }
  return out;
}

std::string str(const Loc& l) { return l.node.IsDefined() && l.node.IsScalar() ? l.node.Scalar() : ""; }

std::optional<bool> boolean(const Loc& l) {
  std::string s = str(l);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "true" || s == "yes" || s == "on" || s == "y") return true;
  if (s == "false" || s == "no" || s == "off" || s == "n") return false;
  return std::nullopt;
}

std::optional<long long> integer(const Loc& l) {
  std::string s = str(l);
  long long v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::vector<std::string> strings(const ManifestObject& o, const Loc& l) {
  std::vector<std::string> out;
  for (const Loc& i : items(o, l)) out.push_back(str(i));
  return out;
}

// ---------------------------------------------------------------- pods and containers

// Where each workload kind keeps its pod template (spec and metadata).
struct PodKind {
  std::string_view kind;
  std::array<std::string_view, 4> prefix;  // keys to the template ("" ends the chain)
};
constexpr std::array<PodKind, 9> kPodKinds = {{
    {"Pod", {"", "", "", ""}},
    {"Deployment", {"spec", "template", "", ""}},
    {"StatefulSet", {"spec", "template", "", ""}},
    {"DaemonSet", {"spec", "template", "", ""}},
    {"ReplicaSet", {"spec", "template", "", ""}},
    {"ReplicationController", {"spec", "template", "", ""}},
    {"Job", {"spec", "template", "", ""}},
    {"CronJob", {"spec", "jobTemplate", "spec", "template"}},
    {"PodTemplate", {"template", "", "", ""}},
}};

struct PodView {
  const ManifestObject* obj;
  Loc spec;  // the PodSpec
  Loc meta;  // the pod's metadata (labels, annotations)
};

std::optional<PodView> pod_of(const ManifestObject& o) {
  for (const PodKind& k : kPodKinds) {
    if (o.kind != k.kind) continue;
    Loc t = root_of(o);
    for (auto key : k.prefix) {
      if (!key.empty()) t = child(o, t, key);
    }
    if (!t.node.IsDefined() || !t.node.IsMap()) return std::nullopt;
    Loc spec = child(o, t, "spec");
    if (!spec.node.IsDefined() || !spec.node.IsMap()) return std::nullopt;
    return PodView{&o, spec, child(o, t, "metadata")};
  }
  return std::nullopt;
}

struct ContainerView {
  Loc c;
  std::string name;
  bool ephemeral = false;
};

std::vector<ContainerView> containers_of(const PodView& p) {
  std::vector<ContainerView> out;
  for (std::string_view group : {"initContainers", "containers", "ephemeralContainers"}) {
    for (Loc& c : items(*p.obj, child(*p.obj, p.spec, group))) {
      if (!c.node.IsMap()) continue;
      std::string name = str(child(*p.obj, c, "name"));
      out.push_back({std::move(c), name.empty() ? "<unnamed>" : name, group == "ephemeralContainers"});
    }
  }
  return out;
}

// Every pod template of the set, in order.
std::vector<PodView> pods(const ManifestSet& set) {
  std::vector<PodView> out;
  for (const auto& o : set.objects) {
    if (auto p = pod_of(o)) out.push_back(*p);
  }
  return out;
}

Loc sc(const PodView& p, const ContainerView& c, std::string_view key) {
  return child(*p.obj, child(*p.obj, c.c, "securityContext"), key);
}
Loc pod_sc(const PodView& p, std::string_view key) {
  return child(*p.obj, child(*p.obj, p.spec, "securityContext"), key);
}
Loc annotation(const PodView& p, const std::string& key) {
  return child(*p.obj, child(*p.obj, p.meta, "annotations"), key);
}

// ---------------------------------------------------------------- findings

constexpr size_t kMaxQuote = 120;

std::string quote(std::string_view s) {
  std::string out;
  for (char ch : s.substr(0, kMaxQuote)) {
    auto u = static_cast<unsigned char>(ch);
    out += (u < 0x20 || u == 0x7f) ? '?' : ch;
  }
  if (s.size() > kMaxQuote) out += "...";
  return out;
}

// A finding of the current check at `where` in `o`; `what` refines the title, `container`
// names the container ("" when the finding is about the object).
Finding& report(K8sEval& e, const ManifestObject& o, const Loc& where, const std::string& what,
                const std::string& container = "") {
  Finding f = e.catalogue.finding(e.id);
  std::string subject = container.empty() ? o.display() : fmt::format("container {} of {}", quote(container), o.display());
  f.title = fmt::format("{}: {}", what, quote(subject));
  f.evidence.path = o.file;
  f.evidence.line = where.line > 0 ? where.line : o.line;
  auto& x = f.evidence.extra;
  x["document"] = std::to_string(o.document);
  x["document_line"] = std::to_string(o.document_line);
  x["object"] = quote(o.display());
  x["kind"] = quote(o.kind);
  if (!o.ns.empty()) x["namespace"] = quote(o.ns);
  if (!o.name.empty()) x["name"] = quote(o.name);
  if (!container.empty()) x["container"] = quote(container);
  x["yaml_path"] = where.path;
  e.result.findings.push_back(std::move(f));
  return e.result.findings.back();
}

// ---------------------------------------------------------------- pod-level checks

void privileged(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    for (const ContainerView& c : containers_of(p)) {
      ++e.result.evaluated;
      Loc v = sc(p, c, "privileged");
      if (boolean(v) == true) report(e, *p.obj, v, "Privileged container", c.name).evidence.match = "privileged: true";
    }
  }
}

void host_namespace(K8sEval& e, std::string_view field) {
  for (const PodView& p : pods(e.set)) {
    ++e.result.evaluated;
    Loc v = child(*p.obj, p.spec, field);
    if (boolean(v) == true) {
      report(e, *p.obj, v, fmt::format("{}: true", field)).evidence.match = fmt::format("{}: true", field);
    }
  }
}
void host_pid(K8sEval& e) { host_namespace(e, "hostPID"); }
void host_ipc(K8sEval& e) { host_namespace(e, "hostIPC"); }
void host_network(K8sEval& e) { host_namespace(e, "hostNetwork"); }

// Host paths that hand the node to the pod: exact or as a parent directory of the mount.
Severity host_path_severity(std::string_view raw) {
  std::string p = std::filesystem::path(std::string(raw)).lexically_normal().generic_string();
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  static constexpr std::array<std::string_view, 10> kSockets = {
      "/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd", "/run/containerd",
      "/var/run/crio", "/run/crio", "/var/run/podman", "/run/podman", "/var/run/cri-dockerd.sock",
      "/run/cri-dockerd.sock"};
  static constexpr std::array<std::string_view, 16> kSensitive = {
      "/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/home", "/var/lib/kubelet", "/var/lib/docker",
      "/var/lib/containerd", "/var/lib/containers", "/etc/kubernetes", "/var/run", "/run", "/var/log",
      "/usr"};
  auto under = [&](std::string_view base) {
    return p == base || (p.size() > base.size() && p.starts_with(base) && p[base.size()] == '/');
  };
  if (p == "/" || p.empty()) return Severity::kCritical;
  for (auto s : kSockets) {
    if (under(s) || p + "/" == std::string(s).substr(0, p.size() + 1)) return Severity::kCritical;
  }
  for (auto s : kSensitive) {
    if (under(s)) return Severity::kHigh;
  }
  return Severity::kMedium;
}

void host_path(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    ++e.result.evaluated;
    for (const Loc& vol : items(*p.obj, child(*p.obj, p.spec, "volumes"))) {
      Loc hp = child(*p.obj, vol, "hostPath");
      if (!defined(hp)) continue;
      Loc path = child(*p.obj, hp, "path");
      std::string dir = str(path);
      Severity sev = host_path_severity(dir);
      Finding& f = report(e, *p.obj, defined(path) ? path : hp,
                          fmt::format("hostPath volume {} mounts {}{}", quote(str(child(*p.obj, vol, "name"))),
                                      quote(dir), sev >= Severity::kHigh ? " (sensitive host path)" : ""));
      f.severity = sev;
      f.evidence.match = "hostPath: " + quote(dir);
    }
  }
}

std::string cap_name(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (s.starts_with("CAP_")) s = s.substr(4);
  return s;
}

bool default_cap(const std::string& cap) {
  static constexpr std::array<std::string_view, 13> kDefault = {
      "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
      "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"};
  return std::find(kDefault.begin(), kDefault.end(), cap) != kDefault.end();
}

void caps_beyond_baseline(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    for (const ContainerView& c : containers_of(p)) {
      ++e.result.evaluated;
      for (const Loc& a : items(*p.obj, child(*p.obj, sc(p, c, "capabilities"), "add"))) {
        std::string cap = cap_name(str(a));
        if (default_cap(cap)) continue;
        Finding& f = report(e, *p.obj, a, fmt::format("Capability {} added", quote(cap)), c.name);
        f.evidence.match = "add: " + quote(cap);
        if (cap == "SYS_ADMIN" || cap == "ALL" || cap == "SYS_MODULE" || cap == "SYS_PTRACE" || cap == "BPF") {
          f.severity = Severity::kCritical;
        }
      }
    }
  }
}

void caps_not_restricted(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    for (const ContainerView& c : containers_of(p)) {
      ++e.result.evaluated;
      Loc caps = sc(p, c, "capabilities");
      Loc drop = child(*p.obj, caps, "drop");
      bool all = false;
      for (const std::string& d : strings(*p.obj, drop)) all = all || cap_name(d) == "ALL";
      if (!all) report(e, *p.obj, drop, "Capabilities not dropped (drop: [ALL] missing)", c.name);
      // Capabilities outside the default set are HS-K8S-006's; here the defaults added back.
      for (const Loc& a : items(*p.obj, child(*p.obj, caps, "add"))) {
        std::string cap = cap_name(str(a));
        if (cap == "NET_BIND_SERVICE" || !default_cap(cap)) continue;
        report(e, *p.obj, a, fmt::format("Capability {} added (restricted allows only NET_BIND_SERVICE)", quote(cap)),
               c.name)
            .evidence.match = "add: " + quote(cap);
      }
    }
  }
}

void privilege_escalation(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    for (const ContainerView& c : containers_of(p)) {
      ++e.result.evaluated;
      Loc v = sc(p, c, "allowPrivilegeEscalation");
      if (boolean(v) == false) continue;
      report(e, *p.obj, v, defined(v) ? "allowPrivilegeEscalation is true" : "allowPrivilegeEscalation not set to false",
             c.name);
    }
  }
}

void run_as_non_root(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    Loc pod = pod_sc(p, "runAsNonRoot");
    for (const ContainerView& c : containers_of(p)) {
      ++e.result.evaluated;
      Loc own = sc(p, c, "runAsNonRoot");
      const Loc& eff = defined(own) ? own : pod;
      if (boolean(eff) == true) continue;
      if (defined(eff)) {
        report(e, *p.obj, eff, "runAsNonRoot is false", c.name);
      } else {
        report(e, *p.obj, own, "runAsNonRoot not set (pod or container)", c.name);
      }
    }
  }
}

void run_as_uid0(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    Loc pod = pod_sc(p, "runAsUser");
    for (const ContainerView& c : containers_of(p)) {
      ++e.result.evaluated;
      Loc own = sc(p, c, "runAsUser");
      const Loc& eff = defined(own) ? own : pod;
      if (integer(eff) == 0LL) {
        report(e, *p.obj, eff, "runAsUser is 0 (root)", c.name).evidence.match = "runAsUser: 0";
      }
    }
  }
}

void read_only_root(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    for (const ContainerView& c : containers_of(p)) {
      ++e.result.evaluated;
      Loc v = sc(p, c, "readOnlyRootFilesystem");
      if (boolean(v) == true) continue;
      report(e, *p.obj, v, defined(v) ? "readOnlyRootFilesystem is false" : "readOnlyRootFilesystem not set", c.name);
    }
  }
}

// A seccomp or AppArmor setting and where it was made.
struct Profile {
  std::string type;  // "RuntimeDefault", "Localhost", "Unconfined", other as written; "" unset
  Loc where;
};

std::string seccomp_annotation_type(const std::string& v) {
  if (v == "unconfined") return "Unconfined";
  if (v == "runtime/default" || v == "docker/default") return "RuntimeDefault";
  if (v.starts_with("localhost/")) return "Localhost";
  return v;
}

// Every explicit seccomp setting that applies to container c (its field, its annotation, the
// pod's field, the pod's annotation), in precedence order.
std::vector<Profile> seccomp_settings(const PodView& p, const ContainerView& c) {
  std::vector<Profile> out;
  auto field = [&](const Loc& prof) {
    Loc t = child(*p.obj, prof, "type");
    if (defined(t)) out.push_back({str(t), t});
  };
  auto annot = [&](const std::string& key) {
    Loc a = annotation(p, key);
    if (defined(a)) out.push_back({seccomp_annotation_type(str(a)), a});
  };
  field(sc(p, c, "seccompProfile"));
  annot("container.seccomp.security.alpha.kubernetes.io/" + c.name);
  field(pod_sc(p, "seccompProfile"));
  annot("seccomp.security.alpha.kubernetes.io/pod");
  return out;
}

void seccomp_missing(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    for (const ContainerView& c : containers_of(p)) {
      ++e.result.evaluated;
      if (!seccomp_settings(p, c).empty()) continue;
      report(e, *p.obj, sc(p, c, "seccompProfile"), "No seccomp profile (pod or container)", c.name);
    }
  }
}

void seccomp_unconfined(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    ++e.result.evaluated;
    std::set<std::string> seen;  // the pod-level setting applies to every container: once
    for (const ContainerView& c : containers_of(p)) {
      for (const Profile& s : seccomp_settings(p, c)) {
        if (s.type != "Unconfined" || !seen.insert(s.where.path).second) continue;
        bool pod_level = s.where.path.find("containers[") == std::string::npos &&
                         s.where.path.find("container.seccomp") == std::string::npos;
        report(e, *p.obj, s.where, "Seccomp profile Unconfined", pod_level ? "" : c.name).evidence.match =
            quote(s.where.path.substr(s.where.path.rfind('.') + 1)) + ": " + quote(str(s.where));
      }
    }
  }
}

void apparmor_unconfined(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    ++e.result.evaluated;
    Loc pod = child(*p.obj, pod_sc(p, "appArmorProfile"), "type");
    if (str(pod) == "Unconfined") report(e, *p.obj, pod, "AppArmor profile Unconfined (pod)");
    for (const ContainerView& c : containers_of(p)) {
      Loc own = child(*p.obj, sc(p, c, "appArmorProfile"), "type");
      if (str(own) == "Unconfined") report(e, *p.obj, own, "AppArmor profile Unconfined", c.name);
      Loc a = annotation(p, "container.apparmor.security.beta.kubernetes.io/" + c.name);
      if (str(a) == "unconfined") {
        report(e, *p.obj, a, "AppArmor annotation unconfined", c.name).evidence.match = "unconfined";
      }
    }
  }
}

void proc_mount(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    for (const ContainerView& c : containers_of(p)) {
      ++e.result.evaluated;
      Loc v = sc(p, c, "procMount");
      if (str(v) == "Unmasked") report(e, *p.obj, v, "procMount Unmasked", c.name).evidence.match = "procMount: Unmasked";
    }
  }
}

void unsafe_sysctls(K8sEval& e) {
  static constexpr std::array<std::string_view, 10> kSafe = {
      "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
      "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
      "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
      "net.ipv4.tcp_keepalive_probes"};
  for (const PodView& p : pods(e.set)) {
    ++e.result.evaluated;
    for (const Loc& s : items(*p.obj, pod_sc(p, "sysctls"))) {
      Loc name = child(*p.obj, s, "name");
      std::string n = str(name);
      std::replace(n.begin(), n.end(), '/', '.');
      if (std::find(kSafe.begin(), kSafe.end(), n) != kSafe.end()) continue;
      report(e, *p.obj, defined(name) ? name : s, fmt::format("Unsafe sysctl {}", quote(n))).evidence.match =
          "sysctl " + quote(n);
    }
  }
}

void resources(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    for (const ContainerView& c : containers_of(p)) {
      if (c.ephemeral) continue;  // the API forbids resources on ephemeral containers
      ++e.result.evaluated;
      Loc res = child(*p.obj, c.c, "resources");
      std::vector<Loc> missing;
      for (std::string_view kind : {"requests", "limits"}) {
        Loc k = child(*p.obj, res, kind);
        for (std::string_view r : {"cpu", "memory"}) {
          Loc v = child(*p.obj, k, r);
          if (!defined(v)) missing.push_back(v);
        }
      }
      if (missing.empty()) continue;
      std::string names;
      for (const Loc& m : missing) names += (names.empty() ? "" : ", ") + m.path.substr(m.path.rfind("resources.") + 10);
      Finding& f = report(e, *p.obj, missing.front(), fmt::format("Missing {}", names), c.name);
      f.evidence.extra["missing"] = names;
    }
  }
}

void image_tag(K8sEval& e, bool want_digest) {
  for (const PodView& p : pods(e.set)) {
    for (const ContainerView& c : containers_of(p)) {
      Loc img = child(*p.obj, c.c, "image");
      std::string ref = str(img);
      if (ref.empty()) continue;
      ++e.result.evaluated;
      ImageRef r = parse_image_ref(ref);
      if (!r.digest.empty()) continue;
      bool floating = r.tag.empty() || r.tag == "latest";
      if (want_digest == floating) continue;  // a floating tag is HS-K8S-018's, its fix pins both
      std::string what = want_digest ? fmt::format("Image {} not pinned by digest", quote(ref))
                                     : fmt::format("Image {} uses {}", quote(ref), r.tag.empty() ? "no tag" : "the latest tag");
      report(e, *p.obj, img, what, c.name).evidence.match = "image: " + quote(ref);
    }
  }
}
void image_latest(K8sEval& e) { image_tag(e, false); }
void image_digest(K8sEval& e) { image_tag(e, true); }

void token_automount(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    ++e.result.evaluated;
    Loc v = child(*p.obj, p.spec, "automountServiceAccountToken");
    if (boolean(v) == false) continue;
    std::string sa = str(child(*p.obj, p.spec, "serviceAccountName"));
    if (sa.empty()) sa = str(child(*p.obj, p.spec, "serviceAccount"));
    if (sa.empty()) sa = "default";
    if (!defined(v)) {
      // The pod inherits its ServiceAccount's setting when the scanned set has it.
      bool off = false;
      for (const auto& o : e.set.objects) {
        if (o.kind == "ServiceAccount" && o.name == sa && o.ns == p.obj->ns) {
          off = boolean(child(o, root_of(o), "automountServiceAccountToken")) == false;
        }
      }
      if (off) continue;
    }
    report(e, *p.obj, v,
           defined(v) ? fmt::format("automountServiceAccountToken is true (service account {})", quote(sa))
                      : fmt::format("Service account token mounted (service account {})", quote(sa)));
  }
}

void host_port(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    for (const ContainerView& c : containers_of(p)) {
      ++e.result.evaluated;
      for (const Loc& port : items(*p.obj, child(*p.obj, c.c, "ports"))) {
        Loc hp = child(*p.obj, port, "hostPort");
        auto n = integer(hp);
        if (!defined(hp) || n == 0LL) continue;
        report(e, *p.obj, hp, fmt::format("hostPort {}", quote(str(hp))), c.name).evidence.match =
            "hostPort: " + quote(str(hp));
      }
    }
  }
}

void env_secrets(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    for (const ContainerView& c : containers_of(p)) {
      ++e.result.evaluated;
      for (const Loc& env : items(*p.obj, child(*p.obj, c.c, "env"))) {
        std::string name = str(child(*p.obj, env, "name"));
        Loc value = child(*p.obj, env, "value");
        std::string v = str(value);
        if (!secret_like_name(name) || !secret_value(v)) continue;
        report(e, *p.obj, value, fmt::format("Secret in env {}", quote(name)), c.name).evidence.match =
            quote(name) + "=" + mask_value(v);
      }
    }
  }
}

void default_namespace(K8sEval& e) {
  for (const auto& o : e.set.objects) {
    ++e.result.evaluated;
    if (o.ns != "default") continue;
    report(e, o, dig(o, root_of(o), {"metadata", "namespace"}), "In the default namespace").evidence.match =
        "namespace: default";
  }
}

// ---------------------------------------------------------------- RBAC

struct Rule {
  const ManifestObject* obj;
  Loc loc;
  size_t index;
  std::vector<std::string> groups, resources, verbs;
  bool named = false;  // resourceNames restricts the rule to named objects
};

std::vector<Rule> rbac_rules(const ManifestSet& set) {
  std::vector<Rule> out;
  for (const auto& o : set.objects) {
    if (o.kind != "Role" && o.kind != "ClusterRole") continue;
    size_t i = 0;
    for (Loc& r : items(o, child(o, root_of(o), "rules"))) {
      Rule rule{&o, r, i++, strings(o, child(o, r, "apiGroups")), strings(o, child(o, r, "resources")),
                strings(o, child(o, r, "verbs")), !strings(o, child(o, r, "resourceNames")).empty()};
      out.push_back(std::move(rule));
    }
  }
  return out;
}

bool has(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}
bool grants(const std::vector<std::string>& list, std::initializer_list<std::string_view> any) {
  if (has(list, "*")) return true;
  for (auto v : any) {
    if (has(list, v)) return true;
  }
  return false;
}
// resources "pods/*" covers every subresource of pods.
bool grants_resource(const std::vector<std::string>& list, std::string_view res) {
  if (grants(list, {res})) return true;
  auto slash = res.find('/');
  return slash != std::string_view::npos && has(list, std::string(res.substr(0, slash)) + "/*");
}

std::string rule_where(const Rule& r) { return fmt::format("rule {}", r.index); }

void rbac_wildcard(K8sEval& e) {
  for (const Rule& r : rbac_rules(e.set)) {
    ++e.result.evaluated;
    std::string fields;
    Loc first;
    for (std::string_view field : {"apiGroups", "resources", "verbs"}) {
      for (const Loc& x : items(*r.obj, child(*r.obj, r.loc, field))) {
        if (str(x) != "*") continue;
        if (fields.empty()) first = x;
        fields += (fields.empty() ? "" : ", ") + std::string(field);
        break;
      }
    }
    if (fields.empty()) continue;
    report(e, *r.obj, first, fmt::format("Wildcard in {} ({})", fields, rule_where(r))).evidence.match =
        fmt::format("{}: [\"*\"]", fields.substr(0, fields.find(',')));
  }
}

void rbac_exec(K8sEval& e) {
  for (const Rule& r : rbac_rules(e.set)) {
    ++e.result.evaluated;
    if (!grants(r.groups, {""}) || !grants(r.verbs, {"create", "get"})) continue;
    std::string subs;
    for (std::string_view s : {"pods/exec", "pods/attach"}) {
      if (grants_resource(r.resources, s)) subs += (subs.empty() ? "" : ", ") + std::string(s);
    }
    if (subs.empty()) continue;
    report(e, *r.obj, child(*r.obj, r.loc, "resources"), fmt::format("Rule grants {} ({})", subs, rule_where(r)));
  }
}

void rbac_secrets(K8sEval& e) {
  for (const Rule& r : rbac_rules(e.set)) {
    ++e.result.evaluated;
    if (!grants(r.groups, {""}) || !grants(r.resources, {"secrets"})) continue;
    std::string verbs;
    for (std::string_view v : {"get", "list", "watch"}) {
      if (grants(r.verbs, {v})) verbs += (verbs.empty() ? "" : ", ") + std::string(v);
    }
    if (verbs.empty()) continue;
    Finding& f = report(e, *r.obj, child(*r.obj, r.loc, "resources"),
                        fmt::format("Rule grants {} on secrets ({})", verbs, rule_where(r)));
    if (r.named && verbs == "get") f.severity = Severity::kMedium;  // named secrets only
  }
}

void rbac_create_pods(K8sEval& e) {
  struct Res {
    std::string_view group, resource;
  };
  static constexpr std::array<Res, 8> kWorkloads = {{{"", "pods"},
                                                      {"apps", "deployments"},
                                                      {"apps", "statefulsets"},
                                                      {"apps", "daemonsets"},
                                                      {"apps", "replicasets"},
                                                      {"batch", "jobs"},
                                                      {"batch", "cronjobs"},
                                                      {"", "replicationcontrollers"}}};
  for (const Rule& r : rbac_rules(e.set)) {
    ++e.result.evaluated;
    if (!grants(r.verbs, {"create"})) continue;
    std::string res;
    for (const Res& w : kWorkloads) {
      if (grants(r.groups, {w.group}) && grants(r.resources, {w.resource})) res += (res.empty() ? "" : ", ") + std::string(w.resource);
    }
    if (res.empty()) continue;
    report(e, *r.obj, child(*r.obj, r.loc, "verbs"), fmt::format("Rule grants create on {} ({})", res, rule_where(r)));
  }
}

void rbac_escalate(K8sEval& e) {
  for (const Rule& r : rbac_rules(e.set)) {
    ++e.result.evaluated;
    std::string verbs;
    bool roles = grants(r.groups, {"rbac.authorization.k8s.io"}) && grants(r.resources, {"roles", "clusterroles"});
    bool identities = grants(r.groups, {"", "authentication.k8s.io"}) &&
                      grants(r.resources, {"users", "groups", "serviceaccounts", "uids", "userextras"});
    if (roles && grants(r.verbs, {"escalate"})) verbs += "escalate";
    if (roles && grants(r.verbs, {"bind"})) verbs += std::string(verbs.empty() ? "" : ", ") + "bind";
    if (identities && grants(r.verbs, {"impersonate"})) verbs += std::string(verbs.empty() ? "" : ", ") + "impersonate";
    if (verbs.empty()) continue;
    report(e, *r.obj, child(*r.obj, r.loc, "verbs"), fmt::format("Rule grants {} ({})", verbs, rule_where(r)));
  }
}

std::vector<const ManifestObject*> bindings(const ManifestSet& set) {
  std::vector<const ManifestObject*> out;
  for (const auto& o : set.objects) {
    if (o.kind == "RoleBinding" || o.kind == "ClusterRoleBinding") out.push_back(&o);
  }
  return out;
}

void cluster_admin(K8sEval& e) {
  for (const ManifestObject* b : bindings(e.set)) {
    ++e.result.evaluated;
    Loc ref = child(*b, root_of(*b), "roleRef");
    Loc name = child(*b, ref, "name");
    if (str(child(*b, ref, "kind")) != "ClusterRole" || str(name) != "cluster-admin") continue;
    std::string subjects;
    for (const Loc& s : items(*b, child(*b, root_of(*b), "subjects"))) {
      subjects += (subjects.empty() ? "" : ", ") + str(child(*b, s, "kind")) + " " + str(child(*b, s, "name"));
    }
    Finding& f = report(e, *b, name, fmt::format("Binds cluster-admin to {}", subjects.empty() ? "no subject" : quote(subjects)));
    f.evidence.match = "roleRef: cluster-admin";
    if (b->kind == "RoleBinding") f.severity = Severity::kHigh;  // limited to one namespace
  }
}

void system_masters(K8sEval& e) {
  for (const ManifestObject* b : bindings(e.set)) {
    ++e.result.evaluated;
    for (const Loc& s : items(*b, child(*b, root_of(*b), "subjects"))) {
      Loc name = child(*b, s, "name");
      if (str(child(*b, s, "kind")) != "Group" || str(name) != "system:masters") continue;
      report(e, *b, name, "Binds the system:masters group").evidence.match = "Group system:masters";
    }
  }
}

// One RBAC rule check: rules whose API group and (sub)resource match and that grant one of
// `verbs` ("*" in any of them counts).
struct RbacGrant {
  std::string_view group;
  std::vector<std::string_view> resources;
  std::vector<std::string_view> verbs;
};

void rbac_grant(K8sEval& e, const RbacGrant& g) {
  for (const Rule& r : rbac_rules(e.set)) {
    ++e.result.evaluated;
    if (!grants(r.groups, {g.group})) continue;
    std::string res, verbs;
    for (auto x : g.resources) {
      if (grants_resource(r.resources, x)) res += (res.empty() ? "" : ", ") + std::string(x);
    }
    for (auto v : g.verbs) {
      if (grants(r.verbs, {v})) verbs += (verbs.empty() ? "" : ", ") + std::string(v);
    }
    if (res.empty() || verbs.empty()) continue;
    report(e, *r.obj, child(*r.obj, r.loc, "resources"),
           fmt::format("Rule grants {} on {} ({})", verbs, res, rule_where(r)));
  }
}

void rbac_create_pv(K8sEval& e) { rbac_grant(e, {"", {"persistentvolumes"}, {"create"}}); }
void rbac_node_proxy(K8sEval& e) {
  rbac_grant(e, {"", {"nodes/proxy"}, {"get", "list", "watch", "create", "update", "patch", "delete"}});
}
void rbac_csr_approval(K8sEval& e) {
  rbac_grant(e, {"certificates.k8s.io", {"certificatesigningrequests/approval"}, {"update", "patch"}});
}
void rbac_webhooks(K8sEval& e) {
  rbac_grant(e, {"admissionregistration.k8s.io",
                 {"validatingwebhookconfigurations", "mutatingwebhookconfigurations"},
                 {"create", "update", "patch", "delete", "deletecollection"}});
}
void rbac_sa_token(K8sEval& e) { rbac_grant(e, {"", {"serviceaccounts/token"}, {"create"}}); }

// The default ServiceAccount in use: bound to roles, mounting its token, or run as by pods that
// mount its token.
void default_service_account(K8sEval& e) {
  std::map<std::string, bool> sa_off;  // namespace -> default SA has automount false
  for (const auto& o : e.set.objects) {
    if (o.kind != "ServiceAccount" || o.name != "default") continue;
    ++e.result.evaluated;
    Loc v = child(o, root_of(o), "automountServiceAccountToken");
    sa_off[o.ns] = boolean(v) == false;
    if (!sa_off[o.ns]) {
      report(e, o, v, "Default service account mounts its token (automountServiceAccountToken not false)");
    }
  }
  for (const ManifestObject* b : bindings(e.set)) {
    ++e.result.evaluated;
    std::string role = str(dig(*b, root_of(*b), {"roleRef", "name"}));
    for (const Loc& s : items(*b, child(*b, root_of(*b), "subjects"))) {
      Loc name = child(*b, s, "name");
      if (str(child(*b, s, "kind")) != "ServiceAccount" || str(name) != "default") continue;
      std::string ns = str(child(*b, s, "namespace"));
      report(e, *b, name, fmt::format("Binds {} to the default service account{}", quote(role),
                                      ns.empty() ? "" : " of namespace " + quote(ns)))
          .evidence.match = "ServiceAccount default";
    }
  }
  for (const PodView& p : pods(e.set)) {
    ++e.result.evaluated;
    Loc named = child(*p.obj, p.spec, "serviceAccountName");
    std::string sa = str(named);
    if (sa.empty()) sa = str(child(*p.obj, p.spec, "serviceAccount"));
    if (!sa.empty() && sa != "default") continue;
    if (boolean(child(*p.obj, p.spec, "automountServiceAccountToken")) == false) continue;
    if (auto it = sa_off.find(p.obj->ns); it != sa_off.end() && it->second) continue;
    report(e, *p.obj, named, "Runs as the default service account with its token mounted");
  }
}

// Pod Security Admission: a Namespace without an enforce label admits any pod.
void namespace_pss_enforce(K8sEval& e) {
  for (const auto& o : e.set.objects) {
    if (o.kind != "Namespace") continue;
    ++e.result.evaluated;
    Loc labels = dig(o, root_of(o), {"metadata", "labels"});
    Loc enforce = child(o, labels, "pod-security.kubernetes.io/enforce");
    std::string level = str(enforce);
    if (level == "baseline" || level == "restricted") continue;
    if (level == "privileged") {
      report(e, o, enforce, "Namespace enforces the privileged Pod Security Standard (no restriction)")
          .evidence.match = "pod-security.kubernetes.io/enforce: privileged";
    } else {
      report(e, o, defined(labels) ? labels : dig(o, root_of(o), {"metadata"}),
             "Namespace without a pod-security.kubernetes.io/enforce label");
    }
  }
}

void windows_host_process(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    ++e.result.evaluated;
    Loc pod = child(*p.obj, pod_sc(p, "windowsOptions"), "hostProcess");
    if (boolean(pod) == true) report(e, *p.obj, pod, "Windows HostProcess pod").evidence.match = "hostProcess: true";
    for (const ContainerView& c : containers_of(p)) {
      Loc own = child(*p.obj, sc(p, c, "windowsOptions"), "hostProcess");
      if (boolean(own) == true) {
        report(e, *p.obj, own, "Windows HostProcess container", c.name).evidence.match = "hostProcess: true";
      }
    }
  }
}

void no_security_context(K8sEval& e) {
  auto set_map = [](const Loc& l) { return l.node.IsDefined() && l.node.IsMap() && l.node.size() > 0; };
  for (const PodView& p : pods(e.set)) {
    bool pod = set_map(child(*p.obj, p.spec, "securityContext"));
    for (const ContainerView& c : containers_of(p)) {
      ++e.result.evaluated;
      Loc own = child(*p.obj, c.c, "securityContext");
      if (pod || set_map(own)) continue;
      report(e, *p.obj, own, "No securityContext (pod or container)", c.name);
    }
  }
}

void net_raw(K8sEval& e) {
  for (const PodView& p : pods(e.set)) {
    for (const ContainerView& c : containers_of(p)) {
      ++e.result.evaluated;
      Loc caps = sc(p, c, "capabilities");
      bool dropped = false;
      for (const std::string& d : strings(*p.obj, child(*p.obj, caps, "drop"))) {
        dropped = dropped || cap_name(d) == "ALL" || cap_name(d) == "NET_RAW";
      }
      for (const Loc& a : items(*p.obj, child(*p.obj, caps, "add"))) {
        std::string cap = cap_name(str(a));
        if (cap != "NET_RAW" && cap != "ALL") continue;
        report(e, *p.obj, a, fmt::format("Capability {} added", quote(cap)), c.name).evidence.match = "add: " + quote(cap);
        dropped = true;  // one finding per container
      }
      if (!dropped) report(e, *p.obj, child(*p.obj, caps, "drop"), "NET_RAW not dropped (drop: [ALL] or [NET_RAW])", c.name);
    }
  }
}

// ---------------------------------------------------------------- NetworkPolicy coverage

using Labels = std::map<std::string, std::string>;

Labels labels_of(const ManifestObject& o, const Loc& meta) {
  Labels out;
  Loc l = child(o, meta, "labels");
  if (!l.node.IsDefined() || !l.node.IsMap()) return out;
  const YAML::Node& m = l.node;
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (it->first.IsScalar() && it->second.IsScalar()) out[it->first.Scalar()] = it->second.Scalar();
  }
  return out;
}

// A label selector (matchLabels, matchExpressions); an empty or absent selector selects all.
bool selects(const ManifestObject& np, const Loc& sel, const Labels& labels) {
  Loc ml = child(np, sel, "matchLabels");
  if (ml.node.IsDefined() && ml.node.IsMap()) {
    const YAML::Node& m = ml.node;
    for (auto it = m.begin(); it != m.end(); ++it) {
      if (!it->first.IsScalar() || !it->second.IsScalar()) return false;
      auto l = labels.find(it->first.Scalar());
      if (l == labels.end() || l->second != it->second.Scalar()) return false;
    }
  }
  for (const Loc& x : items(np, child(np, sel, "matchExpressions"))) {
    std::string key = str(child(np, x, "key")), op = str(child(np, x, "operator"));
    std::vector<std::string> values = strings(np, child(np, x, "values"));
    auto l = labels.find(key);
    bool present = l != labels.end();
    bool in = present && has(values, l->second);
    if (op == "In" && !in) return false;
    if (op == "NotIn" && in) return false;
    if (op == "Exists" && !present) return false;
    if (op == "DoesNotExist" && present) return false;
    if (op != "In" && op != "NotIn" && op != "Exists" && op != "DoesNotExist") return false;
  }
  return true;
}

void network_policy(K8sEval& e) {
  // Namespaces seen: Namespace objects, and metadata.namespace of everything else.
  std::map<std::string, const ManifestObject*> namespaces;
  std::map<std::string, std::vector<const ManifestObject*>> policies;
  for (const auto& o : e.set.objects) {
    if (o.kind == "Namespace" && !o.name.empty()) {
      auto [it, fresh] = namespaces.emplace(o.name, &o);
      if (!fresh && it->second->kind != "Namespace") it->second = &o;  // prefer the Namespace itself
    } else if (!o.ns.empty()) {
      namespaces.emplace(o.ns, &o);
    }
    if (o.kind == "NetworkPolicy" && !o.ns.empty()) policies[o.ns].push_back(&o);
  }
  for (const auto& [ns, where] : namespaces) {
    ++e.result.evaluated;
    auto pol = policies.find(ns);
    if (pol == policies.end()) {
      Loc at = where->kind == "Namespace" ? dig(*where, root_of(*where), {"metadata", "name"})
                                          : dig(*where, root_of(*where), {"metadata", "namespace"});
      Finding& f = report(e, *where, at, fmt::format("Namespace {} has no NetworkPolicy", quote(ns)));
      f.evidence.extra["namespace"] = quote(ns);
      continue;
    }
    // Policies exist: each workload of the namespace must be selected by one of them.
    for (const PodView& p : pods(e.set)) {
      if (p.obj->ns != ns) continue;
      Labels labels = labels_of(*p.obj, p.meta);
      bool covered = false;
      for (const ManifestObject* np : pol->second) {
        covered = covered || selects(*np, dig(*np, root_of(*np), {"spec", "podSelector"}), labels);
      }
      if (!covered) report(e, *p.obj, child(*p.obj, p.meta, "labels"), "Pods selected by no NetworkPolicy of their namespace");
    }
  }
}

}  // namespace

const std::map<std::string_view, K8sCheck>& k8s_checks() {
  static const std::map<std::string_view, K8sCheck> kChecks = {
      {"HS-K8S-001", privileged},         {"HS-K8S-002", host_pid},
      {"HS-K8S-003", host_ipc},           {"HS-K8S-004", host_network},
      {"HS-K8S-005", host_path},          {"HS-K8S-006", caps_beyond_baseline},
      {"HS-K8S-007", caps_not_restricted}, {"HS-K8S-008", privilege_escalation},
      {"HS-K8S-009", run_as_non_root},    {"HS-K8S-010", run_as_uid0},
      {"HS-K8S-011", read_only_root},     {"HS-K8S-012", seccomp_missing},
      {"HS-K8S-013", seccomp_unconfined}, {"HS-K8S-014", apparmor_unconfined},
      {"HS-K8S-015", proc_mount},         {"HS-K8S-016", unsafe_sysctls},
      {"HS-K8S-017", resources},          {"HS-K8S-018", image_latest},
      {"HS-K8S-019", image_digest},       {"HS-K8S-020", token_automount},
      {"HS-K8S-021", host_port},          {"HS-K8S-022", env_secrets},
      {"HS-K8S-023", default_namespace},  {"HS-K8S-024", rbac_wildcard},
      {"HS-K8S-025", cluster_admin},      {"HS-K8S-026", rbac_exec},
      {"HS-K8S-027", rbac_secrets},       {"HS-K8S-028", rbac_create_pods},
      {"HS-K8S-029", rbac_escalate},      {"HS-K8S-030", network_policy},
      {"HS-K8S-031", system_masters},    {"HS-K8S-032", default_service_account},
      {"HS-K8S-033", rbac_create_pv},    {"HS-K8S-034", rbac_node_proxy},
      {"HS-K8S-035", rbac_csr_approval}, {"HS-K8S-036", rbac_webhooks},
      {"HS-K8S-037", rbac_sa_token},     {"HS-K8S-038", namespace_pss_enforce},
      {"HS-K8S-039", windows_host_process}, {"HS-K8S-040", no_security_context},
      {"HS-K8S-041", net_raw},
  };
  return kChecks;
}

Result<std::vector<K8sCheckResult>> evaluate_manifests(const ManifestSet& set, const K8sCheckOptions& options) {
  HIVESEC_TRY(const K8sCatalogue* cat, builtin_k8s_catalogue());
  std::vector<K8sCheckResult> out;
  for (const K8sCheckMeta& m : cat->all()) {
    if (!m.in_standard(options.standard) || options.skip.count(m.id)) continue;
    K8sCheckResult r;
    r.meta = &m;
    K8sEval e{m.id, *cat, set, r};
    try {
      k8s_checks().at(m.id)(e);
    } catch (const std::exception& ex) {  // yaml-cpp on a shape no check expected: a bug, not a crash
      return make_error(Errc::kInternal, "{}: {}", m.id, ex.what());
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<model::Finding> k8s_findings(std::vector<K8sCheckResult> results) {
  std::vector<model::Finding> out;
  for (auto& r : results) {
    for (auto& f : r.findings) out.push_back(std::move(f));
  }
  auto doc = [](const Finding& f) {
    auto it = f.evidence.extra.find("document");
    return it == f.evidence.extra.end() ? 0 : std::atoi(it->second.c_str());
  };
  std::stable_sort(out.begin(), out.end(), [&](const Finding& a, const Finding& b) {
    return std::tuple(a.evidence.path, doc(a), a.evidence.line, a.rule_id) <
           std::tuple(b.evidence.path, doc(b), b.evidence.line, b.rule_id);
  });
  return out;
}

}  // namespace hivesec::config
