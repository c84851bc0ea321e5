#!/usr/bin/env bash
# samestory-mpi under mpirun: for 1-4 ranks, `dedup` and `cluster` outputs are byte-identical to
# the single-machine commands (threads 1 both) on the sample, a 50k generated corpus, Reuters-
# 21578 when ../shared/datasets is present, and inputs made for the edge cases (empty shares,
# 5,000 identical articles in one bucket, one id on two shards, a date range shorter than the
# reach); a rank that fails (no usable temporary directory) or is killed mid-run makes the job
# exit non-zero within 60 s, naming the rank, with no output under the final name.
#
#   bash tests/mpi/mpi_test.sh <samestory> <samestory-mpi> <repo-root>
set -euo pipefail
BIN=$1 MPI=$2 ROOT=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL (mpi_test): $*" >&2; failures=$((failures + 1)); }
# CI runs as root in a container: Open MPI refuses root unless told, and the container has no
# cross-memory attach.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_rmaps_base_oversubscribe=1
mpirun_() { timeout 600 mpirun --oversubscribe --bind-to none "$@"; }

# Inputs (gen's default base is relative to the repo root; ctest runs elsewhere).
gen() {
  "$BIN" gen --base "$ROOT/datasets/sample/articles.jsonl" "$@" 2>"$tmp/gen.err" ||
    { cat "$tmp/gen.err" >&2; echo "FAIL (mpi_test): samestory gen $*" >&2; exit 1; }
}
gen --articles 50000 -o "$tmp/g50k.jsonl.gz"
gen --articles 3000 --days 1 --report-spread-days 0.01 -o "$tmp/short_dates.jsonl"
/usr/bin/python3 - "$tmp/bucket.jsonl" "$ROOT/datasets/sample/articles.jsonl" <<'PY'
import json, sys
out, sample = sys.argv[1], sys.argv[2]
text = ("Dock workers walked out on Monday at the main container port, halting shipping and "
        "leaving dozens of vessels waiting offshore, union officials said.")
with open(out, "w") as f:
    for i in range(5000):
        f.write(json.dumps({"id": f"same-{i}", "date": f"2024-03-01T10:{i % 60:02d}",
                            "title": "Port strike halts shipping", "text": text}) + "\n")
        if i in (10, 4090):  # the same id in two ranks' shares
            f.write(json.dumps({"id": "same-3", "text": "a repeated id"}) + "\n\nnot json\n")
    f.write(open(sample).read())
PY
inputs=("$ROOT/datasets/sample/articles.jsonl" "$tmp/g50k.jsonl.gz" "$tmp/bucket.jsonl"
        "$tmp/short_dates.jsonl")
reuters=$ROOT/../shared/datasets/reuters21578/reuters21578.jsonl.gz
if [[ -f $reuters ]]; then
  inputs+=("$reuters")
else
  echo "mpi_test: $reuters absent (../shared/datasets not beside the repo): skipping Reuters"
fi

for input in "${inputs[@]}"; do
  name=$(basename "$input")
  for mode in dedup cluster; do
    extra=()
    [[ $mode == cluster ]] && extra=(--stories "$tmp/want.stories")
    "$BIN" "$mode" -q --threads 1 "$input" -o "$tmp/want.jsonl" "${extra[@]}" 2>/dev/null
    for p in 1 2 3 4; do
      got=()
      [[ $mode == cluster ]] && got=(--stories "$tmp/got.stories")
      # A small batch for the sample, so that every rank has a share of it.
      batch=()
      [[ $name == articles.jsonl ]] && batch=(--batch-size 7)
      if ! mpirun_ -n "$p" "$MPI" "$mode" -q --threads 1 "${batch[@]}" "$input" \
          -o "$tmp/got.jsonl" "${got[@]}" 2>"$tmp/err"; then
        fail "$mode $name on $p ranks failed: $(tail -3 "$tmp/err")"
        continue
      fi
      # --batch-size changes nothing in the output: compare with the single-machine run anyway.
      cmp -s "$tmp/got.jsonl" "$tmp/want.jsonl" ||
        fail "$mode $name on $p ranks: output differs from one machine's"
      if [[ $mode == cluster ]]; then
        cmp -s "$tmp/got.stories" "$tmp/want.stories" ||
          fail "$mode $name on $p ranks: stories differ from one machine's"
      fi
    done
  done
  echo "mpi_test: $name: 1-4 ranks equal one machine"
done

