#!/usr/bin/env bash
# vuln_scan_test.sh — `hivesec image scan` / `fs scan` against the bundled real OSV data, checked
# against an independent reading of the same data (lib/osv_oracle.py, which compares Debian
# versions with the real `dpkg --compare-versions`):
#   - Debian's runc (Go 1.19.8): every Go standard-library advisory affecting go1.19.8;
#   - old npm packages from the npm registry: their GHSA advisories;
#   - a Debian 11 dpkg status below a DSA fix: that DSA with its CVEs, the fixed version not;
#   - Python packages owned by Debian packages: no PyPI findings (but the same package
#     installed outside dpkg is matched); the same for Debian's npm packages (node-semver,
#     node-tar, node-ws), whose upstream versions npm advisories name;
#   - an unfixed advisory (Go jwt-go): status not-fixed, dropped by --ignore-unfixed, marked
#     wont-fix by a CycloneDX VEX will_not_fix response;
#   - CLI: --exit-code, --scanners, --db errors, the database age warning;
#   - filters: .hivesecignore (alias, scope, expiry), OpenVEX and CycloneDX VEX, --severity,
#     --ignore-unfixed.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
require_hivesec
ORACLE="$LIB/osv_oracle.py"
DATA="$HIVESEC_SRC/data/vulndata"
D="$(build_image app)" || exit $?
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
export XDG_DATA_HOME="$T/data" # the inventory store of these scans
DB="$T/vuln.db"
"$HIVESEC" db import --fresh --db "$DB" "$DATA" >/dev/null || { fail "db import"; finish; exit 1; }

# ids_named JSON PURL [PATH]: every id and alias of the findings on that package, sorted.
ids_named() {
  jq -r --arg p "$2" --arg path "${3:-}" '.findings[] | select(.evidence.package == $p) |
    select($path == "" or .evidence.path == $path) | .id, (.aliases // [])[]' "$1" | sort -u
}
rule_ids() {
  jq -r --arg p "$2" --arg path "${3:-}" '.findings[] | select(.evidence.package == $p) |
    select($path == "" or .evidence.path == $path) | .id' "$1" | sort -u
}
# expect_covers NAME EXPECTED_IDS_FILE JSON PURL [PATH]: the oracle's ids are exactly the
# findings' rule ids, up to merging (every expected id named; every rule id expected).
expect_covers() {
  local name="$1" exp="$2" json="$3" purl="$4" path="${5:-}"
  ids_named "$json" "$purl" "$path" >"$T/named"
  rule_ids "$json" "$purl" "$path" >"$T/rules"
  local missing extra
  missing="$(comm -23 "$exp" "$T/named" | tr '\n' ' ')"
  extra="$(comm -13 "$exp" "$T/rules" | tr '\n' ' ')"
  if [ -s "$exp" ] && [ -z "$missing" ] && [ -z "$extra" ]; then
    pass "$name: $(wc -l <"$exp") advisories, as the oracle says"
  else
    fail "$name: missing [$missing] unexpected [$extra]"
  fi
}

# ---- the app image: Go stdlib and npm ----
scan="$T/app.json"
if "$HIVESEC" image scan "docker-archive:$D/docker.tar" --db "$DB" --cache-dir "$T/cache" \
  -f json -o "$scan" 2>"$T/app.err"; then
  pass "image scan exit 0"
else
  fail "image scan: exit $? ($(head -c 300 "$T/app.err"))"
fi
python3 "$ORACLE" "$DATA/Go/all.zip" Go semver stdlib=1.19.8 | cut -f2 | sort -u >"$T/go.exp"
for bin in usr/sbin/runc usr/local/bin/runc; do
  expect_covers "Go stdlib of $bin" "$T/go.exp" "$scan" "pkg:golang/stdlib@1.19.8" "$bin"
done
status="$(jq -r '[.findings[] | select(.evidence.package == "pkg:golang/stdlib@1.19.8") |
  .vulnerability.status] | unique | join(",")' "$scan")"
