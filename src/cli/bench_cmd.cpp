// `hivesec bench host|docker|kubernetes`: compliance baselines run by the check engine
// (src/policy) against the live host (and its container engine) or an offline tree (--root),
// with custom baselines, skips, four output formats and an --exit-code gate. `bench
// kubernetes` runs one check file per --target (rules/benchmarks/kubernetes-<target>.yaml), by
// default the targets found on the node; the `policies` target (section 5) reads Kubernetes
// manifests given with --manifests.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/command.h"
#include "cli/scan_flags.h"
#include "common/time.h"
#include "engine/engine.h"
#include "policy/loader.h"
#include "policy/manifest_input.h"
#include "policy/report.h"

namespace hivesec::cli {

namespace {

struct BenchOptions {
  std::string root;
  std::vector<std::string> baselines;
  std::vector<std::string> skip;
  std::string format = "table";
  std::string output;
  int exit_code = 0;
  std::vector<std::string> targets;  // bench kubernetes --target
  std::string docker_host;  // bench docker: the engine address (sets DOCKER_HOST)
  std::vector<std::string> manifests;  // bench kubernetes --manifests (files, dirs, "-")
};

// Which built-in check files a run loads, decided once the target host is known.
struct BenchSelection {
  std::vector<std::string> benchmarks;  // `benchmark:` ids, loaded in this order
  std::string title;                    // "" = the first file's title
};
using BenchSelect =
    std::function<Result<BenchSelection>(policy::Host&, const policy::CollectorRegistry&)>;

// Whether a container engine answers /_ping at the discovered address (5 s bound).
Status engine_reachable() {
  auto client = engine::Client::connect("", engine::ClientOptions{5, 5, 1u << 20});
  Status st = client.ok() ? Status(ok_status()) : Status(client.error());
  if (client.ok()) {
    auto r = client->ping();
    if (!r.ok()) st = r.error();
    else if (r->status != 200) {
      st = make_error(Errc::kNetwork, "engine {}: /_ping answered HTTP {}",
                      client->endpoint().where, r->status);
    }
  }
  if (st.ok()) return st;
  return make_error(st.error().code,
                    "bench docker: {}; start the Docker daemon or `podman system service`, or "
                    "give its API with --host / DOCKER_HOST (--root checks an offline tree)",
                    st.error().message);
}

Status write_out(const std::string& data, const std::string& output) {
  if (output.empty() || output == "-") {
    std::fwrite(data.data(), 1, data.size(), stdout);
    std::fflush(stdout);
    return ok_status();
  }
  if (struct stat st{}; ::stat(output.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode))
      return make_error(Errc::kInvalidArgument, "{}: is a directory", output);
    std::ofstream out(output, std::ios::binary);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) return make_error(Errc::kIo, "cannot write {}", output);
    return ok_status();
  }
  std::string tmp = output + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      return make_error(Errc::kIo, "cannot write {}", output);
    }
  }
  if (std::rename(tmp.c_str(), output.c_str()) != 0) {
    std::remove(tmp.c_str());
    return make_error(Errc::kIo, "cannot write {}", output);
  }
  return ok_status();
}

std::string hostname_of(policy::Host& host) {
  if (host.live()) {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) == 0) return buf;
  }
  std::string text;
  if (!host.read_file("/etc/hostname", &text)) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text.substr(0, 255);
  }
  return "";
}

