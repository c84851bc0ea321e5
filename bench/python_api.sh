#!/usr/bin/env bash
# The Python API benchmark (issue "import samestory"): what calling samestory from Python costs
# against the CLI, and how it compares with the Python peers, on Reuters-21578, in one run.
#
# usage: bash bench/python_api.sh
#
# At every thread count T of THREADS, on the same input:
#   dedup    `samestory dedup --threads T -q IN -o OUT` (whole process); samestory.dedup(IN,
#            n_jobs=T) from Python (the call; and `import samestory` + the call); the ratio call /
#            CLI (the issue asks for <= 1.10); samestory.dedup(list of dicts, n_jobs=T), the dicts
#            json.loads'ed from IN beforehand (the call: the cost of records passed from Python)
#   cluster  `samestory cluster --threads T -q IN -o OUT` against samestory.cluster(IN, n_jobs=T)
#   peers    (one Python thread each) datasketch MinHash + MinHashLSH (128 permutations, threshold
#            0.8; bench/peers/datasketch_peer.py, as dedup_macro.sh runs it), its numpy
#            re-implementation (peers/minhash_lsh_peer.py), and scikit-learn TF-IDF + radius
#            neighbours (peers/sklearn_cluster_peer.py --method radius, as cluster_macro.sh runs it)
# Checks before timing: each Python result's to_jsonl() against the CLI's output file, byte for
# byte (the table says identical yes/no); the CLI output the same at every T and in every round;
# one output line per input record. Then RUNS interleaved rounds (each measurement once a round,
# every one a fresh process): medians. Every run uses copies of the CLI and of the Python module
# taken at the start (the tree may be rebuilt meanwhile). It builds nothing. Writes
# bench/results/python_reuters.md (date, machine, load, git commit, commands, tables) and prints
# the tables. The work is done by bench/python_api_bench.py.
#
# env: RUNS (3)          timed rounds (median shown)
#      THREADS ("1 2")   thread counts (--threads / n_jobs)
#      PEERS ("ds mh radius")  peers to run: ds datasketch, mh numpy MinHash-LSH, radius sklearn
#      DATASKETCH_DIR    a directory holding the `datasketch` package from its source (see
#                        dedup_macro.sh); unset or absent: the datasketch peer is skipped with a note
#      DATASKETCH_REV    a label for the datasketch source, shown in the results
#      RADIUS (0.77)     the sklearn radius peer's cosine distance (cluster_macro.sh's)
#      SAMESTORY         the CLI (build/release/tools/samestory/samestory)
#      PYMOD             the directory holding the built `samestory` package (build/release/python);
#                        skips with exit 0 when it has no samestory package
#      DATASETS          the public datasets (../shared/datasets beside the repo root); skips with
#                        exit 0 when Reuters-21578 is absent
#      RESULTS           the Markdown output (bench/results/python_reuters.md)
#      PYTHON            /usr/bin/python3 (Debian's; python3-numpy, python3-scipy, python3-sklearn
#                        installed with apt when missing)
#      KEEP_TMP=1        keep the temp dir (outputs and stderr of every run)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATASETS=${DATASETS:-$ROOT/../shared/datasets}
REUTERS=$DATASETS/reuters21578/reuters21578.jsonl.gz
RUNS=${RUNS:-3}
THREADS=${THREADS:-1 2}
PEERS=${PEERS-ds mh radius}
DATASKETCH_DIR=${DATASKETCH_DIR:-}
RADIUS=${RADIUS:-0.77}
SAMESTORY=${SAMESTORY:-$ROOT/build/release/tools/samestory/samestory}
PYMOD=${PYMOD:-$ROOT/build/release/python}
RESULTS=${RESULTS:-$ROOT/bench/results/python_reuters.md}
PYTHON=${PYTHON:-/usr/bin/python3}
DRIVER=$ROOT/bench/python_api_bench.py
NPROC=$(nproc)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)
GIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)  # the tree at the start
DIRTY=$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | wc -l)

say() { echo "python_api: $*" >&2; }

if [[ ! -f "$REUTERS" ]]; then
  say "$REUTERS not found: skipping (the benchmark needs shared/datasets beside the repo root)."
  exit 0
