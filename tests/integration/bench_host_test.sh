#!/usr/bin/env bash
# bench_host_test.sh — `hivesec bench host`. Fixture node trees built here under a temp dir:
# a hardened one (every check PASSes), a weak one (the targeted checks FAIL with their ids) and
# a broken one (malformed/unreadable files -> ERROR with the reason, never PASS); JUnit and
# SARIF validity; --baseline (add, override, disable), --skip, --exit-code; then the live host:
# every check gets a verdict and none is ERROR.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/validate.sh"
require_hivesec
command -v jq >/dev/null || skip "jq missing"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
ME_UID=$(id -u)
ME_GID=$(id -g)

# common_tree DIR: account files and directories both trees share.
common_tree() {
  local d=$1
  mkdir -p "$d"/etc/ssh "$d"/etc/sysctl.d "$d"/usr/bin "$d"/var/log "$d"/boot "$d"/lib/systemd/system \
    "$d"/etc/systemd/system/multi-user.target.wants
  printf 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n' >"$d/etc/passwd"
  printf 'root:x:0:\nshadow:x:42:\nalice:x:1000:\n' >"$d/etc/group"
  if [ "$ME_UID" != 0 ]; then
    echo "me:x:$ME_UID:$ME_GID::/:/bin/sh" >>"$d/etc/passwd"
    echo "me:x:$ME_GID:" >>"$d/etc/group"
  fi
  printf 'root:$6$abc$def:19000:0:99999:7:::\nalice:$6$xyz$uvw:19000:0:99999:7:::\n' >"$d/etc/shadow"
  printf 'root:*::\nshadow:*::\nalice:!::\n' >"$d/etc/gshadow"
  echo tool >"$d/usr/bin/tool" && chmod 755 "$d/usr/bin/tool"
  printf 'CONFIG_STACKPROTECTOR_STRONG=y\nCONFIG_STRICT_KERNEL_RWX=y\n' >"$d/boot/config-6.1.0-20-amd64"
  echo k >"$d/boot/vmlinuz-6.1.0-20-amd64"
}