int run_bench(const std::string& benchmark, const BenchOptions& o, const BenchSelect& select = {}) {
  policy::CollectorRegistry collectors;
  policy::OperatorRegistry operators;
  policy::BenchWriterRegistry writers;
  if (auto st = policy::register_builtin_collectors(collectors); !st.ok())
    return report_error(st.error());
  if (auto st = policy::register_builtin_operators(operators); !st.ok())
    return report_error(st.error());
  if (auto st = policy::register_builtin_bench_writers(writers); !st.ok())
    return report_error(st.error());
  const policy::BenchWriter* writer = writers.find(o.format);
  if (!writer) {
    std::string known;
    for (const auto& n : writers.names()) known += (known.empty() ? "" : ", ") + n;
    return report_error(
        make_error(Errc::kInvalidArgument, "unknown format '{}' (known: {})", o.format, known));
  }
  policy::Registries reg{&collectors, &operators};
  policy::HostOptions ho;
  if (!o.root.empty()) {
    struct stat st {};
    if (::stat(o.root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return report_error(make_error(Errc::kNotFound, "--root {}: not a directory", o.root));
    }
    ho.root = o.root;
    ho.live = false;
  }
  std::vector<std::string> notes;
  if (!o.manifests.empty()) {
    auto input = policy::load_manifest_input(o.manifests, std::cin);
    if (!input.ok()) return report_error(input.error());
    notes = input->notes();
    ho.manifests = std::make_shared<const policy::ManifestInput>(std::move(input).value());
  }
  policy::Host host(ho);
  BenchSelection selection{{benchmark}, ""};
  if (select) {
    auto sel = select(host, collectors);
    if (!sel.ok()) return report_error(sel.error());
    selection = std::move(sel).value();
  }
  Result<std::vector<policy::CheckFile>> base = std::vector<policy::CheckFile>{};
  for (const auto& id : selection.benchmarks) {
    auto files = policy::load_builtin_benchmark(id, reg);
    if (!files.ok()) return report_error(files.error());
    for (auto& f : *files) base->push_back(std::move(f));
  }
  if (base->empty()) {
    return report_error(make_error(Errc::kNotFound, "no built-in benchmark '{}'", benchmark));
  }
  std::vector<policy::CheckFile> baselines;
  for (const auto& path : o.baselines) {
    auto f = policy::load_check_file(path, reg);
    if (!f.ok()) return report_error(f.error());
    baselines.push_back(std::move(f).value());
  }
  policy::BenchReport report;
  report.benchmark = benchmark;
  report.title = selection.title.empty() ? base->front().title : selection.title;
  report.version = base->front().version;
  report.reference = base->front().reference;
  auto checks = policy::compose_checks(std::move(base).value(), std::move(baselines), o.skip);
  if (!checks.ok()) return report_error(checks.error());

  report.root = host.options().root;
  report.live = host.live();
  if (selection.benchmarks == std::vector<std::string>{"kubernetes-policies"}) {
    report.root = "manifests";  // the node is not looked at
    for (const auto& m : o.manifests) report.root += " " + m;
    report.live = false;
  }
  report.hostname = hostname_of(host);
  report.generated = now_rfc3339();
  report.results = policy::run_checks(*checks, host);
  report.notes = std::move(notes);

  std::ostringstream doc;
  if (auto st = writer->write(report, doc); !st.ok()) return report_error(st.error());
  if (auto st = write_out(doc.str(), o.output); !st.ok()) return report_error(st.error());
  auto t = report.totals();
  if (o.exit_code != 0 && (t.fail > 0 || t.error > 0)) return o.exit_code;
  return 0;
}

// bench kubernetes: a target is a check file; by default the targets whose components are on
// the node (a component "cannot tell" - e.g. permission denied - counts as present, so its
// checks run and say why).
struct K8sTarget {
  const char* name;
  std::vector<const char*> components;
};
const std::vector<K8sTarget>& k8s_targets() {
  static const std::vector<K8sTarget> kTargets = {
      {"master", {"apiserver", "controller-manager", "scheduler"}},
      {"etcd", {"etcd"}},
      {"node", {"kubelet"}},
      {"policies", {}},  // manifests, not the node: selected by --manifests
  };
  return kTargets;
}

Result<BenchSelection> select_k8s_targets(const std::vector<std::string>& wanted,
                                          bool manifests, policy::Host& host,
                                          const policy::CollectorRegistry& collectors) {
  std::vector<std::string> names;
  for (const auto& t : wanted) {
    bool known = false;
    for (const auto& k : k8s_targets()) known = known || t == k.name;
    if (!known)
      return make_error(Errc::kInvalidArgument,
                        "--target {}: unknown (known: master, etcd, node, policies)", t);
    if (std::find(names.begin(), names.end(), t) == names.end()) names.push_back(t);
  }
  if (names.empty() && manifests) {
    names.push_back("policies");  // manifests given: they are what is to be checked
  } else if (names.empty()) {
    const policy::Collector* c = collectors.find("k8s_component");
    if (!c) return make_error(Errc::kInternal, "no k8s_component collector");
    for (const auto& k : k8s_targets()) {
      bool found = false;
      for (const char* comp : k.components) {
        nlohmann::json p = {{"component", comp}, {"view", "presence"}};
        found = found || policy::collect_cached(*c, p, host).state != policy::FactState::kMissing;
      }
      if (found) names.push_back(k.name);
    }
    if (names.empty()) {
      return make_error(Errc::kNotFound,
                        "no Kubernetes component (control plane, etcd, kubelet) found on {}; "
                        "use --target master|etcd|node to run the checks anyway",
                        host.live() ? "this node" : host.options().root);
    }
  }
  if (manifests && std::find(names.begin(), names.end(), "policies") == names.end()) {
    return make_error(Errc::kInvalidArgument,
                      "--manifests is read by --target policies only (add it to --target)");
  }
  BenchSelection sel;
  std::string list;
  for (const auto& k : k8s_targets()) {  // the benchmark's own order: 1, 2, 4
    if (std::find(names.begin(), names.end(), k.name) == names.end()) continue;
    sel.benchmarks.push_back(std::string("kubernetes-") + k.name);
    list += (list.empty() ? "" : ", ") + std::string(k.name);
  }
  sel.title = "CIS Kubernetes Benchmark (hivesec), targets: " + list;
  return sel;
}

// The options every `bench` subcommand takes.
void add_bench_options(CLI::App* cmd, BenchOptions& o) {
  cmd->add_option("--root", o.root,
                  "Check the tree under this directory instead of the live host (offline node "
                  "images, tests)");
  cmd->add_option(
      "--baseline", o.baselines,
      "Custom check file (same YAML format; repeatable): adds, overrides or disables checks");
  cmd->add_option("--skip", o.skip, "Check ids to skip (repeatable, comma-separated)")
      ->delimiter(',');
  cmd->add_option("-f,--format", o.format, "Output format: table, json, junit, sarif")
      ->capture_default_str();
  cmd->add_option("-o,--output", o.output, "Write the report to this file instead of stdout");
  cmd->add_option("--exit-code", o.exit_code,
                  "Exit with this status when a check FAILs or ERRORs (default 0)");
}

}  // namespace


