#!/usr/bin/env bash
# The dedup macro benchmark: samestory dedup (1 thread, all threads) against the plain-Python
# MinHash-LSH peer (bench/peers/minhash_lsh_peer.py), on one corpus, in one run, scored against
# samestory's own exact-Jaccard pairs.
#
# usage: bash bench/dedup_macro.sh [CORPUS]
#   CORPUS   JSON Lines (.jsonl or .jsonl.gz) with id, title, text;
#            default ../shared/datasets/reuters21578/reuters21578.jsonl.gz beside the repo root
#            (skips with exit 0 when it is absent).
# env: REPEAT (3)       runs of each timed tool; the table shows the median
#      THRESHOLD (0.8)  dedup threshold of the timed runs and of the recall
#      CENSUS           optional TSV(.gz) id_a id_b jaccard from an independent census: adds its recall
#      RESULTS          where the Markdown goes (bench/results/dedup_reuters.md for the default corpus,
#                       bench/results/dedup_<corpus name>.md otherwise)
#      SAMESTORY        the binary (build/release/tools/samestory/samestory)
#      PYTHON           the peer's interpreter (/usr/bin/python3: Debian's, with python3-numpy)
#      KEEP_TMP=1       keep the temp dir (outputs, pairs, stderr of every run)
#
# Order: REPEAT rounds of (a) samestory --threads 1, (b) samestory --threads $(nproc), (c) the peer,
# then (d) once: samestory --exact --threshold 0.5 --pairs, the reference. Each run is timed with
# /usr/bin/time -f '%e %M' (wall seconds, peak RSS KiB). It builds nothing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEFAULT_CORPUS="$ROOT/../shared/datasets/reuters21578/reuters21578.jsonl.gz"
CORPUS=${1:-$DEFAULT_CORPUS}
REPEAT=${REPEAT:-3}
THRESHOLD=${THRESHOLD:-0.8}
SAMESTORY=${SAMESTORY:-$ROOT/build/release/tools/samestory/samestory}
PYTHON=${PYTHON:-/usr/bin/python3}
PEER="$ROOT/bench/peers/minhash_lsh_peer.py"
SCORE="$ROOT/bench/score_dedup.py"
NPROC=$(nproc)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

say() { echo "dedup_macro: $*" >&2; }

if [[ ! -f "$CORPUS" ]]; then
  say "corpus $CORPUS not found: skipping (the default needs shared/datasets beside the repo)."
  exit 0
fi
CORPUS=$(cd "$(dirname "$CORPUS")" && pwd)/$(basename "$CORPUS")
if [[ -z "${RESULTS:-}" ]]; then
  if [[ "$CORPUS" -ef "$DEFAULT_CORPUS" ]]; then
    RESULTS="$ROOT/bench/results/dedup_reuters.md"
  else
    stem=$(basename "$CORPUS"); stem=${stem%.gz}; stem=${stem%.jsonl}
    RESULTS="$ROOT/bench/results/dedup_${stem}.md"
  fi
fi
if ! [[ "$REPEAT" =~ ^[1-9][0-9]*$ ]]; then
  say "REPEAT must be a positive integer, got '$REPEAT'"; exit 2
fi

if [[ ! -x "$SAMESTORY" ]]; then
  say "$SAMESTORY not found. This script builds nothing; build it first:"
  say "  cd $ROOT && bash tools/install_deps.sh && cmake --preset release &&"
  say "  cmake --build --preset release --target samestory_cli"
  exit 1
fi

# shellcheck source=bench/macro_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/macro_lib.sh"
if [[ ! -x /usr/bin/time ]]; then apt_install time; fi
if ! "$PYTHON" -c 'import numpy' 2>/dev/null; then
  if [[ "$PYTHON" == /usr/bin/python3 ]]; then apt_install python3 python3-numpy
  else say "$PYTHON cannot import numpy"; exit 1; fi
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/dedup_macro.XXXXXX")
if [[ "${KEEP_TMP:-0}" == 1 ]]; then say "keeping $TMP"; else trap 'rm -rf "$TMP"' EXIT; fi

# Input size: uncompressed bytes and articles (non-blank lines).
BYTES=$(gzip -cdf -- "$CORPUS" | wc -c)
ARTICLES=$( (gzip -cdf -- "$CORPUS" | grep -c '[^[:space:]]') || true)
say "$CORPUS: $ARTICLES articles, $BYTES bytes uncompressed; REPEAT=$REPEAT, $NPROC threads"

# timed NAME CMD...: runs CMD under /usr/bin/time, stderr to $TMP/NAME.err, stdout to
# $TMP/NAME.stdout; appends "seconds kib" to $TMP/NAME.times. A failed run ends the benchmark.
timed() {
  local name=$1; shift
  local tfile="$TMP/$name.time.$RANDOM"
  if ! /usr/bin/time -f '%e %M' -o "$tfile" "$@" >"$TMP/$name.stdout" 2>"$TMP/$name.err"; then
    say "FAILED: $*"
    tail -n 20 "$TMP/$name.err" >&2
    exit 1
  fi
  local sec kib
  read -r sec kib < <(tail -n 1 "$tfile")
  echo "$sec $kib" >>"$TMP/$name.times"
  say "$(printf '%-6s %s s, %s KiB' "$name" "$sec" "$kib")"
}

