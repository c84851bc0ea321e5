#!/usr/bin/env bash
# The dedup macro benchmark (issue 12): what `samestory dedup` finds and what it costs, side by
# side with the previous release and with datasketch, in one run.
#
# usage: bash bench/dedup_macro.sh
#
# Quality, for samestory (defaults), the previous release (defaults) and datasketch (MinHash +
# MinHashLSH, 128 permutations, word 5-shingles of lowercased \w+ tokens joined by spaces) at
# threshold 0.8 and at its best threshold, on inputs made in the temp dir at run time:
#   copy set   bench/copies/make_copy_set.py --seed 1 (real articles and their copies, 13 kinds):
#              recall per kind, false merges, ARI (bench/copies/score_copies.py)
#   gen 10k    samestory gen --articles 10000 --base <Reuters> --seed 1: recall per kind, the share
#              of templated negatives wrongly grouped, ARI (score_copies.py --gold-dup-field dup)
#   Reuters    the 400 labeled pairs of bench/copies/reuters_pairs.tsv: precision, recall
#              (bench/copies/score_pairs.py)
#   seeds_fr   five reports of one event, none a copy: articles grouped (must be 0)
#   LSH recall pairs in one group of `samestory dedup --exact` that the default (LSH) run also
#              groups, on Reuters and the copy set (bench/score_dedup.py lsh-recall)
# datasketch's best threshold: the one of {0.3, ..., 0.9} with the highest mean ARI over the copy
# set and gen 10k (one threshold for every input, not one per input); the sweep is in the results.
#
# Speed and memory, REPEAT interleaved rounds on Reuters-21578 (median wall seconds and peak RSS
# from /usr/bin/time): samestory and the previous release at --threads 1 and 2, and datasketch at
# 0.8 (one Python thread). samestory's peak RSS at 1 thread must be < 200 MB (the table says PASS
# or FAIL). With BIG=1, also REPEAT interleaved rounds of both releases at --threads 2 on 1M
# generated articles (samestory gen --articles 1000000 --base <Reuters> --seed 1; a few minutes,
# ~1.3 GB in the temp dir) and their quality on it.
#
# Checks: one output line per input record for every output; samestory's output byte-identical at
# 1 and 2 threads on every input and in every timed round (a WARNING in the results otherwise);
# the binary copied at the start (a rebuild in the tree during the run changes nothing). It builds
# nothing. Writes bench/results/dedup_reuters.md
# (date, machine, load, git commit, commands, tables) and prints the tables.
#
# env: REPEAT (3)          timed rounds (median shown)
#      BIG=1               add the 1M generated-article runs
#      SAMESTORY           the binary (build/release/tools/samestory/samestory)
#      BASELINE            the previous release's binary (../bin/samestory-baseline beside the repo
#                          root); its rows are skipped with a note when it is absent
#      DATASKETCH_DIR      a directory holding the `datasketch` package from its source, e.g.
#                            git --git-dir=<clone of github.com/ekzhu/datasketch> archive HEAD \
#                              datasketch | tar -x -C /tmp/ds   # then DATASKETCH_DIR=/tmp/ds
#                          needs python3-numpy and python3-scipy (installed with apt when missing);
#                          unset or absent: the datasketch rows are skipped with a note
#      DATASKETCH_REV      a label for the datasketch source (e.g. its commit), shown in the results
#      DATASETS            the public datasets (../shared/datasets beside the repo root); skips with
#                          exit 0 when absent
#      RESULTS             the Markdown output (bench/results/dedup_reuters.md)
#      PYTHON              /usr/bin/python3 (Debian's)
#      KEEP_TMP=1          keep the temp dir (inputs, outputs, scores, stderr of every run)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATASETS=${DATASETS:-$ROOT/../shared/datasets}
REUTERS=$DATASETS/reuters21578/reuters21578.jsonl.gz
SEEDS=$DATASETS/seeds_fr/seeds.jsonl
PAIRS=$ROOT/bench/copies/reuters_pairs.tsv
REPEAT=${REPEAT:-3}
BIG=${BIG:-0}
SAMESTORY=${SAMESTORY:-$ROOT/build/release/tools/samestory/samestory}
BASELINE=${BASELINE-$ROOT/../bin/samestory-baseline}
DATASKETCH_DIR=${DATASKETCH_DIR:-}
RESULTS=${RESULTS:-$ROOT/bench/results/dedup_reuters.md}
PYTHON=${PYTHON:-/usr/bin/python3}
SCORE=$ROOT/bench/score_dedup.py
SCORE_COPIES=$ROOT/bench/copies/score_copies.py
SCORE_PAIRS=$ROOT/bench/copies/score_pairs.py
MAKE_SET=$ROOT/bench/copies/make_copy_set.py
DS_PEER=$ROOT/bench/peers/datasketch_peer.py
THRESHOLDS="0.3,0.4,0.5,0.6,0.7,0.8,0.9"
RSS_LIMIT_MB=200
BIG_ARTICLES=1000000
NPROC=$(nproc)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)
GIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)  # the tree at the start
DIRTY=$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | wc -l)

