// Verdicts end to end: YAML checks loaded by the real loader, run against fixture trees.
#include "policy/engine.h"

#include <gtest/gtest.h>

#include <sstream>

#include "policy/report.h"
#include "policy/test_util.h"

namespace hivesec::policy {
namespace {

using testing::Regs;
using testing::TempTree;

constexpr char kChecks[] = R"(benchmark: t
checks:
  - id: T-JSON
    title: daemon.json disables icc
    section: A
    cis: "2.1"
    severity: high
    facts: {d: {collector: file, path: /etc/docker/daemon.json, format: json}}
    test: {fact: d, path: icc, op: eq, value: "false"}
    rationale: r
    remediation: set icc false
  - id: T-DEFS
    title: max days
    section: A
    severity: medium
    facts: {d: {collector: file, path: /etc/login.defs, format: keyvalue}}
    test: {fact: d, path: PASS_MAX_DAYS, op: lte, value: "365"}
    rationale: r
    remediation: fix
  - id: T-PRE
    title: only when sshd exists
    section: B
    severity: low
    facts: {s: {collector: file, path: /etc/ssh/sshd_config, format: sshd}}
    precondition: {fact: s, op: set}
    test: {fact: s, path: x11forwarding, op: eq, value: "no", default: "no"}
    rationale: r
    remediation: fix
  - id: T-MAN
    title: manual
    section: B
    type: manual
    severity: low
    rationale: r
    remediation: look
  - id: T-INFO
    title: kernel current
    section: B
    type: info
    severity: low
    facts: {k: {collector: kernel_release}}
    test: {fact: k, path: outdated, op: ne, value: "true"}
    rationale: r
    remediation: reboot
  - id: T-PROC
    title: process flags
    section: B
    severity: low
    facts: {p: {collector: process, name: kubelet}}
    test: {fact: p, path: flags.anonymous-auth, op: eq, value: "false"}
    rationale: r
    remediation: fix
  - id: T-MISS
    title: yama
    section: B
    severity: low
    facts: {y: {collector: sysctl, key: kernel.yama.ptrace_scope, if_missing: warn}}
    test: {fact: y, op: gte, value: "1"}
    rationale: r
    remediation: fix
  - id: T-WALK
    title: no world-writable
    section: B
    severity: low
    facts: {w: {collector: find_files, dirs: [/usr], match: world_writable, limit: "3"}}
    test: {fact: w, op: empty}
    rationale: r
    remediation: fix
)";

class PolicyEngineTest : public ::testing::Test {
 protected:
  std::map<std::string, CheckResult> run(const TempTree& t) {
    auto f = parse_check_file(kChecks, "t.yaml", regs_.reg());
    EXPECT_TRUE(f.ok()) << f.error().message;
    checks_ = f->checks;
    Host host(t.offline());
    std::map<std::string, CheckResult> out;
    results_ = run_checks(checks_, host);
    for (const auto& r : results_) out[r.check.id] = r;
    return out;
  }
  Regs regs_;
  std::vector<Check> checks_;
  std::vector<CheckResult> results_;
};

TEST_F(PolicyEngineTest, PassFailInfoWarn) {
  TempTree t;
  t.write("/etc/docker/daemon.json", R"({"icc": false})");
  t.write("/etc/login.defs", "PASS_MAX_DAYS 99999\n");
  t.write("/usr/x", "x");
  auto r = run(t);
  EXPECT_EQ(r["T-JSON"].verdict, Verdict::kPass) << r["T-JSON"].reason;
  EXPECT_EQ(r["T-DEFS"].verdict, Verdict::kFail);
  EXPECT_NE(r["T-DEFS"].reason.find("'99999' (want lte 365)"), std::string::npos)
      << r["T-DEFS"].reason;
  EXPECT_EQ(r["T-PRE"].verdict, Verdict::kInfo);
  EXPECT_NE(r["T-PRE"].reason.find("not applicable"), std::string::npos);
  EXPECT_NE(r["T-PRE"].reason.find("no such file"), std::string::npos) << r["T-PRE"].reason;
  EXPECT_EQ(r["T-MAN"].verdict, Verdict::kWarn);
  EXPECT_EQ(r["T-INFO"].verdict, Verdict::kPass);  // nothing installed: not outdated
  EXPECT_EQ(r["T-PROC"].verdict, Verdict::kWarn);  // no proc under the root: cannot decide
  EXPECT_NE(r["T-PROC"].reason.find("no /proc"), std::string::npos);
  EXPECT_EQ(r["T-MISS"].verdict, Verdict::kWarn);
  EXPECT_EQ(r["T-WALK"].verdict, Verdict::kPass);

  t.write("/etc/ssh/sshd_config", "X11Forwarding yes\n");
  t.write("/proc/sys/kernel/osrelease", "5.1\n");
  t.write("/boot/vmlinuz-5.2", "k");
  t.write("/proc/9/cmdline", std::string("kubelet\0--anonymous-auth=true", 29));
  t.write("/proc/sys/kernel/yama/ptrace_scope", "1\n");
  for (int i = 0; i < 5; ++i) t.write("/usr/d/f" + std::to_string(i), "x");
  r = run(t);
  EXPECT_EQ(r["T-PRE"].verdict, Verdict::kFail);
  EXPECT_EQ(r["T-INFO"].verdict, Verdict::kInfo);
  EXPECT_EQ(r["T-PROC"].verdict, Verdict::kFail);
  EXPECT_EQ(r["T-MISS"].verdict, Verdict::kPass);
  EXPECT_EQ(r["T-WALK"].verdict, Verdict::kWarn);  // walk stopped early: no false PASS
  EXPECT_NE(r["T-WALK"].reason.find("incomplete"), std::string::npos);
}

TEST_F(PolicyEngineTest, MalformedOrUnreadableInputIsErrorNeverPass) {
  TempTree t;
  t.write("/etc/docker/daemon.json", R"({"icc": false,,})");
  t.mkdir("/etc/login.defs");
  auto r = run(t);
  EXPECT_EQ(r["T-JSON"].verdict, Verdict::kError);
  EXPECT_NE(r["T-JSON"].reason.find("malformed JSON"), std::string::npos) << r["T-JSON"].reason;
  EXPECT_NE(r["T-JSON"].reason.find("/etc/docker/daemon.json"), std::string::npos);
  EXPECT_EQ(r["T-DEFS"].verdict, Verdict::kError);
  EXPECT_NE(r["T-DEFS"].reason.find("directory"), std::string::npos);
  // A value of the wrong type for the operator is an error too.
  t.write("/etc/docker/daemon.json", R"({"icc": false})");
  std::filesystem::remove(t.root() + "/etc/login.defs");
  t.write("/etc/login.defs", "PASS_MAX_DAYS forever\n");
  r = run(t);
  EXPECT_EQ(r["T-DEFS"].verdict, Verdict::kError);
  EXPECT_NE(r["T-DEFS"].reason.find("'forever' is not a number"), std::string::npos)
      << r["T-DEFS"].reason;
  if (geteuid() != 0) {
    t.write("/etc/login.defs", "PASS_MAX_DAYS 1\n", 0000);
    r = run(t);
    EXPECT_EQ(r["T-DEFS"].verdict, Verdict::kWarn);
  }
}

TEST_F(PolicyEngineTest, ScoreSectionsFindingsAndWriters) {
  TempTree t;
  t.write("/etc/docker/daemon.json", R"({"icc": true})");
  t.write("/etc/login.defs", "PASS_MAX_DAYS 30\n");
  run(t);
  BenchReport rep;
  rep.benchmark = "t";
  rep.root = t.root();
  rep.live = false;
  rep.results = results_;
  auto secs = rep.sections();
  ASSERT_EQ(secs.size(), 2u);
  EXPECT_EQ(secs[0].section, "A");
  EXPECT_EQ(secs[0].pass, 1);
  EXPECT_EQ(secs[0].fail, 1);
  // Scored: T-JSON fail, T-DEFS pass, T-PRE info (n/a), T-PROC warn, T-MISS warn, T-WALK pass.
  EXPECT_EQ(rep.scored_passed(), 2);
  EXPECT_EQ(rep.scored_failed(), 1);
  EXPECT_NEAR(rep.score(), 66.67, 0.01);

  auto findings = to_findings(rep);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, "T-JSON");
  EXPECT_EQ(findings[0].kind, model::FindingKind::kMisconfig);
  EXPECT_EQ(findings[0].aliases, std::vector<std::string>{"CIS-T-2.1"});
  EXPECT_EQ(findings[0].severity, model::Severity::kHigh);
  EXPECT_EQ(findings[0].evidence.path, "/etc/docker/daemon.json");
  EXPECT_EQ(findings[0].remediation, "set icc false");

