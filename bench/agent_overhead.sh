#!/usr/bin/env bash
# agent_overhead.sh — what `hivesec agent` (default rules, alerts to a file) costs the workloads
# it watches, and whether it keeps up with a sustained event rate.
#
# 1. Overhead: bench/agent_workload.c `mix` (open/write/close, open/read/close, stat, a loopback
#    TCP connect+accept, a fork+exec of /bin/true every 20 rounds) timed REPS times without the
#    agent and REPS times with it running, interleaved, same invocation; prints the medians of
#    the workload's CPU time (user + system: the BPF programs run inside its syscalls) and their
#    ratio (target <= 1.05), the median of the per-pair ratios (each with-agent run against the
#    run just before it: steadier when the machine's load drifts), the wall-time ratio, and the
#    CPU time the agent itself used.
# 2. Per operation: `op` runs getpid (untraced), open+close (not watched), a loopback
#    connect+accept and fork+exec without and with the agent and prints CPU microseconds each.
# 3. Drops: `rate` opens files for writing under a watched prefix (/root/, a default write
#    prefix) at RATE opens/s for SECS seconds; the agent's /metrics (hivesec_agent_events_total,
#    hivesec_agent_drops_total) is read before and after; prints the events/s achieved and the
#    drops (target 0).
#
# Usage: sudo bench/agent_overhead.sh [REPS=5] [ITER=5000] [RATE=100000] [SECS=10]
# Env: HIVESEC_BUILD (default build/); AGENT_ARGS extra agent flags (e.g. to measure a smaller
# rule set: "--no-default-rules --rules FILE"). Needs root, kernel BTF and a C compiler (cc).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$(cd "$HERE/.." && pwd)"
BUILD="${HIVESEC_BUILD:-$SRC/build}"
HIVESEC="$BUILD/hivesec"
REPS="${1:-5}"
ITER="${2:-5000}"
RATE="${3:-100000}"
SECS="${4:-10}"
[ "$(id -u)" = 0 ] || { echo "agent_overhead.sh: needs root (the agent loads eBPF)" >&2; exit 1; }
[ -x "$HIVESEC" ] || cmake --build "$BUILD" --target hivesec >/dev/null

W="$(mktemp -d /tmp/hivesec-agentbench.XXXXXX)"
WATCHED="$(mktemp -d /root/hivesec-agentbench.XXXXXX)"
AGENT_PID=""
cleanup() {
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null
  rm -rf "$W" "$WATCHED"
}
trap cleanup EXIT
cc -O2 -o "$W/workload" "$HERE/agent_workload.c"
PORT=$((20000 + RANDOM % 20000))

