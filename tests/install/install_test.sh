#!/usr/bin/env bash
# The installed CMake package works for a user's project: `cmake --install` the build into a
# temporary prefix, configure and build tests/install/consumer with find_package(samestory CONFIG
# REQUIRED), and run it on the sample corpus: its output must equal `samestory dedup --threads 1`;
# the same for the installed Python package, when the build has one.
#
#   bash tests/install/install_test.sh <build-dir> <repo-root> <path-to-samestory>
set -euo pipefail
build=$1 root=$2 bin=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/samestory_install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; echo "FAIL: cmake --install"; exit 1; }
if ! cmake -S "$root/tests/install/consumer" -B "$tmp/consumer" -G Ninja \
    -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_BUILD_TYPE=Release >"$tmp/configure.log" 2>&1; then
  cat "$tmp/configure.log"; echo "FAIL: find_package(samestory) in a consumer project"; exit 1
fi
cmake --build "$tmp/consumer" >"$tmp/build.log" 2>&1 ||
  { cat "$tmp/build.log"; echo "FAIL: building the consumer"; exit 1; }
sample=$root/datasets/sample/articles.jsonl
"$tmp/consumer/consumer" "$sample" "$tmp/consumer.jsonl" || { echo "FAIL: the consumer's run"; exit 1; }
"$bin" dedup -q --threads 1 "$sample" -o "$tmp/cli.jsonl" 2>/dev/null
cmp -s "$tmp/consumer.jsonl" "$tmp/cli.jsonl" || { echo "FAIL: the consumer's output differs from the CLI's"; exit 1; }
[[ -x "$tmp/prefix/bin/samestory" ]] || { echo "FAIL: the samestory tool is not installed"; exit 1; }
# The Python package, when the build has one: importable from the prefix, same answer.
if [[ -d "$build/python/samestory" ]]; then
  site=$(ls -d "$tmp"/prefix/lib/python3*/dist-packages 2>/dev/null | head -1)
  [[ -n "$site" && -f "$site/samestory/__init__.py" ]] ||
    { echo "FAIL: the Python package is not installed"; exit 1; }
  PYTHONPATH=$site /usr/bin/python3 -c 'import sys, samestory
sys.stdout.write(samestory.dedup(sys.argv[1], n_jobs=1).to_jsonl())' "$sample" >"$tmp/python.jsonl" ||
    { echo "FAIL: import samestory from the installed package"; exit 1; }
  cmp -s "$tmp/python.jsonl" "$tmp/cli.jsonl" ||
    { echo "FAIL: the installed Python package's output differs from the CLI's"; exit 1; }
fi
echo "install_test: ok"
