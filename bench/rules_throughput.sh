#!/usr/bin/env bash
# rules_throughput.sh — runtime rule engine speed: replays a generated mix of events (55 % file
# opens, 15 % connect/accept, 12 % exec, fork, exit, dup2, unlink over six containers and the
# host) through the full default ruleset (rules/runtime) on one core and prints events/s, the
# ratio to a dispatch-only baseline measured in the same run, matches per event and heap
# allocations per event (target: >= 1,000,000 events/s per core, 0 allocations).
#
# Usage: bench/rules_throughput.sh [SECONDS] [RULE_FILE...]   (HIVESEC_BUILD=path/to/build)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$(cd "$HERE/.." && pwd)"
BUILD="${HIVESEC_BUILD:-$SRC/build}"
BIN="$BUILD/bench/rules_bench"
if [ ! -x "$BIN" ]; then
  cmake --build "$BUILD" --target rules_bench >/dev/null
fi
exec "$BIN" "${1:-3}" "${@:2}"
