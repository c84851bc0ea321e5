#!/usr/bin/env bash
# Installs what is missing, builds in build/release and runs every test (ctest, GoogleTest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install_deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
ctest --preset release
