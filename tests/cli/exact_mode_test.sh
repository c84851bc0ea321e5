#!/usr/bin/env bash
# End-to-end: `samestory dedup --exact` (every pair that can reach the containment threshold is
# judged: the reference LSH recall is measured against) and `--pairs` on the sample corpus.
#
#   bash tests/cli/exact_mode_test.sh <path-to-samestory> <repo-root>
#
# On this corpus LSH finds every copy exact mode finds, so:
# - the groups (each id's "dup", "dup_kind" and "dup_score") are the same in both modes;
# - --pairs writes a TSV with the header id_a, id_b, verdict, reason, containment, resemblance,
#   fact_agree, fact_conflict, then one judged pair a line: both ids in the output, verdict copy,
#   partial or different, reason "copy" exactly for the accepted ones, containment and
#   resemblance in [0, 1] with 4 decimals, accepted pairs in one group;
# - every pair LSH accepts, exact mode accepts, and the accepted pairs explain the groups:
#   joining them reproduces every group of 2+ articles.
# Then, on a generated input: ids holding a tab or a newline (legal in JSON) must not break the
# TSV: every line still has eight fields, and the ids read back (unescaping \t \n \r \\) are
# ids of the output.
set -euo pipefail

# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cli_test_init exact_mode_test "$@"

INPUT=$ROOT/datasets/sample/articles.jsonl

for mode in lsh exact; do
  flags=()
  [[ $mode == exact ]] && flags=(--exact)
  run_dedup /dev/null "$tmp/$mode.stderr" "${flags[@]}" "$INPUT" -o "$tmp/$mode.jsonl" \
    --pairs "$tmp/$mode.tsv"
  [[ -s "$tmp/$mode.tsv" ]] || die "$mode: --pairs wrote nothing"
  header=$(head -n 1 "$tmp/$mode.tsv")
  [[ "$header" == $'id_a\tid_b\tverdict\treason\tcontainment\tresemblance\tfact_agree\tfact_conflict' ]] ||
    die "$mode: pairs header is '$header'"
done

"$PY" - "$tmp" <<'PYEOF' || fail "groups and pairs checks failed (see above)"
import json, re, sys
tmp = sys.argv[1]
errs, notes = [], []

def load(mode):
    out = [json.loads(l) for l in open(f"{tmp}/{mode}.jsonl", encoding="utf-8")]
    rows = open(f"{tmp}/{mode}.tsv", encoding="utf-8").read().split("\n")
    if rows[-1] != "":
        errs.append(f"{mode}: pairs file does not end with a newline")
    pairs = []
    for n, row in enumerate(rows[1:-1], start=2):
        f = row.split("\t")
        if (len(f) != 8 or f[2] not in ("copy", "partial", "different")
                or not all(re.fullmatch(r"[01]\.\d{4}", x) for x in f[4:6])
                or not all(x.isdigit() for x in f[6:8])
                or (f[3] == "copy") != (f[2] != "different")):
            errs.append(f"{mode}: pairs line {n} is malformed: {row!r}")
            continue
        pairs.append((f[0], f[1], f[2]))
    return out, pairs

groups, accepted = {}, {}
for mode in ("lsh", "exact"):
    out, pairs = load(mode)
    if len(out) != 58 or any("error" in o for o in out):
        errs.append(f"{mode}: expected 58 records without errors")
    groups[mode] = {o["id"]: (o.get("dup"), o.get("dup_kind"), o.get("dup_score")) for o in out}
    dup = {o["id"]: o.get("dup") for o in out}
    keys = [(a, b) for a, b, _ in pairs]
    if len(set(keys)) != len(keys):
        errs.append(f"{mode}: a pair is listed twice")
    ok = [(a, b) for a, b, v in pairs if v != "different"]
    accepted[mode] = set(ok)
    for a, b in keys:
        if a not in dup or b not in dup or a == b:
            errs.append(f"{mode}: pair ({a}, {b}) names an unknown id or one id twice")
    for a, b in ok:
        if dup.get(a) != dup.get(b):
            errs.append(f"{mode}: pair ({a}, {b}) is accepted but in groups {dup[a]} / {dup[b]}")
    # Joining the accepted pairs must give back every group of 2+ articles.
    parent = {i: i for i in dup}
    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for a, b in ok:
        if a in parent and b in parent:
            parent[find(a)] = find(b)
    for i in dup:
        for k in dup:
            if i < k and dup[i] == dup[k] and find(i) != find(k):
                errs.append(f"{mode}: {i} and {k} share dup {dup[i]!r} but no chain of accepted "
                            f"pairs joins them")
    notes.append(f"{mode}: {len(pairs)} pairs judged, {len(ok)} accepted")

for i in groups["lsh"]:
    if groups["lsh"][i] != groups["exact"].get(i):
        errs.append(f"{i}: {groups['lsh'][i]!r} with LSH, {groups['exact'].get(i)!r} with --exact")
if not accepted["lsh"] <= accepted["exact"]:
    errs.append(f"pairs LSH accepts and exact mode does not: {sorted(accepted['lsh'] - accepted['exact'])}")
print("  exact_mode_test: " + "; ".join(notes), file=sys.stderr)
if errs:
    print("\n".join("  " + e for e in errs), file=sys.stderr)
    sys.exit(1)
PYEOF

# Regression: ids with a tab or a newline in the --pairs TSV.
"$PY" - "$tmp/tabs.jsonl" <<'PYEOF'
import json, sys
text = " ".join(f"word{i % 37} item{i}" for i in range(80))
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for id_ in ("tab\there", "new\nline", "back\\slash", "plain"):
        f.write(json.dumps({"id": id_, "title": "t", "text": text}) + "\n")
PYEOF
for mode in lsh exact; do
  flags=()
  [[ $mode == exact ]] && flags=(--exact)
  rc=0
  "$BIN" dedup -q "${flags[@]}" "$tmp/tabs.jsonl" -o "$tmp/tabs_$mode.jsonl" \
    --pairs "$tmp/tabs_$mode.tsv" 2>"$tmp/tabs_$mode.stderr" || rc=$?
  [[ $rc -eq 0 ]] || fail "ids with tabs ($mode): exit $rc: $(tail -n 3 "$tmp/tabs_$mode.stderr")"
  "$PY" - "$tmp/tabs_$mode.jsonl" "$tmp/tabs_$mode.tsv" "$mode" <<'PYEOF' ||
import json, re, sys
ids = {json.loads(l)["id"] for l in open(sys.argv[1], encoding="utf-8")}
rows = open(sys.argv[2], encoding="utf-8").read().split("\n")[1:-1]
unescape = lambda s: re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r"}.get(m[1], m[1]), s)
errs = []
for row in rows:
    f = row.split("\t")
    if len(f) != 8:
        errs.append(f"pairs line with {len(f)} fields: {row!r}")
    elif unescape(f[0]) not in ids or unescape(f[1]) not in ids:
        errs.append(f"pairs line names ids not in the output: {row!r}")
if errs:
    print("\n".join(f"  {sys.argv[3]}: " + e for e in errs), file=sys.stderr)
    sys.exit(1)
PYEOF
    fail "ids with a tab or newline break the --pairs TSV ($mode; see above)"
done
cli_test_finish