[ "$status" = "fixed" ] && pass "Go findings carry fixed versions" || fail "Go statuses: $status"

mapfile -t npm_pkgs <"$D/truth/npm.txt"
args=()
for p in "${npm_pkgs[@]}"; do args+=("${p%@*}=${p##*@}"); done
python3 "$ORACLE" "$DATA/npm/all.zip" npm semver "${args[@]}" >"$T/npm.oracle"
npm_hits=0
for p in "${npm_pkgs[@]}"; do
  name="${p%@*}" version="${p##*@}"
  grep -F "$name=$version	" "$T/npm.oracle" | cut -f2 | sort -u >"$T/npm.exp"
  if [ -s "$T/npm.exp" ]; then
    npm_hits=$((npm_hits + 1))
    expect_covers "npm $p" "$T/npm.exp" "$scan" "pkg:npm/$(printf %s "$name" | sed 's/@/%40/')@$version"
  elif [ -n "$(rule_ids "$scan" "pkg:npm/$name@$version")" ]; then
    fail "npm $p: findings the oracle does not expect: $(rule_ids "$scan" "pkg:npm/$name@$version" | tr '\n' ' ')"
  fi
done
((npm_hits >= 6)) && pass "$npm_hits npm packages have advisories" || fail "only $npm_hits npm packages matched"
sev="$(jq -r '.findings[] | select(.id == "GHSA-35jh-r3h4-6jhm") | .severity' "$scan" | sort -u)"
[ "$sev" = "high" ] && pass "GHSA rating used as severity" || fail "GHSA-35jh-r3h4-6jhm severity '$sev'"
pypi="$(jq '[.findings[] | select(.vulnerability.ecosystem == "PyPI")] | length' "$scan")"
[ "$pypi" = 0 ] && pass "no PyPI findings in the app image" || fail "$pypi PyPI findings"

# ---- the same image through its SBOMs: same findings ----
for fmt in cyclonedx spdx; do
  "$HIVESEC" sbom "docker-archive:$D/docker.tar" --cache-dir "$T/cache" -f "$fmt" -o "$T/app.$fmt" 2>/dev/null
  if "$HIVESEC" sbom scan "$T/app.$fmt" --db "$DB" -f json -o "$T/sbom-$fmt.json" 2>"$T/sbom.err"; then
    keys() { jq -r '.findings[] | select(.kind == "vulnerability") | [.id, .evidence.package, .evidence.path] | join(" ")' "$1" | sort; }
    if diff <(keys "$scan") <(keys "$T/sbom-$fmt.json") >/dev/null; then
      pass "sbom scan of the $fmt SBOM == image scan ($(keys "$scan" | wc -l) findings)"
    else
      fail "sbom scan $fmt differs: $(diff <(keys "$scan") <(keys "$T/sbom-$fmt.json") | head -5 | tr '\n' ' ')"
    fi
  else
    fail "sbom scan $fmt: exit $? ($(head -c 300 "$T/sbom.err"))"
  fi
done

# ---- a Debian 11 rootfs below a DSA fix ----
R="$T/deb11"
mkdir -p "$R/etc" "$R/var/lib/dpkg"
printf 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nNAME="Debian GNU/Linux"\nVERSION_ID="11"\nID=debian\n' >"$R/etc/os-release"
cat >"$R/var/lib/dpkg/status" <<'DPKG'
Package: libssl1.1
Status: install ok installed
Architecture: amd64
Source: openssl
Version: 1.1.1n-0+deb11u3

Package: zlib1g
Status: install ok installed
Architecture: amd64
Source: zlib
Version: 1:1.2.11.dfsg-2+deb11u1

Package: openssl
Status: install ok installed
Architecture: amd64
Version: 1.1.1n-0+deb11u4
DPKG
if "$HIVESEC" fs scan "$R" --db "$DB" -f json -o "$T/deb11.json" 2>"$T/deb11.err"; then
  pass "fs scan of a Debian 11 rootfs"
