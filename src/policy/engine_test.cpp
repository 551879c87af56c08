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

}  // namespace
}  // namespace hivesec::policy
