#!/usr/bin/env bash
# threats_test.sh — issue 4's "must hold" on real images built by podman (lib/images.sh):
#   threats: a Debian 12 image with layers planting fake secrets (generated at build time), a PHP
#            webshell, EICAR, a miner config, a reverse shell, an account whose password the
#            image's own chpasswd set to a very common one, an extra uid 0 without password, a
#            setuid helper, a secret in ENV, root user and port 22. Every plant must be reported
#            with its path and the layer that added it; no report may contain a planted secret.
#   clean:   Debian 12 with nginx, curl, python3 and openssl: no secret, malware or
#            weak-password finding at all.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/validate.sh"
require_hivesec
THREATS="$(build_image threats)"
CLEAN="$(build_image clean)"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
TRUTH="$THREATS/truth/planted.json"
IMG="docker-archive:$THREATS/docker.tar"
scan() { "$HIVESEC" image scan "$@" --no-store --cache-dir "$T/cache"; }

scan "$IMG" -f json -o "$T/scan.json" 2>"$T/err"
rc=$?
[ $rc = 0 ] && pass "all scanners ran on the threats image" || fail "scan exit $rc: $(head -c 300 "$T/err")"
mapfile -t ids < <(jq -r '.image.layers[].diff_id' "$T/scan.json")
[ "${#ids[@]}" = 6 ] && pass "threats image has 6 layers" || fail "layers: ${#ids[@]}"
jq -e '.scanners | sort == ["config","file","malware","password","secret","vuln"]' "$T/scan.json" >/dev/null &&
  pass "every scanner ran by default: $(jq -r '.scanners | join(",")' "$T/scan.json")" || fail "scanners: $(jq -c .scanners "$T/scan.json")"

# has KIND PATH LAYER_INDEX [JQ_FILTER]: a finding of KIND on PATH from that layer.
has() {
  local kind="$1" path="$2" layer="${ids[$3]}" extra="${4:-true}"
  jq -e --arg k "$kind" --arg p "$path" --arg l "$layer" \
    "[.findings[] | select(.kind == \$k and .evidence.path == \$p and .evidence.layer == \$l) | select($extra)] | length > 0" \
    "$T/scan.json" >/dev/null
}

