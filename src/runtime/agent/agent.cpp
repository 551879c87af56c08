// The agent loop. Detection latency is what matters: alerts are written as soon as the event
// is evaluated; the metrics cost a few relaxed atomic adds per event.
#include "runtime/agent/agent.h"

#include <spdlog/spdlog.h>

#include "runtime/agent/response.h"
#include "runtime/sensor/syscall_table.h"

namespace hivesec::runtime::agent {

Agent::Agent(EventSource& source, const rules::RuleSet& rules,
             std::vector<std::unique_ptr<alerts::AlertSink>> sinks, alerts::Metrics& metrics,
             AgentOptions options)
    : source_(source),
      rules_(rules),
      sinks_(std::move(sinks)),
      metrics_(metrics),
      options_(std::move(options)) {}

void Agent::emit(std::string_view line, rules::Priority priority, std::string_view rule) {
  std::lock_guard lock(emit_mu_);
  for (auto& s : sinks_) {
    Status st = s->write({line, priority, rule});
    if (!st.ok()) {
      ++stats_.sink_errors;
      if (!sink_error_logged_) {
        spdlog::warn("alert output {}: {}", s->kind(), st.error().message);
        sink_error_logged_ = true;
      }
    }
  }
}

Status Agent::run(const std::atomic<bool>& stop) {
  auto deadline = std::chrono::steady_clock::now() + options_.duration;
  auto next_snapshot = std::chrono::steady_clock::now();
  auto snapshot = [&] {
    SourceStats st = source_.stats();
    std::lock_guard lock(source_stats_mu_);
    source_stats_ = std::move(st);
  };
  Event ev;
  bool stopping = false;
  while (true) {
    auto now = std::chrono::steady_clock::now();
    if (now >= next_snapshot) {
      snapshot();
      next_snapshot = now + std::chrono::seconds(1);
    }
    // On stop (or at the end of --duration) the source is stopped and drained: events it
    // still holds (a new container waiting for its metadata) are evaluated, then kEnd.
    if (!stopping && (stop.load(std::memory_order_relaxed) ||
                      (options_.duration.count() > 0 && now >= deadline))) {
      source_.stop();
      stopping = true;
    }
    HIVESEC_TRY(NextStatus st, source_.next(ev, 200));
    if (st == NextStatus::kEnd) break;
    if (st != NextStatus::kEvent) continue;
    ++stats_.events;
    metrics_.count_event(ev.type);
    if (recorder_) {
      if (Status w = recorder_->write(ev); !w.ok() && stats_.record_errors++ == 0) {
        spdlog::warn("--record: {}", w.error().message);
      }
    }
    auto t0 = std::chrono::steady_clock::now();
    rules_.evaluate(ev, [&](const rules::Rule& rule, const rules::Alert& alert) {
      if (static_cast<int>(rule.priority) > static_cast<int>(options_.min_priority)) return;
      ++stats_.alerts;
      metrics_.count_alert(rule.name, rule.priority);
      emit(rules::alert_json_line(alert, options_.hostname), rule.priority, rule.name);
      if (responder_) responder_->submit(rule, ev, alert.time_ns);
    });
    metrics_.add_evaluation(static_cast<uint64_t>(
                                std::chrono::duration_cast<std::chrono::nanoseconds>(
                                    std::chrono::steady_clock::now() - t0)
                                    .count()),
                            1);
  }
  snapshot();
  for (auto& s : sinks_) s->flush(5000);
  return ok_status();
}

SourceStats Agent::source_stats() const {
  std::lock_guard lock(source_stats_mu_);
  return source_stats_;
}

std::vector<EventType> needed_event_types(const rules::RuleSet& rules) {
  std::vector<bool> need(kEventTypeCount, false);
  for (const auto& e : sensor::syscall_table()) {
    if (rules.candidate_count(e.name) > 0) need[static_cast<size_t>(e.type)] = true;
  }
  // Process lifecycle events come from scheduler tracepoints, not the syscall table.
  const std::pair<std::string_view, EventType> lifecycle[] = {
      {"execve", EventType::kExec},   {"execveat", EventType::kExec},
      {"clone", EventType::kFork},    {"clone3", EventType::kFork},
      {"fork", EventType::kFork},     {"vfork", EventType::kFork},
      {"procexit", EventType::kExit}};
  for (const auto& [name, type] : lifecycle) {
    if (rules.candidate_count(name) > 0) need[static_cast<size_t>(type)] = true;
  }
  std::vector<EventType> out;
  for (size_t i = 0; i < need.size(); ++i) {
    if (need[i]) out.push_back(static_cast<EventType>(i));
  }
  return out;
}

}  // namespace hivesec::runtime::agent
