#!/usr/bin/env bash
# sensor_test.sh — the eBPF runtime sensor on the real kernel: runs real workloads (exec, file
# changes under a watched prefix, sensitive reads, IPv4/IPv6 connects, dup2 of a socket onto
# fd 0, setuid, fileless memfd exec, unshare + mount, a podman container with Engine API
# metadata, an open flood) and asserts the events `hivesec sensor --json` prints.
# Needs root, kernel BTF, python3; the container part needs podman + runc + the test images.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
require_hivesec

[ "$(id -u)" = 0 ] || skip "the sensor needs root"
[ -r /sys/kernel/btf/vmlinux ] || skip "no kernel BTF (/sys/kernel/btf/vmlinux)"
PY=/usr/bin/python3
[ -x "$PY" ] || skip "needs /usr/bin/python3"

W="$(mktemp -d /tmp/hivesec-sensor.XXXXXX)"
SENSOR_PID=""
SERVICE_PID=""
cleanup() {
  [ -n "$SENSOR_PID" ] && kill "$SENSOR_PID" 2>/dev/null
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
mkdir -p "$W/watched" "$W/unwatched" "$W/secret" "$W/mnt"
echo key >"$W/secret/id_key"

# start_sensor OUT ARGS...: starts the sensor in the background, waits until it is attached.
start_sensor() {
  local out="$1"
  shift
  "$HIVESEC" sensor --json "$@" >"$out" 2>"$out.err" &
  SENSOR_PID=$!
  for _ in $(seq 1 100); do
    grep -q attached "$out.err" 2>/dev/null && return 0
    kill -0 "$SENSOR_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "sensor did not start:" >&2
  cat "$out.err" >&2
  return 1
}
stop_sensor() {
  sleep 1.5 # let the last records drain
  kill -TERM "$SENSOR_PID" 2>/dev/null
  wait "$SENSOR_PID"
  local rc=$?
  SENSOR_PID=""
  return $rc
}

# check NAME OUT PYTHON-EXPR: passes when some event e (a dict) satisfies the expression.
check() {
  local name="$1" out="$2" expr="$3"
  if "$PY" - "$out" "$expr" <<'EOF'; then pass "$name"; else fail "$name"; fi
import json, sys
out, expr = sys.argv[1], sys.argv[2]
evs = []
for line in open(out, errors="replace"):
    try:
        evs.append(json.loads(line))
    except ValueError:
        pass
ok = any(eval(expr, {}, {"e": e}) for e in evs)
if not ok:
    print(f"  no event matches: {expr} ({len(evs)} events)", file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
}
check_none() {
  local name="$1" out="$2" expr="$3"
  if "$PY" - "$out" "$expr" <<'EOF'; then pass "$name"; else fail "$name"; fi
import json, sys
out, expr = sys.argv[1], sys.argv[2]
bad = [l for l in open(out, errors="replace") if l.startswith("{") and eval(expr, {}, {"e": json.loads(l)})]
if bad:
    print("  unexpected: " + bad[0][:300], file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}

# ---------- 1. host workloads ----------
OUT="$W/host.jsonl"
start_sensor "$OUT" --types all --write-prefix "$W/watched/" --read-prefix "$W/secret/" || {
  fail "sensor starts"
  finish
  exit 1
}
pass "sensor starts and attaches"

(cd "$W" && /bin/echo sensor-marker arg2 >/dev/null)
echo data >"$W/watched/a.txt"
mv "$W/watched/a.txt" "$W/watched/b.txt"
chmod 600 "$W/watched/b.txt"
rm "$W/watched/b.txt"
echo data >"$W/unwatched/c.txt"
cat "$W/secret/id_key" >/dev/null
cat "$W/unwatched/c.txt" >/dev/null

PORT4=$((20000 + RANDOM % 20000))
PORT6=$((PORT4 + 1))
"$PY" - "$PORT4" "$PORT6" <<'EOF'
import os, socket, sys
p4, p6 = int(sys.argv[1]), int(sys.argv[2])
for fam, addr, port in ((socket.AF_INET, "127.0.0.1", p4), (socket.AF_INET6, "::1", p6)):
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, port))
    srv.listen(4)
    c = socket.socket(fam, socket.SOCK_STREAM)
    c.connect((addr, port))
    conn, _ = srv.accept()
    if fam == socket.AF_INET:
        os.dup2(c.fileno(), 0)  # the reverse-shell move: a socket becomes stdin
    conn.close(); c.close(); srv.close()
EOF
"$PY" -c 'import os; os.setgid(65534); os.setuid(65534)'
"$PY" - <<'EOF'
import os
fd = os.memfd_create("hs-fileless", 0)
os.write(fd, open("/bin/true", "rb").read())
os.execve(f"/proc/self/fd/{fd}", ["fileless-true"], {})
EOF
unshare -m --propagation private sh -c "mount -t tmpfs hs-sensor-tmpfs '$W/mnt' && umount '$W/mnt'"

# The sensor's own attachments ("pid P fd N: prog_id I <type> <tracepoint>" lines of bpftool perf
# list), so sensors of other processes running at the same time do not count.
bpftool perf list 2>/dev/null | awk -v p="$SENSOR_PID" '$1 == "pid" && $2 == p {print $6, $8}' \
  >"$W/attached.txt"
stop_sensor || fail "sensor exits 0 on SIGTERM"
# Programs are freed shortly after their last attachment is closed (RCU), so allow a moment.
LEFT=""
for _ in $(seq 1 50); do
  LEFT=""
  for id in $(cut -d' ' -f1 "$W/attached.txt" | sort -u); do
    bpftool prog show id "$id" >/dev/null 2>&1 && LEFT="$LEFT $id"
  done
  [ -z "$LEFT" ] && break
  sleep 0.1
done

check "exec with argv and cwd" "$OUT" \
  "e['type']=='exec' and e['proc']['args']==['sensor-marker','arg2'] and e['proc']['cwd']=='$W' and e['proc']['exepath'].endswith('/echo')"
check "exec has parent chain" "$OUT" \
  "e['type']=='exec' and e['proc']['args']==['sensor-marker','arg2'] and len(e['ancestors'])>=2 and e['ancestors'][0]['pid']==e['proc']['ppid']"
check "write-open under watched prefix" "$OUT" \
  "e['type']=='open' and e['args']['path']=='$W/watched/a.txt' and e['args']['flags'] & 0o100 and e['fd']['num']>=0"
check "rename under watched prefix" "$OUT" \
  "e['type']=='rename' and e['args']['path']=='$W/watched/a.txt' and e['args']['target']=='$W/watched/b.txt' and e['args']['res']==0"
check "chmod under watched prefix" "$OUT" \
  "e['type']=='chmod' and e['args']['path']=='$W/watched/b.txt' and e['args']['mode']==0o600"
check "unlink under watched prefix" "$OUT" \
  "e['type']=='unlink' and e['args']['path']=='$W/watched/b.txt'"
check_none "nothing outside the prefixes" "$OUT" \
  "e['type'] in ('open','rename','chmod','unlink') and '/unwatched/' in e['args']['path']"
check "sensitive read under read prefix" "$OUT" \
  "e['type']=='open' and e['args']['path']=='$W/secret/id_key' and (e['args']['flags'] & 3)==0"
check "IPv4 connect with addresses and ports" "$OUT" \
  "e['type']=='connect' and e['fd']['typechar']=='4' and e['fd']['sip']=='127.0.0.1' and e['fd']['sport']==$PORT4 and e['fd']['cport']>0 and e['args']['res']==0"
check "IPv6 connect with addresses and ports" "$OUT" \
  "e['type']=='connect' and e['fd']['typechar']=='6' and e['fd']['sip']=='::1' and e['fd']['sport']==$PORT6 and e['fd']['cip']=='::1'"
check "accept on the server side" "$OUT" \
  "e['type']=='accept' and e['fd']['is_server'] and e['fd']['sport']==$PORT4 and e['fd']['cport']>0"
check "listen and bind" "$OUT" \
  "e['type']=='listen' and e['fd']['sport']==$PORT6" 
check "dup2 of a socket onto fd 0" "$OUT" \
  "e['type']=='dup' and e['syscall'] in ('dup2','dup3') and e['args']['newfd']==0 and e['fd']['typechar']=='4' and e['fd']['sport']==$PORT4"
check "setuid with target uid" "$OUT" \
  "e['type']=='setuid' and e['args']['target_uid']==65534 and e['args']['res']==0"
check "setgid with target gid" "$OUT" "e['type']=='setgid' and e['args']['target_gid']==65534"
check "memfd_create with name" "$OUT" "e['type']=='memfd_create' and e['args']['name']=='hs-fileless'"
check "fileless exec from a memfd" "$OUT" \
  "e['type']=='exec' and e['proc']['exe']=='fileless-true' and e['proc']['exe_from_memfd'] and e['proc']['exepath']=='/memfd:hs-fileless (deleted)'"
check "unshare of the mount namespace" "$OUT" \
  "e['type']=='unshare' and e['args']['flags'] & 0x20000"
check "mount in a private namespace" "$OUT" \
  "e['type']=='mount' and e['args']['fstype']=='tmpfs' and e['args']['path']=='hs-sensor-tmpfs' and e['args']['target']=='$W/mnt'"
check "umount" "$OUT" "e['type']=='umount' and e['args']['target']=='$W/mnt'"
check "fork and exit are reported" "$OUT" "e['type']=='fork'"
check "host processes are attributed to host" "$OUT" \
  "e['type']=='exec' and e['container']['id']=='host'"
# Hook layout (docs/runtime/sensor.md): the scheduler hooks, and with per-syscall tracepoints
# an exit hook on each wanted syscall only (no raw_syscalls hook that every syscall would run),
# an entry hook only where the record needs the caller's credentials.
has_tp() { grep -q " $1\$" "$W/attached.txt"; }
NPROGS="$(cut -d' ' -f1 "$W/attached.txt" | sort -u | wc -l)"
NHOOKS="$(wc -l <"$W/attached.txt")"
if [ -d /sys/kernel/tracing/events/syscalls ] || [ -d /sys/kernel/debug/tracing/events/syscalls ]; then
  if has_tp sched_process_exec && has_tp sys_exit_openat && has_tp sys_exit_connect &&
    has_tp sys_exit_setuid && has_tp sys_enter_setuid && ! has_tp sys_enter_openat &&
    ! has_tp sys_exit_getpid && ! has_tp sys_enter && ! has_tp sys_exit; then
    pass "hooks: $NHOOKS attachments of $NPROGS programs, per-syscall tracepoints of the wanted syscalls only"
  else
    fail "hooks: unexpected attachments: $(tr '\n' ',' <"$W/attached.txt")"
  fi
else
  has_tp sys_enter && has_tp sys_exit && pass "hooks: raw_syscalls fallback" ||
    fail "hooks: no raw_syscalls fallback: $(tr '\n' ',' <"$W/attached.txt")"
fi
if [ "$NPROGS" -ge 4 ] && [ -z "$LEFT" ]; then
  pass "SIGTERM detaches the programs ($NPROGS programs in $NHOOKS attachments while running, none loaded after)"
else
  fail "SIGTERM detaches the programs ($NPROGS programs while running; still loaded after:${LEFT:- none})"
fi

# ---------- 2. event flood: a stopped consumer, a small ring buffer ----------
OUT="$W/flood.jsonl"
start_sensor "$OUT" --types open --write-prefix "$W/watched/" --ringbuf-kb 1024 || fail "flood sensor starts"
kill -STOP "$SENSOR_PID"
"$PY" - "$W/watched/flood" <<'EOF'
import os, sys
for i in range(20000):
    fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o644)
    os.close(fd)
