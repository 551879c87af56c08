// `hivesec agent`: runtime protection. Loads the runtime rules (the bundled rules/runtime plus
// --rules files), watches every process, file change and connection through the eBPF sensor
// (or replays a recording), writes Falco-compatible JSON alerts to the chosen outputs, serves
// Prometheus metrics and carries out response actions. Runs until SIGINT/SIGTERM (or
// --duration, or the end of a replay) and detaches cleanly.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <memory>

#include "cli/command.h"
#include "cli/scan_flags.h"
#include "cli/sensor_flags.h"
#include "engine/engine.h"
#include "runtime/agent/agent.h"
#include "runtime/agent/response.h"
#include "runtime/alerts/metrics.h"
#include "runtime/alerts/sink.h"
#include "runtime/event_json.h"
#include "runtime/replay_source.h"
#include "runtime/sensor/sensor.h"

namespace hivesec::cli {
namespace {

namespace rt = hivesec::runtime;

std::atomic<bool> g_agent_stop{false};
void on_agent_signal(int) { g_agent_stop.store(true); }

struct AgentArgs {
  std::vector<std::string> rules;
  bool no_default_rules = false;
  std::vector<std::string> outputs;
  std::string metrics;
  std::string record, replay;
  double duration = 0;
  std::string min_priority = "debug";
  std::vector<std::string> respond;
  std::string response_policy;
  std::string hostname;
  std::string docker_host;
  SensorFlags sensor;
};

std::string local_hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) == 0) return buf;
  return "localhost";
}

// Reads at most `max` + 1 bytes, so an oversized file is refused by the parser's own bound
// without being read whole.
Result<std::string> read_small_file(const std::string& path, size_t max) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::kNotFound, "{}: cannot open", path);
  std::string text(max + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

int run_agent(const AgentArgs& a) {
  // Rules first: a broken rule file must stop the agent before it attaches anything.
  auto loaded = rt::rules::load_rule_files(a.rules, !a.no_default_rules);
  for (const auto& d : loaded.diagnostics) std::fprintf(stderr, "%s\n", d.to_string().c_str());
  if (loaded.has_errors()) {
    std::fprintf(stderr, "error: rules did not load; the agent was not started\n");
    return 2;
  }
  const rt::rules::RuleSet& ruleset = *loaded.ruleset;
  if (ruleset.rules().empty()) {
    return report_error(make_error(Errc::kInvalidArgument, "no enabled rules to run"));
  }
  rt::rules::Priority min_priority;
  if (!rt::rules::parse_priority(a.min_priority, min_priority)) {
    return report_error(make_error(Errc::kInvalidArgument, "--min-priority: unknown priority '{}'",
                                   a.min_priority));
  }

  // Outputs.
  rt::alerts::SinkRegistry sink_kinds;
  if (auto st = rt::alerts::register_builtin_sinks(sink_kinds); !st.ok()) return report_error(st.error());
  std::vector<std::unique_ptr<rt::alerts::AlertSink>> sinks;
  for (const auto& spec : a.outputs.empty() ? std::vector<std::string>{"stdout"} : a.outputs) {
    auto s = sink_kinds.create(spec);
    if (!s.ok()) return report_error(s.error());
    sinks.push_back(std::move(*s));
  }

  // Response policy and actions.
  rt::agent::ResponsePolicy policy;
  if (!a.response_policy.empty()) {
    auto text = read_small_file(a.response_policy, 1u << 20);
    if (!text.ok()) return report_error(text.error());
    auto p = rt::agent::parse_response_policy(*text, a.response_policy);
    if (!p.ok()) return report_error(p.error());
    policy = std::move(*p);
  }
  for (const auto& spec : a.respond) {
    auto r = rt::agent::parse_respond_flag(spec);
    if (!r.ok()) return report_error(r.error());
    if (!ruleset.find(r->rule)) {
      return report_error(make_error(Errc::kInvalidArgument, "--respond: no enabled rule named '{}'",
                                     r->rule));
    }
    policy.entries.push_back(std::move(*r));
  }
  std::shared_ptr<const engine::Client> engine_client;
  if (auto c = engine::Client::connect(a.docker_host, engine::ClientOptions{2, 10}); c.ok()) {
    engine_client = std::make_shared<const engine::Client>(std::move(*c));
  }
  rt::agent::ActionRegistry actions;
  if (auto st = rt::agent::register_builtin_actions(actions, engine_client); !st.ok()) {
    return report_error(st.error());
  }

  // Event source.
  std::unique_ptr<rt::EventSource> source;
  std::string what;
  if (!a.replay.empty()) {
    auto r = rt::ReplayEventSource::open(a.replay);
    if (!r.ok()) return report_error(r.error());
    source = std::move(*r);
    what = "replaying " + a.replay;
  } else {
    rt::sensor::SensorOptions o;
    o.types = rt::agent::needed_event_types(ruleset);
    apply_sensor_flags(a.sensor, o);
    o.metadata = rt::sensor::make_engine_metadata_source(a.docker_host);
    std::string types;
    for (auto t : o.types) types += (types.empty() ? "" : ",") + std::string(rt::event_type_name(t));
    auto s = rt::sensor::open_sensor(std::move(o));
    if (!s.ok()) return report_error(s.error());
    source = std::move(*s);
    what = "watching " + types;
  }

  std::unique_ptr<rt::EventWriter> recorder;
  if (!a.record.empty()) {
    auto w = rt::EventWriter::open(a.record);
    if (!w.ok()) return report_error(w.error());
    recorder = std::move(*w);
  }

  rt::agent::AgentOptions opts;
  opts.hostname = a.hostname.empty() ? local_hostname() : a.hostname;
  opts.min_priority = min_priority;
  opts.duration = std::chrono::milliseconds(static_cast<int64_t>(a.duration * 1000));
  rt::alerts::Metrics metrics;
  rt::agent::Agent agent(*source, ruleset, std::move(sinks), metrics, opts);
  agent.set_recorder(recorder.get());

  std::unique_ptr<rt::agent::Responder> responder;
  if (!policy.entries.empty()) {
    auto r = rt::agent::Responder::create(
        std::move(policy), actions, opts.hostname, [&agent](const std::string& line) {
          agent.emit(line, rt::rules::Priority::kNotice, "hivesec response");
        });
    if (!r.ok()) return report_error(r.error());
    responder = std::move(*r);
    agent.set_responder(responder.get());
  }

  metrics.add_provider("hivesec_agent_drops_total", "counter",
                       "Events lost before evaluation, by category.", [&agent] {
                         std::vector<rt::alerts::Sample> out;
                         for (const auto& [name, n] : agent.source_stats().drops) {
                           out.push_back({"hivesec_agent_drops_total",
                                          {{"category", name}},
                                          static_cast<double>(n)});
                         }
                         return out;
                       });
  metrics.add_provider("hivesec_agent_container_metadata_late_total", "counter",
                       "New containers whose first events went out before the engine named "
                       "them (they carry the container id alone).",
                       [&agent] {
                         return std::vector<rt::alerts::Sample>{
                             {"hivesec_agent_container_metadata_late_total", {},
                              static_cast<double>(agent.source_stats().metadata_late)}};
                       });
  metrics.add_provider("hivesec_agent_output_alerts_total", "counter",
                       "Alert lines by output and result.", [&agent] {
                         std::vector<rt::alerts::Sample> out;
                         for (const auto& s : agent.sinks()) {
                           auto st = s->stats();
                           std::string k(s->kind());
                           out.push_back({"hivesec_agent_output_alerts_total",
                                          {{"output", k}, {"result", "written"}},
                                          static_cast<double>(st.written)});
                           out.push_back({"hivesec_agent_output_alerts_total",
                                          {{"output", k}, {"result", "failed"}},
                                          static_cast<double>(st.failed)});
                           out.push_back({"hivesec_agent_output_alerts_total",
                                          {{"output", k}, {"result", "dropped"}},
                                          static_cast<double>(st.dropped)});
                         }
                         return out;
                       });
  rt::alerts::MetricsServer server;
  if (!a.metrics.empty()) {
    if (auto st = server.start(a.metrics, metrics); !st.ok()) return report_error(st.error());
  }

  struct sigaction sa {};
  sa.sa_handler = on_agent_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::fprintf(stderr, "hivesec agent: %zu rules loaded; %s%s\n", ruleset.rules().size(),
               what.c_str(),
               a.metrics.empty() ? "" : ("; metrics on " + a.metrics).c_str());
  std::fflush(stderr);

  Status st = agent.run(g_agent_stop);
  if (responder) responder->drain(std::chrono::seconds(30));
  server.stop();
  auto s = agent.source_stats();
  std::string drops;
  uint64_t dropped = 0;
  for (const auto& [name, n] : s.drops) {
    dropped += n;
    if (n) drops += " " + name + "=" + std::to_string(n);
  }
  std::fprintf(stderr, "hivesec agent: stopped; %llu events, %llu alerts, %llu dropped%s%s\n",
               static_cast<unsigned long long>(agent.stats().events),
               static_cast<unsigned long long>(agent.stats().alerts),
               static_cast<unsigned long long>(dropped), drops.empty() ? "" : " (",
               drops.empty() ? "" : (drops.substr(1) + ")").c_str());
  if (!st.ok()) return report_error(st.error());
  return 0;
}

}  // namespace

