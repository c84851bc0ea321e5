#!/usr/bin/env bash
# End-to-end: `samestory feed`, the news-feed mode with a state directory that survives restarts
# and kills:
#
#   bash tests/cli/feed_test.sh <path-to-samestory> <repo-root>
#
# The input is built from datasets/sample/articles.jsonl: 16 rounds of its 58 articles, ids
# suffixed "-r<round>" and dates shifted by 1 to 30 days a round (so that both windows, 3 and 14
# days, evict), with invalid JSON, records without id, empty articles, a second record under an id
# still in the window, exact re-sends, an undated article and blank lines among them. Checks:
#
# 1. Kills. A reference run over the whole input (-o ref.jsonl) has one answer per non-blank
#    line, in order, errors exactly on the bad lines, re-sends answered as the first time, and
#    real work in it (copies, joined stories, evicted windows). A run with --sync-every 1 gives
#    the same bytes (and times the kill range). Then `feed --resume --sync-every 1 -o out.jsonl`
#    is started again and again and killed with SIGKILL after a random 1 ms to a quarter of a full
#    run, until a run finishes by itself: every kill must leave out.jsonl a byte prefix of
#    ref.jsonl (a torn last line included), at least 3 kills must have hit a running feed with
#    the output unfinished, the final out.jsonl must be byte-identical to ref.jsonl, and one more
#    --resume run must answer 0 records and leave it unchanged.
# 2. Restarts without kills: the input in three pieces (a file, stdin, a .gz file), one process
#    each, on one state with --snapshot-every 7 (a snapshot exists after the first piece): the
#    answers concatenated are the reference's (error answers carry the piece's own line number).
# 3. On a state fed the sample, other output-affecting options (--story-threshold, --threshold,
#    --no-stemming) are refused (exit != 0, "other output-affecting options", no answer, options
#    file unchanged); with the original options the state still answers: a re-send of the last
#    line as before, a new article normally.
# 4. Bad records on stdin (invalid JSON, no id, blank line, empty article, an id already in the
#    window, a JSON array): exit 0, exactly one answer per non-blank line in order, "error" and the
#    physical line number on the bad ones, the good ones answered (the last one joins the first
#    one's story).
# 5. The sample alone: planted exact and re-headlined copies get "dup" = the id of whichever of the
#    pair came first, with dup_score 1; an exact re-send of an answered line (in the same run, and
#    in a new process on the same state) gets the identical decision line, counted as repeated.
# 6. A second feed on a state in use is refused ("in use by another feed"), while the first one,
#    reading a pipe, answers each line as soon as it is written; the state is free once it exits.
set -euo pipefail

# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cli_test_init feed_test "$@"

SAMPLE=$ROOT/datasets/sample/articles.jsonl
INPUT=$tmp/input.jsonl