say() { echo "dedup_macro: $*" >&2; }

if [[ ! -d "$DATASETS" || ! -f "$REUTERS" ]]; then
  say "$DATASETS (Reuters-21578) not found: skipping (the benchmark needs shared/datasets beside the repo)."
  exit 0
fi
DATASETS=$(cd "$DATASETS" && pwd)
REUTERS=$DATASETS/reuters21578/reuters21578.jsonl.gz
SEEDS=$DATASETS/seeds_fr/seeds.jsonl
if ! [[ "$REPEAT" =~ ^[1-9][0-9]*$ ]]; then
  say "REPEAT must be a positive integer, got '$REPEAT'"; exit 2
fi

# shellcheck source=bench/macro_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/macro_lib.sh"
require_samestory
if [[ ! -x /usr/bin/time ]]; then apt_install time; fi

NOTES=()
note() { NOTES+=("$*"); say "$*"; }

HAVE_BASELINE=0
if [[ -n "$BASELINE" && -x "$BASELINE" ]]; then
  BASELINE=$(realpath "$BASELINE")
  HAVE_BASELINE=1
else
  note "previous release: BASELINE='$BASELINE' is not an executable: its rows are skipped."
fi
HAVE_DS=0
if [[ -n "$DATASKETCH_DIR" && -f "$DATASKETCH_DIR/datasketch/__init__.py" ]]; then
  DATASKETCH_DIR=$(cd "$DATASKETCH_DIR" && pwd)
  if ! "$PYTHON" -c 'import numpy, scipy.integrate' 2>/dev/null; then
    if [[ "$PYTHON" == /usr/bin/python3 ]]; then apt_install python3-numpy python3-scipy
    else say "$PYTHON cannot import numpy and scipy"; exit 1; fi
  fi
  HAVE_DS=1
else
  note "datasketch: DATASKETCH_DIR='$DATASKETCH_DIR' holds no datasketch/__init__.py: its rows are skipped (see the usage at the top of bench/dedup_macro.sh to make one from a clone)."
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/dedup_macro.XXXXXX")
if [[ "${KEEP_TMP:-0}" == 1 ]]; then say "keeping $TMP"; else trap 'rm -rf "$TMP"' EXIT; fi
mkdir -p "$TMP/out" "$TMP/score" "$TMP/times" "$TMP/err" "$TMP/bin"
# Every run uses a copy of the binary taken now, so a rebuild in the tree during the run (other
# work) cannot mix two builds; the results name the build copied (BIN_START).
SAMESTORY_SHOWN=$SAMESTORY
cp "$SAMESTORY" "$TMP/bin/samestory"
SAMESTORY=$TMP/bin/samestory

