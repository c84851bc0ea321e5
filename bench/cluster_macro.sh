#!/usr/bin/env bash
# The story-clustering macro benchmark: samestory cluster (defaults, and --threads 1) against three
# Python peers, quality on the labeled story corpora and speed on Reuters-21578, in one run.
#
#   agglo   bench/peers/sklearn_cluster_peer.py --method agglo: TfidfVectorizer(sublinear_tf,
#           max_df=0.5) + AgglomerativeClustering(average, cosine, distance_threshold)
#   radius  bench/peers/sklearn_cluster_peer.py --method radius: TfidfVectorizer +
#           NearestNeighbors(radius, cosine).radius_neighbors_graph + connected_components
#   faiss   bench/peers/faiss_cluster_peer.py: TfidfVectorizer -> TruncatedSVD(256) -> L2 ->
#           faiss.IndexFlatIP kNN (k=10) -> edges with cosine >= T -> connected_components
#
# usage: bash bench/cluster_macro.sh
# Inputs (read-only), beside the repo root; skips with exit 0 when ../shared/datasets is absent:
#   ../shared/datasets/ecbplus/ecbplus_documents.jsonl.gz  id doc_id, gold subtopic (and topic)
#   ../shared/datasets/rpm2_fr/rpm2_documents.jsonl.gz     id id, gold cluster (and theme)
#   ../shared/datasets/seeds_fr/seeds.jsonl                id id, gold story
#   datasets/sample/articles.jsonl                         id id, gold gold_story
#   ../shared/datasets/reuters21578/reuters21578.jsonl.gz  no labels: seconds and peak RSS only
# A missing corpus is skipped with a message.
#
# env: AGGLO_T (0.80)   agglo's cosine distance threshold: the issue's tuned value (ECB+'s best)
#      RADIUS (0.77)    radius's cosine distance; FAISS_T (0.26) faiss's cosine similarity. Both
#                       are the sweep's best single value for ECB+ subtopic and RPM2 cluster
#                       together (max of min(ECB+/0.92, RPM2/0.75), the rule samestory's own
#                       default was chosen by), i.e. tuned on these test sets, as samestory's was;
#                       every run recomputes that value from its sweep and lists it in the notes
#      SWEEP=0          skip the threshold sweeps (the oracle rows)
#      REPEAT (5)       Reuters-21578 speed runs per tool, interleaved (tool 1, tool 2, ..., then
#                       again): the table shows each tool's median seconds and RSS and the range
#      SWEEP_AGGLO, SWEEP_RADIUS, SWEEP_FAISS  "first step last" of each sweep
#                       ("0.50 0.01 0.99", "0.30 0.01 0.95", "0.05 0.01 0.95")
#      DATASETS         the corpora directory (../shared/datasets beside the repo root)
#      RESULTS          where the Markdown goes (bench/results/cluster_macro.md)
#      SAMESTORY        the binary (build/release/tools/samestory/samestory)
#      PYTHON           the peers' interpreter (/usr/bin/python3: Debian's, with python3-sklearn,
#                       python3-faiss, python3-scipy, python3-numpy; installed with apt-get when
#                       missing)
#      KEEP_TMP=1       keep the temp dir (outputs, stderr and eval of every run)
#      BIG_N (100000)   articles of the generated heavy-tailed corpora of the big-story table (0: skip)
#
# Every run happens once (Reuters: REPEAT times), one after the other, under /usr/bin/time -f '%e %M' (wall seconds, peak
# RSS KiB); each output is checked to have one record per input line, then scored with
# `samestory eval`. The sweeps (untimed) run each peer once per corpus with --sweep, which writes
# one output per threshold from one fit, each scored with `samestory eval` too. A peer that
# refuses an input (exit 4: agglo's O(n^2) dense guard) is shown as refused; any other failure is
# shown as failed and makes the script exit 1 after writing the results. It builds nothing.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DS=${DATASETS:-$ROOT/../shared/datasets}
RESULTS=${RESULTS:-$ROOT/bench/results/cluster_macro.md}
SAMESTORY=${SAMESTORY:-$ROOT/build/release/tools/samestory/samestory}
PYTHON=${PYTHON:-/usr/bin/python3}
SK_PEER="$ROOT/bench/peers/sklearn_cluster_peer.py"
FA_PEER="$ROOT/bench/peers/faiss_cluster_peer.py"
AGGLO_T=${AGGLO_T:-0.80}
RADIUS=${RADIUS:-0.77}
FAISS_T=${FAISS_T:-0.26}
SWEEP=${SWEEP:-1}
REPEAT=${REPEAT:-5}
SWEEP_AGGLO=${SWEEP_AGGLO:-0.50 0.01 0.99}
SWEEP_RADIUS=${SWEEP_RADIUS:-0.30 0.01 0.95}
SWEEP_FAISS=${SWEEP_FAISS:-0.05 0.01 0.95}
NPROC=$(nproc)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)

