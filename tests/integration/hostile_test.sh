#!/usr/bin/env bash
# hostile_test.sh — hivesec reads each hostile image of lib/hostile.py within 120 s and 300 MB
# peak RSS, and:
#   error cases   exit 2 with exactly one line on stderr
#   valid cases   exit 0 with exactly the expected packages
#   either cases  one of the two (exit 0 also must not report the host's OS)
# and writes nothing outside its --cache-dir: it runs with an empty HOME and cwd, and a planted
# sentinel directory (the target of the images' outward links) and the host files the images
# point at must be untouched.
# HOSTILE_CASES="a b" limits the run to some cases.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
require_hivesec
HOSTILE="$LIB/hostile.py"
SENTINEL=/tmp/hivesec-hostile-sentinel
export HIVESEC_HOSTILE_SENTINEL="$SENTINEL"
TIME_LIMIT=120
RSS_LIMIT_KB=$((300 * 1024))

# Hostile tars are cached (the big ones take a while), keyed by the generator's hash.
key="$(sha256sum "$HOSTILE" | cut -c1-16)"
CACHE="${HIVESEC_TESTIMAGES:-$HOME/.cache/hivesec-testimages}/hostile-$key"
mkdir -p "$CACHE"
exec {lockfd}>"$CACHE/.lock"
flock "$lockfd"

O="$(mktemp -d)" # outputs, outside the sandbox we watch
trap 'rm -rf "$O"' EXIT

hash_host() { sha256sum /etc/passwd /etc/shadow /etc/os-release /var/lib/dpkg/status 2>/dev/null; }

cases="${HOSTILE_CASES:-$(python3 "$HOSTILE" list | cut -f1)}"
for c in $cases; do
  tar="$CACHE/$c.tar"
  if [ ! -f "$tar" ]; then
    python3 "$HOSTILE" "$c" "$tar.tmp" && mv "$tar.tmp" "$tar" || {
      fail "$c: generator failed"
      continue
    }
  fi
  info="$(python3 "$HOSTILE" info "$c")"
  expect="$(jq -r .expect <<<"$info" 2>/dev/null || python3 -c 'import json,sys; print(json.load(sys.stdin)["expect"])' <<<"$info")"

  # The sandbox: empty HOME, empty cwd, the cache dir; a sentinel directory outside.
  S="$(mktemp -d /tmp/hivesec-hostile-run.XXXXXX)"
  mkdir -p "$S/home" "$S/cwd" "$S/cache"
  rm -rf "$SENTINEL" /tmp/hivesec-dotdot-escape* /hivesec-dotdot-escape* /etc/hivesec-absolute-pwned
  mkdir -p "$SENTINEL"
  echo untouched >"$SENTINEL/sentinel"
  before_host="$(hash_host)"

  (cd "$S/cwd" && HOME="$S/home" timeout -k 5 "$TIME_LIMIT" /usr/bin/time -f %M -o "$O/rss" \
    "$HIVESEC" image inventory "docker-archive:$tar" --format json --cache-dir "$S/cache" \
    >"$O/out.json" 2>"$O/err")
  rc=$?
  rss="$(tail -1 "$O/rss" 2>/dev/null)"
  [[ "$rss" =~ ^[0-9]+$ ]] || rss=0
  lines=$(wc -l <"$O/err")
  first="$(head -c 200 "$O/err" | head -1)"

  if ((rc == 124 || rc == 137)); then
    fail "$c: timed out after ${TIME_LIMIT}s"
  elif ((rc != 0 && rc != 2)); then
    fail "$c: exit $rc (crash?) stderr: $first"
  else
    case "$expect/$rc" in
      error/2 | either/2)
        if ((lines == 1)) && [ -n "$first" ]; then pass "$c: exit 2, one line: $first"
        else fail "$c: exit 2 but $lines stderr lines"; fi
        ;;
      valid/0 | either/0)
        pk="$(python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1])["packages"]))' "$info")"
        if py pkgset "$O/out.json" "$pk" >"$O/check"; then pass "$c: exit 0, packages as expected"
        else fail "$c: exit 0, packages differ: $(tr '\n' ' ' <"$O/check" | head -c 400)"; fi
        mapfile -t nots < <(python3 -c 'import json,sys; print("\n".join(json.loads(sys.argv[1]).get("os_family_not", [])))' "$info" | grep .)
        if ((${#nots[@]} > 0)); then
          if py os-not "$O/out.json" "${nots[@]}" >"$O/check"; then pass "$c: host OS not reported"
          else fail "$c: $(cat "$O/check")"; fi
        fi
        ;;
      *) fail "$c: expected $expect, got exit $rc (stderr: $first)" ;;
    esac
  fi
  if ((rss == 0)); then echo "NOTE: $c: no peak RSS (killed)"
  elif ((rss > RSS_LIMIT_KB)); then fail "$c: peak RSS $((rss / 1024)) MB > 300 MB"
  else pass "$c: peak RSS $((rss / 1024)) MB"; fi

  # Nothing written outside the cache dir.
  stray="$(cd "$S" && find . -mindepth 1 -not -path './cache' -not -path './cache/*' \
    -not -path ./home -not -path ./cwd | head -5)"
  outside="$(ls "$SENTINEL")"
  escaped="$(ls -d /tmp/hivesec-dotdot-escape* /hivesec-dotdot-escape* /etc/hivesec-absolute-pwned 2>/dev/null)"
  if [ -z "$stray" ] && [ "$outside" = sentinel ] && [ "$(cat "$SENTINEL/sentinel")" = untouched ] &&
    [ -z "$escaped" ] && [ "$before_host" = "$(hash_host)" ]; then
    pass "$c: nothing written outside the cache dir"
  else
    fail "$c: wrote outside the cache dir: ${stray//$'\n'/ } sentinel=[${outside//$'\n'/ }] ${escaped//$'\n'/ }"
  fi
  rm -rf "$S" "$SENTINEL" /tmp/hivesec-dotdot-escape* /hivesec-dotdot-escape* /etc/hivesec-absolute-pwned
done
finish