# Output must have one record per article, else scoring is meaningless.
check_lines() {
  local n
  n=$(grep -c '[^[:space:]]' "$2" || true)
  if [[ "$n" != "$ARTICLES" ]]; then
    say "FAILED: $1 wrote $n records for $ARTICLES articles ($2)"; exit 1
  fi
}

CMD_ST1=("$SAMESTORY" dedup "$CORPUS" --threshold "$THRESHOLD" --threads 1)
CMD_STN=("$SAMESTORY" dedup "$CORPUS" --threshold "$THRESHOLD" --threads "$NPROC")
CMD_PEER=("$PYTHON" "$PEER" "$CORPUS" --threshold "$THRESHOLD")
CMD_EXACT=("$SAMESTORY" dedup "$CORPUS" --exact --threshold 0.5)

for ((i = 1; i <= REPEAT; i++)); do
  timed st1 "${CMD_ST1[@]}" -o "$TMP/st1.$i.jsonl"
  timed stN "${CMD_STN[@]}" -o "$TMP/stN.$i.jsonl"
  timed peer "${CMD_PEER[@]}" -o "$TMP/peer.$i.jsonl"
  check_lines st1 "$TMP/st1.$i.jsonl"
  check_lines stN "$TMP/stN.$i.jsonl"
  check_lines peer "$TMP/peer.$i.jsonl"
done
timed exact "${CMD_EXACT[@]}" -o "$TMP/exact.jsonl" --pairs "$TMP/exact_pairs.tsv"
check_lines exact "$TMP/exact.jsonl"
if [[ "$(head -n 1 "$TMP/exact_pairs.tsv")" != $'id_a\tid_b\tjaccard' ]]; then
  say "FAILED: $TMP/exact_pairs.tsv does not start with the header id_a<TAB>id_b<TAB>jaccard"; exit 1
fi

# Same input, same options: every output must be byte-identical to run 1 of samestory --threads 1
# (any thread count), and the peer's runs to each other.
NOTES=()
for ((i = 1; i <= REPEAT; i++)); do
  for t in st1 stN; do
    if ! cmp -s "$TMP/st1.1.jsonl" "$TMP/$t.$i.jsonl"; then
      NOTES+=("WARNING: samestory output differs: run $i of '$t' vs run 1 of 'st1' (not deterministic)")
    fi
  done
  if ! cmp -s "$TMP/peer.1.jsonl" "$TMP/peer.$i.jsonl"; then
    NOTES+=("WARNING: peer output differs between run 1 and run $i")
  fi
done
for n in "${NOTES[@]}"; do say "$n"; done

census_args=()
if [[ -n "${CENSUS:-}" ]]; then
  if [[ -f "$CENSUS" ]]; then census_args=(--census "$CENSUS"); else say "CENSUS=$CENSUS not found: ignored"; fi
fi
for t in st1 stN peer; do
  "$PYTHON" "$SCORE" --exact-pairs "$TMP/exact_pairs.tsv" --pred "$TMP/$t.1.jsonl" \
    --threshold "$THRESHOLD" "${census_args[@]}" >"$TMP/$t.score.json"
done

median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
field() { "$PYTHON" -c 'import json, sys; v = json.load(open(sys.argv[1])).get(sys.argv[2]); print("n/a" if v is None else v)' "$@"; }
fmt_ratio() { awk -v x="$1" 'BEGIN {if (x == "n/a") print "n/a"; else printf "%.4f", x}'; }

declare -A SEC RSS
for t in st1 stN peer exact; do
  SEC[$t]=$(cut -d' ' -f1 "$TMP/$t.times" | median)
  RSS[$t]=$(cut -d' ' -f2 "$TMP/$t.times" | median)
done