say() { echo "cluster_macro: $*" >&2; }

if [[ ! -d "$DS" ]]; then
  say "$DS not found: skipping (the corpora live in shared/datasets beside the repo root)."
  exit 0
fi
DS=$(cd "$DS" && pwd)

# shellcheck source=bench/macro_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/macro_lib.sh"
require_samestory
if [[ ! -x /usr/bin/time ]]; then apt_install time; fi
if ! "$PYTHON" -c 'import numpy, scipy, sklearn, faiss' 2>/dev/null; then
  if [[ "$PYTHON" == /usr/bin/python3 ]]; then
    apt_install python3 python3-numpy python3-scipy python3-sklearn python3-faiss
  else
    say "$PYTHON cannot import numpy, scipy, sklearn and faiss"; exit 1
  fi
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cluster_macro.XXXXXX")
if [[ "${KEEP_TMP:-0}" == 1 ]]; then say "keeping $TMP"; else trap 'rm -rf "$TMP"' EXIT; fi
mkdir -p "$TMP/out" "$TMP/err" "$TMP/eval" "$TMP/sweep"

# The corpora: key, file, id field, gold fields, display name.
declare -A FILE IDF GOLDS NAME
FILE[ecb]=$DS/ecbplus/ecbplus_documents.jsonl.gz; IDF[ecb]=doc_id; GOLDS[ecb]="subtopic topic"; NAME[ecb]="ECB+"
FILE[rpm2]=$DS/rpm2_fr/rpm2_documents.jsonl.gz;   IDF[rpm2]=id;    GOLDS[rpm2]="cluster theme";  NAME[rpm2]="RPM2"
FILE[seeds]=$DS/seeds_fr/seeds.jsonl;             IDF[seeds]=id;   GOLDS[seeds]="story";         NAME[seeds]="seeds_fr"
FILE[sample]=$ROOT/datasets/sample/articles.jsonl; IDF[sample]=id; GOLDS[sample]="gold_story";   NAME[sample]="sample"
FILE[reuters]=$DS/reuters21578/reuters21578.jsonl.gz; IDF[reuters]=id; GOLDS[reuters]="";        NAME[reuters]="Reuters-21578"
LABELED=()
for s in ecb rpm2 seeds sample; do
  if [[ -f "${FILE[$s]}" ]]; then LABELED+=("$s"); else say "${FILE[$s]} not found: ${NAME[$s]} skipped"; fi
done
HAVE_REUTERS=0
if [[ -f "${FILE[reuters]}" ]]; then HAVE_REUTERS=1; else say "${FILE[reuters]} not found: no speed table"; fi

TOOLS=(st st1 agglo radius faiss)
declare -A TOOL_LABEL=(
  [st]="samestory cluster (defaults, $NPROC threads)"
  [st1]="samestory cluster --threads 1"
  [agglo]="sklearn agglo, average-link distance $AGGLO_T"
  [radius]="sklearn radius, cosine distance <= $RADIUS"
  [faiss]="FAISS kNN k=10, cosine >= $FAISS_T"
)