# ---------------------------------------------------------------- hardened tree
H=$T/hard
common_tree "$H"
chmod 644 "$H/etc/passwd" "$H/etc/group"
chmod 640 "$H/etc/shadow" "$H/etc/gshadow"
[ "$ME_UID" = 0 ] && chgrp 42 "$H/etc/shadow" "$H/etc/gshadow"
mkdir -p "$H/etc/ssh/sshd_config.d"
cat >"$H/etc/ssh/sshd_config" <<'CONF'
Include /etc/ssh/sshd_config.d/*.conf
PermitRootLogin yes
X11Forwarding no
MaxAuthTries 3
PermitEmptyPasswords no
ClientAliveInterval 300
ClientAliveCountMax 2
LoginGraceTime 45
Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes256-ctr
MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256
KexAlgorithms curve25519-sha256,diffie-hellman-group16-sha512
Match User backup
  PasswordAuthentication yes
CONF
# First value wins: the drop-in's "no" beats the main file's "yes" (Include comes first).
printf 'PermitRootLogin no\nPasswordAuthentication no\n' >"$H/etc/ssh/sshd_config.d/10-hardening.conf"
chmod 600 "$H/etc/ssh/sshd_config"
cat >"$H/etc/login.defs" <<'CONF'
# shadow password suite
PASS_MAX_DAYS	90
PASS_MIN_DAYS	1
PASS_WARN_AGE	14
UMASK		027
CONF
echo '* * * * * root true' >"$H/etc/crontab" && chmod 600 "$H/etc/crontab"
for c in cron.d cron.daily cron.weekly; do mkdir -p "$H/etc/$c" && chmod 700 "$H/etc/$c"; done
cat >"$H/etc/sysctl.d/99-hardening.conf" <<'CONF'
kernel.randomize_va_space = 2
fs.suid_dumpable = 0
kernel.kptr_restrict = 2
kernel.dmesg_restrict = 1
fs.protected_hardlinks = 1
fs.protected_symlinks = 1
kernel.yama.ptrace_scope = 1
kernel.unprivileged_bpf_disabled = 1
net.ipv4.ip_forward = 0
net.ipv4.conf.all.send_redirects = 0
net.ipv4.conf.default.send_redirects = 0
net.ipv4.conf.all.accept_redirects = 0
net.ipv4.conf.default.accept_redirects = 0
net.ipv6.conf.all.accept_redirects = 0
net.ipv6.conf.default.accept_redirects = 0
net.ipv4.conf.all.accept_source_route = 0
net.ipv4.conf.default.accept_source_route = 0
net.ipv4.conf.all.rp_filter = 1
net.ipv4.conf.default.rp_filter = 1
net.ipv4.tcp_syncookies = 1
net.ipv4.icmp_echo_ignore_broadcasts = 1
net.ipv4.conf.all.log_martians = 1
net.ipv4.conf.default.log_martians = 1
CONF
echo '[Service]' >"$H/lib/systemd/system/auditd.service"
ln -s /lib/systemd/system/auditd.service "$H/etc/systemd/system/multi-user.target.wants/auditd.service"
mkdir -p "$H/etc/audit/rules.d"
cat >"$H/etc/audit/rules.d/50-hivesec.rules" <<'CONF'
-w /etc/passwd -p wa -k identity
-w /etc/group -p wa -k identity
-w /etc/shadow -p wa -k identity
-w /etc/gshadow -p wa -k identity
-w /etc/security/opasswd -p wa -k identity
-w /etc/sudoers -p wa -k scope
-w /etc/sudoers.d -p wa -k scope
-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k time-change
-w /etc/localtime -p wa -k time-change
CONF
# A unit that is installed but masked does not count as enabled.
echo '[Unit]' >"$H/lib/systemd/system/avahi-daemon.service"
ln -s /dev/null "$H/etc/systemd/system/avahi-daemon.service"

"$HIVESEC" bench host --root "$H" -f json -o hard.json 2>hard.err
rc=$?
total=$(jq '.results | length' hard.json 2>/dev/null)
notpass=$(jq -r '[.results[] | select(.verdict != "PASS") | "\(.id)=\(.verdict): \(.reason)"] | join(" | ")' hard.json 2>/dev/null)
[ $rc = 0 ] && [ "${total:-0}" -ge 50 ] && [ -z "$notpass" ] &&
  pass "hardened tree: all $total checks PASS (sshd Include + first value wins, sysctl.d, audit rules, masked unit)" ||
  fail "hardened: rc=$rc total=$total not passing: $notpass $(head -c 300 hard.err)"
jq -e '.score.percent == 100 and .summary.fail == 0 and .target.live == false and (.sections | length) >= 7' hard.json >/dev/null &&
  pass "hardened: score 100, per-section summary" || fail "hardened summary: $(jq -c '.score, .summary' hard.json)"

# ---------------------------------------------------------------- weak tree
W=$T/weak
common_tree "$W"
echo 'toor:x:0:0::/root:/bin/bash' >>"$W/etc/passwd"
echo 'nopw::19000:0:99999:7:::' >>"$W/etc/shadow"
chmod 644 "$W/etc/shadow"
cat >"$W/etc/ssh/sshd_config" <<'CONF'
PermitRootLogin yes
PasswordAuthentication yes
PermitEmptyPasswords yes
X11Forwarding yes
MaxAuthTries 10
LoginGraceTime 2m
Ciphers aes128-ctr,3des-cbc
CONF
chmod 644 "$W/etc/ssh/sshd_config"
printf 'PASS_MAX_DAYS 99999\nPASS_MIN_DAYS 0\nPASS_WARN_AGE 3\nUMASK 022\n' >"$W/etc/login.defs"
printf 'net.ipv4.ip_forward = 1\nkernel.randomize_va_space = 0\nfs.suid_dumpable = 2\n' >"$W/etc/sysctl.conf"
echo x >"$W/usr/bin/open" && chmod 666 "$W/usr/bin/open"
if [ "$ME_UID" = 0 ]; then echo x >"$W/var/log/orphan" && chown 4242:4242 "$W/var/log/orphan"; fi
echo '[Unit]' >"$W/lib/systemd/system/telnet.socket"
mkdir -p "$W/etc/systemd/system/sockets.target.wants"
ln -s /lib/systemd/system/telnet.socket "$W/etc/systemd/system/sockets.target.wants/telnet.socket"
echo '[Unit]' >"$W/lib/systemd/system/avahi-daemon.service"
ln -s /lib/systemd/system/avahi-daemon.service "$W/etc/systemd/system/multi-user.target.wants/avahi-daemon.service"

"$HIVESEC" bench host --root "$W" -f json -o weak.json 2>weak.err
rc=$?
fails=" $(jq -r '[.results[] | select(.verdict == "FAIL") | .id] | join(" ")' weak.json) "
want="HOST-SSH-1 HOST-SSH-3 HOST-SSH-4 HOST-SSH-6 HOST-SSH-7 HOST-SSH-9 HOST-SSH-10 HOST-SSH-11 HOST-SSH-12
  HOST-ACC-1 HOST-ACC-2 HOST-ACC-3 HOST-ACC-4 HOST-ACC-5 HOST-ACC-6 HOST-ACC-7 HOST-PERM-2 HOST-PERM-5
  HOST-KRN-1 HOST-KRN-2 HOST-NET-1 HOST-SVC-2 HOST-SVC-5 HOST-AUD-1 HOST-AUD-2 HOST-AUD-3"
[ "$ME_UID" = 0 ] && want="$want HOST-PERM-6"
missing=""
for id in $want; do [[ "$fails" == *" $id "* ]] || missing="$missing $id"; done
[ $rc = 0 ] && [ -z "$missing" ] && pass "weak tree: the targeted checks FAIL ($(echo $want | wc -w) ids)" ||
  fail "weak: rc=$rc missing FAILs:$missing (got:$fails)"
for id in HOST-SSH-2 HOST-SSH-5 HOST-SSH-8 HOST-PERM-1 HOST-PERM-3 HOST-SVC-1; do
  v=$(jq -r --arg id "$id" '.results[] | select(.id == $id) | .verdict' weak.json)
  [ "$v" = PASS ] || fail "weak: $id should PASS, got $v"
done
jq -e '.results[] | select(.id == "HOST-ACC-6") | (.reason | test("toor")) and .cis == "6.2.5" and (.remediation | test("userdel"))' weak.json >/dev/null &&
  pass "weak: HOST-ACC-6 names the extra uid-0 account, CIS number, remediation" ||
  fail "ACC-6: $(jq -c '.results[] | select(.id == "HOST-ACC-6")' weak.json)"
jq -e '.results[] | select(.id == "HOST-PERM-5") | .reason | test("/usr/bin/open")' weak.json >/dev/null &&
  pass "weak: world-writable file listed" || fail "PERM-5: $(jq -c '.results[] | select(.id == "HOST-PERM-5") | .reason' weak.json)"
jq -e '[.results[] | select(.verdict == "ERROR")] | length == 0' weak.json >/dev/null && pass "weak: no ERROR" ||
  fail "weak ERRORs: $(jq -c '[.results[] | select(.verdict == "ERROR") | .id]' weak.json)"

# --exit-code: FAIL present -> N; clean -> 0.
"$HIVESEC" bench host --root "$W" --exit-code 5 -o /dev/null; rc1=$?
"$HIVESEC" bench host --root "$H" --exit-code 5 -o /dev/null; rc2=$?
[ $rc1 = 5 ] && [ $rc2 = 0 ] && pass "--exit-code 5: weak exits 5, hardened 0" || fail "--exit-code: weak $rc1 hardened $rc2"

# --skip, and an unknown id is an error.
"$HIVESEC" bench host --root "$W" -f json --skip HOST-SSH-6,HOST-NET-1 --skip HOST-ACC-5 -o skip.json
n=$(jq '[.results[] | select(.id == "HOST-SSH-6" or .id == "HOST-NET-1" or .id == "HOST-ACC-5")] | length' skip.json)
[ "$n" = 0 ] && [ "$(jq '.results | length' skip.json)" = $(( $(jq '.results | length' weak.json) - 3 )) ] &&
  pass "--skip removes exactly those checks" || fail "--skip: $n left"
"$HIVESEC" bench host --root "$W" --skip HOST-NOPE >/dev/null 2>skip.err
rc=$?
[ $rc = 2 ] && grep -q "no check 'HOST-NOPE'" skip.err && pass "--skip unknown id: exit 2 with the id" || fail "skip unknown: rc=$rc $(cat skip.err)"

# --baseline: add a check, override one, disable one.
cat >site.yaml <<'YAML'
disable: [HOST-NET-1]
checks:
  - id: HOST-ACC-1
    override: true
    title: Passwords expire (site policy allows no expiry)
    section: 5.4 Accounts and passwords
    severity: low
    facts: {defs: {collector: file, path: /etc/login.defs, format: keyvalue}}
    test: {fact: defs, path: PASS_MAX_DAYS, op: lte, value: "99999"}
    rationale: Site policy.
    remediation: none
  - id: SITE-1
    title: A login banner exists and is root-owned
    section: 9 Site
    severity: low
    facts: {motd: {collector: stat, path: /etc/issue.net}}
    test:
      all:
        - {fact: motd, op: set}
        - {fact: motd, op: owner, value: root}
    rationale: Legal notice.
    remediation: echo "Authorized use only" > /etc/issue.net
YAML
"$HIVESEC" bench host --root "$W" --baseline site.yaml -f json -o site.json 2>site.err
rc=$?
got=$(jq -r '[.results[] | select(.id == "HOST-ACC-1" or .id == "SITE-1" or .id == "HOST-NET-1") | "\(.id)=\(.verdict)"] | join(" ")' site.json)
[ $rc = 0 ] && [ "$got" = "HOST-ACC-1=PASS SITE-1=FAIL" ] && pass "--baseline: override (ACC-1 PASS), added SITE-1 FAIL, NET-1 disabled" ||
  fail "--baseline: rc=$rc got [$got] $(cat site.err)"
printf 'checks:\n  - id: X\n    title: t\n    section: s\n    severity: low\n    facts: {f: {collector: stat, path: /x}}\n    test: {fact: f, op: sett}\n    rationale: r\n    remediation: r\n' >bad.yaml
"$HIVESEC" bench host --baseline bad.yaml >/dev/null 2>bad.err
rc=$?
[ $rc = 2 ] && grep -q "bad.yaml:7: check X: unknown operator 'sett'" bad.err && pass "bad baseline: exit 2, file:line and reason" ||
  fail "bad baseline: rc=$rc $(cat bad.err)"

# ---------------------------------------------------------------- broken tree: ERROR, never PASS
B=$T/broken
cp -a "$H" "$B"
printf 'PASS_MAX_DAYS 90\nUMASK\n' >"$B/etc/login.defs"
rm -rf "$B/etc/ssh/sshd_config.d" && mkdir -p "$B/etc/ssh/sshd_config.d/10-hardening.conf"
printf 'root:x:0\n' >"$B/etc/passwd"
"$HIVESEC" bench host --root "$B" -f json -o broken.json 2>broken.err
errs=" $(jq -r '[.results[] | select(.verdict == "ERROR") | .id] | join(" ")' broken.json) "
missing=""
for id in HOST-ACC-1 HOST-ACC-2 HOST-ACC-3 HOST-ACC-4 HOST-SSH-6 HOST-SSH-12 HOST-ACC-6 HOST-ACC-7; do
  [[ "$errs" == *" $id "* ]] || missing="$missing $id"
done
[ -z "$missing" ] && pass "broken tree: malformed login.defs, directory as sshd drop-in, short passwd line -> ERROR" ||
  fail "broken: not ERROR:$missing (errors:$errs)"
jq -e '.results[] | select(.id == "HOST-ACC-1") | .reason | test("login.defs.*line 2")' broken.json >/dev/null &&
  jq -e '.results[] | select(.id == "HOST-SSH-6") | .reason | test("directory")' broken.json >/dev/null &&
  pass "broken: ERROR reasons name the file and the problem" ||
  fail "broken reasons: $(jq -c '[.results[] | select(.verdict == "ERROR") | .reason][0:3]' broken.json)"

# ---------------------------------------------------------------- JUnit and SARIF
"$HIVESEC" bench host --root "$W" -f junit -o weak.xml && python3 - weak.xml weak.json <<'PY' && pass "JUnit: well-formed, one testcase per check, failures/errors match" || fail "JUnit invalid"
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
rep = json.load(open(sys.argv[2]))
cases = root.findall(".//testcase")
assert root.tag == "testsuites"
assert len(cases) == len(rep["results"]), (len(cases), len(rep["results"]))
fails = sum(1 for r in rep["results"] if r["verdict"] == "FAIL")
assert len(root.findall(".//testcase/failure")) == fails == int(root.get("failures"))
assert len(root.findall(".//testcase/error")) == int(root.get("errors"))
PY
"$HIVESEC" bench host --root "$W" -f sarif -o weak.sarif
if validate_schema_available; then
  validate_schema sarif-2.1.0 weak.sarif && pass "SARIF validates against the 2.1.0 schema" || fail "SARIF schema"
else
  echo "NOTE: schema validator unavailable (tools/node_modules); SARIF checked for structure only"
fi
jq -e '.version == "2.1.0" and ([.runs[0].results[] | select(.ruleId == "HOST-SSH-6")][0].locations[0].physicalLocation.artifactLocation.uri == "etc/ssh/sshd_config")' weak.sarif >/dev/null &&
  pass "SARIF: result located at the config file" || fail "SARIF location"

# ---------------------------------------------------------------- this machine
"$HIVESEC" bench host -f json -o live.json 2>live.err
rc=$?
n=$(jq '.results | length' live.json)
bad=$(jq -r '[.results[] | select(.verdict as $v | ["PASS","FAIL","WARN","INFO"] | index($v) | not) | "\(.id)=\(.verdict): \(.reason)"] | join(" | ")' live.json)
[ $rc = 0 ] && [ "$n" = "$total" ] && [ -z "$bad" ] &&
  pass "live host: all $n checks have a verdict, none ERROR ($(jq -r '.summary | "pass \(.pass) fail \(.fail) warn \(.warn) info \(.info)"' live.json), score $(jq -r .score.percent live.json)%)" ||
  fail "live host: rc=$rc n=$n bad: $bad $(head -c 300 live.err)"
jq -r '.results[] | select(.verdict == "WARN") | "  live WARN \(.id): \(.reason)"' live.json
"$HIVESEC" bench host >live.txt 2>&1 && grep -q "^Score: " live.txt && grep -q "^Total " live.txt &&
  pass "live host: table with per-section summary and score" || fail "table: $(tail -5 live.txt)"

finish
