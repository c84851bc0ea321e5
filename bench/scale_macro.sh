#!/usr/bin/env bash
# The cost-growth benchmark: generated corpora of growing size (samestory gen), `samestory dedup`
# and `samestory cluster` on each, wall and CPU time, peak RSS, articles/s, and quality on the
# generated labels (dup ARI, story B-cubed F1, from `samestory eval`); the Python peers where they
# can run. Writes bench/results/scale.md and two log-log plots (time and memory against size).
#
# usage: bash bench/scale_macro.sh
# env: SIZES            corpus sizes ("10000 100000 1000000 10000000")
#      CLUSTER_MAX      largest size `cluster` runs on (1000000; above it only dedup)
#      PEER_DEDUP_MAX   largest size for the plain-Python MinHash peer (100000)
#      PEER_CLUSTER_MAX largest size for scikit-learn radius + components (10000)
#      BASE             the real text the generator draws from
#                       (../shared/datasets/reuters21578/reuters21578.jsonl.gz, else the sample)
#      PER_DAY (2740)   articles per day: a corpus spans N / PER_DAY days (1M = one year), so
#                       every size has the same density in time, as a growing archive does
#      SEED (1)         generator seed; THREADS (all cores) for samestory
#      KEEP=1           keep the generated corpora in $WORK
#      WORK             scratch directory (mktemp under $TMPDIR); needs ~3 KB per article
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SAMESTORY=${SAMESTORY:-$ROOT/build/release/tools/samestory/samestory}
PYTHON=${PYTHON:-/usr/bin/python3}
SIZES=${SIZES:-"10000 100000 1000000 10000000"}
CLUSTER_MAX=${CLUSTER_MAX:-1000000}
PEER_DEDUP_MAX=${PEER_DEDUP_MAX:-100000}
PEER_CLUSTER_MAX=${PEER_CLUSTER_MAX:-10000}
SEED=${SEED:-1}
PER_DAY=${PER_DAY:-2740}
THREADS=${THREADS:-0}
OUT_MD=$ROOT/bench/results/scale.md
say() { echo "scale_macro: $*" >&2; }

# shellcheck source=bench/macro_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/macro_lib.sh"
require_samestory
if [[ ! -x /usr/bin/time ]]; then apt_install time; fi
if ! "$PYTHON" -c 'import matplotlib' 2>/dev/null; then apt_install python3-matplotlib; fi
BASE=${BASE:-$ROOT/../shared/datasets/reuters21578/reuters21578.jsonl.gz}
if [[ ! -f "$BASE" ]]; then
  say "$BASE not found: generating from the sample corpus instead"
  BASE=$ROOT/datasets/sample/articles.jsonl
fi
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/scale_macro.XXXXXX")}
mkdir -p "$WORK"
if [[ "${KEEP:-0}" != 1 ]]; then trap 'rm -rf "$WORK"' EXIT; fi
ROWS=$WORK/rows.tsv
: > "$ROWS"
START=$(date +%s)
GIT_START=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)  # the tree at the start
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# timed <name> <size> <output> <cmd...>: runs cmd under /usr/bin/time; appends a row
# "name size wall user sys rss_kib exit" to $ROWS.
timed() {
  local name=$1 size=$2 out=$3
  shift 3
  local t=$WORK/time.txt code=0
  /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" > "$out" 2> "$WORK/$name.$size.err" || code=$?
  read -r wall user sys rss < "$t" || true
  echo -e "$name\t$size\t$wall\t$user\t$sys\t$rss\t$code" >> "$ROWS"
  say "$name $size: ${wall}s wall, ${user}s user, $((rss / 1024)) MB, exit $code"
  return 0
}

# quality <name> <size> <gold> <pred> <field>: appends "q name size field ari bcubed_f1".
quality() {
  local json
  json=$("$SAMESTORY" eval --gold "$3" --gold-field "$5" --pred "$4" --pred-field "$5" 2>/dev/null) ||
    { say "eval failed for $1 $2 $5"; return 0; }
  echo -e "q\t$1\t$2\t$5\t$("$PYTHON" -c 'import json,sys; d=json.loads(sys.argv[1]); print("%.4f\t%.4f" % (d["ari"], d["bcubed_f1"]))' "$json")" >> "$ROWS"
}

# Peers write {"id", "dup"} / {"id", "story"}; the same scoring applies.
for n in $SIZES; do
  corpus=$WORK/gen_$n.jsonl
  say "generating $n articles"
  days=$(( (n + PER_DAY - 1) / PER_DAY ))
  timed gen "$n" /dev/null "$SAMESTORY" gen --articles "$n" --base "$BASE" --seed "$SEED" --days "$days" -o "$corpus"
  timed dedup "$n" /dev/null "$SAMESTORY" dedup -q --threads "$THREADS" "$corpus" -o "$WORK/dedup_$n.jsonl"
  quality dedup "$n" "$corpus" "$WORK/dedup_$n.jsonl" dup
  rm -f "$WORK/dedup_$n.jsonl"
  if (( n <= CLUSTER_MAX )); then
    timed cluster "$n" /dev/null "$SAMESTORY" cluster -q --threads "$THREADS" "$corpus" -o "$WORK/cluster_$n.jsonl"
    quality cluster "$n" "$corpus" "$WORK/cluster_$n.jsonl" story
    quality cluster "$n" "$corpus" "$WORK/cluster_$n.jsonl" dup
    rm -f "$WORK/cluster_$n.jsonl"
  fi
  if (( n <= PEER_DEDUP_MAX )); then
    timed peer_minhash "$n" "$WORK/peer_dup_$n.jsonl" "$PYTHON" "$ROOT/bench/peers/minhash_lsh_peer.py" "$corpus"
    quality peer_minhash "$n" "$corpus" "$WORK/peer_dup_$n.jsonl" dup
  fi
  if (( n <= PEER_CLUSTER_MAX )); then
    timed peer_radius "$n" "$WORK/peer_story_$n.jsonl" "$PYTHON" "$ROOT/bench/peers/sklearn_cluster_peer.py" --method radius "$corpus"
    quality peer_radius "$n" "$corpus" "$WORK/peer_story_$n.jsonl" story
  fi
  if [[ "${KEEP:-0}" != 1 ]]; then rm -f "$corpus"; fi