# cmd TOOL SET: the command (without -o) into the array CMD.
cmd() {
  local f=${FILE[$2]} idf=${IDF[$2]}
  case $1 in
    st)     CMD=("$SAMESTORY" cluster "$f" --id-field "$idf") ;;
    st1)    CMD=("$SAMESTORY" cluster "$f" --id-field "$idf" --threads 1) ;;
    agglo)  CMD=("$PYTHON" "$SK_PEER" "$f" --method agglo --threshold "$AGGLO_T" --id-field "$idf") ;;
    radius) CMD=("$PYTHON" "$SK_PEER" "$f" --method radius --threshold "$RADIUS" --id-field "$idf") ;;
    faiss)  CMD=("$PYTHON" "$FA_PEER" "$f" --threshold "$FAISS_T" --id-field "$idf") ;;
  esac
}

lines() { (gzip -cdf -- "$1" | grep -c '[^[:space:]]') || true; }

# runs.tsv: tool set status seconds kib load-before
: >"$TMP/runs.tsv"
FAILED=0
NOTES=()

# timed TOOL SET: runs the tool once under /usr/bin/time; output $TMP/out/TOOL.SET.jsonl.
timed() {
  local tool=$1 set=$2 out="$TMP/out/$1.$2.jsonl" err="$TMP/err/$1.$2.err" tfile="$TMP/err/$1.$2.time"
  local load rc=0 sec kib status
  cmd "$tool" "$set"
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f '%e %M' -o "$tfile" "${CMD[@]}" -o "$out" >/dev/null 2>"$err" || rc=$?
  read -r sec kib < <(grep -E '^[0-9.]+ [0-9]+$' "$tfile" | tail -n 1) || { sec=0; kib=0; }
  if ((rc == 0)); then
    status=ok
    local want got
    want=$(lines "${FILE[$set]}"); got=$(lines "$out")
    if [[ "$want" != "$got" ]]; then
      status=failed; FAILED=1
      NOTES+=("FAILED: ${TOOL_LABEL[$tool]} on ${NAME[$set]} wrote $got records for $want input lines")
    fi
  elif ((rc == 4)); then
    status=refused
    NOTES+=("${TOOL_LABEL[$tool]} refused ${NAME[$set]}: $(grep -m1 REFUSED "$err" | sed 's/^[^:]*: REFUSED: //')")
  else
    status=failed; FAILED=1
    NOTES+=("FAILED (exit $rc): ${TOOL_LABEL[$tool]} on ${NAME[$set]}: $(tail -n 1 "$err")")
    tail -n 20 "$err" >&2
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$set" "$status" "$sec" "$kib" "$load" >>"$TMP/runs.tsv"
  say "$(printf '%-6s %-8s %-7s %6s s %8s KiB (load %s)' "$tool" "$set" "$status" "$sec" "$kib" "$load")"
}

# score SET PRED OUTJSON GOLD
score() {
  "$SAMESTORY" eval --gold "${FILE[$1]}" --gold-field "$4" --gold-id-field "${IDF[$1]}" \
    --pred "$2" --pred-field story >"$3"
}

# 1. Quality: every tool once on every labeled corpus, scored per gold field.
for s in "${LABELED[@]}"; do
  for t in "${TOOLS[@]}"; do
    timed "$t" "$s"
    if [[ $(tail -n 1 "$TMP/runs.tsv" | cut -f3) == ok ]]; then
      for g in ${GOLDS[$s]}; do score "$s" "$TMP/out/$t.$s.jsonl" "$TMP/eval/$t.$s.$g.json" "$g"; done
    fi
  done
  if ! cmp -s "$TMP/out/st.$s.jsonl" "$TMP/out/st1.$s.jsonl"; then
    NOTES+=("WARNING: samestory cluster output on ${NAME[$s]} differs between $NPROC threads and --threads 1")
  fi
done

