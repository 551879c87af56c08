// Alert sinks and metrics against real files and real HTTP servers on loopback.
#include <gtest/gtest.h>
#include "common/httplib.h"
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "runtime/alerts/metrics.h"
#include "runtime/alerts/sink.h"

namespace hivesec::runtime::alerts {
namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("hivesec-alerts-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

// A webhook receiver on a free loopback port; answers `fail_first` requests with 500.
struct Receiver {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::mutex mu;
  std::vector<std::string> bodies;
  std::atomic<int> requests{0};
  int fail_first = 0;

  Receiver() {
    server.Post("/alerts", [this](const httplib::Request& req, httplib::Response& res) {
      int n = ++requests;
      if (n <= fail_first) {
        res.status = 500;
        return;
      }
      std::lock_guard lock(mu);
      bodies.push_back(req.body);
      res.status = 204;
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server.stop();
    thread.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/alerts"; }
};

TEST(AlertSinks, RegistryBuildsFromSpecsAndRejectsUnknownKinds) {
  SinkRegistry r;
  ASSERT_TRUE(register_builtin_sinks(r).ok());
  EXPECT_FALSE(register_builtin_sinks(r).ok());  // duplicates fail loudly
  auto bad = r.create("carrier-pigeon:home");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("known: stdout, file, syslog, webhook"), std::string::npos)
      << bad.error().message;
  EXPECT_FALSE(r.create("file:").ok());
  EXPECT_FALSE(r.create("file:/nonexistent-dir/x/alerts.jsonl").ok());
  EXPECT_FALSE(r.create("webhook:ftp://example/").ok());
  auto so = r.create("stdout");
  ASSERT_TRUE(so.ok());
  EXPECT_EQ((*so)->kind(), "stdout");
}

TEST(AlertSinks, FileSinkAppendsOneLinePerAlert) {
  std::string path = temp_path("file.jsonl");
  std::filesystem::remove(path);
  SinkRegistry r;
  ASSERT_TRUE(register_builtin_sinks(r).ok());
  for (int round = 0; round < 2; ++round) {
    auto sink = r.create("file:" + path);
    ASSERT_TRUE(sink.ok()) << sink.error().message;
    for (int i = 0; i < 3; ++i) {
      std::string line = R"({"rule":"r)" + std::to_string(round * 3 + i) + R"("})";
      ASSERT_TRUE((*sink)->write({line, Priority::kWarning, "r"}).ok());
    }
    EXPECT_EQ((*sink)->stats().written, 3u);
  }
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0], R"({"rule":"r0"})");
  EXPECT_EQ(lines[5], R"({"rule":"r5"})");
  std::filesystem::remove(path);
}

TEST(AlertSinks, WebhookDeliversEveryAlertInOrder) {
  Receiver rx;
  auto sink = make_webhook_sink(WebhookOptions{rx.url()});
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  for (int i = 0; i < 20; ++i) {
    std::string line = R"({"n":)" + std::to_string(i) + "}";
    ASSERT_TRUE((*sink)->write({line, Priority::kCritical, "x"}).ok());
  }
  (*sink)->flush(10000);
  std::lock_guard lock(rx.mu);
  ASSERT_EQ(rx.bodies.size(), 20u);
  EXPECT_EQ(rx.bodies[0], R"({"n":0})");
  EXPECT_EQ(rx.bodies[19], R"({"n":19})");
  EXPECT_EQ((*sink)->stats().written, 20u);
}

TEST(AlertSinks, WebhookRetriesServerErrors) {
  Receiver rx;
  rx.fail_first = 2;
  WebhookOptions o{rx.url()};
  o.retries = 2;
  auto sink = make_webhook_sink(o);
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->write({R"({"a":1})", Priority::kWarning, "x"}).ok());
  (*sink)->flush(10000);
  EXPECT_EQ(rx.requests.load(), 3);
  EXPECT_EQ((*sink)->stats().written, 1u);
  EXPECT_EQ((*sink)->stats().failed, 0u);
}

TEST(AlertSinks, DeadWebhookNeverBlocksAndCountsFailuresAndDrops) {
  int port;
  {
    Receiver rx;  // take a free port, then close it
    port = rx.port;
  }
  WebhookOptions o{"http://127.0.0.1:" + std::to_string(port) + "/alerts"};
  o.retries = 0;
  o.max_queue = 2;
  o.timeout_ms = 500;
  auto sink = make_webhook_sink(o);
  ASSERT_TRUE(sink.ok());
  int accepted = 0, refused = 0;
  for (int i = 0; i < 50; ++i) {
    ((*sink)->write({"{}", Priority::kWarning, "x"}).ok() ? accepted : refused)++;
  }
  (*sink)->flush(5000);
  SinkStats st = (*sink)->stats();
  EXPECT_GT(refused, 0);
  EXPECT_EQ(st.dropped, static_cast<uint64_t>(refused));
  EXPECT_EQ(st.failed, static_cast<uint64_t>(accepted));
  EXPECT_EQ(st.written, 0u);
}

TEST(AgentMetrics, ServedInPrometheusTextFormat) {
  Metrics m;
  m.count_event(EventType::kExec);
  m.count_event(EventType::kExec);
  m.count_event(EventType::kConnect);
  m.count_alert("Shell in \"container\"", Priority::kWarning);
  m.count_alert("Shell in \"container\"", Priority::kWarning);
  m.add_evaluation(1'500'000'000, 3);
  m.add_provider("hivesec_agent_drops_total", "counter", "Events lost, by category.", [] {
    return std::vector<Sample>{{"hivesec_agent_drops_total", {{"category", "ringbuf"}}, 7}};
  });
  EXPECT_EQ(m.alerts_total(), 2u);

  MetricsServer server;
  ASSERT_TRUE(server.start("127.0.0.1:0", m).ok());
  ASSERT_GT(server.port(), 0);
  httplib::Client cli("127.0.0.1", server.port());
  auto res = cli.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const std::string& body = res->body;
  EXPECT_NE(body.find("hivesec_agent_events_total{type=\"exec\"} 2\n"), std::string::npos) << body;
  EXPECT_NE(body.find("hivesec_agent_events_total{type=\"connect\"} 1\n"), std::string::npos);
  EXPECT_NE(body.find("hivesec_agent_alerts_total{rule=\"Shell in \\\"container\\\"\","
                      "priority=\"Warning\"} 2\n"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("hivesec_agent_rule_evaluation_seconds_total 1.5\n"), std::string::npos);
  EXPECT_NE(body.find("# TYPE hivesec_agent_drops_total counter\n"), std::string::npos);
  EXPECT_NE(body.find("hivesec_agent_drops_total{category=\"ringbuf\"} 7\n"), std::string::npos);
  EXPECT_EQ(cli.Get("/healthz")->body, "ok\n");
  server.stop();
}

TEST(AgentMetrics, BadAddressesAreRefused) {
  Metrics m;
  MetricsServer a, b;
  EXPECT_FALSE(a.start("no-port", m).ok());
  EXPECT_FALSE(a.start("127.0.0.1:99999", m).ok());
  ASSERT_TRUE(a.start("127.0.0.1:0", m).ok());
  auto st = b.start("127.0.0.1:" + std::to_string(a.port()), m);
  EXPECT_FALSE(st.ok());
}

}  // namespace
}  // namespace hivesec::runtime::alerts