fi
REUTERS=$(realpath "$REUTERS")
if ! [[ "$RUNS" =~ ^[1-9][0-9]*$ ]]; then say "RUNS must be a positive integer, got '$RUNS'"; exit 2; fi

# shellcheck source=bench/macro_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/macro_lib.sh"
require_samestory
if [[ ! -d "$PYMOD/samestory" ]]; then
  say "$PYMOD/samestory not found: the Python module is not built; skipping. Build it first"
  say "(it needs Debian's pybind11-dev and python3-dev; SAMESTORY_BUILD_PYTHON=AUTO builds it when found):"
  say "  cd $ROOT && cmake --preset release -DSAMESTORY_BUILD_PYTHON=ON && cmake --build --preset release"
  exit 0
fi
PYMOD=$(realpath "$PYMOD")
if ! "$PYTHON" -c 'import numpy, scipy, sklearn' 2>/dev/null; then
  if [[ "$PYTHON" == /usr/bin/python3 ]]; then apt_install python3-numpy python3-scipy python3-sklearn
  else say "$PYTHON cannot import numpy, scipy and sklearn"; exit 1; fi
fi

NOTES=()
note() { NOTES+=("$*"); say "$*"; }
PEER_LIST=()
for p in $PEERS; do
  if [[ $p == ds && ! -f "$DATASKETCH_DIR/datasketch/__init__.py" ]]; then
    note "datasketch: DATASKETCH_DIR='$DATASKETCH_DIR' holds no datasketch/__init__.py: its row is skipped (see bench/dedup_macro.sh to make one from a clone)."
    continue
  fi
  PEER_LIST+=("$p")
done
[[ -n "$DATASKETCH_DIR" ]] && DATASKETCH_DIR=$(realpath -m "$DATASKETCH_DIR")

TMP=$(mktemp -d "${TMPDIR:-/tmp}/python_api.XXXXXX")
if [[ "${KEEP_TMP:-0}" == 1 ]]; then say "keeping $TMP"; else trap 'rm -rf "$TMP"' EXIT; fi
# Copies taken now: a rebuild in the tree during the run (other work) cannot mix two builds.
mkdir -p "$TMP/bin" "$TMP/python"
cp "$SAMESTORY" "$TMP/bin/samestory"
cp -R "$PYMOD/samestory" "$TMP/python/"
MOD_ID="sha256 of the package files $(cd "$TMP/python" && find samestory -type f ! -name '*.pyc' | sort | xargs sha256sum | sha256sum | cut -c1-12)"
if ! PY_ERR=$(PYTHONPATH=$TMP/python "$PYTHON" -c 'import samestory; samestory.dedup; samestory.cluster' 2>&1); then
  say "the Python module in $PYMOD does not import (PYTHONPATH=$PYMOD $PYTHON -c 'import samestory'):"
  echo "$PY_ERR" >&2
  exit 1
fi
MOD_VERSION=$(PYTHONPATH=$TMP/python "$PYTHON" -c 'import samestory; print(getattr(samestory, "__version__", ""))')

TABLES=$("$PYTHON" "$DRIVER" --samestory "$TMP/bin/samestory" --pythonpath "$TMP/python" \
  --input "$REUTERS" --tmp "$TMP" --runs "$RUNS" --threads "$THREADS" \
  --peers "${PEER_LIST[*]}" --datasketch "$DATASKETCH_DIR" --radius "$RADIUS")
echo
echo "$TABLES"
echo

if [[ "$(bin_id)" != "$BIN_START" ]]; then
  note "$SAMESTORY was rebuilt during the run; every run used the copy taken at the start ($BIN_START)"
