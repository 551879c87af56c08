#!/usr/bin/env bash
# bench_kubernetes_policies_test.sh — `hivesec bench kubernetes --target policies --manifests`:
# CIS Kubernetes Benchmark section 5 decided on manifests written here. A compliant set where
# every automated check PASSes; a weak set (cluster-admin binding, wildcard role, privileged
# pod with hostPID and a secret in env, a namespace without NetworkPolicy, the default
# namespace) where the listed checks FAIL with the object and YAML path; a broken document
# (a note, and no PASS: the passing checks become WARN); stdin; no --manifests (INFO); usage
# errors and --exit-code.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
require_hivesec
command -v jq >/dev/null || skip "jq missing"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

verdict() { jq -r --arg id "$2" '.results[] | select(.id == $id) | .verdict' "$1"; }
expect() {
  local file=$1 want=$2 bad="" id v
  shift 2
  for id in "$@"; do
    v=$(verdict "$file" "$id")
    [ "$v" = "$want" ] || bad+=" $id=$v($(jq -r --arg id "$id" '.results[] | select(.id == $id) | .reason' "$file" | head -c 160))"
  done
  [ -z "$bad" ] && pass "$file: $want: $*" || fail "$file: want $want:$bad"
}

# ---------------------------------------------------------------- a compliant set
mkdir -p good/app good/rbac
cat > good/app/namespace.yaml <<'Y'
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {pod-security.kubernetes.io/enforce: restricted}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
Y
cat > good/app/deploy.yml <<'Y'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: app
          image: registry.example.com/web:1.4.2
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}
Y
cat > good/rbac/roles.yaml <<'Y'
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules:
  - {apiGroups: [""], resources: [configmaps, pods], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
Y
echo "replicas: 3" > good/app/values.yaml  # not Kubernetes: ignored in directories

"$HIVESEC" bench kubernetes --target policies --manifests good -f json -o good.json --exit-code 3
rc=$?
[ "$rc" = 0 ] && pass "compliant set: exit 0 with --exit-code" || fail "compliant set: exit $rc"
AUTOMATED=$(jq -r '[.results[] | select(.type == "automated") | .id] | join(" ")' good.json)
# shellcheck disable=SC2086
expect good.json PASS $AUTOMATED
expect good.json INFO K8S-5.3.1 K8S-5.4.2 K8S-5.5.1 K8S-5.7.1
n=$(jq '.results | length' good.json)
[ "$n" = 35 ] && pass "35 section 5 recommendations" || fail "results: $n"
jq -e '.score.percent == 100 and (.notes // [] | length) == 0' good.json >/dev/null &&
  pass "compliant set: score 100, no notes" || fail "score: $(jq -c .score good.json)"

# ---------------------------------------------------------------- a weak set with a broken document
cat > weak.yaml <<'Y'
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: User, name: ops}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
---
apiVersion: v1
kind: Namespace
metadata: {name: payments}
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: default}
spec:
  hostPID: true
  containers:
    - name: shell
      image: busybox:1.36
      securityContext: {privileged: true}
      env:
        - {name: API_TOKEN, value: Zq8vLr2mXwTTk3p9}
