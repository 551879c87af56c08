#!/usr/bin/env bash
# vulndb_import.sh — bulk import throughput of the shipped advisory data (../shared/vulndata):
# `hivesec db import <Eco>/all.zip... --fresh` into an empty temporary database, median of
# $BENCH_RUNS (default 3) runs; prints records/s (wall and CPU) and peak RSS.
#
# Usage: bench/vulndb_import.sh [DATA_DIR]   (default: data/vulndata, the bundled copy)   (HIVESEC=path/to/hivesec; else build/hivesec)
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$(cd "$HERE/.." && pwd)"
HIVESEC="${HIVESEC:-$SRC/build/hivesec}"
RUNS="${BENCH_RUNS:-3}"
DATA="${1:-}"
if [ -z "$DATA" ]; then
  for d in "$SRC/data/vulndata" "$SRC/../shared/vulndata"; do
    [ -f "$d/Go/all.zip" ] && DATA="$d" && break
  done
fi
[ -n "$DATA" ] && [ -d "$DATA" ] || { echo "no vulndata directory" >&2; exit 2; }
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
zips=("$DATA"/*/all.zip)
records=0
for z in "${zips[@]}"; do
  n=$(python3 -c 'import sys,zipfile; print(sum(1 for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.endswith(".json")))' "$z")
  records=$((records + n))
done
for i in $(seq "$RUNS"); do
  rm -f "$T/vuln.db"
  /usr/bin/time -f "%e %U %S %M" -o "$T/time" "$HIVESEC" db import --fresh --db "$T/vuln.db" \
    "${zips[@]}" >"$T/out" 2>"$T/err" || { cat "$T/err" >&2; exit 1; }
  tail -1 "$T/time" >>"$T/runs"
done
med() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall=$(awk '{print $1}' "$T/runs" | med)
cpu=$(awk '{print $2+$3}' "$T/runs" | med)
rss=$(awk '{print $4}' "$T/runs" | med)
echo "records:        $records in ${#zips[@]} zips"
echo "wall (median):  ${wall} s -> $(awk -v r="$records" -v t="$wall" 'BEGIN{printf "%.0f", r/t}') records/s"
echo "cpu (median):   ${cpu} s -> $(awk -v r="$records" -v t="$cpu" 'BEGIN{printf "%.0f", r/t}') records/s"
echo "peak RSS:       $((rss / 1024)) MB"
echo "db size:        $(du -h "$T/vuln.db" | cut -f1)"
cat "$T/out"
