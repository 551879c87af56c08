#!/usr/bin/env bash
# sensitive_files_test.sh — the "file" scanner on a real 3-layer docker-archive (written here with
# Python's tarfile): a key added in layer 0 and deleted (whiteout) in layer 1 is not reported;
# credentials from layer 0 and an .env from layer 2 are, each with the layer that added it;
# `image inventory` and `--scanners vuln` report none; --exit-code gates on them.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
require_hivesec
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
python3 - "$T" "$LIB" <<'PY'
import base64, hashlib, io, json, os, sys, tarfile
out, lib = sys.argv[1], sys.argv[2]
sys.path.insert(0, lib)
import hostile
rnd = base64.b64encode(os.urandom(48)).decode()
layers = [
    {"etc/os-release": "ID=debian\nVERSION_ID=12\n",
     "root/.ssh/id_rsa": "-----BEGIN OPENSSH PRIVATE KEY-----\n" + rnd + "\n-----END OPENSSH PRIVATE KEY-----\n",
     "home/u/.aws/credentials": "[default]\naws_access_key_id = AKIA" + "X" * 16 + "\naws_secret_access_key = " + rnd + "\n"},
    {"root/.ssh/.wh.id_rsa": ""},
    {"app/.env": "DB_PASSWORD=" + rnd + "\n"},
]
paths, diff_ids = hostile.write_layers(out, "", layers)
hostile.write_archive(os.path.join(out, "img.tar"), "sensitive", paths, diff_ids)
open(os.path.join(out, "diff_ids"), "w").write("\n".join(diff_ids) + "\n")
PY
mapfile -t ids <"$T/diff_ids"
IMG="docker-archive:$T/img.tar"
"$HIVESEC" image scan "$IMG" --no-store --cache-dir "$T/cache" -f json -o "$T/scan.json" 2>"$T/err"
got="$(jq -r '.findings[] | select(.kind == "sensitive-file") | [.id, .evidence.path, .evidence.layer] | join(" ")' "$T/scan.json" | sort)"
want="$(printf '%s\n' "aws-credentials home/u/.aws/credentials ${ids[0]}" "dotenv-file app/.env ${ids[2]}" | sort)"
[ "$got" = "$want" ] && pass "credentials (layer 0) and .env (layer 2) reported; the deleted key is not" ||
  fail "findings: [$got] want [$want] $(head -c 200 "$T/err")"
# Warm cache: the same findings from the layer cache.
"$HIVESEC" image scan "$IMG" --no-store --cache-dir "$T/cache" -f json -o "$T/warm.json" 2>/dev/null
[ "$(jq -c '.findings' "$T/warm.json")" = "$(jq -c '.findings' "$T/scan.json")" ] &&
  pass "cached rerun gives the same findings" || fail "warm findings differ"
if grep -q "aws_secret_access_key\|PRIVATE KEY" "$T/scan.json"; then fail "report quotes file content"; else pass "report never quotes the files"; fi
n="$("$HIVESEC" image inventory "$IMG" --cache-dir "$T/cache" -f json | jq '.findings | length')"
[ "$n" = 0 ] && pass "image inventory reports no findings" || fail "inventory has $n findings"
n="$("$HIVESEC" image scan "$IMG" --no-store --cache-dir "$T/cache" --scanners vuln -f json | jq '.findings | length')"
[ "$n" = 0 ] && pass "--scanners vuln turns the file scanner off" || fail "--scanners vuln: $n findings"
"$HIVESEC" image scan "$IMG" --no-store --cache-dir "$T/cache" --severity critical --exit-code 4 >/dev/null 2>&1
rc=$?
[ $rc = 4 ] && pass "--severity critical --exit-code 4 gates on the AWS credentials" || fail "gate: $rc"
finish
