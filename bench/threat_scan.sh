#!/usr/bin/env bash
# threat_scan.sh — the cost of issue 4's content scanners: `hivesec image scan` with every
# scanner (vuln, secret, malware, file, password, config) ÷ an inventory-only scan of the same
# image, both uncached (--no-cache: every layer read and analyzed), in the same invocation.
# $BENCH_RUNS (default 5) alternating pairs; prints wall and CPU times, the median pairwise
# ratio, findings and RSS.
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
RUNS="${BENCH_RUNS:-5}"
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
# Inventory and full scan alternate (A B A B ...), so both see the same background load of this
# shared machine; the ratio reported is the median of the per-pair ratios.
INV=("$HIVESEC" image inventory "$REF" --no-cache -f json)
SCAN=("$HIVESEC" image scan "$REF" --no-cache --no-store --cache-dir "$T/cache" -f json)
"${INV[@]}" >/dev/null 2>&1   # warm the page cache
"${SCAN[@]}" >/dev/null 2>&1  # and the compiled YARA rules / Hyperscan databases
timed() { # label cmd...: appends "wall rss cpu" to $T/label
  local label="$1"
  shift
  /usr/bin/time -f "%e %M %U %S" -o "$T/time" "$@" >"$T/$label.json" 2>"$T/err" || {
    cat "$T/err" >&2
    exit 1
  }
  tail -1 "$T/time" | awk '{print $1, $2, $3 + $4}' >>"$T/$label"
}
for i in $(seq "$RUNS"); do
  timed inventory "${INV[@]}"
  timed scan "${SCAN[@]}"
done
med() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
inv=$(awk '{print $1}' "$T/inventory" | med)
scan=$(awk '{print $1}' "$T/scan" | med)
inv_rss=$(awk '{print $2}' "$T/inventory" | med)
scan_rss=$(awk '{print $2}' "$T/scan" | med)
inv_cpu=$(awk '{print $3}' "$T/inventory" | med)
scan_cpu=$(awk '{print $3}' "$T/scan" | med)
ratio=$(paste -d' ' "$T/inventory" "$T/scan" | awk '{printf "%.4f\n", $4 / ($1 > 0 ? $1 : 0.01)}' | med)
echo "image:                  $REF ($(jq '.packages | length' "$T/inventory.json") packages)"
echo "inventory only (base):  ${inv} s   CPU ${inv_cpu} s   peak RSS $((inv_rss / 1024)) MB"
echo "all scanners:           ${scan} s   CPU ${scan_cpu} s   peak RSS $((scan_rss / 1024)) MB"
echo "findings by kind:       $(jq -c '[.findings[].kind] | group_by(.) | map({(.[0]): length}) | add // {}' "$T/scan.json")"
echo "scan / inventory:       $(awk -v r="$ratio" 'BEGIN{printf "%.2f", r}')   (median of $RUNS alternating pairs; target <= 1.5)"
echo "CPU time ratio:         $(awk -v s="$scan_cpu" -v i="$inv_cpu" 'BEGIN{printf "%.2f", s/(i>0?i:0.01)}')   (user+system; what a busier machine would see)"