# Empty shares. gzip is read whole by every rank in round-robin batches: one batch holds the
# whole sample, ranks 1-3 have nothing. A plain file is cut into byte ranges: a 300 KB record
# covers ranks 1 and 2's whole ranges, so they hold no record.
gzip -c "$ROOT/datasets/sample/articles.jsonl" >"$tmp/sample.jsonl.gz"
/usr/bin/python3 - "$ROOT/datasets/sample/articles.jsonl" "$tmp/long.jsonl" <<'PY'
import json, sys
sample = open(sys.argv[1]).read()
with open(sys.argv[2], "w") as f:
    f.write(sample)
    f.write(json.dumps({"id": "long", "title": "A long one", "text": "x" * 300000}) + "\n")
    f.write(sample[:2000] + "\n")
PY
for input in "$tmp/sample.jsonl.gz" "$tmp/long.jsonl"; do
  "$BIN" dedup -q --threads 1 "$input" -o "$tmp/want.jsonl" --pairs "$tmp/want.tsv" 2>/dev/null
  mpirun_ -n 4 "$MPI" dedup -q --threads 1 "$input" -o "$tmp/got.jsonl" --pairs "$tmp/got.tsv" \
    2>/dev/null || fail "empty shares ($(basename "$input")): the run failed"
  cmp -s "$tmp/got.jsonl" "$tmp/want.jsonl" || fail "empty shares ($(basename "$input")): output differs"
  cmp -s "$tmp/got.tsv" "$tmp/want.tsv" || fail "empty shares ($(basename "$input")): pairs differ"
done

# Messages cut into many rounds (1,000 bytes between two ranks a round): the same output.
"$BIN" dedup -q --threads 1 "$tmp/bucket.jsonl" -o "$tmp/want.jsonl" --pairs "$tmp/want.tsv" \
  2>/dev/null
SAMESTORY_MPI_PIECE_BYTES=1000 mpirun_ -x SAMESTORY_MPI_PIECE_BYTES -n 3 "$MPI" dedup -q \
  --threads 1 "$tmp/bucket.jsonl" -o "$tmp/got.jsonl" --pairs "$tmp/got.tsv" 2>/dev/null ||
  fail "small pieces: the run failed"
cmp -s "$tmp/got.jsonl" "$tmp/want.jsonl" || fail "small pieces: output differs"
cmp -s "$tmp/got.tsv" "$tmp/want.tsv" || fail "small pieces: pairs differ"
grep -q 'duplicate id (first seen on line 4)' <(
  "$BIN" dedup -q --threads 1 "$tmp/bucket.jsonl" 2>/dev/null) ||
  fail "the bucket input has no id repeated across shares"

# A rank that fails: rank 1 has no usable temporary directory.
rm -f "$tmp/out.jsonl"
start=$SECONDS
if mpirun_ -n 1 "$MPI" dedup -q --threads 1 "$tmp/g50k.jsonl.gz" -o "$tmp/out.jsonl" : \
    -n 1 env TMPDIR="$tmp/no-such-dir" "$MPI" dedup -q --threads 1 "$tmp/g50k.jsonl.gz" \
    -o "$tmp/out.jsonl" 2>"$tmp/err"; then
  fail "a failing rank: the job succeeded"
fi
((SECONDS - start <= 60)) || fail "a failing rank: the job took $((SECONDS - start)) s"
grep -q "rank 1" "$tmp/err" || fail "a failing rank: the message does not name rank 1: $(cat "$tmp/err")"
[[ ! -e $tmp/out.jsonl ]] || fail "a failing rank: an output was left under the final name"

# A rank killed mid-run.
rm -f "$tmp/out.jsonl"
mpirun_ -n 2 "$MPI" cluster -q --threads 1 "$tmp/g50k.jsonl.gz" -o "$tmp/out.jsonl" \
  2>"$tmp/err" &
job=$!
victim=""
for _ in $(seq 1 100); do  # wait for rank 1 to start
  for pid in $(pgrep -f "samestory-mpi cluster" || true); do
    if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=1"; then
      victim=$pid
    fi
  done
  [[ -n $victim ]] && break
  sleep 0.1
done
if [[ -z $victim ]]; then
  fail "killed rank: rank 1 never started"
  wait "$job" || true
else
  sleep 0.5
  start=$SECONDS
  kill -9 "$victim"
  if wait "$job"; then fail "killed rank: the job succeeded"; fi
  ((SECONDS - start <= 60)) || fail "killed rank: the job took $((SECONDS - start)) s to end"
  grep -qi "rank 1" "$tmp/err" || fail "killed rank: no message names rank 1: $(tail -5 "$tmp/err")"
  [[ ! -e $tmp/out.jsonl ]] || fail "killed rank: an output was left under the final name"
fi

((failures == 0)) || exit 1
echo "mpi_test: OK"