start_agent() {
  # shellcheck disable=SC2086 # AGENT_ARGS is a list of extra flags
  "$HIVESEC" agent -o "file:$W/alerts.jsonl" --metrics "127.0.0.1:$PORT" ${AGENT_ARGS:-} \
    >"$W/agent.out" 2>"$W/agent.err" &
  AGENT_PID=$!
  for _ in $(seq 1 150); do
    grep -q "rules loaded" "$W/agent.err" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "agent did not start: $(cat "$W/agent.err")" >&2
  exit 1
}
stop_agent() {
  kill -TERM "$AGENT_PID"
  wait "$AGENT_PID" || true
  AGENT_PID=""
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# metric NAME: the sum of all samples of NAME on /metrics.
metric() {
  curl -s "http://127.0.0.1:$PORT/metrics" | awk -v n="$1" '$1 ~ "^"n"({|$)" {s += $2} END {printf "%.0f", s}'
}
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
# time_mix: one run; appends its wall seconds to $1 and its CPU seconds to $2. The CPU time
# (user + system of the workload and its children) is the figure compared: the sensor's BPF
# programs run in the traced task's syscalls and are charged to it, while wall time on a shared
# machine mostly measures the other processes.
time_mix() {
  local t0 t1 cpu
  t0="$(date +%s%N)"
  cpu="$("$W/workload" mix "$ITER" "$W")"
  t1="$(date +%s%N)"
  echo "scale=4; ($t1 - $t0) / 1000000000" | bc >>"$1"
  echo "$cpu" >>"$2"
}

echo "== overhead: workload mix x $ITER rounds, $REPS runs each =="
"$W/workload" mix 2000 "$W" >/dev/null # warm up
: >"$W/base.txt"
: >"$W/agent.txt"
: >"$W/base.cpu"
: >"$W/agent.cpu"
# Interleaved (without, with, without, ...): the load other processes put on a shared machine
# drifts over minutes, so back-to-back pairs compare like with like.
AGENT_TICKS=0
events=0
for _ in $(seq 1 "$REPS"); do
  time_mix "$W/base.txt" "$W/base.cpu"
  start_agent
  sleep 0.5
  ticks0="$(cpu_ticks "$AGENT_PID")"
  time_mix "$W/agent.txt" "$W/agent.cpu"
  AGENT_TICKS=$((AGENT_TICKS + $(cpu_ticks "$AGENT_PID") - ticks0))
  events=$((events + $(metric hivesec_agent_events_total)))
  stop_agent
done
BASE="$(median <"$W/base.cpu")"
WITH="$(median <"$W/agent.cpu")"
RATIO="$(echo "scale=3; $WITH / $BASE" | bc)"
PAIRS="$(paste "$W/base.cpu" "$W/agent.cpu" | awk '{printf "%.3f\n", $2 / $1}')"
PAIR_MEDIAN="$(echo "$PAIRS" | median)"
WALL_RATIO="$(echo "scale=3; $(median <"$W/agent.txt") / $(median <"$W/base.txt")" | bc)"
HZ="$(getconf CLK_TCK)"
AGENT_CPU="$(echo "scale=2; $AGENT_TICKS / $HZ" | bc)"
AGENT_WALL="$(paste -sd+ "$W/agent.txt" | bc)"
echo "workload CPU without agent (s): $(paste -sd' ' "$W/base.cpu")   (wall: $(paste -sd' ' "$W/base.txt"))"
echo "workload CPU with agent (s):    $(paste -sd' ' "$W/agent.cpu")   (wall: $(paste -sd' ' "$W/agent.txt"))"
printf 'median CPU without %.3f s, with %.3f s, ratio %s (target <= 1.05) [%s]; wall-time ratio %s\n' \
  "$BASE" "$WITH" "$RATIO" "$(echo "$RATIO <= 1.05" | bc | sed 's/1/ok/;s/0/MISSED/')" "$WALL_RATIO"
echo "per-pair ratios: $(echo "$PAIRS" | paste -sd' '); median $PAIR_MEDIAN"
echo "agent CPU during the agent runs: $AGENT_CPU s over $AGENT_WALL s of workload; $events events"

echo "== per operation (CPU time): without agent / with agent =="
ops() { for o in "getpid 2000000" "open 300000" "connect 20000" "exec 1000"; do "$W/workload" op $o "$W"; done; }
ops >"$W/ops.base"
start_agent
sleep 0.5
ops >"$W/ops.agent"
stop_agent
paste "$W/ops.base" "$W/ops.agent" | awk '{printf "%-8s %8.3f us -> %8.3f us  (+%.3f)\n", $1, $2, $5, $5 - $2}'

echo "== drops: $RATE opens/s for $SECS s under a watched prefix =="
start_agent
sleep 1
ev0="$(metric hivesec_agent_events_total)"
dr0="$(metric hivesec_agent_drops_total)"
ticks0="$(cpu_ticks "$AGENT_PID")"
"$W/workload" rate "$RATE" "$SECS" "$WATCHED"
sleep 2 # let the agent drain its ring buffer
ev1="$(metric hivesec_agent_events_total)"
dr1="$(metric hivesec_agent_drops_total)"
ticks1="$(cpu_ticks "$AGENT_PID")"
stop_agent
EV=$((ev1 - ev0))
DR=$((dr1 - dr0))
echo "agent events: $EV ($(echo "$EV / $SECS" | bc) events/s over the $SECS s load), drops: $DR (target 0) [$([ "$DR" = 0 ] && echo ok || echo MISSED)]"
CPU="$(echo "scale=2; ($ticks1 - $ticks0) / $HZ" | bc)"
echo "agent CPU during the load: $CPU s ($(echo "scale=1; ($ticks1 - $ticks0) * 1000000 / $HZ / ($EV + 1)" | bc) us per event)"
echo "agent: $(tail -1 "$W/agent.err")"
