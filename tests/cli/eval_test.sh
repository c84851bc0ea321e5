#!/usr/bin/env bash
# End-to-end: `samestory eval` scores a predicted clustering (the "dup" field of `samestory dedup`
# output) against a gold one (the sample corpus's "gold_dup").
#
#   bash tests/cli/eval_test.sh <path-to-samestory> <repo-root>
#
# Checks that eval prints one JSON object with pair_p, pair_r, pair_f1, bcubed_p, bcubed_r,
# bcubed_f1, ari and nmi; that pair_p is 1 on the sample corpus (dedup merges no distinct reports);
# that every score equals the value computed here independently from the two label files (pairwise
# P/R/F1, B-cubed, ARI (Hubert & Arabie), NMI with arithmetic-mean normalization); that gold
# scored against itself is perfect; that ids missing from the prediction are counted in
# missing_in_pred; and that an unreadable prediction fails with a message naming the file.
set -euo pipefail

# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cli_test_init eval_test "$@"

GOLD=$ROOT/datasets/sample/articles.jsonl

run_dedup /dev/null "$tmp/dedup.stderr" "$GOLD" -o "$tmp/pred.jsonl"

# check_scores <name> <eval stdout> <gold file> <gold field> <pred file> <pred field>
#              <expected missing_in_pred> [pair_p]
check_scores() {
  "$PY" - "$@" <<'PYEOF'
import json, math, sys
from collections import Counter
name, out_path, gold_path, gold_field, pred_path, pred_field, missing = sys.argv[1:8]
want_pair_p = float(sys.argv[8]) if len(sys.argv) > 8 else None
errs = []
text = open(out_path, encoding="utf-8").read().strip()
try:
    got = json.loads(text)
except ValueError as e:
    print(f"  {name}: stdout is not one JSON object ({e}): {text[:300]!r}", file=sys.stderr)
    sys.exit(1)
if not isinstance(got, dict):
    print(f"  {name}: stdout is JSON but not an object: {text[:300]!r}", file=sys.stderr)
    sys.exit(1)
keys = ["pair_p", "pair_r", "pair_f1", "bcubed_p", "bcubed_r", "bcubed_f1", "ari", "nmi"]
for k in keys:
    if not isinstance(got.get(k), (int, float)):
        errs.append(f"{name}: key {k!r} missing or not a number in {text[:300]}")

def labels(path, field):
    out = {}
    for line in open(path, encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            if r.get("id") is not None and r.get(field) is not None:
                out[r["id"]] = r[field]
    return out

gold = labels(gold_path, gold_field)
pred = labels(pred_path, pred_field)
ids = sorted(gold)
n_missing = sum(1 for i in ids if i not in pred)
# A gold document absent from the prediction is a predicted singleton.
g = [gold[i] for i in ids]
p = [pred[i] if i in pred else ("\0missing", i) for i in ids]
n = len(ids)

def pairs(c):
    return sum(v * (v - 1) // 2 for v in c.values())
joint = Counter(zip(g, p))
cg, cp = Counter(g), Counter(p)
tp = pairs(joint)
pair_p = tp / pairs(cp) if pairs(cp) else 1.0
pair_r = tp / pairs(cg) if pairs(cg) else 1.0
f1 = lambda a, b: 2 * a * b / (a + b) if a + b else 0.0
b_p = sum(joint[(g[i], p[i])] / cp[p[i]] for i in range(n)) / n
b_r = sum(joint[(g[i], p[i])] / cg[g[i]] for i in range(n)) / n
total = n * (n - 1) // 2
expected_index = pairs(cg) * pairs(cp) / total
max_index = (pairs(cg) + pairs(cp)) / 2
ari = 1.0 if max_index == expected_index else (tp - expected_index) / (max_index - expected_index)
h = lambda c: -sum(v / n * math.log(v / n) for v in c.values())
mi = sum(v / n * math.log(v * n / (cg[a] * cp[b])) for (a, b), v in joint.items())
nmi = 1.0 if h(cg) + h(cp) == 0 else mi / ((h(cg) + h(cp)) / 2)
want = {"pair_p": pair_p, "pair_r": pair_r, "pair_f1": f1(pair_p, pair_r), "bcubed_p": b_p,
        "bcubed_r": b_r, "bcubed_f1": f1(b_p, b_r), "ari": ari, "nmi": nmi}
for k, v in want.items():
    if isinstance(got.get(k), (int, float)) and abs(got[k] - v) > 1e-4:
        errs.append(f"{name}: {k} = {got[k]}, expected {v:.6f}")
if want_pair_p is not None and got.get("pair_p") != want_pair_p:
    errs.append(f"{name}: pair_p = {got.get('pair_p')}, expected exactly {want_pair_p}")
if n_missing != int(missing):
    errs.append(f"{name}: test setup: {n_missing} ids missing from the prediction, meant {missing}")
if "missing_in_pred" not in got:
    errs.append(f"{name}: no missing_in_pred in {text[:300]}")
elif got["missing_in_pred"] != int(missing):
    errs.append(f"{name}: missing_in_pred = {got['missing_in_pred']}, expected {missing}")
print(f"  {name}: " + ", ".join(f"{k} {want[k]:.4f}" for k in keys), file=sys.stderr)
if errs:
    print("\n".join("  " + e for e in errs), file=sys.stderr)
    sys.exit(1)
PYEOF
}

# run_eval <name> <gold> <gold-field> <pred> <pred-field>: stdout to $tmp/<name>.out; exit code.
run_eval() {
  local name=$1
  "$BIN" eval --gold "$2" --gold-field "$3" --pred "$4" --pred-field "$5" \
    >"$tmp/$name.out" 2>"$tmp/$name.err"
}

# 1. Dedup output against gold_dup: no distinct reports merged, so pair_p == 1.
rc=0
run_eval sample "$GOLD" gold_dup "$tmp/pred.jsonl" dup || rc=$?
if [[ $rc -ne 0 ]]; then
  fail "eval on the sample: exit $rc: $(cat "$tmp/sample.err")"
else
  check_scores sample "$tmp/sample.out" "$GOLD" gold_dup "$tmp/pred.jsonl" dup 0 1.0 ||
    fail "eval on the sample: wrong scores (see above)"
fi

# 2. Gold against itself: every score is 1.
rc=0
run_eval self "$GOLD" gold_dup "$GOLD" gold_dup || rc=$?
if [[ $rc -ne 0 ]]; then
  fail "gold against itself: exit $rc: $(cat "$tmp/self.err")"
else
  check_scores self "$tmp/self.out" "$GOLD" gold_dup "$GOLD" gold_dup 0 1.0 ||
    fail "gold against itself: wrong scores (see above)"
  "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); bad=[k for k in ("pair_p","pair_r","pair_f1","bcubed_p","bcubed_r","bcubed_f1","ari","nmi") if abs(d.get(k, 0) - 1) > 1e-9]; sys.exit(1 if bad else 0)' \
    "$tmp/self.out" || fail "gold against itself: not every score is 1: $(cat "$tmp/self.out")"
fi

# 3. A prediction missing 5 ids (one original, its copy, and three others): counted.
grep -v -e '"id":"en-summit-1"' -e '"id":"en-summit-3"' -e '"id":"es-tasa-2"' \
  -e '"id":"fr-fire-3"' -e '"id":"de-bruecke-4"' "$tmp/pred.jsonl" >"$tmp/pred_missing.jsonl"
[[ $(wc -l <"$tmp/pred_missing.jsonl") -eq 53 ]] || fail "test setup: could not drop 5 ids"
rc=0
run_eval missing "$GOLD" gold_dup "$tmp/pred_missing.jsonl" dup || rc=$?
if [[ $rc -ne 0 ]]; then
  fail "prediction missing ids: exit $rc: $(cat "$tmp/missing.err")"
else
  check_scores missing "$tmp/missing.out" "$GOLD" gold_dup "$tmp/pred_missing.jsonl" dup 5 ||
    fail "prediction missing ids: wrong scores (see above)"
fi

# 4. Story labels as the prediction (gold_story against gold_dup): a coarser partition, so
#    pair_p < 1 and pair_r == 1; checks the scores on a non-trivial disagreement.
rc=0
run_eval story "$GOLD" gold_dup "$GOLD" gold_story || rc=$?
if [[ $rc -ne 0 ]]; then
  fail "gold_story as prediction: exit $rc: $(cat "$tmp/story.err")"
else
  check_scores story "$tmp/story.out" "$GOLD" gold_dup "$GOLD" gold_story 0 ||
    fail "gold_story as prediction: wrong scores (see above)"
fi

# 5. An unreadable prediction: non-zero exit, a message naming the file.
rc=0
run_eval nofile "$GOLD" gold_dup "$tmp/no_such_pred.jsonl" dup || rc=$?
[[ $rc -ne 0 ]] || fail "missing pred file: exit 0"
grep -q "no_such_pred.jsonl" "$tmp/nofile.err" ||
  fail "missing pred file: message does not name it: $(cat "$tmp/nofile.err")"

cli_test_finish
