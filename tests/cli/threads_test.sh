#!/usr/bin/env bash
# End-to-end: `--threads 1` uses one core. Regression (issue 14 #21): OpenBLAS's own worker
# threads spun (25k sched_yield calls) so that `cluster --threads 1` took about 1.4 cores, and
# every run lost a tenth of a second of a core to them at start. The check is a ratio of the
# process's CPU time (user + system, children included) to its wall time, not a speed goal: one
# thread cannot exceed 1.0 however loaded the machine is, and the spinning threads took 1.2-1.4.
#
#   bash tests/cli/threads_test.sh <path-to-samestory> <repo-root>
#
# Input: the generator's corpus (10,000 articles, made here), about 2 s of clustering. A user who
# sets OPENBLAS_NUM_THREADS chooses for themselves: the test unsets it.
set -euo pipefail
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cli_test_init threads_test "$@"
unset OPENBLAS_NUM_THREADS

"$BIN" gen -q --articles 10000 --seed 3 --base "$ROOT/datasets/sample/articles.jsonl" -o "$tmp/gen.jsonl" 2>"$tmp/gen.err" ||
  die "gen failed: $(tail -n 5 "$tmp/gen.err")"

for command in cluster dedup; do
  "$PY" - "$BIN" "$command" "$tmp/gen.jsonl" "$tmp/out.jsonl" <<'PYEOF' ||
import resource, subprocess, sys, time
bin_, command, src, out = sys.argv[1:]
start = time.monotonic()
subprocess.run([bin_, command, "-q", "--threads", "1", src, "-o", out],
               stderr=subprocess.DEVNULL, check=True)
wall = time.monotonic() - start
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = ru.ru_utime + ru.ru_stime
print(f"  {command} --threads 1: {cpu:.2f} s CPU over {wall:.2f} s wall ({cpu / wall:.2f} cores)")
sys.exit(0 if cpu <= 1.08 * wall + 0.05 else 1)
PYEOF
    fail "$command --threads 1 used more than one core (see above)"
done

cli_test_finish
