#!/usr/bin/env bash
# The copy rule's ablation study (bench/research/COPY_STUDY.md): each rule switched off in turn,
# scored on the three development sets, one row each.
#
# usage: bash bench/research/copy_ablation.sh
# env:   SAMESTORY (build/release/tools/samestory/samestory), TMPDIR
# Needs ../shared/datasets (skips with a message without it) and Debian's python3.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${SAMESTORY:-$ROOT/build/release/tools/samestory/samestory}
DATA=$ROOT/../shared/datasets
PY=/usr/bin/python3
if [[ ! -d $DATA/reuters21578 ]]; then echo "copy_ablation: $DATA absent: skipping" >&2; exit 0; fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/copy_ablation.XXXXXX"); trap 'rm -rf "$TMP"' EXIT
REUTERS=$DATA/reuters21578/reuters21578.jsonl.gz
$PY "$ROOT/bench/copies/make_copy_set.py" --out "$TMP/set.jsonl" --seed 1 >/dev/null 2>&1
"$B" gen -q --articles 10000 --base "$REUTERS" --seed 1 -o "$TMP/gen.jsonl"

row() {  # row NAME FLAGS...
  local name=$1; shift
  "$B" dedup -q "$REUTERS" -o "$TMP/r.jsonl" "$@" 2>/dev/null
  "$B" dedup -q "$TMP/set.jsonl" -o "$TMP/s.jsonl" "$@" 2>/dev/null
  "$B" dedup -q "$TMP/gen.jsonl" -o "$TMP/g.jsonl" "$@" 2>/dev/null
  local r s g
  r=$($PY "$ROOT/bench/copies/score_pairs.py" "$ROOT/bench/copies/reuters_pairs.tsv" "$TMP/r.jsonl" --json)
  s=$($PY "$ROOT/bench/copies/score_copies.py" --gold "$TMP/set.jsonl" --pred "$TMP/s.jsonl" --json)
  g=$($PY "$ROOT/bench/copies/score_copies.py" --gold "$TMP/gen.jsonl" --pred "$TMP/g.jsonl" \
      --gold-dup-field dup --story-field story --json)
  $PY - "$name" "$r" "$s" "$g" <<'PY'
import json, sys
name, r, s, g = sys.argv[1], *map(json.loads, sys.argv[2:])
def low(k):
    return min(v["recall"] for v in k["kinds"].values())
print("| %s | %.3f / %.3f | %.3f (%s) | %d / %d | %.3f | %.3f | %.3f |" % (
    name, r["precision"], r["recall"], s["copies_found"] / s["copies"],
    min(s["kinds"], key=lambda k: s["kinds"][k]["recall"]),
    s["false_merge_pairs_same_story"], s["false_merge_pairs_different_story"], s["ari"],
    low(g), g["negatives"]["templated"]["share_grouped"]))
PY
}
echo "| rule switched off | Reuters pairs P / R | copy set: recall (lowest kind) | copy set: merges same story / other story | copy set ARI | gen 10k: lowest kind recall | gen 10k: templated grouped |"
echo "|---|---|---|---|---|---|---|"
row "none (defaults)"
row "text: threshold 0.5 for long texts" --threshold 0.5
row "text: no minimum of compared grams" --min-compared 1
row "dates: no window" --window-hours 0 --short-window-hours 0
row "dates: no short window" --short-window-hours 0
row "facts: off" --no-facts
row "titles: off" --no-titles
row "short texts: no shorter window, threshold or titles" --short-words 1
