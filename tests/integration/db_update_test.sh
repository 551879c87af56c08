#!/usr/bin/env bash
# db_update_test.sh — `hivesec db update` against a loopback OSV mirror (lib/osv_mirror.py)
# serving zips made at test time from the real npm advisories (../shared/vulndata/npm/all.zip):
# first fetch, 304 on the second (with the conditional headers in the server log), a changed zip
# replacing records, fault modes (500, truncated body, wrong Content-Length, garbage, hang,
# redirect loop, size limit) leaving the database byte-identical, `--mirror DIR`, and kill -9
# mid-download leaving the database intact and no temporary files after the next run.
# No internet: everything is on 127.0.0.1.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
require_hivesec
command -v python3 >/dev/null || skip "python3 missing"
command -v sqlite3 >/dev/null || skip "sqlite3 missing"

DATA=""
for d in "${HIVESEC_VULNDATA:-}" "$HIVESEC_SRC/../shared/vulndata" "$HIVESEC_SRC/../../shared/vulndata"; do
  [ -n "$d" ] && [ -f "$d/npm/all.zip" ] && DATA="$d" && break
done
[ -n "$DATA" ] || skip "no vulndata (set HIVESEC_VULNDATA)"

T=$(mktemp -d /tmp/hivesec-dbupdate.XXXXXX)
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
export XDG_DATA_HOME="$T/data" # no user inventory store: nothing to re-match here
DB="$T/db/vuln.db"
mkdir -p "$T/mirror/npm" "$T/db"

# v1: the real zip. v2: one record removed, one changed, one added, one malformed.
python3 - "$DATA/npm/all.zip" "$T" <<'EOF'
import json, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as z:
    entries = sorted((n, z.read(n)) for n in z.namelist() if n.endswith(".json"))