# run NAME CMD...: runs CMD (stdout to the void, stderr to err/NAME.err); a failure ends the run.
run() {
  local name=$1; shift
  if ! "$@" >/dev/null 2>"$TMP/err/$name.err"; then
    say "FAILED: $*"; tail -n 20 "$TMP/err/$name.err" >&2; exit 1
  fi
}
# timed NAME CMD...: run under /usr/bin/time; appends "wall-seconds KiB cpu-seconds" (user + sys)
# to times/NAME.times.
timed() {
  local name=$1; shift
  local tfile=$TMP/time.txt
  if ! /usr/bin/time -f '%e %M %U %S' -o "$tfile" "$@" >/dev/null 2>"$TMP/err/$name.err"; then
    say "FAILED: $*"; tail -n 20 "$TMP/err/$name.err" >&2; exit 1
  fi
  local sec kib user sys cpu
  read -r sec kib user sys < <(tail -n 1 "$tfile")
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
  echo "$sec $kib $cpu" >>"$TMP/times/$name.times"
  say "$(printf '%-10s %s s, %s KiB, cpu %s s; load %s' "$name" "$sec" "$kib" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)")"
}
# records FILE: non-blank lines (one record each), gzip or plain.
records() { (gzip -cdf -- "$1" | grep -c '[^[:space:]]') || true; }
# check_lines OUTPUT N: one output line per input record, else scoring is meaningless.
check_lines() {
  local n
  n=$(grep -c '[^[:space:]]' "$1" || true)
  if [[ "$n" != "$2" ]]; then say "FAILED: $1 has $n records for $2 input records"; exit 1; fi
}
same_output() {  # same_output REF OTHER WHAT
  if ! cmp -s "$1" "$2"; then note "WARNING: $3: $(basename "$2") differs from $(basename "$1") (not deterministic)"; fi
}

# ---- inputs ------------------------------------------------------------------------------------
say "making the copy set and the generated corpus in $TMP"
COPYSET=$TMP/copyset.jsonl
GEN=$TMP/gen10k.jsonl
run make_copy_set "$PYTHON" "$MAKE_SET" --out "$COPYSET" --seed 1 --data-dir "$DATASETS"
run gen10k "$SAMESTORY" gen --articles 10000 --base "$REUTERS" --seed 1 -o "$GEN"
declare -A INPUT=([copyset]=$COPYSET [gen]=$GEN [reuters]=$REUTERS)
if [[ -f "$SEEDS" ]]; then INPUT[seeds]=$SEEDS; else note "seeds_fr: $SEEDS not found: skipped."; fi
INPUTS=(copyset gen reuters)
[[ -n "${INPUT[seeds]:-}" ]] && INPUTS+=(seeds)
declare -A N
for i in "${INPUTS[@]}"; do N[$i]=$(records "${INPUT[$i]}"); done
REUTERS_BYTES=$(gzip -cdf -- "$REUTERS" | wc -c)
say "records: copy set ${N[copyset]}, gen ${N[gen]}, Reuters ${N[reuters]}${N[seeds]:+, seeds_fr ${N[seeds]}}"

