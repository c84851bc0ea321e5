#!/usr/bin/env bash
# Installs what is missing, then builds and runs every test, warnings as errors:
#   1. release: the GoogleTest suite, the end-to-end CLI tests and the installed-package test;
#   2. asan: the same suite under AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. fuzz: each libFuzzer target (clang) from its seed corpus for FUZZ_SECONDS (default 60).
# Usage: bash tools/test.sh [--quick]   (--quick: step 1 only)
# About 35-45 minutes from nothing on a 2-core machine, most of it compiling the three builds.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1
bash tools/install_deps.sh

step() { echo "== tools/test.sh: $* ($(date -u +%H:%M:%S))"; }

step "release build and tests"
cmake --preset release -DSAMESTORY_WERROR=ON -DSAMESTORY_BUILD_PYTHON=ON -DSAMESTORY_BUILD_MPI=ON \
  >/dev/null
cmake --build --preset release -j "$(nproc)"
ctest --preset release -j "$(nproc)"
((quick)) && exit 0

step "ASan + UBSan build and tests"
cmake --preset asan -DSAMESTORY_WERROR=ON >/dev/null
cmake --build --preset asan -j "$(nproc)"
ctest --preset asan -j "$(nproc)"

step "fuzz build and smoke runs"
cmake --preset fuzz -DSAMESTORY_WERROR=ON >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
bash tests/fuzz/run.sh "${FUZZ_SECONDS:-60}"
step "all passed"
