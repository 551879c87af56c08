#!/usr/bin/env bash
# config_k8s_test.sh — `hivesec config scan` on Kubernetes manifests written here: a directory
# with a multi-document file (a Deployment with a privileged container and a literal secret, a
# broken document in the middle, a compliant Deployment after it), a CronJob, RBAC (wildcard
# ClusterRole, cluster-admin binding), a namespace with a NetworkPolicy and one without, a
# non-Kubernetes YAML file and node_modules (both ignored). Asserts ids with YAML paths and
# lines in JSON, the per-document warning for the broken document, SARIF locations (file +
# line, schema-valid), stdin input (`-`, as from `helm template`), --standard, --skip,
# --severity/--exit-code, and that secret values never reach a report.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/validate.sh"
require_hivesec
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

mkdir -p k8s/apps k8s/node_modules/chart .git
cat >k8s/apps/web.yaml <<'YAML'
# Source: web/templates/deployment.yaml
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: app
          image: nginx:latest
          securityContext:
            privileged: true
          env:
            - name: DB_PASSWORD
              value: Zq8vLr2mXwTT
---
apiVersion: v1
kind: ConfigMap
metadata: {name: broken, namespace: shop
data: {a: b}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    metadata: {labels: {app: api}}
    spec:
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: api
          image: registry.example.com/api:2.0.1@sha256:1111111111111111111111111111111111111111111111111111111111111111
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}
YAML
cat >k8s/apps/netpol.yml <<'YAML'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
YAML
cat >k8s/cron.yaml <<'YAML'
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: ops}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          hostPID: true
          volumes:
            - name: sock
              hostPath: {path: /var/run/docker.sock}
          containers:
            - name: backup
              image: busybox:1.36
YAML
cat >k8s/rbac.json <<'JSON'
{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "everything"},
   "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]},
  {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "ci-admin"},
   "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
   "subjects": [{"kind": "ServiceAccount", "name": "ci", "namespace": "ops"}]}
]}
JSON
printf 'services:\n  web:\n    image: nginx\n' >k8s/docker-compose.yml      # YAML, not Kubernetes
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {hostNetwork: true}\n' >k8s/node_modules/chart/pod.yaml
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {hostNetwork: true}\n' >.git/pod.yaml

# ---------------------------------------------------------------- directory, JSON
"$HIVESEC" config scan k8s -f json -o dir.json 2>dir.err
rc=$?
[ $rc = 0 ] && pass "directory scan exits 0" || fail "rc=$rc $(head -c 500 dir.err)"
has() { # has ID FILE LINE PATH: a finding with that id, file, line and yaml_path
  jq -e --arg id "$1" --arg f "$2" --argjson l "$3" --arg p "$4" \
    '[.findings[] | select(.id == $id and .evidence.path == $f and .evidence.line == $l and .evidence.extra.yaml_path == $p)] | length == 1' \
    dir.json >/dev/null
}
while read -r id file line path; do
  has "$id" "$file" "$line" "$path" && pass "$id at $file:$line $path" ||
    fail "$id $file:$line $path missing: $(jq -c --arg id "$id" '[.findings[] | select(.id == $id) | [.evidence.path, .evidence.line, .evidence.extra.yaml_path]]' dir.json)"
done <<'EOF_WANT'
HS-K8S-001 k8s/apps/web.yaml 17 spec.template.spec.containers[0].securityContext.privileged
HS-K8S-022 k8s/apps/web.yaml 20 spec.template.spec.containers[0].env[0].value
HS-K8S-018 k8s/apps/web.yaml 15 spec.template.spec.containers[0].image
HS-K8S-002 k8s/cron.yaml 10 spec.jobTemplate.spec.template.spec.hostPID
HS-K8S-005 k8s/cron.yaml 13 spec.jobTemplate.spec.template.spec.volumes[0].hostPath.path
HS-K8S-019 k8s/cron.yaml 16 spec.jobTemplate.spec.template.spec.containers[0].image
HS-K8S-024 k8s/rbac.json 3 items[0].rules[0].apiGroups[0]
HS-K8S-025 k8s/rbac.json 5 items[1].roleRef.name
HS-K8S-030 k8s/cron.yaml 3 metadata.namespace
EOF_WANT
jq -e '[.findings[] | select(.id == "HS-K8S-001")][0] | .kind == "misconfig" and .severity == "critical" and
  .evidence.extra.document == "0" and .evidence.extra.document_line == "3" and .evidence.extra.object == "Deployment/shop/web" and
  .evidence.extra.container == "app" and (.aliases | index("CIS-K8S-5.2.2")) != null and
  .evidence.extra.pss == "baseline: Privileged Containers" and (.remediation | test("privileged: false"))' dir.json >/dev/null &&
  pass "finding names document, object, container, standards and the fix" || fail "HS-K8S-001: $(jq -c '[.findings[] | select(.id == "HS-K8S-001")][0]' dir.json)"
