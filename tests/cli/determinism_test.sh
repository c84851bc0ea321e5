#!/usr/bin/env bash
# End-to-end: `samestory dedup` output is a pure function of (input, options): byte-identical
# at --threads 1, 2, 3 and --batch-size 1, 7, 4096, for both the groups (stdout) and the accepted
# pairs (--pairs), in LSH and in --exact mode.
#
#   bash tests/cli/determinism_test.sh <path-to-samestory> <repo-root>
#
# Corpora: the sample corpus, and the first 3000 lines of Reuters-21578 from
# <repo-root>/../shared/datasets (that part is skipped, with a message, when it is absent).
set -euo pipefail

# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cli_test_init determinism_test "$@"

REUTERS=$ROOT/../shared/datasets/reuters21578/reuters21578.jsonl.gz

# run <name> <input> <flags...>: writes $tmp/<name>.jsonl and $tmp/<name>.tsv.
run() {
  local name=$1 input=$2
  shift 2
  run_dedup /dev/null "$tmp/$name.stderr" "$input" -o "$tmp/$name.jsonl" \
    --pairs "$tmp/$name.tsv" "$@"
}

# check <corpus> <input> <expected-lines> <min-groups> <extra flags...>
check() {
  local corpus=$1 input=$2 lines=$3 min_groups=$4
  shift 4
  local mode=${1:-lsh}
  mode=${mode#--}
  local ref=$corpus.$mode.ref
  run "$ref" "$input" --threads 1 --batch-size 4096 "$@"
  # The reference itself must be a real result, or comparing it proves nothing.
  local n
  n=$(wc -l <"$tmp/$ref.jsonl")
  [[ $n -eq $lines ]] || die "$corpus ($mode): $n output lines, expected $lines"
  # Articles whose "dup" is not their own id.
  local in_groups
  in_groups=$(awk -F'"' '/"dup":"/ { if ($4 != $8) n++ } END { print n + 0 }' "$tmp/$ref.jsonl")
  [[ $in_groups -ge $min_groups ]] ||
    die "$corpus ($mode): only $in_groups articles joined a group, expected >= $min_groups"
  local variant
  for variant in "--threads 2" "--threads 3" "--threads 2 --batch-size 1" \
    "--threads 3 --batch-size 7" "--threads 1 --batch-size 7"; do
    local name=$corpus.$mode.${variant// /_}
    # shellcheck disable=SC2086
    run "$name" "$input" $variant "$@"
    cmp -s "$tmp/$ref.jsonl" "$tmp/$name.jsonl" || {
      diff "$tmp/$ref.jsonl" "$tmp/$name.jsonl" | head -n 20 >&2
      die "$corpus ($mode): groups with $variant differ from --threads 1"
    }
    cmp -s "$tmp/$ref.tsv" "$tmp/$name.tsv" || {
      diff "$tmp/$ref.tsv" "$tmp/$name.tsv" | head -n 20 >&2
      die "$corpus ($mode): pairs with $variant differ from --threads 1"
    }
  done
  echo "determinism_test: $corpus ($mode): $lines records, $in_groups in groups, identical at" \
    "threads 1/2/3 and batch sizes 1/7/4096" >&2
}

SAMPLE=$ROOT/datasets/sample/articles.jsonl
# 13 copies join their original on the sample corpus (see sample_dedup_test.sh).
check sample "$SAMPLE" 58 13
check sample "$SAMPLE" 58 13 --exact

if [[ -r "$REUTERS" ]]; then
  # zcat | head closes the pipe early; that SIGPIPE is expected, hence the `|| true`.
  { zcat "$REUTERS" || true; } | head -n 3000 >"$tmp/reuters3000.jsonl"
  lines=$(grep -c . "$tmp/reuters3000.jsonl" || true)
  [[ $lines -eq 3000 ]] || die "could not read 3000 lines of $REUTERS (got $lines)"
  check reuters3000 "$tmp/reuters3000.jsonl" 3000 20
  check reuters3000 "$tmp/reuters3000.jsonl" 3000 20 --exact
else
  echo "determinism_test: SKIPPED the Reuters part: $REUTERS not found" >&2
fi
cli_test_finish
