#!/usr/bin/env bash
# The big-story study (bench/research/BIG_STORY_STUDY.md): story B-cubed F1 of `samestory cluster`
# on the labeled sets (ECB+, RPM2 and its titles alone, seeds_fr, the sample) and on generated
# heavy-tailed corpora (full text and titles only; per story-size bucket), one row per setting.
#
# usage: bash bench/research/big_story_study.sh [ARTICLES]        (default 100000)
# env:   SAMESTORY (build/release/tools/samestory/samestory), TMPDIR
#        SETTINGS  newline-separated cluster flags, one row each (default: the rows of the study)
# Needs ../shared/datasets (skips with a message without it) and Debian's python3.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${SAMESTORY:-$ROOT/build/release/tools/samestory/samestory}
DS=$ROOT/../shared/datasets
PY=/usr/bin/python3
N=${1:-100000}
if [[ ! -d $DS/ecbplus ]]; then echo "big_story_study: $DS absent: skipping" >&2; exit 0; fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/big_story_study.XXXXXX"); trap 'rm -rf "$TMP"' EXIT
REUTERS=$DS/reuters21578/reuters21578.jsonl.gz
"$B" gen -q --articles "$N" --story-sizes heavy-tailed --base "$REUTERS" --seed 1 -o "$TMP/full.jsonl"
"$B" gen -q --articles "$N" --story-sizes heavy-tailed --titles-only --base "$REUTERS" --seed 1 \
  -o "$TMP/titles.jsonl"
zcat "$DS/rpm2_fr/rpm2_documents.jsonl.gz" | $PY -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line); d["text"] = ""; print(json.dumps(d))' >"$TMP/rpm2_titles.jsonl"

bf1() {  # bf1 GOLD FIELD ID PRED: B-cubed F1
  "$B" eval --gold "$1" --gold-field "$2" --gold-id-field "$3" --pred "$4" --pred-field story \
    2>/dev/null | $PY -c 'import json, sys; print("%.3f" % json.load(sys.stdin)["bcubed_f1"])'
}
buckets() {  # buckets GOLD PRED: 1-10 / 11-100 / 101+ B-cubed F1
  $PY "$ROOT/bench/score_story_buckets.py" "$1" "$2" --json | $PY -c '
import json, sys
d = json.load(sys.stdin)["buckets"]
print(" / ".join("%.3f" % d[k]["f1"] for k in ("1-10", "11-100", "101+")))'
}
row() {
  local flags=$1 c=()
  # shellcheck disable=SC2206
  c=($flags)
  "$B" cluster -q --id-field doc_id "$DS/ecbplus/ecbplus_documents.jsonl.gz" -o "$TMP/e" "${c[@]}" 2>/dev/null
  "$B" cluster -q "$DS/rpm2_fr/rpm2_documents.jsonl.gz" -o "$TMP/r" "${c[@]}" 2>/dev/null
  "$B" cluster -q "$TMP/rpm2_titles.jsonl" -o "$TMP/rt" "${c[@]}" 2>/dev/null
  "$B" cluster -q "$DS/seeds_fr/seeds.jsonl" -o "$TMP/s" "${c[@]}" 2>/dev/null
  "$B" cluster -q "$ROOT/datasets/sample/articles.jsonl" -o "$TMP/a" "${c[@]}" 2>/dev/null
  "$B" cluster -q "$TMP/full.jsonl" -o "$TMP/gf" "${c[@]}" 2>/dev/null
  "$B" cluster -q "$TMP/titles.jsonl" -o "$TMP/gt" "${c[@]}" 2>/dev/null
  echo "| \`${flags:-defaults}\` | $(bf1 "$DS/ecbplus/ecbplus_documents.jsonl.gz" subtopic doc_id "$TMP/e") |" \
    "$(bf1 "$DS/rpm2_fr/rpm2_documents.jsonl.gz" cluster id "$TMP/r") |" \
    "$(bf1 "$TMP/rpm2_titles.jsonl" cluster id "$TMP/rt") |" \
    "$(bf1 "$DS/seeds_fr/seeds.jsonl" story id "$TMP/s") |" \
    "$(bf1 "$ROOT/datasets/sample/articles.jsonl" gold_story id "$TMP/a") |" \
    "$(buckets "$TMP/full.jsonl" "$TMP/gf") | $(buckets "$TMP/titles.jsonl" "$TMP/gt") |"
}
SETTINGS=${SETTINGS:-$'--join-threshold 0\n\n--join-threshold 0.30\n--join-threshold 0.33\n--join-threshold 0.35\n--join-threshold 0.40\n--join-threshold 0.45\n--join-threshold 0.50\n--join-min-size 8\n--knn 10 --join-threshold 0'}
echo "| setting | ECB+ | RPM2 | RPM2 titles | seeds | sample | gen $N full: 1-10 / 11-100 / 101+ | gen $N titles: 1-10 / 11-100 / 101+ |"
echo "|---|---|---|---|---|---|---|---|"
while IFS= read -r flags; do row "$flags"; done <<<"$SETTINGS"
