#!/usr/bin/env bash
# config_test.sh — the "config" scanner. (a) `hivesec config scan` on Dockerfiles written here
# (multi-stage, heredoc, continuations): check ids and line numbers in the JSON report, a
# directory scan, a binary file (exit 2, one line). (b) `image scan --scanners config` on a real
# 3-layer docker-archive with a root/no-healthcheck/port-22/secret config and history, set-id
# files (one owned by a dpkg package, one not, one deleted by a later layer), a world-writable
# tool in usr/local/bin and apt lists left: each finding with its path and layer; then the same
# layers with USER 1000 and a HEALTHCHECK give no root/health/port/secret findings.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
require_hivesec
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

# ---------------------------------------------------------------- (a) Dockerfiles
mkdir -p proj/svc proj/.git
cat >proj/Dockerfile <<'DOCKERFILE'
# syntax=docker/dockerfile:1
ARG BASE=debian
FROM golang:1.22 AS build
RUN go build -o /app .
FROM ${BASE}
RUN apt-get update && \
    apt-get install -y \
      curl sudo
RUN <<EOF
curl -fsSL https://example.com/install.sh | sh
EOF
ENV DB_PASSWORD=Zq8vLr2mXw
EXPOSE 22
COPY --from=build /app /app
DOCKERFILE
cat >proj/svc/api.Dockerfile <<'DOCKERFILE'
FROM alpine:3.19@sha256:0000000000000000000000000000000000000000000000000000000000000000
RUN apk add --no-cache curl
HEALTHCHECK CMD wget -qO- http://localhost:8080/ || exit 1
USER 10001
DOCKERFILE
cat >proj/svc/Containerfile <<'DOCKERFILE'
FROM registry.example.com/base:2@sha256:0000000000000000000000000000000000000000000000000000000000000000
ADD https://example.com/tool.tgz /opt/
USER app
HEALTHCHECK CMD true
DOCKERFILE
printf 'FROM a\n\x00\x01\x02garbage' >proj/svc/Dockerfile.bad
printf 'FROM x\n' >proj/.git/Dockerfile # never scanned
printf 'not a dockerfile\n' >proj/README.md

"$HIVESEC" config scan proj/Dockerfile -f json -o a.json 2>a.err
rc=$?
got="$(jq -r '.findings[] | "\(.id)@\(.evidence.line)"' a.json 2>/dev/null | sort | tr '\n' ' ')"
want="$(printf '%s\n' HS-IMG-005@3 HS-IMG-001@5 HS-IMG-002@5 HS-IMG-004@5 HS-IMG-010@6 HS-IMG-011@6 \
  HS-IMG-012@6 HS-IMG-015@9 HS-IMG-006@12 HS-IMG-007@13 | sort | tr '\n' ' ')"
[ $rc = 0 ] && [ "$got" = "$want" ] && pass "Dockerfile: ids and start lines (stage ref, ARG base, continuation, heredoc)" ||
  fail "rc=$rc got [$got] want [$want] $(head -c 300 a.err)"
jq -e '[.findings[] | select(.id == "HS-IMG-001")][0] | .kind == "misconfig" and (.aliases | index("CIS-DOCKER-4.1")) != null and .evidence.path == "proj/Dockerfile" and (.remediation | test("USER"))' a.json >/dev/null &&
  pass "finding: kind misconfig, CIS alias, path, remediation" || fail "HS-IMG-001 fields: $(jq -c '.findings[0]' a.json)"
if grep -q Zq8vLr2mXw a.json; then fail "the ENV secret is quoted in the report"; else pass "secret value masked"; fi

"$HIVESEC" config scan proj -f json -o dir.json 2>dir.err
rc=$?
got="$(jq -r '.findings[] | .evidence.path' dir.json | sort -u | tr '\n' ' ')"
[ $rc = 0 ] && [ "$got" = "proj/Dockerfile proj/svc/Containerfile " ] &&
  pass "directory scan: Dockerfile and Containerfile found, clean api.Dockerfile silent, .git skipped" ||
  fail "directory: rc=$rc files [$got]"
