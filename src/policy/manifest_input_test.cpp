// Tests of `bench kubernetes --target policies`: reading --manifests input (files, directories,
// stdin, unreadable documents), the k8s_manifests collector's facts, and the policies check
// file run end to end by the engine on real manifests.
#include "policy/manifest_input.h"

#include <gtest/gtest.h>

#include <sstream>

#include "policy/collector.h"
#include "policy/test_util.h"

namespace hivesec::policy {
namespace {

const char* kPrivileged = R"(apiVersion: v1
kind: Pod
metadata: {name: p, namespace: prod}
spec:
  containers:
    - name: app
      image: nginx:1.25
      securityContext: {privileged: true}
)";

const char* kRole = R"(apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: prod}
rules:
  - {apiGroups: [''], resources: [configmaps], verbs: [get]}
)";

Result<ManifestInput> load(const std::vector<std::string>& paths, const std::string& stdin_text = "") {
  std::istringstream in(stdin_text);
  return load_manifest_input(paths, in);
}

TEST(ManifestInputTest, FilesDirectoriesAndStdin) {
  testing::TempTree t;
  t.write("/dir/a/pod.yaml", kPrivileged);
  t.write("/dir/b/role.yml", kRole);
  t.write("/dir/values.yaml", "replicas: 3\n");          // not Kubernetes: skipped in directories
  t.write("/dir/notes.txt", kRole);                      // not a manifest extension: skipped
  std::string named = t.write("/one.txt", kRole);        // named explicitly: read whatever its name
  auto in = load({t.root() + "/dir", named, "-"}, kPrivileged);
  ASSERT_TRUE(in.ok()) << in.error().message;
  EXPECT_EQ(in->files, 4u);
  ASSERT_EQ(in->set.objects.size(), 4u);
  EXPECT_EQ(in->set.objects.back().file, "-");
  EXPECT_EQ(in->unreadable(), 0u);
  const config::K8sCheckResult* r = in->result("HS-K8S-001");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->evaluated, 2u);
  EXPECT_EQ(r->findings.size(), 2u);

  auto missing = load({t.root() + "/nope"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
}

TEST(ManifestInputTest, BrokenDocumentsAndBinaryFilesBecomeNotes) {
  testing::TempTree t;
  std::string f = t.write("/m.yaml", std::string(kPrivileged) + "---\nkind: [broken\n");
  std::string bin = t.write("/b.yaml", std::string("apiVersion: v1\nkind: Pod\n\0\1", 28));
  auto in = load({f, bin});
  ASSERT_TRUE(in.ok()) << in.error().message;
  EXPECT_EQ(in->set.objects.size(), 1u);
  EXPECT_EQ(in->unreadable(), 2u);
  auto notes = in->notes();
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_NE(notes[0].find("b.yaml: not read"), std::string::npos) << notes[0];
  EXPECT_NE(notes[1].find("m.yaml:10: document 1 not read"), std::string::npos) << notes[1];
}

// The collector over real input: offenders listed with file, line and YAML path; nothing
// applicable is kMissing; unreadable documents make the fact incomplete.
TEST(K8sManifestsCollectorTest, FactsFromTheManifestChecks) {
  testing::Regs regs;
  const Collector* c = regs.collectors.find("k8s_manifests");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->validate({}).ok());
  EXPECT_FALSE(c->validate({{"check", "HS-K8S-999"}}).ok());
  EXPECT_FALSE(c->validate({{"check", "HS-K8S-001"}, {"path", "/x"}}).ok());
  EXPECT_TRUE(c->validate({{"check", "HS-K8S-009, HS-K8S-010"}}).ok());

  HostOptions none;
  Host bare(none);
  EXPECT_EQ(c->collect({{"check", "HS-K8S-001"}}, bare).state, FactState::kMissing);

  testing::TempTree t;
  std::string f = t.write("/m.yaml", kPrivileged);
  auto in = load({f});
  ASSERT_TRUE(in.ok());
  HostOptions ho;
  ho.manifests = std::make_shared<const ManifestInput>(std::move(in).value());
  Host host(ho);
  Fact priv = c->collect({{"check", "HS-K8S-001"}}, host);
  ASSERT_EQ(priv.state, FactState::kOk) << priv.reason;
  EXPECT_EQ(priv.value["offending"], 1);
  ASSERT_EQ(priv.details.size(), 1u);
  EXPECT_NE(priv.details[0].find("Pod/prod/p (" + f + ":8 spec.containers[0].securityContext.privileged)"),
            std::string::npos)
      << priv.details[0];
  Fact pid = c->collect({{"check", "HS-K8S-002,HS-K8S-003"}}, host);
  ASSERT_EQ(pid.state, FactState::kOk);
  EXPECT_EQ(pid.value["evaluated"], 2);
  EXPECT_TRUE(pid.value["objects"].empty());
  EXPECT_FALSE(pid.incomplete);
  Fact rbac = c->collect({{"check", "HS-K8S-024"}}, host);
  EXPECT_EQ(rbac.state, FactState::kMissing);
  EXPECT_EQ(rbac.reason, "no applicable objects in the manifests");

  std::string broken = t.write("/broken.yaml", std::string(kPrivileged) + "---\n{oops\n");
  auto in2 = load({broken});
  ASSERT_TRUE(in2.ok());
  HostOptions ho2;
  ho2.manifests = std::make_shared<const ManifestInput>(std::move(in2).value());
  Host host2(ho2);
  Fact pid2 = c->collect({{"check", "HS-K8S-002"}}, host2);
  EXPECT_TRUE(pid2.incomplete);
  EXPECT_EQ(pid2.reason, "1 document could not be read");
  EXPECT_EQ(c->collect({{"check", "HS-K8S-024"}}, host2).state, FactState::kUnavailable);
}

