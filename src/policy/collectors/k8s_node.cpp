#include "policy/collectors/k8s_node.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>

#include "policy/collectors/util.h"

namespace hivesec::policy::collectors::k8s {

using nlohmann::json;

namespace {

constexpr ComponentInfo kComponents[] = {
    {"apiserver", "kube-apiserver", "/etc/kubernetes/manifests/kube-apiserver.yaml",
     "kube-apiserver"},
    {"controller-manager", "kube-controller-manager",
     "/etc/kubernetes/manifests/kube-controller-manager.yaml", "kube-controller-manager"},
    {"scheduler", "kube-scheduler", "/etc/kubernetes/manifests/kube-scheduler.yaml",
     "kube-scheduler"},
    {"etcd", "etcd", "/etc/kubernetes/manifests/etcd.yaml", "etcd"},
    {"kubelet", "kubelet", "", ""},
};

constexpr size_t kMaxArgs = 4096;

// One kubelet setting: its flag, its KubeletConfiguration key (dotted; "" = flag only) and
// the default without (`flag_default`) and with (`config_default`) a config file; nullptr =
// no default (unset).
struct KubeletSetting {
  const char* flag;
  const char* config_key;
  const char* flag_default;
  const char* config_default;
};

// Defaults as documented for the kubelet command line and for KubeletConfiguration v1beta1.
constexpr KubeletSetting kKubeletSettings[] = {
    {"anonymous-auth", "authentication.anonymous.enabled", "true", "false"},
    {"authentication-token-webhook", "authentication.webhook.enabled", "false", "true"},
    {"authorization-mode", "authorization.mode", "AlwaysAllow", "Webhook"},
    {"client-ca-file", "authentication.x509.clientCAFile", nullptr, nullptr},
    {"read-only-port", "readOnlyPort", "10255", "0"},
    {"streaming-connection-idle-timeout", "streamingConnectionIdleTimeout", "4h0m0s", "4h0m0s"},
    {"make-iptables-util-chains", "makeIPTablesUtilChains", "true", "true"},
    {"protect-kernel-defaults", "protectKernelDefaults", "false", "false"},
    {"hostname-override", "", nullptr, nullptr},
    {"event-qps", "eventRecordQPS", "50", "50"},
    {"tls-cert-file", "tlsCertFile", nullptr, nullptr},
    {"tls-private-key-file", "tlsPrivateKeyFile", nullptr, nullptr},
    {"tls-cipher-suites", "tlsCipherSuites", nullptr, nullptr},
    {"rotate-certificates", "rotateCertificates", "false", "false"},
    {"rotate-server-certificates", "serverTLSBootstrap", "false", "false"},
    {"pod-max-pids", "podPidsLimit", "-1", "-1"},
    {"kubeconfig", "", nullptr, nullptr},
    {"config", "", nullptr, nullptr},
};

const json* at_dotted(const json& v, const std::string& path) {
  const json* cur = &v;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t dot = path.find('.', pos);
    if (dot == std::string::npos) dot = path.size();
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(path.substr(pos, dot - pos));
    if (it == cur->end()) return nullptr;
    cur = &*it;
    pos = dot + 1;
  }
  return cur;
}

// The last value of a flag that may have been given several times.
json last_value(const json& v) { return v.is_array() && !v.empty() ? v.back() : v; }

// "A=true,B=false" (or a list of such) -> {A: "true", B: "false"}.
void merge_gates_text(const json& v, json& out) {
  std::vector<std::string> parts;
  if (v.is_array()) {
    for (const auto& e : v) parts.push_back(e.is_string() ? e.get<std::string>() : e.dump());
  } else {
    parts.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  }
  for (const auto& p : parts) {
    size_t pos = 0;
    while (pos <= p.size()) {
      size_t c = p.find(',', pos);
      if (c == std::string::npos) c = p.size();
      std::string item = trim(p.substr(pos, c - pos));
      pos = c + 1;
      size_t eq = item.find('=');
      if (item.empty()) continue;
      if (eq == std::string::npos) {
        out[item] = "true";
      } else {
        out[trim(item.substr(0, eq))] = trim(item.substr(eq + 1));
      }
    }
  }
}

}  // namespace

