// The agent loop: events from one source (the eBPF sensor or a replay file) go through the
// rule set; each alert becomes a Falco-compatible JSON line for every sink, is counted in the
// metrics and may trigger response actions. Optionally every event is recorded.
//
// Usage (what `hivesec agent` does):
//   Agent agent(source, ruleset, std::move(sinks), metrics, options);
//   agent.set_recorder(writer.get());  agent.set_responder(responder.get());
//   Status st = agent.run(stop_flag);   // until the source ends, the flag is set or duration
//
// Thread-safety: run() on one thread; the stop flag may be set from a signal handler. Alert
// lines reach the sinks one at a time (the responder's outcome lines share the same lock).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/alerts/metrics.h"
#include "runtime/alerts/sink.h"
#include "runtime/event_json.h"
#include "runtime/event_source.h"
#include "runtime/rules/ruleset.h"

namespace hivesec::runtime::agent {

class Responder;

struct AgentOptions {
  std::string hostname;
  rules::Priority min_priority = rules::Priority::kDebug;  // less severe alerts are dropped
  std::chrono::milliseconds duration{0};                    // 0 = until stopped / end of input
};

struct AgentStats {
  uint64_t events = 0;
  uint64_t alerts = 0;
  uint64_t sink_errors = 0;
  uint64_t record_errors = 0;
};

class Agent {
 public:
  Agent(EventSource& source, const rules::RuleSet& rules,
        std::vector<std::unique_ptr<alerts::AlertSink>> sinks, alerts::Metrics& metrics,
        AgentOptions options);

  void set_recorder(EventWriter* recorder) { recorder_ = recorder; }
  void set_responder(Responder* responder) { responder_ = responder; }

  // Runs until the source ends, `stop` becomes true or the duration passes. A source error is
  // returned; sink and recorder errors are counted (first one logged) and never stop detection.
  Status run(const std::atomic<bool>& stop);

  // Writes one line to every sink (used for the responder's outcome lines too).
  void emit(std::string_view line, rules::Priority priority, std::string_view rule);

  const AgentStats& stats() const { return stats_; }
  // The source's counters as of the last second (thread-safe: for the metrics endpoint).
  SourceStats source_stats() const;
  const std::vector<std::unique_ptr<alerts::AlertSink>>& sinks() const { return sinks_; }

 private:
  EventSource& source_;
  const rules::RuleSet& rules_;
  std::vector<std::unique_ptr<alerts::AlertSink>> sinks_;
  alerts::Metrics& metrics_;
  AgentOptions options_;
  EventWriter* recorder_ = nullptr;
  Responder* responder_ = nullptr;
  std::mutex emit_mu_;
  AgentStats stats_;
  bool sink_error_logged_ = false;
  mutable std::mutex source_stats_mu_;
  SourceStats source_stats_;
};

// Event types some rule of `rules` can match (what the sensor must trace).
std::vector<EventType> needed_event_types(const rules::RuleSet& rules);

}  // namespace hivesec::runtime::agent