EOF
kill -CONT "$SENSOR_PID"
if stop_sensor; then pass "flood: sensor survives and exits 0"; else fail "flood: sensor exit status"; fi
DROPS="$(sed -n 's/.*ringbuf_file=\([0-9]*\).*/\1/p' "$OUT.err")"
N="$(grep -c '"type":"open"' "$OUT" || true)"
if [ "${DROPS:-0}" -gt 0 ] && [ "$N" -gt 0 ] && [ $((N + DROPS)) -ge 19000 ]; then
  pass "flood: $N delivered + $DROPS counted drops"
else
  fail "flood: delivered=$N drops=${DROPS:-?} ($(cat "$OUT.err"))"
fi

# ---------- 3. a podman container with Engine API metadata ----------
if ! command -v podman >/dev/null || [ ! -x /usr/sbin/runc ]; then
  echo "SKIP: container checks (no podman/runc)"
  finish
  exit $?
fi
IMG_DIR="$("$IMAGES" build clean 2>/dev/null)" || IMG_DIR=""
if [ -z "$IMG_DIR" ]; then
  echo "SKIP: container checks (test image 'clean' cannot be built here)"
  finish
  exit $?
fi
eval "$("$IMAGES" env)"
REF="$(cat "$IMG_DIR/ref.txt")"
SOCK="$W/engine.sock"
podman --runtime /usr/sbin/runc system service --time=0 "unix://$SOCK" >"$W/service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 100); do
  curl -sf --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1 && break
  sleep 0.1
