#!/usr/bin/env bash
# secrets_test.sh — the "secret" scanner on a real 3-layer docker-archive written here with
# Python's tarfile. Fake secrets are generated now with random characters (none is committed):
# files in layers 0 and 2 (each finding with its path, line and layer), a secret in a file that
# layer 1 deletes (not reported), one under an allowlisted path, one in a binary file (skipped,
# one summary note), ENV / label / history entries of the image config; a user rule file that
# adds a rule and disables one; a broken user rule file (exit 2, one line naming the file); a
# file over --secret-max-size (skipped with a note); and no planted secret in any output format.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
require_hivesec
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
python3 - "$T" "$LIB" <<'PY'
import base64, hashlib, io, json, os, random, string, sys, tarfile
out, lib = sys.argv[1], sys.argv[2]
sys.path.insert(0, lib)
import hostile
rng = random.SystemRandom()
def pick(chars, n):
    return "".join(rng.choice(chars) for _ in range(n))
alnum = string.ascii_letters + string.digits
b64 = alnum + "+/"
s = {
    "ghp": "ghp_" + pick(alnum, 36),
    "akia": "AKIA" + pick(string.ascii_uppercase + "234567", 16),
    "awssecret": pick(b64, 40),
    "pem": "\n".join(pick(b64, 64) for _ in range(12)),
    "dbpass": pick(alnum, 18),
    "slack": "xoxb-" + pick(string.digits, 12) + "-" + pick(string.digits, 13) + "-" + pick(alnum, 24),
    "generic": pick(alnum, 20),
    "deleted": "ghp_" + pick(alnum, 36),
    "doc": "ghp_" + pick(alnum, 36),
    "binary": "ghp_" + pick(alnum, 36),
    "big": "ghp_" + pick(alnum, 36),
    "custom": "acme_" + pick(string.ascii_lowercase + string.digits, 32),
    "envtoken": pick(alnum, 32),
    "envshort": pick(alnum, 6),
    "envghp": "ghp_" + pick(alnum, 36),
    "label": "xoxb-" + pick(string.digits, 11) + "-" + pick(string.digits, 12) + "-" + pick(alnum, 24),
    "history": "github_pat_" + pick(alnum, 22) + "_" + pick(alnum, 59),
}
jwt = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ" + pick(alnum + "-_", 40) + "." +
       pick(alnum + "-_", 43))
