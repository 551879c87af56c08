// Kubernetes node facts (private to src/policy/collectors): which component (kube-apiserver,
// kube-controller-manager, kube-scheduler, etcd, kubelet) is on this node and with which
// settings. Control-plane components are read from their static pod manifest and from the
// running process; the kubelet from its process or its systemd unit (drop-ins, environment
// files such as kubeadm-flags.env) plus its KubeletConfiguration file. The precedence rules are
// documented in docs/commands/bench.md ("bench kubernetes"). Pure functions here; the
// collectors that call them are in k8s.cpp.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "policy/fact.h"

namespace hivesec::policy::collectors::k8s {

// One known component. `manifest`/`container` are empty for the kubelet (a host service).
struct ComponentInfo {
  const char* id;         // "apiserver"
  const char* process;    // executable name: "kube-apiserver"
  const char* manifest;   // kubeadm static pod manifest path
  const char* container;  // container name in the manifest
};
const ComponentInfo* find_component(const std::string& id);
std::vector<std::string> component_ids();

// Command-line flags the way the Kubernetes components (spf13/pflag) read them: "--a=b",
// "--a b" (the next word when it does not start with '-'), a lone "--a" is "true". A flag given
// more than once becomes a list of its values in order. Words that are not flags are ignored.
// Values stay text (comma lists included; operators split them).
nlohmann::json parse_component_args(const std::vector<std::string>& args);

// command + args of the container named `container` (else the first container) of a pod
// manifest. kCorrupt with the reason when the YAML is malformed, is not a pod, or has no
// container command line.
Result<std::vector<std::string>> manifest_command(const std::string& yaml,
                                                  const std::string& container);

// Words of a systemd command line / Environment= value: whitespace-separated, "double" and
// 'single' quotes group and are removed.
std::vector<std::string> split_words(const std::string& s);

// An ExecStart= line with $VAR (a whole word: split into words) and ${VAR} (substituted in
// place) expanded from `env`; unknown variables expand to nothing. The systemd prefixes
// (-@+!:) of the executable are dropped.
std::vector<std::string> expand_exec(const std::string& exec,
                                     const std::map<std::string, std::string>& env);

// KEY=VALUE lines of an EnvironmentFile (comments, blank lines, export-less; quotes removed).
std::map<std::string, std::string> parse_env_file(const std::string& text);

// The kubelet's effective settings, keyed by flag name: an explicitly given flag wins over the
// config file (as kubelet does), the config file over the default, and the default depends on
// whether a config file is in use (the KubeletConfiguration defaults are the secure ones).
// Returns {settings: {...}, sources: {name: "flag" | "config <key>" | "default (...)"}}.
// `feature-gates` merges per gate (config, then flags) into an object {gate: "true"/"false"}.
nlohmann::json kubelet_settings(const nlohmann::json& flags, const nlohmann::json* config);

}  // namespace hivesec::policy::collectors::k8s
