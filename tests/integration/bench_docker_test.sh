#!/usr/bin/env bash
# bench_docker_test.sh — `hivesec bench docker` against a real engine: a private
# `podman system service` (lib/engine_service.sh) running real containers with bad settings
# (privileged, host PID/network/IPC/UTS, the engine socket and /etc mounted, SYS_ADMIN added,
# no limits, root, privileged port on all interfaces, restart always, seccomp off) and a good
# one (read-only, user 1000, memory/CPU/PIDs limits, no-new-privileges, cap-drop ALL, health
# check, port bound to 127.0.0.1). Asserts each section-5 verdict per container from the JSON
# output, subjects in JUnit/SARIF, no ERROR anywhere, Docker-daemon checks INFO "not applicable"
# on Podman, zero running containers -> INFO, an engine outage -> WARN never PASS, a hostile
# engine (wrong types, non-JSON, a 20 MiB reply) -> ERROR never PASS or crash, and offline
# --root fixtures: a malformed daemon.json is ERROR with its reason, never PASS.
# Skips (77) only when podman is absent.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/validate.sh"
source "$(dirname "$0")/lib/engine_service.sh"
require_hivesec
command -v podman >/dev/null || skip "podman missing"
command -v jq >/dev/null || skip "jq missing"
T="$(mktemp -d /tmp/hivesec-bd-XXXXXX)"
cleanup() {
  engine_service_stop
  rm -rf "$T"
}
trap cleanup EXIT
cd "$T" || exit 1

rc=0
engine_service_start "$T/engine" || rc=$?
((rc == 77)) && skip "podman/runc or the base test image are not available here"
((rc != 0)) && {
  echo "FAIL: engine service did not start"
  exit 1
}
export DOCKER_HOST="unix://$ENGINE_SOCK"
S=$$ # container name suffix: names are unique per run
UL=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

# verdict ID NAME FILE: the verdict of check ID for the container named NAME-$S.
verdict() {
  jq -r --arg id "$1" --arg n "$2-$S" \
    '[.results[] | select(.id == $id and (.subject | startswith($n + " (")))][0].verdict // "none"' "$3"
}
expect() { # expect FILE NAME VERDICT ID...
  local f=$1 n=$2 want=$3 id got
  shift 3
  for id in "$@"; do
    got=$(verdict "$id" "$n" "$f")
    if [ "$got" = "$want" ]; then pass "$n: $id $want"; else fail "$n: $id is $got, want $want"; fi
  done
}

# ---------------------------------------------------------------- no running containers
"$HIVESEC" bench docker -f json -o empty.json || fail "bench docker (no containers) exited $?"
jq -e '[.results[] | select(.id | startswith("DOCKER-5.")) | select(.id != "DOCKER-5.1")] |
       length > 0 and all(.verdict == "INFO" and (.subject == "") and
       ((.reason == "no running containers") or (.reason | startswith("not automated"))))' \
  empty.json >/dev/null && pass "no running containers: section 5 is INFO 'no running containers'" ||
  fail "no running containers: $(jq -c '[.results[] | select(.id == "DOCKER-5.5")]' empty.json)"