s["jwt"] = jwt
pem = "-----BEGIN RSA PRIVATE KEY-----\n" + s["pem"] + "\n-----END RSA PRIVATE KEY-----\n"
big = ("2024-01-01 INFO request served in 3 ms\n" * 60000) + "token " + s["big"] + "\n"
layers = [
    {"etc/os-release": "ID=debian\nVERSION_ID=12\n",
     "app/config.yaml": "name: shop\nlog: info\ngithub:\n  token: " + s["ghp"] + "\ndatabase:\n  url: postgres://shop:" + s["dbpass"] + "@db.internal:5432/shop\n",
     "app/aws.ini": "[default]\naws_access_key_id = " + s["akia"] + "\naws_secret_access_key = " + s["awssecret"] + "\n",
     "app/keys/server.key": pem,
     "app/deleted.env": "GITHUB_TOKEN=" + s["deleted"] + "\n",
     "usr/share/doc/shop/README": "example token " + s["doc"] + "\n",
     "app/blob.bin": "\x7fELF\x00\x00\x00" + s["binary"] + "\n",
     "app/custom.txt": "acme key: " + s["custom"] + "\n"},
    {"app/.wh.deleted.env": ""},
    {"app/notify.py": "import os\n\nSLACK = '" + s["slack"] + "'\nsmtp_password = \"" + s["generic"] + "\"\nAUTH = 'Bearer " + jwt + "'\n",
     "app/big.log": big},
]
paths, diff_ids = hostile.write_layers(out, "", layers, encoding="latin-1")
history = [
    {"created_by": "/bin/sh -c #(nop) ADD dir:abc in /"},
    {"created_by": "/bin/sh -c #(nop) ENV LOG_LEVEL=info", "empty_layer": True},
    {"created_by": "/bin/sh -c rm /app/deleted.env"},
    {"created_by": "|1 GH_PAT=" + s["history"] + " /bin/sh -c ./install.sh"},
]
config = json.dumps({
    "architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
    "config": {"Env": ["PATH=/usr/bin:/bin", "API_TOKEN=" + s["envtoken"], "DB_PASSWORD_FILE=/run/secrets/db",
                       "GH=" + s["envghp"], "ADMIN_PASSWORD=changeme", "SERVICE_TOKEN=" + s["envshort"]],
               "Labels": {"deploy.notify": s["label"], "maintainer": "shop team"},
               "Cmd": ["/bin/sh"]},
    "rootfs": {"type": "layers", "diff_ids": diff_ids},
    "history": history,
}, sort_keys=True).encode()
hostile.write_archive(os.path.join(out, "img.tar"), "secrets", paths, diff_ids, config=config)
open(os.path.join(out, "diff_ids"), "w").write("\n".join(diff_ids) + "\n")
json.dump(s, open(os.path.join(out, "planted.json"), "w"))
open(os.path.join(out, "custom.yaml"), "w").write("""
disable: [aws-access-key-id]
rules:
  - id: acme-key
    title: ACME internal key
    severity: low
    keywords: [acme_]
    regex: '\\b(?P<secret>acme_[a-z0-9]{32})\\b'
    entropy: 3
    examples: {match: ['acme_{lower_digits:32}'], nomatch: ['acme_{x:32}']}
""")
open(os.path.join(out, "broken.yaml"), "w").write("""rules:
  - id: broken-rule
    title: Broken
    severity: high
    keywords: [brk_]
    regex: 'brk_(?=[a-z]{8})'
    examples: {match: ['brk_{lower:8}'], nomatch: ['brk_']}
""")
PY
mapfile -t ids <"$T/diff_ids"
IMG="docker-archive:$T/img.tar"
scan() { "$HIVESEC" image scan "$IMG" --no-store --cache-dir "$T/cache" --scanners secret "$@"; }
rows() { jq -r '.findings[] | select(.kind == "secret") | [.id, .evidence.path, (.evidence.line|tostring), .evidence.layer] | join(" ")' "$1" | sort; }

scan -f json -o "$T/scan.json" 2>"$T/err"
rc=$?
[ $rc = 0 ] && pass "scan exits 0" || fail "scan rc=$rc: $(head -c 300 "$T/err")"
want="$(printf '%s\n' \
  "github-pat app/config.yaml 4 ${ids[0]}" \
  "database-url-password app/config.yaml 6 ${ids[0]}" \
  "aws-access-key-id app/aws.ini 2 ${ids[0]}" \
  "aws-secret-access-key app/aws.ini 3 ${ids[0]}" \
  "private-key-pem app/keys/server.key 2 ${ids[0]}" \
  "slack-bot-token app/notify.py 3 ${ids[2]}" \
  "generic-password-assignment app/notify.py 4 ${ids[2]}" \
  "jwt app/notify.py 5 ${ids[2]}" \
  "github-pat app/big.log 60001 ${ids[2]}" \
  "generic-password-assignment image config: ENV 2 " \
  "image-config-env-secret image config: ENV 6 " \
  "github-pat image config: ENV 4 " \
  "slack-bot-token image config: label deploy.notify 1 " \
  "github-fine-grained-pat image history: layer 4 1 ${ids[2]}" | sort)"
got="$(rows "$T/scan.json")"
[ "$got" = "$want" ] && pass "every planted secret reported once with path, line and layer; deleted, doc and binary ones not" ||
  fail "findings:
$(diff <(echo "$want") <(echo "$got"))"
jq -e '.notes | map(select(startswith("secrets: 1 binary file not scanned for secrets") and contains("app/blob.bin"))) | length == 1' "$T/scan.json" >/dev/null &&
  pass "binary file counted in one summary note" || fail "binary note: $(jq -c .notes "$T/scan.json")"
