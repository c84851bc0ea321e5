#!/usr/bin/env bash
# The news-feed replay benchmark: Reuters-21578 in date order through `samestory feed` (one
# article at a time, state in a directory), against the batch answer of `samestory cluster` on the
# same input: speed, latency, memory, state on disk, and agreement with the batch.
#
# usage: bash bench/feed_macro.sh
# Input (read-only), beside the repo root; skips with exit 0 when it is absent:
#   ../shared/datasets/reuters21578/reuters21578.jsonl.gz
#
# env: RUNS (3)          replays of the sorted input (fresh state dir each); the table shows medians
#      ROUNDS (4)        copies of the sorted input in the long stream (memory over time)
#      INTERVAL (0.5)    seconds between RSS samples of the long replay
#      RESULTS           where the Markdown goes (bench/results/feed_reuters.md)
#      SAMESTORY         the binary (build/release/tools/samestory/samestory)
#      PYTHON            sorting, stream building, ARI (/usr/bin/python3: Debian's; plain Python,
#                        sklearn's adjusted_rand_score is used as a cross-check when importable)
#      KEEP_TMP=1        keep the temp dir (sorted input, outputs, state dirs, stderr, RSS samples)
#
# Steps, one after the other:
#   1. sort the records by `date` (stable; records without a date or unparsable JSON last, in input
#      order): the replay order, a temp file SORTED
#   2. samestory cluster -q SORTED -o batch.jsonl --threads 2 (the batch answer), timed
#   3. RUNS x: samestory feed --state DIR SORTED -o feed.jsonl, fresh DIR each, timed; its stderr
#      summary parsed (records, articles/s, latency p50/p99/max ms, window sizes); du -sb DIR after
#   4. agreement feed (run 1) vs batch over records without "error" in both: dup ARI (label = "dup",
#      else the record's own id), story ARI ("story"), story counts; pairwise and B-cubed F1 from
#      samestory eval --gold batch.jsonl --gold-field story --pred feed.jsonl --pred-field story
#   5. one replay of a long stream: SORTED ROUNDS times, ids suffixed _1.._ROUNDS, dates shifted by
#      (round - 1) x N days, N = ceil(span of the Reuters dates in days) + 30 (rounds do not
#      overlap), VmRSS of the feed process sampled from /proc/PID/status every INTERVAL s
# Every timed run is under /usr/bin/time -f '%e %M' (wall seconds, peak RSS KiB); every output is
# checked to hold one line per input record. It builds nothing. A failed run makes the script exit
# 1 after writing the results.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INPUT="$ROOT/../shared/datasets/reuters21578/reuters21578.jsonl.gz"
RESULTS=${RESULTS:-$ROOT/bench/results/feed_reuters.md}
SAMESTORY=${SAMESTORY:-$ROOT/build/release/tools/samestory/samestory}
PYTHON=${PYTHON:-/usr/bin/python3}
RUNS=${RUNS:-3}
ROUNDS=${ROUNDS:-4}
INTERVAL=${INTERVAL:-0.5}
NPROC=$(nproc)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)

say() { echo "feed_macro: $*" >&2; }

if [[ ! -f "$INPUT" ]]; then
  say "$INPUT not found: skipping (the corpus lives in shared/datasets beside the repo root)."
  exit 0
fi
INPUT=$(cd "$(dirname "$INPUT")" && pwd)/$(basename "$INPUT")

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

# 1. The replay order. sort.json: counts and the date span, for the notes and step 5.
export TMP INPUT
gzip -cdf -- "$INPUT" | "$PYTHON" -c '
import json, os, sys
from datetime import datetime
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
with open(os.path.join(os.environ["TMP"], "sorted.jsonl"), "w") as f:
    f.writelines(r[2] for r in recs)
json.dump({"records": len(recs), "undated": undated, "unparsable": bad,
           "first": lo.isoformat() if lo else None, "last": hi.isoformat() if hi else None,
           "span_days": (hi - lo).total_seconds() / 86400 if lo else 0},
          open(os.path.join(os.environ["TMP"], "sort.json"), "w"))