const ComponentInfo* find_component(const std::string& id) {
  for (const auto& c : kComponents) {
    if (id == c.id) return &c;
  }
  return nullptr;
}

std::vector<std::string> component_ids() {
  std::vector<std::string> out;
  for (const auto& c : kComponents) out.emplace_back(c.id);
  return out;
}

json parse_component_args(const std::vector<std::string>& args) {
  json out = json::object();
  auto put = [&out](const std::string& k, std::string v) {
    if (k.empty()) return;
    auto it = out.find(k);
    if (it == out.end()) {
      out[k] = std::move(v);
    } else if (it->is_array()) {
      it->push_back(std::move(v));
    } else {
      *it = json::array({*it, std::move(v)});
    }
  };
  for (size_t i = 0; i < args.size() && i < kMaxArgs; ++i) {
    const std::string& a = args[i];
    if (a.size() < 2 || a[0] != '-' || a == "--") continue;
    std::string k = a.substr(a[1] == '-' ? 2 : 1);
    size_t eq = k.find('=');
    if (eq != std::string::npos) {
      put(k.substr(0, eq), k.substr(eq + 1));
    } else if (i + 1 < args.size() && !args[i + 1].empty() && args[i + 1][0] != '-') {
      put(k, args[++i]);
    } else {
      put(k, "true");
    }
  }
  return out;
}

Result<std::vector<std::string>> manifest_command(const std::string& yaml,
                                                  const std::string& container) {
  YAML::Node doc;
  try {
    doc = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return make_error(Errc::kCorrupt, "malformed YAML: line {}: {}", e.mark.line + 1, e.msg);
  }
  try {
    if (!doc.IsMap()) return make_error(Errc::kCorrupt, "not a pod manifest (not a YAML map)");
    YAML::Node containers = doc["spec"]["containers"];
    if (!containers || !containers.IsSequence() || containers.size() == 0)
      return make_error(Errc::kCorrupt, "not a pod manifest: no spec.containers list");
    size_t pick = 0;
    for (size_t i = 0; i < containers.size(); ++i) {
      YAML::Node c = containers[i];
      if (c.IsMap() && c["name"] && c["name"].IsScalar() && c["name"].Scalar() == container) {
        pick = i;
        break;
      }
    }
    YAML::Node chosen = containers[pick];
    if (!chosen.IsMap()) return make_error(Errc::kCorrupt, "spec.containers[0] is not a map");
    std::vector<std::string> out;
    for (const char* key : {"command", "args"}) {
      YAML::Node list = chosen[key];
      if (!list) continue;
      if (!list.IsSequence()) return make_error(Errc::kCorrupt, "container {} is not a list", key);
      for (const auto& w : list) {
        if (!w.IsScalar())
          return make_error(Errc::kCorrupt, "container {} has a non-text item", key);
        out.push_back(w.Scalar());
        if (out.size() > kMaxArgs) return make_error(Errc::kLimit, "more than {} args", kMaxArgs);
      }
    }
    if (out.empty()) return make_error(Errc::kCorrupt, "the container has no command or args");
    return out;
  } catch (const YAML::Exception& e) {
    return make_error(Errc::kCorrupt, "malformed pod manifest: {}", e.msg);
  }
}

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (char c : s) {
    if (quote) {
      if (c == quote)
        quote = 0;
      else
        cur += c;
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) out.push_back(std::move(cur));
      cur.clear();
      in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
    if (out.size() > kMaxArgs) break;
  }
  if (in_word) out.push_back(cur);
  return out;
}