rel() { local p=$1; [[ "$p" == "$ROOT"/* ]] && p=${p#"$ROOT"/}; echo "$p"; }
CORPUS_SHOWN=$(rel "$CORPUS")
[[ "$CORPUS" -ef "$DEFAULT_CORPUS" ]] && CORPUS_SHOWN="../shared/datasets/reuters21578/reuters21578.jsonl.gz"

# row LABEL KEY RUNS
row() {
  local label=$1 t=$2 runs=$3 recall precision groups census=""
  if [[ "$t" == exact ]]; then
    recall="reference"; precision="reference"; groups="—"; census="—"
  else
    recall=$(fmt_ratio "$(field "$TMP/$t.score.json" recall)")
    precision=$(fmt_ratio "$(field "$TMP/$t.score.json" precision)")
    groups=$(field "$TMP/$t.score.json" groups)
    if ((${#census_args[@]})); then census=$(fmt_ratio "$(field "$TMP/$t.score.json" census_recall)"); fi
  fi
  awk -v l="$label" -v s="${SEC[$t]}" -v k="${RSS[$t]}" -v n="$ARTICLES" -v b="$BYTES" \
      -v runs="$runs" -v rc="$recall" -v pr="$precision" -v g="$groups" -v c="$census" '
    BEGIN {
      if (s > 0) { aps = sprintf("%.0f", n / s); mbs = sprintf("%.2f", b / 1e6 / s) }
      else { aps = "n/a"; mbs = "n/a" }
      line = sprintf("| %s | %.2f (%s) | %s | %s | %.1f | %s | %s | %s |", l, s, runs, aps, mbs, k * 1024 / 1e6, rc, pr, g)
      if (c != "") line = line sprintf(" %s |", c)
      print line
    }'
}

runs_label="median of $REPEAT"
((REPEAT == 1)) && runs_label="1 run"
header="| tool | seconds (runs) | articles/s | MB/s | peak RSS MB | recall@$THRESHOLD | precision (J>=0.5) | groups |"
sep="|---|---|---|---|---|---|---|---|"
if ((${#census_args[@]})); then header+=" recall@$THRESHOLD vs census |"; sep+="---|"; fi
TABLE=$(
  echo "$header"
  echo "$sep"
  row "samestory dedup, 1 thread" st1 "$runs_label"
  row "samestory dedup, $NPROC threads" stN "$runs_label"
  row "Python MinHash-LSH peer" peer "$runs_label"
  row "samestory dedup --exact (reference, J>=0.5 pairs)" exact "1 run"
)
RATIO=$(awk -v p="${SEC[peer]}" -v s="${SEC[st1]}" 'BEGIN {if (s > 0) printf "%.1f", p / s; else print "n/a"}')
SCALING=$(awk -v a="${SEC[st1]}" -v b="${SEC[stN]}" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}')
PEER_BR=$(grep -o 'b=[0-9]* bands x r=[0-9]* rows' "$TMP/peer.err" | tail -n 1 || true)
REF_PAIRS=$(field "$TMP/st1.score.json" exact_pairs_ge_threshold)
REF_PAIRS05=$(field "$TMP/st1.score.json" exact_pairs_ge_floor)

echo
echo "$TABLE"
echo
echo "Speed ratio peer / samestory 1 thread: ${RATIO}x (samestory 1 thread / $NPROC threads: ${SCALING}x)"

show() {
  local out="" a
  for a in "$@"; do
    if [[ "$a" == "$CORPUS" ]]; then a=$CORPUS_SHOWN; else a=$(rel "$a"); fi
    out+=" $a"
  done
  echo "${out# }"
}
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
mkdir -p "$(dirname "$RESULTS")"
{
  echo "# samestory dedup vs a plain-Python MinHash-LSH peer: $(basename "$CORPUS")"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Machine: ${CPU:-unknown CPU}, nproc $NPROC, $MEM RAM, $(uname -sr); load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- Input: \`$CORPUS_SHOWN\`: $ARTICLES articles, $BYTES bytes uncompressed"
  echo "- samestory: $("$SAMESTORY" --version 2>/dev/null | head -n 1 || echo unknown); git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)"
  echo "- Runs: $REPEAT rounds of (a), (b), (c) one after the other, then (d) once; wall seconds and peak RSS from \`/usr/bin/time -f '%e %M'\`, median over the rounds"
  echo
  echo "$TABLE"
  echo
  echo "Speed ratio peer / samestory 1 thread: **${RATIO}x**. samestory 1 thread / $NPROC threads: ${SCALING}x."
  echo
  echo "- articles/s = $ARTICLES / seconds; MB/s = uncompressed input bytes / 10^6 / seconds; peak RSS MB = KiB x 1024 / 10^6."
  echo "- recall@$THRESHOLD: share of the $REF_PAIRS pairs with exact Jaccard >= $THRESHOLD in (d) whose two articles got the same \`dup\`."
  echo "- precision (J>=0.5): share of same-\`dup\` pairs (m(m-1)/2 per group of m) among the $REF_PAIRS05 pairs of (d) with exact J >= 0.5."
  echo "- groups: \`dup\` values shared by >= 2 articles. Scores use run 1 of each tool."
  echo "- Peer: $PEER_BR (datasketch's optimal (b, r) for threshold $THRESHOLD), no verification of candidates."
  for n in "${NOTES[@]}"; do echo "- $n"; done
  echo
  echo "Commands (a)-(d):"
  echo
  echo '```'
  echo "$(show "${CMD_ST1[@]}") -o st1.jsonl"
  echo "$(show "${CMD_STN[@]}") -o stN.jsonl"
  echo "$(show "${CMD_PEER[@]}") -o peer.jsonl"
  echo "$(show "${CMD_EXACT[@]}") -o exact.jsonl --pairs exact_pairs.tsv"
  echo "$(show "$PYTHON" "$SCORE") --exact-pairs exact_pairs.tsv --pred st1.jsonl --threshold $THRESHOLD${census_args:+ --census $(rel "$CENSUS")}"
  echo '```'
  echo
  echo "Produced by \`bash bench/dedup_macro.sh\`. samestory's summary of (a), last run (stderr):"
  echo
  echo '```'
  tail -n 15 "$TMP/st1.err"
  echo '```'
} >"$RESULTS"
say "wrote $(rel "$RESULTS")"
