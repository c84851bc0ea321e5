#!/usr/bin/env bash
# End-to-end: `samestory cluster` on the sample corpus and on bad input. Checks properties, not
# today's scores (the story threshold and TF-IDF defaults are still being tuned):
#
#   bash tests/cli/cluster_test.sh <path-to-samestory> <repo-root>
#
# 1. datasets/sample/articles.jsonl with --stories: exit 0; one output line per input line, in
#    input order, each with id, dup, dup_score and story; every story value is the id of an
#    article whose story is that same value (a story is named after one of its members); articles
#    with the same "dup" share a story, and so does every copy (gold_dup != id) with its original;
#    the stories file has one line per distinct story value, its sizes match the output and sum to
#    the number of non-error articles, first_date <= last_date and both match the members' dates.
# 2. Output and stories file are byte-identical at --threads 1 and 2.
# 3. A bad-input file (a malformed line and an empty article among good ones): exit 0, the bad
#    records are in the output with "error" and "story": null, the good ones get stories.
# 4. The README's job: `samestory eval --gold ... --gold-field gold_story --pred OUT
#    --pred-field story` runs; its B-cubed F1 is printed and must be > 0.5 (a floor, not a target).
# 5. A saved TF-IDF model: --save-model does not change the output; --model with that model gives
#    the same bytes as fitting (records and stories file); a smaller batch runs against it (the
#    summary names the model and its document count); other term options, a damaged model and
#    --max-df with --model are refused with exit 1 (or a usage error) and a clear message.
set -euo pipefail

# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cli_test_init cluster_test "$@"

SAMPLE=$ROOT/datasets/sample/articles.jsonl

run_cluster() { run_samestory cluster "$@"; }

# check_cluster <input> <output> <stories>: the properties of section 1, for any input with the
# sample's fields (gold_dup optional).
check_cluster() {
  "$PY" - "$@" <<'PYEOF'
import json, sys
from collections import Counter, defaultdict
from datetime import datetime, timezone
inp, out_path, stories_path = sys.argv[1:4]
errs = []
inputs = [l for l in open(inp, "rb").read().decode("utf-8", "replace").split("\n") if l.strip()]
try:
    out = [json.loads(l) for l in open(out_path, encoding="utf-8")]
except ValueError as e:
    print(f"  {out_path}: not JSON Lines: {e}", file=sys.stderr)
    sys.exit(1)
if len(out) != len(inputs):
    print(f"  {len(out)} output lines for {len(inputs)} input lines", file=sys.stderr)
    sys.exit(1)
recs = []
for raw in inputs:
    try:
        recs.append(json.loads(raw))
    except ValueError:
        recs.append(None)
good = []
for i, (r, o) in enumerate(zip(recs, out)):
    where = f"output line {i + 1}"
    if r is not None and isinstance(r, dict) and "id" in r and o.get("id") != str(r["id"]):
        errs.append(f"{where}: id {o.get('id')!r}, input has {r['id']!r} (order broken?)")
    for k in ("id", "dup", "dup_score", "story"):
        if k not in o:
            errs.append(f"{where}: no {k!r}: {o}")
    if "error" in o:
        if o.get("story", "absent") is not None:
            errs.append(f"{where}: error record with story {o.get('story')!r}")
        continue
    if not isinstance(o.get("story"), str) or not isinstance(o.get("dup"), str):
        errs.append(f"{where}: good record without story/dup strings: {o}")
        continue
    good.append(o)
by_id = {o["id"]: o for o in good}
members = defaultdict(list)
for o in good:
    members[o["story"]].append(o["id"])
for story, ids in members.items():
    if story not in by_id:
        errs.append(f"story {story!r} is not the id of a good article")
    elif by_id[story]["story"] != story:
        errs.append(f"story {story!r} is named after an article in story {by_id[story]['story']!r}")
    if story not in ids:
        errs.append(f"story {story!r} does not contain its namesake")
story_of_dup = {}
for o in good:
    s = story_of_dup.setdefault(o["dup"], o["story"])
    if s != o["story"]:
        errs.append(f"{o['id']}: dup {o['dup']!r} but story {o['story']!r}, its group has {s!r}")
for r in recs:
    if isinstance(r, dict) and r.get("gold_dup") not in (None, r.get("id")):
        a, b = by_id.get(str(r["id"])), by_id.get(r["gold_dup"])
        if a and b and a["story"] != b["story"]:
            errs.append(f"copy {r['id']} is in story {a['story']!r}, its original {r['gold_dup']} "
                        f"in {b['story']!r}")

def date(s):
    # ISO 8601 as the sample writes it; a partial date ("2026", "2026-03") is the start of its
    # period, UTC unless an offset is given, as include/samestory/document.h says.
    if not s:
        return None
    if len(s) == 4:
        s += "-01-01"
    elif len(s) == 7:
        s += "-01"
    d = datetime.fromisoformat(s.replace("Z", "+00:00"))
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)
dates = {}
for r in recs:
    if isinstance(r, dict) and r.get("date"):
        dates[str(r["id"])] = date(r["date"])