void register_agent_command(CLI::App& app, Action& action) {
  auto a = std::make_shared<AgentArgs>();
  auto* cmd = app.add_subcommand(
      "agent", "Runtime protection: eBPF sensor + Falco-compatible rules + alerts (root)");
  cmd->add_option("--rules", a->rules, "Falco-format rule file (repeatable; after the bundled rules)");
  cmd->add_flag("--no-default-rules", a->no_default_rules, "Do not load the bundled rules/runtime");
  cmd->add_option("-o,--output", a->outputs,
                  "Alert output: stdout, file:PATH, syslog, webhook:URL (repeatable; default stdout)");
  cmd->add_option("--metrics", a->metrics, "Serve Prometheus metrics on HOST:PORT (/metrics)");
  cmd->add_option("--record", a->record, "Also write every event as JSON lines to FILE");
  cmd->add_option("--replay", a->replay, "Evaluate recorded events from FILE instead of the sensor");
  cmd->add_option("--duration", a->duration, "Seconds to run (0: until SIGINT/SIGTERM)");
  cmd->add_option("--min-priority", a->min_priority, "Drop alerts less severe than this");
  cmd->add_option("--respond", a->respond,
                  "ACTION:RULE - kill_process, stop_container or pause_container when RULE fires "
                  "(repeatable)");
  cmd->add_option("--response-policy", a->response_policy, "YAML response policy file");
  cmd->add_option("--hostname", a->hostname, "hostname field of alerts (default: this host)");
  cmd->add_option("--docker-host", a->docker_host,
                  "Engine API (unix:///path or tcp://host:port; default DOCKER_HOST, "
                  "/var/run/docker.sock, /run/podman/podman.sock)");
  add_sensor_flags(cmd, a->sensor);
  cmd->callback([&action, a] { action = [a] { return run_agent(*a); }; });
}

}  // namespace hivesec::cli
