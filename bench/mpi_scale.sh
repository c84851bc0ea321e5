#!/usr/bin/env bash
# samestory-mpi against one machine: `samestory dedup` (and `cluster` up to CLUSTER_MAX) on
# generated corpora, single machine vs `mpirun -n P samestory-mpi`, all at --threads 1. Wall time
# and peak RSS of every process (/usr/bin/time), and from rank 0's per-rank summary lines the
# records, bytes sent/received and stage seconds (fingerprint, exchange, rest) of every rank.
# Every MPI output is first compared (cmp) with the single-machine output of the same corpus: a
# difference is printed in the results and makes the script exit 1.
# Writes bench/results/mpi_scale.md.
#
# usage: bash bench/mpi_scale.sh
# env: ARTICLES     corpus sizes ("1000000 10000000"); each `samestory gen --articles N`
#      RANKS        MPI ranks to run ("1 2")
#      MODES        the commands to run ("dedup cluster")
#      CLUSTER_MAX  largest size `cluster` runs on (1000000; above it only dedup)
#      ROUNDS       rounds of every run at sizes up to ROUNDS_MAX (2); larger sizes run once
#      ROUNDS_MAX   (1000000)
#      BASE         the real text the generator draws from
#                   (../shared/datasets/reuters21578/reuters21578.jsonl.gz, else the sample)
#      FORMAT       gz (default: every rank reads the whole corpus) or plain (.jsonl: each rank
#                   reads its byte range)
#      OUT          the results file (bench/results/mpi_scale.md)
#      PER_DAY      articles per day (2740, as scale_macro.sh): a corpus spans N / PER_DAY days,
#                   so every size has the same density in time (gen's default of 365 days at
#                   any size makes candidate pairs per article grow with N)
#      KEEP_TMP=1   keep the generated corpora in WORK (default then /tmp/samestory_mpi_scale)
#                   and reuse them when rerun; outputs are deleted anyway
#      WORK         scratch directory (mktemp under /tmp); ~0.25 GB per 1M articles of corpus,
#                   plus the runs' temporary files (TMPDIR points here): ~25 GB at 10M
#      OUT          the results file (bench/results/mpi_scale.md)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SAMESTORY=${SAMESTORY:-$ROOT/build/release/tools/samestory/samestory}
SAMESTORY_MPI=${SAMESTORY_MPI:-$ROOT/build/release/tools/samestory/samestory-mpi}
PYTHON=${PYTHON:-/usr/bin/python3}
ARTICLES=${ARTICLES:-"1000000 10000000"}
RANKS=${RANKS:-"1 2"}
MODES=${MODES:-"dedup cluster"}
CLUSTER_MAX=${CLUSTER_MAX:-1000000}
ROUNDS=${ROUNDS:-2}
ROUNDS_MAX=${ROUNDS_MAX:-1000000}
PER_DAY=${PER_DAY:-2740}
# gz: ranks read the whole corpus (round-robin batches); plain: each rank reads its byte range.
FORMAT=${FORMAT:-gz}
case $FORMAT in gz) SUFFIX=jsonl.gz ;; plain) SUFFIX=jsonl ;; *) echo "FORMAT: gz or plain" >&2; exit 2 ;; esac
OUT=${OUT:-$ROOT/bench/results/mpi_scale.md}
say() { echo "mpi_scale: $*" >&2; }

# shellcheck source=bench/macro_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/macro_lib.sh"
require_samestory
[[ -x "$SAMESTORY_MPI" ]] || { say "$SAMESTORY_MPI not found (build with MPI on); it builds nothing"; exit 1; }
command -v mpirun >/dev/null || { say "mpirun not found (Debian openmpi-bin)"; exit 1; }
if [[ ! -x /usr/bin/time ]]; then apt_install time; fi
BASE=${BASE:-$ROOT/../shared/datasets/reuters21578/reuters21578.jsonl.gz}
if [[ ! -f "$BASE" ]]; then
  say "$BASE not found: generating from the sample corpus instead"
  BASE=$ROOT/datasets/sample/articles.jsonl