try:
    stories = [json.loads(l) for l in open(stories_path, encoding="utf-8")]
except ValueError as e:
    print(f"  {stories_path}: not JSON Lines: {e}", file=sys.stderr)
    sys.exit(1)
seen = Counter(s.get("story") for s in stories)
for s, c in seen.items():
    if c > 1:
        errs.append(f"stories file: story {s!r} on {c} lines")
if set(seen) != set(members):
    errs.append(f"stories file names {len(seen)} stories, the output {len(members)}: "
                f"only in file {sorted(set(seen) - set(members))[:5]}, "
                f"only in output {sorted(set(members) - set(seen))[:5]}")
total = 0
for s in stories:
    for k in ("story", "size", "first_date", "last_date", "title", "top_terms"):
        if k not in s:
            errs.append(f"stories file: no {k!r} in {s}")
    name = s.get("story")
    size = s.get("size")
    total += size if isinstance(size, int) else 0
    if name in members and size != len(members[name]):
        errs.append(f"story {name!r}: size {size}, {len(members[name])} articles have it")
    if not isinstance(s.get("top_terms"), list):
        errs.append(f"story {name!r}: top_terms is not a list")
    f, l = date(s.get("first_date")), date(s.get("last_date"))
    if (f is None) != (l is None):
        errs.append(f"story {name!r}: first_date {s.get('first_date')!r}, "
                    f"last_date {s.get('last_date')!r}")
    elif f is not None and f > l:
        errs.append(f"story {name!r}: first_date {s['first_date']} after last_date {s['last_date']}")
    md = [dates[i] for i in members.get(name, []) if i in dates]
    if md and f is not None and (f != min(md) or l != max(md)):
        errs.append(f"story {name!r}: dates {s['first_date']}..{s['last_date']}, members span "
                    f"{min(md).isoformat()}..{max(md).isoformat()}")
if total != len(good):
    errs.append(f"story sizes sum to {total}, {len(good)} articles are not errors")
multi = sum(1 for ids in members.values() if len(ids) >= 2)
print(f"  {len(out)} records, {len(good)} good, {len(members)} stories, {multi} of 2+ articles",
      file=sys.stderr)
if errs:
    print("\n".join("  " + e for e in errs[:40]), file=sys.stderr)
    sys.exit(1)
PYEOF
}

# ------------------------------------------------------------------------------------------------
# 1. The sample corpus.
run_cluster "$tmp/out1.jsonl" "$tmp/err1" "$SAMPLE" --threads 1 --stories "$tmp/stories1.jsonl"
check_cluster "$SAMPLE" "$tmp/out1.jsonl" "$tmp/stories1.jsonl" ||
  fail "sample corpus: wrong output (see above)"
