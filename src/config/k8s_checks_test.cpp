// Unit tests of the Kubernetes manifest checks: the catalogue/registry contract, then a table
// of manifests, one positive (with the YAML path and line of the finding) and one compliant
// variant per check, built from a restricted-compliant Deployment that yields no finding.
#include "config/k8s_checks.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace hivesec::config {
namespace {

// A Deployment that passes every check (restricted profile, pinned image, resources, no token,
// a NetworkPolicy selecting it). Mutations replace one of its lines.
const std::string kBase = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: app
          image: registry.example.com/web:1.4.2@sha256:4b1f0c1b2c4b1f0c1b2c4b1f0c1b2c4b1f0c1b2c4b1f0c1b2c4b1f0c1b2c4b1f
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: prod}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
)";

// kBase with `from` (a whole line or part of one) replaced; fails the test when absent.
std::string with(const std::string& from, const std::string& to, std::string base = kBase) {
  auto at = base.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) base.replace(at, from.size(), to);
  return base;
}

const std::string kCsc = "            capabilities: {drop: [ALL]}\n";     // container securityContext line
const std::string kPod = "      automountServiceAccountToken: false\n";  // pod spec line
const std::string kPodSc = "        seccompProfile: {type: RuntimeDefault}\n";
const std::string kRes = "          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}\n";
const std::string kImage = "          image: registry.example.com/web:1.4.2@sha256:4b1f0c1b2c4b1f0c1b2c4b1f0c1b2c4b1f0c1b2c4b1f0c1b2c4b1f0c1b2c4b1f\n";
const std::string kC = "spec.template.spec.containers[0].";

ManifestSet parse(const std::string& yaml, const std::string& file = "t.yaml") {
  ManifestSet set;
  auto st = add_manifests(set, file, yaml);
  EXPECT_TRUE(st.ok()) << st.error().message;
  return set;
}

std::vector<model::Finding> run(const std::string& yaml, const K8sCheckOptions& o = {}) {
  ManifestSet set = parse(yaml);
  EXPECT_TRUE(set.errors.empty()) << set.errors.front().message;
  auto r = evaluate_manifests(set, o);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? k8s_findings(std::move(*r)) : std::vector<model::Finding>{};
}

std::vector<model::Finding> of(const std::vector<model::Finding>& all, const std::string& id) {
  std::vector<model::Finding> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const auto& f) { return f.rule_id == id; });
  return out;
}

