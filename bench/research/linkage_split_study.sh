#!/usr/bin/env bash
# The linkage-split study (bench/research/LINKAGE_SPLIT_STUDY.md): how big the kNN graph's
# connected components are (what a per-component linkage could split), how big the join's
# components are, and whether reciprocal agglomerative clustering (RAC, rounds of mutual best
# pairs) reproduces the graph step's partition exactly, and in how many rounds.
#
# usage: bash bench/research/linkage_split_study.sh [ARTICLES]   (generated corpus; default 300000)
# env:   TMPDIR. Builds a probe copy of the source (HEAD + linkage_split_probe.patch) in a temporary
#        directory (about 5 minutes on 2 cores). Needs ../shared/datasets (skips without it).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DS=$ROOT/../shared/datasets
N=${1:-300000}
if [[ ! -d $DS/ecbplus ]]; then echo "linkage_split_study: $DS absent: skipping" >&2; exit 0; fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/linkage_split.XXXXXX"); trap 'rm -rf "$TMP"' EXIT
git -C "$ROOT" archive HEAD | tar -x -C "$TMP"
(cd "$TMP" && git apply "$ROOT/bench/research/linkage_split_probe.patch")
cmake -S "$TMP" -B "$TMP/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSAMESTORY_BUILD_TESTS=OFF -DSAMESTORY_BUILD_BENCHMARKS=OFF \
  >"$TMP/configure.log" 2>&1 || { cat "$TMP/configure.log" >&2; exit 1; }
cmake --build "$TMP/build" -j2 --target samestory_cli >"$TMP/build.log" 2>&1 || {
  tail -30 "$TMP/build.log" >&2; exit 1; }
B=$TMP/build/tools/samestory/samestory
"$B" gen -q --articles "$N" --base "$DS/reuters21578/reuters21578.jsonl.gz" --seed 1 \
  --days $((N / 2740)) -o "$TMP/gen.jsonl"
run() {  # run NAME INPUT [FLAGS...]
  local name=$1 input=$2; shift 2
  SAMESTORY_PROBE_DUMP=$TMP/$name.dump "$B" cluster --threads 2 -q "$@" "$input" \
    -o "$TMP/$name.jsonl" 2>"$TMP/$name.err"
  echo "== $name"
  grep -o 'kNN edges (largest connected component [0-9]* of [0-9]* vectors)' "$TMP/$name.err"
  grep PROBE "$TMP/$name.err"
  /usr/bin/python3 "$ROOT/bench/research/linkage_split.py" "$TMP/$name.dump"
}
status=0
run seeds_fr "$DS/seeds_fr/seeds.jsonl" || status=1
run rpm2_fr "$DS/rpm2_fr/rpm2_documents.jsonl.gz" || status=1
run ecbplus "$DS/ecbplus/ecbplus_documents.jsonl.gz" --id-field doc_id || status=1
run reuters21578 "$DS/reuters21578/reuters21578.jsonl.gz" || status=1
run "generated_$N" "$TMP/gen.jsonl" || status=1
exit $status