# The reference must be a real clustering, or the comparisons below prove nothing.
n_multi=$("$PY" -c 'import json,sys,collections; c=collections.Counter(json.loads(l)["story"] for l in open(sys.argv[1])); print(sum(v >= 2 for v in c.values()))' "$tmp/out1.jsonl") || n_multi=0
[[ $n_multi -ge 3 ]] || fail "sample corpus: only $n_multi stories of two or more articles"

# 2. Thread count does not change a byte.
run_cluster "$tmp/out2.jsonl" "$tmp/err2" "$SAMPLE" --threads 2 --stories "$tmp/stories2.jsonl"
cmp -s "$tmp/out1.jsonl" "$tmp/out2.jsonl" || {
  diff "$tmp/out1.jsonl" "$tmp/out2.jsonl" | head -n 10 >&2 || true
  fail "output differs between --threads 1 and --threads 2"
}
cmp -s "$tmp/stories1.jsonl" "$tmp/stories2.jsonl" || {
  diff "$tmp/stories1.jsonl" "$tmp/stories2.jsonl" | head -n 10 >&2 || true
  fail "stories file differs between --threads 1 and --threads 2"
}
# -o writes what stdout shows.
run_cluster /dev/null "$tmp/err3" "$SAMPLE" --threads 2 -o "$tmp/out3.jsonl"
cmp -s "$tmp/out1.jsonl" "$tmp/out3.jsonl" || fail "-o output differs from stdout output"

# 3. Bad input among good records: exit 0, error records with "story": null.
"$PY" - "$SAMPLE" "$tmp/bad.jsonl" <<'PYEOF'
import sys
good = [l for l in open(sys.argv[1], encoding="utf-8").read().split("\n") if l.strip()][:12]
lines = good[:4] + ['{"id":"broken","title":"Cut off","text":"Half a rec'] + good[4:8] + \
        ['{"id":"empty","title":"","text":""}'] + good[8:]
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PYEOF
rc=0
"$BIN" cluster -q "$tmp/bad.jsonl" --stories "$tmp/bad_stories.jsonl" >"$tmp/bad_out.jsonl" \
  2>"$tmp/bad_err" || rc=$?
if [[ $rc -ne 0 ]]; then
  fail "bad input: exit $rc, expected 0: $(tail -n 5 "$tmp/bad_err")"
else
  check_cluster "$tmp/bad.jsonl" "$tmp/bad_out.jsonl" "$tmp/bad_stories.jsonl" ||
    fail "bad input: wrong output (see above)"
  "$PY" - "$tmp/bad_out.jsonl" <<'PYEOF' || fail "bad input: error records wrong (see above)"
import json, sys
out = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
errs = []
want = {5: "invalid JSON", 10: "empty article"}  # 1-based output line -> error
for line, what in want.items():
    o = out[line - 1]
    if what not in o.get("error", ""):
        errs.append(f"line {line}: expected an error containing {what!r}: {o}")
    if "story" not in o or o["story"] is not None:
        errs.append(f"line {line}: expected \"story\": null: {o}")
    if o.get("line") != line:
        errs.append(f"line {line}: \"line\" is {o.get('line')!r}")
others = [o for i, o in enumerate(out, 1) if i not in want]
if any("error" in o for o in others):
    errs.append("a good record got an error: " + str([o for o in others if "error" in o][:2]))
if len(out) != 14:
    errs.append(f"{len(out)} output lines, expected 14")
if errs:
    print("\n".join("  " + e for e in errs), file=sys.stderr)
    sys.exit(1)
PYEOF
  grep -q "2 bad records" "$tmp/bad_err" ||
    fail "bad input: summary should count 2 bad records: $(tail -n 5 "$tmp/bad_err")"
fi

# 4. The README's main job: cluster, then score the stories against gold_story.
rc=0
"$BIN" eval --gold "$SAMPLE" --gold-field gold_story --pred "$tmp/out1.jsonl" --pred-field story \
  >"$tmp/eval.out" 2>"$tmp/eval.err" || rc=$?