int line_containing(const std::string& text, const std::string& needle) {
  auto at = text.find(needle);
  if (at == std::string::npos) return -1;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

std::string path_of(const model::Finding& f) {
  auto it = f.evidence.extra.find("yaml_path");
  return it == f.evidence.extra.end() ? "" : it->second;
}

// ---------------------------------------------------------------- catalogue

TEST(K8sCatalogue, BundledCatalogueMatchesTheCode) {
  auto cat = builtin_k8s_catalogue();
  ASSERT_TRUE(cat.ok()) << cat.error().message;
  EXPECT_EQ((*cat)->all().size(), k8s_checks().size());
  for (const auto& m : (*cat)->all()) {
    EXPECT_TRUE(m.id.starts_with("HS-K8S-")) << m.id;
    EXPECT_FALSE(m.description.empty()) << m.id;
    EXPECT_FALSE(m.remediation.empty()) << m.id;
    EXPECT_TRUE(!m.pss_level.empty() || !m.nsa.empty() || !m.cis.empty()) << m.id << " maps to no standard";
  }
  model::Finding f = (*cat)->finding("HS-K8S-007");
  EXPECT_EQ(f.aliases, (std::vector<std::string>{"CIS-K8S-5.2.10"}));
  EXPECT_EQ(f.evidence.extra["pss"], "restricted: Capabilities (v1.22+)");
}

TEST(K8sCatalogue, MissingCodeOrEntryIsAnError) {
  auto cat = K8sCatalogue::parse(
      "checks:\n  - {id: HS-K8S-001, title: t, severity: high, description: d, remediation: r}\n", "x.yaml");
  ASSERT_TRUE(cat.ok()) << cat.error().message;
  auto st = verify_k8s_registry(*cat);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("HS-K8S-002"), std::string::npos) << st.error().message;
  auto extra = K8sCatalogue::parse(
      "checks:\n  - {id: HS-K8S-999, title: t, severity: high, description: d, remediation: r}\n", "x.yaml");
  ASSERT_TRUE(extra.ok());
  EXPECT_FALSE(verify_k8s_registry(*extra).ok());
  auto bad = K8sCatalogue::parse("checks:\n  - {id: X, title: t, severity: high, description: d, remediation: r, "
                                 "pss: {level: strict, control: c}}\n", "x.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("pss level"), std::string::npos);
  EXPECT_FALSE(K8sCatalogue::parse("checks: [{id: X}]", "x.yaml").ok());
}

TEST(K8sChecks, CompliantDeploymentHasNoFindings) {
  auto all = run(kBase);
  for (const auto& f : all) ADD_FAILURE() << f.rule_id << " " << f.title << " at " << path_of(f);
}

// ---------------------------------------------------------------- the table

struct Case {
  const char* id;
  std::string positive;
  std::string path;       // yaml_path of the (first) finding
  std::string line_text;  // the finding's line contains this ("" to skip)
  std::string negative;   // a close variant the check accepts
  std::string container = "app";  // "" when the finding is about the object
};

std::vector<Case> cases() {
  const std::string sa_off =
      "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app, namespace: prod}\n"
      "automountServiceAccountToken: false\n";
  const std::string role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: prod}\nrules:\n";
  const std::string binding =
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\n"
      "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ROLE}\n"
      "subjects:\n  - {kind: KIND, name: SUBJECT}\n";
  auto bind = [&](std::string role_name, std::string kind, std::string subject) {
    std::string b = binding;
    b.replace(b.find("ROLE"), 4, role_name);
    b.replace(b.find("KIND"), 4, kind);
    b.replace(b.find("SUBJECT"), 7, subject);
    return b;
  };
  return {
      {"HS-K8S-001", with(kCsc, kCsc + "            privileged: true\n"), kC + "securityContext.privileged",
       "privileged: true", with(kCsc, kCsc + "            privileged: false\n")},
      {"HS-K8S-002", with(kPod, kPod + "      hostPID: true\n"), "spec.template.spec.hostPID", "hostPID",
       with(kPod, kPod + "      hostPID: false\n"), ""},
      {"HS-K8S-003", with(kPod, kPod + "      hostIPC: true\n"), "spec.template.spec.hostIPC", "hostIPC",
       with(kPod, kPod + "      hostIPC: false\n"), ""},
      {"HS-K8S-004", with(kPod, kPod + "      hostNetwork: true\n"), "spec.template.spec.hostNetwork", "hostNetwork",
       with(kPod, kPod + "      hostNetwork: false\n"), ""},
      {"HS-K8S-005", with(kPod, kPod + "      volumes:\n        - name: sock\n          hostPath: {path: /var/run/docker.sock}\n"),
       "spec.template.spec.volumes[0].hostPath.path", "hostPath",
       with(kPod, kPod + "      volumes:\n        - name: tmp\n          emptyDir: {}\n"), ""},
      {"HS-K8S-006", with(kCsc, "            capabilities: {drop: [ALL], add: [SYS_ADMIN]}\n"),
       kC + "securityContext.capabilities.add[0]", "SYS_ADMIN",
       with(kCsc, "            capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}\n")},
      {"HS-K8S-007", with(kCsc, "            capabilities: {drop: [NET_RAW]}\n"), kC + "securityContext.capabilities.drop",
       "NET_RAW", with(kCsc, "            capabilities: {drop: [all], add: [CAP_NET_BIND_SERVICE]}\n")},
      {"HS-K8S-007", with(kCsc, "            capabilities: {drop: [ALL], add: [CHOWN]}\n"),
       kC + "securityContext.capabilities.add[0]", "CHOWN", kBase},
      {"HS-K8S-008", with("            allowPrivilegeEscalation: false\n", ""),
       kC + "securityContext.allowPrivilegeEscalation", "          securityContext:", kBase},
      {"HS-K8S-008", with("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true"),
       kC + "securityContext.allowPrivilegeEscalation", "allowPrivilegeEscalation: true", kBase},
      // Pod-level true inherited; a container-level value overrides it either way.
      {"HS-K8S-009", with("        runAsNonRoot: true\n", ""), kC + "securityContext.runAsNonRoot",
       "          securityContext:", with("        runAsNonRoot: true\n", "", with(kCsc, kCsc + "            runAsNonRoot: true\n"))},
      {"HS-K8S-009", with(kCsc, kCsc + "            runAsNonRoot: false\n"), kC + "securityContext.runAsNonRoot",
       "runAsNonRoot: false", kBase},
      {"HS-K8S-010", with(kPodSc, kPodSc + "        runAsUser: 0\n"), "spec.template.spec.securityContext.runAsUser",
       "runAsUser: 0", with(kPodSc, kPodSc + "        runAsUser: 0\n", with(kCsc, kCsc + "            runAsUser: 1000\n"))},
      {"HS-K8S-011", with("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"),
       kC + "securityContext.readOnlyRootFilesystem", "readOnlyRootFilesystem: false", kBase},
      // The deprecated pod annotation still counts as a profile.
      {"HS-K8S-012", with(kPodSc, ""), kC + "securityContext.seccompProfile", "          securityContext:",
       with(kPodSc, "", with("      labels: {app: web}\n",
                              "      labels: {app: web}\n      annotations: {seccomp.security.alpha.kubernetes.io/pod: runtime/default}\n"))},
      {"HS-K8S-013", with("{type: RuntimeDefault}", "{type: Unconfined}"),
       "spec.template.spec.securityContext.seccompProfile.type", "Unconfined", kBase, ""},
      {"HS-K8S-013",
       with("      labels: {app: web}\n",
            "      labels: {app: web}\n      annotations: {container.seccomp.security.alpha.kubernetes.io/app: unconfined}\n"),
       "spec.template.metadata.annotations.container.seccomp.security.alpha.kubernetes.io/app", "unconfined",
       with("      labels: {app: web}\n",
            "      labels: {app: web}\n      annotations: {container.seccomp.security.alpha.kubernetes.io/app: runtime/default}\n")},
      {"HS-K8S-014", with(kCsc, kCsc + "            appArmorProfile: {type: Unconfined}\n"),
       kC + "securityContext.appArmorProfile.type", "Unconfined",
       with(kCsc, kCsc + "            appArmorProfile: {type: RuntimeDefault}\n")},
      {"HS-K8S-014",
       with("      labels: {app: web}\n",
            "      labels: {app: web}\n      annotations:\n        container.apparmor.security.beta.kubernetes.io/app: unconfined\n"),
       "spec.template.metadata.annotations.container.apparmor.security.beta.kubernetes.io/app", "apparmor",
       with("      labels: {app: web}\n",
            "      labels: {app: web}\n      annotations:\n        container.apparmor.security.beta.kubernetes.io/app: runtime/default\n")},
      {"HS-K8S-015", with(kCsc, kCsc + "            procMount: Unmasked\n"), kC + "securityContext.procMount", "Unmasked",
       with(kCsc, kCsc + "            procMount: Default\n")},
      {"HS-K8S-016", with(kPodSc, kPodSc + "        sysctls: [{name: kernel.msgmax, value: '65536'}]\n"),
       "spec.template.spec.securityContext.sysctls[0].name", "kernel.msgmax",
       with(kPodSc, kPodSc + "        sysctls: [{name: net.ipv4.tcp_syncookies, value: '1'}]\n"), ""},
      {"HS-K8S-017", with(kRes, ""), kC + "resources.requests.cpu", "- name: app",
       with(kRes, "          resources:\n            requests: {cpu: 1, memory: 1Gi}\n            limits: {cpu: 1, memory: 1Gi}\n")},
      {"HS-K8S-018", with(kImage, "          image: nginx\n"), kC + "image", "image: nginx",
       with(kImage, "          image: nginx:1.25.3@sha256:0000000000000000000000000000000000000000000000000000000000000000\n")},
      {"HS-K8S-018", with(kImage, "          image: docker.io/library/nginx:latest\n"), kC + "image", "nginx:latest", kBase},
      {"HS-K8S-019", with(kImage, "          image: localhost:5000/nginx:1.25.3\n"), kC + "image", "nginx:1.25.3",
       with(kImage, "          image: localhost:5000/nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000\n")},
      // A ServiceAccount in the set that disables mounting covers the pods using it.
      {"HS-K8S-020", with(kPod, "      serviceAccountName: app\n"), "spec.template.spec.automountServiceAccountToken",
       "spec:\n      serviceAccountName", with(kPod, "      serviceAccountName: app\n") + sa_off, ""},
      {"HS-K8S-021", with(kRes, kRes + "          ports: [{containerPort: 80, hostPort: 8080}]\n"),
       kC + "ports[0].hostPort", "hostPort: 8080", with(kRes, kRes + "          ports: [{containerPort: 80}]\n")},
      {"HS-K8S-022", with(kRes, kRes + "          env:\n            - {name: DB_PASSWORD, value: Zq8vLr2mXwTT}\n"),
       kC + "env[0].value", "Zq8vLr2mXwTT",
       with(kRes, kRes + "          env:\n            - name: DB_PASSWORD\n              valueFrom: {secretKeyRef: {name: db, key: pw}}\n"
                          "            - {name: DB_PASSWORD_FILE, value: /run/secrets/db}\n")},
      {"HS-K8S-023", with("  namespace: prod\n", "  namespace: default\n", with("namespace: prod}", "namespace: default}")),
       "metadata.namespace", "namespace: default", kBase, ""},
      {"HS-K8S-024", role + "  - {apiGroups: [''], resources: ['*'], verbs: [get]}\n", "rules[0].resources[0]", "'*'",
       role + "  - {apiGroups: [''], resources: [configmaps], verbs: [get]}\n", ""},
      {"HS-K8S-025", bind("cluster-admin", "User", "alice"), "roleRef.name", "cluster-admin", bind("view", "User", "alice"), ""},
      {"HS-K8S-026", role + "  - {apiGroups: [''], resources: [pods, pods/exec], verbs: [create]}\n", "rules[0].resources",
       "pods/exec", role + "  - {apiGroups: [''], resources: [pods/log], verbs: [get]}\n", ""},
      {"HS-K8S-027", role + "  - apiGroups: ['']\n    resources: [secrets]\n    verbs: [list]\n", "rules[0].resources",
       "resources: [secrets]", role + "  - {apiGroups: [''], resources: [secrets], verbs: [create]}\n", ""},
      {"HS-K8S-028", role + "  - {apiGroups: [apps], resources: [deployments], verbs: [create, get]}\n", "rules[0].verbs",
       "deployments", role + "  - {apiGroups: [''], resources: [deployments], verbs: [create]}\n", ""},
      {"HS-K8S-029", role + "  - {apiGroups: [''], resources: [serviceaccounts], verbs: [impersonate]}\n", "rules[0].verbs",
       "impersonate", role + "  - {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [get]}\n", ""},
      {"HS-K8S-030", kBase.substr(0, kBase.find("---")), "metadata.namespace", "namespace: prod", kBase, ""},
      {"HS-K8S-030", with("podSelector: {}", "podSelector: {matchLabels: {app: other}}"), "spec.template.metadata.labels",
       "labels: {app: web}",
       with("podSelector: {}", "podSelector: {matchExpressions: [{key: app, operator: In, values: [web, api]}]}"), ""},
      {"HS-K8S-031", bind("view", "Group", "system:masters"), "subjects[0].name", "system:masters",
       bind("view", "Group", "readers"), ""},
      // A pod on the default service account mounting its token; a default ServiceAccount
      // that disables mounting covers the pods of its namespace.
      {"HS-K8S-032", with(kPod, ""), "spec.template.spec.serviceAccountName", "    spec:",
       with(kPod, "") + "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: prod}\n"
                         "automountServiceAccountToken: false\n", ""},
      {"HS-K8S-032", bind("edit", "ServiceAccount", "default"), "subjects[0].name", "kind: ServiceAccount",
       bind("edit", "ServiceAccount", "deployer"), ""},
      {"HS-K8S-032", "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: prod}\n",
       "automountServiceAccountToken", "",
       "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: prod}\nautomountServiceAccountToken: false\n", ""},
      {"HS-K8S-033", role + "  - {apiGroups: [''], resources: [persistentvolumes], verbs: [get, create]}\n",
       "rules[0].resources", "persistentvolumes",
       role + "  - {apiGroups: [''], resources: [persistentvolumeclaims], verbs: [create]}\n", ""},
      {"HS-K8S-034", role + "  - {apiGroups: [''], resources: ['nodes/*'], verbs: [get]}\n", "rules[0].resources",
       "nodes/*", role + "  - {apiGroups: [''], resources: [nodes/metrics, nodes/stats], verbs: [get]}\n", ""},
      {"HS-K8S-035",
       role + "  - {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}\n",
       "rules[0].resources", "approval",
       role + "  - {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create, get]}\n", ""},
      {"HS-K8S-036",
       role + "  - {apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [patch]}\n",
       "rules[0].resources", "mutating",
       role + "  - {apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [get, list]}\n",
       ""},
      {"HS-K8S-037", role + "  - {apiGroups: ['*'], resources: [serviceaccounts/token], verbs: [create]}\n",
       "rules[0].resources", "serviceaccounts/token",
       role + "  - {apiGroups: [''], resources: [serviceaccounts], verbs: [create]}\n", ""},
      {"HS-K8S-038", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels: {team: a}\n", "metadata.labels",
       "labels", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels: {pod-security.kubernetes.io/enforce: restricted}\n", ""},
      {"HS-K8S-038", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n",
       "metadata.labels.pod-security.kubernetes.io/enforce", "privileged",
       "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n", ""},
      {"HS-K8S-039", with(kCsc, kCsc + "            windowsOptions: {hostProcess: true}\n"),
       kC + "securityContext.windowsOptions.hostProcess", "hostProcess",
       with(kCsc, kCsc + "            windowsOptions: {hostProcess: false}\n")},
      // Either the pod's or the container's securityContext is enough.
      {"HS-K8S-040",
       with("      securityContext:\n        runAsNonRoot: true\n" + kPodSc, "",
            with("          securityContext:\n            allowPrivilegeEscalation: false\n"
                 "            readOnlyRootFilesystem: true\n" + kCsc, "")),
       kC + "securityContext", "- name: app",
       with("          securityContext:\n            allowPrivilegeEscalation: false\n"
            "            readOnlyRootFilesystem: true\n" + kCsc, "")},
      {"HS-K8S-041", with(kCsc, "            capabilities: {drop: [CHOWN]}\n"), kC + "securityContext.capabilities.drop",
       "CHOWN", with(kCsc, "            capabilities: {drop: [net_raw]}\n")},
      {"HS-K8S-041", with(kCsc, "            capabilities: {drop: [ALL], add: [NET_RAW]}\n"),
       kC + "securityContext.capabilities.add[0]", "NET_RAW", kBase},
  };
}

TEST(K8sChecks, EachCheckPositiveAndCompliant) {
  std::set<std::string> covered;
  for (const Case& c : cases()) {
    SCOPED_TRACE(std::string(c.id) + " expecting " + c.path);
    covered.insert(c.id);
    auto found = of(run(c.positive), c.id);
    ASSERT_FALSE(found.empty()) << c.positive;
    const model::Finding& f = found.front();
    EXPECT_EQ(path_of(f), c.path);
    EXPECT_EQ(f.evidence.path, "t.yaml");
    EXPECT_EQ(f.kind, model::FindingKind::kMisconfig);
    EXPECT_FALSE(f.remediation.empty());
    if (!c.line_text.empty()) {
      EXPECT_EQ(f.evidence.line, line_containing(c.positive, c.line_text)) << f.title;
    }
    auto container = f.evidence.extra.find("container");
    if (c.container.empty()) {
      EXPECT_EQ(container, f.evidence.extra.end()) << f.title;
    } else {
      ASSERT_NE(container, f.evidence.extra.end()) << f.title;
      EXPECT_EQ(container->second, c.container);
      EXPECT_NE(f.title.find("container app of Deployment/prod/web"), std::string::npos) << f.title;
    }
    auto clean = of(run(c.negative), c.id);
    EXPECT_TRUE(clean.empty()) << "compliant variant flagged: " << (clean.empty() ? "" : clean.front().title)
                               << "\n" << c.negative;
  }
  for (const auto& [id, fn] : k8s_checks()) EXPECT_TRUE(covered.count(std::string(id))) << id << " has no test case";
}

// ---------------------------------------------------------------- details

TEST(K8sChecks, FindingIdentifiesDocumentObjectAndMasksSecrets) {
  std::string yaml = "# leading comment\n---\n" + kBase + "---\n" +
                     with(kRes, kRes + "          env: [{name: API_TOKEN, value: ghp_abcdefghijklmnop}]\n");
  auto found = of(run(yaml), "HS-K8S-022");
  ASSERT_EQ(found.size(), 1u);
  const auto& x = found[0].evidence.extra;
  EXPECT_EQ(x.at("document"), "2");
  EXPECT_EQ(x.at("document_line"), std::to_string(line_containing(yaml, "ghp_") - 22));
  EXPECT_EQ(x.at("object"), "Deployment/prod/web");
  EXPECT_EQ(x.at("kind"), "Deployment");
  EXPECT_EQ(x.at("namespace"), "prod");
  EXPECT_EQ(x.at("name"), "web");
  EXPECT_EQ(x.at("cis"), "5.4.1");
  EXPECT_EQ(found[0].evidence.match, "API_TOKEN=gh****");
  EXPECT_EQ(found[0].evidence.line, line_containing(yaml, "ghp_"));
  for (const auto& [k, v] : x) EXPECT_EQ(v.find("abcdefgh"), std::string::npos) << k;
  EXPECT_EQ(found[0].title.find("abcdefgh"), std::string::npos);
}

TEST(K8sChecks, HostPathSeverityFollowsThePath) {
  auto sev = [](const std::string& path) {
    auto f = of(run(with(kPod, kPod + "      volumes: [{name: v, hostPath: {path: '" + path + "'}}]\n")), "HS-K8S-005");
    return f.empty() ? "none" : std::string(model::severity_name(f[0].severity));
  };
  EXPECT_EQ(sev("/"), "critical");
  EXPECT_EQ(sev("/run/containerd/containerd.sock"), "critical");
  EXPECT_EQ(sev("/var/run/crio/crio.sock"), "critical");
  EXPECT_EQ(sev("/var/run"), "critical");  // contains the runtime sockets
  EXPECT_EQ(sev("/etc/ssl/../kubernetes"), "high");
  EXPECT_EQ(sev("/proc"), "high");
  EXPECT_EQ(sev("/var/lib/kubelet/pods"), "high");
  EXPECT_EQ(sev("/home/"), "high");
  EXPECT_EQ(sev("/data/app"), "medium");
  EXPECT_EQ(sev("/etcetera"), "medium");
}

TEST(K8sChecks, WorkloadKindsInitAndEphemeralContainers) {
  const std::string cron = R"(apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: jobs}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - {name: init, image: busybox:1.36, securityContext: {privileged: true}}
          containers:
            - {name: main, image: busybox:1.36}
          ephemeralContainers:
            - {name: debug, image: busybox:1.36, securityContext: {privileged: true}}
)";
  auto found = of(run(cron), "HS-K8S-001");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(path_of(found[0]), "spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.privileged");
  EXPECT_EQ(found[0].evidence.extra.at("container"), "init");
  EXPECT_EQ(path_of(found[1]), "spec.jobTemplate.spec.template.spec.ephemeralContainers[0].securityContext.privileged");
  // Ephemeral containers cannot have resources: not reported missing.
  for (const auto& f : of(run(cron), "HS-K8S-017")) EXPECT_NE(f.evidence.extra.at("container"), "debug");

  for (const char* kind : {"StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}) {
    std::string y = with("kind: Deployment", std::string("kind: ") + kind,
                         with(kCsc, kCsc + "            privileged: true\n"));
    auto f = of(run(y), "HS-K8S-001");
    ASSERT_EQ(f.size(), 1u) << kind;
    EXPECT_EQ(path_of(f[0]), kC + "securityContext.privileged") << kind;
  }
  auto pod = of(run("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n"
                    "  containers: [{name: c, image: x}]\n"),
                "HS-K8S-004");
  ASSERT_EQ(pod.size(), 1u);
  EXPECT_EQ(path_of(pod[0]), "spec.hostNetwork");
  EXPECT_EQ(pod[0].evidence.line, 5);
}

TEST(K8sChecks, ListItemsHaveTheirPath) {
  const std::string list = R"(apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: c, namespace: default}
  - apiVersion: v1
    kind: Pod
    metadata: {name: p, namespace: prod}
    spec:
      containers:
        - name: c
          image: nginx
          securityContext: {privileged: true}
)";
  auto all = run(list);
  auto priv = of(all, "HS-K8S-001");
  ASSERT_EQ(priv.size(), 1u);
  EXPECT_EQ(path_of(priv[0]), "items[1].spec.containers[0].securityContext.privileged");
  EXPECT_EQ(priv[0].evidence.line, 14);
  EXPECT_EQ(priv[0].evidence.extra.at("object"), "Pod/prod/p");
  auto def = of(all, "HS-K8S-023");
  ASSERT_EQ(def.size(), 1u);
  EXPECT_EQ(path_of(def[0]), "items[0].metadata.namespace");
}

