// Alert sinks: where the agent sends each alert line (Falco's JSON output format, built by the
// rule engine). Sinks are registered by kind in a SinkRegistry (STYLE habit 4) and created from
// a spec such as "stdout", "file:/var/log/hivesec/alerts.jsonl", "syslog" or
// "webhook:http://127.0.0.1:8080/alerts".
//
// Thread-safety: write() is called from one thread (the agent's alert loop); stats() from any.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "runtime/rules/ruleset.h"

namespace hivesec::runtime::alerts {

// Falco priorities (emergency .. debug), numbered as syslog severities.
using Priority = rules::Priority;

struct AlertRecord {
  std::string_view line;  // one JSON object, no trailing newline
  Priority priority = Priority::kWarning;
  std::string_view rule;
};

struct SinkStats {
  uint64_t written = 0;
  uint64_t failed = 0;   // write errors (file, syslog) or deliveries given up (webhook)
  uint64_t dropped = 0;  // not even attempted: the sink's queue was full
};

class AlertSink {
 public:
  virtual ~AlertSink() = default;
  virtual std::string_view kind() const = 0;
  // Delivers (or queues) one alert. An error is counted and reported by the caller; the agent
  // keeps running and other sinks still get the alert.
  [[nodiscard]] virtual Status write(const AlertRecord& alert) = 0;
  // Pushes out anything buffered; waits at most `timeout_ms` (webhook queue).
  virtual void flush(int timeout_ms) { (void)timeout_ms; }
  virtual SinkStats stats() const = 0;
};

class SinkRegistry {
 public:
  // `target` is the part after "kind:" ("" when the spec has no colon).
  using Factory = std::function<Result<std::unique_ptr<AlertSink>>(const std::string& target)>;
  Status add(std::string kind, std::string help, Factory factory);  // duplicate -> error
  // Parses "kind[:target]" and builds the sink; kInvalidArgument names the known kinds.
  Result<std::unique_ptr<AlertSink>> create(const std::string& spec) const;
  std::vector<std::pair<std::string, std::string>> kinds() const;  // kind, help

 private:
  struct Entry {
    std::string kind, help;
    Factory factory;
  };
  std::vector<Entry> entries_;
};

// stdout, file, syslog, webhook.
Status register_builtin_sinks(SinkRegistry& registry);

// The webhook sink on its own (tests set the queue bound and timeouts).
struct WebhookOptions {
  std::string url;               // http:// or https://
  size_t max_queue = 10000;      // alerts waiting for delivery; beyond that they are dropped
  int timeout_ms = 5000;         // per request
  int retries = 2;               // extra attempts on a network error or a 5xx answer
  std::vector<std::string> headers;  // extra "Name: value" headers
};
Result<std::unique_ptr<AlertSink>> make_webhook_sink(WebhookOptions options);

}  // namespace hivesec::runtime::alerts
