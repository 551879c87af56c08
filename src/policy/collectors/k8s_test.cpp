// The Kubernetes node collectors (k8s_component, k8s_path, k8s_etcd_ca, file_perms) and their
// parsing helpers, against node trees written here (offline --root mode).
#include <gtest/gtest.h>
#include <unistd.h>

#include "policy/collector.h"
#include "policy/collectors/k8s_node.h"
#include "policy/test_util.h"

namespace hivesec::policy {
namespace {

using nlohmann::json;
using testing::TempTree;
namespace k8s = collectors::k8s;

TEST(K8sArgsTest, FlagFormsRepeatsAndNonFlags) {
  json f = k8s::parse_component_args({"--a=1", "--b", "two", "--c", "--d=x,y", "pos", "-e=3",
                                      "--a=2", "--a", "3", "--empty=", "--"});
  EXPECT_EQ(f["a"], json::array({"1", "2", "3"}));
  EXPECT_EQ(f["b"], "two");
  EXPECT_EQ(f["c"], "true");
  EXPECT_EQ(f["d"], "x,y");  // comma lists stay text
  EXPECT_EQ(f["e"], "3");
  EXPECT_EQ(f["empty"], "");
  EXPECT_FALSE(f.contains("pos"));
}

TEST(K8sArgsTest, ManifestCommandPicksTheNamedContainerAndReportsMalformedInput) {
  const char* pod = R"(apiVersion: v1
kind: Pod
spec:
  containers:
  - name: sidecar
    command: [sleep, "1"]
  - name: kube-apiserver
    command:
    - kube-apiserver
    - --profiling=false
    args: ["--authorization-mode", "Node,RBAC"]
)";
  auto cmd = k8s::manifest_command(pod, "kube-apiserver");
  ASSERT_TRUE(cmd.ok()) << cmd.error().message;
  EXPECT_EQ(*cmd, (std::vector<std::string>{"kube-apiserver", "--profiling=false",
                                            "--authorization-mode", "Node,RBAC"}));
  // Unknown container name: the first one.
  EXPECT_EQ(k8s::manifest_command(pod, "etcd")->front(), "sleep");
  auto bad = k8s::manifest_command("spec: {containers: [", "x");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("malformed YAML"), std::string::npos);
  EXPECT_FALSE(k8s::manifest_command("- a\n- b\n", "x").ok());
  EXPECT_FALSE(k8s::manifest_command("spec: {containers: []}", "x").ok());
  EXPECT_FALSE(k8s::manifest_command("spec: {containers: [{name: x}]}", "x").ok());
  EXPECT_FALSE(k8s::manifest_command("spec: {containers: [{command: {a: b}}]}", "x").ok());
}

TEST(K8sArgsTest, SystemdExpansion) {
  std::map<std::string, std::string> env = {{"A", "--x=1 --y=\"two words\""}, {"B", "b"}};
  auto args = k8s::expand_exec("-/usr/bin/kubelet $A ${B}c --z=${B} $MISSING", env);
  EXPECT_EQ(args, (std::vector<std::string>{"/usr/bin/kubelet", "--x=1", "--y=two words", "bc",
                                            "--z=b"}));
  auto envf = k8s::parse_env_file("# c\nKUBELET_KUBEADM_ARGS=\"--a=1 --b=2\"\nexport X='y'\nbad\n");
  EXPECT_EQ(envf["KUBELET_KUBEADM_ARGS"], "--a=1 --b=2");
  EXPECT_EQ(envf["X"], "y");
  EXPECT_EQ(envf.size(), 2u);
}