else
  fail "fs scan deb11: exit $? ($(head -c 300 "$T/deb11.err"))"
fi
python3 "$ORACLE" "$DATA/Debian/all.zip" Debian:11 dpkg openssl=1.1.1n-0+deb11u3 | cut -f2 >"$T/ssl.exp"
expect_covers "Debian 11 libssl1.1 (source openssl)" "$T/ssl.exp" "$T/deb11.json" \
  "pkg:deb/debian/libssl1.1@1.1.1n-0%2Bdeb11u3?arch=amd64&distro=debian-11"
dsa="$(jq -r '.findings[] | select(.id == "DSA-5343-1") |
  [.vulnerability.fixed_versions[0], (.aliases | join(","))] | join(" ")' "$T/deb11.json")"
[ "$dsa" = "1.1.1n-0+deb11u4 CVE-2022-2097,CVE-2022-4304,CVE-2022-4450,CVE-2023-0215,CVE-2023-0286" ] &&
  pass "DSA-5343-1 with its fixed version and CVEs" || fail "DSA-5343-1: '$dsa'"
fixed_n="$(jq '[.findings[] | select(.evidence.package | startswith("pkg:deb/debian/openssl@"))] | length' "$T/deb11.json")"
[ "$fixed_n" = 0 ] && pass "the fixed openssl 1.1.1n-0+deb11u4 is not reported" || fail "fixed openssl has $fixed_n findings"
zl="$(jq -r '[.findings[] | select(.vulnerability.matched_name == "zlib") | .id] | join(",")' "$T/deb11.json")"
[ "$zl" = "DSA-5218-1" ] && pass "zlib: only the DSA above the installed version" || fail "zlib: '$zl'"

# ---- Python packages owned by Debian packages ----
P="$(build_image debpy)" || exit $?
if "$HIVESEC" fs scan "$P/rootfs" --db "$DB" -f json -o "$T/debpy.json" 2>"$T/debpy.err"; then
  owned="$(jq '[.packages[] | select(.type == "pypi" and .owner != null)] | length' "$T/debpy.json")"
  pyf="$(jq '[.findings[] | select(.vulnerability.ecosystem == "PyPI")] | length' "$T/debpy.json")"
  ((owned >= 2)) && [ "$pyf" = 0 ] && pass "$owned dpkg-owned Python packages, no PyPI findings" ||
    fail "debpy: $owned owned pypi packages, $pyf PyPI findings"
else
  fail "fs scan debpy: exit $? ($(head -c 300 "$T/debpy.err"))"
fi
# The same requests, installed by pip outside dpkg's files: now it is a PyPI package to match.
req="$(find "$P/rootfs/usr/lib/python3/dist-packages" -maxdepth 1 -name 'requests-*-info' | head -1)"
U="$T/unowned"
mkdir -p "$U/etc" "$U/usr/local/lib/python3.11/dist-packages"
cp "$P/rootfs/etc/os-release" "$U/etc/"
cp -r "$req" "$U/usr/local/lib/python3.11/dist-packages/"
rv="$(basename "$req" | sed -E 's/^requests-(.*)\.(egg|dist)-info$/\1/')"
python3 "$ORACLE" "$DATA/PyPI/all.zip" PyPI semver "requests=$rv" | cut -f2 >"$T/req.exp"
"$HIVESEC" fs scan "$U" --db "$DB" -f json -o "$T/unowned.json" 2>/dev/null
expect_covers "pip-installed requests $rv" "$T/req.exp" "$T/unowned.json" "pkg:pypi/requests@$rv"

# ---- npm packages shipped by Debian (node-semver 7.3.5, node-ws 8.11.0, node-tar 6.1.13) ----
N="$(build_image debnode)" || exit $?
"$HIVESEC" fs scan "$N/rootfs" --db "$DB" --scanners vuln -f json -o "$T/debnode.json" 2>"$T/debnode.err" ||
  fail "fs scan debnode: $(head -c 300 "$T/debnode.err")"