# ---------------------------------------------------------------- containers
run() { # run NAME ARGS...: a detached `sleep` container
  local n=$1
  shift
  epod run -d --name "$n-$S" "${UL[@]}" "$@" "$ENGINE_IMAGE" sleep 600 >/dev/null 2>"$T/run-$n.log" ||
    fail "could not start container $n: $(grep -v 'level=' "$T/run-$n.log" | tail -2)"
}
run priv --privileged
run hostpid --pid host
run sock -v "$ENGINE_SOCK:/var/run/docker.sock"
run capadd --cap-add SYS_ADMIN
run hostnet --network host
# A free privileged host port (port 80 may be taken on a shared machine).
LOWPORT=$(python3 -c 'import socket
for p in range(990, 1020):
    s = socket.socket()
    try:
        s.bind(("0.0.0.0", p)); print(p); break
    except OSError: pass
    finally: s.close()')
run loose --pids-limit -1 --ipc host --uts host -v /etc:/hostetc -p "$LOWPORT:80" --restart always \
  --security-opt seccomp=unconfined
run good --read-only --user 1000 --memory 64m --pids-limit 100 --cpus 0.5 \
  --security-opt no-new-privileges --cap-drop ALL --health-cmd true --health-interval 60s \
  -p 127.0.0.1:18080:80 --restart on-failure:3

"$HIVESEC" bench docker -f json -o live.json || fail "bench docker exited $?"
jq -e . live.json >/dev/null || {
  fail "bench docker JSON unreadable"
  finish
  exit
}

# The good container passes every automated runtime check that Podman lets it pass.
expect live.json good PASS DOCKER-5.4 DOCKER-5.5 DOCKER-5.6 DOCKER-5.7 DOCKER-5.8 DOCKER-5.10 \
  DOCKER-5.11 DOCKER-5.12 DOCKER-5.13 DOCKER-5.14 DOCKER-5.15 DOCKER-5.16 DOCKER-5.17 \
  DOCKER-5.18 DOCKER-5.20 DOCKER-5.21 DOCKER-5.22 DOCKER-5.23 DOCKER-5.26 DOCKER-5.27 \
  DOCKER-5.29 DOCKER-5.32
expect live.json good INFO DOCKER-5.30 # docker0 only exists with Docker
# Each bad setting fails exactly where it should.
expect live.json priv FAIL DOCKER-5.5 DOCKER-5.22
expect live.json priv PASS DOCKER-5.4 DOCKER-5.16 DOCKER-5.32
expect live.json hostpid FAIL DOCKER-5.16
expect live.json hostpid PASS DOCKER-5.5 DOCKER-5.10
expect live.json sock FAIL DOCKER-5.32
expect live.json sock PASS DOCKER-5.6
expect live.json capadd FAIL DOCKER-5.4
expect live.json capadd PASS DOCKER-5.5
expect live.json hostnet FAIL DOCKER-5.10
expect live.json hostnet PASS DOCKER-5.16
expect live.json loose FAIL DOCKER-5.6 DOCKER-5.8 DOCKER-5.11 DOCKER-5.12 DOCKER-5.13 \
  DOCKER-5.14 DOCKER-5.15 DOCKER-5.17 DOCKER-5.21 DOCKER-5.22 DOCKER-5.26 DOCKER-5.27 \
  DOCKER-5.29
expect live.json loose PASS DOCKER-5.4 DOCKER-5.5 DOCKER-5.10 DOCKER-5.16 DOCKER-5.32

# The reason names the offending value.
jq -e --arg n "sock-$S" '[.results[] | select(.id == "DOCKER-5.32" and (.subject | startswith($n)))][0].reason |
  contains("engine.sock")' live.json >/dev/null && pass "5.32 reason names the mounted socket" ||
  fail "5.32 reason: $(jq -r --arg n "sock-$S" '[.results[] | select(.id == "DOCKER-5.32" and (.subject | startswith($n)))][0].reason' live.json)"
# Subjects carry name and short id.
id12=$(epod inspect -f '{{.Id}}' "good-$S" | cut -c1-12)
jq -e --arg s "good-$S ($id12)" '[.results[] | select(.subject == $s)] | length >= 20' live.json >/dev/null &&
  pass "subject is 'name (short id)'" || fail "no results for subject good-$S ($id12)"

# No ERROR anywhere; Docker-daemon checks are INFO "not applicable" on Podman.
errors=$(jq '[.results[] | select(.verdict == "ERROR")] | length' live.json)
[ "$errors" = 0 ] && pass "no ERROR verdicts on this host" ||
  fail "ERROR verdicts: $(jq -c '[.results[] | select(.verdict == "ERROR") | {id, reason}]' live.json)"
jq -e '[.results[] | select(.id | test("^DOCKER-2\\.[0-9]+$"))] | length == 18 and
       all(.verdict == "INFO" and (.reason | startswith("not applicable: ")) and (.reason | contains("Podman")))' \
  live.json >/dev/null && pass "section 2 is INFO 'not applicable: engine is Podman <version>'" ||
  fail "section 2: $(jq -c '[.results[] | select(.id | startswith("DOCKER-2.")) | {id, verdict, reason}][0:3]' live.json)"
jq -e '[.results[] | select(.id == "DOCKER-3.15" or .id == "DOCKER-3.17")] | all(.verdict == "INFO")' \
  live.json >/dev/null && pass "section 3 Docker files are INFO on Podman" || fail "section 3 Docker files"
# Images: one result per image for 4.1/4.6; the base image runs as root and has no HEALTHCHECK.
jq -e --arg img "$ENGINE_IMAGE" '[.results[] | select((.id == "DOCKER-4.1" or .id == "DOCKER-4.6") and (.subject | startswith($img + " (")))] |
  length == 2 and all(.verdict == "FAIL")' live.json >/dev/null &&
  pass "4.1 and 4.6 FAIL for $ENGINE_IMAGE (root, no HEALTHCHECK)" || fail "image checks for $ENGINE_IMAGE"
# Per-section summary and score.
jq -e '(.sections | length) == 6 and (.sections | map(.total) | add) == (.results | length) and
       (.score.percent | type) == "number"' live.json >/dev/null &&
  pass "JSON: 6 section summaries adding up to the results, a score" || fail "JSON summary"

# JUnit and SARIF carry the subjects; the table shows them too.
"$HIVESEC" bench docker -f junit -o live.xml && python3 - live.xml "priv-$S" <<'PY' && pass "JUnit: well-formed, subjects in testcase names" || fail "JUnit"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
names = [tc.get("name") for tc in root.iter("testcase")]
hit = [n for n in names if n.startswith("DOCKER-5.5 ") and "[" + sys.argv[2] + " (" in n]
failed = [tc for tc in root.iter("testcase") if tc.get("name") in hit and tc.find("failure") is not None]
sys.exit(0 if hit and failed else 1)
PY
"$HIVESEC" bench docker -f sarif -o live.sarif
jq -e --arg n "priv-$S" '[.runs[0].results[] | select(.ruleId == "DOCKER-5.5" and (.properties.subject | startswith($n)))] | length == 1' \
  live.sarif >/dev/null && jq -e '(.runs[0].tool.driver.rules | map(.id) | unique | length) == (.runs[0].tool.driver.rules | length)' live.sarif >/dev/null &&
  pass "SARIF: one rule per check, results carry the subject" || fail "SARIF subjects"
if validate_schema_available; then
  validate_schema sarif-2.1.0 live.sarif && pass "SARIF validates against the 2.1.0 schema" || fail "SARIF schema"
fi
"$HIVESEC" bench docker >live.txt
grep -Eq "FAIL +DOCKER-5\.5 +The container is not privileged \[priv-$S \(" live.txt &&
  pass "table shows the subject" || fail "table: $(grep 'DOCKER-5.5 ' live.txt | head -2)"

# ---------------------------------------------------------------- engine outage
# No engine at all: one line naming the address and exit 2, no half-written report.
DOCKER_HOST="unix://$T/absent.sock" "$HIVESEC" bench docker -f json -o down.json 2>down.err
rc=$?
[ "$rc" = 2 ] && [ "$(wc -l <down.err)" = 1 ] && grep -q "absent.sock" down.err && [ ! -e down.json ] &&
  pass "no engine: one-line error, exit 2, no report" || fail "no engine: rc=$rc $(cat down.err)"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$T/dead.sock"
DOCKER_HOST="unix://$T/dead.sock" timeout 60 "$HIVESEC" bench docker -f json -o dead.json 2>dead.err
rc=$?
[ "$rc" = 2 ] && [ "$(wc -l <dead.err)" = 1 ] && [ ! -e dead.json ] &&
  pass "engine not answering: one-line error, no hang" || fail "dead socket: rc=$rc $(cat dead.err)"

# ---------------------------------------------------------------- hostile engine replies
hostile() { # hostile MODE: runs bench docker against lib/hostile_engine.py in MODE -> $T/MODE.json
  python3 "$LIB/hostile_engine.py" "$T/$1.sock" "$1" &
  local pid=$! i
  for i in $(seq 1 50); do [ -S "$T/$1.sock" ] && break; sleep 0.1; done
  DOCKER_HOST="unix://$T/$1.sock" timeout 60 "$HIVESEC" bench docker -f json -o "$T/$1.json"
  local rc=$?
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return $rc
}
hostile types && pass "hostile engine (wrong types, bad ids, non-JSON): exit 0, no crash" || fail "hostile types: exit $?"
jq -e '[.results[] | select(.id == "DOCKER-5.5" or .id == "DOCKER-4.1")] | length == 2 and
       all(.verdict == "ERROR" and (.reason | test("malformed|not JSON")))' types.json >/dev/null &&
  pass "hostile engine: runtime and image checks ERROR with the reason" ||
  fail "hostile types: $(jq -c '[.results[] | select(.id == "DOCKER-5.5" or .id == "DOCKER-4.1") | {verdict, reason}]' types.json)"
jq -e '[.results[] | select(.id | test("^DOCKER-(4|5|6)\\."))] as $r | ($r | length) > 30 and ([$r[] | select(.verdict == "PASS")] | length == 0)' types.json >/dev/null &&
  pass "hostile engine: no image, runtime or operations check PASSes" || fail "hostile types: a PASS"
jq -e '[.results[] | select(.id == "DOCKER-1.1.1")][0] | .verdict == "ERROR"' types.json >/dev/null &&
  pass "hostile engine: /info with wrong types is ERROR" || fail "hostile /info: $(jq -c '[.results[] | select(.id == "DOCKER-1.1.1")]' types.json)"
hostile huge && pass "hostile engine (20 MiB list): exit 0" || fail "hostile huge: exit $?"
jq -e '[.results[] | select(.id == "DOCKER-5.5")][0] | .verdict == "ERROR" and (.reason | contains("larger than"))' huge.json >/dev/null &&
  pass "hostile engine: an oversized reply is ERROR (bounded body)" || fail "hostile huge: $(jq -c '[.results[] | select(.id == "DOCKER-5.5")]' huge.json)"

# ---------------------------------------------------------------- offline --root fixtures
mkdir -p good/etc/docker/tls bad/etc/docker
printf '{"icc": false, "log-level": "info", "live-restore": true, "userland-proxy": false,\n "no-new-privileges": true, "tlscacert": "/etc/docker/tls/ca.pem",\n "tlscert": "/etc/docker/tls/cert.pem", "tlskey": "/etc/docker/tls/key.pem"}\n' >good/etc/docker/daemon.json
echo ca >good/etc/docker/tls/ca.pem && chmod 444 good/etc/docker/tls/ca.pem
echo cert >good/etc/docker/tls/cert.pem && chmod 644 good/etc/docker/tls/cert.pem
echo key >good/etc/docker/tls/key.pem && chmod 400 good/etc/docker/tls/key.pem
printf '{"icc": false, "log-level": \n' >bad/etc/docker/daemon.json
"$HIVESEC" bench docker --root good -f json -o good.json
"$HIVESEC" bench docker --root bad -f json -o bad.json
for id in DOCKER-2.2 DOCKER-2.3 DOCKER-2.14 DOCKER-2.15 DOCKER-2.16; do
  got=$(jq -r --arg id "$id" '.results[] | select(.id == $id) | .verdict' good.json)
  [ "$got" = PASS ] && pass "--root good daemon.json: $id PASS" || fail "--root good: $id is $got"
  got=$(jq -r --arg id "$id" '.results[] | select(.id == $id) | "\(.verdict) \(.reason)"' bad.json)
  case "$got" in
    "ERROR daemon (/etc/docker/daemon.json): "*) pass "--root malformed daemon.json: $id ERROR with the reason" ;;
    *) fail "--root malformed: $id is '$got'" ;;
  esac
