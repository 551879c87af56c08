#!/usr/bin/env bash
# image_bench.sh — image inventory speed and memory, as ratios against baselines run in the
# same invocation (absolute times on shared machines are noise).
#
# Images (built once and cached by tests/integration/lib/images.sh):
#   bench-small  Debian 12 rootfs + python3/git/... delta + npm app, 3 layers
#   bench-large  bench-small + a copy of its /usr (about double bytes and files), 4 layers
# Figures, each the median of $BENCH_RUNS (default 3) runs:
#   baseline     sum over the gzip'd layer blobs of the OCI dir of `tar -xzf BLOB -O >/dev/null`
#   cold         hivesec image inventory oci:DIR --format json --cache-dir EMPTY
#   warm         the same with the cache of a cold run
#   peak RSS     of the cold runs (GNU time %M)
# Targets: cold/baseline <= 1.3, warm/cold <= 0.05, RSS <= 300 MB and not growing with size.
#
# Usage: bench/image_bench.sh   (HIVESEC=path/to/hivesec; else build/hivesec)
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$(cd "$HERE/.." && pwd)"
IMAGES="$SRC/tests/integration/lib/images.sh"
RUNS="${BENCH_RUNS:-3}"
HIVESEC="${HIVESEC:-$SRC/build/hivesec}"

T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# gzip_layers OCI_DIR: paths of the manifest's gzip'd layer blobs.
gzip_layers() {
  python3 - "$1" <<'EOF'
import json, os, sys
d = sys.argv[1]
blob = lambda dg: os.path.join(d, "blobs", *dg.split(":", 1))
idx = json.load(open(os.path.join(d, "index.json")))
man = json.load(open(blob(idx["manifests"][0]["digest"])))
for l in man["layers"]:
    if l["mediaType"].endswith("gzip"):
        print(blob(l["digest"]))
    else:
        sys.exit("layer not gzip'd: " + l["mediaType"])
EOF
}

# timed OUTFILE CMD...: appends "seconds rss_kb" of one run of CMD to OUTFILE; returns CMD's code.
timed() {
  local out="$1"
  shift
  /usr/bin/time -f "%e %M" -o "$T/time" "$@" >/dev/null 2>"$T/stderr"
  local rc=$?
  tail -1 "$T/time" >>"$out"
  return $rc
}

baseline() { # oci_dir -> prints seconds (one run)
  local b t0 t1
  t0=$(date +%s.%N)
  while read -r b; do tar -xzf "$b" -O >/dev/null; done < <(gzip_layers "$1")
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "n/a") print "?"; else print (v <= t ? "ok" : "MISSED") }'; }

command -v bc >/dev/null || { echo "image_bench: needs bc (apt-get install bc)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "image_bench: needs GNU time (apt-get install time)" >&2; exit 1; }

echo "building/reusing bench images (cached; the first build takes minutes)..." >&2
SMALL="$("$IMAGES" build bench-small)" || exit 1
LARGE="$("$IMAGES" build bench-large)" || exit 1

have_cli=1
if [ ! -x "$HIVESEC" ]; then
  echo "hivesec CLI missing (HIVESEC='$HIVESEC'): printing baselines only" >&2
  have_cli=0
fi

declare -A RSS
printf '%-12s %8s %7s %9s %8s %11s %8s %10s %9s\n' image size_MB layers baseline_s cold_s \
  cold/base warm_s warm/cold rss_MB
for name in bench-small bench-large; do
  D="$SMALL"
  [ "$name" = bench-large ] && D="$LARGE"
  oci="$D/oci"
  size_mb=$(du -sm "$D/docker.tar" | cut -f1) # uncompressed layers
  nlayers=$(gzip_layers "$oci" | wc -l)
  : >"$T/base"
  for _ in $(seq "$RUNS"); do baseline "$oci" >>"$T/base"; done
  base=$(median <"$T/base")
  cold=n/a warm=n/a rss=n/a cr=n/a wr=n/a
  if ((have_cli)); then
    : >"$T/cold"
    : >"$T/warm"
    ok=1
    for _ in $(seq "$RUNS"); do
      rm -rf "$T/cache"
      timed "$T/cold" "$HIVESEC" image inventory "oci:$oci" --format json --cache-dir "$T/cache" ||
        { echo "cold run failed: $(head -c 300 "$T/stderr")" >&2; ok=0; break; }
    done
    for _ in $(seq "$RUNS"); do
      ((ok)) || break
      timed "$T/warm" "$HIVESEC" image inventory "oci:$oci" --format json --cache-dir "$T/cache" ||
        { echo "warm run failed: $(head -c 300 "$T/stderr")" >&2; ok=0; break; }
    done
    if ((ok)); then
      cold=$(cut -d' ' -f1 "$T/cold" | median)
      warm=$(cut -d' ' -f1 "$T/warm" | median)
      rss=$(($(cut -d' ' -f2 "$T/cold" | sort -n | tail -1) / 1024))
      cr=$(ratio "$cold" "$base")
      wr=$(ratio "$warm" "$cold")
    fi
  fi
  RSS[$name]=$rss
  printf '%-12s %8s %7s %9.2f %8s %11s %8s %10s %9s\n' "$name" "$size_mb" "$nlayers" "$base" \
    "$cold" "$cr" "$warm" "$wr" "$rss"
  echo "  targets: cold/base $cr <= 1.3 [$(verdict "$cr" 1.3)]; warm/cold $wr <= 0.05 [$(verdict "$wr" 0.05)]; rss ${rss} MB <= 300 [$(verdict "$rss" 300)]"
done
if [ "${RSS[bench-small]}" != n/a ] && [ "${RSS[bench-large]}" != n/a ]; then
  g=$(ratio "${RSS[bench-large]}" "${RSS[bench-small]}")
  echo "RSS growth large/small: $g (target: not growing, <= 1.1) [$(verdict "$g" 1.1)]"
fi
((have_cli)) || exit 1
