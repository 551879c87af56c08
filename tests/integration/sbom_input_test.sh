#!/usr/bin/env bash
# sbom_input_test.sh — hivesec reads SBOMs back (`hivesec sbom inventory FILE`): for the real
# "app" image (lib/images.sh), the inventory read from hivesec's own CycloneDX 1.6, CycloneDX 1.5
# and SPDX output equals the image inventory: the same purl set, and per (purl, location) the same
# identity, source package, analyzer, layer, owner and metadata (go_version of the Go binaries);
# the same OS. Converting CycloneDX -> SPDX -> inventory keeps the purl set. Broken input exits 2
# with one line on stderr.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
require_hivesec
D="$(build_image app)" || exit $?
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
REF="docker-archive:$D/docker.tar"

# compare IMAGE.json BACK.json: exit 0 when BACK describes the same packages and OS as IMAGE.
compare() {
  python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
fields = ("type", "namespace", "name", "version", "arch", "source_name", "source_version",
          "found_by", "layer", "owner", "dev", "metadata")
def index(doc):
    out = {}
    for p in doc.get("packages") or []:
        out.setdefault((p.get("purl"), p.get("location")), []).append(p)
    return out
ia, ib = index(a), index(b)
purls_a = {k[0] for k in ia}
purls_b = {k[0] for k in ib}
ok = True
if purls_a != purls_b:
    ok = False
    print(f"purl sets differ: {len(purls_a)} vs {len(purls_b)}")
    for p in sorted(purls_a - purls_b)[:10]: print("  missing:", p)
    for p in sorted(purls_b - purls_a)[:10]: print("  extra:  ", p)
diffs = 0
for key, pa in ia.items():
    pb = ib.get(key, [])
    if len(pa) != len(pb):
        diffs += 1
        if diffs <= 10: print(f"  {key}: {len(pa)} vs {len(pb)} entries")
        continue
    for x, y in zip(pa, pb):
        for f in fields:
            if x.get(f) != y.get(f):
                diffs += 1
                if diffs <= 10: print(f"  {key} {f}: {x.get(f)!r} vs {y.get(f)!r}")
if diffs: ok = False
go = [p for p in b.get("packages") or [] if p.get("type") == "golang"]
if not any(p.get("name") == "stdlib" and p.get("metadata", {}).get("go_version") for p in go):
    ok = False
    print("  no Go stdlib with go_version read back")
for f in ("family", "version", "codename"):
    if (a.get("os") or {}).get(f) != (b.get("os") or {}).get(f):
        ok = False
        print(f"  os.{f}: {(a.get('os') or {}).get(f)!r} vs {(b.get('os') or {}).get(f)!r}")
if b.get("asset", {}).get("kind") != "sbom":
    ok = False
    print("  asset kind is not sbom")
print(f"{len(a.get('packages') or [])} packages, {len(purls_a)} purls compared")
sys.exit(0 if ok else 1)
PY
}

if ! inventory "$REF" "$T/image.json" --cache-dir "$T/cache"; then
  fail "image inventory: exit $? ($(head -c 300 "$T/image.json.err"))"
  finish
  exit 1
fi

for fmt in cyclonedx cyclonedx-1.5 spdx; do
  sbom="$T/app.$fmt.json"
  if ! "$HIVESEC" image inventory "$REF" --format "$fmt" --cache-dir "$T/cache" >"$sbom" 2>"$sbom.err"; then
    fail "$fmt: image inventory exit $? ($(head -c 300 "$sbom.err"))"
    continue
  fi
  back="$T/back.$fmt.json"
  if ! "$HIVESEC" sbom inventory "$sbom" --format json >"$back" 2>"$back.err"; then
    fail "$fmt: sbom inventory exit $? ($(head -c 300 "$back.err"))"
    continue
  fi
  if compare "$T/image.json" "$back"; then pass "$fmt: read back == image inventory"; else fail "$fmt: read back differs"; fi
done

# Conversion: CycloneDX -> SPDX (written to a file with -o) -> inventory.
if "$HIVESEC" sbom inventory "$T/app.cyclonedx.json" --format spdx -o "$T/converted.spdx.json" 2>"$T/conv.err" &&
  "$HIVESEC" sbom inventory "$T/converted.spdx.json" --format json >"$T/converted.json" 2>>"$T/conv.err"; then
  if compare "$T/image.json" "$T/converted.json"; then pass "cyclonedx -> spdx -> inventory"; else fail "conversion differs"; fi
else
  fail "conversion: exit $? ($(head -c 300 "$T/conv.err"))"
fi

# -o onto a FIFO (as onto /dev/null): written through, not replaced by a regular file.
mkfifo "$T/fifo"
timeout 60 cat "$T/fifo" >"$T/fifo.out" &
reader=$!
"$HIVESEC" sbom inventory "$T/app.cyclonedx.json" --format json -o "$T/fifo" 2>"$T/fifo.err"
rc=$?
wait "$reader"
if ((rc == 0)) && [ -p "$T/fifo" ] && compare "$T/image.json" "$T/fifo.out" >/dev/null; then
  pass "-o FIFO: written through, still a FIFO"
else
  fail "-o FIFO: exit $rc, fifo=$([ -p "$T/fifo" ] && echo yes || echo no) ($(head -c 300 "$T/fifo.err"))"
fi

# Broken input: exit 2, one line naming the file, nothing on stdout.
printf '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [' >"$T/truncated.json"
head -c 5000 /dev/urandom >"$T/random.bin"
for bad in "$T/truncated.json" "$T/random.bin" "$T/missing.json" "$T"; do
  "$HIVESEC" sbom inventory "$bad" --format json >"$T/bad.out" 2>"$T/bad.err"
  rc=$?
  lines=$(wc -l <"$T/bad.err")
  if ((rc == 2)) && ((lines == 1)) && [ ! -s "$T/bad.out" ] && grep -qF "$bad" "$T/bad.err"; then
    pass "$(basename "$bad"): exit 2, one line"
  else
    fail "$(basename "$bad"): exit $rc, $lines stderr lines: $(head -c 300 "$T/bad.err")"
  fi
done
finish