---
kind: [this is not closed
Y
"$HIVESEC" bench kubernetes --target policies --manifests weak.yaml -f json -o weak.json --exit-code 3
rc=$?
[ "$rc" = 3 ] && pass "weak set: --exit-code 3" || fail "weak set: exit $rc"
expect weak.json FAIL K8S-5.1.1 K8S-5.1.3 K8S-5.2.2 K8S-5.2.3 K8S-5.3.2 K8S-5.4.1 K8S-5.7.4 K8S-5.1.5 K8S-5.2.1
# The wildcard ClusterRole grants everything: the narrower RBAC items fail too.
expect weak.json FAIL K8S-5.1.2 K8S-5.1.4 K8S-5.1.8 K8S-5.1.9 K8S-5.1.10 K8S-5.1.11 K8S-5.1.12 K8S-5.1.13
# Nothing offends in what could be read, but a document could not be: never a PASS.
expect weak.json WARN K8S-5.2.4 K8S-5.2.5 K8S-5.2.12 K8S-5.2.13
jq -e '[.results[] | select(.verdict == "PASS")] | length == 0' weak.json >/dev/null &&
  pass "weak set with a broken document: no PASS" || fail "PASS with a broken document"
jq -e '.results[] | select(.id == "K8S-5.2.4") | .reason | test("1 document could not be read")' weak.json >/dev/null &&
  pass "WARN says why" || fail "WARN reason: $(jq -r '.results[] | select(.id == "K8S-5.2.4") | .reason' weak.json)"
jq -e '.notes == ["weak.yaml:29: document 4 not read: end of sequence flow not found"]' weak.json >/dev/null &&
  pass "the broken document is a note" || fail "notes: $(jq -c .notes weak.json)"
jq -e '.results[] | select(.id == "K8S-5.2.2") | .details == ["Privileged container: container shell of Pod/default/debug (weak.yaml:25 spec.containers[0].securityContext.privileged)"]' weak.json >/dev/null &&
  pass "FAIL lists the object, file:line and YAML path" || fail "details: $(jq -c '.results[] | select(.id == "K8S-5.2.2") | .details' weak.json)"
jq -e '.results[] | select(.id == "K8S-5.3.2") | .details | any(test("Namespace payments has no NetworkPolicy"))' weak.json >/dev/null &&
  pass "5.3.2 names the namespace without NetworkPolicy" || fail "5.3.2: $(jq -c '.results[] | select(.id == "K8S-5.3.2")' weak.json)"
jq -e '.results[] | select(.id == "K8S-5.4.1") | (.details | tostring | contains("Zq8vLr2mXwTTk3p9") | not)' weak.json >/dev/null &&
  pass "the secret value is not in the report" || fail "secret value leaked"
for s in 5.1 5.2 5.3 5.4 5.5 5.7; do
  jq -e --arg s "$s" '[.sections[] | select(.section | startswith($s + " "))] | length == 1' weak.json >/dev/null ||
    fail "no section $s"
done
"$HIVESEC" bench kubernetes --target policies --manifests weak.yaml > weak.txt
grep -q "Notes:" weak.txt && grep -q -- "- Privileged container: container shell of Pod/default/debug" weak.txt &&
  pass "table: details and notes" || fail "table: $(head -c 600 weak.txt)"

# ---------------------------------------------------------------- stdin, mixing, no manifests
sed '/^kind: \[this/,$d' weak.yaml | sed '$d' | "$HIVESEC" bench kubernetes --manifests - -f json -o stdin.json
rc=$?
[ "$rc" = 0 ] && pass "stdin: exit 0 without --exit-code" || fail "stdin: exit $rc"
expect stdin.json FAIL K8S-5.2.2 K8S-5.1.1
expect stdin.json PASS K8S-5.2.4 K8S-5.2.12
jq -e '.results[] | select(.id == "K8S-5.2.2") | .details[0] | contains("(-:")' stdin.json >/dev/null &&
  pass "stdin objects are reported as -" || fail "stdin details: $(jq -c '.results[] | select(.id == "K8S-5.2.2") | .details' stdin.json)"

"$HIVESEC" bench kubernetes --target policies -f json -o none.json --exit-code 3
rc=$?
[ "$rc" = 0 ] && pass "no manifests: exit 0" || fail "no manifests: exit $rc"
jq -e '[.results[] | .verdict] | unique == ["INFO"]' none.json >/dev/null &&
  jq -e '.results[] | select(.id == "K8S-5.2.2") | .reason | test("no manifests given \\(use --manifests\\)")' none.json >/dev/null &&
  pass "no manifests: every check INFO 'no manifests given'" || fail "no manifests: $(jq -c '[.results[] | .verdict] | unique' none.json)"

# Only RBAC objects: the pod checks have nothing to look at.
sed -n '1,11p' weak.yaml > rbac.yaml
"$HIVESEC" bench kubernetes --target policies --manifests rbac.yaml -f json -o rbac.json
expect rbac.json INFO K8S-5.2.2 K8S-5.4.1
jq -e '.results[] | select(.id == "K8S-5.2.2") | .reason | test("no applicable objects in the manifests")' rbac.json >/dev/null &&
  pass "nothing applicable: INFO says so" || fail "reason: $(jq -r '.results[] | select(.id == "K8S-5.2.2") | .reason' rbac.json)"

# ---------------------------------------------------------------- usage errors
out=$("$HIVESEC" bench kubernetes --target policies --manifests "$T/nope" 2>&1)
rc=$?
[ "$rc" = 2 ] && [[ "$out" == *"nope: no such file or directory"* ]] && pass "missing path: exit 2" || fail "missing path: $rc $out"
out=$("$HIVESEC" bench kubernetes --target node --manifests weak.yaml 2>&1)
rc=$?
[ "$rc" = 2 ] && [[ "$out" == *"--target policies"* ]] && pass "--manifests without the policies target: exit 2" || fail "$rc $out"
"$HIVESEC" bench kubernetes --target policies --manifests weak.yaml -f junit -o weak.xml && grep -q "K8S-5.2.2" weak.xml &&
  pass "JUnit output" || fail "junit"

finish