TEST(K8sChecks, RbacWildcardRoleAndBindings) {
  const std::string yaml = R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: god}
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules:
  - {apiGroups: [""], resources: [pods, services], verbs: [get, list, watch]}
  - {apiGroups: [""], resources: [secrets], resourceNames: [app-config], verbs: [get]}
)";
  auto all = run(yaml);
  for (const char* id : {"HS-K8S-024", "HS-K8S-026", "HS-K8S-028", "HS-K8S-029"}) {
    auto f = of(all, id);
    ASSERT_EQ(f.size(), 1u) << id;
    EXPECT_EQ(f[0].evidence.extra.at("object"), "ClusterRole/god") << id;
  }
  EXPECT_EQ(path_of(of(all, "HS-K8S-024")[0]), "rules[0].apiGroups[0]");
  EXPECT_NE(of(all, "HS-K8S-024")[0].title.find("apiGroups, resources, verbs"), std::string::npos);
  auto secrets = of(all, "HS-K8S-027");
  ASSERT_EQ(secrets.size(), 2u);
  EXPECT_EQ(secrets[0].severity, model::Severity::kHigh);    // wildcard
  EXPECT_EQ(secrets[1].severity, model::Severity::kMedium);  // one named secret, get only
  EXPECT_EQ(path_of(secrets[1]), "rules[1].resources");
}