fi

if [[ "${KEEP_TMP:-0}" == 1 ]]; then
  WORK=${WORK:-/tmp/samestory_mpi_scale}
else
  WORK=${WORK:-$(mktemp -d /tmp/mpi_scale.XXXXXX)}
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK/bin" "$WORK/log" "$WORK/spill"
export TMPDIR=$WORK/spill  # the runs' temporary files (fingerprints, band keys, terms)
# Open MPI refuses root unless told; containers have no cross-memory attach.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
# Every run uses copies of the binaries taken now (the tree may be rebuilt meanwhile).
cp "$SAMESTORY" "$WORK/bin/samestory"
cp "$SAMESTORY_MPI" "$WORK/bin/samestory-mpi"
ONE=$WORK/bin/samestory MPI=$WORK/bin/samestory-mpi
MPI_START="sha256 $(sha256sum "$MPI" | cut -c1-12), built $(date -u -r "$SAMESTORY_MPI" '+%Y-%m-%d %H:%M:%S UTC')"
ROWS=$WORK/rows.tsv
: > "$ROWS"
START=$(date +%s)
GIT_START=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# run <mode> <n> <ranks> <round> <corpus> <output>: one run; ranks 0 = the single-machine command.
# Appends "mode n ranks round wall exit identical" to $ROWS; its stderr (the summary) and the
# per-process "%M %e" of /usr/bin/time are kept in $WORK/log/<mode>.<n>.<ranks>.<round>.*.
run() {
  local mode=$1 n=$2 p=$3 round=$4 in=$5 out=$6 code=0 same=-
  local log=$WORK/log/$mode.$n.$p.$round
  if (( p == 0 )); then
    /usr/bin/time -f '%M %e' -o "$log.time.0" "$ONE" "$mode" --threads 1 -q "$in" -o "$out" \
      2> "$log.err" || code=$?
    cp "$log.time.0" "$log.wall"
  else
    # Each rank under its own /usr/bin/time, writing $log.time.<rank>.
    /usr/bin/time -f '%M %e' -o "$log.wall" \
      mpirun --oversubscribe --bind-to none -n "$p" \
      bash -c 'exec /usr/bin/time -f "%M %e" -o "$0.$OMPI_COMM_WORLD_RANK" "$@"' "$log.time" \
      "$MPI" "$mode" --threads 1 -q "$in" -o "$out" 2> "$log.err" || code=$?
  fi
  # The reference is this corpus's first single-machine output; later ones are checked too.
  local want=$WORK/want.$mode.$n.jsonl
  if [[ $code == 0 ]]; then
    if [[ ! -f $want ]]; then mv "$out" "$want"; same=ref
    elif cmp -s "$out" "$want"; then same=yes
    else same=NO; say "!!! $mode $n ranks $p round $round: OUTPUT DIFFERS from the single machine's"
    fi
  fi
  rm -f "$out"
  local wall
  wall=$(cut -d' ' -f2 "$log.wall")
  echo -e "$mode\t$n\t$p\t$round\t$wall\t$code\t$same" >> "$ROWS"
  say "$mode $n $( ((p)) && echo "mpirun -n $p" || echo single): ${wall}s wall, exit $code, identical $same"
}

for n in $ARTICLES; do
  corpus=$WORK/gen_$n.$SUFFIX
  if [[ ! -f $corpus ]]; then
    say "generating $n articles"
    days=$(( (n + PER_DAY - 1) / PER_DAY ))
    /usr/bin/time -f '%e' -o "$WORK/log/gen.$n.wall" "$ONE" gen --articles "$n" --base "$BASE" \
      --days "$days" -o "$WORK/part.$SUFFIX" 2> "$WORK/log/gen.$n.err"  # .gz: gen compresses
    mv "$WORK/part.$SUFFIX" "$corpus"
  else
    say "reusing $corpus"
  fi
  rounds=$ROUNDS
  (( n > ROUNDS_MAX )) && rounds=1
  modes=""
  for mode in $MODES; do
    [[ $mode == cluster ]] && (( n > CLUSTER_MAX )) && continue
    modes+=" $mode"
  done
  for mode in $modes; do
    for ((r = 1; r <= rounds; r++)); do  # interleaved: single, then every rank count, per round
      for p in 0 $RANKS; do
        run "$mode" "$n" "$p" "$r" "$corpus" "$WORK/out.jsonl"
      done
    done
    rm -f "$WORK/want.$mode.$n.jsonl"
  done
  if [[ "${KEEP_TMP:-0}" != 1 ]]; then rm -f "$corpus"; fi
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

