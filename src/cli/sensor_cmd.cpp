// `hivesec sensor`: runs the eBPF runtime sensor and prints enriched events as they arrive
// (a debugging aid for the sensor and for writing runtime rules). Text lines by default,
// one JSON object per line with --json (the record/replay format of runtime/event_json.h, so
// the output can be replayed through the rules). Ends after --duration seconds, on SIGINT/SIGTERM,
// and prints the delivery and drop counters on stderr.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/scan_flags.h"
#include "cli/sensor_flags.h"
#include "runtime/event_json.h"
#include "runtime/sensor/sensor.h"

namespace hivesec::cli {
namespace {

std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop.store(true); }

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
    SensorFlags sensor;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("sensor", "Run the eBPF runtime sensor and print events (root)");
  cmd->add_option("--duration", args->duration, "Seconds to run (0: until SIGINT/SIGTERM)");
  cmd->add_option("--types", args->types, "Event types, comma-separated (exec,open,connect,...; all)");
  cmd->add_flag("--json", args->json, "One JSON object per event and line");
  add_sensor_flags(cmd, args->sensor);
  cmd->callback([&action, args] {
    action = [args] {
      runtime::sensor::SensorOptions o;
      auto types = runtime::sensor::parse_event_types(args->types);
      if (!types.ok()) return report_error(types.error());
      o.types = *types;
      apply_sensor_flags(args->sensor, o);
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
      bool stopping = false;
      while (true) {
        // On a signal or at the deadline the sensor is stopped and drained: events it still
        // holds (a new container waiting for its metadata) are printed, then kEnd.
        if (!stopping && (g_stop.load() || (args->duration > 0 &&
                                            std::chrono::steady_clock::now() >= deadline))) {
          (*sensor)->stop();
          stopping = true;
        }
        auto r = (*sensor)->next(ev, 200);
        if (!r.ok()) {
          rc = report_error(r.error());
          break;
        }
        if (*r == runtime::NextStatus::kEnd) break;
        if (*r != runtime::NextStatus::kEvent) continue;
        std::string line = args->json ? runtime::event_to_json(ev) : event_line(ev);
        std::fprintf(stdout, "%s\n", line.c_str());
        std::fflush(stdout);
      }
      auto st = (*sensor)->stats();
      std::string drops;
      for (const auto& [name, n] : st.drops) drops += " " + name + "=" + std::to_string(n);
      std::fprintf(stderr, "hivesec sensor: delivered=%llu drops:%s metadata_late=%llu\n",
                   static_cast<unsigned long long>(st.delivered), drops.c_str(),
                   static_cast<unsigned long long>(st.metadata_late));
      return rc;
    };
  });
}

}  // namespace hivesec::cli