  BenchWriterRegistry writers;
  ASSERT_TRUE(register_builtin_bench_writers(writers).ok());
  std::ostringstream junit, json_out, sarif, table;
  ASSERT_TRUE(writers.find("junit")->write(rep, junit).ok());
  EXPECT_NE(junit.str().find("<failure message=\"d.icc is &#39;true&#39; (want eq false)\""),
            std::string::npos)
      << junit.str();
  EXPECT_NE(junit.str().find("tests=\"8\" failures=\"1\""), std::string::npos);
  ASSERT_TRUE(writers.find("json")->write(rep, json_out).ok());
  auto j = nlohmann::json::parse(json_out.str());
  EXPECT_EQ(j["score"]["percent"], 66.7);
  EXPECT_EQ(j["results"][0]["verdict"], "FAIL");
  ASSERT_TRUE(writers.find("sarif")->write(rep, sarif).ok());
  auto s = nlohmann::json::parse(sarif.str());
  EXPECT_EQ(s["runs"][0]["tool"]["driver"]["rules"].size(), 8u);
  EXPECT_EQ(s["runs"][0]["results"][0]["ruleId"], "T-JSON");
  EXPECT_EQ(s["runs"][0]["results"][0]["level"], "error");
  ASSERT_TRUE(writers.find("table")->write(rep, table).ok());
  EXPECT_NE(table.str().find("Score: 66.7% (2 of 3 scored checks passed)"), std::string::npos)
      << table.str();
}