jq -e '[.findings[] | select(.id == "HS-K8S-005")][0].severity == "critical"' dir.json >/dev/null &&
  pass "docker.sock hostPath is critical" || fail "hostPath severity"
# The compliant Deployment after the broken document is parsed (document index 2) and clean.
n_api="$(jq '[.findings[] | select(.evidence.extra.object == "Deployment/shop/api")] | length' dir.json)"
[ "$n_api" = 0 ] && pass "compliant Deployment after the broken document: no findings" || fail "api findings: $n_api"
grep -q "k8s/apps/web.yaml: document 1 (line 2[2-5])" dir.err && [ "$(grep -c 'document 1' dir.err)" = 1 ] &&
  jq -e '.notes | map(select(test("web.yaml: document 1"))) | length == 1' dir.json >/dev/null &&
  pass "broken document: one warning with file, document index and line; the rest scanned" ||
  fail "broken-document warning: $(cat dir.err)"
# Namespaces: shop has a NetworkPolicy selecting everything; ops has none.
got="$(jq -r '[.findings[] | select(.id == "HS-K8S-030") | .evidence.extra.namespace] | join(" ")' dir.json)"
[ "$got" = "ops" ] && pass "NetworkPolicy: only the namespace without one is reported" || fail "HS-K8S-030 namespaces [$got]"
got="$(jq -r '[.findings[].evidence.path] | unique | join(" ")' dir.json)"
[ "$got" = "k8s/apps/web.yaml k8s/cron.yaml k8s/rbac.json" ] &&
  pass "node_modules, .git and the compose file are not scanned" || fail "files [$got]"
if grep -q Zq8vLr2mXwTT dir.json dir.err; then fail "secret value in the report"; else pass "secret value masked"; fi

# ---------------------------------------------------------------- SARIF
"$HIVESEC" config scan k8s -f sarif -o dir.sarif 2>/dev/null
jq -e '[.runs[0].results[] | select(.ruleId == "HS-K8S-001")][0].locations[0].physicalLocation |
  .artifactLocation.uri == "k8s/apps/web.yaml" and .region.startLine == 17' dir.sarif >/dev/null &&
  pass "SARIF location: file and line" || fail "SARIF: $(jq -c '.runs[0].results[0].locations' dir.sarif)"
n_json="$(jq '.findings | length' dir.json)"
n_sarif="$(jq '.runs[0].results | length' dir.sarif)"
[ "$n_json" = "$n_sarif" ] && [ "$n_json" -gt 20 ] && pass "SARIF has every finding ($n_sarif)" || fail "json $n_json sarif $n_sarif"
if grep -q Zq8vLr2mXwTT dir.sarif; then fail "secret value in SARIF"; else pass "SARIF masks the secret"; fi
if validate_schema_available; then
  validate_schema sarif-2.1.0 dir.sarif && pass "SARIF validates against the 2.1.0 schema" || fail "SARIF invalid"
  validate_schema hivesec dir.json && pass "JSON report validates" || fail "JSON report invalid"
else
  echo "SKIP: schema validation (node or tools/node_modules missing)"
fi

# ---------------------------------------------------------------- stdin (helm template | hivesec config scan -)
cat k8s/cron.yaml k8s/apps/netpol.yml | sed '1s/^/---\n/' | "$HIVESEC" config scan - -f json -o stdin.json 2>stdin.err
rc=$?
got="$(jq -r '[.findings[] | select(.id == "HS-K8S-002") | "\(.evidence.path):\(.evidence.line)"] | join(" ")' stdin.json 2>/dev/null)"
[ $rc = 0 ] && [ "$got" = "-:11" ] && pass "stdin: findings with path - and the line in the stream" ||
  fail "stdin rc=$rc [$got] $(head -c 300 stdin.err)"