# Secrets: each planted value reported (masked) at its file and layer.
n=$(jq '.secrets | length' "$TRUTH")
for i in $(seq 0 $((n - 1))); do
  path=$(jq -r ".secrets[$i].path" "$TRUTH")
  layer=$(jq -r ".secrets[$i].layer" "$TRUTH")
  value=$(jq -r ".secrets[$i].value" "$TRUTH")
  pre="${value:0:3}"
  if has secret "$path" "$layer" "(.evidence.match // \"\") | startswith(\"$pre\")"; then
    pass "secret ${value:0:4}… found in $path (layer $layer)"
  else
    fail "secret ${value:0:4}… not found in $path (layer $layer): $(jq -c "[.findings[] | select(.kind == \"secret\") | [.id, .evidence.path, .evidence.match]]" "$T/scan.json")"
  fi
done
has secret "$(jq -r .private_key_path "$TRUTH")" 1 && pass "private key found as a secret" || fail "private key not found"
jq -e '[.findings[] | select(.kind == "secret" and (.evidence.path | test("image config|ENV"; "i")))] | length > 0' "$T/scan.json" >/dev/null &&
  pass "secret in the image's ENV reported" || fail "ENV secret not reported"

# Malware: webshell, EICAR, miner config, reverse shell.
n=$(jq '.malware | length' "$TRUTH")
for i in $(seq 0 $((n - 1))); do
  path=$(jq -r ".malware[$i].path" "$TRUTH")
  layer=$(jq -r ".malware[$i].layer" "$TRUTH")
  what=$(jq -r ".malware[$i].what" "$TRUTH")
  has malware "$path" "$layer" && pass "malware ($what) found: $path (layer $layer)" ||
    fail "malware ($what) not found: $path (layer $layer): $(jq -c '[.findings[] | select(.kind == "malware") | [.id, .evidence.path]]' "$T/scan.json")"
done

# Weak passwords: the common password (verified with crypt), the empty one, the extra uid 0.
weak=$(jq -r .accounts.weak "$TRUTH")
empty=$(jq -r .accounts.empty "$TRUTH")
has weak-password etc/shadow 4 "tostring | contains(\"$weak\")" && pass "common password of '$weak' found (etc/shadow, layer 4)" ||
  fail "weak password of $weak not found: $(jq -c '[.findings[] | select(.kind == "weak-password")]' "$T/scan.json")"
has weak-password etc/shadow 4 "tostring | contains(\"$empty\")" && pass "empty password of '$empty' found" ||
  fail "empty password of $empty not found"
jq -e --arg a "$empty" '[.findings[] | select(.kind == "weak-password" and (.evidence.path == "etc/passwd") and (tostring | contains($a)))] | length > 0' "$T/scan.json" >/dev/null &&
  pass "extra uid 0 account '$empty' found in etc/passwd" || fail "extra uid 0 not found"
pw=$(jq -r .weak_password "$TRUTH")
if grep -qw -- "$pw" <(jq -c '[.findings[] | select(.kind == "weak-password")]' "$T/scan.json"); then
  fail "the cracked password appears unmasked"
else pass "cracked password is not printed"; fi

# Image configuration: setuid helper (layer 5), root user, port 22, no HEALTHCHECK.
has misconfig usr/local/bin/backup-helper 5 && pass "setuid helper reported with its layer" ||
  fail "setuid helper not reported: $(jq -c '[.findings[] | select(.kind == "misconfig") | [.id, .evidence.path, .title]]' "$T/scan.json")"
for re in "root|USER" "22" "HEALTHCHECK"; do
  jq -e --arg re "$re" '[.findings[] | select(.kind == "misconfig" and (.title | test($re; "i")))] | length > 0' "$T/scan.json" >/dev/null &&
    pass "image config finding matching /$re/" || fail "no image config finding matching /$re/"
done
jq -e '[.findings[] | select(.kind == "misconfig" and (.title | test("root|USER"; "i"))) | .aliases[]? | select(test("4\\.1"))] | length > 0' "$T/scan.json" >/dev/null &&
  pass "root-user finding carries CIS Docker 4.1" || fail "root-user finding has no CIS 4.1 id"

# No output format may contain a planted secret in clear.
for fmt in json table sarif html cyclonedx; do
  scan "$IMG" -f "$fmt" -o "$T/out.$fmt" 2>/dev/null
  leaked=""
  for v in $(jq -r '.secrets[].value, .env_secret' "$TRUTH"); do
    grep -qF -- "$v" "$T/out.$fmt" && leaked="$leaked ${v:0:4}…"
  done
  [ -z "$leaked" ] && pass "$fmt output has every secret masked" || fail "$fmt output leaks:$leaked"
done
for v in $(jq -r '.secrets[].value' "$TRUTH"); do
  grep -rqF -- "$v" "$T/cache" && fail "layer cache stores a secret in clear (${v:0:4}…)"
done
# Every kind of finding in the outputs that have a schema.
if validate_schema_available; then
  validate_schema hivesec "$T/out.json" && pass "JSON report with every finding kind validates" ||
    fail "JSON report does not validate against docs/hivesec-report.schema.json"
  validate_schema sarif-2.1.0 "$T/out.sarif" && pass "SARIF report validates" || fail "SARIF invalid"
  validate_schema cyclonedx-1.6 "$T/out.cyclonedx" && pass "CycloneDX report validates" ||
    fail "CycloneDX invalid"
fi
pass "layer cache checked for clear secrets"

# The clean image: no secret, malware or weak-password finding (any is a false positive).
scan "docker-archive:$CLEAN/docker.tar" -f json -o "$T/clean.json" 2>"$T/err"
bad=$(jq -c '[.findings[] | select(.kind == "secret" or .kind == "malware" or .kind == "weak-password") | [.kind, .id, .evidence.path]]' "$T/clean.json")
[ "$bad" = "[]" ] && pass "clean Debian 12 + nginx/curl/python3/openssl: no secret, malware or weak-password finding" ||
  fail "false positives on the clean image: $bad"
finish
