// The agent's Prometheus metrics: events by type, drops by category, alerts by rule and
// priority, rule-evaluation time, sink deliveries. Rendered in the Prometheus text exposition
// format (version 0.0.4) and served on /metrics by MetricsServer.
//
// Thread-safety: the count_* methods are lock-free (events, evaluation time) or take a short
// lock (alerts, which are rare); render() may run concurrently from the HTTP thread.
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/alerts/sink.h"
#include "runtime/event.h"

namespace hivesec::runtime::alerts {

struct Sample {
  std::string name;                                  // "hivesec_agent_drops_total"
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

class Metrics {
 public:
  void count_event(EventType t) {
    events_[static_cast<size_t>(t)].fetch_add(1, std::memory_order_relaxed);
  }
  void add_evaluation(uint64_t ns, uint64_t events) {
    eval_ns_.fetch_add(ns, std::memory_order_relaxed);
    eval_events_.fetch_add(events, std::memory_order_relaxed);
  }
  void count_alert(std::string_view rule, Priority p);

  // Counters owned elsewhere (source drops, sink stats), read at scrape time. Each provider
  // returns samples of counters (`_total` names) or gauges; `help` per metric name.
  using Provider = std::function<std::vector<Sample>()>;
  void add_provider(std::string name, std::string type, std::string help, Provider p);

  std::string render() const;

  uint64_t events(EventType t) const {
    return events_[static_cast<size_t>(t)].load(std::memory_order_relaxed);
  }
  uint64_t alerts_total() const;

 private:
  std::array<std::atomic<uint64_t>, kEventTypeCount> events_{};
  std::atomic<uint64_t> eval_ns_{0}, eval_events_{0};
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> alerts_;  // (rule, priority) -> count
  struct ProviderEntry {
    std::string name, type, help;
    Provider fn;
  };
  std::vector<ProviderEntry> providers_;
};

// Serves GET /metrics (and GET /healthz) on a loopback or any address, on its own thread.
class MetricsServer {
 public:
  MetricsServer();
  ~MetricsServer();  // stops the server
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // `address` is "HOST:PORT" ("127.0.0.1:9376", ":9376" = all interfaces, port 0 = any free
  // port). kInvalidArgument on a malformed address, kIo when it cannot listen.
  Status start(const std::string& address, const Metrics& metrics);
  int port() const { return port_; }
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace hivesec::runtime::alerts
