#!/usr/bin/env bash
# agent_response_test.sh — `hivesec agent` response actions against real containers on a real
# engine (a private `podman system service`): kill_process kills the offending process inside
# the container, stop_container stops the container, each outcome is its own alert line
# ("hivesec response"), and a container process is never confused with a host one.
# Needs root, kernel BTF, podman + runc and the `base` test image.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/engine_service.sh"
require_hivesec

[ "$(id -u)" = 0 ] || skip "the agent needs root"
[ -r /sys/kernel/btf/vmlinux ] || skip "no kernel BTF"
PY=/usr/bin/python3
W="$(mktemp -d /tmp/hivesec-agent-resp.XXXXXX)"
AGENT_PID=""
cleanup() {
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null
  engine_service_stop
  rm -rf "$W"
}
trap cleanup EXIT
engine_service_start "$W/engine"
case $? in 0) ;; 77) skip "no podman/runc or base image" ;; *) fail "engine service starts"; exit 1 ;; esac
export DOCKER_HOST="unix://$ENGINE_SOCK"

KILLME="hs-resp-kill-$$"
STOPME="hs-resp-stop-$$"
epod run -d --name "$KILLME" "$ENGINE_IMAGE" sleep 600 >/dev/null || fail "container $KILLME starts"
epod run -d --name "$STOPME" "$ENGINE_IMAGE" sleep 600 >/dev/null || fail "container $STOPME starts"

cat >"$W/policy.yaml" <<'YAML'
responses:
  - rule: Read sensitive file
    action: kill_process
  - rule: Write below etc
    action: stop_container
YAML
ALERTS="$W/alerts.jsonl"
"$HIVESEC" agent --response-policy "$W/policy.yaml" -o "file:$ALERTS" >"$W/out" 2>"$W/err" &
AGENT_PID=$!
for _ in $(seq 1 150); do
  grep -q "rules loaded" "$W/err" 2>/dev/null && break
  kill -0 "$AGENT_PID" 2>/dev/null || break
  sleep 0.1
done
grep -q "rules loaded" "$W/err" && pass "agent starts with a response policy" || {
  cat "$W/err" >&2
  fail "agent starts with a response policy"
  exit 1
}

# kill_process: the shell opens /etc/shadow, then becomes `sleep 60` (same pid). Killed, the
# exec ends with 137 at once; not killed, it would last a minute.
start=$(date +%s)
timeout 30 podman --runtime /usr/sbin/runc exec "$KILLME" sh -c 'exec 3</etc/shadow; exec sleep 60'
rc=$?
took=$(($(date +%s) - start))
[ "$rc" = 137 ] && [ "$took" -lt 10 ] && pass "kill_process killed the process in the container (exit $rc after ${took}s)" ||
  fail "kill_process killed the process in the container (exit $rc after ${took}s)"
[ "$(epod inspect -f '{{.State.Running}}' "$KILLME")" = true ] &&
  pass "kill_process left the container itself running" || fail "kill_process left the container running"

# stop_container: a write below /etc stops the whole container.
epod exec "$STOPME" sh -c 'echo tampered >/etc/hivesec-test' >/dev/null 2>&1
for _ in $(seq 1 100); do
  [ "$(epod inspect -f '{{.State.Running}}' "$STOPME" 2>/dev/null)" = false ] && break
  sleep 0.1
done
[ "$(epod inspect -f '{{.State.Running}}' "$STOPME")" = false ] &&
  pass "stop_container stopped the container" || fail "stop_container stopped the container"

# A host process matching the same rule is reported but never killed.
cat /etc/shadow >/dev/null
sleep 1.5
kill -TERM "$AGENT_PID"
wait "$AGENT_PID"
rc=$?
AGENT_PID=""
[ "$rc" = 0 ] && pass "agent exits 0 on SIGTERM" || fail "agent exits 0 on SIGTERM (rc=$rc)"

"$PY" - "$ALERTS" "$KILLME" "$STOPME" <<'PYEOF' && pass "alerts and response outcomes are in the output" || fail "alerts and response outcomes are in the output"
import json, sys
path, killme, stopme = sys.argv[1:4]
lines = [json.loads(l) for l in open(path)]
def find(pred):
    return [l for l in lines if pred(l)]
ok = True
def expect(cond, what):
    global ok
    if not cond:
        print("  missing: " + what, file=sys.stderr)
        ok = False
alert_kill = find(lambda l: l["rule"] == "Read sensitive file" and l["output_fields"].get("container.name") == killme)
expect(alert_kill, f"Read sensitive file alert for {killme}")
resp_kill = find(lambda l: l["rule"] == "hivesec response" and l["output_fields"]["response.action"] == "kill_process"
                 and l["output_fields"]["container.name"] == killme and l["output_fields"]["response.result"] == "ok")
expect(resp_kill, f"kill_process ok for {killme}")
resp_stop = find(lambda l: l["rule"] == "hivesec response" and l["output_fields"]["response.action"] == "stop_container"
                 and l["output_fields"]["container.name"] == stopme and l["output_fields"]["response.result"] == "ok")
expect(resp_stop, f"stop_container ok for {stopme}")
host_alert = find(lambda l: l["rule"] == "Read sensitive file" and l["output_fields"].get("container.id") == "host")
expect(host_alert, "host Read sensitive file alert")
host_kill = find(lambda l: l["rule"] == "hivesec response" and l["output_fields"]["container.id"] == "host"
                 and l["output_fields"]["response.result"] == "ok")
expect(not host_kill, "no successful response on a host process")
if resp_kill:
    expect(resp_kill[0]["output_fields"]["response.latency_ms"] < 1000, "kill within 1 s of the event")
sys.exit(0 if ok else 1)
PYEOF
finish