jq -e '[.findings[] | select(.evidence.path == "proj/svc/Containerfile") | .id] == ["HS-IMG-003"]' dir.json >/dev/null &&
  pass "Containerfile: ADD of a remote archive only" ||
  fail "Containerfile: $(jq -c '[.findings[] | select(.evidence.path == "proj/svc/Containerfile") | .id]' dir.json)"
grep -q "Dockerfile.bad.*line 2: binary content" dir.err && pass "directory scan: the binary file is a warning, the rest is scanned" ||
  fail "no warning for Dockerfile.bad: $(cat dir.err)"

"$HIVESEC" config scan proj/svc/Dockerfile.bad >bad.out 2>bad.err
rc=$?
[ $rc = 2 ] && [ "$(wc -l <bad.err)" = 1 ] && grep -q "^hivesec: error: .*Dockerfile.bad: line 2: binary content" bad.err &&
  [ ! -s bad.out ] && pass "binary Dockerfile: exit 2, one line" || fail "binary: rc=$rc $(cat bad.err)"
printf 'FROM a\nRUN <<EOF\necho hi\n' >Dockerfile
"$HIVESEC" config scan Dockerfile >/dev/null 2>heredoc.err
rc=$?
[ $rc = 2 ] && grep -q "line 2: unterminated heredoc <<EOF" heredoc.err && pass "unterminated heredoc: exit 2 with its line" ||
  fail "heredoc: rc=$rc $(cat heredoc.err)"
"$HIVESEC" config scan proj/README.md >/dev/null 2>readme.err
[ $? = 2 ] && grep -q "not a configuration file" readme.err && pass "unknown file kind: exit 2" || fail "README: $(cat readme.err)"
"$HIVESEC" config scan proj/Dockerfile --severity high --exit-code 5 -f table >table.out 2>/dev/null
rc=$?
[ $rc = 5 ] && grep -q "HS-IMG-006" table.out && ! grep -q "HS-IMG-002" table.out &&
  pass "--severity high --exit-code 5 and the table format" || fail "gate rc=$rc $(head -20 table.out)"

# ---------------------------------------------------------------- (b) image
python3 - "$T" "$LIB" <<'PY'
import base64, hashlib, io, json, os, sys, tarfile
out, lib = sys.argv[1], sys.argv[2]
sys.path.insert(0, lib)
import hostile
secret = base64.b32encode(os.urandom(10)).decode()
status = "".join(
    f"Package: {n}\nStatus: install ok installed\nArchitecture: amd64\nVersion: {v}\n\n"
    for n, v in (("login", "1:4.13+dfsg1-1"), ("sudo", "1.9.13p3-1")))
layers = [
    [("etc/os-release", "ID=debian\nVERSION_ID=12\n", 0o644),
     ("var/lib/dpkg/status", status, 0o644),
     ("var/lib/dpkg/info/login.list", "/usr/bin/su\n/usr/bin/passwd\n", 0o644),
     ("usr/bin/su", "ELF", 0o4755), ("usr/bin/passwd", "ELF", 0o4755),
     ("usr/local/bin/", None, 0o755)],
    [("opt/app/helper", "ELF", 0o4755), ("opt/app/gone", "ELF", 0o6755),
     ("usr/local/bin/tool", "#!/bin/sh\n", 0o777),
     ("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", "x" * 1000, 0o644),
     ("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", "y" * 500, 0o644),
     ("var/lib/apt/lists/lock", "", 0o640)],
    [("opt/app/.wh.gone", "", 0o644)],
]
paths, diff_ids = hostile.write_layers(out, "", layers)

def config(cfg, history):
    return json.dumps({"architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
                       "config": cfg, "rootfs": {"type": "layers", "diff_ids": diff_ids},
                       "history": history}, sort_keys=True).encode()

history = [
    {"created_by": "/bin/sh -c #(nop) ADD file:4b1f0c1b2c in / "},
    {"created_by": "ADD https://example.com/tool.tar.gz /opt/ # buildkit"},
    {"created_by": "ARG API_TOKEN=" + secret, "empty_layer": True},
    {"created_by": "|1 API_TOKEN=" + secret + " /bin/sh -c apt-get update", "comment": "buildkit.dockerfile.v0"},
    {"created_by": "EXPOSE map[22/tcp:{}]", "empty_layer": True},
]
bad = config({"Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "DB_PASSWORD=" + secret],
              "ExposedPorts": {"22/tcp": {}}, "Cmd": ["/bin/sh"]}, history)