done
OUT="$W/container.jsonl"
# A generous wait: on a loaded machine Podman answers an inspect only after the start.
DOCKER_HOST="unix://$SOCK" start_sensor "$OUT" --types exec,open,connect --metadata-wait 10000 \
  --write-prefix /tmp/ || fail "container sensor starts"
NAME="hs-sensor-test-$$"
CID="$(podman --runtime /usr/sbin/runc run -d --name "$NAME" --ulimit nofile=1024:1024 \
  --ulimit nproc=1024:1024 "$REF" sh -c 'sleep 1; cp /bin/ls /tmp/ls2; /tmp/ls2 / >/dev/null; /bin/ls / >/dev/null; sleep 1')"
podman wait "$NAME" >/dev/null 2>&1
stop_sensor
podman rm -f "$NAME" >/dev/null 2>&1
"$PY" - "$OUT" "$CID" "$NAME" "$REF" <<'EOF' && pass "first container event carries id, name and image" || fail "first container event carries id, name and image"
import json, sys
out, cid, name, ref = sys.argv[1:5]
evs = [json.loads(l) for l in open(out) if l.startswith("{")]
mine = [e for e in evs if e.get("container", {}).get("id") == cid]
if not mine:
    print(f"  no event with container id {cid} ({len(evs)} events)", file=sys.stderr); sys.exit(1)