// for_each: one result per element of a list fact (here a JSON file, so the test needs no
// engine), labelled by the element's `subject` path.
constexpr char kEach[] = R"(benchmark: t
x-each:
  items: &items {as: c, collector: file, path: /list.json, format: json, subject: name, if_empty: no running containers}
checks:
  - id: E-PRIV
    title: not privileged
    section: S
    cis: "5.5"
    severity: critical
    for_each: *items
    test: {fact: c, path: privileged, op: eq, value: "false"}
    rationale: r
    remediation: fix
  - id: E-PRE
    title: memory limited where a limit applies
    section: S
    severity: low
    for_each: *items
    facts: {engine: {collector: file, path: /engine.json, format: json}}
    precondition: {fact: c, path: kind, op: ne, value: sidecar}
    not_applicable: "{c.name} is a sidecar on {engine.product}"
    test: {fact: c, path: memory, op: gt, value: "0"}
    rationale: r
    remediation: fix
  - id: E-PLAIN
    title: a check without for_each in the same run
    section: T
    severity: low
    facts: {engine: {collector: file, path: /engine.json, format: json}}
    test: {fact: engine, path: product, op: eq, value: podman}
    rationale: r
    remediation: fix
)";

class PolicyForEachTest : public ::testing::Test {
 protected:
  std::vector<CheckResult> run(const std::string& list_json) {
    if (list_json.empty()) {
      std::filesystem::remove(tree_.root() + "/list.json");
    } else {
      tree_.write("/list.json", list_json);
    }
    tree_.write("/engine.json", R"({"product": "podman"})");
    auto f = parse_check_file(kEach, "each.yaml", regs_.reg());
    EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().message);
    if (!f.ok()) return {};
    Host host(tree_.offline());
    return run_checks(f->checks, host);
  }
  static std::vector<const CheckResult*> of(const std::vector<CheckResult>& rs,
                                            const std::string& id) {
    std::vector<const CheckResult*> out;
    for (const auto& r : rs) {
      if (r.check.id == id) out.push_back(&r);
    }
    return out;
  }
  Regs regs_;
  TempTree tree_;
};