printf 'just: yaml\n' | "$HIVESEC" config scan - >/dev/null 2>nok.err
[ $? = 2 ] && grep -q "standard input: not a Kubernetes manifest" nok.err && pass "stdin without manifests: exit 2" ||
  fail "stdin non-k8s: $(cat nok.err)"

# ---------------------------------------------------------------- selection and gate
"$HIVESEC" config scan k8s --standard baseline -f json -o base.json 2>/dev/null
got="$(jq -r '[.findings[].id] | unique | join(" ")' base.json)"
[ "$got" = "HS-K8S-001 HS-K8S-002 HS-K8S-005" ] && pass "--standard baseline: Pod Security baseline checks only" ||
  fail "baseline ids [$got]"
"$HIVESEC" config scan k8s --standard cis --skip HS-K8S-001,HS-K8S-030 -f json -o cis.json 2>/dev/null
jq -e '(.findings | length) > 0 and all(.findings[]; (.aliases | map(startswith("CIS-K8S-")) | any) and .id != "HS-K8S-001" and .id != "HS-K8S-030")' cis.json >/dev/null &&
  pass "--standard cis with --skip" || fail "cis: $(jq -c '[.findings[].id]' cis.json)"
"$HIVESEC" config scan k8s/cron.yaml --severity critical --exit-code 3 -f table >table.out 2>/dev/null
rc=$?
[ $rc = 3 ] && grep -q "HS-K8S-005" table.out && ! grep -q "HS-K8S-002" table.out &&
  pass "--severity critical --exit-code 3, table format" || fail "gate rc=$rc $(head -20 table.out)"
"$HIVESEC" config scan k8s --standard pod >/dev/null 2>std.err
[ $? = 2 ] && grep -q "unknown standard 'pod'" std.err && pass "unknown --standard: exit 2" || fail "$(cat std.err)"
cp k8s/docker-compose.yml compose.yaml
"$HIVESEC" config scan compose.yaml >/dev/null 2>compose.err
[ $? = 2 ] && grep -q "not a configuration file" compose.err && pass "explicit non-Kubernetes YAML: exit 2" ||
  fail "compose: $(cat compose.err)"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostIPC: true, containers: [{name: c, image: "a\x00"}]}\n' >bin.yaml
"$HIVESEC" config scan bin.yaml >/dev/null 2>bin.err
[ $? = 2 ] && grep -q "bin.yaml: line 4: binary content" bin.err && pass "binary manifest given explicitly: exit 2 with its line" ||
  fail "binary: $(cat bin.err)"
mkdir binary && cp bin.yaml binary/ && cp k8s/cron.yaml binary/
"$HIVESEC" config scan binary -f json -o bin.json 2>bin2.err
[ $? = 0 ] && grep -q "skipped binary/bin.yaml: line 4: binary content" bin2.err &&
  jq -e '[.findings[] | select(.id == "HS-K8S-002")] | length == 1' bin.json >/dev/null &&
  pass "binary manifest in a directory: warning, others scanned" || fail "binary dir: $(cat bin2.err)"
# Hostile: an alias bomb and deep nesting are refused per document, quickly.
python3 - <<'PY'
lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: bomb}", "data:", "  a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
for i in range(1, 30):
    lines.append(f"  a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 40) + "]")
doc = "\n".join(lines) + "\n---\n" + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: " + "[" * 5000 + "]" * 5000 + "\n"
doc += "---\napiVersion: v1\nkind: Pod\nmetadata: {name: after, namespace: z}\nspec: {hostIPC: true, containers: [{name: c, image: a}]}\n"
open("hostile.yaml", "w").write(doc)
PY
start=$(date +%s)
timeout 60 "$HIVESEC" config scan hostile.yaml -f json -o hostile.json 2>hostile.err
rc=$?
secs=$(($(date +%s) - start))
[ $rc = 0 ] && grep -q "document 0 .*limit: more than .* aliases" hostile.err && grep -q "document 1 .*limit: nested deeper" hostile.err &&
  jq -e '[.findings[] | select(.id == "HS-K8S-003")] | length == 1' hostile.json >/dev/null && [ $secs -lt 20 ] &&
  pass "alias bomb and deep nesting refused per document in ${secs}s; the next document is scanned" ||
  fail "hostile rc=$rc ${secs}s $(head -c 400 hostile.err)"
finish
