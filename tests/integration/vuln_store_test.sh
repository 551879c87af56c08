#!/usr/bin/env bash
# vuln_store_test.sh — continuous detection: scans are kept in the inventory store; a database
# update that brings a new advisory reports it for the stored image without rescanning, a
# withdrawn advisory is reported resolved; `vuln where` finds images by CVE, `vuln show` any
# alias, `vuln fixes` ranks upgrades. Real npm advisories (bundled data), a real image, and
# `db update --mirror DIR` (a directory in the OSV bucket layout).
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
require_hivesec
DATA="$HIVESEC_SRC/data/vulndata"
D="$(build_image app)" || exit $?
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
S="$T/store.db"
DB="$T/vuln.db"
NEW=GHSA-35jh-r3h4-6jhm  # lodash, CVE-2021-23337: held back, then published
GONE=GHSA-p6mc-m468-83gw # lodash, CVE-2020-8203: withdrawn later

# mirror/npm/all.zip from the real npm records, with edits made by a tiny Python step.
make_mirror() { # out_dir mode(without-new|full|withdrawn)
  mkdir -p "$1/npm" "$1/Go"
  cp "$DATA/Go/all.zip" "$1/Go/all.zip"
  python3 - "$DATA/npm/all.zip" "$1/npm/all.zip" "$2" "$NEW" "$GONE" <<'PY'
import json, sys, zipfile
src, dst, mode, new, gone = sys.argv[1:]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for name in zin.namelist():
        rec = json.loads(zin.read(name))
        if mode == "without-new" and rec["id"] == new:
            continue
        if mode == "withdrawn" and rec["id"] == gone:
            rec["withdrawn"] = "2026-11-01T00:00:00Z"
            rec["modified"] = "2026-11-01T00:00:00Z"
        zout.writestr(name, json.dumps(rec))
PY
}
make_mirror "$T/m1" without-new
make_mirror "$T/m2" full
make_mirror "$T/m3" withdrawn

"$HIVESEC" db update --mirror "$T/m1" --ecosystems npm,Go --db "$DB" --store "$S" >/dev/null 2>&1 ||
  fail "first db update"
IMG="docker-archive:$D/docker.tar"
"$HIVESEC" image scan "$IMG" --db "$DB" --store "$S" --cache-dir "$T/cache" -f json -o "$T/scan.json" 2>/dev/null
name="$(jq -r .asset.name "$T/scan.json")"
n0="$(jq '[.findings[] | select(.id == "'$NEW'")] | length' "$T/scan.json")"
[ "$n0" = 0 ] && pass "held-back advisory not reported" || fail "held-back advisory reported"
out="$("$HIVESEC" vuln where CVE-2021-23337 --store "$S")"
[[ $out == *"no stored scan is affected"* ]] && pass "vuln where: nothing before the update" || fail "where before: $out"

out="$("$HIVESEC" db update --mirror "$T/m2" --ecosystems npm,Go --db "$DB" --store "$S" 2>&1)"
if [[ $out == *"1 added"* ]] && [[ $out == *"1 new, 0 resolved"* ]] && [[ $out == *"new:      $NEW (lodash)"* ]]; then
  pass "db update re-matches the stored image: 1 new ($NEW)"
else
  fail "db update output: $out"
fi
jq_where() { "$HIVESEC" vuln where "$1" --store "$S" -f json | jq -r '.[] | [.asset, .finding.id, .finding.vulnerability.package_name, .finding.vulnerability.fixed_versions[0]] | join(" ")'; }
w="$(jq_where cve-2021-23337)"
[ "$w" = "$name $NEW lodash 4.17.21" ] && pass "vuln where CVE-2021-23337 (any case) -> $name lodash" || fail "where: '$w'"
w="$(jq_where CVE-2023-29403 | wc -l)"
[ "$w" = 2 ] && pass "vuln where of a Go stdlib CVE: both runc binaries" || fail "where Go: $w"

out="$("$HIVESEC" db update --mirror "$T/m3" --ecosystems npm,Go --db "$DB" --store "$S" 2>&1)"
[[ $out == *"0 new, 1 resolved"* ]] && [[ $out == *"resolved: $GONE (lodash)"* ]] &&
  pass "withdrawn advisory reported resolved" || fail "withdrawn: $out"
out="$("$HIVESEC" db rematch --db "$DB" --store "$S" 2>&1)"
[[ $out == *"0 new, 0 resolved"* ]] && pass "db rematch with no change: nothing new" || fail "rematch: $out"
out="$("$HIVESEC" db update --mirror "$T/m3" --ecosystems npm,Go --db "$DB" --store "$S" 2>&1)"
[[ $out != *"re-matched"* ]] && pass "not-modified update does not re-match" || fail "304 rematched: $out"

fx="$T/fixes.json"
"$HIVESEC" vuln fixes "$name" --store "$S" -f json >"$fx"
first="$(jq -r '.upgrades[0].package' "$fx")"
lodash="$(jq -r '.upgrades[] | select(.package == "lodash") | [.upgrade_to, (.removes | length)] | join(" ")' "$fx")"
[ "$first" = handlebars ] && pass "vuln fixes: handlebars first (2 critical)" || fail "first upgrade: $first"
[ "$lodash" = "4.17.21 2" ] && pass "vuln fixes: lodash -> 4.17.21 removes 2" || fail "lodash advice: '$lodash'"
go="$(jq -r '.upgrades[] | select(.package == "Go toolchain of usr/sbin/runc") | .upgrade_to' "$fx")"
[ -n "$go" ] && pass "vuln fixes: rebuild runc with Go $go" || fail "no Go advice"

out="$("$HIVESEC" vuln show CVE-2021-23337 --db "$DB")"
[[ $out == "$NEW"* ]] && [[ $out == *"npm lodash"* ]] && pass "vuln show by CVE alias" || fail "show: $out"
"$HIVESEC" vuln show CVE-1900-0001 --db "$DB" >/dev/null 2>"$T/err"
rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && pass "vuln show unknown id: exit 2, one line" || fail "show unknown: $rc"
"$HIVESEC" vuln fixes no-such-image --store "$S" >/dev/null 2>"$T/err"
rc=$?
[ $rc = 2 ] && pass "vuln fixes of an unknown image: exit 2 ($(cat "$T/err"))" || fail "fixes unknown: $rc"
finish
