#!/usr/bin/env bash
# sources_test.sh — the same image read as docker-archive, oci-archive, OCI layout directory,
# autodetected paths and docker:NAME (Engine API of `podman system service`, via DOCKER_HOST)
# gives the same package set (type, name, version, location).
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
require_hivesec
D="$(build_image app)" || exit $?
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT

refs=("docker-archive:$D/docker.tar" "oci-archive:$D/oci.tar" "oci:$D/oci" "$D/docker.tar" "$D/oci")
names=(docker-archive oci-archive oci-dir autodetect-docker autodetect-oci-dir)
ok=()
for i in "${!refs[@]}"; do
  if inventory "${refs[$i]}" "$T/${names[$i]}.json" --no-cache; then
    pass "${names[$i]}: exit 0"
    ok+=("${names[$i]}")
  else
    fail "${names[$i]}: exit $? ($(head -c 300 "$T/${names[$i]}.json.err"))"
  fi
done
if ((${#ok[@]} > 1)); then
  for n in "${ok[@]:1}"; do
    if py same "$T/${ok[0]}.json" "$T/$n.json"; then pass "$n == ${ok[0]}"; else fail "$n != ${ok[0]}"; fi
  done
fi
if [[ " ${ok[*]} " == *" docker-archive "* ]]; then
  if py dpkg "$T/docker-archive.json" "$D/truth/dpkg.txt"; then pass "docker-archive dpkg == truth"; else fail "docker-archive dpkg"; fi
fi

# docker:NAME through the Engine API: podman's Docker-compatible service on a private socket
# (DOCKER_HOST), over the same private storage the image was built in.
if command -v podman >/dev/null && [[ " ${ok[*]} " == *" docker-archive "* ]]; then
  eval "$("$IMAGES" env)"
  podman --runtime /usr/sbin/runc system service --time=0 "unix://$T/podman.sock" >"$T/podman.log" 2>&1 &
  svc=$!
  for _ in $(seq 40); do [ -S "$T/podman.sock" ] && break; sleep 0.25; done
  if DOCKER_HOST="unix://$T/podman.sock" inventory "docker:$(cat "$D/ref.txt")" "$T/engine.json" --no-cache; then
    pass "docker: (engine API): exit 0"
    if py same "$T/docker-archive.json" "$T/engine.json"; then pass "engine API == docker-archive"; else fail "engine API != docker-archive"; fi
  else
    fail "docker: (engine API): exit $? ($(head -c 300 "$T/engine.json.err"))"
  fi
  kill "$svc" 2>/dev/null
  wait "$svc" 2>/dev/null
fi

# The loopback registry (Debian's docker-registry): anonymous, then with basic auth through the
# CLI's --username/--password, both from the OCI layout pushed with skopeo.
if command -v docker-registry >/dev/null && command -v skopeo >/dev/null &&
  [[ " ${ok[*]} " == *" docker-archive "* ]]; then
  source "$LIB/registry.sh"
  R="$T/registry"
  addr=$(registry_start anon "$R/anon") && registry_push "oci:$D/oci" "$addr/hivesec/app:v1"
  if inventory "$addr/hivesec/app:v1" "$T/registry.json" --no-cache; then
    pass "registry (anonymous): exit 0"
    if py same "$T/docker-archive.json" "$T/registry.json"; then pass "registry == docker-archive"; else fail "registry != docker-archive"; fi
  else
    fail "registry (anonymous): exit $? ($(head -c 300 "$T/registry.json.err"))"
  fi
  baddr=$(registry_start basic "$R/basic" alice s3cret) &&
    registry_push "oci:$D/oci" "$baddr/hivesec/app:v1" alice s3cret
  if inventory "$baddr/hivesec/app:v1" "$T/registry-basic.json" --no-cache --username alice --password s3cret &&
    py same "$T/docker-archive.json" "$T/registry-basic.json"; then
    pass "registry (basic auth) == docker-archive"
  else
    fail "registry (basic auth): $(head -c 300 "$T/registry-basic.json.err")"
  fi
  "$HIVESEC" image inventory "$baddr/hivesec/app:v1" --no-cache --username alice --password wrong \
    >"$T/denied.out" 2>"$T/denied.err"
  rc=$?
  if ((rc == 2)) && [ "$(wc -l <"$T/denied.err")" -eq 1 ] && grep -q "authentication" "$T/denied.err"; then
    pass "registry wrong password: exit 2, one line"
  else
    fail "registry wrong password: exit $rc: $(cat "$T/denied.err")"
  fi
  registry_stop "$R/anon"
  registry_stop "$R/basic"
fi

# Bad references: exit 2 and one line on stderr.
for bad in "docker-archive:$T/nonexistent.tar" "oci:$T/nonexistent" "oci-archive:$D/docker.tar"; do
  "$HIVESEC" image inventory "$bad" --format json --no-cache >"$T/bad.out" 2>"$T/bad.err"
  rc=$?
  lines=$(wc -l <"$T/bad.err")
  if ((rc == 2 && lines == 1)); then pass "bad ref $bad: exit 2, one line"; else fail "bad ref $bad: exit $rc, $lines stderr lines"; fi
done
finish