TEST(K8sArgsTest, KubeletSettingsPrecedenceAndDefaults) {
  json config = {{"authentication", {{"anonymous", {{"enabled", "true"}}}}},
                 {"readOnlyPort", "10255"},
                 {"featureGates", {{"A", "true"}, {"B", "true"}}}};
  json flags = {{"anonymous-auth", "false"}, {"feature-gates", "B=false,C=true"}};
  json s = k8s::kubelet_settings(flags, &config);
  EXPECT_EQ(s["settings"]["anonymous-auth"], "false");  // the flag wins over the file
  EXPECT_EQ(s["sources"]["anonymous-auth"], "flag --anonymous-auth");
  EXPECT_EQ(s["settings"]["read-only-port"], "10255");        // from the file
  EXPECT_EQ(s["settings"]["authorization-mode"], "Webhook");  // config-file default
  EXPECT_EQ(s["settings"]["feature-gates"], (json{{"A", "true"}, {"B", "false"}, {"C", "true"}}));
  EXPECT_FALSE(s["settings"].contains("client-ca-file"));
  json bare = k8s::kubelet_settings(json::object(), nullptr);  // no config file: flag defaults
  EXPECT_EQ(bare["settings"]["anonymous-auth"], "true");
  EXPECT_EQ(bare["settings"]["authorization-mode"], "AlwaysAllow");
  EXPECT_EQ(bare["settings"]["read-only-port"], "10255");
}

class K8sCollectorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(register_builtin_collectors(reg_).ok());
    tree_.write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\netcd:x:990:990::/:/bin/false\n");
    tree_.write("/etc/group", "root:x:0:\netcd:x:990:\n");
  }
  Fact collect(const char* name, const json& params) {
    const Collector* c = reg_.find(name);
    EXPECT_NE(c, nullptr) << name;
    auto st = c->validate(params);
    EXPECT_TRUE(st.ok()) << name << " " << params.dump() << ": "
                         << (st.ok() ? "" : st.error().message);
    Host host(tree_.offline());
    return c->collect(params, host);
  }
  CollectorRegistry reg_;
  TempTree tree_;
};

TEST_F(K8sCollectorsTest, ValidateRejectsBadParameters) {
  const Collector* c = reg_.find("k8s_component");
  EXPECT_FALSE(c->validate(json{{"component", "proxy"}}).ok());
  EXPECT_FALSE(c->validate(json{{"component", "etcd"}, {"view", "settings"}}).ok());
  EXPECT_FALSE(c->validate(json{{"component", "kubelet"}, {"manifest", "/x.yaml"}}).ok());
  EXPECT_FALSE(reg_.find("k8s_path")->validate(json{{"component", "etcd"}}).ok());
  EXPECT_FALSE(reg_.find("file_perms")->validate(json{{"dir", "/x"}}).ok());
  EXPECT_FALSE(reg_.find("file_perms")->validate(json{{"dir", "/x"}, {"mode", "9"}}).ok());
  EXPECT_FALSE(reg_.find("file_perms")
                   ->validate(json{{"paths", json::array({"rel"})}, {"mode", "600"}})
                   .ok());
}

TEST_F(K8sCollectorsTest, ControlPlaneFromTheManifestThenTheProcess) {
  Fact none = collect("k8s_component", {{"component", "apiserver"}});
  EXPECT_EQ(none.state, FactState::kMissing);
  EXPECT_NE(none.reason.find("component not found on this node"), std::string::npos) << none.reason;
  EXPECT_NE(none.reason.find("no /proc"), std::string::npos) << none.reason;

  tree_.write("/etc/kubernetes/manifests/kube-apiserver.yaml",
              "spec:\n  containers:\n  - name: kube-apiserver\n    command:\n    - kube-apiserver\n"
              "    - --profiling=false\n    - --enable-admission-plugins=NodeRestriction\n");
  Fact m = collect("k8s_component", {{"component", "apiserver"}});
  ASSERT_EQ(m.state, FactState::kOk) << m.reason;
  EXPECT_EQ(m.value["flags"]["profiling"], "false");
  EXPECT_EQ(m.value["source"], "manifest /etc/kubernetes/manifests/kube-apiserver.yaml");

  // A visible process is authoritative; the differences are listed as drift.
  const char raw[] = "kube-apiserver\0--profiling=true\0--audit-log-path=/a";
  std::string cmdline(raw, sizeof raw);
  tree_.write("/proc/4242/cmdline", cmdline);
  tree_.write("/proc/4242/comm", "kube-apiserver\n");
  Fact p = collect("k8s_component", {{"component", "apiserver"}});
  ASSERT_EQ(p.state, FactState::kOk) << p.reason;
  EXPECT_EQ(p.value["source"], "process 4242");
  EXPECT_EQ(p.value["flags"]["profiling"], "true");
  EXPECT_FALSE(p.value["flags"].contains("enable-admission-plugins"));
  EXPECT_EQ(p.value["manifest_flags"]["profiling"], "false");
  EXPECT_EQ(p.value["drift"],
            json::array({"enable-admission-plugins", "profiling", "audit-log-path"}));

  tree_.write("/etc/kubernetes/manifests/kube-apiserver.yaml", "spec: [unclosed\n");
  Fact bad = collect("k8s_component", {{"component", "apiserver"}});
  EXPECT_EQ(bad.state, FactState::kError);
  EXPECT_NE(bad.reason.find("malformed YAML"), std::string::npos) << bad.reason;
  // Presence does not parse: a malformed manifest still means the component is here.
  EXPECT_EQ(collect("k8s_component", {{"component", "apiserver"}, {"view", "presence"}}).state,
            FactState::kOk);
}