'
SORTED="$TMP/sorted.jsonl"
N_IN=$(lines "$SORTED")
say "sorted $N_IN records by date"

# timed NAME OUT CMD...: runs CMD under /usr/bin/time; $TMP/NAME.time holds "seconds KiB",
# $TMP/NAME.err its stderr. Checks OUT has N_IN lines (or N_LONG for the long run).
timed() {
  local name=$1 out=$2 want=$3 rc=0 got
  shift 3
  /usr/bin/time -f '%e %M' -o "$TMP/$name.time" "$@" >/dev/null 2>"$TMP/$name.err" || rc=$?
  if ((rc != 0)); then
    FAILED=1; NOTES+=("FAILED (exit $rc): $name: $(tail -n 1 "$TMP/$name.err")")
    tail -n 20 "$TMP/$name.err" >&2
  fi
  got=$(lines "$out")
  if [[ "$got" != "$want" ]]; then
    FAILED=1; NOTES+=("FAILED: $name wrote $got lines for $want input records")
  fi
  local sec="?" kib="?"
  read -r sec kib < <(grep -E '^[0-9.]+ [0-9]+$' "$TMP/$name.time" | tail -n 1) || true
  say "$(printf '%-8s %s s %s KiB, %s lines' "$name" "$sec" "$kib" "$got")"
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

# 4. Agreement: samestory eval (pairwise, B-cubed) here, ARI in the tables step.
"$SAMESTORY" eval --gold "$TMP/batch.jsonl" --gold-field story --pred "$TMP/feed1.jsonl" \
  --pred-field story >"$TMP/eval.json" 2>"$TMP/eval.err" || {
  FAILED=1; NOTES+=("FAILED: samestory eval: $(tail -n 1 "$TMP/eval.err")"); echo '{}' >"$TMP/eval.json"; }

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
    n=$( (grep -c '' "$LONG_OUT" 2>/dev/null) || true)
    printf '%s\t%s\t%s\t%s\n' "$(date +%s.%N)" "$rss" "${n:-0}" "$hwm" >>"$TMP/rss.tsv"
    sleep "$INTERVAL"
  done
else
  NOTES+=("WARNING: could not find the feed process under /usr/bin/time: no RSS samples")
fi
rc=0; wait "$TPID" || rc=$?
if ((rc != 0)); then FAILED=1; NOTES+=("FAILED (exit $rc): long replay: $(tail -n 1 "$TMP/long.err")"); fi
GOT=$(lines "$LONG_OUT")
if [[ "$GOT" != "$N_LONG" ]]; then FAILED=1; NOTES+=("FAILED: long replay wrote $GOT lines for $N_LONG input records"); fi
du -sb "$TMP/state_long" | cut -f1 >"$TMP/long.state"
say "long     $(tail -n 1 "$TMP/long.time") (s KiB), $GOT lines, $(wc -l <"$TMP/rss.tsv") RSS samples"

# 6. Tables (Python: Markdown from the summaries, outputs, eval JSON and samples).
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
    (r"samestory feed: (\d+) records \((\d+) bad, (\d+) copies, (\d+) new stories, (\d+) repeated "
     r"answers\), (\d+) recovered", ("records", "bad", "copies", "new_stories", "repeated", "recovered")),
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
        out.update({k: float(v) for k, v in zip(keys, m.groups())})
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
      "| peak RSS MB | state MB | copies | new stories | window dup / story |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for i, x in enumerate(reps, 1):
    print("| replay %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s |" % (
        i, f(x["wall"], "%.2f"), f(x.get("rate"), "%.0f"),
        f(n_in / x["wall"] if x["wall"] else None, "%.0f"), f(x.get("p50"), "%.3f"),
        f(x.get("p99"), "%.3f"), f(x.get("max"), "%.3f"), f(x["rss"], "%.1f"), f(x["state"], "%.1f"),
        f(x.get("copies"), "%d"), f(x.get("new_stories"), "%d"),
        f(x.get("dup_window"), "%d"), f(x.get("story_window"), "%d")))
walls = col("wall")
print("| **median** | **%s** | **%s** | %s | **%s** | **%s** | %s | %s | %s | | | |" % (
    f(med("wall"), "%.2f"), f(med("rate"), "%.0f"),
    f(n_in / med("wall") if walls else None, "%.0f"), f(med("p50"), "%.3f"), f(med("p99"), "%.3f"),
    f(med("max"), "%.3f"), f(med("rss"), "%.1f"), f(med("state"), "%.1f")))
print("| spread (min–max) | %s | %s | | %s | %s | %s | %s | %s | | | |" % (
    spread("wall", "%.2f"), spread("rate", "%.0f"), spread("p50", "%.3f"), spread("p99", "%.3f"),
    spread("max", "%.3f"), spread("rss", "%.1f"), spread("state", "%.1f")))
bsec, bkib = timefile("batch")
print("| batch: `cluster --threads 2` | %s | — | %s | — | — | — | %s | — | | | |" % (
    f(bsec, "%.2f"), f(n_in / bsec if bsec else None, "%.0f"), f(bkib * 1024 / 1e6 if bkib else None, "%.1f")))
print()

# Agreement: feed replay 1 vs batch.
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
        if r.get("id") in recs:
            dup_ids += 1
        recs[r.get("id")] = r
    return recs, dup_ids

feed, fd = load(os.path.join(TMP, "feed1.jsonl"))
batch, bd = load(os.path.join(TMP, "batch.jsonl"))
if fd or bd:
    notes.append("WARNING: repeated ids in the outputs (feed %d, batch %d): the last one of each is compared" % (fd, bd))
ids = [i for i in batch if i in feed and "error" not in batch[i] and "error" not in feed[i]]
err_f = sum(1 for r in feed.values() if "error" in r)
err_b = sum(1 for r in batch.values() if "error" in r)
err_one = sum(1 for i in batch if i in feed and (("error" in batch[i]) != ("error" in feed[i])))

def ari(a, b):
    c2 = lambda x: x * (x - 1) // 2
    n = len(a)
    sij = sum(c2(v) for v in Counter(zip(a, b)).values())
    sa = sum(c2(v) for v in Counter(a).values())
    sb = sum(c2(v) for v in Counter(b).values())
    if n < 2:
        return 1.0
    exp = sa * sb / c2(n)
    mx = (sa + sb) / 2
    return 1.0 if mx == exp else (sij - exp) / (mx - exp)

def duplab(r):
    return r.get("dup") if r.get("dup") is not None else r.get("id")

fdup = [duplab(feed[i]) for i in ids]; bdup = [duplab(batch[i]) for i in ids]
fst = [feed[i].get("story") for i in ids]; bst = [batch[i].get("story") for i in ids]
dup_ari, story_ari = ari(fdup, bdup), ari(fst, bst)
try:
    from sklearn.metrics import adjusted_rand_score as sk
    d1, d2 = sk(bdup, fdup), sk(bst, fst)
    cross = "sklearn's adjusted_rand_score agrees (%.6f, %.6f)" % (d1, d2)
    if abs(d1 - dup_ari) > 1e-9 or abs(d2 - story_ari) > 1e-9:
        notes.append("WARNING: the plain ARI and sklearn's differ: dup %.6f vs %.6f, story %.6f vs %.6f"
                     % (dup_ari, d1, story_ari, d2))
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
              breakdown("story", fst, bst, "story_window_days")]