status=0
"$PYTHON" - "$ROWS" "$WORK/log" "$OUT.body" "$CLUSTER_MAX" <<'EOF' || status=$?
import re, statistics, sys
rows_path, log, body_path, cluster_max = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
RANK = re.compile(r"rank (\d+): (\d+) records; sent ([\d.]+) MB, received ([\d.]+) MB; seconds: "
                  r"fingerprint ([\d.]+), exchange ([\d.]+), rest ([\d.]+)")
runs = {}  # (mode, n, p) -> list of rounds
for line in open(rows_path):
    mode, n, p, rnd, wall, code, same = line.rstrip("\n").split("\t")
    n, p = int(n), int(p)
    stem = f"{log}/{mode}.{n}.{p}.{rnd}"
    err = open(stem + ".err").read()
    run = dict(wall=float(wall) if code == "0" else None, code=code, same=same, ranks={}, rss={})
    for i in range(max(p, 1)):
        try:
            run["rss"][i] = int(open(f"{stem}.time.{i}").read().split()[0]) * 1024 / 1e6
        except (OSError, IndexError, ValueError):
            pass
    for m in RANK.finditer(err):
        run["ranks"][int(m[1])] = dict(records=int(m[2]), sent=float(m[3]), recv=float(m[4]),
                                       fp=float(m[5]), ex=float(m[6]), rest=float(m[7]))
    m = re.search(r"seconds: read ([\d.]+), fingerprint ([\d.]+).*?group ([\d.]+), write ([\d.]+), total ([\d.]+)", err)
    if m:
        run["read"], run["fp"], run["group"], run["write"], run["total"] = map(float, m.groups())
    runs.setdefault((mode, n, p), []).append(run)

med = lambda xs: statistics.median(xs) if xs else None
def wall_text(rs):
    w = [r["wall"] for r in rs if r["wall"] is not None]
    if not w:
        return "failed (exit " + ", ".join(r["code"] for r in rs) + ")"
    return f"{med(w):.1f}" + (f" ({min(w):.1f}-{max(w):.1f})" if len(w) > 1 else "")