TEST(K8sChecks, NamespacesFromNamespaceObjectsAndMetadata) {
  const std::string yaml = R"(apiVersion: v1
kind: Namespace
metadata: {name: empty}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: other}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: guarded}
spec: {podSelector: {}}
---
apiVersion: v1
kind: Namespace
metadata: {name: guarded}
)";
  auto found = of(run(yaml), "HS-K8S-030");
  std::vector<std::string> ns;
  for (const auto& f : found) ns.push_back(f.evidence.extra.at("namespace") + "@" + path_of(f));
  std::sort(ns.begin(), ns.end());
  EXPECT_EQ(ns, (std::vector<std::string>{"empty@metadata.name", "other@metadata.namespace"}));
}

TEST(K8sChecks, StandardAndSkipSelectChecks) {
  std::string y = with(kCsc, kCsc + "            privileged: true\n", with("        runAsNonRoot: true\n", ""));
  auto ids = [&](const K8sCheckOptions& o) {
    std::set<std::string> out;
    for (const auto& f : run(y, o)) out.insert(f.rule_id);
    return out;
  };
  K8sCheckOptions baseline;
  baseline.standard = K8sStandard::kBaseline;
  EXPECT_EQ(ids(baseline), (std::set<std::string>{"HS-K8S-001"}));
  K8sCheckOptions restricted;
  restricted.standard = K8sStandard::kRestricted;
  EXPECT_EQ(ids(restricted), (std::set<std::string>{"HS-K8S-001", "HS-K8S-009"}));
  K8sCheckOptions skip;
  skip.skip = {"HS-K8S-001"};
  EXPECT_EQ(ids(skip), (std::set<std::string>{"HS-K8S-009"}));
  auto results = evaluate_manifests(parse(y), restricted);
  ASSERT_TRUE(results.ok());
  for (const auto& r : *results) {
    EXPECT_TRUE(r.meta->pss_level == "baseline" || r.meta->pss_level == "restricted") << r.meta->id;
    EXPECT_NE(r.meta->id, "HS-K8S-025");  // RBAC is not part of the Pod Security Standards
    if (r.meta->id == "HS-K8S-001") {
      EXPECT_EQ(r.evaluated, 1u);
      EXPECT_FALSE(r.passed());
    }
    if (r.meta->id == "HS-K8S-002") {
      EXPECT_TRUE(r.applicable() && r.passed());
    }
  }
  EXPECT_FALSE(parse_k8s_standard("pci").ok());
}

}  // namespace
}  // namespace hivesec::config