findings = []
for p in pairs_rows:
    if p["only_b"] and p["far"] is not None:
        findings.append(
            "%s: %d of the %d same-label pairs of the batch are missing from the feed; %d of them "
            "(%.0f%%) join articles more than the feed's %g-day %s window apart, which the feed "
            "cannot join by design; the feed has %d same-label pairs the batch does not have."
            % (p["kind"], p["only_b"], p["batch"], p["far"], 100 * p["far"] / p["only_b"],
               p["window"], "duplicate" if p["kind"] == "dup" else "story", p["only_f"]))
ev = json.load(open(os.path.join(TMP, "eval.json")))
g = lambda k, fmt="%.4f": f(ev.get(k), fmt)

def met(ok):
    return "**met**" if ok else "**NOT met**"

print("<!-- agreement -->")
print("| measure | feed | batch | agreement | target | |")
print("|---|---|---|---|---|---|")
print("| dup ARI (label: `dup`, else own id) | %d groups of >= 2 | %d groups of >= 2 | %.4f | >= 0.99 | %s |"
      % (groups(fdup), groups(bdup), dup_ari, met(dup_ari >= 0.99)))
print("| story ARI (`story`) | %d stories | %d stories | %.4f | >= 0.95 | %s |"
      % (len(set(fst)), len(set(bst)), story_ari, met(story_ari >= 0.95)))
