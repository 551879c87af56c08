#!/usr/bin/env bash
# inventory_test.sh — hivesec's inventory of a real Debian 12 image (built by lib/images.sh)
# equals the truths taken from the build: dpkg-query on the rootfs, `npm ls --all` of /app and
# `go version` of the runc binaries; the OS is Debian 12 and the image has 3 layers.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
require_hivesec
D="$(build_image app)" || exit $?
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT

for src in "docker-archive:$D/docker.tar" "oci:$D/oci"; do
  out="$T/out.json"
  if ! inventory "$src" "$out" --cache-dir "$T/cache"; then
    fail "inventory $src: exit $? ($(head -c 300 "$out.err"))"
    continue
  fi
  if py dpkg "$out" "$D/truth/dpkg.txt"; then pass "$src: dpkg set == dpkg-query"; else fail "$src: dpkg set"; fi
  if py npm "$out" "$D/truth/npm.txt"; then pass "$src: npm set == npm ls"; else fail "$src: npm set"; fi
  if py go "$out" "$D/truth/go.txt"; then pass "$src: go binaries"; else fail "$src: go binaries"; fi
  if py os "$out" debian 12; then pass "$src: os debian 12"; else fail "$src: os"; fi
  if py layers "$out" 3; then pass "$src: 3 layers"; else fail "$src: layers"; fi
  rm -rf "$T/cache"
done

# Warm cache: a second run with the same cache gives the same packages.
if inventory "docker-archive:$D/docker.tar" "$T/cold.json" --cache-dir "$T/cache" &&
  inventory "docker-archive:$D/docker.tar" "$T/warm.json" --cache-dir "$T/cache"; then
  if py same "$T/cold.json" "$T/warm.json"; then pass "warm == cold"; else fail "warm != cold"; fi
else
  fail "cold/warm runs failed ($(head -c 300 "$T/warm.json.err" "$T/cold.json.err" 2>/dev/null))"
fi

# fs inventory of the base rootfs directory: same dpkg set.
if "$HIVESEC" fs inventory "$(dirname "$D")/base/rootfs" --format json >"$T/fs.json" 2>"$T/fs.err"; then
  if py dpkg "$T/fs.json" "$D/truth/dpkg.txt"; then pass "fs inventory: dpkg set"; else fail "fs inventory: dpkg set"; fi
else
  fail "fs inventory: exit $? ($(head -c 300 "$T/fs.err"))"
fi
finish
