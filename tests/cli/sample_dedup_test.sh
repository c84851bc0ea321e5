#!/usr/bin/env bash
# End-to-end: `samestory dedup` over the sample corpus (datasets/sample/articles.jsonl).
#
#   bash tests/cli/sample_dedup_test.sh <path-to-samestory> <repo-root>
#
# 1. Checks the output against the corpus's gold fields (gold_dup, copy_kind):
#    - one output line per article, same ids in the same order, no error field;
#    - every planted copy (every copy_kind, truncated ones included: issue 12) is in its
#      original's group (same "dup"), with a "dup_kind" of "copy" or "partial" (truncated copies:
#      "partial"); originals and singletons have "dup_kind": null;
#    - no two articles with different gold_dup share a "dup" (no distinct reports merged).
# 2. Diffs the output byte for byte against tests/cli/golden/sample_dedup.jsonl.
#
# To regenerate the golden file after an intended change of output (it is written only when the
# gold checks of step 1 pass; review the diff before committing):
#   UPDATE_GOLDEN=1 bash tests/cli/sample_dedup_test.sh <path-to-samestory> <repo-root>
set -euo pipefail

# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cli_test_init sample_dedup_test "$@"

INPUT=$ROOT/datasets/sample/articles.jsonl
GOLDEN=$ROOT/tests/cli/golden/sample_dedup.jsonl

run_dedup "$tmp/out.jsonl" "$tmp/stderr" "$INPUT"
grep -q "samestory dedup: 58 articles" "$tmp/stderr" ||
  die "summary on stderr does not say 58 articles: $(cat "$tmp/stderr")"

# Step 1: the output against the gold labels.
"$PY" - "$INPUT" "$tmp/out.jsonl" <<'PYEOF' || die "gold checks failed (see above)"
import json, sys
from collections import defaultdict

gold = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
out_lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
errors = []
if len(out_lines) != len(gold):
    print(f"  {len(out_lines)} output lines for {len(gold)} articles", file=sys.stderr)
    sys.exit(1)
out = [json.loads(l) for l in out_lines]
for g, o in zip(gold, out):
    if o.get("id") != g["id"]:
        errors.append(f"output order: expected id {g['id']!r}, got {o.get('id')!r}")
    if "error" in o:
        errors.append(f"{g['id']}: unexpected error {o['error']!r}")
    if not isinstance(o.get("dup"), str):
        errors.append(f"{g['id']}: no dup in {o}")
if errors:
    print("\n".join("  " + e for e in errors), file=sys.stderr)
    sys.exit(1)

dup = {o["id"]: o["dup"] for o in out}
kind_of = {o["id"]: o.get("dup_kind", "absent") for o in out}
for g in gold:
    kind = g.get("copy_kind")
    if kind is None:
        if dup[g["id"]] == g["id"] and kind_of[g["id"]] is not None:
            errors.append(f"{g['id']}: a representative with dup_kind {kind_of[g['id']]!r}")
        continue
    if kind not in ("exact", "edited", "reheadlined", "boilerplate", "combined", "truncated"):
        errors.append(f"unknown copy_kind {kind!r} on {g['id']}")
    if dup[g["id"]] != dup[g["gold_dup"]]:
        errors.append(f"missed {kind} copy {g['id']} of {g['gold_dup']}: "
                      f"dup {dup[g['id']]!r} vs {dup[g['gold_dup']]!r}")
        continue
    expected = ("partial",) if kind == "truncated" else ("copy", "partial")
    if g["id"] != dup[g["id"]] and kind_of[g["id"]] not in expected:
        errors.append(f"{kind} copy {g['id']}: dup_kind {kind_of[g['id']]!r}, expected one of {expected}")

# No predicted group may hold two gold_dup groups.
gold_of_pred = defaultdict(set)
for g in gold:
    gold_of_pred[dup[g["id"]]].add(g["gold_dup"])
for rep, golds in sorted(gold_of_pred.items()):
    if len(golds) > 1:
        members = sorted(i for i, d in dup.items() if d == rep)
        errors.append(f"distinct reports merged in group {rep!r}: gold groups {sorted(golds)}, "
                      f"members {members}")

copies = sum(1 for g in gold if g.get("copy_kind"))
print(f"  sample: {len(gold)} articles, {copies} planted copies, "
      f"{len({d for d in dup.values()})} predicted groups (singletons included)", file=sys.stderr)
if errors:
    print("\n".join("  " + e for e in errors), file=sys.stderr)
    sys.exit(1)
PYEOF

# Step 2: byte-identical to the golden output.
if [[ "${UPDATE_GOLDEN:-0}" == 1 ]]; then
  mkdir -p "$(dirname "$GOLDEN")"
  cp "$tmp/out.jsonl" "$GOLDEN"
  echo "sample_dedup_test: wrote $GOLDEN; review it (git diff) before committing" >&2
  exit 0
fi
[[ -f "$GOLDEN" ]] || die "golden file $GOLDEN is missing (UPDATE_GOLDEN=1 writes it)"
if ! diff -u "$GOLDEN" "$tmp/out.jsonl" >"$tmp/diff"; then
  head -n 60 "$tmp/diff" >&2
  die "output differs from $GOLDEN (if the change is intended: UPDATE_GOLDEN=1 $0 <bin> <root>)"
fi
cli_test_finish
