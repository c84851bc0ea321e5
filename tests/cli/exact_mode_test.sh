#!/usr/bin/env bash
# End-to-end: `samestory dedup --exact` (all pairs by exact Jaccard, the reference LSH recall is
# measured against) and `--pairs` on the sample corpus.
#
#   bash tests/cli/exact_mode_test.sh <path-to-samestory> <repo-root>
#
# On this corpus LSH finds every pair exact mode finds, so:
# - the groups (each id's "dup") are the same in both modes (dup_score may differ: LSH reports the
#   signature estimate);
# - --pairs writes a TSV with the header id_a<TAB>id_b<TAB>jaccard, then one accepted pair a line,
#   both ids in the output, jaccard in [threshold, 1] with 4 decimals, both ids in one group;
# - the same pairs in both modes, and in exact mode each jaccard is the exact value: within 0.01
#   of the word 5-shingle Jaccard computed here the way datasets/sample/check_sample.py does it
#   (lowercase, \w+ tokens; the library's ICU word breaking differs slightly);
# - the pairs explain the groups: joining them reproduces every group of 2+ articles.
# Then, on a generated input: ids holding a tab or a newline (legal in JSON) must not break the
# TSV: every line still has three fields, and the ids read back (unescaping \t \n \r \\) are
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
  [[ "$header" == $'id_a\tid_b\tjaccard' ]] ||
    die "$mode: pairs header is '$header', expected id_a<TAB>id_b<TAB>jaccard"
done

"$PY" - "$tmp" "$INPUT" <<'PYEOF' || fail "groups and pairs checks failed (see above)"
import json, re, sys
tmp = sys.argv[1]
THRESHOLD = 0.8  # the CLI default (--threshold)
errs, notes = [], []

def load(mode):
    out = [json.loads(l) for l in open(f"{tmp}/{mode}.jsonl", encoding="utf-8")]
    rows = open(f"{tmp}/{mode}.tsv", encoding="utf-8").read().split("\n")
    if rows[-1] != "":
        errs.append(f"{mode}: pairs file does not end with a newline")
    pairs = []
    for n, row in enumerate(rows[1:-1], start=2):
        f = row.split("\t")
        if len(f) != 3 or not re.fullmatch(r"[01]\.\d{4}", f[2]):
            errs.append(f"{mode}: pairs line {n} is not id_a<TAB>id_b<TAB>jaccard: {row!r}")
            continue
        pairs.append((f[0], f[1], float(f[2])))
    return out, pairs

groups = {}
for mode in ("lsh", "exact"):
    out, pairs = load(mode)
    dup = {o["id"]: o.get("dup") for o in out}
    if len(out) != 58 or any("error" in o for o in out):
        errs.append(f"{mode}: expected 58 records without errors")
    groups[mode] = dup
    for a, b, j in pairs:
        if a not in dup or b not in dup:
            errs.append(f"{mode}: pair ({a}, {b}) names an unknown id")
            continue
        if a == b:
            errs.append(f"{mode}: pair of an id with itself: {a}")
        if dup[a] != dup[b]:
            errs.append(f"{mode}: pair ({a}, {b}) is accepted but in groups {dup[a]} / {dup[b]}")
        if not THRESHOLD - 1e-9 <= j <= 1.0:
            errs.append(f"{mode}: pair ({a}, {b}) has jaccard {j}, outside [{THRESHOLD}, 1]")
    keys = [(a, b) for a, b, _ in pairs]
    if len(set(keys)) != len(keys):
        errs.append(f"{mode}: a pair is listed twice")
    # Joining the accepted pairs must give back every group of 2+ articles.
    parent = {i: i for i in dup}
    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for a, b, _ in pairs:
        if a in parent and b in parent:
            parent[find(a)] = find(b)
    for i in dup:
        for k in dup:
            if i < k and dup[i] == dup[k] and find(i) != find(k):
                errs.append(f"{mode}: {i} and {k} share dup {dup[i]!r} but no chain of listed "
                            f"pairs joins them")
    notes.append(f"{mode}: {len(pairs)} pairs, "
                 f"{len([d for d in set(dup.values()) if list(dup.values()).count(d) > 1])} groups")
    groups[mode + "_pairs"] = {(a, b): j for a, b, j in pairs}

texts = {}
for line in open(sys.argv[2], encoding="utf-8"):
    if line.strip():
        r = json.loads(line)
        toks = re.findall(r"\w+", r["text"].lower())
        texts[r["id"]] = {tuple(toks[k:k + 5]) for k in range(len(toks) - 4)}
for (a, b), j in groups["exact_pairs"].items():
    sa, sb = texts.get(a, set()), texts.get(b, set())
    if sa and sb:
        ref = len(sa & sb) / len(sa | sb)
        if abs(ref - j) > 0.01:
            errs.append(f"exact: pair ({a}, {b}) jaccard {j:.4f}, expected about {ref:.4f}")

for i in groups["lsh"]:
    if groups["lsh"][i] != groups["exact"].get(i):
        errs.append(f"{i}: dup {groups['lsh'][i]!r} with LSH, {groups['exact'].get(i)!r} with --exact")
if set(groups["lsh_pairs"]) != set(groups["exact_pairs"]):
    errs.append(f"pairs differ: only LSH {sorted(set(groups['lsh_pairs']) - set(groups['exact_pairs']))}, "
                f"only exact {sorted(set(groups['exact_pairs']) - set(groups['lsh_pairs']))}")
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
    if len(f) != 3:
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
