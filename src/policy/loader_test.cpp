#include "policy/loader.h"

#include <gtest/gtest.h>

#include "common/embedded.h"
#include "policy/test_util.h"

namespace hivesec::policy {
namespace {

using testing::Regs;

constexpr char kGood[] = R"(benchmark: demo
title: Demo
version: "1"
checks:
  - id: D-1
    title: shadow is private
    section: 1 Files
    cis: "6.1.3"
    level: 2
    severity: high
    facts:
      f: {collector: stat, path: /etc/shadow}
    test:
      all:
        - {fact: f, op: mode, value: "640"}
        - any:
            - {fact: f, op: owner, value: "root:root"}
            - not: {fact: f, op: owner, value: "nobody"}
    rationale: r
    remediation: chmod 640 /etc/shadow
  - id: D-2
    title: manual one
    section: 1 Files
    type: manual
    severity: low
    rationale: r
    remediation: look
)";

TEST(PolicyLoaderTest, ParsesChecksAndGroups) {
  Regs r;
  auto f = parse_check_file(kGood, "demo.yaml", r.reg());
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->benchmark, "demo");
  ASSERT_EQ(f->checks.size(), 2u);
  const Check& c = f->checks[0];
  EXPECT_EQ(c.id, "D-1");
  EXPECT_EQ(c.cis, "6.1.3");
  EXPECT_EQ(c.level, 2);
  EXPECT_EQ(c.severity, model::Severity::kHigh);
  EXPECT_TRUE(c.scored);
  EXPECT_EQ(c.origin, "demo.yaml:5");
  ASSERT_TRUE(c.test);
  EXPECT_EQ(c.test->kind, Expr::Kind::kAll);
  ASSERT_EQ(c.test->children.size(), 2u);
  EXPECT_EQ(c.test->children[1].kind, Expr::Kind::kAny);
  EXPECT_EQ(c.test->children[1].children[1].kind, Expr::Kind::kNot);
  EXPECT_EQ(c.facts[0].params["path"], "/etc/shadow");
  EXPECT_EQ(f->checks[1].type, CheckType::kManual);
  EXPECT_FALSE(f->checks[1].scored);
}

std::string error_of(const std::string& yaml) {
  Regs r;
  auto f = parse_check_file(yaml, "bad.yaml", r.reg());
  return f.ok() ? "" : f.error().message;
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  size_t p = s.find(from);
  EXPECT_NE(p, std::string::npos) << from;
  if (p != std::string::npos) s.replace(p, from.size(), to);
  return s;
}

TEST(PolicyLoaderTest, ErrorsNameFileLineAndReason) {
  std::string g = kGood;
  EXPECT_EQ(error_of(replace(g, "op: mode", "op: modee")).substr(0, 12), "bad.yaml:15:");
  EXPECT_NE(error_of(replace(g, "op: mode", "op: modee")).find("unknown operator 'modee'"),
            std::string::npos);
  EXPECT_NE(
      error_of(replace(g, "    rationale: r\n    remediation: chmod", "    remediation: chmod"))
          .find("bad.yaml:5: check D-1: missing field 'rationale'"),
      std::string::npos);
  EXPECT_NE(
      error_of(replace(g, "collector: stat", "collector: stats")).find("unknown collector 'stats'"),
      std::string::npos);
  EXPECT_NE(error_of(replace(g, "path: /etc/shadow", "path: etc/shadow"))
                .find("must be an absolute path"),
            std::string::npos);
  EXPECT_NE(error_of(replace(g, "{fact: f, op: mode", "{fact: g, op: mode"))
                .find("fact 'g' that is not declared"),
            std::string::npos);
  EXPECT_NE(error_of(replace(g, "value: \"640\"", "value: \"968\""))
                .find("operator mode: mode '968' is not octal"),
            std::string::npos);
  EXPECT_NE(error_of(replace(g, "severity: high", "severity: huge"))
                .find("bad.yaml:10: check D-1: severity"),
            std::string::npos);
  EXPECT_NE(error_of(replace(g, "level: 2", "levle: 2")).find("unknown field 'levle'"),
            std::string::npos);
  EXPECT_NE(error_of(replace(g, "id: D-2", "id: D-1")).find("duplicate check id D-1"),
            std::string::npos);
  EXPECT_NE(error_of(replace(g, "    type: manual\n", "")).find("missing field 'test'"),
            std::string::npos);
  // Broken YAML: the parser's line.
  std::string bad = error_of("checks:\n  - id: [unclosed\n    title: x\n");
  EXPECT_EQ(bad.substr(0, 9), "bad.yaml:") << bad;
  EXPECT_NE(bad.find("bad YAML"), std::string::npos) << bad;
  EXPECT_NE(error_of("just text").find("must be a map"), std::string::npos);
}

