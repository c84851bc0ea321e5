#!/usr/bin/env bash
# End-to-end: the large-corpus paths on a small generated corpus.
#
#   bash tests/cli/scale_test.sh <path-to-samestory> <repo-root>
#
# 1. `samestory gen` is deterministic: the same arguments give the same bytes, another seed other
#    bytes; every line has the gold fields; N lines exactly.
# 2. `samestory dedup` under a tiny --memory-limit (LSH band keys sorted on disk, in runs, and
#    merged) gives byte-identical output to an unlimited run, at 1 and 2 threads; its summary
#    names the budget and the fingerprints spilled to a temporary file.
# 3. The generated copies are found: dup ARI against the gold `dup` field is above a floor.
set -euo pipefail

# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cli_test_init scale_test "$@"

BASE=$ROOT/datasets/sample/articles.jsonl
N=4000

# 1. The generator.
timeout 120 "$BIN" gen -q --articles $N --base "$BASE" --seed 7 -o "$tmp/a.jsonl" || die "gen failed"
timeout 120 "$BIN" gen -q --articles $N --base "$BASE" --seed 7 -o "$tmp/b.jsonl" || die "gen failed"
timeout 120 "$BIN" gen -q --articles $N --base "$BASE" --seed 8 -o "$tmp/c.jsonl" || die "gen failed"
cmp -s "$tmp/a.jsonl" "$tmp/b.jsonl" || fail "gen: the same seed gave different bytes"
cmp -s "$tmp/a.jsonl" "$tmp/c.jsonl" && fail "gen: another seed gave the same bytes"
"$PY" - "$tmp/a.jsonl" $N <<'PYEOF' || fail "gen: malformed output"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == int(sys.argv[2]), f"{len(lines)} lines, not {sys.argv[2]}"
ids = set()
for l in lines:
    d = json.loads(l)
    for f in ("id", "title", "text", "date", "dup", "story", "copy_kind"):
        assert f in d, f"missing {f}: {l[:120]}"
    assert d["id"] not in ids, "duplicate id " + d["id"]
    ids.add(d["id"])
copies = sum(1 for l in lines if json.loads(l)["copy_kind"] != "original")
assert copies > len(lines) // 10, f"only {copies} copies"
PYEOF

# 2. External band sort under a tiny budget: the same answer.
"$BIN" dedup -q --threads 1 "$tmp/a.jsonl" -o "$tmp/free1.jsonl" 2> "$tmp/free.err" ||
  die "dedup failed: $(tail -3 "$tmp/free.err")"
for threads in 1 2; do
  "$BIN" dedup --threads $threads --memory-limit 64K "$tmp/a.jsonl" -o "$tmp/tight$threads.jsonl" \
    2> "$tmp/tight$threads.err" || die "dedup --memory-limit 64K failed: $(tail -3 "$tmp/tight$threads.err")"
  cmp -s "$tmp/free1.jsonl" "$tmp/tight$threads.jsonl" ||
    fail "dedup --memory-limit 64K --threads $threads differs from the unlimited run"
done
grep -q "budget 0.1 MB" "$tmp/tight2.err" || fail "the summary does not name the 64K budget: $(grep memory "$tmp/tight2.err")"
grep -Eq "fingerprints [0-9.]+ MB in a temporary file" "$tmp/tight2.err" ||
  fail "the summary does not say where the fingerprints went"

# 3. The copies are found.
ari=$("$BIN" eval --gold "$tmp/a.jsonl" --gold-field dup --pred "$tmp/free1.jsonl" --pred-field dup |
  "$PY" -c 'import json, sys; print(json.load(sys.stdin)["ari"])')
"$PY" -c "import sys; sys.exit(0 if $ari > 0.6 else 1)" || fail "dup ARI $ari on a generated corpus (floor 0.6)"

cli_test_finish