done
# TLS files named by daemon.json: 444/400 pass, a 644 certificate fails (owner depends on who runs).
for id in DOCKER-3.10 DOCKER-3.14; do
  got=$(jq -r --arg id "$id" '.results[] | select(.id == $id) | .verdict' good.json)
  [ "$got" = PASS ] && pass "--root: $id PASS (file named by daemon.json)" || fail "--root: $id is $got"
done
got=$(jq -r '.results[] | select(.id == "DOCKER-3.12") | "\(.verdict) \(.reason)"' good.json)
case "$got" in
  "FAIL f is mode 0644"*) pass "--root: DOCKER-3.12 FAIL for a 644 certificate" ;;
  *) fail "--root: DOCKER-3.12 is '$got'" ;;
esac
jq -e '[.results[] | select(.id == "DOCKER-3.9" or .id == "DOCKER-3.13")] | all(.verdict == "ERROR")' bad.json >/dev/null &&
  pass "--root malformed daemon.json: TLS file checks ERROR" || fail "--root malformed: TLS checks"
jq -e '[.results[] | select(.id | startswith("DOCKER-2.")) | select(.verdict == "PASS")] | length == 0' bad.json >/dev/null &&
  pass "--root malformed daemon.json: no section-2 PASS" || fail "--root malformed: a PASS"