TEST_F(K8sCollectorsTest, KubeletFromSystemdUnitEnvFileAndConfig) {
  tree_.write("/usr/lib/systemd/system/kubelet.service", "[Service]\nExecStart=/usr/bin/kubelet\n");
  tree_.write("/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf",
              "[Service]\n"
              "Environment=\"KUBELET_KUBECONFIG_ARGS=--kubeconfig=/etc/kubernetes/kubelet.conf\"\n"
              "Environment=\"KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml\"\n"
              "EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env\n"
              "EnvironmentFile=-/etc/default/kubelet\n"
              "ExecStart=\n"
              "ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS \\\n"
              "  $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS\n");
  // A drop-in of the same name in /etc hides the /usr/lib one.
  tree_.write("/etc/systemd/system/kubelet.service.d/20-extra.conf",
              "[Service]\nEnvironment=\"KUBELET_EXTRA_ARGS=--read-only-port=10255\"\n");
  tree_.write("/var/lib/kubelet/kubeadm-flags.env",
              "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///run/containerd/"
              "containerd.sock --hostname-override=n1\"\n");
  tree_.write("/var/lib/kubelet/config.yaml",
              "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
              "authentication:\n  anonymous:\n    enabled: false\n  x509:\n"
              "    clientCAFile: /etc/kubernetes/pki/ca.crt\nreadOnlyPort: 0\n",
              0600);
  tree_.write("/etc/kubernetes/pki/ca.crt", "CA\n", 0644);
  Fact f = collect("k8s_component", {{"component", "kubelet"}, {"view", "settings"}});
  ASSERT_EQ(f.state, FactState::kOk) << f.reason;
  EXPECT_EQ(f.value["flags"]["kubeconfig"], "/etc/kubernetes/kubelet.conf");
  EXPECT_EQ(f.value["flags"]["hostname-override"], "n1");
  EXPECT_EQ(f.value["settings"]["anonymous-auth"], "false");
  EXPECT_EQ(f.value["settings"]["read-only-port"], "10255");  // the flag beats the file's 0
  EXPECT_EQ(f.value["settings_sources"]["read-only-port"], "flag --read-only-port");
  EXPECT_EQ(f.value["unit_files"].size(), 3u);

  Fact ca = collect("k8s_path", {{"component", "kubelet"}, {"setting", "client-ca-file"}});
  ASSERT_EQ(ca.state, FactState::kOk) << ca.reason;
  EXPECT_EQ(ca.value["path"], "/etc/kubernetes/pki/ca.crt");
  EXPECT_EQ(ca.value["mode_octal"], "0644");
  EXPECT_EQ(ca.value["from"], "config authentication.x509.clientCAFile");
  Fact kc = collect("k8s_path", {{"component", "kubelet"}, {"setting", "kubeconfig"}});
  EXPECT_EQ(kc.state, FactState::kMissing);
  EXPECT_NE(kc.reason.find("from --kubeconfig"), std::string::npos) << kc.reason;

  tree_.write("/var/lib/kubelet/config.yaml", "authentication: [\n");
  Fact bad = collect("k8s_component", {{"component", "kubelet"}, {"view", "settings"}});
  EXPECT_EQ(bad.state, FactState::kError);
  EXPECT_EQ(bad.source, "/var/lib/kubelet/config.yaml");
  // The command line alone does not depend on the config file.
  EXPECT_EQ(collect("k8s_path", {{"component", "kubelet"}, {"setting", "config"}}).state,
            FactState::kOk);
}