npmf="$(jq '[.findings[] | select(.vulnerability.ecosystem == "npm")] | length' "$T/debnode.json")"
owned_npm="$(jq -r '[.packages[] | select(.type == "npm" and (.owner // "" | startswith("pkg:deb/debian/node-"))) | .name] | join(",")' "$T/debnode.json")"
[ "$npmf" = 0 ] && [ -n "$owned_npm" ] && pass "Debian's npm packages: no npm findings (owned: $owned_npm)" ||
  fail "debnode: $npmf npm findings, owned npm packages '$owned_npm'"
# The same package folders outside dpkg's files (as `npm install` would put them) are matched
# with the advisories the oracle finds for their upstream versions.
A="$T/npmcopy"
mkdir -p "$A/etc" "$A/srv/app/node_modules"
cp "$N/rootfs/etc/os-release" "$A/etc/"
for m in semver ws tar; do
  cp -r "$N/rootfs/usr/share/nodejs/$m" "$A/srv/app/node_modules/$m"
  mv_ver="$(jq -r .version "$A/srv/app/node_modules/$m/package.json")"
  python3 "$ORACLE" "$DATA/npm/all.zip" npm semver "$m=$mv_ver" | cut -f2 | sort -u >"$T/$m.exp"
done
"$HIVESEC" fs scan "$A" --db "$DB" --scanners vuln -f json -o "$T/npmcopy.json" 2>/dev/null
for m in semver ws tar; do
  v="$(jq -r .version "$A/srv/app/node_modules/$m/package.json")"
  expect_covers "Debian's $m $v copied outside dpkg" "$T/$m.exp" "$T/npmcopy.json" "pkg:npm/$m@$v"
done
# The bundled fs-minipass is owned by node-tar: an advisory naming its version (a test record
# added to a copy of the database) is not applied to it, but is to the unowned copy that came
# with tar above.
fsm_v="$(jq -r .version "$N/rootfs/usr/share/nodejs/tar/node_modules/fs-minipass/package.json")"
mkdir -p "$T/extra"
printf '{"id":"HIVESEC-TEST-FSM-1","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"fs-minipass"},"versions":["%s"]}]}\n' \
  "$fsm_v" >"$T/extra/HIVESEC-TEST-FSM-1.json"
cp "$DB" "$T/vuln-extra.db"
"$HIVESEC" db import "$T/extra" --db "$T/vuln-extra.db" >/dev/null 2>&1 || fail "import test record"
fsm_at() { jq -r '[.findings[] | select(.id == "HIVESEC-TEST-FSM-1") | .evidence.path] | join(",")' "$1"; }
"$HIVESEC" fs scan "$N/rootfs" --db "$T/vuln-extra.db" --scanners vuln -f json -o "$T/fsm-owned.json" 2>/dev/null
"$HIVESEC" fs scan "$A" --db "$T/vuln-extra.db" --scanners vuln -f json -o "$T/fsm.json" 2>/dev/null
[ -z "$(fsm_at "$T/fsm-owned.json")" ] && [ "$(fsm_at "$T/fsm.json")" = "srv/app/node_modules/tar/node_modules/fs-minipass/package.json" ] &&
  pass "owned fs-minipass $fsm_v not matched, its unowned copy is" ||
  fail "fs-minipass findings: owned '$(fsm_at "$T/fsm-owned.json")', copy '$(fsm_at "$T/fsm.json")'"

# ---- an advisory without a fix: not-fixed, --ignore-unfixed, VEX will_not_fix ----
cat >"$T/unfixed.cdx.json" <<'CDX'
{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
 "components": [
  {"type": "library", "name": "github.com/dgrijalva/jwt-go", "version": "v3.2.0+incompatible",
   "purl": "pkg:golang/github.com/dgrijalva/jwt-go@v3.2.0%2Bincompatible"},
  {"type": "library", "name": "lodash", "version": "4.17.15", "purl": "pkg:npm/lodash@4.17.15"}]}
