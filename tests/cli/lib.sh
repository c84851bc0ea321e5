# shellcheck shell=bash
# Shared preamble of the end-to-end CLI tests (tests/cli/*_test.sh). Sourced, never run: the glob
# in tests/CMakeLists.txt picks only *_test.sh. Each test begins
#
#   set -euo pipefail
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   cli_test_init <name> "$@"
#
# and ends with `cli_test_finish`.
#
# cli_test_init checks the arguments (<path-to-samestory> <repo-root>, exit 2 otherwise) and sets
#   BIN   the samestory binary          ROOT  the repository root
#   PY    the Python 3 used for checks   tmp   a scratch directory, removed on exit
# Then:
#   fail <message>   reports a failed check as "FAIL (<name>): <message>" and counts it; the test
#                    goes on, so that every failure is listed
#   die <message>    fail, then exit 1 at once (when nothing after it can be checked)
#   run_dedup <stdout-file> <stderr-file> <dedup args...>
#                    runs `$BIN dedup -q <dedup args...>` with its output streams to the two files;
#                    on a non-zero exit prints the end of its stderr and dies
#   cli_test_finish  exits 1 if any check failed, else prints "<name>: OK"

cli_test_init() {
  CLI_TEST_NAME=$1
  shift
  if [[ $# -ne 2 ]]; then
    echo "usage: $0 <path-to-samestory> <repo-root>" >&2
    exit 2
  fi
  # shellcheck disable=SC2034  # BIN, ROOT and PY are for the sourcing test
  BIN=$1 ROOT=$2 PY=/usr/bin/python3
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  failures=0
}

fail() {
  echo "FAIL ($CLI_TEST_NAME): $*" >&2
  failures=$((failures + 1))
}

die() {
  fail "$@"
  exit 1
}

# run_samestory <subcommand> <stdout-file> <stderr-file> <args...>: runs it quietly; dies on a
# non-zero exit, showing the end of its stderr.
run_samestory() {
  local command=$1 out=$2 err=$3
  shift 3
  local rc=0
  "$BIN" "$command" -q "$@" >"$out" 2>"$err" || rc=$?
  if [[ $rc -ne 0 ]]; then
    tail -n 20 "$err" >&2
    die "samestory $command $* exited with $rc"
  fi
}

run_dedup() { run_samestory dedup "$@"; }

cli_test_finish() {
  if [[ $failures -gt 0 ]]; then
    echo "$CLI_TEST_NAME: $failures check(s) failed" >&2
    exit 1
  fi
  echo "$CLI_TEST_NAME: OK"
}
