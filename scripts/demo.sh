#!/usr/bin/env bash
# Sets everything up, builds a real Debian 12 image from Debian's packages (plus a layer of npm
# packages and a Go binary), and runs hivesec's main job on it.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bash scripts/setup.sh
source tests/integration/lib/images.sh
img=$(hivesec_test_image_dir)
echo "== hivesec image inventory docker-archive:$img/image.docker.tar"
build/hivesec image inventory "docker-archive:$img/image.docker.tar" "$@"
