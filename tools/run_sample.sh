#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on the sample corpus in datasets/sample.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install_deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target samestory_cli
./build/release/tools/samestory/samestory dedup datasets/sample/articles.jsonl -o build/sample_dedup.jsonl
echo "wrote build/sample_dedup.jsonl"
