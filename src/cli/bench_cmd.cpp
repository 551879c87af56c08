// `hivesec bench host` and `hivesec bench docker`: compliance baselines run by the check engine
// (src/policy) against the live host (and its container engine) or an offline tree (--root),
// with custom baselines, skips, four output formats and an --exit-code gate.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli/command.h"
#include "cli/scan_flags.h"
#include "common/time.h"
#include "policy/loader.h"
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
  std::string docker_host;  // bench docker: the engine address (sets DOCKER_HOST)
};

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

int run_bench(const std::string& benchmark, const BenchOptions& o) {
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
  auto base = policy::load_builtin_benchmark(benchmark, reg);
  if (!base.ok()) return report_error(base.error());
  std::vector<policy::CheckFile> baselines;
  for (const auto& path : o.baselines) {
    auto f = policy::load_check_file(path, reg);
    if (!f.ok()) return report_error(f.error());
    baselines.push_back(std::move(f).value());
  }
  policy::BenchReport report;
  report.benchmark = benchmark;
  report.title = base->front().title;
  report.version = base->front().version;
  report.reference = base->front().reference;
  auto checks = policy::compose_checks(std::move(base).value(), std::move(baselines), o.skip);
  if (!checks.ok()) return report_error(checks.error());

  policy::HostOptions ho;
  if (!o.root.empty()) {
    struct stat st {};
    if (::stat(o.root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return report_error(make_error(Errc::kNotFound, "--root {}: not a directory", o.root));
    }
    ho.root = o.root;
    ho.live = false;
  }
  policy::Host host(ho);
  report.root = host.options().root;
  report.live = host.live();
  report.hostname = hostname_of(host);
  report.generated = now_rfc3339();
  report.results = policy::run_checks(*checks, host);

  std::ostringstream doc;
  if (auto st = writer->write(report, doc); !st.ok()) return report_error(st.error());
  if (auto st = write_out(doc.str(), o.output); !st.ok()) return report_error(st.error());
  auto t = report.totals();
  if (o.exit_code != 0 && (t.fail > 0 || t.error > 0)) return o.exit_code;
  return 0;
}

}  // namespace

namespace {

// The options every benchmark subcommand takes.
void add_common_options(CLI::App* cmd, const std::shared_ptr<BenchOptions>& o) {
  cmd->add_option(
      "--root", o->root,
      "Check the tree under this directory instead of the live host (offline node images, tests)");
  cmd->add_option(
      "--baseline", o->baselines,
      "Custom check file (same YAML format; repeatable): adds, overrides or disables checks");
  cmd->add_option("--skip", o->skip, "Check ids to skip (repeatable, comma-separated)")
      ->delimiter(',');
  cmd->add_option("-f,--format", o->format, "Output format: table, json, junit, sarif")
      ->capture_default_str();
  cmd->add_option("-o,--output", o->output, "Write the report to this file instead of stdout");
  cmd->add_option("--exit-code", o->exit_code,
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
  add_common_options(host, o);
  host->callback([&action, o] { action = [o] { return run_bench("host", *o); }; });

  auto* docker = bench->add_subcommand(
      "docker",
      "CIS Docker Benchmark v1.6.0: host, daemon, files, images, every running container "
      "(Docker or Podman through the Engine API)");
  add_common_options(docker, o);
  docker->add_option("-H,--host", o->docker_host,
                     "Engine API address (unix:///path or tcp://host:port; default $DOCKER_HOST, "
                     "/var/run/docker.sock, /run/podman/podman.sock)");
  docker->callback([&action, o] {
    action = [o] {
      if (!o->docker_host.empty()) ::setenv("DOCKER_HOST", o->docker_host.c_str(), 1);
      return run_bench("docker", *o);
    };
  });
}

}  // namespace hivesec::cli
