#!/usr/bin/env bash
# fixtures_test.sh — the fixture builders themselves (no hivesec needed): lib/images.sh exports
# load with skopeo (an independent reader) with the expected layer counts and non-trivial truths;
# lib/hostile.py frames are valid docker-archives where they should be (skopeo copies the
# control case) and broken where they should be (skopeo rejects wrong-diffid and truncated-gzip).
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
command -v skopeo >/dev/null || skip "skopeo missing"
D="$(build_image app)" || exit $?
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT

for ref in "docker-archive:$D/docker.tar" "oci-archive:$D/oci.tar" "oci:$D/oci:latest"; do
  n="$(skopeo inspect "$ref" 2>"$T/err" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["Layers"]))')"
  if [ "$n" = 3 ]; then pass "skopeo reads $ref: 3 layers"; else fail "skopeo $ref: '$n' layers $(head -c 200 "$T/err")"; fi
done
grep -q $'^runc\t' "$D/truth/dpkg.txt" && grep -q $'^libc6\t' "$D/truth/dpkg.txt" &&
  pass "dpkg truth has runc and libc6" || fail "dpkg truth"
for p in lodash@4.17.15 minimist@1.2.0 handlebars@4.5.3 axios@0.21.0 moment@2.29.1 express@4.17.1; do
  grep -qx "$p" "$D/truth/npm.txt" && pass "npm truth has $p" || fail "npm truth lacks $p"
done
[ "$(wc -l <"$D/truth/npm.txt")" -gt 20 ] && pass "npm truth has transitive deps" || fail "npm truth small"
grep -q $'^/usr/local/bin/runc\tgo1\.' "$D/truth/go.txt" && pass "go truth" || fail "go truth"

H="$LIB/hostile.py"
for c in valid dotdot symlink-escape wrong-diffid truncated-gzip config-corrupt; do
  python3 "$H" "$c" "$T/$c.tar" || fail "hostile.py $c"
done
rm -rf "$T/o"
skopeo copy -q "docker-archive:$T/valid.tar" "oci:$T/o:x" 2>"$T/err" && pass "hostile valid: skopeo copies it" ||
  fail "hostile valid rejected by skopeo: $(head -c 200 "$T/err")"
for c in wrong-diffid truncated-gzip config-corrupt; do
  rm -rf "$T/o"
  skopeo copy -q "docker-archive:$T/$c.tar" "oci:$T/o:x" 2>/dev/null && fail "skopeo accepted $c" ||
    pass "hostile $c: skopeo rejects it"
done
python3 - "$T" <<'PYEOF' && pass "hostile layers hold the hostile entries" || fail "hostile layer content"
import io, json, sys, tarfile
t = sys.argv[1]
def layer(case):
    outer = tarfile.open(f"{t}/{case}.tar")
    man = json.load(outer.extractfile("manifest.json"))
    return tarfile.open(fileobj=io.BytesIO(outer.extractfile(man[0]["Layers"][0]).read()))
names = layer("dotdot").getnames()
assert any(n.startswith("../") for n in names), names
links = {m.name: m.linkname for m in layer("symlink-escape").getmembers() if m.issym()}
assert links["etc/shadow-link"] == "/etc/shadow" and "../../../../etc/passwd" in links.values(), links
PYEOF
python3 "$H" list | awk -F'\t' '$2 !~ /^(error|valid|either)$/ {bad=1} END {exit bad}' &&
  pass "hostile.py list: every case has an expectation" || fail "hostile.py list"
finish