c = mine[0]["container"]
ok = c["metadata_complete"] and c["name"] == name and c["image"].endswith(ref.split("/")[-1])
if not ok:
    print(f"  first event container: {c}", file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
check "container exec of a copied binary is drift (upper layer, written after start)" "$OUT" \
  "e['type']=='exec' and e['container']['id']=='$CID' and e['proc']['exepath']=='/tmp/ls2' and e['proc']['exe_upper_layer'] and e['proc']['exe_written_after_start']"
check "container exec of an image binary is not drift" "$OUT" \
  "e['type']=='exec' and e['container']['id']=='$CID' and e['proc']['exepath']=='/usr/bin/ls' and not e['proc']['exe_upper_layer'] and not e['proc']['exe_written_after_start']"
check "container process has a container pid" "$OUT" \
  "e['type']=='exec' and e['container']['id']=='$CID' and 0 < e['proc']['vpid'] < e['proc']['pid']"

# A slow engine (inspect answers delayed 1.5 s by a proxy in front of the real one): the new
# container's first events wait for the metadata, other events are not delayed; with
# --metadata-wait 0 they go out at once with the id alone and later events get the metadata.
SLOW="$W/slow.sock"
"$PY" "$HIVESEC_SRC/tests/integration/lib/slow_proxy.py" "$SLOW" "$SOCK" 1.5 &
PROXY_PID=$!
for _ in $(seq 1 50); do [ -S "$SLOW" ] && break; sleep 0.1; done
for WAIT in 8000 0; do
  OUT="$W/slow-$WAIT.jsonl"
  DOCKER_HOST="unix://$SLOW" start_sensor "$OUT" --types exec --metadata-wait "$WAIT" ||
    fail "slow-engine sensor starts"
  CID3="$(podman --runtime /usr/sbin/runc run -d --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
    "$REF" sh -c '/bin/true first; sleep 6; /bin/true later')"
  sleep 0.5
  /bin/true "hs-marker-$$-$WAIT" # a host event while the container's lookup is slow
  podman wait "$CID3" >/dev/null 2>&1
  stop_sensor
  podman rm -f "$CID3" >/dev/null 2>&1
  "$PY" - "$OUT" "$CID3" "$WAIT" "hs-marker-$$-$WAIT" <<'EOF' && pass "slow engine, --metadata-wait $WAIT" || fail "slow engine, --metadata-wait $WAIT"
import json, sys
out, cid, wait, marker = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
evs = [json.loads(l) for l in open(out) if l.startswith("{")]
mine = [(i, e) for i, e in enumerate(evs) if e.get("container", {}).get("id") == cid]
mark = [(i, e) for i, e in enumerate(evs) if marker in e["proc"].get("args", [])]
later = [e for _, e in mine if e["proc"].get("args", [])[-1:] == ["later"]]
if not mine or not mark or not later:
    print(f"  container events {len(mine)}, marker {len(mark)}, later {len(later)}", file=sys.stderr)
    sys.exit(1)
first_i, first = mine[0]
mark_i, m = mark[0]
ok = later[0]["container"]["metadata_complete"]  # named once the engine answered, either way
if wait:
    # Held: the first event is named, and the host marker (later in time) went out before it.
    ok = ok and first["container"]["metadata_complete"] and first["ts"] < m["ts"] and mark_i < first_i
else:
    ok = ok and not first["container"]["metadata_complete"] and first_i < mark_i
if not ok:
    print(f"  first={first['container']} first_i={first_i} mark_i={mark_i}", file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
done
kill "$PROXY_PID" 2>/dev/null
wait "$PROXY_PID" 2>/dev/null

# Engine outage: metadata degrades to the id, events still flow.
kill "$SERVICE_PID" 2>/dev/null
wait "$SERVICE_PID" 2>/dev/null
SERVICE_PID=""
OUT="$W/outage.jsonl"
DOCKER_HOST="unix://$SOCK" start_sensor "$OUT" --types exec || fail "outage sensor starts"
CID2="$(podman --runtime /usr/sbin/runc run -d --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
  "$REF" sh -c 'sleep 1; /bin/true')"
podman wait "$CID2" >/dev/null 2>&1
stop_sensor
podman rm -f "$CID2" >/dev/null 2>&1
check "engine outage: events keep the container id, metadata_complete=false" "$OUT" \
  "e['type']=='exec' and e['container']['id']=='$CID2' and not e['container']['metadata_complete'] and e['proc']['exepath']=='/usr/bin/true'"

finish
