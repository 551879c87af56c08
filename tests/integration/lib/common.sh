# shellcheck shell=bash
# common.sh — sourced by tests/integration/*_test.sh.
# Provides: HIVESEC (checked), LIB, IMAGES, check/pass/fail counters, finish, build_image.
# Exit codes: 0 all passed, 1 a check failed or the CLI is missing, 77 skipped (no tools/root).

LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IMAGES="$LIB/images.sh"
HIVESEC_SRC="${HIVESEC_SRC:-$(cd "$LIB/../../.." && pwd)}"
PASSED=0
FAILED=0

pass() {
  PASSED=$((PASSED + 1))
  echo "PASS: $*"
}
fail() {
  FAILED=$((FAILED + 1))
  echo "FAIL: $*"
}
skip() {
  echo "SKIP: $*"
  exit 77
}

# Ends the test with CTest's plain closing line.
finish() {
  echo "$PASSED passed, $FAILED failed"
  ((FAILED == 0))
}

# Sets HIVESEC to the CLI or exits 1 with "hivesec CLI missing".
require_hivesec() {
  local c
  if [ -z "${HIVESEC:-}" ]; then
    for c in "${HIVESEC_BUILD:-}/hivesec" "$HIVESEC_SRC/build/hivesec"; do
      [ -x "$c" ] && HIVESEC="$c" && break
    done
  fi
  if [ -z "${HIVESEC:-}" ] || [ ! -x "$HIVESEC" ]; then
    echo "FAIL: hivesec CLI missing (HIVESEC='${HIVESEC:-}'; build the 'hivesec' target)" >&2
    exit 1
  fi
  HIVESEC="$(realpath "$HIVESEC")" # tests change directory
  export HIVESEC
}

# build_image NAME: prints the image directory; skips (77) when the builder's tools are missing.
build_image() {
  local dir rc=0
  dir="$("$IMAGES" build "$1")" || rc=$?
  ((rc == 77)) && skip "cannot build test image $1 here (see images.sh output)"
  if ((rc != 0)); then
    echo "FAIL: images.sh build $1 failed (exit $rc)" >&2
    exit 1
  fi
  echo "$dir"
}

# inventory REF OUT [ARGS...]: runs `hivesec image inventory REF --format json` into OUT;
# returns hivesec's exit code; stderr goes to OUT.err.
inventory() {
  local ref="$1" out="$2"
  shift 2
  "$HIVESEC" image inventory "$ref" --format json "$@" >"$out" 2>"$out.err"
}

# py: runs the shared Python helpers (tests/integration/lib/check.py).
py() { python3 "$LIB/check.py" "$@"; }
