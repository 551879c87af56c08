#!/usr/bin/env bash
# Installs everything hivesec needs to build, test and run on Debian 12 (as root), then builds.
# Idempotent: safe to run again; only missing packages are installed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

pkgs=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config clang lld llvm libclang-rt-14-dev clang-format
  # libraries (DESIGN §4)
  libcli11-dev nlohmann-json3-dev libyaml-cpp-dev libspdlog-dev libfmt-dev
  libarchive-dev libzstd-dev zlib1g-dev liblzma-dev libbz2-dev libssl-dev libsqlite3-dev libcurl4-openssl-dev
  libhyperscan-dev libre2-dev libyara-dev libclamav-dev libcrypt-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # the eBPF runtime sensor: CO-RE object, skeleton and loader (src/runtime/sensor)
  libbpf-dev libelf-dev bpftool
  # real images and engines for tests
  podman runc skopeo mmdebstrap docker-registry uidmap fuse-overlayfs golang-go zstd
  python3 python3-rpm python3-packaging python3-yaml curl ca-certificates apache2-utils jq time bc
  # reference implementations for differential tests, and tools the tests use
  rpm db5.3-util openjdk-17-jdk-headless libmaven3-core-java binutils
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node tools used by the tests (schema validation) live in the project, not globally.
# Reinstalled when any locked dependency is missing (a checkout that added one to package.json).
if [ ! -x tools/node_modules/.bin/ajv ] || [ ! -f tools/node_modules/ajv-draft-04/package.json ]; then
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build build
