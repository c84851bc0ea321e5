#!/usr/bin/env bash
# End-to-end: `samestory feed --watch DIR`, a watched input directory:
#
#   bash tests/cli/feed_watch_test.sh <path-to-samestory> <repo-root>
#
# The stream is a generated corpus (`samestory gen`, 1,500 articles with copies and stories) cut
# into files; the reference is one `feed` over the whole stream. Checks:
#
# 1. Files in name order, each once: two files, a run that exits when idle; a third file (.gz), a
#    second run on the same state: the answers are the reference's, the manifest (watched.tsv)
#    lists the three files with their record counts; names starting with "." and other suffixes
#    are ignored.
# 2. A file renamed into the directory while the feed runs is answered (the feed polls).
# 3. Kills: a fresh state, the three files, feed killed with SIGKILL at random instants and
#    restarted until it finishes by itself; the final output is byte-identical to the reference
#    (no answer lost or repeated) and at least 2 kills came before the last answer. A torn last
#    manifest line is cut and its file answered (once).
# 4. Errors: --watch on a missing directory, --watch with input files, a manifest listing more
#    records than the state answered: exit != 0 with a message, no answer written.
set -euo pipefail

# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cli_test_init feed_watch_test "$@"

STREAM=$tmp/stream.jsonl
"$BIN" gen --articles 1500 --seed 7 --base "$ROOT/datasets/sample/articles.jsonl" -o "$STREAM" \
  2>/dev/null || die "samestory gen failed"
total=$(wc -l <"$STREAM")
[[ $total -eq 1500 ]] || die "the generated stream has $total lines, not 1500"
head -n 500 "$STREAM" >"$tmp/a.jsonl"
sed -n '501,900p' "$STREAM" >"$tmp/b.jsonl"
sed -n '901,$p' "$STREAM" | gzip >"$tmp/c.jsonl.gz"

# Answer lines of an output (merge records, issue 13, follow the answer that caused them).
answers() { grep -vc '^{"merge":' "$1" || true; }
# The first n answers of an output, each with its merge records.
first_answers() { awk -v n="$2" '!/^\{"merge":/ { if (++k > n) exit } { print }' "$1"; }

"$BIN" feed -q --state "$tmp/ref_state" "$STREAM" -o "$tmp/ref.jsonl" ||
  die "the reference feed failed"
[[ $(answers "$tmp/ref.jsonl") -eq 1500 ]] || die "the reference has not 1500 answers"
grep -q '"new_story":false' "$tmp/ref.jsonl" || die "the reference joins no story: no real work"

watch_run() {  # watch_run <state> <dir> <out> [extra args]: exits after 0.5 s without a new file
  local state=$1 dir=$2 out=$3
  shift 3
  timeout 120 "$BIN" feed -q --state "$state" --watch "$dir" --idle-exit 0.5 \
    --poll-seconds 0.05 -o "$out" "$@"
}

# 1. Two runs, three files.
mkdir -p "$tmp/in1"
cp "$tmp/a.jsonl" "$tmp/b.jsonl" "$tmp/in1/"
: >"$tmp/in1/.c.jsonl"  # a file being written: ignored
echo '{"id":"x","text":"not an input"}' >"$tmp/in1/notes.txt"
watch_run "$tmp/s1" "$tmp/in1" "$tmp/out1.jsonl" || fail "first watch run failed"
[[ $(answers "$tmp/out1.jsonl") -eq 900 ]] ||
  fail "first run: $(answers "$tmp/out1.jsonl") answers, expected 900 (a + b)"
cp "$tmp/c.jsonl.gz" "$tmp/in1/"
watch_run "$tmp/s1" "$tmp/in1" "$tmp/out1.jsonl" || fail "second watch run failed"
cmp -s "$tmp/out1.jsonl" "$tmp/ref.jsonl" || fail "two watch runs differ from the reference"
printf 'a.jsonl\t500\nb.jsonl\t400\nc.jsonl.gz\t600\n' >"$tmp/manifest.expected"
cmp -s "$tmp/s1/watched.tsv" "$tmp/manifest.expected" ||
  fail "manifest: $(tr '\t\n' ' ;' <"$tmp/s1/watched.tsv")"

# 2. A file arriving while the feed runs.
mkdir -p "$tmp/in2"
cp "$tmp/a.jsonl" "$tmp/in2/"
timeout 120 "$BIN" feed -q --state "$tmp/s2" --watch "$tmp/in2" --idle-exit 3 \
  --poll-seconds 0.05 -o "$tmp/out2.jsonl" &
