#!/usr/bin/env bash
# The news-feed replay benchmark: Reuters-21578 in date order through `samestory feed` (one
# article at a time, state in a directory), against the batch answer of `samestory cluster` on the
# same input: speed, latency, memory, state on disk, agreement with the batch, story merges; then
# the feed and the batch against gold labels (ECB+, RPM2, a generated stream).
#
# usage: bash bench/feed_macro.sh
# Inputs (read-only), beside the repo root; skips with exit 0 when Reuters-21578 is absent, and
# skips each gold corpus that is absent with a message:
#   ../shared/datasets/reuters21578/reuters21578.jsonl.gz  no labels
#   ../shared/datasets/ecbplus/ecbplus_documents.jsonl.gz  id doc_id, gold subtopic (and topic)
#   ../shared/datasets/rpm2_fr/rpm2_documents.jsonl.gz     id id, gold cluster (and theme)
#   datasets/sample/articles.jsonl                         the base of `samestory gen`
#
# env: RUNS (3)          replays of the sorted input (fresh state dir each); the table shows medians
#      ROUNDS (4)        copies of the sorted input in the long stream (memory over time)
#      INTERVAL (0.5)    seconds between RSS samples of the long replay
#      GEN_N (100000)    articles of the generated stream of the gold section (`samestory gen
#                        --seed 1`, gold fields story and dup); 0 skips it
#      DATASETS          the corpora directory (../shared/datasets beside the repo root)
#      RESULTS           where the Markdown goes (bench/results/feed_reuters.md)
#      SAMESTORY         the binary (build/release/tools/samestory/samestory)
#      PYTHON            sorting, stream building, merges, ARI (/usr/bin/python3: Debian's; plain
#                        Python, sklearn's adjusted_rand_score is used as a cross-check when importable)
#      KEEP_TMP=1        keep the temp dir (sorted input, outputs, state dirs, stderr, RSS samples)
#
# The feed's output holds one answer line per non-blank input line, each followed by the merge
# records it caused, {"merge":ABSORBED,"into":SURVIVOR,"score":S}. Every feed output is read the
# same way: answers are the lines that are not merge records; "first answers" label each article
# with its `story` as written; "final" labels it with find(story) in a union-find over story ids
# after applying every merge record of the output (the feed's partition at the end of the stream).
#
# Steps, one after the other:
#   1. sort the records by `date` (stable; records without a date or unparsable JSON last, in input
#      order): the replay order, a temp file SORTED
#   2. samestory cluster -q SORTED -o batch.jsonl --threads 2 (the batch answer), timed
#   3. RUNS x: samestory feed --state DIR SORTED -o feed.jsonl, fresh DIR each, timed; its stderr
#      summary parsed (records, story merges, articles/s, latency p50/p99/max ms, window sizes);
#      du -sb DIR after
#   4. agreement feed (run 1) vs batch over records without "error" in both, for the first answers
#      and for the final labels: dup ARI (label "dup", else the record's own id), story ARI
#      ("story"), story counts; pairwise and B-cubed from samestory eval --gold batch.jsonl
#      --gold-field story --pred P --pred-field story (P: first or final labels); churn: merge
#      records per 1,000 articles, share of articles whose final story is not their first answer
#   5. one replay of a long stream: SORTED ROUNDS times, ids suffixed _1.._ROUNDS, dates shifted by
#      (round - 1) x N days, N = ceil(span of the Reuters dates in days) + 30 (rounds do not
#      overlap), VmRSS of the feed process sampled from /proc/PID/status every INTERVAL s
#   6. gold: ECB+ and RPM2 in input order, and GEN_N generated articles sorted by date as in step 1,
#      each through samestory feed (fresh state) and samestory cluster --threads 2; story B-cubed
#      (and ARI) against gold from samestory eval --gold INPUT --gold-field GOLD --gold-id-field ID
#      for cluster, feed final, feed first answers; the generated stream's dup ARI too
# Every timed run is under /usr/bin/time -f '%e %M' (wall seconds, peak RSS KiB); every output is
# checked to hold one answer line per input record (merge records not counted). It builds
# nothing. A failed run makes the script exit 1 after writing the results.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DS=${DATASETS:-$ROOT/../shared/datasets}
INPUT="$DS/reuters21578/reuters21578.jsonl.gz"
RESULTS=${RESULTS:-$ROOT/bench/results/feed_reuters.md}
SAMESTORY=${SAMESTORY:-$ROOT/build/release/tools/samestory/samestory}
PYTHON=${PYTHON:-/usr/bin/python3}
RUNS=${RUNS:-3}
ROUNDS=${ROUNDS:-4}
INTERVAL=${INTERVAL:-0.5}
GEN_N=${GEN_N:-100000}
NPROC=$(nproc)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)

say() { echo "feed_macro: $*" >&2; }

if [[ ! -f "$INPUT" ]]; then
  say "$INPUT not found: skipping (the corpus lives in shared/datasets beside the repo root)."
  exit 0
fi
INPUT=$(cd "$(dirname "$INPUT")" && pwd)/$(basename "$INPUT")
DS=$(cd "$DS" && pwd)

# shellcheck source=bench/macro_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/macro_lib.sh"
require_samestory
if [[ ! -x /usr/bin/time ]]; then apt_install time; fi
if ! "$PYTHON" -c 'import json, statistics' 2>/dev/null; then say "$PYTHON does not run"; exit 1; fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/feed_macro.XXXXXX")
if [[ "${KEEP_TMP:-0}" == 1 ]]; then say "keeping $TMP"; else trap 'rm -rf "$TMP"' EXIT; fi
FAILED=0
NOTES=()

