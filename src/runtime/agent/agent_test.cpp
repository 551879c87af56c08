// The agent loop on replayed events with the bundled rules, response policies, and a real
// kill_process action on a real child process.
#include "runtime/agent/agent.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "runtime/agent/response.h"
#include "runtime/replay_source.h"

namespace hivesec::runtime::agent {
namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("hivesec-agent-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

const rules::RuleSet& defaults() {
  static rules::LoadResult loaded = rules::load_rules(rules::default_rule_sources());
  return *loaded.ruleset;
}

// A reverse shell in a container: bash with a socket duplicated onto its stdin.
Event reverse_shell_dup(int32_t pid) {
  Event ev;
  ev.type = EventType::kDup;
  ev.syscall = "dup2";
  ev.ts_ns = 1700000000000000000ull;
  ev.proc.pid = ev.proc.tid = pid;
  ev.proc.name = "bash";
  ev.proc.exe = "bash";
  ev.proc.exepath = "/usr/bin/bash";
  ev.proc.args = {"-i"};
  ev.fd.num = 3;
  ev.fd.typechar = '4';
  ev.fd.cip = "172.17.0.2";
  ev.fd.cport = 40000;
  ev.fd.sip = "10.9.8.7";
  ev.fd.sport = 4444;
  ev.fd.l4proto = 6;
  ev.fd.name = "172.17.0.2:40000->10.9.8.7:4444";
  ev.args.newfd = 0;
  auto c = std::make_shared<ContainerInfo>();
  c->id = std::string(64, 'a');
  c->name = "victim";
  c->image = "docker.io/library/debian:12";
  c->metadata_complete = true;
  ev.container = c;
  ev.ancestors = {{1, "sh", "/bin/sh", "sh -c start"}};
  return ev;
}

const rules::Rule* rule_matching(const Event& ev) {
  const rules::Rule* found = nullptr;
  defaults().evaluate(ev, [&](const rules::Rule& r, const rules::Alert&) {
    if (!found) found = &r;
  });
  return found;
}

TEST(AgentResponse, PolicyFileParsesAndSelects) {
  auto p = parse_response_policy(R"(responses:
  - rule: Reverse shell in container
    action: kill_process
  - tags: [T1611]
    priority: critical
    action: stop_container
)",
                                 "policy.yaml");
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_EQ(p->entries.size(), 2u);
  EXPECT_EQ(p->entries[1].origin, "policy.yaml:4");
  const rules::Rule* r = rule_matching(reverse_shell_dup(1234));
  ASSERT_NE(r, nullptr);
  ResponsePolicy named;
  named.entries.push_back({r->name, {}, std::nullopt, "kill_process", "x"});
  EXPECT_EQ(named.actions_for(*r), std::vector<std::string>{"kill_process"});
  ResponsePolicy by_tag;
  by_tag.entries.push_back({"", {"no-such-tag"}, std::nullopt, "kill_process", "x"});
  EXPECT_TRUE(by_tag.actions_for(*r).empty());
  ResponsePolicy by_priority;
  by_priority.entries.push_back({"", {}, rules::Priority::kEmergency, "kill_process", "x"});
  EXPECT_TRUE(by_priority.actions_for(*r).empty()) << "only emergency alerts qualify";
}

TEST(AgentResponse, BadPoliciesNameTheLine) {
  auto unknown_key = parse_response_policy("responses:\n  - rule: x\n    acton: kill_process\n", "p.yaml");
  ASSERT_FALSE(unknown_key.ok());
  EXPECT_NE(unknown_key.error().message.find("p.yaml:2"), std::string::npos)
      << unknown_key.error().message;
  auto no_selector = parse_response_policy("responses:\n  - action: kill_process\n", "p.yaml");
  ASSERT_FALSE(no_selector.ok());
  EXPECT_NE(no_selector.error().message.find("at least one"), std::string::npos);
  EXPECT_FALSE(parse_response_policy("responses: [\n", "p.yaml").ok());
  EXPECT_FALSE(parse_response_policy("- a\n", "p.yaml").ok());
  EXPECT_FALSE(parse_respond_flag("kill_process").ok());
  EXPECT_FALSE(parse_respond_flag(":rule").ok());
  auto f = parse_respond_flag("stop_container:Reverse shell in container");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->action, "stop_container");
  ActionRegistry actions;
  ASSERT_TRUE(register_builtin_actions(actions, nullptr).ok());
  ResponsePolicy bad;
  bad.entries.push_back({"x", {}, std::nullopt, "reboot_host", "--respond"});
  auto r = Responder::create(bad, actions, "h", nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("kill_process, stop_container, pause_container"),
            std::string::npos);
}