# ---- quality runs ------------------------------------------------------------------------------
for i in "${INPUTS[@]}"; do
  in=${INPUT[$i]}
  run "st.$i.t1" "$SAMESTORY" dedup -q "$in" --threads 1 -o "$TMP/out/st.$i.t1.jsonl"
  run "st.$i.t2" "$SAMESTORY" dedup -q "$in" --threads 2 -o "$TMP/out/st.$i.t2.jsonl"
  check_lines "$TMP/out/st.$i.t1.jsonl" "${N[$i]}"
  same_output "$TMP/out/st.$i.t1.jsonl" "$TMP/out/st.$i.t2.jsonl" "samestory on $i, 1 vs 2 threads"
  cp "$TMP/out/st.$i.t1.jsonl" "$TMP/out/samestory.$i.jsonl"
  if ((HAVE_BASELINE)); then
    run "bl.$i" "$BASELINE" dedup -q "$in" -o "$TMP/out/baseline.$i.jsonl"
    check_lines "$TMP/out/baseline.$i.jsonl" "${N[$i]}"
  fi
  if ((HAVE_DS)); then
    mkdir -p "$TMP/out/ds.$i"
    run "ds.$i" "$PYTHON" "$DS_PEER" --datasketch "$DATASKETCH_DIR" "$in" \
      --sweep "$THRESHOLDS" --sweep-dir "$TMP/out/ds.$i"
    for t in ${THRESHOLDS//,/ }; do
      check_lines "$TMP/out/ds.$i/dup_$t.jsonl" "${N[$i]}"
      cp "$TMP/out/ds.$i/dup_$t.jsonl" "$TMP/out/ds$t.$i.jsonl"
    done
  fi
done
for i in reuters copyset; do
  run "st.$i.exact" "$SAMESTORY" dedup -q "${INPUT[$i]}" --exact -o "$TMP/out/exact.$i.jsonl"
  check_lines "$TMP/out/exact.$i.jsonl" "${N[$i]}"
done

# ---- scores ------------------------------------------------------------------------------------
TOOLS=(samestory)
((HAVE_BASELINE)) && TOOLS+=(baseline)
if ((HAVE_DS)); then for t in ${THRESHOLDS//,/ }; do TOOLS+=("ds$t"); done; fi
say "scoring ${#TOOLS[@]} tools"
for k in "${TOOLS[@]}"; do
  "$PYTHON" "$SCORE_COPIES" --gold "$COPYSET" --pred "$TMP/out/$k.copyset.jsonl" --json \
    >"$TMP/score/$k.copyset.json"
  "$PYTHON" "$SCORE_COPIES" --gold "$GEN" --pred "$TMP/out/$k.gen.jsonl" --json \
    --gold-dup-field dup --story-field story >"$TMP/score/$k.gen.json"
  "$PYTHON" "$SCORE_PAIRS" "$PAIRS" "$TMP/out/$k.reuters.jsonl" --json >"$TMP/score/$k.reuters_pairs.json"
  if [[ -n "${INPUT[seeds]:-}" ]]; then
    "$PYTHON" "$SCORE" self-dups "$TMP/out/$k.seeds.jsonl" >"$TMP/score/$k.seeds.json"
  fi
done
for i in reuters copyset; do
  "$PYTHON" "$SCORE" lsh-recall --exact "$TMP/out/exact.$i.jsonl" --pred "$TMP/out/samestory.$i.jsonl" \
    >"$TMP/score/samestory.lsh_$i.json"
done
BEST=""
if ((HAVE_DS)); then
  BEST=$("$PYTHON" "$SCORE" best --dir "$TMP" --prefix ds --thresholds "$THRESHOLDS")
  say "datasketch best threshold (mean ARI, copy set and gen 10k): $BEST"
fi

# ---- speed and memory: Reuters ------------------------------------------------------------------
SPEED=(st1 st2)
((HAVE_BASELINE)) && SPEED+=(bl1 bl2)
((HAVE_DS)) && SPEED+=(ds)
for ((r = 1; r <= REPEAT; r++)); do
  say "Reuters round $r of $REPEAT"
  for s in "${SPEED[@]}"; do
    o=$TMP/out/time.$s.$r.jsonl
    case $s in
      st1) timed st1 "$SAMESTORY" dedup -q "$REUTERS" --threads 1 -o "$o" ;;
      st2) timed st2 "$SAMESTORY" dedup -q "$REUTERS" --threads 2 -o "$o" ;;
      bl1) timed bl1 "$BASELINE" dedup -q "$REUTERS" --threads 1 -o "$o" ;;
      bl2) timed bl2 "$BASELINE" dedup -q "$REUTERS" --threads 2 -o "$o" ;;
      ds) timed ds "$PYTHON" "$DS_PEER" --datasketch "$DATASKETCH_DIR" "$REUTERS" --threshold 0.8 -o "$o" ;;
    esac
    check_lines "$o" "${N[reuters]}"
  done
  same_output "$TMP/out/samestory.reuters.jsonl" "$TMP/out/time.st1.$r.jsonl" "samestory on Reuters, timed round $r"
  same_output "$TMP/out/samestory.reuters.jsonl" "$TMP/out/time.st2.$r.jsonl" "samestory on Reuters, timed round $r"
  if ((HAVE_BASELINE)); then
    for s in bl1 bl2; do
      same_output "$TMP/out/baseline.reuters.jsonl" "$TMP/out/time.$s.$r.jsonl" "previous release on Reuters, timed round $r"
    done
  fi
  if ((HAVE_DS)); then
    same_output "$TMP/out/ds0.8.reuters.jsonl" "$TMP/out/time.ds.$r.jsonl" "datasketch on Reuters, round $r"
  fi
