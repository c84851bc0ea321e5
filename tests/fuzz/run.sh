#!/usr/bin/env bash
# Runs every libFuzzer target found in build/fuzz/fuzz/ (build them first: cmake --preset fuzz &&
# cmake --build --preset fuzz) for SECONDS_EACH seconds, one after the other, each from a scratch
# copy of its seed corpus tests/fuzz/corpus/<name>/ (the seeds are never modified).
#   bash tests/fuzz/run.sh [SECONDS_EACH]      (default 60)
# Prints one summary line per fuzzer: runs, exec/s, coverage (cov/ft) and the result. Crash, leak,
# timeout and out-of-memory inputs are kept under a temp dir whose path is printed, with each
# fuzzer's log. Inputs named crash-* in a seed corpus are known, unfixed findings: they are left
# out of the scratch corpus (they would stop the fuzzer at once) and replayed one by one instead;
# the summary says how many still fail, which does not change the exit status.
# Exit status: 0 when no fuzzer found anything, 1 when one did, 2 on a usage or setup error.
set -uo pipefail

secs=${1:-60}
if ! [[ $secs =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: bash tests/fuzz/run.sh [SECONDS_EACH]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/build/fuzz/fuzz
seeds=$root/tests/fuzz/corpus
shopt -s nullglob
fuzzers=("$bin"/fuzz_*)
targets=()
for f in "${fuzzers[@]}"; do
  [[ -f $f && -x $f ]] && targets+=("$f")
done
if ((${#targets[@]} == 0)); then
  echo "no fuzzer in $bin: build them with cmake --preset fuzz && cmake --build --preset fuzz" >&2
  exit 2
fi

out=$(mktemp -d "${TMPDIR:-/tmp}/samestory-fuzz.XXXXXX")
# Scratch corpora and the targets' own temp files (fuzz_util.h reads SAMESTORY_FUZZ_TMPDIR), on a
# tmpfs when there is one (the library fsyncs what it saves); removed at the end, so a crashed
# target leaves nothing behind.
scratch_base=${TMPDIR:-/tmp}
[[ -d /dev/shm && -w /dev/shm ]] && scratch_base=/dev/shm
scratch=$(mktemp -d "$scratch_base/samestory-fuzz-scratch.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export SAMESTORY_FUZZ_TMPDIR=$scratch/tmp
mkdir -p "$scratch/tmp"

failed=0
summary=()
for f in "${targets[@]}"; do
  target=$(basename "$f")
  name=${target#fuzz_}
  corpus=$scratch/corpus/$name
  artifacts=$out/$name
  log=$out/$name.log
  mkdir -p "$corpus" "$artifacts"
  known=()
  for s in "$seeds/$name"/*; do
    [[ -f $s ]] || continue
    if [[ $(basename "$s") == crash-* ]]; then
      known+=("$s")
    else
      cp "$s" "$corpus/"
    fi
  done
  echo "== $target: ${secs}s from $(ls "$corpus" | wc -l) seeds (log $log)"
  start=$(date +%s%N)
  "$f" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" > "$log" 2>&1
  rc=$?
  elapsed_ms=$((($(date +%s%N) - start) / 1000000 + 1))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  # libFuzzer prints 0 for a run shorter than a second: use the wall time instead.
  if [[ ${speed:-0} == 0 && -n $runs ]]; then speed="~$((runs * 1000 / elapsed_ms))"; fi
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
  found=("$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-* \
         "$artifacts"/slow-unit-*)
  if ((rc == 0 && ${#found[@]} == 0)); then
    result="ok"
  else
    failed=1
    if ((${#found[@]} > 0)); then
      result="FOUND ${#found[@]}: ${found[*]}"
    else
      result="FAILED (exit $rc, no artifact; see the log)"
    fi
    grep -m1 -E 'FUZZ_CHECK|ERROR: |runtime error|SUMMARY' "$log" | sed 's/^/   /'
  fi
  # Known findings, replayed one at a time (a target stops at its first failing input).
  if ((${#known[@]} > 0)); then
    still=0
    for k in "${known[@]}"; do
      "$f" -rss_limit_mb=2048 -timeout=10 "$k" > "$log.known" 2>&1 || still=$((still + 1))
    done
    rm -f "$log.known"
    result+="; known crash-* inputs: $still of ${#known[@]} still fail"
  fi
  rmdir "$artifacts" 2> /dev/null
  rm -rf "$corpus"
  summary+=("$(printf '%-20s runs %-9s exec/s %-6s %-22s %s' "$target" "${runs:-?}" "${speed:-?}" \
    "${cov:-cov: ?}" "$result")")
done

echo
echo "== summary (${secs}s each)"
printf '%s\n' "${summary[@]}"
echo "logs and any crash artifacts: $out"
exit $failed