CDX
python3 "$ORACLE" "$DATA/Go/all.zip" Go semver "github.com/dgrijalva/jwt-go=3.2.0" | cut -f2 >"$T/jwt.exp"
"$HIVESEC" sbom scan "$T/unfixed.cdx.json" --db "$DB" --no-store -f json -o "$T/unf0.json" 2>/dev/null
jwt="$(jq -r '[.findings[] | select(.evidence.package | contains("jwt-go")) | .id + ":" + .vulnerability.status] | join(",")' "$T/unf0.json")"
[ -s "$T/jwt.exp" ] && [ "$jwt" = "$(sed 's/$/:not-fixed/' "$T/jwt.exp" | paste -sd,)" ] &&
  pass "jwt-go v3.2.0+incompatible: $jwt (the oracle: $(paste -sd, "$T/jwt.exp"))" || fail "jwt-go: '$jwt'"
"$HIVESEC" sbom scan "$T/unfixed.cdx.json" --db "$DB" --no-store --ignore-unfixed -f json -o "$T/unf.json" 2>/dev/null
left="$(jq -r '[.findings[] | .vulnerability.status] | unique | join(",")' "$T/unf.json")"
n_before="$(jq '.findings | length' "$T/unf0.json")"
n_after="$(jq '.findings | length' "$T/unf.json")"
[ "$left" = fixed ] && [ $((n_before - n_after)) = "$(wc -l <"$T/jwt.exp")" ] &&
  jq -e '.notes | any(test("without a fixed version suppressed"))' "$T/unf.json" >/dev/null &&
  pass "--ignore-unfixed drops the $((n_before - n_after)) unfixed finding(s), keeps $n_after fixed" ||
  fail "--ignore-unfixed: left '$left' ($n_before -> $n_after)"
cat >"$T/wontfix.vex.json" <<'VEX'
{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
 "vulnerabilities": [{"id": "CVE-2020-26160",
   "affects": [{"ref": "pkg:golang/github.com/dgrijalva/jwt-go"}],
   "analysis": {"state": "exploitable", "response": ["will_not_fix"],
                "detail": "the module is archived; no release will carry the fix"}}]}
VEX
"$HIVESEC" sbom scan "$T/unfixed.cdx.json" --db "$DB" --no-store --vex "$T/wontfix.vex.json" -f json \
  -o "$T/wf.json" 2>/dev/null
wf="$(jq -r '[.findings[] | select(.evidence.package | contains("jwt-go")) | .vulnerability.status] | unique | join(",")' "$T/wf.json")"
lod="$(jq -r '[.findings[] | select(.evidence.package | contains("lodash")) | .vulnerability.status] | unique | join(",")' "$T/wf.json")"
[ "$wf" = wont-fix ] && [ "$lod" = fixed ] && jq -e '.notes | any(test("marked wont-fix by VEX"))' "$T/wf.json" >/dev/null &&
  pass "CycloneDX VEX will_not_fix (by CVE alias): jwt-go wont-fix, lodash untouched" || fail "wont-fix: '$wf' '$lod'"
"$HIVESEC" sbom scan "$T/unfixed.cdx.json" --db "$DB" --no-store --vex "$T/wontfix.vex.json" -f table 2>/dev/null |
  grep -q "wont-fix" && pass "table shows wont-fix" || fail "table without wont-fix"

# ---- CLI behaviour ----
"$HIVESEC" fs scan "$R" --db "$DB" --exit-code 7 >/dev/null 2>&1
rc=$?
[ $rc = 7 ] && pass "--exit-code 7 with findings" || fail "--exit-code: got $rc"
E="$T/empty"
mkdir -p "$E"
"$HIVESEC" fs scan "$E" --db "$DB" --exit-code 7 >/dev/null 2>&1
rc=$?
[ $rc = 0 ] && pass "--exit-code: 0 without findings" || fail "--exit-code on empty dir: $rc"
err="$("$HIVESEC" fs scan "$R" --db "$DB" --scanners nope 2>&1 >/dev/null)"
rc=$?
[ $rc = 2 ] && [ "$(printf %s "$err" | wc -l)" -le 1 ] && [[ $err == *"unknown scanner 'nope'"* ]] &&
  pass "unknown scanner: one line, exit 2" || fail "unknown scanner: exit $rc '$err'"
