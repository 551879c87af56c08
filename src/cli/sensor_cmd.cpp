// `hivesec sensor`: runs the eBPF runtime sensor and prints enriched events as they arrive
// (a debugging aid for the sensor and for writing runtime rules). Text lines by default,
// one JSON object per line with --json. Ends after --duration seconds, on SIGINT/SIGTERM,
// and prints the delivery and drop counters on stderr.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/scan_flags.h"
#include "runtime/sensor/sensor.h"

namespace hivesec::cli {
namespace {

std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop.store(true); }

nlohmann::json event_json(const runtime::Event& e) {
  nlohmann::json j;
  j["type"] = runtime::event_type_name(e.type);
  j["syscall"] = e.syscall;
  j["ts_ns"] = e.ts_ns;
  const auto& p = e.proc;
  j["proc"] = {{"pid", p.pid},       {"tid", p.tid},         {"ppid", p.ppid},
               {"vpid", p.vpid},     {"uid", p.uid},         {"gid", p.gid},
               {"euid", p.euid},     {"user", p.user},       {"name", p.name},
               {"exe", p.exe},       {"exepath", p.exepath}, {"args", p.args},
               {"cwd", p.cwd},       {"start_ns", p.start_ns}, {"tty", p.tty},
               {"exe_from_memfd", p.exe_from_memfd},
               {"exe_written_after_start", p.exe_written_after_start},
               {"exe_upper_layer", p.exe_upper_layer}};
  auto& anc = j["ancestors"] = nlohmann::json::array();
  for (const auto& a : e.ancestors) {
    anc.push_back({{"pid", a.pid}, {"name", a.name}, {"exepath", a.exepath}, {"cmdline", a.cmdline}});
  }
  const auto& f = e.fd;
  j["fd"] = {{"num", f.num},   {"type", f.typechar ? std::string(1, f.typechar) : ""},
             {"name", f.name}, {"cip", f.cip},     {"cport", f.cport},
             {"sip", f.sip},   {"sport", f.sport}, {"l4proto", f.l4proto},
             {"is_server", f.is_server}};
  const auto& a = e.args;
  j["args"] = {{"res", a.res},           {"flags", a.flags},       {"mode", a.mode},
               {"target_uid", a.target_uid}, {"target_gid", a.target_gid},
               {"request", a.request},   {"target_pid", a.target_pid}, {"newfd", a.newfd},
               {"exit_code", a.exit_code}, {"backlog", a.backlog},
               {"cap_effective", a.cap_effective}, {"cap_permitted", a.cap_permitted},
               {"path", a.path},         {"target", a.target},     {"fstype", a.fstype},
               {"name", a.name}};
  if (e.container) {
    const auto& c = *e.container;
    j["container"] = {{"id", c.id},         {"name", c.name},     {"image", c.image},
                      {"image_id", c.image_id}, {"labels", c.labels},
                      {"pod_name", c.pod_name}, {"pod_namespace", c.pod_namespace},
                      {"privileged", c.privileged}, {"started_ns", c.started_ns},
                      {"metadata_complete", c.metadata_complete}};
  }
  return j;
}

std::string event_line(const runtime::Event& e) {
  std::string s = std::string(runtime::event_type_name(e.type)) + " " + e.syscall;
  s += " pid=" + std::to_string(e.proc.pid) + " ppid=" + std::to_string(e.proc.ppid) +
       " user=" + e.proc.user + " comm=" + e.proc.name + " exe=" + e.proc.exepath;
  if (e.type == runtime::EventType::kExec) {
    s += " cmd=" + e.proc.exe;
    for (const auto& a : e.proc.args) s += " " + a;
    s += " cwd=" + e.proc.cwd;
  }
  if (!e.args.path.empty()) s += " path=" + e.args.path;
  if (!e.args.target.empty()) s += " target=" + e.args.target;
  if (!e.fd.name.empty()) s += " fd=" + e.fd.name;
  s += " res=" + std::to_string(e.args.res);
  if (e.container && e.container->id != "host") {
    s += " container=" + e.container->id.substr(0, 12) + "/" + e.container->name + " image=" +
         e.container->image;
  }
  return s;
}

}  // namespace

void register_sensor_command(CLI::App& app, Action& action) {
  struct Args {
    double duration = 0;
    std::string types = "all";
    bool json = false;
    bool all_writes = false;
    uint32_t ringbuf_kb = 16384;
    std::vector<std::string> write_prefixes, read_prefixes;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("sensor", "Run the eBPF runtime sensor and print events (root)");
  cmd->add_option("--duration", args->duration, "Seconds to run (0: until SIGINT/SIGTERM)");
  cmd->add_option("--types", args->types, "Event types, comma-separated (exec,open,connect,...; all)");
  cmd->add_flag("--json", args->json, "One JSON object per event and line");
  cmd->add_flag("--all-writes", args->all_writes, "Report every write-open, not only under prefixes");
  cmd->add_option("--ringbuf-kb", args->ringbuf_kb, "Ring buffer size in KiB (>= 1024)");
  cmd->add_option("--write-prefix", args->write_prefixes,
                  "Path prefix for write/modify events (repeatable; replaces the defaults)");
  cmd->add_option("--read-prefix", args->read_prefixes,
                  "Path prefix for sensitive reads (repeatable; replaces the defaults)");
  cmd->callback([&action, args] {
    action = [args] {
      runtime::sensor::SensorOptions o;
      auto types = runtime::sensor::parse_event_types(args->types);
      if (!types.ok()) return report_error(types.error());
      o.types = *types;
      o.all_writes = args->all_writes;
      o.ringbuf_bytes = args->ringbuf_kb * 1024u;
      if (!args->write_prefixes.empty()) o.write_prefixes = args->write_prefixes;
      if (!args->read_prefixes.empty()) o.read_prefixes = args->read_prefixes;
      struct sigaction sa{};
      sa.sa_handler = on_signal;
      sigemptyset(&sa.sa_mask);
      sigaction(SIGINT, &sa, nullptr);
      sigaction(SIGTERM, &sa, nullptr);
      auto sensor = runtime::sensor::open_sensor(std::move(o));
      if (!sensor.ok()) return report_error(sensor.error());
      std::fprintf(stderr, "hivesec sensor: attached\n");
      auto deadline = std::chrono::steady_clock::now() +
                      std::chrono::milliseconds(static_cast<int64_t>(args->duration * 1000));
      runtime::Event ev;
      int rc = 0;
      while (!g_stop.load()) {
        if (args->duration > 0 && std::chrono::steady_clock::now() >= deadline) break;
        auto r = (*sensor)->next(ev, 200);
        if (!r.ok()) {
          rc = report_error(r.error());
          break;
        }
        if (*r == runtime::NextStatus::kEnd) break;
        if (*r != runtime::NextStatus::kEvent) continue;
        std::string line = args->json ? event_json(ev).dump(-1, ' ', false,
                                                            nlohmann::json::error_handler_t::replace)
                                      : event_line(ev);
        std::fprintf(stdout, "%s\n", line.c_str());
        std::fflush(stdout);
      }
      auto st = (*sensor)->stats();
      std::string drops;
      for (const auto& [name, n] : st.drops) drops += " " + name + "=" + std::to_string(n);
      std::fprintf(stderr, "hivesec sensor: delivered=%llu drops:%s\n",
                   static_cast<unsigned long long>(st.delivered), drops.c_str());
      return rc;
    };
  });
}

}  // namespace hivesec::cli
