#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on the sample corpus in datasets/sample:
# near-duplicate groups and stories for every article, then the scores against its gold labels.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install_deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target samestory_cli
bin=./build/release/tools/samestory/samestory
$bin cluster datasets/sample/articles.jsonl -o build/sample_stories.jsonl \
  --stories build/sample_story_summary.jsonl
echo "wrote build/sample_stories.jsonl (one line per article) and build/sample_story_summary.jsonl"
echo "scores against the gold stories:"
$bin eval --gold datasets/sample/articles.jsonl --gold-field gold_story \
  --pred build/sample_stories.jsonl --pred-field story
