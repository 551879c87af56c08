// Kubernetes manifest checks: one function per check id (metadata in rules/config/kubernetes.yaml,
// k8s_catalogue.h) over a ManifestSet (k8s_manifest.h). Pod templates of Pod, Deployment,
// StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate
// (containers, init and ephemeral containers), RBAC Roles/ClusterRoles and their bindings,
// NetworkPolicies, Namespaces and ServiceAccounts.
//
// evaluate_manifests() is the reusable entry point (config scan, `bench kubernetes`): it runs
// every selected check over the whole set and returns per-check results, so cross-object
// checks (namespaces without NetworkPolicy, ServiceAccounts that disable token mounting) see
// all files of a scan.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/k8s_catalogue.h"
#include "config/k8s_manifest.h"
#include "model/finding.h"

namespace hivesec::config {

// What one check did over a set: the subjects it applied to (containers, pods, rules,
// namespaces...; 0 = not applicable to this set) and one finding per failing subject.
struct K8sCheckResult {
  const K8sCheckMeta* meta = nullptr;  // points into the bundled catalogue
  size_t evaluated = 0;
  std::vector<model::Finding> findings;

  bool applicable() const { return evaluated > 0; }
  bool passed() const { return findings.empty(); }
};

struct K8sCheckOptions {
  K8sStandard standard = K8sStandard::kAll;  // checks outside the standard are not run
  std::set<std::string> skip;                // check ids not run
};

// Runs the selected checks in catalogue order. Each finding: kind misconfig, the check's id,
// severity (refined per finding where the catalogue says so), title naming the object and
// container, remediation, aliases CIS-K8S-*, evidence.path = the file, evidence.line = the
// line of the YAML path (or of its nearest present parent), evidence.extra: document (0-based
// index), document_line, object ("Kind/namespace/name"), kind, namespace, name, container (when
// the finding is about one), yaml_path ("spec.template.spec.containers[0].securityContext.
// privileged"), pss/nsa/cis mappings. Secret values are masked. Errors: only kInternal (the
// bundled catalogue and the code disagree). Thread-safe for distinct sets.
Result<std::vector<K8sCheckResult>> evaluate_manifests(const ManifestSet& set,
                                                       const K8sCheckOptions& options = {});

// The findings of every result, sorted by file, document, line, id.
std::vector<model::Finding> k8s_findings(std::vector<K8sCheckResult> results);

// Per-check state handed to a check function.
struct K8sEval {
  std::string_view id;
  const K8sCatalogue& catalogue;
  const ManifestSet& set;
  K8sCheckResult& result;
};
using K8sCheck = void (*)(K8sEval& e);

// The registry: check id -> function.
const std::map<std::string_view, K8sCheck>& k8s_checks();

}  // namespace hivesec::config