# 2. Sweeps (untimed): the oracle rows.
sweep_list() { local a b c; read -r a b c <<<"$1"; seq -s, "$a" "$b" "$c"; }
declare -A SWEEP_CMD_SHOWN
if [[ "$SWEEP" == 1 ]]; then
  for p in agglo radius faiss; do
    case $p in
      agglo) list=$(sweep_list "$SWEEP_AGGLO") ;;
      radius) list=$(sweep_list "$SWEEP_RADIUS") ;;
      faiss) list=$(sweep_list "$SWEEP_FAISS") ;;
    esac
    for s in "${LABELED[@]}"; do
      cmd "$p" "$s"
      dir="$TMP/sweep/$p.$s"
      if ! "${CMD[@]}" -o "$dir.main.jsonl" --sweep "$list" --sweep-dir "$dir" >/dev/null 2>"$dir.err"; then
        NOTES+=("FAILED: the $p sweep on ${NAME[$s]}: $(tail -n 1 "$dir.err")"); FAILED=1; continue
      fi
      SWEEP_CMD_SHOWN[$p]="--sweep $(cut -d, -f1 <<<"$list"),...,$(tr , '\n' <<<"$list" | tail -n 1) --sweep-dir DIR"
      for f in "$dir"/t*.jsonl; do
        th=${f##*/t}; th=${th%.jsonl}
        for g in ${GOLDS[$s]}; do
          mkdir -p "$TMP/sweepeval/$p.$s.$g"
          score "$s" "$f" "$TMP/sweepeval/$p.$s.$g/$th.json" "$g"
        done
      done
      say "sweep  $p on $s: $(ls "$dir" | wc -l) thresholds scored"
    done
  done
fi

# 3. Speed: Reuters-21578, every tool REPEAT times, interleaved (the machine's load drifts).
if ((HAVE_REUTERS)); then
  for ((rep = 1; rep <= REPEAT; rep++)); do
    for t in "${TOOLS[@]}"; do timed "$t" reuters; done
  done
fi

# Tables (Python: Markdown from the eval JSON files and runs.tsv).
export TMP NPROC AGGLO_T RADIUS FAISS_T SWEEP HAVE_REUTERS
export LABELED_SETS="${LABELED[*]}"
export GOLDS_ECB="${GOLDS[ecb]}" GOLDS_RPM2="${GOLDS[rpm2]}" GOLDS_SEEDS="${GOLDS[seeds]}" GOLDS_SAMPLE="${GOLDS[sample]}"
for t in "${TOOLS[@]}"; do export "LABEL_$t=${TOOL_LABEL[$t]}"; done
"$PYTHON" - >"$TMP/tables.md" <<'EOF'
import glob, json, os

TMP = os.environ["TMP"]
sets = os.environ["LABELED_SETS"].split()
golds = {"ecb": os.environ["GOLDS_ECB"].split(), "rpm2": os.environ["GOLDS_RPM2"].split(),
         "seeds": os.environ["GOLDS_SEEDS"].split(), "sample": os.environ["GOLDS_SAMPLE"].split()}
name = {"ecb": "ECB+", "rpm2": "RPM2", "seeds": "seeds_fr", "sample": "sample"}
tools = ["st", "st1", "agglo", "radius", "faiss"]
label = {t: os.environ["LABEL_" + t] for t in tools}
runs = {}
reps = {}  # (tool, set) -> every run's row, in order
for line in open(os.path.join(TMP, "runs.tsv")):
    tool, s, status, sec, kib, load = line.rstrip("\n").split("\t")
    runs[(tool, s)] = dict(status=status, sec=float(sec), kib=int(kib), load=load)
    reps.setdefault((tool, s), []).append(runs[(tool, s)])

def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2

# Repeated runs (Reuters): the median seconds and RSS of the ok runs, their range, and the loads.
for key, rows in reps.items():
    ok = [r for r in rows if r["status"] == "ok"]
    if len(rows) > 1 and len(ok) == len(rows):
        runs[key] = dict(status="ok", sec=median([r["sec"] for r in ok]),
                         kib=median([r["kib"] for r in ok]),
                         load=" / ".join(r["load"] for r in rows),
                         range="%.2f-%.2f" % (min(r["sec"] for r in ok), max(r["sec"] for r in ok)),
                         n=len(ok))

def ev(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return None

cols = [(s, g, "bcubed_f1") for s in sets for g in golds[s]]
extra = [(s, g, m) for s, g in (("ecb", "subtopic"), ("rpm2", "cluster")) if s in sets
         for m in ("pair_f1", "ari")]
mname = {"bcubed_f1": "B³ F1", "pair_f1": "pair F1", "ari": "ARI"}
head = ["tool"] + ["%s %s %s" % (name[s], g, mname[m]) for s, g, m in cols + extra]
out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

def cell(tool, s, g, m):
    r = runs.get((tool, s))
    if r is None:
        return "—"
    if r["status"] != "ok":
        return r["status"]
    e = ev(os.path.join(TMP, "eval", "%s.%s.%s.json" % (tool, s, g)))
    return "n/a" if e is None else "%.3f" % e[m]

for t in tools:
    out.append("| " + " | ".join([label[t]] + [cell(t, *c) for c in cols + extra]) + " |")

# Oracle rows: per column, the sweep's best B-cubed F1 and its threshold(s); pair F1 / ARI at
# the B-cubed-best threshold of that set/gold (the lowest one on ties).
def sweep_curve(p, s, g):
    cur = {}
    for f in glob.glob(os.path.join(TMP, "sweepeval", "%s.%s.%s" % (p, s, g), "*.json")):
        e = ev(f)
        if e is not None:
            cur[float(os.path.basename(f)[:-5])] = e
    return cur

def fmt_at(ts):
    ts = sorted(ts)
    if len(ts) == 1:
        return "%g" % ts[0]
    return "%g–%g (%d pts)" % (ts[0], ts[-1], len(ts))

oracle_lines, joint_lines, issue_lines = [], [], []
olabel = {"agglo": "sklearn agglo", "radius": "sklearn radius", "faiss": "FAISS kNN k=10"}
unit = {"agglo": "distance", "radius": "distance", "faiss": "similarity"}
if os.environ["SWEEP"] == "1":
    for p in ("agglo", "radius", "faiss"):
        cells = []
        best_t = {}
        for s, g, m in cols:
            cur = sweep_curve(p, s, g)
            if not cur:
                cells.append("n/a"); continue
            top = max(e["bcubed_f1"] for e in cur.values())
            ts = [t for t, e in cur.items() if e["bcubed_f1"] >= top - 1e-9]
            best_t[(s, g)] = min(ts)
            cells.append("%.3f @ %s" % (top, fmt_at(ts)))
        for s, g, m in extra:
            cur = sweep_curve(p, s, g)
            if (s, g) not in best_t:
                cells.append("n/a"); continue
            t = best_t[(s, g)]
            cells.append("%.3f @ %g" % (cur[t][m], t))
        out.append("| " + " | ".join(["%s, best %s per column (oracle: tuned on the test data)"
                                      % (olabel[p], unit[p])] + cells) + " |")
        # The single threshold best for ECB+ subtopic and RPM2 cluster together.
        e, r = sweep_curve(p, "ecb", "subtopic"), sweep_curve(p, "rpm2", "cluster")
        common = sorted(set(e) & set(r))
        if common:
            j = max(common, key=lambda t: (min(e[t]["bcubed_f1"] / 0.92, r[t]["bcubed_f1"] / 0.75), -t))
            joint_lines.append("%s: %g (ECB+ subtopic %.3f, RPM2 cluster %.3f)"
                               % (olabel[p], j, e[j]["bcubed_f1"], r[j]["bcubed_f1"]))
            if p == "radius" and 0.5 in e and 0.5 in r:
                issue_lines.append("sklearn radius at the issue's example radius 0.5: ECB+ subtopic "
                                   "%.3f, RPM2 cluster %.3f" % (e[0.5]["bcubed_f1"], r[0.5]["bcubed_f1"]))
print("\n".join(out))
print()
with open(os.path.join(TMP, "joint.txt"), "w") as f:
    for l in joint_lines + issue_lines:
        f.write(l + "\n")

# Speed on Reuters.
if os.environ["HAVE_REUTERS"] == "1":
    ref = runs.get(("st", "reuters"))
    threads = {"st": os.environ["NPROC"], "st1": "1", "agglo": "1", "radius": "1",
               "faiss": "all (OpenMP, BLAS)"}
    print("| tool | threads | seconds (median) | range | runs | peak RSS MB (median) | "
          "seconds / samestory | RSS / samestory | stories of >= 2 | largest story | "
          "load avg before each run |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for t in tools:
        r = runs.get((t, "reuters"))
        if r is None:
            continue
        if r["status"] != "ok":
            print("| %s | %s | %s (after %.2f s) | | 1 | %.0f | | | | | %s |"
                  % (label[t], threads[t], r["status"], r["sec"], r["kib"] * 1024 / 1e6, r["load"]))
            continue
        stories = {}
        for line in open(os.path.join(TMP, "out", "%s.reuters.jsonl" % t)):
            rec = json.loads(line)
            if rec.get("story") is not None:
                stories[rec["story"]] = stories.get(rec["story"], 0) + 1
        multi = sum(1 for c in stories.values() if c >= 2)
        largest = max(stories.values()) if stories else 0
        ok_ref = ref is not None and ref["status"] == "ok" and ref["sec"] > 0
        print("| %s | %s | %.2f | %s | %d | %.0f | %s | %s | %d | %d | %s |"
              % (label[t], threads[t], r["sec"], r.get("range", "%.2f" % r["sec"]), r.get("n", 1),
                 r["kib"] * 1024 / 1e6,
                 "%.1fx" % (r["sec"] / ref["sec"]) if ok_ref else "n/a",
                 "%.1fx" % (r["kib"] / ref["kib"]) if ok_ref else "n/a", multi, largest, r["load"]))
EOF

if [[ "$(bin_id)" != "$BIN_START" ]]; then
  NOTES+=("WARNING: $SAMESTORY changed during the run ($BIN_START at the start, $(bin_id) at the end): the samestory rows may mix two builds")
fi
# The same note from repeated runs (a refusal on every Reuters run) is listed once.
declare -A SEEN_NOTE=()
UNIQUE_NOTES=()
for n in "${NOTES[@]}"; do
  [[ -n "${SEEN_NOTE[$n]:-}" ]] && continue
  SEEN_NOTE[$n]=1
  UNIQUE_NOTES+=("$n")
done
NOTES=("${UNIQUE_NOTES[@]}")
# Read before the results file (tracked) is rewritten below.
GIT_STATE="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)"
if git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | grep -q .; then
  GIT_STATE+=" (plus uncommitted changes to tracked files)"
fi
# Big stories (issue 16): a generated corpus with heavy-tailed story sizes, full text and titles
# only, scored by gold story size (bench/score_story_buckets.py). BIG_N=0 skips it.
BIG_N=${BIG_N:-100000}
BIG_TABLE=""
if ((BIG_N > 0)) && [[ -f "${FILE[reuters]}" ]]; then
  say "big stories: generating $BIG_N heavy-tailed articles (full text, titles only)"
  "$SAMESTORY" gen -q --articles "$BIG_N" --story-sizes heavy-tailed --base "${FILE[reuters]}" \
    --seed 1 -o "$TMP/big.full.jsonl"
  "$SAMESTORY" gen -q --articles "$BIG_N" --story-sizes heavy-tailed --titles-only \
    --base "${FILE[reuters]}" --seed 1 -o "$TMP/big.titles.jsonl"
  BIG_TABLE="| tool | corpus | seconds | peak RSS MB | B³ F1 all | 1-10 | 11-100 | 101+ | pieces of the 5 largest stories |"$'\n'"|---|---|---|---|---|---|---|---|---|"
  for corpus in full titles; do
    for tool in st graph faiss; do
      in=$TMP/big.$corpus.jsonl out=$TMP/out/big.$tool.$corpus.jsonl
      case $tool in
        st)    CMD=("$SAMESTORY" cluster "$in"); label="samestory cluster (defaults)" ;;
        graph) CMD=("$SAMESTORY" cluster "$in" --join-threshold 0); label="samestory, graph alone (--join-threshold 0)" ;;
        faiss) CMD=("$PYTHON" "$FA_PEER" "$in" --threshold "$FAISS_T"); label="FAISS kNN k=10, cosine >= $FAISS_T" ;;
      esac
      rc=0
      /usr/bin/time -f '%e %M' -o "$TMP/err/big.$tool.$corpus.time" "${CMD[@]}" -o "$out" \
        >/dev/null 2>"$TMP/err/big.$tool.$corpus.err" || rc=$?
      if ((rc != 0)); then
        BIG_TABLE+=$'\n'"| $label | $corpus | failed (exit $rc) | | | | | | |"
        FAILED=1
        continue
      fi
      read -r sec kib <"$TMP/err/big.$tool.$corpus.time"
      BIG_TABLE+=$'\n'$("$PYTHON" - "$ROOT/bench/score_story_buckets.py" "$in" "$out" "$label" "$corpus" "$sec" "$kib" <<'PYEOF'
import json, subprocess, sys
script, gold, pred, label, corpus, sec, kib = sys.argv[1:]
d = json.loads(subprocess.run([sys.executable, script, gold, pred, "--json"], check=True,
                              capture_output=True, text=True).stdout)
b = d["buckets"]
print("| %s | %s | %.1f | %.0f | %.3f | %.3f | %.3f | %.3f | %s |" % (
    label, corpus, float(sec), int(kib) * 1024 / 1e6, d["b_cubed"]["f1"], b["1-10"]["f1"],
    b["11-100"]["f1"], b["101+"]["f1"], ", ".join(str(x["pieces"]) for x in d["largest"])))
PYEOF
)
    done
  done
  echo "$BIG_TABLE"