# dockerd flags in the docker.service unit count like daemon.json settings.
mkdir -p unit/lib/systemd/system
printf '[Unit]\nDescription=Docker\n[Service]\nExecStart=/usr/bin/dockerd -H fd:// \\\n  --icc=false --userland-proxy=false --log-level debug\n' >unit/lib/systemd/system/docker.service
"$HIVESEC" bench docker --root unit -f json -o unit.json
got=$(jq -r '[.results[] | select(.id == "DOCKER-2.2" or .id == "DOCKER-2.16" or .id == "DOCKER-2.3") | .verdict] | join(" ")' unit.json)
[ "$got" = "PASS FAIL PASS" ] && pass "--root: dockerd flags in docker.service (icc, userland-proxy PASS; log-level debug FAIL)" ||
  fail "--root unit flags: 2.2 2.3 2.16 are '$got'"
jq -e '[.results[] | select(.id == "DOCKER-5.5")][0] | .verdict == "INFO" and (.reason | contains("offline"))' good.json >/dev/null &&
  pass "--root: runtime checks INFO (no engine for an offline tree)" || fail "--root runtime: $(jq -c '[.results[] | select(.id == "DOCKER-5.5")]' good.json)"
"$HIVESEC" bench docker --root bad --exit-code 3 -f json -o /dev/null
[ $? = 3 ] && pass "--exit-code gates on ERROR" || fail "--exit-code"

finish