pid=$!
sleep 1
cp "$tmp/b.jsonl" "$tmp/in2/.b.jsonl"
mv "$tmp/in2/.b.jsonl" "$tmp/in2/b.jsonl"
wait "$pid" || fail "the feed watching in2 failed"
first_answers "$tmp/ref.jsonl" 900 >"$tmp/ref900.jsonl"
cmp -s "$tmp/out2.jsonl" "$tmp/ref900.jsonl" ||
  fail "a file renamed in while running: $(answers "$tmp/out2.jsonl") answers, not the reference's 900"

# 3. Kills.
mkdir -p "$tmp/in3"
cp "$tmp/a.jsonl" "$tmp/b.jsonl" "$tmp/c.jsonl.gz" "$tmp/in3/"
kills=0
for attempt in $(seq 1 60); do
  # Not under `timeout`: the kill must hit the feed itself.
  "$BIN" feed -q --state "$tmp/s3" --watch "$tmp/in3" --idle-exit 0.3 \
    --poll-seconds 0.05 --sync-every 1 --snapshot-every 200 -o "$tmp/out3.jsonl" &
  pid=$!
  # The first kills within 10 to 150 ms (inside the work: ~0.4 s of answers in all), later ones
  # within 10 to 800 ms, so that a run eventually finishes (the answers, then 0.3 s idle).
  if [[ $attempt -le 8 ]]; then range=140; else range=790; fi
  sleep "$(printf '0.%03d' $((RANDOM % range + 10)))"
  if kill -9 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || true
    if [[ ! -f "$tmp/out3.jsonl" || $(answers "$tmp/out3.jsonl") -lt 1500 ]]; then
      kills=$((kills + 1))
    fi
  else
    wait "$pid" || fail "a watch run exited with an error"
    break
  fi
  [[ $attempt -lt 60 ]] || fail "the feed never finished in 60 attempts"
done
if ! [[ -f "$tmp/s3/watched.tsv" && $(wc -l <"$tmp/s3/watched.tsv") -eq 3 ]]; then
  # The last kill may have come after the last answer, before the exit: one more run settles it.
  watch_run "$tmp/s3" "$tmp/in3" "$tmp/out3.jsonl" || fail "the settling run failed"
fi
cmp -s "$tmp/out3.jsonl" "$tmp/ref.jsonl" ||
  fail "after $kills kills: $(answers "$tmp/out3.jsonl") answers, not byte-identical to the reference"
[[ $kills -ge 2 ]] || fail "only $kills kills came before the last answer"
cmp -s "$tmp/s3/watched.tsv" "$tmp/manifest.expected" || fail "manifest after kills differs"

# A torn manifest line (a kill while it was appended) is cut, and the file read again.
mkdir -p "$tmp/in6"
cp "$tmp/a.jsonl" "$tmp/in6/"
watch_run "$tmp/s6" "$tmp/in6" "$tmp/out6.jsonl" || fail "watch run on in6 failed"
cp "$tmp/b.jsonl" "$tmp/in6/"
printf 'b.jso' >>"$tmp/s6/watched.tsv"
watch_run "$tmp/s6" "$tmp/in6" "$tmp/out6.jsonl" || fail "watch run after a torn manifest failed"
cmp -s "$tmp/out6.jsonl" "$tmp/ref900.jsonl" || fail "after a torn manifest line: answers differ"
printf 'a.jsonl\t500\nb.jsonl\t400\n' >"$tmp/manifest6"
cmp -s "$tmp/s6/watched.tsv" "$tmp/manifest6" ||
  fail "torn manifest not repaired: $(tr '\t\n' ' ;' <"$tmp/s6/watched.tsv")"

# 4. Errors.
expect_refusal() {  # expect_refusal <what> <message regex> <feed args...>
  local what=$1 pattern=$2 rc=0
  shift 2
  "$BIN" feed -q "$@" >"$tmp/err.out" 2>"$tmp/err.txt" || rc=$?
  [[ $rc -ne 0 ]] || fail "$what: exit 0"
  grep -Eq "$pattern" "$tmp/err.txt" || fail "$what: message: $(head -c 300 "$tmp/err.txt")"
  [[ ! -s "$tmp/err.out" ]] || fail "$what: answers were written"
}
expect_refusal "missing directory" "is not a directory" --state "$tmp/s4" --watch "$tmp/nope"
expect_refusal "inputs and --watch" "reads only the watched directory" \
  --state "$tmp/s4" --watch "$tmp/in1" "$tmp/a.jsonl"
mkdir -p "$tmp/in5"
printf 'a.jsonl\t500\n' >"$tmp/manifest5"
"$BIN" feed -q --state "$tmp/s5" "$ROOT/datasets/sample/articles.jsonl" >/dev/null
cp "$tmp/manifest5" "$tmp/s5/watched.tsv"
expect_refusal "manifest beyond the state" "not this state's manifest" \
  --state "$tmp/s5" --watch "$tmp/in5"

cli_test_finish