# run_feed <stdout> <stderr> <feed args...>: a run that must succeed (exit 0 within 120 s); else
# shows the end of its stderr, counts a failure and returns 1.
run_feed() {
  local out=$1 err=$2 rc=0
  shift 2
  timeout 120 "$BIN" feed "$@" >"$out" 2>"$err" || rc=$?
  if [[ $rc -ne 0 ]]; then
    tail -n 20 "$err" >&2
    fail "samestory feed $* exited with $rc"
    return 1
  fi
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# check_answers <input> <expect.json> <answers>: one answer per non-blank input line, in input
# order (ids), errors exactly where expected, re-sends answered byte-identically to their first
# answer, every good answer complete.
check_answers() {
  "$PY" - "$@" <<'PYEOF'
import json, sys
inp, expect_path, out_path = sys.argv[1:4]
expect = json.load(open(expect_path))
inputs = [l for l in open(inp, encoding="utf-8").read().split("\n") if l.strip()]
raw = open(out_path, encoding="utf-8").read()
if raw and not raw.endswith("\n"):
    print(f"  {out_path}: last line not terminated", file=sys.stderr)
    sys.exit(1)
every = raw.split("\n")[:-1] if raw else []
# Merge records (issue 13) follow the answer that caused them: each names two stories answered
# before, the survivor one still standing.
lines, errs, stories = [], [], set()
for l in every:
    if l.startswith('{"merge":'):
        m = json.loads(l)
        if not lines or set(m) != {"merge", "into", "score"} or not isinstance(m["score"], float):
            errs.append(f"misplaced or malformed merge record: {l}")
        elif m["merge"] not in stories or m["into"] not in stories or m["merge"] == m["into"]:
            errs.append(f"merge record of stories not standing: {l}")
        else:
            stories.discard(m["merge"])
        continue
    lines.append(l)
    try:
        o = json.loads(l)
        if isinstance(o.get("story"), str):
            stories.add(o["story"])
    except ValueError:
        pass
if len(lines) != len(inputs) or len(expect) != len(inputs):
    print(f"  {len(lines)} answers for {len(inputs)} non-blank input lines "
          f"({len(expect)} expected)", file=sys.stderr)
    sys.exit(1)
for i, (l, r, e) in enumerate(zip(lines, inputs, expect)):
    where = f"answer {i + 1}"
    try:
        o = json.loads(l)
    except ValueError:
        errs.append(f"{where}: not JSON: {l[:100]}")
        continue
    try:
        rec = json.loads(r)
        want_id = str(rec["id"]) if isinstance(rec, dict) and rec.get("id") is not None else None
    except ValueError:
        want_id = None
    if o.get("id", "absent") != want_id:
        errs.append(f"{where}: id {o.get('id', 'absent')!r}, the input line has {want_id!r}")
    if e == "bad":
        if not isinstance(o.get("error"), str) or not isinstance(o.get("line"), int):
            errs.append(f"{where}: expected an error answer with a line number: {l}")
    elif "error" in o:
        errs.append(f"{where}: unexpected error: {l}")
    else:
        for k in ("dup", "dup_score", "story", "story_score", "new_story"):
            if k not in o:
                errs.append(f"{where}: no {k!r}: {l}")
        if not isinstance(o.get("story"), str) or not isinstance(o.get("new_story"), bool):
            errs.append(f"{where}: story/new_story missing: {l}")
        if not isinstance(o.get("dup"), str):
            errs.append(f"{where}: dup is not an article id (one output contract): {l}")
        if isinstance(e, int) and l != lines[e]:
            errs.append(f"{where}: re-send of input line {e + 1} answered {l}, first {lines[e]}")
if errs:
    print("\n".join("  " + x for x in errs[:30]), file=sys.stderr)
    sys.exit(1)
PYEOF
}

# ------------------------------------------------------------------------------------------------
# The input, and what each of its non-blank lines must get: "ok", "bad", or the 0-based index of
# the earlier non-blank line it repeats byte for byte (inside the window: same answer).
"$PY" - "$SAMPLE" "$INPUT" "$tmp/expect.json" <<'PYEOF'
import json, sys
from datetime import datetime, timedelta
sample, out_path, expect_path = sys.argv[1:4]
recs = [json.loads(l) for l in open(sample, encoding="utf-8") if l.strip()]
assert len(recs) == 58, len(recs)

def shift(s, days):
    # ISO 8601 as the sample writes it; "2026-03" (a month) becomes its first day.
    if len(s) == 7:
        s += "-01"
    if len(s) == 10:
        return (datetime.fromisoformat(s) + timedelta(days=days)).date().isoformat()
    d = datetime.fromisoformat(s.replace("Z", "+00:00")) + timedelta(days=days)
    return d.isoformat().replace("+00:00", "Z") if s.endswith("Z") else d.isoformat()

lines, expect = [], []          # physical lines; one expectation per non-blank line
def add(line, what="ok"):
    lines.append(line)
    if line.strip():
        expect.append(what)
def nb_index(phys):             # non-blank index of physical line `phys`
    return sum(1 for l in lines[:phys] if l.strip())

shifts = [2, 15, 30, 1, 20, 5]  # days between rounds: overlapping rounds and evicting ones
offset = 0
round1_line = None
for r in range(16):
    if r:
        offset += shifts[r % len(shifts)]
    first_bruecke = None
    for i, rec in enumerate(recs):
        rec = dict(rec)
        rec["id"] = f"{rec['id']}-r{r}"
        rec["gold_dup"] = f"{rec['gold_dup']}-r{r}"
        rec["gold_story"] = f"{rec['gold_story']}-r{r}"
        rec["date"] = shift(rec["date"], offset)
        if rec["id"].startswith("de-bruecke-1-"):
            first_bruecke = len(lines)
        if r == 1 and i == 5:
            round1_line = len(lines)
        add(json.dumps(rec, ensure_ascii=False))
        if i == 10 and r % 6 == 4:
            add('{"id": "empty-%d", "title": "", "text": ""}' % r, "bad")
        if i == 30 and r % 5 == 2:
            add('{"id": "broken-%d", "title": "Cut off", "text": "Half a rec' % r, "bad")
        if i == 40 and r % 5 == 3:
            add('{"title": "No id", "text": "A record without an id field.", "date": "2026-04-01"}',
                "bad")
        if i == 50 and r % 7 == 5:
            add("")
            add("   ")
        if i == 52 and r % 8 == 6:
            undated = {"id": f"undated-{r}", "title": rec["title"], "text": rec["text"] + " Update."}
            add(json.dumps(undated, ensure_ascii=False))
    # After each round: the round's newest original again, byte for byte (inside the window:
    # answered as before), or another record under its id (an error), or nothing.
    if r % 3 == 1:
        add(lines[first_bruecke], nb_index(first_bruecke))
    elif r % 3 == 2:
        other = json.loads(lines[first_bruecke])
        other["title"] = "Another title under the same id"
        add(json.dumps(other, ensure_ascii=False), "bad")
    if r == 9:
        add(lines[round1_line])  # long evicted: answered anew, no error
with open(out_path, "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
json.dump(expect, open(expect_path, "w"))
PYEOF
n_records=$(grep -c '[^[:space:]]' "$INPUT")
[[ $n_records -gt 900 ]] || die "generated input has only $n_records records"

# ------------------------------------------------------------------------------------------------
# 1. The reference run, checked, then the same under kills.
run_feed /dev/null "$tmp/ref.err" --state "$tmp/ref_state" --snapshot-every 50 \
  -o "$tmp/ref.jsonl" "$INPUT" || die "no reference run"
check_answers "$INPUT" "$tmp/expect.json" "$tmp/ref.jsonl" ||
  fail "reference run: wrong answers (see above)"
# The reference must be real work, or the comparisons below prove little.
"$PY" - "$tmp/ref.jsonl" <<'PYEOF' || fail "reference run: too little work in it (see above)"
import json, sys
every = [json.loads(l) for l in open(sys.argv[1])]
out = [o for o in every if "merge" not in o]
merges = len(every) - len(out)
good = [o for o in out if "error" not in o]
copies = sum(o.get("dup") != o.get("id") for o in good)
joined = sum(o.get("story_score") is not None for o in good)
new = sum(o.get("new_story") is True for o in good)
print(f"  reference: {len(out)} answers, {len(out) - len(good)} errors, {copies} copies, "
      f"{joined} joined a story, {new} new stories, {merges} story merges", file=sys.stderr)
if copies < 100 or joined < 200 or new < 50:
    sys.exit(1)
PYEOF
# Both windows evicted: far fewer articles left in them than were fed.
window=$(grep -Eo 'window: [0-9]+ articles for duplicates, [0-9]+ for stories' "$tmp/ref.err") ||
  window=""
if [[ $window =~ ([0-9]+)\ articles\ for\ duplicates,\ ([0-9]+)\ for ]]; then
  [[ ${BASH_REMATCH[1]} -lt 60 && ${BASH_REMATCH[2]} -lt 200 ]] ||
    fail "reference run: windows did not evict ($window after $n_records records)"
else
  fail "reference run: no window sizes in the summary: $(cat "$tmp/ref.err")"
fi

# Uninterrupted with the crash loop's options: same bytes (--sync-every is not output-affecting),
# and its duration sets the range of the kill delays.
t0=$(now_ms)
if run_feed /dev/null "$tmp/cal.err" -q --state "$tmp/cal_state" --snapshot-every 50 \
  --sync-every 1 -o "$tmp/cal.jsonl" "$INPUT"; then
  full_ms=$(($(now_ms) - t0))
  cmp -s "$tmp/cal.jsonl" "$tmp/ref.jsonl" || fail "--sync-every 1 changes the answers"
else
  full_ms=400
fi
# A sixth of the calibration run: a run after it may be faster (a warm page cache), and the loop
# needs several kills before the input is done.
max_ms=$((full_ms / 6))
[[ $max_ms -ge 30 ]] || max_ms=30

ref_bytes=$(stat -c %s "$tmp/ref.jsonl")
kills=0 interrupted=0 torn=0 runs=0 finished=0 crash_ok=1
for ((i = 0; i < 60; i++)); do
  # Every fourth delay is short: kills while the state is opened and the output reconciled.
  if ((i % 4 == 3)); then delay=$((1 + RANDOM % 20)); else delay=$((5 + RANDOM % (max_ms - 4))); fi
  "$BIN" feed -q --state "$tmp/st" --resume --snapshot-every 50 --sync-every 1 \
    -o "$tmp/out.jsonl" "$INPUT" 2>"$tmp/crash.err" &
  pid=$!
  runs=$((runs + 1))
  sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
  kill -9 "$pid" 2>/dev/null || true
  rc=0
  wait "$pid" 2>/dev/null || rc=$?
  size=0
  [[ -f $tmp/out.jsonl ]] && size=$(stat -c %s "$tmp/out.jsonl")
  if [[ $size -gt 0 ]] && ! cmp -s -n "$size" "$tmp/out.jsonl" "$tmp/ref.jsonl"; then
    cmp -n "$size" "$tmp/out.jsonl" "$tmp/ref.jsonl" >&2 || true
    fail "crash loop, run $runs (rc $rc after ${delay} ms): out.jsonl is not a prefix of the reference"
    crash_ok=0
    break
  fi
  if [[ $rc -eq 0 ]]; then
    finished=1
    break
  elif [[ $rc -eq 137 ]]; then
    kills=$((kills + 1))
    if [[ $size -lt $ref_bytes ]]; then interrupted=$((interrupted + 1)); fi
    if [[ $size -gt 0 && -n $(tail -c 1 "$tmp/out.jsonl") ]]; then  # $(...) drops a final \n
      torn=$((torn + 1))
    fi
  else
    tail -n 20 "$tmp/crash.err" >&2
    fail "crash loop, run $runs (after a kill ${delay} ms into run $((runs - 1))): feed exited" \
      "with $rc on restart"
    crash_ok=0
    break
  fi
done
if [[ $crash_ok -eq 1 && $finished -eq 0 ]]; then
  run_feed /dev/null "$tmp/crash.err" -q --state "$tmp/st" --resume --snapshot-every 50 \
    --sync-every 1 -o "$tmp/out.jsonl" "$INPUT" || crash_ok=0
  runs=$((runs + 1))
fi
echo "feed_test: crash loop: $runs runs, $kills killed ($interrupted with the output unfinished," \
  "$torn left a torn line); kill delays up to $max_ms ms (a full run took $full_ms ms)" >&2
if [[ $crash_ok -eq 1 ]]; then
  [[ $interrupted -ge 3 ]] ||
    fail "crash loop: only $interrupted kills interrupted a run (of $runs runs), expected >= 3"
  if ! cmp -s "$tmp/out.jsonl" "$tmp/ref.jsonl"; then
    diff "$tmp/ref.jsonl" "$tmp/out.jsonl" | head -n 10 >&2 || true
    fail "crash loop: out.jsonl differs from the uninterrupted reference"
  fi
  check_answers "$INPUT" "$tmp/expect.json" "$tmp/out.jsonl" ||
    fail "crash loop: wrong answers in out.jsonl (see above)"
  # The state answered exactly the input: resuming again answers nothing and writes nothing.
  cp "$tmp/out.jsonl" "$tmp/out_before.jsonl"
  if run_feed "$tmp/again.out" "$tmp/again.err" --state "$tmp/st" --resume -o "$tmp/out.jsonl" \
    "$INPUT"; then
    cmp -s "$tmp/out.jsonl" "$tmp/out_before.jsonl" ||
      fail "crash loop: a last --resume run changed out.jsonl"
    grep -q "samestory feed: 0 records" "$tmp/again.err" ||
      fail "crash loop: a last --resume run answered records: $(head -n 1 "$tmp/again.err")"
  fi
fi

# ------------------------------------------------------------------------------------------------
# 2. Three pieces, three processes, one state; a snapshot and a log between them.
"$PY" - "$INPUT" "$tmp" <<'PYEOF' >"$tmp/pieces"
import gzip, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
tmp = sys.argv[2]
nonblank = lambda ls: sum(1 for l in ls if l.strip())
# Cut points near a third and two thirds, with the first piece's count not a multiple of 7 (so
# that the second process replays a log on top of a snapshot).
a, b = len(lines) // 3, 2 * len(lines) // 3
while nonblank(lines[:a]) % 7 != 3:
    a += 1
parts = [lines[:a], lines[a:b], lines[b:]]
open(f"{tmp}/piece1.jsonl", "w", encoding="utf-8").write("\n".join(parts[0]) + "\n")
open(f"{tmp}/piece2.jsonl", "w", encoding="utf-8").write("\n".join(parts[1]) + "\n")
with gzip.open(f"{tmp}/piece3.jsonl.gz", "wt", encoding="utf-8") as f:
    f.write("\n".join(parts[2]) + "\n")
print(0, a, b)  # physical line offsets of the pieces
PYEOF
if run_feed "$tmp/p1.out" "$tmp/p1.err" -q --state "$tmp/st2" --snapshot-every 7 \
    "$tmp/piece1.jsonl" &&
  { [[ -s $tmp/st2/snapshot ]] || fail "restart: no snapshot in the state after the first piece"; } &&
  { [[ -s $tmp/st2/log ]] || echo "feed_test: note: empty log after the first piece" >&2; } &&
  run_feed "$tmp/p2.out" "$tmp/p2.err" -q --state "$tmp/st2" --snapshot-every 7 \
    <"$tmp/piece2.jsonl" &&
  run_feed "$tmp/p3.out" "$tmp/p3.err" -q --state "$tmp/st2" --snapshot-every 7 \
    "$tmp/piece3.jsonl.gz"; then
"$PY" - "$tmp/ref.jsonl" "$(cat "$tmp/pieces")" "$tmp/p1.out" "$tmp/p2.out" "$tmp/p3.out" <<'PYEOF' ||
import json, sys
ref = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
offsets = [int(x) for x in sys.argv[2].split()]
got = []
for off, path in zip(offsets, sys.argv[3:6]):
    got += [(off, l) for l in open(path, encoding="utf-8").read().split("\n")[:-1]]
errs = []
if len(got) != len(ref):
    errs.append(f"{len(got)} answers from the pieces, {len(ref)} in the reference")
for i, (r, (off, g)) in enumerate(zip(ref, got)):
    ro = json.loads(r)
    if "error" in ro:  # the line number is the piece's own
        ro["line"] -= off
        r = json.dumps(ro, separators=(",", ":"), ensure_ascii=False)
        try:
            g = json.dumps(json.loads(g), separators=(",", ":"), ensure_ascii=False)
        except ValueError:
            pass
    if r != g:
        errs.append(f"answer {i + 1}: reference {r}, pieces {g}")
if errs:
    print("\n".join("  " + e for e in errs[:10]), file=sys.stderr)
    sys.exit(1)
PYEOF
  fail "restart: the pieces' answers differ from the reference (see above)"
fi

# ------------------------------------------------------------------------------------------------
# 3. Other output-affecting options are refused; the state stays usable. (A state of its own,
# the sample fed in one run: this section does not depend on snapshots or restarts working.)
if run_feed "$tmp/s3.out" "$tmp/s3.err" -q --state "$tmp/st3" "$SAMPLE"; then
  cp "$tmp/st3/options" "$tmp/options_before"
  last_line=$(grep '[^[:space:]]' "$SAMPLE" | tail -n 1)
  for opt in "--story-threshold 0.2" "--threshold 0.5" "--no-stemming"; do
    rc=0
    # shellcheck disable=SC2086  # $opt is an option and its value
    timeout 60 "$BIN" feed -q --state "$tmp/st3" $opt <<<"$last_line" >"$tmp/opt.out" \
      2>"$tmp/opt.err" || rc=$?
    if [[ $rc -eq 0 || $rc -eq 124 ]]; then
      fail "options: feed with $opt on the state exited with $rc, expected a refusal"
    fi
    grep -q "other output-affecting options" "$tmp/opt.err" ||
      fail "options: $opt: no \"other output-affecting options\" in: $(cat "$tmp/opt.err")"
    [[ ! -s $tmp/opt.out ]] || fail "options: $opt: refused feed answered: $(cat "$tmp/opt.out")"
  done
  cmp -s "$tmp/st3/options" "$tmp/options_before" ||
    fail "options: a refused run changed the options file"
  new_article='{"id":"after-refusal","title":"Bridge inspection finds cracks in main span","text":"Engineers found cracks in the main span of the bridge during a routine inspection on Monday and closed one lane while repairs are planned."}'
  if run_feed "$tmp/opt_ok.out" "$tmp/opt_ok.err" -q --state "$tmp/st3" \
    <<<"$last_line"$'\n'"$new_article"; then
    "$PY" - "$tmp/opt_ok.out" "$(tail -n 1 "$tmp/s3.out")" <<'PYEOF' ||
import json, sys
got = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
errs = []
if len(got) != 2:
    errs.append(f"{len(got)} answers for 2 lines: {got}")
else:
    if "error" in json.loads(sys.argv[2]):
        errs.append(f"the first answer to the last line is an error: {sys.argv[2]}")
    if got[0] != sys.argv[2]:
        errs.append(f"re-send of the last line: {got[0]}, first answer: {sys.argv[2]}")
    o = json.loads(got[1])
    if o.get("id") != "after-refusal" or "error" in o or not isinstance(o.get("story"), str):
        errs.append(f"new article: {got[1]}")
if errs:
    print("\n".join("  " + e for e in errs), file=sys.stderr)
    sys.exit(1)
PYEOF
      fail "options: the state does not answer as before with its own options after a refusal"
  fi
fi

# ------------------------------------------------------------------------------------------------
# 4. Bad records on stdin.
"$PY" - "$SAMPLE" >"$tmp/bad_stdin.jsonl" <<'PYEOF'
import json, sys
s = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
first = json.loads(s[0])
first["title"] = "Another record under the first one's id"
print("\n".join([
    s[0],                                              # 1 en-summit-1
    '{"id": "cut", "title": "Cut off", "text": "Half a rec',   # 2 invalid JSON
    '{"title": "No id", "text": "Nobody named this record."}',  # 3 no id
    "",                                                # 4 blank: no answer
    s[2],                                              # 5 fr-summit-1
    '{"id": "empty", "title": "", "text": ""}',        # 6 empty article
    json.dumps(first, ensure_ascii=False),             # 7 id en-summit-1 again, other content
    "[1, 2]",                                          # 8 not an object
    s[3],                                              # 9 en-summit-2: same story as line 1
]))
PYEOF
rc=0
timeout 60 "$BIN" feed -q --state "$tmp/st4" <"$tmp/bad_stdin.jsonl" >"$tmp/bad_stdin.out" \
  2>"$tmp/bad_stdin.err" || rc=$?
if [[ $rc -ne 0 ]]; then
  fail "bad input on stdin: exit $rc, expected 0: $(tail -n 5 "$tmp/bad_stdin.err")"
else
  "$PY" - "$tmp/bad_stdin.out" <<'PYEOF' || fail "bad input on stdin: wrong answers (see above)"
import json, sys
out = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
# (input line, id, error?) per answer; the blank line 4 has none.
want = [(1, "en-summit-1", False), (2, None, True), (3, None, True), (5, "fr-summit-1", False),
        (6, "empty", True), (7, "en-summit-1", True), (8, None, True), (9, "en-summit-2", False)]
errs = []
if len(out) != len(want):
    errs.append(f"{len(out)} answers for {len(want)} non-blank lines: {out}")
for o, (line, id_, bad) in zip(out, want):
    if o.get("id", "absent") != id_:
        errs.append(f"input line {line}: id {o.get('id', 'absent')!r}, expected {id_!r}")
    if bad:
        if not isinstance(o.get("error"), str) or o.get("line") != line:
            errs.append(f"input line {line}: expected an error with \"line\": {line}: {o}")
    elif "error" in o or not isinstance(o.get("story"), str) or "dup" not in o:
        errs.append(f"input line {line}: expected a decision: {o}")
if len(out) == len(want) and out[7].get("story") != "en-summit-1":
    errs.append(f"en-summit-2 should join en-summit-1's story: {out[7]}")
if errs:
    print("\n".join("  " + e for e in errs), file=sys.stderr)
    sys.exit(1)
PYEOF
fi

# ------------------------------------------------------------------------------------------------
# 5. Planted copies of the sample, and exact re-sends.
resend_in_run=$(grep -n '"id": "en-calder-4"' "$SAMPLE" | cut -d: -f1)
resend_new_run=$(grep -n '"id": "de-bruecke-2"' "$SAMPLE" | cut -d: -f1)
[[ -n $resend_in_run && -n $resend_new_run ]] || die "sample: en-calder-4 or de-bruecke-2 missing"
{ cat "$SAMPLE"; sed -n "${resend_in_run}p" "$SAMPLE"; } >"$tmp/sample_resend.jsonl"
if run_feed "$tmp/s5.out" "$tmp/s5.err" -q --state "$tmp/st5" "$tmp/sample_resend.jsonl"; then
"$PY" - "$SAMPLE" "$tmp/s5.out" "$resend_in_run" <<'PYEOF' || fail "sample: wrong answers (see above)"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]
resend = int(sys.argv[3])
errs = []
if len(lines) != len(recs) + 1:
    print(f"  {len(lines)} answers for {len(recs) + 1} lines", file=sys.stderr)
    sys.exit(1)
out = [json.loads(l) for l in lines]
pos = {r["id"]: i for i, r in enumerate(recs)}
checked = 0
for i, r in enumerate(recs):
    if r.get("copy_kind") not in ("exact", "reheadlined"):
        continue
    j = pos[r["gold_dup"]]
    first, second = (j, i) if j < i else (i, j)  # the later of the pair is the copy
    o = out[second]
    if o.get("dup") != recs[first]["id"] or o.get("dup_score") != 1:
        errs.append(f"{recs[second]['id']} ({r['copy_kind']} pair with {recs[first]['id']}): {lines[second]}")
    checked += 1
if checked < 4:
    errs.append(f"only {checked} exact or re-headlined copies in the sample")
if lines[-1] != lines[resend - 1]:
    errs.append(f"re-send of line {resend}: {lines[-1]}, first answer {lines[resend - 1]}")
if errs:
    print("\n".join("  " + e for e in errs), file=sys.stderr)
    sys.exit(1)
PYEOF
  # A re-send in a new process on the same state: the same answer, counted as a repeated answer.
  first=$(sed -n "${resend_new_run}p" "$tmp/s5.out")
  if run_feed "$tmp/s5b.out" "$tmp/s5b.err" --state "$tmp/st5" \
    <<<"$(sed -n "${resend_new_run}p" "$SAMPLE")"; then
    [[ $(cat "$tmp/s5b.out") == "$first" ]] ||
      fail "sample: re-send of line $resend_new_run in a new process answered" \
        "$(cat "$tmp/s5b.out"), first $first"
    grep -q "1 repeated answers" "$tmp/s5b.err" ||
      fail "sample: the re-send is not counted as a repeated answer: $(head -n 1 "$tmp/s5b.err")"
  fi
fi

# ------------------------------------------------------------------------------------------------
# 6. One feed per state; answers as lines arrive on a pipe.
mkfifo "$tmp/fifo"
"$BIN" feed -q --state "$tmp/st6" <"$tmp/fifo" >"$tmp/lock.out" 2>"$tmp/lock.err" &
lock_pid=$!
exec 3>"$tmp/fifo"
sed -n 1p "$SAMPLE" >&3
# Wait (up to 20 s) for the first answer while the pipe stays open.
for ((w = 0; w < 200; w++)); do
  [[ $(wc -l <"$tmp/lock.out") -ge 1 ]] && break
  sleep 0.1
done
if [[ $(wc -l <"$tmp/lock.out") -ne 1 ]]; then
  fail "lock: no answer to the first line while the pipe is open"
fi
rc=0
timeout 60 "$BIN" feed -q --state "$tmp/st6" <<<"$(sed -n 2p "$SAMPLE")" >"$tmp/lock2.out" \
  2>"$tmp/lock2.err" || rc=$?
[[ $rc -ne 0 && $rc -ne 124 ]] || fail "lock: a second feed on a state in use exited with $rc"
grep -q "in use by another feed" "$tmp/lock2.err" ||
  fail "lock: no \"in use by another feed\" in: $(cat "$tmp/lock2.err")"
[[ ! -s $tmp/lock2.out ]] || fail "lock: the refused feed answered: $(cat "$tmp/lock2.out")"
sed -n 2p "$SAMPLE" >&3
exec 3>&-
for ((w = 0; w < 200; w++)); do
  kill -0 "$lock_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$lock_pid" 2>/dev/null; then
  kill -9 "$lock_pid" 2>/dev/null || true
  fail "lock: the first feed did not exit within 20 s of its input's end"
fi
rc=0
wait "$lock_pid" 2>/dev/null || rc=$?
[[ $rc -eq 0 ]] || fail "lock: the first feed exited with $rc: $(tail -n 5 "$tmp/lock.err")"
[[ $(wc -l <"$tmp/lock.out") -eq 2 ]] || fail "lock: $(wc -l <"$tmp/lock.out") answers, expected 2"
if run_feed "$tmp/lock3.out" "$tmp/lock3.err" -q --state "$tmp/st6" <<<"$(sed -n 3p "$SAMPLE")"; then
  [[ $(wc -l <"$tmp/lock3.out") -eq 1 ]] || fail "lock: the freed state did not answer"
fi

cli_test_finish