TEST_F(PolicyForEachTest, OneResultPerSubjectWithItsOwnVerdict) {
  auto rs = run(R"J([
    {"name": "web (3f2a1b9c04de)", "privileged": false, "memory": 64},
    {"name": "db (77aa00bb11cc)", "privileged": true, "memory": 0},
    {"name": "proxy (1234567890ab)", "privileged": false, "memory": 0, "kind": "sidecar"},
    {"privileged": "false", "memory": 1}
  ])J");
  auto priv = of(rs, "E-PRIV");
  ASSERT_EQ(priv.size(), 4u);
  EXPECT_EQ(priv[0]->subject, "web (3f2a1b9c04de)");
  EXPECT_EQ(priv[0]->verdict, Verdict::kPass);
  EXPECT_EQ(priv[1]->subject, "db (77aa00bb11cc)");
  EXPECT_EQ(priv[1]->verdict, Verdict::kFail);
  EXPECT_NE(priv[1]->reason.find("c.privileged is 'true'"), std::string::npos) << priv[1]->reason;
  EXPECT_EQ(priv[2]->verdict, Verdict::kPass);
  EXPECT_EQ(priv[3]->subject, "#4");  // no name: its position
  EXPECT_EQ(priv[3]->verdict, Verdict::kPass);
  ASSERT_FALSE(priv[1]->evidence.empty());
  EXPECT_EQ(priv[1]->evidence[0].name, "c");
  EXPECT_EQ(priv[1]->evidence[0].value, "db (77aa00bb11cc)");

  // The precondition and not_applicable text are evaluated per subject.
  auto pre = of(rs, "E-PRE");
  ASSERT_EQ(pre.size(), 4u);
  EXPECT_EQ(pre[0]->verdict, Verdict::kPass);
  EXPECT_EQ(pre[1]->verdict, Verdict::kFail);
  EXPECT_EQ(pre[2]->verdict, Verdict::kInfo);
  EXPECT_EQ(pre[2]->reason, "not applicable: proxy (1234567890ab) is a sidecar on podman");

  auto plain = of(rs, "E-PLAIN");
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0]->subject, "");
  EXPECT_EQ(plain[0]->verdict, Verdict::kPass);

  // Every writer shows the subject; SARIF keeps one rule per check.
  BenchReport rep;
  rep.benchmark = "t";
  rep.root = "/";
  rep.results = rs;
  auto sections = rep.sections();
  ASSERT_EQ(sections.size(), 2u);
  EXPECT_EQ(sections[0].pass, 5);  // 3 E-PRIV + 2 E-PRE
  EXPECT_EQ(sections[0].fail, 2);
  EXPECT_EQ(sections[0].info, 1);
  BenchWriterRegistry writers;
  ASSERT_TRUE(register_builtin_bench_writers(writers).ok());
  std::ostringstream junit, json_out, sarif, table;
  ASSERT_TRUE(writers.find("json")->write(rep, json_out).ok());
  auto j = nlohmann::json::parse(json_out.str());
  EXPECT_EQ(j["results"][1]["subject"], "db (77aa00bb11cc)");
  EXPECT_EQ(j["results"][1]["verdict"], "FAIL");
  ASSERT_TRUE(writers.find("sarif")->write(rep, sarif).ok());
  auto sj = nlohmann::json::parse(sarif.str());
  EXPECT_EQ(sj["runs"][0]["tool"]["driver"]["rules"].size(), 3u);
  bool found = false;
  for (const auto& res : sj["runs"][0]["results"]) {
    if (res["ruleId"] == "E-PRIV") {
      found = true;
      EXPECT_EQ(res["ruleIndex"], 0);
      EXPECT_EQ(res["properties"]["subject"], "db (77aa00bb11cc)");
      EXPECT_EQ(res["locations"][0]["logicalLocations"][0]["name"], "db (77aa00bb11cc)");
    }
  }
  EXPECT_TRUE(found);
  ASSERT_TRUE(writers.find("junit")->write(rep, junit).ok());
  EXPECT_NE(junit.str().find("name=\"E-PRIV not privileged [db (77aa00bb11cc)]\""),
            std::string::npos)
      << junit.str();
  ASSERT_TRUE(writers.find("table")->write(rep, table).ok());
  EXPECT_NE(table.str().find("FAIL  E-PRIV           not privileged [db (77aa00bb11cc)]"),
            std::string::npos)
      << table.str();
}