fi
rel() {  # a path as shown in the results: repo-relative, datasets as ../shared/datasets
  local p=$1
  [[ "$p" == "$(realpath "$DATASETS")"/* ]] && p="../shared/datasets/${p#"$(realpath "$DATASETS")"/}"
  [[ "$p" == "$ROOT"/* ]] && p=${p#"$ROOT"/}
  echo "$p"
}
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
((DIRTY > 0)) && GIT+=" (plus uncommitted changes in $DIRTY files)"
S=$(rel "$SAMESTORY"); R=$(rel "$REUTERS"); P=$(rel "$PYMOD")
PYVER=$("$PYTHON" -c 'import sys, numpy, sklearn; print("Python %d.%d.%d, numpy %s, sklearn %s" % (sys.version_info[:3] + (numpy.__version__, sklearn.__version__)))')
mkdir -p "$(dirname "$RESULTS")"
{
  echo "# samestory from Python: the API against the CLI and the Python peers, on Reuters-21578"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(($(date +%s) - T_START)) s in all"
  echo "- Machine: ${CPU:-unknown CPU}, nproc $NPROC, $MEM RAM, $(uname -sr); load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- samestory: CLI \`$S\` $("$TMP/bin/samestory" --version 2>/dev/null | head -n 1 || echo unknown), $BIN_START; Python module \`$P/samestory\`${MOD_VERSION:+ $MOD_VERSION}, $MOD_ID; git $GIT at the start"
  echo "- Python: \`$PYTHON\`, $PYVER$([[ " ${PEER_LIST[*]} " == *" ds "* ]] && echo "; datasketch from source (\`$DATASKETCH_DIR\`${DATASKETCH_REV:+, $DATASKETCH_REV})")"
  echo "- Input: \`$R\`, $(gzip -cd "$REUTERS" | grep -c '[^[:space:]]') records, $(gzip -cd "$REUTERS" | wc -c) bytes uncompressed"
  echo "- Runs: checks first (untimed), then $RUNS interleaved round$( ((RUNS > 1)) && echo s), each measurement once a round and in a fresh process; medians (and ranges) of the rounds"
  for n in "${NOTES[@]}"; do echo "- $n"; done
  echo
  echo "$TABLES"
  echo
  echo "Reading the tables:"
  echo
  echo "- *timed seconds*: the CLI's whole process (start, read, work, write the output file); for Python, the call alone (\`time.perf_counter()\` around it: read, work, result arrays; no output written). */ CLI* = the call / the CLI process, at the same thread count; the issue asks for <= 1.10 for a path."
  echo "- *import + call*: \`import samestory\` (numpy and the extension) plus the call, in a fresh interpreter; *process wall*: the whole Python process (interpreter start, import, the call, exit; for the dicts, also reading the $(basename "$R") with \`json.loads\` before the call, shown apart). Peak RSS from \`os.wait4\` (MB = KiB x 1024 / 10^6)."
  echo "- Peers: whole processes that read the input, work and write their output; the dedup peers are divided by \`samestory.dedup(path)\`'s figures, the radius peer by \`samestory.cluster(path)\`'s, at each thread count: *process* by the whole Python process, *call* by the call alone. Their groups are not samestory's (quality: \`bench/results/dedup_reuters.md\`, \`bench/results/cluster_macro.md\`)."
  echo
  echo "Commands (timed, every one a fresh process; \`$P\` and the CLI copied to a temp dir first):"
  echo
  echo '```'
  echo "$S dedup --threads T -q $R -o OUT      # T: $THREADS"
  echo "PYTHONPATH=$P $PYTHON -c 'import samestory; samestory.dedup(\"$R\", n_jobs=T)'"
  echo "PYTHONPATH=$P $PYTHON -c 'import samestory; samestory.dedup(RECORDS, n_jobs=T)'   # RECORDS: [json.loads(line) for line in gzip.open(...)]"
  echo "$S cluster --threads T -q $R -o OUT"
  echo "PYTHONPATH=$P $PYTHON -c 'import samestory; samestory.cluster(\"$R\", n_jobs=T)'"
  for p in "${PEER_LIST[@]}"; do
    case $p in
      ds) echo "$PYTHON bench/peers/datasketch_peer.py --datasketch \$DATASKETCH_DIR $R --threshold 0.8 -o OUT" ;;
      mh) echo "$PYTHON bench/peers/minhash_lsh_peer.py $R --threshold 0.8 -o OUT" ;;
      radius) echo "$PYTHON bench/peers/sklearn_cluster_peer.py $R --method radius --threshold $RADIUS -o OUT" ;;
    esac
  done
  echo '```'
  echo
  echo "(the Python calls are made by \`bench/python_api_bench.py --worker\`, which times them). Produced by \`RUNS=$RUNS$([[ "$THREADS" != "1 2" ]] && echo " THREADS=\"$THREADS\"") bash bench/python_api.sh\`."
} >"$RESULTS"
say "wrote $(rel "$RESULTS")"