done

# ---- speed and memory: 1M generated articles (BIG=1) --------------------------------------------
BIG_SPEED=()
if [[ "$BIG" == 1 ]]; then
  BIGIN=$TMP/gen1m.jsonl
  say "generating $BIG_ARTICLES articles"
  run gen1m "$SAMESTORY" gen --articles "$BIG_ARTICLES" --base "$REUTERS" --seed 1 -o "$BIGIN"
  N[big]=$(records "$BIGIN")
  BIG_SPEED=(big_st2)
  ((HAVE_BASELINE)) && BIG_SPEED+=(big_bl2)
  for ((r = 1; r <= REPEAT; r++)); do
    say "1M round $r of $REPEAT"
    for s in "${BIG_SPEED[@]}"; do
      o=$TMP/out/$s.$r.jsonl
      case $s in
        big_st2) timed big_st2 "$SAMESTORY" dedup -q "$BIGIN" --threads 2 -o "$o" ;;
        big_bl2) timed big_bl2 "$BASELINE" dedup -q "$BIGIN" --threads 2 -o "$o" ;;
      esac
      check_lines "$o" "${N[big]}"
      if ((r > 1)); then
        same_output "$TMP/out/$s.1.jsonl" "$o" "$s on 1M, round $r"
        rm -f "$o"
      fi
    done
  done
  say "scoring the 1M outputs"
  for s in "${BIG_SPEED[@]}"; do
    "$PYTHON" "$SCORE_COPIES" --gold "$BIGIN" --pred "$TMP/out/$s.1.jsonl" --json \
      --gold-dup-field dup --story-field story >"$TMP/score/$s.gen1m.json"
  done
fi

# ---- tables ------------------------------------------------------------------------------------
if [[ "$(sha256sum "$SAMESTORY_SHOWN" | cut -c1-12)" != "$(sha256sum "$SAMESTORY" | cut -c1-12)" ]]; then
  note "$SAMESTORY_SHOWN was rebuilt during the run (now $(SAMESTORY=$SAMESTORY_SHOWN bin_id)); every run used the copy taken at the start"
fi
tool_args=(--tool "samestory=samestory")
((HAVE_BASELINE)) && tool_args+=(--tool "baseline=previous release")
if ((HAVE_DS)); then
  tool_args+=(--tool "ds0.8=datasketch 0.8")
  tool_args+=(--tool "ds$BEST=datasketch $BEST (best)")
  tool_args+=(--thresholds "$THRESHOLDS" --best "$BEST" --sweep-log "$TMP/err/ds.reuters.err")
