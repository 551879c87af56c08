#!/usr/bin/env bash
# Sets everything up and runs the whole test suite: unit tests, integration tests on real
# images (mmdebstrap + podman), a loopback registry and engine API, and bounded fuzz runs.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bash scripts/setup.sh

# libFuzzer targets need clang; they get their own build tree and run as CTest tests.
if [ -f tests/fuzz/CMakeLists.txt ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHIVESEC_FUZZ=ON -DHIVESEC_TESTS=OFF -DHIVESEC_BENCH=OFF \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
  cmake --build build-fuzz
  cmake -S . -B build -DHIVESEC_FUZZ_BUILD_DIR="$here/build-fuzz" >/dev/null
  cmake --build build
fi

cd build
ctest --output-on-failure --timeout 1500 -j "$(nproc)" "$@"