namespace {

bool var_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string substitute(const std::string& w, const std::map<std::string, std::string>& env) {
  std::string out;
  for (size_t i = 0; i < w.size(); ++i) {
    if (w[i] != '$' || i + 1 >= w.size()) {
      out += w[i];
      continue;
    }
    std::string name;
    if (w[i + 1] == '{') {
      size_t close = w.find('}', i + 2);
      if (close == std::string::npos) {
        out += w.substr(i);
        break;
      }
      name = w.substr(i + 2, close - i - 2);
      i = close;
    } else {
      size_t j = i + 1;
      while (j < w.size() && var_char(w[j])) ++j;
      name = w.substr(i + 1, j - i - 1);
      if (name.empty()) {
        out += '$';
        continue;
      }
      i = j - 1;
    }
    auto it = env.find(name);
    if (it != env.end()) out += it->second;
  }
  return out;
}

}  // namespace

std::vector<std::string> expand_exec(const std::string& exec,
                                     const std::map<std::string, std::string>& env) {
  std::vector<std::string> out;
  for (auto& w : split_words(exec)) {
    if (out.empty()) {
      while (!w.empty() && std::string_view("-@+!:").find(w[0]) != std::string_view::npos)
        w.erase(0, 1);
    }
    bool whole =
        w.size() > 1 && w[0] == '$' && w[1] != '{' && std::all_of(w.begin() + 1, w.end(), var_char);
    if (whole) {
      auto it = env.find(w.substr(1));
      if (it != env.end()) {
        for (auto& x : split_words(it->second)) out.push_back(std::move(x));
      }
    } else {
      out.push_back(substitute(w, env));
    }
    if (out.size() > kMaxArgs) break;
  }
  return out;
}

std::map<std::string, std::string> parse_env_file(const std::string& text) {
  std::map<std::string, std::string> out;
  for (const auto& raw : split_lines(text)) {
    std::string l = trim(raw);
    if (l.empty() || l[0] == '#' || l[0] == ';') continue;
    if (l.rfind("export ", 0) == 0) l = trim(l.substr(7));
    size_t eq = l.find('=');
    if (eq == std::string::npos) continue;
    std::string k = trim(l.substr(0, eq)), v = trim(l.substr(eq + 1));
    if (v.size() >= 2 && (v[0] == '"' || v[0] == '\'') && v.back() == v[0])
      v = v.substr(1, v.size() - 2);
    if (!k.empty()) out[k] = v;
  }
  return out;
}

json kubelet_settings(const json& flags, const json* config) {
  json settings = json::object(), sources = json::object();
  const bool with_config = config != nullptr && config->is_object();
  for (const auto& s : kKubeletSettings) {
    std::string name = s.flag;
    if (flags.is_object() && flags.contains(name)) {
      settings[name] = last_value(flags[name]);
      sources[name] = "flag --" + name;
      continue;
    }
    if (with_config && *s.config_key) {
      if (const json* v = at_dotted(*config, s.config_key); v && !v->is_null()) {
        settings[name] = *v;
        sources[name] = std::string("config ") + s.config_key;
        continue;
      }
    }
    const char* def = with_config ? s.config_default : s.flag_default;
    if (def) {
      settings[name] = def;
      sources[name] = with_config ? "default (config file in use)" : "default (no config file)";
    }
  }
  // Feature gates merge per gate: the config's map first, then the flag's.
  json gates = json::object();
  if (with_config) {
    if (const json* g = at_dotted(*config, "featureGates"); g && g->is_object()) {
      for (auto it = g->begin(); it != g->end(); ++it)
        gates[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
    }
  }
  if (flags.is_object() && flags.contains("feature-gates"))
    merge_gates_text(flags["feature-gates"], gates);
  settings["feature-gates"] = gates;
  sources["feature-gates"] = "config featureGates, then flag --feature-gates";
  return json{{"settings", settings}, {"sources", sources}};
}

}  // namespace hivesec::policy::collectors::k8s