ids = [json.loads(b)["id"] for _, b in entries]
removed, changed = ids[0], ids[1]
with zipfile.ZipFile(out + "/v1.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for n, b in entries:
        z.writestr(n, b)
with zipfile.ZipFile(out + "/v2.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for n, b in entries[1:]:
        if n == entries[1][0]:
            rec = json.loads(b)
            rec["modified"] = "2099-01-01T00:00:00Z"
            b = json.dumps(rec).encode()
        z.writestr(n, b)
    added = json.loads(entries[2][1])
    added["id"] = "HIVESEC-TEST-0001"
    z.writestr("HIVESEC-TEST-0001.json", json.dumps(added))
    z.writestr("BROKEN-1.json", "{not json")
with open(out + "/ids", "w") as f:
    f.write("N=%d\nREMOVED=%s\nCHANGED=%s\nADDED=HIVESEC-TEST-0001\n" % (len(ids), removed, changed))
EOF
source "$T/ids"
publish() { cp "$1" "$T/mirror/npm/.all.zip.new" && mv "$T/mirror/npm/.all.zip.new" "$T/mirror/npm/all.zip"; }
publish "$T/v1.zip"

python3 "$LIB/osv_mirror.py" --root "$T/mirror" --port-file "$T/port" --log "$T/mirror.log" \
  --slow-interval 0.5 &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.1; done
[ -s "$T/port" ] || { echo "FAIL: mirror server did not start"; exit 1; }
URL="http://127.0.0.1:$(cat "$T/port")"
mode() { python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()' "$URL/_control/mode/$1"; }
requests() { grep -c '"path": "/npm/all.zip"' "$T/mirror.log" 2>/dev/null || echo 0; }
last_request() { grep '"path": "/npm/all.zip"' "$T/mirror.log" | tail -n 1; }
q() { sqlite3 "$DB" "$1"; }
upd() { "$HIVESEC" db update --db "$DB" "$@" >"$T/out" 2>"$T/err"; }
leftovers() { find "$T/db" -mindepth 1 ! -name vuln.db | sort; }
# The server logs a request after answering it: wait (up to 5 s) until the log has N lines.
wait_log() { for _ in $(seq 50); do (($(wc -l <"$T/mirror.log") >= $1)) && return; sleep 0.1; done; }

# 1. First update imports every record.
if upd --mirror "$URL" --ecosystems npm && grep -Eq "^npm +$N records: $N added, 0 changed, 0 removed" "$T/out" &&
  [ "$(q "SELECT COUNT(*) FROM advisories WHERE source='npm'")" = "$N" ]; then
  pass "first update imports $N npm records"
else
  fail "first update: $(cat "$T/out" "$T/err")"
fi

# 2. Second update: conditional request, 304, nothing imported, the DB file is not replaced.
ino_before=$(stat -c %i "$DB")
n=$(wc -l <"$T/mirror.log")
if upd --mirror "$URL" --ecosystems npm && grep -Eq "^npm +not modified" "$T/out" &&
  [ "$(stat -c %i "$DB")" = "$ino_before" ]; then
  pass "second update is not modified"
else
  fail "second update: $(cat "$T/out" "$T/err")"
fi
wait_log $((n + 1))
if last_request | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
sys.exit(0 if r["status"] == 304 and r["if_none_match"] and r["if_modified_since"] else 1)'; then
  pass "server saw If-None-Match and If-Modified-Since and answered 304: $(last_request)"
else
  fail "no conditional request in the server log: $(last_request)"
fi

# 3. db status shows what was fetched.
etag=$(q "SELECT etag FROM fetch_state WHERE ecosystem='npm'")
if "$HIVESEC" db status --db "$DB" >"$T/status" && grep -q "LAST FETCHED" "$T/status" &&
  grep -qF "$etag" "$T/status" && grep -qF "$URL/npm/all.zip" "$T/status"; then
  pass "db status shows the ETag, times and source"
else
  fail "db status: $(cat "$T/status")"
fi

# 4. Without --ecosystems: the ecosystems in the database (npm only).
n=$(wc -l <"$T/mirror.log")
if upd --mirror "$URL" && wait_log $((n + 1)) && [ "$(wc -l <"$T/mirror.log")" = $((n + 1)) ] && grep -Eq "^npm +not modified" "$T/out"; then
  pass "default ecosystems are those in the database"
else
  fail "default ecosystems: $(tail -n +$((n + 1)) "$T/mirror.log") $(cat "$T/out" "$T/err")"
fi

# 5. A changed zip replaces the ecosystem's records.
publish "$T/v2.zip"
if upd --mirror "$URL" --ecosystems npm &&
  grep -Eq "^npm +$N records: 1 added, 1 changed, 1 removed, $((N - 2)) unchanged; 1 skipped" "$T/out" &&
  grep -q "skipped npm/all.zip:BROKEN-1.json" "$T/err"; then
  pass "changed zip: 1 added, 1 changed, 1 removed, 1 skipped"
else
  fail "changed zip: $(cat "$T/out" "$T/err")"
fi
if [ "$(q "SELECT COUNT(*) FROM advisories WHERE id='$REMOVED'")" = 0 ] &&
  [ "$(q "SELECT COUNT(*) FROM affected WHERE advisory_id='$REMOVED'")" = 0 ] &&
  [ "$(q "SELECT modified FROM advisories WHERE id='$CHANGED'")" = "2099-01-01T00:00:00Z" ] &&
  [ "$(q "SELECT COUNT(*) FROM advisories WHERE id='$ADDED'")" = 1 ] &&
  [ "$(q "SELECT COUNT(*) FROM advisories")" = "$N" ]; then
  pass "removed id $REMOVED is gone, $CHANGED changed, $ADDED added"
else
  fail "records after the changed zip do not match"
fi

# 6. Fault modes: non-zero exit, one stderr line naming npm, DB byte-identical, no temp files.
publish "$T/v1.zip"
sum_before=$(sha256sum <"$DB")
for m in 500 truncate wrong-length garbage hang redirect-loop; do
  mode "$m"
  start=$(date +%s)
  upd --mirror "$URL" --ecosystems npm --timeout 2
  rc=$?
  secs=$(($(date +%s) - start))
  if ((rc != 0)) && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "^hivesec: error: npm: " "$T/err" &&
    [ "$(sha256sum <"$DB")" = "$sum_before" ] && [ -z "$(leftovers)" ] && ((secs < 20)); then
    pass "fault $m: exit $rc in ${secs}s, DB unchanged: $(cat "$T/err")"
  else
    fail "fault $m: rc=$rc secs=$secs err=$(cat "$T/err") leftovers=$(leftovers)"
  fi
done
mode normal
if ! upd --mirror "$URL" --ecosystems npm --max-size 1K && grep -q "limit 1024" "$T/err" &&
  [ "$(sha256sum <"$DB")" = "$sum_before" ]; then
  pass "size limit: $(cat "$T/err")"
else
  fail "size limit: $(cat "$T/out" "$T/err")"
fi

# 7. kill -9 in the middle of a slow download: DB intact; the next run cleans up.
mode slow
"$HIVESEC" db update --db "$DB" --mirror "$URL" --ecosystems npm >/dev/null 2>&1 &
pid=$!
partial=""
for _ in $(seq 100); do
  partial=$(find "$T/db" -name 'vuln.db.fetch-*.tmp' -size +0 | head -n 1)
  [ -n "$partial" ] && break
  sleep 0.1
done
{
  kill -9 "$pid"
  wait "$pid"
} 2>/dev/null
if [ -n "$partial" ] && [ -f "$partial" ] && [ "$(sha256sum <"$DB")" = "$sum_before" ]; then
  pass "kill -9 mid-download ($(stat -c %s "$partial") bytes of $(stat -c %s "$T/v1.zip")): DB unchanged"
else
  fail "kill -9: partial='$partial' $(ls -la "$T/db")"
fi
mode normal
if upd --mirror "$URL" --ecosystems npm && grep -Eq "^npm +$N records: 1 added, 1 changed, 1 removed" "$T/out" &&
  [ -z "$(leftovers)" ] && [ "$(q "PRAGMA integrity_check")" = ok ]; then
  pass "next run after the kill updates and leaves no temporary files"
else
  fail "after kill: $(cat "$T/out" "$T/err") leftovers=$(leftovers)"
fi

# 8. --mirror DIR: same layout on disk, with its own not-modified check.
DB2="$T/db2/vuln.db"
if "$HIVESEC" db update --db "$DB2" --mirror "$T/mirror" --ecosystems npm >"$T/out" 2>"$T/err" &&
  grep -Eq "^npm +$N records: $N added" "$T/out" &&
  "$HIVESEC" db update --db "$DB2" --mirror "$T/mirror" --ecosystems npm >"$T/out2" 2>&1 &&
  grep -Eq "^npm +not modified" "$T/out2" &&
  [ "$(sqlite3 "$DB2" "SELECT COUNT(*) FROM advisories")" = "$N" ]; then
  pass "--mirror DIR imports, then is not modified"
else
  fail "--mirror DIR: $(cat "$T/out" "$T/err" "$T/out2")"
fi

# 9. Bad arguments fail before touching anything.
if ! "$HIVESEC" db update --db "$T/db3/vuln.db" --mirror "ftp://x" 2>"$T/err" &&
  [ "$(wc -l <"$T/err")" = 1 ] && [ ! -e "$T/db3/vuln.db" ] &&
  ! "$HIVESEC" db update --db "$T/db3/vuln.db" --mirror "$URL" --ecosystems "../etc" 2>/dev/null; then
  pass "bad mirror or ecosystem name: $(cat "$T/err")"
else
  fail "bad arguments were accepted"
fi

finish
