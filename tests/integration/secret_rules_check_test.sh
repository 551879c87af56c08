#!/usr/bin/env bash
# secret_rules_check_test.sh — validates the built-in secret rules (rules/secrets/*.yaml) with
# tools/check_secret_rules.py: schema, RE2/Hyperscan-compatible syntax (and a real Hyperscan
# compile of every rule and of the combined streaming database via libhs), and every rule's
# match / near-miss examples expanded with several random seeds. Needs no hivesec binary.
set -uo pipefail
HIVESEC_SRC="${HIVESEC_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}"
PASSED=0
FAILED=0
if ! python3 -c 'import yaml' 2>/dev/null; then
  echo "FAIL: python3-yaml missing (scripts/setup.sh installs it)"
  echo "0 passed, 1 failed"
  exit 1
fi
out="$(python3 "$HIVESEC_SRC/tools/check_secret_rules.py" --dir "$HIVESEC_SRC/rules/secrets" --seeds "${SECRET_RULE_SEEDS:-20}" 2>&1)"
rc=$?
echo "$out"
if [ $rc -eq 0 ]; then PASSED=$((PASSED + 1)); echo "PASS: every secret rule passes its checks"; else FAILED=$((FAILED + 1)); echo "FAIL: check_secret_rules.py exit $rc"; fi
# The checker must fail on a broken rule set (a nomatch example that matches, a lookahead).
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
cat > "$T/bad.yaml" <<'YAML'
rules:
  - id: bad-rule
    title: Broken on purpose
    severity: high
    keywords: [tok_]
    regex: '(?P<secret>tok_[0-9a-z]{8})(?=x)'
    remediation: none
    examples:
      match: ['tok_{lower:8}x']
      nomatch: ['tok_{lower:8}x', 'tok_{lower:2}']
YAML
bad="$(python3 "$HIVESEC_SRC/tools/check_secret_rules.py" --dir "$T" --seeds 2 2>&1)"
if [ $? -ne 0 ] && grep -q 'bad-rule: regex uses lookaround' <<<"$bad"; then
  PASSED=$((PASSED + 1)); echo "PASS: a broken rule file is rejected with a per-rule message"
else
  FAILED=$((FAILED + 1)); echo "FAIL: broken rule file not rejected: $bad"
fi
echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