TEST(PolicyLoaderTest, ComposeBaselinesDisableOverrideSkip) {
  Regs r;
  auto base = parse_check_file(kGood, "demo.yaml", r.reg());
  ASSERT_TRUE(base.ok());
  auto custom = parse_check_file(R"(disable: [D-2]
checks:
  - id: D-1
    override: true
    title: shadow is very private
    section: 1 Files
    severity: critical
    facts: {f: {collector: stat, path: /etc/shadow}}
    test: {fact: f, op: mode, value: "600"}
    rationale: r
    remediation: chmod 600 /etc/shadow
  - id: MY-1
    title: mine
    section: 9 Site
    severity: low
    facts: {f: {collector: stat, path: /etc/motd}}
    test: {fact: f, op: set}
    rationale: r
    remediation: touch /etc/motd
)",
                                 "site.yaml", r.reg());
  ASSERT_TRUE(custom.ok()) << custom.error().message;
  auto checks = compose_checks({*base}, {*custom}, {});
  ASSERT_TRUE(checks.ok()) << checks.error().message;
  ASSERT_EQ(checks->size(), 2u);
  EXPECT_EQ((*checks)[0].id, "D-1");
  EXPECT_EQ((*checks)[0].severity, model::Severity::kCritical);
  EXPECT_EQ((*checks)[0].benchmark, "demo");
  EXPECT_EQ((*checks)[1].id, "MY-1");
  EXPECT_EQ((*checks)[1].benchmark, "custom");

  auto skipped = compose_checks({*base}, {}, {"D-1"});
  ASSERT_TRUE(skipped.ok());
  ASSERT_EQ(skipped->size(), 1u);
  EXPECT_EQ((*skipped)[0].id, "D-2");
  EXPECT_FALSE(compose_checks({*base}, {}, {"NOPE"}).ok());

  // Re-using an id without override is refused; overriding an unknown id too.
  auto clash = parse_check_file(replace(kGood, "benchmark: demo\n", ""), "clash.yaml", r.reg());
  ASSERT_TRUE(clash.ok());
  auto c = compose_checks({*base}, {*clash}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("override: true"), std::string::npos);
  auto lone = compose_checks({}, {*custom}, {});
  EXPECT_FALSE(lone.ok());
}

TEST(PolicyLoaderTest, EveryEmbeddedBenchmarkFileLoads) {
  Regs r;
  int files = 0;
  for (const auto& f : embedded_rule_files()) {
    if (!f.name.starts_with("benchmarks/")) continue;
    ++files;
    auto parsed = parse_check_file(f.content, f.name, r.reg());
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_FALSE(parsed->benchmark.empty()) << f.name;
    for (const auto& c : parsed->checks) {
      EXPECT_FALSE(c.remediation.empty()) << c.id;
      EXPECT_TRUE(c.test || c.type != CheckType::kAutomated) << c.id;  // info: guidance only
    }
  }
  EXPECT_GE(files, 1);
  const char* no_test = "checks:\n  - {id: A, title: t, section: s, severity: low, rationale: w, remediation: r, type: TYPE}\n";
  for (std::string type : {"automated", "manual", "info"}) {
    std::string yaml = no_test;
    yaml.replace(yaml.find("TYPE"), 4, type);
    EXPECT_EQ(parse_check_file(yaml, "x.yaml", r.reg()).ok(), type != "automated") << type;
  }
  auto host = load_builtin_benchmark("host", r.reg());
  ASSERT_TRUE(host.ok());
  EXPECT_GE(host->front().checks.size(), 50u);
  EXPECT_FALSE(load_builtin_benchmark("nope", r.reg()).ok());
}

}  // namespace
}  // namespace hivesec::policy
