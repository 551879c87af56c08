#!/usr/bin/env bash
# bench_docker.sh — the cost of `hivesec bench docker` with many running containers: starts a
# private `podman system service` (tests/integration/lib/engine_service.sh), runs $N small
# containers (`sleep`, default 50) and times, $BENCH_RUNS times each (default 5, median):
#   base:  `podman ps` listing them through the same engine (the CLI, same storage)
#   bench: `hivesec bench docker -f json` (every section; one result per container for the
#          section-5 checks, per image for section 4), and the same without DOCKER-1.1.1 (the
#          one check that needs the engine's /info, which is slow on Podman)
# Prints both medians and bench/base. Cleans up the containers and the service at exit.
#
# Usage: bench/bench_docker.sh [N]   (HIVESEC=path/to/hivesec, else build/hivesec; root, podman)
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$(cd "$HERE/.." && pwd)"
HIVESEC="${HIVESEC:-$SRC/build/hivesec}"
RUNS="${BENCH_RUNS:-5}"
N="${1:-50}"
source "$SRC/tests/integration/lib/engine_service.sh"
T="$(mktemp -d /tmp/hivesec-benchdocker-XXXXXX)"
trap 'engine_service_stop; rm -rf "$T"' EXIT
engine_service_start "$T/engine" || {
  echo "cannot start podman system service (podman, runc and the base test image are needed)" >&2
  exit 1
}
export DOCKER_HOST="unix://$ENGINE_SOCK"
t0=$(date +%s.%N)
for i in $(seq 1 "$N"); do
  epod run -d --name "bench-$i" --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
    --memory 32m --pids-limit 50 "$ENGINE_IMAGE" sleep 3600 >/dev/null 2>>"$T/run.log" || {
    echo "container $i did not start: $(grep -v level= "$T/run.log" | tail -1)" >&2
    exit 1
  }
done
t1=$(date +%s.%N)
running=$(epod ps -q | wc -l)

# median CMD...: the median wall time (s) of $RUNS runs after one warm-up.
median() {
  "$@" >/dev/null 2>&1
  local i s e times=()
  for i in $(seq 1 "$RUNS"); do
    s=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    e=$(date +%s.%N)
    times+=("$(echo "$e - $s" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}
base=$(median epod ps)
bench=$(median "$HIVESEC" bench docker -f json -o "$T/out.json")
noinfo=$(median "$HIVESEC" bench docker -f json -o "$T/out.json" --skip DOCKER-1.1.1)
"$HIVESEC" bench docker -f json -o "$T/out.json"
subjects=$(jq '[.results[] | select(.id == "DOCKER-5.5")] | length' "$T/out.json")
results=$(jq '.results | length' "$T/out.json")
printf 'containers running:         %d (started in %.1f s)\n' "$running" "$(echo "$t1 - $t0" | bc -l)"
printf 'results:                    %d (DOCKER-5.5 for %d containers)\n' "$results" "$subjects"
printf 'podman ps (base):           %s s   (median of %d)\n' "$base" "$RUNS"
printf 'hivesec bench docker:       %s s   (median of %d)\n' "$bench" "$RUNS"
printf 'bench docker / podman ps:   %.2f\n' "$(echo "$bench / $base" | bc -l)"
# DOCKER-1.1.1 is the only check that needs /info on Podman, which takes the engine ~0.4 s.
printf 'without /info (--skip DOCKER-1.1.1): %s s, ratio %.2f\n' "$noinfo" "$(echo "$noinfo / $base" | bc -l)"