fi

JOINT=$(cat "$TMP/joint.txt" 2>/dev/null || true)
QUALITY=$(awk 'BEGIN {p = 1} /^$/ {p = 0} p' "$TMP/tables.md")
SPEED=$(awk 'f; /^$/ {f = 1}' "$TMP/tables.md")

echo
echo "$QUALITY"
echo
echo "$SPEED"
for n in "${NOTES[@]}"; do say "$n"; done

rel() { local p=$1; [[ "$p" == "$ROOT"/* ]] && p=${p#"$ROOT"/}; [[ "$p" == "$DS"/* ]] && p="../shared/datasets/${p#"$DS"/}"; echo "$p"; }
show() { local out="" a; for a in "$@"; do out+=" $(rel "$a")"; done; echo "${out# }"; }
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
ELAPSED=$(($(date +%s) - T_START))
mkdir -p "$(dirname "$RESULTS")"
{
  echo "# samestory cluster vs scikit-learn and FAISS story clustering"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Machine: ${CPU:-unknown CPU}, nproc $NPROC, $MEM RAM, $(uname -sr); load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- samestory: $("$SAMESTORY" --version 2>/dev/null | head -n 1 || echo unknown), binary $BIN_START; git $GIT_STATE; Python peers on $("$PYTHON" -c 'import sklearn, faiss, scipy, numpy; print("sklearn %s, faiss %s, scipy %s, numpy %s" % (sklearn.__version__, faiss.__version__, scipy.__version__, numpy.__version__))')"
  echo "- Runs: each tool once per labeled corpus and $REPEAT times on Reuters-21578 (interleaved: every tool, then again), one after the other, under \`/usr/bin/time -f '%e %M'\` (wall seconds, peak RSS); whole benchmark ${ELAPSED} s"
  echo
  echo "## Quality: one threshold per tool for every corpus"
  echo
  echo "B-cubed F1 (B³) per corpus and gold field, plus pairwise F1 and ARI for ECB+ subtopic and RPM2 cluster, from \`samestory eval\`."
  echo
  echo "$QUALITY"
  echo
  echo "- The first five rows use one setting for every corpus. samestory: its defaults (chosen in \`bench/research/STORY_STUDY.md\` on these same corpora). sklearn agglo: distance $AGGLO_T, the issue's tuned value (ECB+'s best). sklearn radius $RADIUS and FAISS $FAISS_T: the sweep's best single value for ECB+ subtopic and RPM2 cluster together (max of min(ECB+/0.92, RPM2/0.75)) when the benchmark was written, so, like the others, tuned on these test sets (this run's values are listed below). The issue's example radius, 0.5, is far worse on both sets (below)."
  echo "- The oracle rows are **tuned on the test data**, per column: the best B-cubed F1 of the sweep and the threshold(s) reaching it (a range: every grid point within 1e-9 of the best; \"pts\" counts them). Their pair F1 / ARI cells are at the lowest B-cubed-best threshold of that corpus and gold. Sweep grids (first step last): agglo distance $SWEEP_AGGLO, radius distance $SWEEP_RADIUS, FAISS similarity $SWEEP_FAISS."
  if [[ -n "$JOINT" ]]; then
    echo "- Best single threshold for ECB+ subtopic and RPM2 cluster together, from this run's sweep:"
    while IFS= read -r l; do echo "  - $l"; done <<<"$JOINT"
  fi
  echo "- Every peer reads \`title\` + \"\\n\" + body; TfidfVectorizer(sublinear_tf=True, max_df=0.5): no stemming, no dates, no duplicate grouping. \`story\` is scored as a partition; the peers name each story by its first article in input order."
  echo "- seeds_fr is five reports of one event: with max_df=0.5 over five documents, TfidfVectorizer drops every term that three or more of them share, so the peers put them together only near the top of their ranges (the oracle rows)."
  echo "- FAISS: with <= 256 articles (RPM2, seeds, sample) TruncatedSVD keeps the whole row space, so cosines are the raw TF-IDF ones; on ECB+ (772) and Reuters they are those of 256 dimensions, which are higher: the similarity threshold that fits depends on the corpus size."
  echo
  if ((HAVE_REUTERS)); then
    echo "## Speed: Reuters-21578 ($(lines "${FILE[reuters]}") records, no story labels)"
    echo
    echo "$SPEED"
    echo
    echo "- Peak RSS MB = KiB x 1024 / 10^6. Ratios are against samestory cluster with its defaults ($NPROC threads). \"threads\": what each tool may use; the sklearn peers' hot loops (sparse products, scipy pdist) are single-threaded."
    echo "- stories of >= 2 and largest story are counted from each output (records without text are errors, story null, in every tool). They are not a quality measure (no labels) but show chaining: single linkage over a radius or kNN graph can merge most of a corpus into one component."
    echo
  fi
  if [[ -n "$BIG_TABLE" ]]; then
    echo "## Big stories: $BIG_N generated articles, heavy-tailed story sizes"
    echo
    echo "\`samestory gen --story-sizes heavy-tailed --seed 1\` from the Reuters base (about 95% of the events have 1-10 reports, a few over 1,000), once with full texts and once with headlines alone (\`--titles-only\`); B-cubed F1 overall and per gold story size (articles), from \`bench/score_story_buckets.py\`. The graph-alone row is the linkage before the join (issue 16): its big stories come out in pieces."
    echo
    echo "$BIG_TABLE"
    echo
  fi
  if ((${#NOTES[@]})); then
    echo "## Notes from this run"
    echo
    for n in "${NOTES[@]}"; do echo "- $n"; done
    echo
  fi
  echo "## Commands"
  echo
  echo "Per corpus (INPUT, ID = doc_id for ECB+, id otherwise; GOLD = each gold field):"
  echo
  echo '```'
  FILE[x]=INPUT; IDF[x]=ID
  for t in "${TOOLS[@]}"; do cmd "$t" x; echo "$(show "${CMD[@]}") -o $t.jsonl"; done
  echo "$(show "$SAMESTORY") eval --gold INPUT --gold-field GOLD --gold-id-field ID --pred TOOL.jsonl --pred-field story"
  if [[ "$SWEEP" == 1 ]]; then
    for p in agglo radius faiss; do cmd "$p" x; echo "$(show "${CMD[@]}") -o main.jsonl ${SWEEP_CMD_SHOWN[$p]:-}   # oracle sweep, untimed"; done
  fi
  echo '```'
  echo
  echo "Produced by \`bash bench/cluster_macro.sh\`. samestory's summary on Reuters-21578 with its defaults (stderr):"
  echo
  echo '```'
  if ((HAVE_REUTERS)) && [[ -f "$TMP/err/st.reuters.err" ]]; then grep -v '^samestory cluster: line\|\.\.\. and' "$TMP/err/st.reuters.err" | tail -n 8; fi
  echo '```'
} >"$RESULTS"
say "wrote $(rel "$RESULTS") in ${ELAPSED} s"
if ((FAILED)); then exit 1; fi