done

"$PYTHON" - "$ROWS" "$OUT_MD" "$ROOT/bench/results" <<'EOF'
import sys, collections
rows_path, out_md, out_dir = sys.argv[1:4]
runs, quality = {}, collections.defaultdict(dict)
for line in open(rows_path):
    f = line.rstrip("\n").split("\t")
    if f[0] == "q":
        quality[(f[1], int(f[2]))][f[3]] = (float(f[4]), float(f[5]))
    else:
        name, n, wall, user, sys_, rss, code = f
        ok = code == "0" and wall not in ("", "?")
        runs[(name, int(n))] = dict(wall=float(wall) if ok else None, cpu=float(user) + float(sys_) if ok else None,
                                    rss=int(rss) * 1024 / 1e6 if ok else None, code=code)
sizes = sorted({n for _, n in runs})
tools = [("dedup", "samestory dedup"), ("cluster", "samestory cluster"),
         ("peer_minhash", "plain-Python MinHash LSH (numpy)"), ("peer_radius", "scikit-learn radius + components"),
         ("gen", "samestory gen (the corpus)")]
out = []
out.append("| tool | articles | wall s | CPU s | peak RSS MB | articles/s | µs/article | dup ARI | story B³ F1 |")
out.append("|---|---|---|---|---|---|---|---|---|")
for key, label in tools:
    for n in sizes:
        r = runs.get((key, n))
        if r is None:
            continue
        if r["wall"] is None:
            out.append(f"| {label} | {n:,} | failed (exit {r['code']}) | | | | | | |")
            continue
        q = quality.get((key, n), {})
        dup = f"{q['dup'][0]:.4f}" if "dup" in q else ""
        story = f"{q['story'][1]:.4f}" if "story" in q else ""
        out.append(f"| {label} | {n:,} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['rss']:.0f} | "
                   f"{n / r['wall']:,.0f} | {1e6 * r['wall'] / n:.1f} | {dup} | {story} |")
notes = []
for key in ("dedup", "cluster"):
    pts = [(n, runs[(key, n)]["wall"] / n) for n in sizes if (key, n) in runs and runs[(key, n)]["wall"]]
    for (a, ta), (b, tb) in zip(pts, pts[1:]):
        notes.append(f"- {key}: time per article at {b:,} is {tb / ta:.2f}x that at {a:,}.")
    qs = [(n, quality[(key, n)]) for n in sizes if (key, n) in quality]
    if len(qs) >= 2:
        (n0, q0), (n1, q1) = qs[0], qs[-1]
        for field, idx, name in (("dup", 0, "dup ARI"), ("story", 1, "story B-cubed F1")):
            if field in q0 and field in q1:
                notes.append(f"- {key}: {name} {q0[field][idx]:.4f} at {n0:,}, {q1[field][idx]:.4f} at {n1:,} "
                             f"(change {q1[field][idx] - q0[field][idx]:+.4f}).")
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    for metric, ylabel, fname in (("wall", "wall seconds", "scale_time.png"), ("rss", "peak RSS (MB)", "scale_memory.png")):
        fig, ax = plt.subplots(figsize=(6.4, 4.4))
        for key, label in tools[:4]:
            pts = [(n, runs[(key, n)][metric]) for n in sizes if (key, n) in runs and runs[(key, n)][metric]]
            if pts:
                ax.plot(*zip(*pts), marker="o", label=label)
        ax.set_xscale("log"); ax.set_yscale("log")
        ax.set_xlabel("articles (generated corpus)"); ax.set_ylabel(ylabel)
        ax.grid(True, which="both", alpha=0.3); ax.legend(fontsize=8)
        fig.tight_layout(); fig.savefig(f"{out_dir}/{fname}", dpi=110); plt.close(fig)
    plots = "![time](scale_time.png) ![memory](scale_memory.png)"
except Exception as e:  # plots are a convenience; the table is the result
    plots = f"(plots not drawn: {e})"
with open(out_md + ".body", "w") as f:
    f.write("\n".join(out) + "\n\n" + "\n".join(notes) + "\n\n" + plots + "\n")
EOF

{
  echo "# Cost growth: samestory on generated corpora of growing size"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), nproc $(nproc), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM; load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- samestory: binary $BIN_START; git $GIT_START at the start of the run; threads ${THREADS/#0/all}"
  echo "- Corpora: \`samestory gen --articles N --base $(basename "$BASE") --seed $SEED --days N/$PER_DAY\` ($PER_DAY articles a day at every size); whole benchmark $(( $(date +%s) - START )) s"
  echo "- Each tool once per size under \`/usr/bin/time\` (wall, user + sys CPU, peak RSS = KiB x 1024 / 10^6); quality from \`samestory eval\` against the generator's gold \`dup\` and \`story\` fields."
  echo
  cat "$OUT_MD.body"
} > "$OUT_MD"
rm -f "$OUT_MD.body"
say "wrote $OUT_MD"
