#!/usr/bin/env bash
# threat_scan.sh — the cost of issue 4's content scanners: `hivesec image scan` with every
# scanner (vuln, secret, malware, file, password, config) ÷ an inventory-only scan of the same
# image, both uncached (--no-cache: every layer read and analyzed), in the same invocation.
# Median of $BENCH_RUNS (default 3) runs each; prints wall times, the ratio, findings and RSS.
# Target (issue 4): ratio <= 1.5.
#
# The image is read from its OCI layout (gzip layers, as pulled from a registry).
#
# Usage: bench/threat_scan.sh [IMAGE]   (IMAGE: an images.sh name, default bench-small, or any
#        image reference hivesec reads; HIVESEC=path/to/hivesec, else build/hivesec)
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$(cd "$HERE/.." && pwd)"
HIVESEC="${HIVESEC:-$SRC/build/hivesec}"
RUNS="${BENCH_RUNS:-3}"
IMG="${1:-bench-small}"
case "$IMG" in
  *:* | */*) REF="$IMG" ;;
  *)
    dir="$(bash "$SRC/tests/integration/lib/images.sh" build "$IMG")" || exit 1
    REF="oci:$dir/oci"
    ;;
esac
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
run() { # label cmd...
  local label="$1"
  shift
  "$@" >/dev/null 2>&1  # warm the page cache (and the compiled YARA rules)
  for i in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$T/time" "$@" >"$T/$label.json" 2>"$T/err" || {
      cat "$T/err" >&2
      exit 1
    }
    tail -1 "$T/time" >>"$T/$label"
  done
}
run inventory "$HIVESEC" image inventory "$REF" --no-cache -f json
run scan "$HIVESEC" image scan "$REF" --no-cache --no-store \
  --cache-dir "$T/cache" -f json
med() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
inv=$(awk '{print $1}' "$T/inventory" | med)
scan=$(awk '{print $1}' "$T/scan" | med)
inv_rss=$(awk '{print $2}' "$T/inventory" | med)
scan_rss=$(awk '{print $2}' "$T/scan" | med)
echo "image:                  $REF ($(jq '.packages | length' "$T/inventory.json") packages)"
echo "inventory only (base):  ${inv} s   peak RSS $((inv_rss / 1024)) MB"
echo "all scanners:           ${scan} s   peak RSS $((scan_rss / 1024)) MB"
echo "findings by kind:       $(jq -c '[.findings[].kind] | group_by(.) | map({(.[0]): length}) | add // {}' "$T/scan.json")"
echo "scan / inventory:       $(awk -v s="$scan" -v i="$inv" 'BEGIN{printf "%.2f", s/(i>0?i:0.01)}')   (target <= 1.5)"