// The whole loop: a recording replayed through the bundled rules; the alert reaches a file
// output as a Falco JSON line, and kill_process really kills the (real) offending process.
TEST(AgentLoop, ReplayAlertsAndKillsTheProcess) {
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::execl("/bin/sleep", "sleep", "30", nullptr);
    ::_exit(127);
  }
  std::string rec = temp_path("events.jsonl");
  {
    std::ofstream out(rec);
    Event benign = reverse_shell_dup(child);
    benign.fd.typechar = 'p';  // a pipe onto stdin is what shells do all day
    out << event_to_json(benign) << "\n" << event_to_json(reverse_shell_dup(child)) << "\n";
  }
  std::string alerts_path = temp_path("alerts.jsonl");
  std::filesystem::remove(alerts_path);
  alerts::SinkRegistry kinds;
  ASSERT_TRUE(alerts::register_builtin_sinks(kinds).ok());
  std::vector<std::unique_ptr<alerts::AlertSink>> sinks;
  sinks.push_back(std::move(*kinds.create("file:" + alerts_path)));

  auto source = ReplayEventSource::open(rec);
  ASSERT_TRUE(source.ok()) << source.error().message;
  alerts::Metrics metrics;
  AgentOptions o;
  o.hostname = "node-1";
  Agent agent(**source, defaults(), std::move(sinks), metrics, o);
  const rules::Rule* r = rule_matching(reverse_shell_dup(child));
  ASSERT_NE(r, nullptr);
  ActionRegistry actions;
  ASSERT_TRUE(register_builtin_actions(actions, nullptr).ok());
  ResponsePolicy policy;
  policy.entries.push_back({r->name, {}, std::nullopt, "kill_process", "test"});
  auto responder = Responder::create(policy, actions, "node-1", [&agent](const std::string& l) {
    agent.emit(l, rules::Priority::kNotice, "hivesec response");
  });
  ASSERT_TRUE(responder.ok());
  agent.set_responder(responder->get());
  std::atomic<bool> stop{false};
  ASSERT_TRUE(agent.run(stop).ok());
  (*responder)->drain(std::chrono::seconds(10));

  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  EXPECT_EQ(agent.stats().events, 2u);
  EXPECT_EQ(agent.stats().alerts, 1u);
  EXPECT_EQ(metrics.alerts_total(), 1u);
  EXPECT_EQ(metrics.events(EventType::kDup), 2u);

  std::ifstream in(alerts_path);
  std::vector<nlohmann::json> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(nlohmann::json::parse(l));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["rule"], r->name);
  EXPECT_EQ(lines[0]["hostname"], "node-1");
  EXPECT_EQ(lines[0]["source"], "syscall");
  EXPECT_EQ(lines[0]["output_fields"]["container.name"], "victim");
  EXPECT_EQ(lines[1]["rule"], "hivesec response");
  EXPECT_EQ(lines[1]["output_fields"]["response.action"], "kill_process");
  EXPECT_EQ(lines[1]["output_fields"]["response.result"], "ok");
  EXPECT_EQ(lines[1]["output_fields"]["proc.pid"], child);
  std::filesystem::remove(rec);
  std::filesystem::remove(alerts_path);
}

TEST(AgentResponse, HostProcessesAndMissingEngineAreRefused) {
  ActionRegistry actions;
  ASSERT_TRUE(register_builtin_actions(actions, nullptr).ok());
  ResponseTarget host;
  host.pid = ::getppid();
  host.container_id = "host";
  auto k = actions.find("kill_process")->run(host);
  ASSERT_FALSE(k.ok());
  EXPECT_NE(k.error().message.find("not in a container"), std::string::npos);
  ResponseTarget in_container;
  in_container.pid = 999999;
  in_container.container_id = std::string(64, 'b');
  auto s = actions.find("stop_container")->run(in_container);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("no container engine"), std::string::npos);
}

TEST(AgentLoop, NeededEventTypesFollowTheRules) {
  auto types = needed_event_types(defaults());
  auto has = [&](EventType t) { return std::find(types.begin(), types.end(), t) != types.end(); };
  EXPECT_TRUE(has(EventType::kExec));
  EXPECT_TRUE(has(EventType::kDup));
  EXPECT_TRUE(has(EventType::kConnect));
  auto only_exec = rules::load_rules({{"x.yaml", R"(- rule: any exec
  desc: d
  condition: evt.type = execve and proc.name = xyz
  output: x
  priority: WARNING
)"}});
  ASSERT_FALSE(only_exec.has_errors());
  auto t2 = needed_event_types(*only_exec.ruleset);
  EXPECT_EQ(t2, std::vector<EventType>{EventType::kExec});
}

}  // namespace
}  // namespace hivesec::runtime::agent