print("| stories of >= 2 articles | %d | %d | | | |" % (groups(fst), groups(bst)))
print("| pairwise P / R / F1 (batch = gold) | | | %s / %s / **%s** | | |" % (g("pair_p"), g("pair_r"), g("pair_f1")))
print("| B-cubed P / R / F1 (batch = gold) | | | %s / %s / **%s** | | |" % (g("bcubed_p"), g("bcubed_r"), g("bcubed_f1")))
print("| NMI (samestory eval) | | | %s | | |" % g("nmi"))
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
agree = dict(pairs=pairs_rows, ids=len(ids), err_f=err_f, err_b=err_b, err_one=err_one, cross=cross,
             dup_ari=dup_ari, story_ari=story_ari, eval_docs=ev.get("documents"))

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
    print("| round | records | RSS MB at the round's end | copies | answers naming another round | new stories |")
    print("|---|---|---|---|---|---|")
    outs = [json.loads(l) for l in open(os.path.join(TMP, "long_feed.jsonl")) if l.strip()]
    per = n_long // max(1, int(os.environ.get("ROUNDS", "4")))
    rounds = int(os.environ.get("ROUNDS", "4"))
    round_rss = []
    for k in range(rounds):
        chunk = outs[k * per:(k + 1) * per]
        suf = "_%d" % (k + 1)
        copies = sum(1 for r in chunk if r.get("dup") is not None)
        cross_round = sum(1 for r in chunk if r.get("dup") is not None and not str(r["dup"]).endswith(suf))
        cross_round += sum(1 for r in chunk if r.get("story") is not None and not str(r["story"]).endswith(suf))
        new = sum(1 for r in chunk if r.get("new_story"))
        at = next((s for s in samples if s[2] >= (k + 1) * per), samples[-1])
        print("| %d | %d | %.1f | %d | %d | %d |" % (k + 1, len(chunk), at[1], copies, cross_round, new))
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
  ok = (op == ">=") ? (v + 0 >= l + 0) : (v + 0 < l + 0)
  print ok ? "**met**" : "**NOT met**" }'; }

RATE=$(fact reps_median.rate %.0f); P99=$(fact reps_median.p99 %.3f)
LRATE=$(fact long.rate %.0f); LP99=$(fact long.p99 %.3f)
DUPARI=$(fact agree.dup_ari %.4f); STARI=$(fact agree.story_ari %.4f)
INFO() { "$PYTHON" -c 'import json, os, sys; print(json.load(open(os.path.join(os.environ["TMP"], "sort.json")))[sys.argv[1]])' "$1"; }