lines() { (gzip -cdf -- "$1" | grep -c '[^[:space:]]') || true; }
# answers FILE: the non-blank lines that are not merge records (one per answered input record).
answers() { (gzip -cdf -- "$1" | grep -v '^{"merge":' | grep -c '[^[:space:]]') || true; }
rel() { local p=$1; [[ "$p" == "$ROOT"/* ]] && p=${p#"$ROOT"/}; [[ "$p" == "$(dirname "$ROOT")"/shared/* ]] && p="../${p#"$(dirname "$ROOT")"/}"; echo "$p"; }

# sortdate.py OUT INFO < JSONL: the replay order (steps 1 and 6); INFO: counts and the date span.
cat >"$TMP/sortdate.py" <<'EOF'
import json, sys
from datetime import datetime
out_path, info_path = sys.argv[1:3]
recs, lo, hi, undated, bad = [], None, None, 0, 0
for i, line in enumerate(sys.stdin):
    if not line.strip():
        continue
    if not line.endswith("\n"):
        line += "\n"
    try:
        d = json.loads(line).get("date")
    except (ValueError, AttributeError):
        d, bad = None, bad + 1
    key = (1, "")
    if isinstance(d, str) and d:
        try:
            t = datetime.fromisoformat(d)
            key = (0, d)
            lo = t if lo is None or t < lo else lo
            hi = t if hi is None or t > hi else hi
        except ValueError:
            pass
    if key[0] == 1:
        undated += 1
    recs.append((key, i, line))
recs.sort(key=lambda r: (r[0], r[1]))
with open(out_path, "w") as f:
    f.writelines(r[2] for r in recs)
json.dump({"records": len(recs), "undated": undated, "unparsable": bad,
           "first": lo.isoformat() if lo else None, "last": hi.isoformat() if hi else None,
           "span_days": (hi - lo).total_seconds() / 86400 if lo else 0}, open(info_path, "w"))
EOF

# feedlabels.py FEED_OUT PREFIX: splits a feed output into its answers and merge records and
# writes PREFIX.first.jsonl and PREFIX.final.jsonl (one line per answer: id, dup, story, and
# "error": true for error records; first: story as written, final: find(story) after every merge
# record) and PREFIX.churn.json (counts, merges per 1,000 good articles, share of good articles
# whose final story is not their first answer, and checks: merge records before any answer or
# naming a story not standing, answers naming a story already absorbed).
cat >"$TMP/feedlabels.py" <<'EOF'
import json, statistics, sys
src, prefix = sys.argv[1:3]
answers, merges = [], []
standing, absorbed = set(), set()
bad_merges = stale = unparsable = 0
for line in open(src, encoding="utf-8"):
    if not line.strip():
        continue
    try:
        r = json.loads(line)
    except ValueError:
        unparsable += 1
        answers.append({"id": None, "error": "unparsable output line"})
        continue
    if isinstance(r, dict) and "merge" in r and "id" not in r:
        merges.append(r)
        a, b = r.get("merge"), r.get("into")
        if not answers or a not in standing or b not in standing or a == b:
            bad_merges += 1
        else:
            standing.discard(a)
            absorbed.add(a)
        continue
    if not isinstance(r, dict):
        r = {"id": None, "error": "not an object"}
    answers.append(r)
    st = r.get("story")
    if "error" not in r and isinstance(st, str):
        if st in absorbed:
            stale += 1
        standing.add(st)
parent = {}
def find(x):
    root = x
    while parent.get(root, root) != root:
        root = parent[root]
    while x != root:
        nxt = parent[x]
        parent[x] = root
        x = nxt
    return root
for m in merges:
    a, b = find(m.get("merge")), find(m.get("into"))
    if a != b:
        parent[a] = b
good = changed = 0
first_st, final_st = set(), set()
with open(prefix + ".first.jsonl", "w") as f1, open(prefix + ".final.jsonl", "w") as f2:
    for r in answers:
        err = "error" in r or not isinstance(r.get("story"), str)
        st = None if err else r["story"]
        fin = None if err else find(st)
        if not err:
            good += 1
            changed += fin != st
            first_st.add(st)
            final_st.add(fin)
        base = {"id": r.get("id"), "dup": None if err else r.get("dup")}
        if err:
            base["error"] = True
        f1.write(json.dumps(dict(base, story=st), ensure_ascii=False) + "\n")
        f2.write(json.dumps(dict(base, story=fin), ensure_ascii=False) + "\n")
scores = [m["score"] for m in merges if isinstance(m.get("score"), (int, float))]
json.dump(dict(answers=len(answers), good=good, merges=len(merges),
               merges_per_1000=1000 * len(merges) / good if good else None,
               changed=changed, changed_share=changed / good if good else None,
               first_stories=len(first_st), final_stories=len(final_st),
               score_median=statistics.median(scores) if scores else None,
               score_min=min(scores) if scores else None,
               bad_merges=bad_merges, stale_answers=stale, unparsable=unparsable),
          open(prefix + ".churn.json", "w"))
EOF
# labels NAME: feedlabels.py on $TMP/NAME.jsonl; a failed check becomes a note.
labels() {
  if ! "$PYTHON" "$TMP/feedlabels.py" "$TMP/$1.jsonl" "$TMP/$1" 2>"$TMP/$1.labels.err"; then
    FAILED=1; NOTES+=("FAILED: reading the merge records of $1: $(tail -n 1 "$TMP/$1.labels.err")")
    return
  fi
  local c
  c=$("$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1]))
bad = ["%d %s" % (d[k], t) for k, t in (("bad_merges", "merge records before any answer or naming a story not standing"), ("stale_answers", "answers naming a story absorbed earlier"), ("unparsable", "unparsable lines")) if d[k]]
print("; ".join(bad))' "$TMP/$1.churn.json") || c="cannot read $1.churn.json"
  if [[ -n "$c" ]]; then NOTES+=("WARNING: the feed output $1: $c"); fi
}

# 1. The replay order. sort.json: counts and the date span, for the notes and step 5.
export TMP INPUT
gzip -cdf -- "$INPUT" | "$PYTHON" "$TMP/sortdate.py" "$TMP/sorted.jsonl" "$TMP/sort.json"
SORTED="$TMP/sorted.jsonl"
N_IN=$(lines "$SORTED")
say "sorted $N_IN records by date"

# timed NAME OUT WANT CMD...: runs CMD under /usr/bin/time; $TMP/NAME.time holds "seconds KiB",
# $TMP/NAME.err its stderr. Checks OUT has WANT answer lines (merge records not counted).
timed() {
  local name=$1 out=$2 want=$3 rc=0 got
  shift 3
  /usr/bin/time -f '%e %M' -o "$TMP/$name.time" "$@" >/dev/null 2>"$TMP/$name.err" || rc=$?
  if ((rc != 0)); then
    FAILED=1; NOTES+=("FAILED (exit $rc): $name: $(tail -n 1 "$TMP/$name.err")")
    tail -n 20 "$TMP/$name.err" >&2
  fi
  got=$(answers "$out")
  if [[ "$got" != "$want" ]]; then
    FAILED=1; NOTES+=("FAILED: $name wrote $got answer lines (merge records not counted) for $want input records")
  fi
  local sec="?" kib="?" m
  read -r sec kib < <(grep -E '^[0-9.]+ [0-9]+$' "$TMP/$name.time" | tail -n 1) || true
  m=$( (gzip -cdf -- "$out" | grep -c '^{"merge":') || true)
  say "$(printf '%-12s %s s %s KiB, %s answers, %s merge records' "$name" "$sec" "$kib" "$got" "$m")"
}

# 2. The batch answer.
timed batch "$TMP/batch.jsonl" "$N_IN" "$SAMESTORY" cluster -q "$SORTED" -o "$TMP/batch.jsonl" --threads 2

# 3. The replays.
for r in $(seq 1 "$RUNS"); do
  timed "feed$r" "$TMP/feed$r.jsonl" "$N_IN" "$SAMESTORY" feed --state "$TMP/state$r" "$SORTED" -o "$TMP/feed$r.jsonl"
  du -sb "$TMP/state$r" | cut -f1 >"$TMP/feed$r.state"
done
for r in $(seq 2 "$RUNS"); do
  if ! cmp -s "$TMP/feed1.jsonl" "$TMP/feed$r.jsonl"; then
    NOTES+=("WARNING: feed output of replay $r differs from replay 1 (same input, fresh state)")
  fi
done

# 4. Agreement: first and final labels of replay 1 (feed1.first.jsonl, feed1.final.jsonl, with
# feed1.churn.json); samestory eval (pairwise, B-cubed) here, ARI in the tables step.
labels feed1
for k in first final; do
  "$SAMESTORY" eval --gold "$TMP/batch.jsonl" --gold-field story --pred "$TMP/feed1.$k.jsonl" \
    --pred-field story >"$TMP/eval.$k.json" 2>"$TMP/eval.$k.err" || {
    FAILED=1; NOTES+=("FAILED: samestory eval ($k): $(tail -n 1 "$TMP/eval.$k.err")"); echo '{}' >"$TMP/eval.$k.json"; }
done

# 5. The long stream and its replay with RSS samples.
export ROUNDS
"$PYTHON" -c '
import json, math, os
from datetime import datetime, timedelta
TMP, rounds = os.environ["TMP"], int(os.environ["ROUNDS"])
info = json.load(open(os.path.join(TMP, "sort.json")))
shift = math.ceil(info["span_days"]) + 30
src = open(os.path.join(TMP, "sorted.jsonl")).readlines()
with open(os.path.join(TMP, "long.jsonl"), "w") as f:
    for k in range(rounds):
        for line in src:
            try:
                rec = json.loads(line)
            except ValueError:
                f.write(line); continue
            if isinstance(rec.get("id"), str):
                rec["id"] = "%s_%d" % (rec["id"], k + 1)
            d = rec.get("date")
            if isinstance(d, str) and d:
                try:
                    rec["date"] = (datetime.fromisoformat(d) + timedelta(days=k * shift)).isoformat()
                except ValueError:
                    pass
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
info["shift_days"] = shift
json.dump(info, open(os.path.join(TMP, "sort.json"), "w"))
'
N_LONG=$(lines "$TMP/long.jsonl")
say "long stream: $N_LONG records ($ROUNDS rounds)"
LONG_OUT="$TMP/long_feed.jsonl"
: >"$TMP/rss.tsv"
/usr/bin/time -f '%e %M' -o "$TMP/long.time" "$SAMESTORY" feed --state "$TMP/state_long" \
  "$TMP/long.jsonl" -o "$LONG_OUT" >/dev/null 2>"$TMP/long.err" &
TPID=$!
CHILD=""
for _ in $(seq 1 500); do
  CHILD=$(awk '{print $1}' "/proc/$TPID/task/$TPID/children" 2>/dev/null || pgrep -P "$TPID" || true)
  [[ -n "$CHILD" ]] && break
  kill -0 "$TPID" 2>/dev/null || break
  sleep 0.01
done
T0=$(date +%s.%N)
if [[ -n "$CHILD" ]]; then
  while kill -0 "$CHILD" 2>/dev/null; do
    read -r rss hwm < <(awk '/^VmRSS:/ {r = $2} /^VmHWM:/ {h = $2} END {print r, h}' "/proc/$CHILD/status" 2>/dev/null || true) || true
    [[ -z "${rss:-}" ]] && break  # exited (a zombie has no VmRSS)
    n=$( (grep -vc '^{"merge":' "$LONG_OUT" 2>/dev/null) || true)
    printf '%s\t%s\t%s\t%s\n' "$(date +%s.%N)" "$rss" "${n:-0}" "$hwm" >>"$TMP/rss.tsv"
    sleep "$INTERVAL"
  done
else
  NOTES+=("WARNING: could not find the feed process under /usr/bin/time: no RSS samples")
fi
rc=0; wait "$TPID" || rc=$?
if ((rc != 0)); then FAILED=1; NOTES+=("FAILED (exit $rc): long replay: $(tail -n 1 "$TMP/long.err")"); fi
GOT=$(answers "$LONG_OUT")
if [[ "$GOT" != "$N_LONG" ]]; then FAILED=1; NOTES+=("FAILED: long replay wrote $GOT answer lines (merge records not counted) for $N_LONG input records"); fi
labels long_feed
du -sb "$TMP/state_long" | cut -f1 >"$TMP/long.state"
say "long         $(tail -n 1 "$TMP/long.time") (s KiB), $GOT answers, $(wc -l <"$TMP/rss.tsv") RSS samples"

# 6. Gold: ECB+ and RPM2 in input order, GEN_N generated articles in date order; each through the
# feed (fresh state) and the batch, scored against gold with samestory eval.
declare -A GFILE GIDF GGOLDS GNAME GORDER
GFILE[ecb]=$DS/ecbplus/ecbplus_documents.jsonl.gz; GIDF[ecb]=doc_id; GGOLDS[ecb]="subtopic topic"; GNAME[ecb]="ECB+"
GFILE[rpm2]=$DS/rpm2_fr/rpm2_documents.jsonl.gz;   GIDF[rpm2]=id;    GGOLDS[rpm2]="cluster theme";  GNAME[rpm2]="RPM2"
GORDER[ecb]="input order"; GORDER[rpm2]="input order"
GOLD_SETS=()
for g in ecb rpm2; do
  if [[ -f "${GFILE[$g]}" ]]; then GOLD_SETS+=("$g"); else
    say "${GFILE[$g]} not found: ${GNAME[$g]} skipped"; NOTES+=("${GNAME[$g]} skipped: ${GFILE[$g]} not found"); fi
done
GEN_BASE="$ROOT/datasets/sample/articles.jsonl"
if ((GEN_N > 0)); then
  if [[ -f "$GEN_BASE" ]]; then
    say "gold: generating $GEN_N articles (samestory gen --seed 1), sorting them by date"
    if "$SAMESTORY" gen -q --articles "$GEN_N" --seed 1 --base "$GEN_BASE" -o "$TMP/gen.raw.jsonl" 2>"$TMP/gen.err"; then
      "$PYTHON" "$TMP/sortdate.py" "$TMP/gen.jsonl" "$TMP/gen.sort.json" <"$TMP/gen.raw.jsonl"
      rm -f "$TMP/gen.raw.jsonl"
      GFILE[gen]=$TMP/gen.jsonl; GIDF[gen]=id; GGOLDS[gen]="story dup"; GNAME[gen]="generated ($GEN_N)"
      GORDER[gen]="date order"
      GOLD_SETS+=(gen)
    else
      FAILED=1; NOTES+=("FAILED: samestory gen: $(tail -n 1 "$TMP/gen.err")")
    fi
  else
    say "$GEN_BASE not found: the generated stream skipped"; NOTES+=("the generated stream skipped: $GEN_BASE not found")
  fi
else
  say "GEN_N=0: the generated stream skipped"
fi
: >"$TMP/gold.tsv"
for g in "${GOLD_SETS[@]}"; do
  f=${GFILE[$g]} idf=${GIDF[$g]}
  want=$(lines "$f")
  timed "g_$g.cluster" "$TMP/g_$g.cluster.jsonl" "$want" "$SAMESTORY" cluster -q "$f" --id-field "$idf" \
    -o "$TMP/g_$g.cluster.jsonl" --threads 2
  timed "g_$g.feed" "$TMP/g_$g.feed.jsonl" "$want" "$SAMESTORY" feed --state "$TMP/g_$g.state" \
    --id-field "$idf" "$f" -o "$TMP/g_$g.feed.jsonl"
  labels "g_$g.feed"
  for gf in ${GGOLDS[$g]}; do
    # The gold field dup (generated stream) is a copy label: scored on the predictions' dup.
    pf=story; [[ "$gf" == dup ]] && pf=dup
    for k in cluster feed.first feed.final; do
      p=$TMP/g_$g.$k.jsonl
      "$SAMESTORY" eval --gold "$f" --gold-field "$gf" --gold-id-field "$idf" --pred "$p" \
        --pred-field "$pf" >"$TMP/g_$g.$k.$gf.eval.json" 2>"$TMP/g_$g.$k.$gf.eval.err" || {
        FAILED=1; NOTES+=("FAILED: samestory eval of $k on ${GNAME[$g]} ($gf): $(tail -n 1 "$TMP/g_$g.$k.$gf.eval.err")")
        echo '{}' >"$TMP/g_$g.$k.$gf.eval.json"; }
    done
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$g" "${GNAME[$g]}" "$(rel "$f")" "$want" "${GORDER[$g]}" "${GGOLDS[$g]}" >>"$TMP/gold.tsv"
done

# 7. Tables (Python: Markdown from the summaries, outputs, eval JSON and samples).
export RUNS N_IN N_LONG T0 INTERVAL
"$PYTHON" - >"$TMP/tables.md" 2>"$TMP/tables.err" <<'EOF' || { FAILED=1; NOTES+=("FAILED: the tables step: $(tail -n 1 "$TMP/tables.err")"); }
import json, os, re, statistics
from collections import Counter
from datetime import datetime

TMP = os.environ["TMP"]
runs = int(os.environ["RUNS"])
n_in, n_long = int(os.environ["N_IN"]), int(os.environ["N_LONG"])
notes = []

def timefile(name):
    sec = kib = None
    try:
        for line in open(os.path.join(TMP, name + ".time")):
            m = re.match(r"^([0-9.]+) ([0-9]+)$", line.strip())
            if m:
                sec, kib = float(m.group(1)), int(m.group(2))
    except OSError:
        pass
    return sec, kib

SUMMARY = [
    (r"samestory feed: (\d+) records \((\d+) bad, (\d+) copies, (\d+) new stories, (?:(\d+) story "
     r"merges, )?(\d+) repeated answers\), (\d+) recovered",
     ("records", "bad", "copies", "new_stories", "merges", "repeated", "recovered")),
    (r"window: (\d+) articles for duplicates, (\d+) for stories; (\d+) snapshots",
     ("dup_window", "story_window", "snapshots")),
    (r"seconds ([0-9.]+), ([0-9.]+) articles/s, latency ms p50 ([0-9.]+) p99 ([0-9.]+) max ([0-9.]+)",
     ("seconds", "rate", "p50", "p99", "max")),
]

def summary(name):
    text = open(os.path.join(TMP, name + ".err")).read()
    out = {}
    for pat, keys in SUMMARY:
        m = re.search(pat, text)
        if not m:
            notes.append("WARNING: could not parse the summary of %s (pattern %r); its cells are n/a"
                         % (name, pat[:40]))
            continue
        out.update({k: float(v) for k, v in zip(keys, m.groups()) if v is not None})
    return out

def f(v, fmt):
    return "n/a" if v is None else fmt % v

# Replays.
reps = []
for r in range(1, runs + 1):
    sec, kib = timefile("feed%d" % r)
    s = summary("feed%d" % r)
    try:
        state = int(open(os.path.join(TMP, "feed%d.state" % r)).read())
    except (OSError, ValueError):
        state = None
    reps.append(dict(wall=sec, rss=kib * 1024 / 1e6 if kib else None,
                     state=state / 1e6 if state is not None else None, **s))
    if s.get("records") is not None and int(s["records"]) != n_in:
        notes.append("WARNING: replay %d summary counts %d records for %d input records"
                     % (r, s["records"], n_in))

def col(key):
    return [x.get(key) for x in reps if x.get(key) is not None]

def med(key):
    v = col(key)
    return statistics.median(v) if v else None

def spread(key, fmt):
    v = col(key)
    if not v:
        return "n/a"
    return (fmt + "–" + fmt) % (min(v), max(v))

print("<!-- replay -->")
print("| run | wall s | articles/s (summary) | input records / wall s | latency p50 ms | p99 ms | max ms "
      "| peak RSS MB | state MB | copies | new stories | story merges | window dup / story |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for i, x in enumerate(reps, 1):
    print("| replay %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s |" % (
        i, f(x["wall"], "%.2f"), f(x.get("rate"), "%.0f"),
        f(n_in / x["wall"] if x["wall"] else None, "%.0f"), f(x.get("p50"), "%.3f"),
        f(x.get("p99"), "%.3f"), f(x.get("max"), "%.3f"), f(x["rss"], "%.1f"), f(x["state"], "%.1f"),
        f(x.get("copies"), "%d"), f(x.get("new_stories"), "%d"), f(x.get("merges"), "%d"),
        f(x.get("dup_window"), "%d"), f(x.get("story_window"), "%d")))
walls = col("wall")
print("| **median** | **%s** | **%s** | %s | **%s** | **%s** | %s | %s | %s | | | | |" % (
    f(med("wall"), "%.2f"), f(med("rate"), "%.0f"),
    f(n_in / med("wall") if walls else None, "%.0f"), f(med("p50"), "%.3f"), f(med("p99"), "%.3f"),
    f(med("max"), "%.3f"), f(med("rss"), "%.1f"), f(med("state"), "%.1f")))
print("| spread (min–max) | %s | %s | | %s | %s | %s | %s | %s | | | | |" % (
    spread("wall", "%.2f"), spread("rate", "%.0f"), spread("p50", "%.3f"), spread("p99", "%.3f"),
    spread("max", "%.3f"), spread("rss", "%.1f"), spread("state", "%.1f")))
bsec, bkib = timefile("batch")
print("| batch: `cluster --threads 2` | %s | — | %s | — | — | — | %s | — | | | | |" % (
    f(bsec, "%.2f"), f(n_in / bsec if bsec else None, "%.0f"), f(bkib * 1024 / 1e6 if bkib else None, "%.1f")))
print()

# Agreement: feed replay 1 (first answers and final labels) vs batch.
def load(path):
    recs = {}
    dup_ids = 0
    for line in open(path):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if "merge" in r and "id" not in r:
            continue
        if r.get("id") in recs:
            dup_ids += 1
        recs[r.get("id")] = r
    return recs, dup_ids

first, fd = load(os.path.join(TMP, "feed1.first.jsonl"))
final, _ = load(os.path.join(TMP, "feed1.final.jsonl"))
batch, bd = load(os.path.join(TMP, "batch.jsonl"))
if fd or bd:
    notes.append("WARNING: repeated ids in the outputs (feed %d, batch %d): the last one of each is compared" % (fd, bd))
ids = [i for i in batch if i in first and "error" not in batch[i] and "error" not in first[i]]
err_f = sum(1 for r in first.values() if "error" in r)
err_b = sum(1 for r in batch.values() if "error" in r)
err_one = sum(1 for i in batch if i in first and (("error" in batch[i]) != ("error" in first[i])))

def ari(a, b):
    c2 = lambda x: x * (x - 1) // 2
    n = len(a)
    sij = sum(c2(v) for v in Counter(zip(a, b)).values())
    sa = sum(c2(v) for v in Counter(a).values())
    sb = sum(c2(v) for v in Counter(b).values())
    exp = sa * sb / c2(n)
    mx = (sa + sb) / 2
    return 1.0 if mx == exp else (sij - exp) / (mx - exp)

def duplab(r):
    return r.get("dup") if r.get("dup") is not None else r.get("id")

fdup = [duplab(first[i]) for i in ids]; bdup = [duplab(batch[i]) for i in ids]
fst1 = [first[i].get("story") for i in ids]; fstf = [final[i].get("story") for i in ids]
bst = [batch[i].get("story") for i in ids]
dup_ari = ari(fdup, bdup)
story_ari_first, story_ari = ari(fst1, bst), ari(fstf, bst)
try:
    from sklearn.metrics import adjusted_rand_score as sk
    d1, d2, d3 = sk(bdup, fdup), sk(bst, fstf), sk(bst, fst1)
    cross = "sklearn's adjusted_rand_score agrees (dup %.6f, story final %.6f, first %.6f)" % (d1, d2, d3)
    if abs(d1 - dup_ari) > 1e-9 or abs(d2 - story_ari) > 1e-9 or abs(d3 - story_ari_first) > 1e-9:
        notes.append("WARNING: the plain ARI and sklearn's differ: dup %.6f vs %.6f, story final %.6f vs "
                     "%.6f, first %.6f vs %.6f" % (dup_ari, d1, story_ari, d2, story_ari_first, d3))
except ImportError:
    cross = "sklearn not importable: no cross-check"
groups = lambda labs: sum(1 for c in Counter(labs).values() if c >= 2)
# Same-label pairs: batch only, feed only, and how many batch-only pairs are further apart (by
# date) than the feed's window for that kind.
opts = {}
try:
    for line in open(os.path.join(TMP, "state1", "options")):
        k, _, v = line.strip().partition(" ")
        opts[k] = v
except OSError:
    pass
dates = {}
for line in open(os.path.join(TMP, "sorted.jsonl")):
    try:
        r = json.loads(line)
        dates[r.get("id")] = datetime.fromisoformat(r["date"])
    except (ValueError, KeyError, TypeError):
        pass

def pairs(labels):
    byl = {}
    for i, l in zip(ids, labels):
        byl.setdefault(l, []).append(i)
    out = set()
    for m in byl.values():
        m = sorted(m)
        out.update((m[x], m[y]) for x in range(len(m)) for y in range(x + 1, len(m)))
    return out

def breakdown(kind, flab, blab, window_key):
    fp, bp = pairs(flab), pairs(blab)
    try:
        w = float(opts[window_key])
    except (KeyError, ValueError):
        w = None
    only_b = bp - fp
    far = None
    if w is not None:
        far = sum(1 for a, b in only_b if a in dates and b in dates
                  and abs((dates[a] - dates[b]).total_seconds()) / 86400 > w)
    return dict(kind=kind, batch=len(bp), feed=len(fp), both=len(bp & fp), only_b=len(only_b),
                only_f=len(fp - bp), window=w, far=far)

pairs_rows = [breakdown("dup", fdup, bdup, "dup_window_days"),
              breakdown("story, final", fstf, bst, "story_window_days"),
              breakdown("story, first answers", fst1, bst, "story_window_days")]
findings = []
for p in pairs_rows[:2]:
    if p["only_b"] and p["far"] is not None:
        findings.append(
            "%s: %d of the %d same-label pairs of the batch are missing from the feed; %d of them "
            "(%.0f%%) join articles more than the feed's %g-day %s window apart, which the feed "
            "cannot join by design; the feed has %d same-label pairs the batch does not have."
            % (p["kind"], p["only_b"], p["batch"], p["far"], 100 * p["far"] / p["only_b"],
               p["window"], "duplicate" if p["kind"] == "dup" else "story", p["only_f"]))

def evjson(name):
    try:
        return json.load(open(os.path.join(TMP, name)))
    except (OSError, ValueError):
        return {}

ev1, evf = evjson("eval.first.json"), evjson("eval.final.json")

def prf(ev, k):
    return "%s / %s / **%s**" % (f(ev.get(k + "_p"), "%.4f"), f(ev.get(k + "_r"), "%.4f"), f(ev.get(k + "_f1"), "%.4f"))

def met(ok):
    return "**met**" if ok else "**NOT met**"

bc_final = evf.get("bcubed_f1")
print("<!-- agreement -->")
print("| measure | feed, first answers | feed, final (after merges) | batch | target (final) | |")
print("|---|---|---|---|---|---|")
print("| dup ARI vs batch (label: `dup`, else own id; merges do not change it) | %.4f | %.4f | | >= 0.99 | %s |"
      % (dup_ari, dup_ari, met(dup_ari >= 0.99)))
print("| story B-cubed P / R / F1 (batch = gold) | %s | %s | | F1 >= 0.95 | %s |"
      % (prf(ev1, "bcubed"), prf(evf, "bcubed"), "**unknown**" if bc_final is None else met(bc_final >= 0.95)))
print("| story pairwise P / R / F1 (batch = gold) | %s | %s | | | |" % (prf(ev1, "pair"), prf(evf, "pair")))
print("| story ARI vs batch | %.4f | %.4f | | | |" % (story_ari_first, story_ari))
print("| story NMI (samestory eval) | %s | %s | | | |" % (f(ev1.get("nmi"), "%.4f"), f(evf.get("nmi"), "%.4f")))
print("| stories | %d | %d | %d | | |" % (len(set(fst1)), len(set(fstf)), len(set(bst))))
print("| stories of >= 2 articles | %d | %d | %d | | |" % (groups(fst1), groups(fstf), groups(bst)))
print("| largest story (articles) | %d | %d | %d | | |" % tuple(
    max(Counter(x).values()) if x else 0 for x in (fst1, fstf, bst)))
print("| dup groups of >= 2 | %d | %d | %d | | |" % (groups(fdup), groups(fdup), groups(bdup)))
print()
print("Same-label pairs (two records with the same label), by kind:")
print()
print("| label | pairs in batch | pairs in feed | in both | batch only | of which further apart than the feed's window | feed only |")
print("|---|---|---|---|---|---|---|")
for p in pairs_rows:
    print("| %s | %d | %d | %d | %d | %s | %d |" % (
        p["kind"], p["batch"], p["feed"], p["both"], p["only_b"],
        "n/a" if p["far"] is None else "%d (> %g days)" % (p["far"], p["window"]), p["only_f"]))
print()

# Churn: merge records and the articles whose final story is not their first answer.
def churn(name):
    return evjson(name + ".churn.json")

def churn_row(label, c):
    return "| %s | %s | %s | %s | %s | %s | %s / %s | %s / %s |" % (
        label, f(c.get("good"), "%d"), f(c.get("merges"), "%d"), f(c.get("merges_per_1000"), "%.2f"),
        f(c.get("changed"), "%d"),
        f(100 * c["changed_share"] if c.get("changed_share") is not None else None, "%.2f%%"),
        f(c.get("score_median"), "%.4f"), f(c.get("score_min"), "%.4f"),
        f(c.get("first_stories"), "%d"), f(c.get("final_stories"), "%d"))

CHURN_HEAD = ("| stream | good articles | merge records | merges per 1,000 articles | articles whose final "
              "story differs from the first answer | share | merge score median / lowest "
              "| stories first / final |\n|---|---|---|---|---|---|---|---|")
c1, cl = churn("feed1"), churn("long_feed")
print("<!-- churn -->")
print(CHURN_HEAD)
print(churn_row("Reuters-21578 replay 1 (%d records)" % n_in, c1))
print(churn_row("long replay (%d records)" % n_long, cl))
print()
agree = dict(pairs=pairs_rows, ids=len(ids), err_f=err_f, err_b=err_b, err_one=err_one, cross=cross,
             dup_ari=dup_ari, story_ari=story_ari, story_ari_first=story_ari_first,
             bc_final=bc_final, bc_first=ev1.get("bcubed_f1"), eval_docs=evf.get("documents"),
             merges_per_1000=c1.get("merges_per_1000"),
             changed_pct=100 * c1["changed_share"] if c1.get("changed_share") is not None else None)

# Gold: cluster, feed final, feed first answers against gold labels.
gold_rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(TMP, "gold.tsv")) if l.strip()]
print("<!-- gold -->")
if gold_rows:
    print("| corpus | order | records | gold field | B³ F1 cluster | B³ F1 feed final | B³ F1 feed first answers "
          "| ARI cluster | ARI feed final | ARI feed first answers |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for key, name, path, nrec, order, gfields in gold_rows:
        for gf in gfields.split():
            e = {k: evjson("g_%s.%s.%s.eval.json" % (key, k, gf)) for k in ("cluster", "feed.final", "feed.first")}
            what = "`%s`" % gf + (" (copies: scored on `dup`)" if gf == "dup" else "")
            print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                name, order, nrec, what,
                *(("**%s**" if k == "feed.final" else "%s") % f(e[k].get("bcubed_f1"), "%.3f")
                  for k in ("cluster", "feed.final", "feed.first")),
                *(f(e[k].get("ari"), "%.3f") for k in ("cluster", "feed.final", "feed.first"))))
    print()
    print("| feed run | wall s | articles/s (summary) | latency p50 ms | p99 ms | peak RSS MB | cluster wall s | cluster peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for key, name, path, nrec, order, gfields in gold_rows:
        sf, kf = timefile("g_%s.feed" % key)
        sc, kc = timefile("g_%s.cluster" % key)
        sm = summary("g_%s.feed" % key)
        print("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            name, f(sf, "%.2f"), f(sm.get("rate"), "%.0f"), f(sm.get("p50"), "%.3f"), f(sm.get("p99"), "%.3f"),
            f(kf * 1024 / 1e6 if kf else None, "%.1f"), f(sc, "%.2f"), f(kc * 1024 / 1e6 if kc else None, "%.1f")))
    print()
    print("Churn of the feed on these streams:")
    print()
    print(CHURN_HEAD)
    for key, name, path, nrec, order, gfields in gold_rows:
        print(churn_row(name, churn("g_%s.feed" % key)))
else:
    print("(no gold corpus: see the notes)")
print()

# Memory over the long replay.
lsec, lkib = timefile("long")
ls = summary("long")
t0 = float(os.environ["T0"])
samples = []
for line in open(os.path.join(TMP, "rss.tsv")):
    t, kib, n, hwm = line.rstrip("\n").split("\t")
    samples.append((float(t) - t0, int(kib) * 1024 / 1e6, int(n), int(hwm or 0) * 1024 / 1e6))
print("<!-- memory -->")
if samples:
    end = samples[-1][0]
    print("| point of the run (by time) | elapsed s | records answered | RSS MB | peak so far (VmHWM) MB |")
    print("|---|---|---|---|---|")
    for p in (25, 50, 75, 100):
        s = min(samples, key=lambda x: abs(x[0] - end * p / 100))
        print("| %d%%%s | %.1f | %d (%.0f%%) | %.1f | %.1f |" % (
            p, " (last sample)" if p == 100 else "", s[0], s[2], 100 * s[2] / n_long, s[1], s[3]))
    # Per round: the RSS when the round's last record had been answered (first sample at or after).
    print()
    print("| round | records | RSS MB at the round's end | copies | new stories | merge records "
          "| answers or merges naming another round |")
    print("|---|---|---|---|---|---|---|")
    # Answers in order; each merge record belongs to the answer before it (its round).
    outs, outs_merges = [], []
    for l in open(os.path.join(TMP, "long_feed.jsonl")):
        if not l.strip():
            continue
        r = json.loads(l)
        if "merge" in r and "id" not in r:
            outs_merges.append((len(outs) - 1, r))
        else:
            outs.append(r)
    per = n_long // max(1, int(os.environ.get("ROUNDS", "4")))
    rounds = int(os.environ.get("ROUNDS", "4"))
    round_rss = []
    for k in range(rounds):
        chunk = outs[k * per:(k + 1) * per]
        mchunk = [m for at_, m in outs_merges if k * per <= at_ < (k + 1) * per]
        suf = "_%d" % (k + 1)
        copy = lambda r: r.get("dup") is not None and r.get("dup") != r.get("id")
        copies = sum(1 for r in chunk if copy(r))
        cross_round = sum(1 for r in chunk if copy(r) and not str(r["dup"]).endswith(suf))
        cross_round += sum(1 for r in chunk if r.get("story") is not None and not str(r["story"]).endswith(suf))
        cross_round += sum(1 for m in mchunk if not (str(m.get("merge")).endswith(suf) and str(m.get("into")).endswith(suf)))
        new = sum(1 for r in chunk if r.get("new_story"))
        at = next((s for s in samples if s[2] >= (k + 1) * per), samples[-1])
        print("| %d | %d | %.1f | %d | %d | %d | %d |" % (k + 1, len(chunk), at[1], copies, new, len(mchunk), cross_round))
        round_rss.append(at[1])
    rss_vals = [s[1] for s in samples]
    half = [s[1] for s in samples if s[0] >= end / 2]
    growth = ""
    if len(round_rss) >= 2:
        d = round_rss[-1] - round_rss[0]
        growth = ("RSS at the end of round 1 %.1f MB, of round %d %.1f MB: %+.1f MB over %d further "
                  "articles (%.0f KB per 1,000)" % (round_rss[0], len(round_rss), round_rss[-1], d,
                                                   n_long - per, d * 1e6 / 1e3 / ((n_long - per) / 1000)))
    hwm_n = next((s[2] for s in samples if s[3] >= max(x[3] for x in samples)), 0)
    k = round(hwm_n / 50000)
    snap_text = ""
    if k >= 1 and 0 <= hwm_n - 50000 * k <= 3000:
        snap_text = (": the peak (VmHWM) first showed at %d records answered, just after snapshot %d "
                     "at %d, so it is the snapshot's transient cost, not growth" % (hwm_n, k, 50000 * k))
    mem = dict(n=len(samples), lo=min(rss_vals), hi=max(rss_vals), growth=growth, snap_text=snap_text,
               hwm_at=next((s[0] for s in samples if s[3] >= max(x[3] for x in samples)), None),
               hwm_n=next((s[2] for s in samples if s[3] >= max(x[3] for x in samples)), None),
               half_lo=min(half) if half else None, half_hi=max(half) if half else None)
else:
    print("(no RSS samples)")
    mem = {}
print()
info = json.load(open(os.path.join(TMP, "sort.json")))
info["dup_window"], info["story_window"] = opts.get("dup_window_days", "n/a"), opts.get("story_window_days", "n/a")
info["story_threshold"] = "%g" % float(opts["story_threshold"]) if "story_threshold" in opts else "n/a"
jt = opts.get("join", "").split()
info["join_threshold"], info["join_min_size"] = (("%g" % float(jt[0]), jt[1]) if len(jt) == 2 else ("n/a", "n/a"))
info["merge_every"] = opts.get("merge_every", "n/a")
try:
    info["gen"] = json.load(open(os.path.join(TMP, "gen.sort.json")))
except (OSError, ValueError):
    info["gen"] = None
json.dump(dict(info=info, reps_median={k: med(k) for k in ("wall", "rate", "p50", "p99", "max", "rss", "state")},
               batch=dict(sec=bsec, kib=bkib), agree=agree, mem=mem,
               long=dict(sec=lsec, kib=lkib, state=int(open(os.path.join(TMP, "long.state")).read()),
                         **ls),
               one_window="%s / %s" % (f(reps[0].get("dup_window"), "%d"), f(reps[0].get("story_window"), "%d")),
               notes=notes, findings=findings), open(os.path.join(TMP, "facts.json"), "w"))
EOF
while IFS= read -r n; do [[ -n "$n" ]] && NOTES+=("$n"); done < <("$PYTHON" -c '
import json, os
try:
    print("\n".join(json.load(open(os.path.join(os.environ["TMP"], "facts.json")))["notes"]))
except (OSError, ValueError, KeyError):
    pass')
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v a="${LOAD_START%% *}" -v b="${LOAD_END%% *}" -v n="$NPROC" 'BEGIN {exit !(a >= n / 2 || b >= n / 2 + 1)}'; then
  NOTES+=("WARNING: load average ${LOAD_START%% *} at the start and ${LOAD_END%% *} at the end on $NPROC cores: other work shared the machine, so speed and latency are pessimistic")
fi
if [[ "$(bin_id)" != "$BIN_START" ]]; then
  NOTES+=("WARNING: $SAMESTORY changed during the run ($BIN_START at the start, $(bin_id) at the end)")
fi

section() { awk -v s="<!-- $1 -->" '$0 == s {p = 1; next} /^<!-- / {p = 0} p' "$TMP/tables.md"; }
fact() { "$PYTHON" -c 'import json, os, sys
d = json.load(open(os.path.join(os.environ["TMP"], "facts.json")))
for k in sys.argv[1].split("."):
    d = d.get(k) if isinstance(d, dict) else None
print("n/a" if d is None else (sys.argv[2] % d if len(sys.argv) > 2 else d))' "$@" 2>/dev/null || echo n/a; }
# metq VALUE OP LIMIT: **met** / **NOT met** (**unknown** when VALUE is not a number).
metq() { awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
  if (v !~ /^[0-9.]+$/) { print "**unknown**"; exit }
  ok = (op == ">=") ? (v + 0 >= l + 0) : (op == "<=") ? (v + 0 <= l + 0) : (v + 0 < l + 0)
  print ok ? "**met**" : "**NOT met**" }'; }

RATE=$(fact reps_median.rate %.0f); P99=$(fact reps_median.p99 %.3f)
LRATE=$(fact long.rate %.0f); LP99=$(fact long.p99 %.3f)
DUPARI=$(fact agree.dup_ari %.4f); STARI=$(fact agree.story_ari %.4f); STARI1=$(fact agree.story_ari_first %.4f)
BCF=$(fact agree.bc_final %.4f); BCF1=$(fact agree.bc_first %.4f)
STH=$(fact info.story_threshold); JTH=$(fact info.join_threshold); JMIN=$(fact info.join_min_size)
# The batch's defaults, from its --help (the feed's are in its state's options file).
helpdef() { "$SAMESTORY" cluster --help 2>/dev/null | sed -n "s/^ *$1 [^=]*=\([0-9.]*\).*/\1/p" | head -n 1; }
BSTH=$(helpdef --story-threshold); BJTH=$(helpdef --join-threshold); BJMIN=$(helpdef --join-min-size)
SAME_RULE="the batch's"
if [[ "$STH $JTH $JMIN" != "${BSTH:-?} ${BJTH:-?} ${BJMIN:-?}" ]]; then
  SAME_RULE="the batch's rule with other values (cluster: story threshold ${BSTH:-n/a}, join ${BJTH:-n/a}, min size ${BJMIN:-n/a}; the feed places an article on arrival, see include/samestory/feed.h)"
  NOTES+=("The feed's story threshold / join / join min size ($STH / $JTH / $JMIN, from its state's options) differ from the batch's defaults (${BSTH:-n/a} / ${BJTH:-n/a} / ${BJMIN:-n/a}, from cluster --help): an article is placed on arrival, before its own event's later reports exist, so the feed needs a stricter link (FeedOptions in include/samestory/feed.h)")
fi
INFO() { "$PYTHON" -c 'import json, os, sys; print(json.load(open(os.path.join(os.environ["TMP"], "sort.json")))[sys.argv[1]])' "$1"; }

CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
ELAPSED=$(($(date +%s) - T_START))
SB=$(rel "$SAMESTORY")
mkdir -p "$(dirname "$RESULTS")"
{
  echo "# samestory feed: replay of Reuters-21578 in date order, against the batch answer"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Machine: ${CPU:-unknown CPU}, nproc $NPROC, $MEM RAM, $(uname -sr); load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- samestory: $("$SAMESTORY" --version 2>/dev/null | head -n 1 || echo unknown), binary $BIN_START; git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' (plus uncommitted changes to tracked files)')"
  echo "- Input: \`$(rel "$INPUT")\`: $N_IN records, sorted by \`date\` (stable; $(INFO undated) without a usable date and $(INFO unparsable) unparsable placed last), dates $(INFO first) to $(INFO last)"
  echo "- Runs: batch once, then $RUNS replays (fresh state dir each), then the long replay, one after the other, under \`/usr/bin/time -f '%e %M'\` (wall seconds, peak RSS); whole benchmark ${ELAPSED} s"
  echo
  echo "## The issue's targets"
  echo
  echo "| target | this run | |"
  echo "|---|---|---|"
  echo "| throughput >= 10,000 articles/s | $RATE articles/s (median of $RUNS replays, the feed's own count); $LRATE on the $N_LONG-record long replay | $(metq "$RATE" '>=' 10000) |"
  echo "| latency p99 <= 2 ms | $P99 ms (median of $RUNS); $LP99 ms on the long replay | $(metq "$P99" '<=' 2) |"
  echo "| dup ARI >= 0.99 vs batch | $DUPARI (merges do not change \`dup\`) | $(metq "$DUPARI" '>=' 0.99) |"
  echo "| story B-cubed F1 >= 0.95 vs batch, after merges | $BCF (first answers: $BCF1) | $(metq "$BCF" '>=' 0.95) |"
  echo
  echo "Story ARI vs batch (no target): $STARI after merges, $STARI1 for the first answers. Churn: $(fact agree.merges_per_1000 %.2f) merge records per 1,000 articles; the final story of $(fact agree.changed_pct %.2f)% of the articles is not their first answer."
  echo
  echo "The feed has no --threads flag: it always runs two threads (one reads and prepares records, one decides, answers in input order). \"--threads 2\" applies to the batch run, \`cluster --threads 2\`."
  echo
  echo "## Replay: $N_IN records through \`samestory feed\`"
  echo
  section replay
  echo "- articles/s (summary): the feed's own count, answers / seconds from the state being open to the last answer; input records / wall s includes start-up and exit. Latency per article: its preparation plus its decision with the answer written (queueing behind earlier records not counted), from the feed's summary. Peak RSS MB = KiB x 1024 / 10^6; state MB = \`du -sb\` of the state dir after the replay, / 10^6."
  echo "- story merges: merge records in the output (the summary's count). window dup / story: articles in the duplicate and story windows at the end of the replay ($(fact info.dup_window) and $(fact info.story_window) days by the articles' dates). Reuters-21578's dates are lumpy (Feb–Apr, June, then $(INFO last | cut -c1-7) alone), so the windows at the end hold the last days only; in March they are larger."
  echo
  echo "## Agreement with the batch answer on the same input"
  echo
  echo "Feed replay 1 against \`cluster --threads 2\`, over the $(fact agree.ids) records without \"error\" in both outputs ($(fact agree.err_f) errors in the feed, $(fact agree.err_b) in the batch, $(fact agree.err_one) in only one of them). First answers: each article's \`story\` as written. Final: find(story) in a union-find over story ids after applying every merge record of the output, i.e. the feed's partition at the end of the replay. ARI from the contingency table (plain Python; $(fact agree.cross)); pairwise and B-cubed from \`samestory eval\` with the batch as gold ($(fact agree.eval_docs) documents)."
  echo
  section agreement
  echo "### Churn: story merges"
  echo
  echo "Merge records per 1,000 good articles (records without \"error\"), and the articles whose final story is not the one first answered (find(story) != story). Merge score: the record's \`score\`."
  echo
  section churn
  echo "## Against gold labels: batch, feed final, feed first answers"
  echo
  echo "Each corpus through \`samestory cluster --threads 2\` and through \`samestory feed\` (fresh state dir, defaults), scored with \`samestory eval --gold INPUT --gold-field GOLD --gold-id-field ID\`: B-cubed F1 (B³) and ARI of \`story\` (cluster output; feed final and first labels as above). ECB+ (\`../shared/datasets/ecbplus/ecbplus_documents.jsonl.gz\`, id \`doc_id\`, gold \`subtopic\` = same event, \`topic\` coarser) and RPM2 (\`../shared/datasets/rpm2_fr/rpm2_documents.jsonl.gz\`, id \`id\`, gold \`cluster\`, \`theme\` coarser) have no dates and go through in input order. The generated stream: \`samestory gen --articles $GEN_N --seed 1 --base datasets/sample/articles.jsonl\`, sorted by \`date\` as the Reuters input ($(fact info.gen.records) records, dates $(fact info.gen.first) to $(fact info.gen.last)), gold \`story\` (event) and \`dup\` (the original's id; its row scores the outputs' \`dup\`, which merges do not change)."
  echo
  if ((GEN_N == 0)); then echo "GEN_N=0: the generated stream was skipped."; echo; fi
  section gold
  echo "## Memory over a long replay"
  echo
  echo "The sorted records $ROUNDS times ($N_LONG records): ids suffixed \`_1\`..\`_$ROUNDS\`, dates shifted by (round - 1) x $(fact info.shift_days) days ($(fact info.shift_days) = the Reuters date span rounded up + 30), so no round's articles fall inside another's windows. VmRSS of the feed process from \`/proc/PID/status\` every $INTERVAL s ($(fact mem.n) samples)."
  echo
  section memory
  echo "- Whole run: $(fact long.sec %.2f) s wall, $(fact long.rate %.0f) articles/s, latency p50 $(fact long.p50 %.3f) / p99 $(fact long.p99 %.3f) / max $(fact long.max %.3f) ms, peak RSS $("$PYTHON" -c 'import sys; print("%.1f" % (int(sys.argv[1]) * 1024 / 1e6))' "$(fact long.kib)" 2>/dev/null || echo n/a) MB (one replay of $N_IN: $(fact reps_median.rss %.1f) MB median); sampled RSS $(fact mem.lo %.1f)–$(fact mem.hi %.1f) MB over the run, $(fact mem.half_lo %.1f)–$(fact mem.half_hi %.1f) MB over its second half."
  echo "- $(fact mem.growth). The peak (VmHWM) was first reached $(fact mem.hwm_at %.1f) s into the run, with $(fact mem.hwm_n %d) records answered; a peak between two samples shows in VmHWM and \`/usr/bin/time\`, not in the VmRSS column."
  echo "- Windows at the end: $(fact long.dup_window %d) articles for duplicates, $(fact long.story_window %d) for stories (replay 1 of $N_IN: $(fact one_window)). Snapshots written: $(fact long.snapshots %d) (\`--snapshot-every\`, default 50,000 articles; the replays of $N_IN write none)$(fact mem.snap_text). State on disk at the end $("$PYTHON" -c 'import sys; print("%.1f" % (int(sys.argv[1]) / 1e6))' "$(fact long.state)" 2>/dev/null || echo n/a) MB."
  echo "- \"answers naming another round\" counts answers of a round whose \`dup\` or \`story\` names an article of another round (suffix): articles out of the windows should attract nothing, so 0 is expected."
  echo
  echo "## Notes"
  echo
  for n in "${NOTES[@]}"; do echo "- $n"; done
  while IFS= read -r l; do [[ -n "$l" ]] && echo "- $l"; done < <("$PYTHON" -c 'import json, os
print("\n".join(json.load(open(os.path.join(os.environ["TMP"], "facts.json"))).get("findings", [])))' 2>/dev/null || true)
  echo "- Targets: throughput $(metq "$RATE" '>=' 10000 | tr -d '*'), p99 $(metq "$P99" '<=' 2 | tr -d '*'), dup ARI $(metq "$DUPARI" '>=' 0.99 | tr -d '*'), story B-cubed F1 after merges $(metq "$BCF" '>=' 0.95 | tr -d '*')."
  echo "- The batch sees the whole corpus at once: duplicate groups with no date limit, global TF-IDF, stories by average link over the whole kNN graph with similarity damped by the date gap but no hard cut-off. The feed answers each article once, from the articles before it inside its windows ($(fact info.dup_window) / $(fact info.story_window) days), with story threshold $STH and join $JTH (stories of $JMIN or more articles), read from its state's options: $SAME_RULE values; when a later article links two stories it merges them by the batch's rule and writes a merge record after that article's answer (merge pass every $(fact info.merge_every) original(s)), so earlier answers are revised by the merges, not rewritten. Agreement with the batch measures how far the online answer is from the batch one, not which is right: Reuters-21578 has no story labels (the gold section does)."
  echo
  echo "## Commands"
  echo
  echo '```'
  echo "/usr/bin/python3 (stable sort by date) < $(rel "$INPUT") > SORTED"
  echo "$SB cluster -q SORTED -o batch.jsonl --threads 2"
  echo "$SB feed --state DIR SORTED -o feed.jsonl        # x$RUNS, fresh DIR each; du -sb DIR"
  echo "/usr/bin/python3 (answers: lines not {\"merge\":...}; final = union-find over the merge records) feed.jsonl -> first.jsonl final.jsonl"
  echo "$SB eval --gold batch.jsonl --gold-field story --pred first.jsonl|final.jsonl --pred-field story"
  echo "$SB feed --state DIR_LONG LONG -o long.jsonl     # LONG: SORTED x$ROUNDS, ids and dates shifted; VmRSS every ${INTERVAL} s"
  echo "$SB gen -q --articles $GEN_N --seed 1 --base datasets/sample/articles.jsonl -o GEN   # then sorted by date; GEN_N=0 skips"
  echo "# gold, per corpus INPUT (ID: doc_id for ECB+, id otherwise; GOLD: subtopic topic | cluster theme | story dup):"
  echo "$SB cluster -q INPUT --id-field ID -o cluster.jsonl --threads 2"
  echo "$SB feed --state DIR --id-field ID INPUT -o feed.jsonl   # fresh DIR; first/final labels as above"
  echo "$SB eval --gold INPUT --gold-field GOLD --gold-id-field ID --pred cluster.jsonl|first.jsonl|final.jsonl --pred-field story   # dup: --pred-field dup"
  echo '```'
  echo
  echo "Produced by \`bash bench/feed_macro.sh\`. The feed's summary of replay 1 and of the long replay (stderr):"
  echo
  echo '```'
  cat "$TMP/feed1.err" 2>/dev/null | grep -v '^samestory feed: line' | tail -n 3 || true
  cat "$TMP/long.err" 2>/dev/null | grep -v '^samestory feed: line' | tail -n 3 || true
  echo '```'
} >"$RESULTS"
echo
section replay; section agreement; section churn; section gold; section memory
for n in "${NOTES[@]}"; do say "$n"; done
say "wrote $(rel "$RESULTS") in ${ELAPSED} s"
if ((FAILED)); then exit 1; fi