hostile.write_archive(os.path.join(out, "bad.tar"), "config-bad", paths, diff_ids, config=bad)
good = config({"Env": ["PATH=/usr/bin:/bin"], "User": "1000",
               "Healthcheck": {"Test": ["CMD", "/usr/local/bin/tool", "--ping"]}, "Cmd": ["/bin/sh"]},
              [{"created_by": "/bin/sh -c #(nop) ADD file:4b1f0c1b2c in / "},
               {"created_by": "COPY . / # buildkit"}, {"created_by": "COPY . / # buildkit"}])
hostile.write_archive(os.path.join(out, "good.tar"), "config-good", paths, diff_ids, config=good)
open(os.path.join(out, "diff_ids"), "w").write("\n".join(diff_ids) + "\n")
open(os.path.join(out, "secret"), "w").write(secret)
PY
mapfile -t ids <"$T/diff_ids"
"$HIVESEC" image scan "docker-archive:$T/bad.tar" --scanners config --no-store --cache-dir "$T/cache" -f json -o bad.json 2>bad.err
rc=$?
got="$(jq -r '.findings[] | select(.kind == "misconfig") | [.id, .severity, (.evidence.path // ""), (.evidence.layer // "")] | join(" ")' bad.json | sort)"
want="$(printf '%s\n' \
  "HS-IMG-001 high  " "HS-IMG-002 low  " "HS-IMG-003 medium  ${ids[1]}" "HS-IMG-006 high  " \
  "HS-IMG-006 high  " "HS-IMG-007 medium  " "HS-IMG-008 low usr/bin/passwd ${ids[0]}" \
  "HS-IMG-008 medium opt/app/helper ${ids[1]}" "HS-IMG-009 high usr/local/bin/tool ${ids[1]}" \
  "HS-IMG-010 low var/lib/apt/lists ${ids[1]}" "HS-IMG-011 medium var/lib/dpkg/status ${ids[0]}" \
  "HS-IMG-014 low  ${ids[2]}" | sort)"
[ $rc = 0 ] && [ "$got" = "$want" ] && pass "image: every config finding with its path and layer (deleted set-id file not reported)" ||
  fail "image rc=$rc: got
$got
want
$want
$(head -c 300 bad.err)"
jq -e '[.findings[] | select(.id == "HS-IMG-010")][0].title | test("2 files, 1500 bytes")' bad.json >/dev/null &&
  pass "apt lists: one finding with file count and bytes" || fail "cache title: $(jq -c '[.findings[] | select(.id == "HS-IMG-010")]' bad.json)"
jq -e '[.findings[] | select(.id == "HS-IMG-008" and .severity == "low")][0].evidence.extra.paths == "usr/bin/passwd,usr/bin/su"' bad.json >/dev/null &&
  pass "dpkg-owned set-id files grouped per layer" || fail "setid group: $(jq -c '[.findings[] | select(.id == "HS-IMG-008")]' bad.json)"
if jq -c .findings bad.json | grep -q "$(cat secret)"; then fail "secret value appears in a finding"; else pass "ENV/ARG secrets masked in findings"; fi
n="$("$HIVESEC" image scan "docker-archive:$T/bad.tar" --scanners file --no-store --cache-dir "$T/cache" -f json 2>/dev/null | jq '[.findings[] | select(.kind == "misconfig")] | length')"
[ "$n" = 0 ] && pass "--scanners file: no config findings" || fail "--scanners file gave $n misconfig findings"

"$HIVESEC" image scan "docker-archive:$T/good.tar" --scanners config --no-store --cache-dir "$T/cache" -f json -o good.json 2>good.err
got="$(jq -r '[.findings[] | .id] | unique | join(" ")' good.json)"
[ "$got" = "HS-IMG-008 HS-IMG-009 HS-IMG-010 HS-IMG-011" ] &&
  pass "USER 1000 + HEALTHCHECK: no root, healthcheck, port or secret findings (file checks remain)" ||
  fail "good image: [$got] $(head -c 300 good.err)"
finish