TEST_F(K8sCollectorsTest, FilePermsListsViolationsAndWalksDirectories) {
  tree_.write("/etc/kubernetes/pki/ca.crt", "c", 0644);
  tree_.write("/etc/kubernetes/pki/ca.key", "k", 0600);
  tree_.write("/etc/kubernetes/pki/etcd/peer.key", "k", 0640);
  Fact keys =
      collect("file_perms", {{"dir", "/etc/kubernetes/pki"}, {"match", "*.key"}, {"mode", "600"}});
  ASSERT_EQ(keys.state, FactState::kOk) << keys.reason;
  EXPECT_EQ(keys.value["checked"], 2);
  ASSERT_EQ(keys.value["violations"].size(), 1u);
  EXPECT_EQ(keys.value["violations"][0],
            "/etc/kubernetes/pki/etcd/peer.key: mode 0640 (want 600 or stricter)");
  Fact globbed =
      collect("file_perms",
              {{"paths", json::array({"/etc/kubernetes/pki/*.crt", "/etc/kubernetes/none.conf"})},
               {"mode", "600"}});
  ASSERT_EQ(globbed.state, FactState::kOk);
  EXPECT_EQ(globbed.value["checked"], 1);
  EXPECT_EQ(globbed.value["violations"].size(), 1u);
  if (geteuid() == 0) {
    ASSERT_EQ(::chown((tree_.root() + "/etc/kubernetes/pki/ca.key").c_str(), 990, 990), 0);
    Fact own = collect("file_perms", {{"dir", "/etc/kubernetes/pki"}, {"owner", "root:root"}});
    ASSERT_EQ(own.state, FactState::kOk);
    EXPECT_EQ(own.value["checked"], 5);  // pki, ca.crt, ca.key, etcd, etcd/peer.key
    ASSERT_EQ(own.value["violations"].size(), 1u);
    EXPECT_EQ(own.value["violations"][0],
              "/etc/kubernetes/pki/ca.key: owner etcd:etcd (want root:root)");
  }
  EXPECT_EQ(collect("file_perms", {{"dir", "/nowhere"}, {"mode", "600"}}).state,
            FactState::kMissing);
}

TEST_F(K8sCollectorsTest, EtcdCaComparedByContent) {
  tree_.write(
      "/etc/kubernetes/manifests/etcd.yaml",
      "spec: {containers: [{name: etcd, command: [etcd, --trusted-ca-file=/p/etcd-ca.crt]}]}");
  tree_.write("/etc/kubernetes/manifests/kube-apiserver.yaml",
              "spec: {containers: [{name: kube-apiserver, command: [kube-apiserver, "
              "--client-ca-file=/p/ca.crt]}]}");
  tree_.write("/p/etcd-ca.crt", "ONE\n");
  tree_.write("/p/ca.crt", "TWO\n");
  Fact f = collect("k8s_etcd_ca", json::object());
  ASSERT_EQ(f.state, FactState::kOk) << f.reason;
  EXPECT_EQ(f.value["same_content"], false);
  tree_.write("/p/ca.crt", "ONE\n");
  EXPECT_EQ(collect("k8s_etcd_ca", json::object()).value["same_content"], true);
}

TEST(K8sBenchmarkFilesTest, TargetsLoadWithIdsNamedAfterTheirCisNumber) {
  testing::Regs r;
  std::vector<CheckFile> all;
  for (const char* id : {"kubernetes-master", "kubernetes-etcd", "kubernetes-node"}) {
    auto files = load_builtin_benchmark(id, r.reg());
    ASSERT_TRUE(files.ok()) << id << ": " << files.error().message;
    for (auto& f : *files) all.push_back(std::move(f));
  }
  auto checks = compose_checks(std::move(all), {}, {});
  ASSERT_TRUE(checks.ok()) << checks.error().message;  // no id twice across the targets
  EXPECT_GE(checks->size(), 80u);
  for (const auto& c : *checks) EXPECT_EQ(c.id, "K8S-" + c.cis) << c.origin;
}

}  // namespace
}  // namespace hivesec::policy