err="$("$HIVESEC" fs scan "$R" --db "$T/missing.db" 2>&1 >/dev/null)"
rc=$?
[ $rc = 2 ] && [[ $err == *"db update"* ]] && pass "missing db: hint, exit 2" || fail "missing db: $rc '$err'"
head -c 4096 /dev/urandom >"$T/corrupt.db"
err="$("$HIVESEC" fs scan "$R" --db "$T/corrupt.db" 2>&1 >/dev/null)"
rc=$?
[ $rc = 2 ] && [ "$(printf %s "$err" | wc -l)" -le 1 ] && pass "corrupt db: one line, exit 2 ($err)" ||
  fail "corrupt db: $rc '$err'"
err="$("$HIVESEC" fs scan "$R" --db "$DB" --db-max-age -1 2>&1 >/dev/null)"
[[ $err == *"days old"* ]] && pass "age warning past --db-max-age" || fail "no age warning: '$err'"
err="$("$HIVESEC" fs scan "$R" --db "$DB" 2>&1 >/dev/null)"
[[ $err != *"days old"* ]] && pass "no age warning on a fresh database" || fail "fresh db warned: '$err'"
"$HIVESEC" fs scan "$R" --db "$DB" --scanners vuln -f table >"$T/table.txt" 2>&1
grep -q "DSA-5343-1" "$T/table.txt" && pass "table output lists DSA-5343-1" || fail "table: $(head -c 300 "$T/table.txt")"
# The bundled database is found next to the binary without --db (HOME without a user db).
if HOME="$T/home" XDG_DATA_HOME= "$HIVESEC" fs scan "$R" -f json -o "$T/bundled.json" 2>"$T/bundled.err" &&
  [ "$(jq '[.findings[] | select(.id == "DSA-5343-1")] | length' "$T/bundled.json")" = 1 ]; then
  pass "bundled database used when the user has none"
else
  fail "bundled database: $(head -c 300 "$T/bundled.err")"
fi

# ---- filters ----
count_ids() { jq -r --arg id "$2" '[.findings[] | select(.id == $id)] | length' "$1"; }
cat >"$T/ignore" <<'IGN'
# accepted until the fix ships
CVE-2023-0286 pkg:openssl exp:2999-12-31   # DSA-5343-1 by one of its CVEs, scoped to the source package
DSA-5218-1 exp:2020-01-01                  # expired: still reported
IGN
"$HIVESEC" fs scan "$R" --db "$DB" --ignorefile "$T/ignore" -f json -o "$T/ign.json" 2>"$T/ign.err"
if [ "$(count_ids "$T/ign.json" DSA-5343-1)" = 0 ] && [ "$(count_ids "$T/ign.json" DSA-5218-1)" = 1 ] &&
  jq -e '.notes | any(test("expired on 2020-01-01"))' "$T/ign.json" >/dev/null; then
  pass "ignore file: alias + package scope suppress, expired entry does not (noted)"
else
  fail "ignore file: $(jq -c '[.findings[].id], .notes' "$T/ign.json" 2>&1 | head -c 400) $(head -c 200 "$T/ign.err")"
fi
printf 'CVE-2023-0286 pkg:zlib\n' >"$T/ignore2"
"$HIVESEC" fs scan "$R" --db "$DB" --ignorefile "$T/ignore2" -f json -o "$T/ign2.json" 2>/dev/null
[ "$(count_ids "$T/ign2.json" DSA-5343-1)" = 1 ] && pass "ignore file: another package's scope does not apply" ||
  fail "ignore scope leaked"
(cd "$T" && printf 'DSA-5343-1\n' >.hivesecignore && "$HIVESEC" fs scan "$R" --db "$DB" -f json -o "$T/ign3.json" 2>/dev/null)
[ "$(count_ids "$T/ign3.json" DSA-5343-1)" = 0 ] && pass ".hivesecignore in the working directory is read" ||
  fail ".hivesecignore not read"