if [[ $rc -ne 0 ]]; then
  fail "eval of the stories: exit $rc: $(cat "$tmp/eval.err")"
else
  f1=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["bcubed_f1"])' "$tmp/eval.out") ||
    f1=""
  if [[ -z $f1 ]]; then
    fail "eval of the stories: no bcubed_f1 in $(cat "$tmp/eval.out")"
  else
    echo "cluster_test: sample corpus stories vs gold_story: B-cubed F1 $f1" \
      "($(cat "$tmp/eval.out"))" >&2
    "$PY" -c 'import sys; sys.exit(0 if float(sys.argv[1]) > 0.5 else 1)' "$f1" ||
      fail "B-cubed F1 of the stories against gold_story is $f1, expected > 0.5"
  fi
fi

# 5. Save a TF-IDF model, use it again.
run_cluster "$tmp/out_save.jsonl" "$tmp/err_save" "$SAMPLE" --save-model "$tmp/sample.model"
cmp -s "$tmp/out1.jsonl" "$tmp/out_save.jsonl" || fail "--save-model changed the output"
[[ -s "$tmp/sample.model" ]] || fail "--save-model wrote no model"
grep -q "tfidf: model saved to $tmp/sample.model" "$tmp/err_save" ||
  fail "--save-model: the summary does not say where the model went"
run_cluster "$tmp/out_model.jsonl" "$tmp/err_model" "$SAMPLE" --model "$tmp/sample.model" \
  --stories "$tmp/stories_model.jsonl"
cmp -s "$tmp/out1.jsonl" "$tmp/out_model.jsonl" ||
  fail "--model with the input's own model differs from fitting it"
cmp -s "$tmp/stories1.jsonl" "$tmp/stories_model.jsonl" ||
  fail "--model: the stories file differs from fitting"
documents=$(sed -n 's/.*tfidf: document frequencies from .* (\([0-9]*\) documents).*/\1/p' "$tmp/err_model")
[[ -n $documents && $documents -gt 20 ]] ||
  fail "--model: the summary does not name the model and its documents: $(grep tfidf "$tmp/err_model")"
head -n 20 "$SAMPLE" >"$tmp/batch.jsonl"
run_cluster "$tmp/out_batch.jsonl" "$tmp/err_batch" "$tmp/batch.jsonl" --model "$tmp/sample.model" \
  --stories "$tmp/stories_batch.jsonl"
check_cluster "$tmp/batch.jsonl" "$tmp/out_batch.jsonl" "$tmp/stories_batch.jsonl" ||
  fail "a batch against a saved model: wrong output (see above)"
grep -q "(${documents} documents)" "$tmp/err_batch" ||
  fail "a batch against a saved model does not report the model's $documents documents"
refused() {  # refused <what> <expected stderr words> <args...>
  local what=$1 words=$2 rc=0
  shift 2
  "$BIN" cluster -q "$SAMPLE" -o /dev/null "$@" 2>"$tmp/err_refused" || rc=$?
  if [[ $rc -eq 0 ]]; then
    fail "$what: accepted (exit 0)"
  elif ! grep -q -- "$words" "$tmp/err_refused"; then
    fail "$what: exit $rc without '$words' in: $(cat "$tmp/err_refused")"
  fi
}
refused "a model saved with other term options" "title_weight" --model "$tmp/sample.model" \
  --title-weight 3
refused "a model with --max-df" "excludes" --model "$tmp/sample.model" --max-df 0.5
cp "$tmp/sample.model" "$tmp/damaged.model"
printf 'X' | dd of="$tmp/damaged.model" bs=1 seek=200 conv=notrunc 2>/dev/null
refused "a damaged model" "corrupted" --model "$tmp/damaged.model"
refused "a JSON Lines file as a model" "not a samestory TF-IDF model" --model "$SAMPLE"
refused "a missing model" "no TF-IDF model file" --model "$tmp/missing.model"

cli_test_finish