TEST_F(PolicyForEachTest, EmptyMissingMalformedOrNotAList) {
  auto r1 = run("[]");
  auto empty = of(r1, "E-PRIV");
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0]->verdict, Verdict::kInfo);
  EXPECT_EQ(empty[0]->reason, "no running containers");
  EXPECT_EQ(empty[0]->subject, "");

  auto r2 = run("");  // no /list.json
  auto missing = of(r2, "E-PRIV");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0]->verdict, Verdict::kInfo);
  EXPECT_NE(missing[0]->reason.find("not applicable: c (/list.json)"), std::string::npos);

  auto r3 = run("[{\"privileged\": ");
  auto bad = of(r3, "E-PRIV");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0]->verdict, Verdict::kError);
  EXPECT_NE(bad[0]->reason.find("/list.json"), std::string::npos);

  auto r4 = run(R"({"privileged": false})");
  auto obj = of(r4, "E-PRIV");
  ASSERT_EQ(obj.size(), 1u);
  EXPECT_EQ(obj[0]->verdict, Verdict::kError);
  EXPECT_NE(obj[0]->reason.find("for_each needs a list"), std::string::npos);
}

TEST(PolicyForEachLoadTest, ForEachIsValidated) {
  Regs regs;
  auto bad = [&](const std::string& each, const std::string& test) {
    std::string y =
        "benchmark: t\nchecks:\n  - id: X\n    title: t\n    section: s\n"
        "    severity: low\n    for_each: " +
        each + "\n    test: " + test + "\n    rationale: r\n    remediation: f\n";
    auto f = parse_check_file(y, "x.yaml", regs.reg());
    return f.ok() ? std::string() : f.error().message;
  };
  EXPECT_EQ(bad("{as: c, collector: file, path: /x, format: json}", "{fact: c, op: set}"), "");
  EXPECT_NE(bad("{collector: file, path: /x}", "{fact: c, op: set}").find("missing field 'as'"),
            std::string::npos);
  EXPECT_NE(bad("{as: c, collector: nope}", "{fact: c, op: set}").find("unknown collector"),
            std::string::npos);
  EXPECT_NE(bad("{as: c, collector: file, path: /x}", "{fact: d, op: set}")
                .find("fact 'd' that is not declared"),
            std::string::npos);
  EXPECT_NE(bad("{as: c, collector: file, path: /x, if_missing: warn}", "{fact: c, op: set}")
                .find("'if_missing' is not allowed"),
            std::string::npos);
}

// A precondition decided by its own facts wins over an unreadable other fact: a Docker-only
// check on a Podman host is INFO, not ERROR.
TEST(PolicyPreconditionTest, DecidedPreconditionComesBeforeOtherFactErrors) {
  Regs regs;
  TempTree tree;
  tree.write("/engine.json", R"({"kind": "podman", "version": "4.3.1"})");
  tree.write("/etc/docker/daemon.json", "{ not json");
  constexpr char kYaml[] = R"(benchmark: t
checks:
  - id: P-1
    title: icc off
    section: S
    severity: low
    facts:
      engine: {collector: file, path: /engine.json, format: json}
      daemon: {collector: file, path: /etc/docker/daemon.json, format: json}
    precondition: {fact: engine, path: kind, op: eq, value: docker}
    not_applicable: engine is {engine.kind} {engine.version}
    test: {fact: daemon, path: icc, op: eq, value: "false"}
    rationale: r
    remediation: f
)";
  auto f = parse_check_file(kYaml, "p.yaml", regs.reg());
  ASSERT_TRUE(f.ok()) << f.error().message;
  Host host(tree.offline());
  auto r = run_check(f->checks[0], host);
  EXPECT_EQ(r.verdict, Verdict::kInfo);
  EXPECT_EQ(r.reason, "not applicable: engine is podman 4.3.1");
  // When the precondition holds, the malformed file is an ERROR with its reason.
  tree.write("/engine.json", R"({"kind": "docker", "version": "27.0"})");
  Host host2(tree.offline());
  auto r2 = run_check(f->checks[0], host2);
  EXPECT_EQ(r2.verdict, Verdict::kError);
  EXPECT_NE(r2.reason.find("/etc/docker/daemon.json"), std::string::npos) << r2.reason;
}

}  // namespace
}  // namespace hivesec::policy