m="$(jq -r '.findings[] | select(.id == "github-pat" and .evidence.path == "app/config.yaml") | .evidence.match' "$T/scan.json")"
ghp="$(jq -r .ghp "$T/planted.json")"
[ "$m" = "${ghp:0:4}****************************${ghp: -4}" ] || [ "$m" = "${ghp:0:4}$(printf '%*s' 24 '' | tr ' ' '*')${ghp: -4}" ] &&
  pass "match is masked to 4+4 characters ($m)" || fail "masked match: $m"

# Warm cache: same findings.
scan -f json -o "$T/warm.json" 2>/dev/null
[ "$(rows "$T/warm.json")" = "$got" ] && pass "cached rerun gives the same findings" || fail "warm findings differ"

# No planted secret in any output (JSON, SARIF, table), nor on stderr.
scan -f sarif -o "$T/scan.sarif" 2>>"$T/err"
scan -f table -o "$T/scan.txt" 2>>"$T/err"
leaks=""
for key in $(jq -r 'keys[]' "$T/planted.json"); do
  v="$(jq -r --arg k "$key" '.[$k]' "$T/planted.json")"
  needle="$(printf '%s' "$v" | head -c 40 | tail -c 24)"
  for f in "$T/scan.json" "$T/scan.sarif" "$T/scan.txt" "$T/err"; do
    grep -qF -- "$needle" "$f" && leaks="$leaks $key:$(basename "$f")"
  done
done
[ -z "$leaks" ] && pass "no planted secret appears in JSON, SARIF, table or stderr" || fail "leaked:$leaks"
grep -q "github-pat" "$T/scan.txt" && grep -q "github-pat" "$T/scan.sarif" &&
  pass "table and SARIF list the findings" || fail "table/SARIF missing findings"

# User rules: one added, one built-in disabled.
scan --secret-rules "$T/custom.yaml" -f json -o "$T/custom.json" 2>"$T/err"
got="$(rows "$T/custom.json")"
echo "$got" | grep -qx "acme-key app/custom.txt 1 ${ids[0]}" && ! echo "$got" | grep -q "^aws-access-key-id " &&
  pass "--secret-rules adds acme-key and disables aws-access-key-id" || fail "custom rules: $got $(cat "$T/err")"

# Broken user rule file: exit 2, one line naming file and rule, before scanning.
scan --secret-rules "$T/broken.yaml" -f json -o "$T/broken.json" 2>"$T/err"
rc=$?
lines="$(wc -l <"$T/err")"
[ $rc = 2 ] && [ "$lines" = 1 ] && grep -q "^hivesec: error: $T/broken.yaml:2: rule broken-rule: regex: " "$T/err" &&
  [ ! -s "$T/broken.json" ] && pass "broken rule file: exit 2, one line with file, line and rule" ||
  fail "broken rules: rc=$rc lines=$lines $(cat "$T/err")"

# Size cap: the big log is skipped with a note, not silently.
scan --secret-max-size 1M -f json -o "$T/cap.json" 2>/dev/null
jq -e '.notes | map(select(test("^secrets: skipped app/big.log \\([0-9]+ bytes exceeds the 1048576 byte limit\\)$"))) | length == 1' "$T/cap.json" >/dev/null &&
  ! rows "$T/cap.json" | grep -q "app/big.log" && pass "--secret-max-size 1M skips app/big.log with a note" ||
  fail "cap: $(jq -c .notes "$T/cap.json")"

# Other scanners only: no secret findings.
n="$("$HIVESEC" image scan "$IMG" --no-store --cache-dir "$T/cache" --scanners file -f json | jq '[.findings[] | select(.kind == "secret")] | length')"
[ "$n" = 0 ] && pass "--scanners file turns the secret scanner off" || fail "--scanners file: $n secret findings"
finish