std::map<std::string, Verdict> run_policies(const std::shared_ptr<const ManifestInput>& input) {
  testing::Regs regs;
  auto files = load_builtin_benchmark("kubernetes-policies", regs.reg());
  EXPECT_TRUE(files.ok()) << files.error().message;
  if (!files.ok()) return {};
  HostOptions ho;
  ho.manifests = input;
  Host host(ho);
  std::map<std::string, Verdict> out;
  for (const auto& r : run_checks(files->front().checks, host)) out[r.check.cis] = r.verdict;
  return out;
}

TEST(K8sPoliciesFileTest, EveryManifestFactIsInfoWhenMissingAndEveryCisNumberIsThere) {
  testing::Regs regs;
  auto files = load_builtin_benchmark("kubernetes-policies", regs.reg());
  ASSERT_TRUE(files.ok()) << files.error().message;
  std::set<std::string> cis;
  for (const auto& c : files->front().checks) {
    EXPECT_EQ(c.id, "K8S-" + c.cis);
    cis.insert(c.cis);
    for (const auto& f : c.facts) {
      if (f.collector->name() == "k8s_manifests") {
        EXPECT_EQ(f.if_missing, "info") << c.id;  // never a PASS
      }
    }
    if (c.type == CheckType::kAutomated) {
      EXPECT_FALSE(c.facts.empty()) << c.id;
    }
  }
  for (int i = 1; i <= 13; ++i) EXPECT_TRUE(cis.count("5.1." + std::to_string(i))) << i;
  for (int i = 1; i <= 13; ++i) EXPECT_TRUE(cis.count("5.2." + std::to_string(i))) << i;
  for (const char* n : {"5.3.1", "5.3.2", "5.4.1", "5.4.2", "5.5.1", "5.7.1", "5.7.2", "5.7.3", "5.7.4"})
    EXPECT_TRUE(cis.count(n)) << n;
  EXPECT_EQ(cis.size(), 35u);

  auto none = run_policies(nullptr);  // no --manifests: nothing passes or fails
  for (const auto& [n, v] : none) EXPECT_EQ(v, Verdict::kInfo) << n;
}

TEST(K8sPoliciesFileTest, VerdictsOnManifests) {
  testing::TempTree t;
  std::string f = t.write("/m.yaml", std::string(kPrivileged) + "---\n" + kRole);
  auto in = load({f});
  ASSERT_TRUE(in.ok());
  auto v = run_policies(std::make_shared<const ManifestInput>(std::move(in).value()));
  EXPECT_EQ(v["5.2.2"], Verdict::kFail);
  EXPECT_EQ(v["5.2.3"], Verdict::kPass);
  EXPECT_EQ(v["5.1.3"], Verdict::kPass);
  EXPECT_EQ(v["5.1.1"], Verdict::kInfo);  // no bindings
  EXPECT_EQ(v["5.5.1"], Verdict::kInfo);  // guidance only
}

}  // namespace
}  // namespace hivesec::policy
