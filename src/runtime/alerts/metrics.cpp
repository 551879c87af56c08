// Prometheus text rendering of the agent's counters, and the /metrics HTTP server.
#include "runtime/alerts/metrics.h"

#include <fmt/format.h>
#include "common/httplib.h"

#include <chrono>
#include <thread>

namespace hivesec::runtime::alerts {

namespace {

// Label values escape backslash, double quote and newline (exposition format 0.0.4).
std::string escape_label(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void sample(std::string& out, const Sample& s) {
  out += s.name;
  if (!s.labels.empty()) {
    out += '{';
    for (size_t i = 0; i < s.labels.size(); ++i) {
      if (i) out += ',';
      out += fmt::format("{}=\"{}\"", s.labels[i].first, escape_label(s.labels[i].second));
    }
    out += '}';
  }
  out += fmt::format(" {}\n", s.value);
}

}  // namespace

void Metrics::count_alert(std::string_view rule, Priority p) {
  std::lock_guard lock(mu_);
  ++alerts_[{std::string(rule), static_cast<int>(p)}];
}

uint64_t Metrics::alerts_total() const {
  std::lock_guard lock(mu_);
  uint64_t n = 0;
  for (const auto& [k, v] : alerts_) n += v;
  return n;
}

void Metrics::add_provider(std::string name, std::string type, std::string help, Provider p) {
  std::lock_guard lock(mu_);
  providers_.push_back({std::move(name), std::move(type), std::move(help), std::move(p)});
}

std::string Metrics::render() const {
  std::string out;
  header(out, "hivesec_agent_events_total", "counter", "Events received from the sensor, by type.");
  for (size_t i = 0; i < kEventTypeCount; ++i) {
    sample(out, {"hivesec_agent_events_total",
                 {{"type", std::string(event_type_name(static_cast<EventType>(i)))}},
                 static_cast<double>(events_[i].load(std::memory_order_relaxed))});
  }
  header(out, "hivesec_agent_rule_evaluation_seconds_total", "counter",
         "Time spent evaluating rules.");
  sample(out, {"hivesec_agent_rule_evaluation_seconds_total",
               {},
               static_cast<double>(eval_ns_.load(std::memory_order_relaxed)) / 1e9});
  header(out, "hivesec_agent_rule_evaluations_total", "counter",
         "Events evaluated against the rules.");
  sample(out, {"hivesec_agent_rule_evaluations_total",
               {},
               static_cast<double>(eval_events_.load(std::memory_order_relaxed))});
  std::vector<ProviderEntry> providers;
  {
    std::lock_guard lock(mu_);
    header(out, "hivesec_agent_alerts_total", "counter", "Alerts raised, by rule and priority.");
    for (const auto& [key, n] : alerts_) {
      sample(out, {"hivesec_agent_alerts_total",
                   {{"rule", key.first},
                    {"priority", std::string(rules::priority_name(static_cast<Priority>(key.second)))}},
                   static_cast<double>(n)});
    }
    providers = providers_;
  }
  for (const auto& p : providers) {
    header(out, p.name, p.type, p.help);
    for (const auto& s : p.fn()) sample(out, s);
  }
  return out;
}

struct MetricsServer::Impl {
  httplib::Server server;
  std::thread thread;
};

MetricsServer::MetricsServer() : impl_(std::make_unique<Impl>()) {}
MetricsServer::~MetricsServer() { stop(); }

Status MetricsServer::start(const std::string& address, const Metrics& metrics) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    return make_error(Errc::kInvalidArgument, "metrics address '{}' is not HOST:PORT", address);
  }
  std::string host = address.substr(0, colon);
  if (host.empty()) host = "0.0.0.0";
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = -1;
  std::string_view p = std::string_view(address).substr(colon + 1);
  if (!p.empty() && p.size() <= 5 && p.find_first_not_of("0123456789") == std::string_view::npos) {
    port = std::stoi(std::string(p));
  }
  if (port < 0 || port > 65535) {
    return make_error(Errc::kInvalidArgument, "metrics address '{}': bad port", address);
  }
  impl_->server.Get("/metrics", [&metrics](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  impl_->server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  // Only SO_REUSEADDR: httplib's default SO_REUSEPORT would let a second agent share the port.
  impl_->server.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  if (port == 0) {
    port = impl_->server.bind_to_any_port(host);
    if (port < 0) return make_error(Errc::kIo, "cannot listen on {}", address);
  } else if (!impl_->server.bind_to_port(host, port)) {
    return make_error(Errc::kIo, "cannot listen on {} (address in use or not local?)", address);
  }
  port_ = port;
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
  // stop() before the listen loop runs would be ignored by httplib and hang the join.
  while (!impl_->server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return ok_status();
}

void MetricsServer::stop() {
  if (impl_ && impl_->thread.joinable()) {
    impl_->server.stop();
    impl_->thread.join();
  }
}

}  // namespace hivesec::runtime::alerts