void register_bench_command(CLI::App& app, Action& action) {
  auto* bench = app.add_subcommand("bench", "Run a compliance benchmark (CIS-style checks)");
  bench->require_subcommand(1);
  auto o = std::make_shared<BenchOptions>();
  auto* host = bench->add_subcommand(
      "host",
      "Linux host hardening baseline (SSH, accounts, permissions, sysctl, audit, services)");
  add_bench_options(host, *o);
  host->callback([&action, o] { action = [o] { return run_bench("host", *o); }; });

  auto k = std::make_shared<BenchOptions>();
  auto* kube = bench->add_subcommand(
      "kubernetes",
      "CIS Kubernetes Benchmark: control plane (1), etcd (2), worker node (4) and, on "
      "manifests, policies (5)");
  add_bench_options(kube, *k);
  kube->add_option("--target", k->targets,
                   "master, etcd, node, policies (repeatable, comma-separated; default: the ones "
                   "found on the node; policies alone with --manifests)")
      ->delimiter(',');
  kube->add_option("--manifests", k->manifests,
                   "Kubernetes manifests for --target policies: files, directories (recursive) "
                   "or - for standard input (repeatable)");
  kube->callback([&action, k] {
    action = [k] {
      return run_bench("kubernetes", *k, [k](policy::Host& h, const policy::CollectorRegistry& c) {
        return select_k8s_targets(k->targets, !k->manifests.empty(), h, c);
      });
    };
  });

  auto* docker = bench->add_subcommand(
      "docker",
      "CIS Docker Benchmark v1.6.0: host, daemon, files, images, every running container "
      "(Docker or Podman through the Engine API)");
  add_bench_options(docker, *o);
  docker->add_option("-H,--host", o->docker_host,
                     "Engine API address (unix:///path or tcp://host:port; default $DOCKER_HOST, "
                     "/var/run/docker.sock, /run/podman/podman.sock)");
  docker->callback([&action, o] {
    action = [o] {
      if (!o->docker_host.empty()) ::setenv("DOCKER_HOST", o->docker_host.c_str(), 1);
      if (o->root.empty()) {
        // The live benchmark is about an engine: without one, one line and exit 2 rather than
        // a hundred undecidable checks. (--root runs the file checks of an offline tree.)
        if (Status up = engine_reachable(); !up.ok()) return report_error(up.error());
      }
      return run_bench("docker", *o);
    };
  });
}

}  // namespace hivesec::cli