out, notes, failed = [], [], []
sizes = sorted({n for _, n, _ in runs})
for n in sizes:
    for mode in ("dedup", "cluster"):
        ps = sorted(p for m, k, p in runs if m == mode and k == n)
        if not ps:
            continue
        single = runs.get((mode, n, 0), [])
        sw = med([r["wall"] for r in single if r["wall"] is not None])
        nr = len(single)
        out.append(f"### {mode}, {n:,} articles ({nr} round{'s' if nr > 1 else ''}{', median (range)' if nr > 1 else ''})\n")
        out.append("| what | ranks | wall s | speed-up (single ÷ this) | peak RSS MB per rank | "
                   "sent / received MB per rank | bytes per article exchanged | "
                   "seconds per rank: fingerprint / exchange / rest | rank 0 group s | identical |")
        out.append("|---|---|---|---|---|---|---|---|---|---|")
        for p in ps:
            rs = runs[(mode, n, p)]
            w = med([r["wall"] for r in rs if r["wall"] is not None])
            speed = f"{sw / w:.2f}x" if sw and w else ""
            procs = max(p, 1)
            rss = ", ".join((f"r{i} " if p else "") + f"{med([r['rss'][i] for r in rs if i in r['rss']]):,.0f}"
                            for i in range(procs) if any(i in r["rss"] for r in rs))
            group = med([r["group"] for r in rs if "group" in r])
            group = f"{group:.1f}" if group is not None else ""
            sames = [r["same"] for r in rs]
            if p == 0:
                fp = med([r["read"] + r["fp"] for r in rs if "fp" in r])
                tot = med([r["total"] for r in rs if "total" in r])
                stages = (f"read + fingerprint {fp:.1f}, group {group}, total {tot:.1f} (its summary)"
                          if fp is not None else "")
                ident = "reference"
                if any(s == "NO" for s in sames) or any(r["code"] != "0" for r in rs):
                    ident = "**NO: ROUNDS DIFFER OR RUN FAILED** (" + ", ".join(f"{s}/exit {r['code']}" for s, r in zip(sames, rs)) + ")"
                    failed.append(f"{mode} {n:,} on one machine")
                out.append(f"| `samestory {mode}` (one machine) | - | {wall_text(rs)} | 1.00x | {rss} | - | - | "
                           f"{stages} | {group} | {ident} |")
                continue
            k = {i: {f: med([r["ranks"][i][f] for r in rs if i in r["ranks"]]) for f in
                     ("records", "sent", "recv", "fp", "ex", "rest")}
                 for i in range(p) if all(i in r["ranks"] for r in rs)}
            traffic = "; ".join(f"r{i} {k[i]['sent']:,.1f} / {k[i]['recv']:,.1f}" for i in k)
            per_art = []
            for i in k:
                if i == 0:
                    others = n - k[0]["records"]
                    per_art.append(f"r0 recv {k[0]['recv'] * 1e6 / others:,.0f}" if others else "r0 -")
                else:
                    per_art.append(f"r{i} sent {k[i]['sent'] * 1e6 / k[i]['records']:,.0f}" if k[i]["records"] else f"r{i} -")
            secs = " // ".join(f"r{i}: {k[i]['fp']:.1f} / {k[i]['ex']:.1f} / {k[i]['rest']:.1f}" for i in k)
            if len(k) != p:
                failed.append(f"{mode} {n:,} on {p} ranks: {len(k)} rank lines in the summary")
            if any(s == "NO" for s in sames) or any(r["code"] != "0" for r in rs):
                ident = "**NO: OUTPUT DIFFERS OR RUN FAILED** (" + ", ".join(f"{s}/exit {r['code']}" for s, r in zip(sames, rs)) + ")"
                failed.append(f"{mode} {n:,} on {p} ranks")
            else:
                ident = "yes" + (f" ({len(sames)} of {len(sames)})" if len(sames) > 1 else "")
            out.append(f"| `mpirun -n {p} samestory-mpi {mode}` | {p} | {wall_text(rs)} | {speed} | {rss} | {traffic} | "
                       f"{', '.join(per_art)} | {secs} | {group} | {ident} |")
        out.append("")
        # Reading: what shrinks with P and what does not, from the largest two rank counts.
        mp = [p for p in ps if p > 0]
        if len(mp) >= 2:
            a, b = mp[0], mp[-1]
            def stat(p, f, i):
                return med([r["ranks"][i][f] for r in runs[(mode, n, p)] if i in r["ranks"]])
            def rss0(p):
                return med([r["rss"][0] for r in runs[(mode, n, p)] if 0 in r["rss"]])
            g = lambda p: med([r["group"] for r in runs[(mode, n, p)] if "group" in r])
            fa = stat(a, "fp", 0)
            fb = max(stat(b, "fp", i) for i in range(b))
            s0 = med([r["rss"][0] for r in single if 0 in r["rss"]])
            wa = med([r["wall"] for r in runs[(mode, n, a)] if r["wall"]])
            wb = med([r["wall"] for r in runs[(mode, n, b)] if r["wall"]])
            line = (f"- {mode} {n:,}: fingerprint stage {fa:.1f} s on {a} rank(s), {fb:.1f} s on the slowest of {b} "
                    f"({fa / fb:.2f}x faster); rank 0's exchange {stat(a, 'ex', 0):.1f} -> {stat(b, 'ex', 0):.1f} s "
                    f"(of which grouping {g(a):.1f} -> {g(b):.1f} s) and rest {stat(a, 'rest', 0):.1f} -> "
                    f"{stat(b, 'rest', 0):.1f} s; rank 0 peak RSS {rss0(a):,.0f} -> {rss0(b):,.0f} MB "
                    f"(one machine {s0:,.0f} MB); wall {wa:.1f} -> {wb:.1f} s (one machine {sw:.1f} s).")
            notes.append(line)