fi
speed_args=(--speed "st1=samestory, 1 thread" --speed "st2=samestory, 2 threads")
((HAVE_BASELINE)) && speed_args+=(--speed "bl1=previous release, 1 thread" --speed "bl2=previous release, 2 threads")
((HAVE_DS)) && speed_args+=(--speed "ds=datasketch 0.8 (Python, 1 thread)")
big_args=()
if ((${#BIG_SPEED[@]})); then
  big_args+=(--big "big_st2=samestory, 2 threads" --big-articles "${N[big]}")
  ((HAVE_BASELINE)) && big_args+=(--big "big_bl2=previous release, 2 threads" --big-ref big_st2=big_bl2)
fi
ref_args=()
((HAVE_BASELINE)) && ref_args=(--speed-ref st1=bl1 --speed-ref st2=bl2)
((HAVE_DS)) && ref_args+=(--speed-ref ds=st1)
runs_label="$REPEAT interleaved rounds"
((REPEAT == 1)) && runs_label="1 run"
TABLES=$("$PYTHON" "$SCORE" report --dir "$TMP" "${tool_args[@]}" "${speed_args[@]}" \
  --speed-articles "${N[reuters]}" "${ref_args[@]}" --rss-limit "$RSS_LIMIT_MB" \
  "${big_args[@]}" --repeat-label "$runs_label")

echo
echo "$TABLES"
echo

# ---- the results file ---------------------------------------------------------------------------
rel() {  # a path as shown in the results: repo-relative, datasets as ../shared/datasets
  local p=$1
  [[ "$p" == "$DATASETS"/* ]] && p="../shared/datasets/${p#"$DATASETS"/}"
  [[ "$p" == "$ROOT"/* ]] && p=${p#"$ROOT"/}
  [[ "$p" == "$TMP"/* ]] && p="\$TMP/${p#"$TMP"/}"
  echo "$p"
}
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
((DIRTY > 0)) && GIT+=" (plus uncommitted changes in $DIRTY files)"
S=$(rel "$SAMESTORY_SHOWN"); R=$(rel "$REUTERS")
mkdir -p "$(dirname "$RESULTS")"
{
  echo "# samestory dedup: copies found and cost, against the previous release and datasketch"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(( $(date +%s) - T_START )) s in all"
  echo "- Machine: ${CPU:-unknown CPU}, nproc $NPROC, $MEM RAM, $(uname -sr); load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- samestory: \`$S\` $("$SAMESTORY" --version 2>/dev/null | head -n 1 || echo unknown), $BIN_START; git $GIT at the start"
  if ((HAVE_BASELINE)); then
    echo "- previous release (before the copy detector): \`$BASELINE\`, sha256 $(sha256sum "$BASELINE" | cut -c1-12); word 5-shingle MinHash-LSH, Jaccard >= 0.8"
  fi
  if ((HAVE_DS)); then
    echo "- datasketch: from source (\`$DATASKETCH_DIR\`${DATASKETCH_REV:+, $DATASKETCH_REV}), run by \`bench/peers/datasketch_peer.py\`: MinHash(num_perm=128) + MinHashLSH(threshold), word 5-shingles of lowercased \`\\w+\` tokens, every LSH candidate a duplicate; best threshold **$BEST** (highest mean ARI over the copy set and gen 10k, of $THRESHOLDS)"
  fi
  echo "- Inputs: copy set ${N[copyset]} articles, gen 10k ${N[gen]}, Reuters-21578 ${N[reuters]} records ($REUTERS_BYTES bytes uncompressed)${N[seeds]:+, seeds_fr ${N[seeds]}}${N[big]:+, gen 1M ${N[big]}}"
  echo "- Checks: one output line per input record (all outputs); samestory byte-identical at 1 and 2 threads on every input and in every timed round"
  for n in "${NOTES[@]}"; do echo "- $n"; done
  echo
  echo "$TABLES"
  echo
  echo "Notes:"
  echo
  echo "- Recall of a kind: the share of its copies whose predicted group is their original's; the count found in parentheses. \`natural\`: real copies inside the source data (COPY_SET.md)."
  echo "- False merges: pairs of articles with different gold \`dup\` in one predicted group; *versions* are one agency story at two lengths, arguably right (COPY_SET.md)."
  echo "- Templated negatives (gen): reports that reuse another's wording with other names, figures or dates; wrongly grouped = in a group with any article of another gold \`dup\`."
  echo "- Reuters labeled pairs: 400 pairs sampled from strata and labeled by reading (REUTERS_PAIRS.md), unweighted precision and recall of \"same\"."
  echo "- LSH recall: pairs of articles in one group of \`--exact\` (every pair that can reach the containment threshold judged) also in one group of the default run; extra = grouped by the default run only."
  echo "- Speed: wall seconds, peak RSS and CPU seconds (user + sys) from \`/usr/bin/time -f '%e %M %U %S'\` (MB = KiB x 1024 / 10^6); each round runs every tool once, in the order of the table; CPU time is less disturbed than wall time by other jobs on the machine (see the load average above); the peak RSS limit of samestory at 1 thread is $RSS_LIMIT_MB MB (PASS when every round is below it)."
  echo
  echo "Commands (\$TMP is the run's temp dir; quality runs of samestory also at \`--threads 2\`, compared byte for byte):"
  echo
  echo '```'
  echo "$PYTHON $(rel "$MAKE_SET") --out \$TMP/copyset.jsonl --seed 1 --data-dir ../shared/datasets"
  echo "$S gen --articles 10000 --base $R --seed 1 -o \$TMP/gen10k.jsonl"
  echo "$S dedup -q IN --threads 1 -o samestory.IN.jsonl          # IN: copyset, gen10k, Reuters, seeds_fr"
  echo "$S dedup -q IN --exact -o exact.IN.jsonl                  # IN: Reuters, copyset"
  ((HAVE_BASELINE)) && echo "$BASELINE dedup -q IN -o baseline.IN.jsonl"
  ((HAVE_DS)) && echo "$PYTHON $(rel "$DS_PEER") --datasketch \$DATASKETCH_DIR IN --sweep $THRESHOLDS --sweep-dir ds.IN"
  echo "$PYTHON $(rel "$SCORE_COPIES") --gold \$TMP/copyset.jsonl --pred TOOL.copyset.jsonl --json"
  echo "$PYTHON $(rel "$SCORE_COPIES") --gold \$TMP/gen10k.jsonl --pred TOOL.gen.jsonl --gold-dup-field dup --story-field story --json"
  echo "$PYTHON $(rel "$SCORE_PAIRS") $(rel "$PAIRS") TOOL.reuters.jsonl --json"
  echo "$PYTHON $(rel "$SCORE") self-dups TOOL.seeds.jsonl"
  echo "$PYTHON $(rel "$SCORE") lsh-recall --exact exact.IN.jsonl --pred samestory.IN.jsonl"
  echo "# timed (REPEAT=$REPEAT rounds, each tool once a round):"
  echo "$S dedup -q $R --threads 1|2 -o OUT"
  ((HAVE_BASELINE)) && echo "$BASELINE dedup -q $R --threads 1|2 -o OUT"
  ((HAVE_DS)) && echo "$PYTHON $(rel "$DS_PEER") --datasketch \$DATASKETCH_DIR $R --threshold 0.8 -o OUT"
  if ((${#BIG_SPEED[@]})); then
    echo "$S gen --articles $BIG_ARTICLES --base $R --seed 1 -o \$TMP/gen1m.jsonl"
    echo "$S dedup -q \$TMP/gen1m.jsonl --threads 2 -o OUT"
    ((HAVE_BASELINE)) && echo "$BASELINE dedup -q \$TMP/gen1m.jsonl --threads 2 -o OUT"
  fi
  echo '```'
  echo
  big_env=""; [[ "$BIG" == 1 ]] && big_env=" BIG=1"
  echo "Produced by \`REPEAT=$REPEAT$big_env bash bench/dedup_macro.sh\`. samestory's summary of its last timed 1-thread Reuters run (stderr; the bad records' lines left out):"
  echo
  echo '```'
  grep -v '^samestory dedup: line \|records with an error or warning$' "$TMP/err/st1.err" || true
  echo '```'
} >"$RESULTS"
say "wrote $(rel "$RESULTS")"