rel() { local p=$1; [[ "$p" == "$ROOT"/* ]] && p=${p#"$ROOT"/}; [[ "$p" == "$(dirname "$ROOT")"/shared/* ]] && p="../${p#"$(dirname "$ROOT")"/}"; echo "$p"; }
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
  echo "| sustained >= 5,000 articles/s (with --threads 2) | $RATE articles/s (median of $RUNS replays, the feed's own count); $LRATE on the $N_LONG-record long replay | $(metq "$RATE" '>=' 5000) |"
  echo "| latency p99 < 5 ms | $P99 ms (median of $RUNS); $LP99 ms on the long replay | $(metq "$P99" '<' 5) |"
  echo "| dup ARI >= 0.99 vs batch | $DUPARI | $(metq "$DUPARI" '>=' 0.99) |"
  echo "| story ARI >= 0.95 vs batch | $STARI | $(metq "$STARI" '>=' 0.95) |"
  echo
  echo "The feed has no --threads flag: it always runs two threads (one reads and prepares records, one decides, answers in input order). \"--threads 2\" applies to the batch run, \`cluster --threads 2\`."
  echo
  echo "## Replay: $N_IN records through \`samestory feed\`"
  echo
  section replay
  echo "- articles/s (summary): the feed's own count, answers / seconds from the state being open to the last answer; input records / wall s includes start-up and exit. Latency per article: its preparation plus its decision with the answer written (queueing behind earlier records not counted), from the feed's summary. Peak RSS MB = KiB x 1024 / 10^6; state MB = \`du -sb\` of the state dir after the replay, / 10^6."
  echo "- window dup / story: articles in the duplicate and story windows at the end of the replay (3 and 14 days by the articles' dates). Reuters-21578's dates are lumpy (Feb–Apr, June, then $(INFO last | cut -c1-7) alone), so the windows at the end hold the last days only; in March they are larger."
  echo
  echo "## Agreement with the batch answer on the same input"
  echo
  echo "Feed replay 1 against \`cluster --threads 2\`, over the $(fact agree.ids) records without \"error\" in both outputs ($(fact agree.err_f) errors in the feed, $(fact agree.err_b) in the batch, $(fact agree.err_one) in only one of them). ARI from the contingency table (plain Python; $(fact agree.cross)); pairwise and B-cubed from \`samestory eval\` with the batch as gold ($(fact agree.eval_docs) documents)."
  echo
  section agreement
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
  echo "- Targets: throughput $(metq "$RATE" '>=' 5000 | tr -d '*'), p99 $(metq "$P99" '<' 5 | tr -d '*'), dup ARI $(metq "$DUPARI" '>=' 0.99 | tr -d '*'), story ARI $(metq "$STARI" '>=' 0.95 | tr -d '*')."
  echo "- The batch sees the whole corpus at once: duplicate groups with no date limit, global TF-IDF, stories by average link over the whole kNN graph with similarity damped by the date gap but no hard cut-off. The feed decides each article once, from the articles before it inside its windows ($(fact info.dup_window) / $(fact info.story_window) days), with its own story score and threshold (\`--story-threshold\` 0.07; the batch's 0.04 is a different score). Story ARI measures how far the online answer is from the batch one, not which is right: Reuters-21578 has no story labels."
  echo
  echo "## Commands"
  echo
  echo '```'
  echo "/usr/bin/python3 (stable sort by date) < $(rel "$INPUT") > SORTED"
  echo "$SB cluster -q SORTED -o batch.jsonl --threads 2"
  echo "$SB feed --state DIR SORTED -o feed.jsonl        # x$RUNS, fresh DIR each; du -sb DIR"
  echo "$SB eval --gold batch.jsonl --gold-field story --pred feed.jsonl --pred-field story"
  echo "$SB feed --state DIR_LONG LONG -o long.jsonl     # LONG: SORTED x$ROUNDS, ids and dates shifted; VmRSS every ${INTERVAL} s"
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
section replay; section agreement; section memory
for n in "${NOTES[@]}"; do say "$n"; done
say "wrote $(rel "$RESULTS") in ${ELAPSED} s"
if ((FAILED)); then exit 1; fi