printf 'CVE-2023-0286 exp:2024-13-45\n' >"$T/bad-ignore"
err="$("$HIVESEC" fs scan "$R" --db "$DB" --ignorefile "$T/bad-ignore" 2>&1 >/dev/null)"
rc=$?
[ $rc = 2 ] && [[ $err == *"bad-ignore:1"* ]] && pass "malformed ignore file: exit 2 naming file:line" ||
  fail "bad ignore: $rc '$err'"

cat >"$T/openvex.json" <<'VEX'
{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1",
 "author": "test", "timestamp": "2026-01-01T00:00:00Z", "version": 1,
 "statements": [
  {"vulnerability": {"name": "CVE-2021-23337"}, "products": [{"@id": "pkg:npm/lodash"}],
   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"},
  {"vulnerability": {"name": "GHSA-p6mc-m468-83gw"}, "products": [{"@id": "pkg:npm/lodash@4.17.15"}],
   "status": "affected"}
 ]}
VEX
"$HIVESEC" image scan "docker-archive:$D/docker.tar" --db "$DB" --cache-dir "$T/cache" \
  --vex "$T/openvex.json" -f json -o "$T/vex.json" 2>"$T/vex.err"
if [ "$(count_ids "$T/vex.json" GHSA-35jh-r3h4-6jhm)" = 0 ] && [ "$(count_ids "$T/vex.json" GHSA-p6mc-m468-83gw)" = 1 ] &&
  [ "$(count_ids "$scan" GHSA-35jh-r3h4-6jhm)" = 1 ]; then
  pass "OpenVEX not_affected suppresses (by alias), affected does not"
else
  fail "OpenVEX: $(head -c 300 "$T/vex.err")"
fi
cat >"$T/cdx-vex.json" <<'VEX'
{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
 "components": [{"type": "library", "bom-ref": "hb", "name": "handlebars", "version": "4.5.3",
                 "purl": "pkg:npm/handlebars@4.5.3"}],
 "vulnerabilities": [{"id": "GHSA-765h-qjxv-5f44", "analysis": {"state": "false_positive"},
                      "affects": [{"ref": "hb"}]}]}
VEX
"$HIVESEC" image scan "docker-archive:$D/docker.tar" --db "$DB" --cache-dir "$T/cache" \
  --vex "$T/cdx-vex.json" -f json -o "$T/cvex.json" 2>"$T/cvex.err"
[ "$(count_ids "$T/cvex.json" GHSA-765h-qjxv-5f44)" = 0 ] && [ "$(count_ids "$T/cvex.json" GHSA-f2jv-r9rf-7988)" = 1 ] &&
  pass "CycloneDX VEX false_positive suppresses through its bom-ref" || fail "CycloneDX VEX: $(head -c 300 "$T/cvex.err")"

"$HIVESEC" image scan "docker-archive:$D/docker.tar" --db "$DB" --cache-dir "$T/cache" \
  --severity critical,high -f json -o "$T/sev.json" 2>/dev/null
sevs="$(jq -r '[.findings[].severity] | unique | join(",")' "$T/sev.json")"
[ "$sevs" = "critical,high" ] && pass "--severity critical,high" || fail "--severity kept '$sevs'"
"$HIVESEC" image scan "docker-archive:$D/docker.tar" --db "$DB" --cache-dir "$T/cache" \
  --severity critical --exit-code 3 -f json -o "$T/crit.json" 2>/dev/null
rc=$?
[ $rc = 3 ] && pass "--severity critical --exit-code 3 gates" || fail "gate exit $rc"
err="$("$HIVESEC" fs scan "$R" --db "$DB" --severity bogus 2>&1 >/dev/null)"
rc=$?
[ $rc = 2 ] && [[ $err == *"unknown severity"* ]] && pass "unknown severity: exit 2" || fail "bad severity: $rc '$err'"
finish
