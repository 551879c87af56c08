// The default runtime rules (rules/runtime) replayed against recorded events: every rule has
// at least one attack it must report and one look-alike it must not, and two benign workloads
// (a web server under load, a compile job in a container) must not raise a single alert.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "runtime/event_json.h"
#include "runtime/replay_source.h"
#include "runtime/rules/filter.h"
#include "runtime/rules/ruleset.h"

namespace hivesec::runtime::rules {
namespace {

std::string testdata(const std::string& name) {
  return std::string(HIVESEC_SOURCE_DIR) + "/src/runtime/rules/testdata/" + name;
}

const RuleSet& defaults() {
  static LoadResult loaded = load_rules(default_rule_sources());
  return *loaded.ruleset;
}

std::set<std::string> matching_rules(const Event& ev) {
  std::set<std::string> names;
  defaults().evaluate(ev, [&](const Rule& r, const Alert&) { names.insert(r.name); });
  return names;
}

TEST(RuntimeDefaultRules, LoadWithoutDiagnostics) {
  LoadResult r = load_rules(default_rule_sources());
  for (const auto& d : r.diagnostics) ADD_FAILURE() << d.to_string();
  EXPECT_GE(r.ruleset->rules().size(), 25u);
  for (const auto& rule : r.ruleset->rules()) {
    bool mitre = false;
    for (const auto& t : rule->tags)
      mitre = mitre || (t.size() > 1 && t[0] == 'T' && isdigit(t[1]));
    EXPECT_TRUE(mitre) << rule->name << " has no MITRE ATT&CK technique tag";
    // Every default rule is indexed by event type (none is tested against every event).
    EXPECT_NE(rule->filter().event_types(), kAllTypes) << rule->name;
  }
}

TEST(RuntimeDefaultRules, EveryRuleHasPositiveAndBenignReplayCases) {
  std::ifstream in(testdata("default_rules.jsonl"));
  ASSERT_TRUE(in) << testdata("default_rules.jsonl");
  std::map<std::string, int> positives, benign;
  std::set<std::string> expect;
  std::string benign_for;
  std::string line;
  int line_no = 0, events = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.rfind("# match: ", 0) == 0) {
      expect.insert(line.substr(9));
      continue;
    }
    if (line.rfind("# benign: ", 0) == 0) {
      benign_for = line.substr(10);
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    Event ev;
    auto st = event_from_json(line, ev);
    ASSERT_TRUE(st.ok()) << "line " << line_no << ": " << st.error().message;
    ASSERT_TRUE(!expect.empty() || !benign_for.empty())
        << "line " << line_no << ": event without a '# match:' or '# benign:' directive";
    ++events;
    std::set<std::string> got = matching_rules(ev);
    if (!benign_for.empty()) {
      EXPECT_TRUE(got.empty()) << "line " << line_no << " (benign for '" << benign_for
                               << "') matched: " << *got.begin();
      benign[benign_for]++;
    } else {
      EXPECT_EQ(got, expect) << "line " << line_no;
      for (const auto& e : expect) positives[e]++;
    }
    expect.clear();
    benign_for.clear();
  }
  EXPECT_GT(events, 50);
  for (const auto& rule : defaults().rules()) {
    EXPECT_GE(positives[rule->name], 1) << "no positive replay case for '" << rule->name << "'";
    EXPECT_GE(benign[rule->name], 1) << "no benign replay case for '" << rule->name << "'";
  }
  for (const auto& [name, n] : positives) {
    EXPECT_NE(defaults().find(name), nullptr) << "case names unknown rule '" << name << "'";
  }
  for (const auto& [name, n] : benign) {
    EXPECT_NE(defaults().find(name), nullptr) << "case names unknown rule '" << name << "'";
  }
}

void expect_quiet_workload(const std::string& file, size_t min_events) {
  auto src = ReplayEventSource::open(testdata(file));
  ASSERT_TRUE(src.ok()) << src.error().message;
  Event ev;
  size_t n = 0;
  while (true) {
    auto st = (*src)->next(ev, 0);
    ASSERT_TRUE(st.ok()) << st.error().message;
    if (*st == NextStatus::kEnd) break;
    ++n;
    defaults().evaluate(ev, [&](const Rule& r, const Alert& a) {
      ADD_FAILURE() << file << " event " << n << " raised '" << r.name << "': " << a.output;
    });
  }
  EXPECT_GE(n, min_events);
}

TEST(RuntimeDefaultRules, WebServerUnderLoadIsQuiet) {
  expect_quiet_workload("benign_webserver.jsonl", 150);
}

TEST(RuntimeDefaultRules, CompileJobInContainerIsQuiet) {
  expect_quiet_workload("benign_compile.jsonl", 250);
}

// evaluate() is const and keeps its scratch per thread: concurrent evaluation gives the same
// answers as a single thread.
TEST(RuntimeDefaultRules, ConcurrentEvaluationAgrees) {
  std::vector<Event> events;
  for (const char* f : {"default_rules.jsonl", "benign_webserver.jsonl"}) {
    auto src = ReplayEventSource::open(testdata(f));
    ASSERT_TRUE(src.ok());
    Event ev;
    while (true) {
      auto st = (*src)->next(ev, 0);
      ASSERT_TRUE(st.ok());
      if (*st == NextStatus::kEnd) break;
      events.push_back(ev);
    }
  }
  std::vector<std::string> expected;
  for (const auto& ev : events) {
    std::string s;
    defaults().evaluate(ev, [&](const Rule& r, const Alert& a) { s += r.name + a.output; });
    expected.push_back(s);
  }
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (size_t i = 0; i < events.size(); ++i) {
          std::string s;
          defaults().evaluate(events[i],
                              [&](const Rule& r, const Alert& a) { s += r.name + a.output; });
          if (s != expected[i]) mismatches[static_cast<size_t>(t)]++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

TEST(RuntimeDefaultRules, AlertCarriesFalcoFields) {
  std::ifstream in(testdata("default_rules.jsonl"));
  std::string line;
  while (std::getline(in, line) && line != "# match: Reverse shell") {
  }
  ASSERT_TRUE(std::getline(in, line));
  Event ev;
  ASSERT_TRUE(event_from_json(line, ev).ok());
  std::string json;
  defaults().evaluate(ev,
                      [&](const Rule&, const Alert& a) { json = alert_json_line(a, "node-1"); });
  auto j = nlohmann::json::parse(json);
  EXPECT_EQ(j["rule"], "Reverse shell");
  EXPECT_EQ(j["priority"], "Critical");
  EXPECT_EQ(j["source"], "syscall");
  EXPECT_EQ(j["hostname"], "node-1");
  EXPECT_EQ(j["output_fields"]["fd.name"], "10.1.2.3:40112->203.0.113.9:4444");
  EXPECT_EQ(j["output_fields"]["evt.arg.newfd"], "0");
  EXPECT_EQ(j["output_fields"]["container.id"], "3f2a9c1b7d4e");
  EXPECT_EQ(j["output_fields"]["container.image.repository"], "docker.io/library/nginx");
  EXPECT_EQ(j["output_fields"]["container.name"], "web");
  EXPECT_NE(std::string(j["output"]).find(": Critical Network socket redirected"),
            std::string::npos)
      << j["output"];
  EXPECT_TRUE(j["tags"].is_array());
  EXPECT_TRUE(std::string(j["time"]).ends_with("Z"));
}

}  // namespace
}  // namespace hivesec::runtime::rules
