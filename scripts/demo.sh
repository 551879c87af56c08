#!/usr/bin/env bash
# Sets everything up, builds a real Debian 12 image from Debian's packages (plus a layer of old
# npm packages and a Go binary), and runs hivesec's main job on it: an image scan (inventory +
# known vulnerabilities from the bundled OSV advisory database, no network needed).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bash scripts/setup.sh
img=$(bash tests/integration/lib/images.sh build app | tail -n 1)
echo "== build/hivesec image scan docker-archive:$img/docker.tar" >&2
build/hivesec image scan "docker-archive:$img/docker.tar" "$@"