if max(sizes) > cluster_max:
    out.append(f"`cluster` was not run above {cluster_max:,} articles (CLUSTER_MAX; too long for this "
               "machine's time budget).\n")
with open(body_path, "w") as f:
    if failed:
        f.write("**FAILED: an MPI output differs from the single machine's, or a run failed: "
                + "; ".join(failed) + ".**\n\n")
    f.write("\n".join(out) + "\n")
with open(body_path + ".notes", "w") as f:
    f.write("\n".join(notes) + "\n")
sys.exit(1 if failed else 0)
EOF

gens=""
for n in $ARTICLES; do
  [[ -f $WORK/log/gen.$n.wall ]] && gens+=" ${n}: $(cat "$WORK/log/gen.$n.wall") s;"
done
{
  echo "# samestory-mpi against one machine: dedup and cluster over MPI ranks"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), nproc $(nproc), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, shared with other work; load average at start $LOAD_START, at end $LOAD_END"
  echo "- git $GIT_START at the start of the run; binaries (copies taken at the start): samestory $BIN_START; samestory-mpi $MPI_START; $(mpirun --version | head -1)"
  echo "- Corpora: \`samestory gen --articles N --base $(basename "$BASE") --days N/$PER_DAY -o gen_N.$SUFFIX\` (seed 1; $PER_DAY articles a day at every size, as scale_macro.sh); gen seconds:${gens:- none, reused from KEEP_TMP;} whole benchmark $(( $(date +%s) - START )) s"
  echo "- Every run \`--threads 1\`, outputs compared with \`cmp\` against the first single-machine output of the corpus (a later single-machine round is checked too). Wall = the whole command under \`/usr/bin/time\` (for MPI: \`mpirun\`, start-up included); peak RSS = every process's own \`/usr/bin/time\` %M (KiB x 1024 / 10^6; mpirun's launcher not counted); records, MB sent/received and seconds per rank from the per-rank lines of rank 0's summary; rank 0 group s from the \`seconds: ... group\` of the summary (for MPI it is part of rank 0's exchange stage)."
  echo "- Bytes per article exchanged: rank 0 = MB received / articles the other ranks fingerprinted; rank r > 0 = MB sent / articles it fingerprinted (from the summary's MB, one decimal)."
  echo
  echo "Commands (IN a corpus, P the ranks):"
  echo
  echo '```sh'
  echo 'export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none TMPDIR=$WORK/spill'
  echo '/usr/bin/time -f "%M %e" samestory MODE --threads 1 -q IN -o OUT'
  echo '/usr/bin/time -f "%M %e" mpirun --oversubscribe --bind-to none -n P \'
  echo '  bash -c '"'"'exec /usr/bin/time -f "%M %e" -o "$0.$OMPI_COMM_WORLD_RANK" "$@"'"'"' LOG.time \'
  echo '  samestory-mpi MODE --threads 1 -q IN -o OUT'
  echo 'cmp OUT OUT_OF_ONE_MACHINE'
  echo "ARTICLES=\"$ARTICLES\" RANKS=\"$RANKS\" ROUNDS=$ROUNDS bash bench/mpi_scale.sh   # the whole benchmark"
  echo '```'
  echo
  cat "$OUT.body"
  echo "## Reading the table"
  echo
  cat "$OUT.body.notes"
} > "$OUT"
rm -f "$OUT.body" "$OUT.body.notes"
say "wrote $OUT"
exit $status
