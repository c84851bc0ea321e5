#!/usr/bin/env bash
# The audit's feed defects (issue 14, fixed in the one-engine feed of issue 13), one check each;
# every check failed on the feed before the fix:
#   #2  a NUL byte inside a record dropped the line after it (4 records, 3 answers)
#   #3  a truncated .gz exited 0 silently; a directory read as an empty input
#   #4  an unwritable standard output (/dev/full) exited 0, every answer lost
#   #5  -o /dev/stdout hung (the output was read back to its end first)
#   #6  an input ending inside a record answered the half line as invalid JSON, and --resume on
#       the whole input then skipped that record for ever
#   #7  a damaged byte in the middle of the log dropped every later entry as a "torn tail", exit 0
#   #8  --resume with another input skipped records it never saw
#   #12 a line over --max-record-bytes was held whole in memory
#   #15 --read-only on a read-only state directory failed opening its lock for writing
#   #16 a watched file whose name holds a newline was answered again on every restart
#   #17 a UTF-8 byte order mark made the first record invalid JSON
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cli_test_init feed_audit_test "$@"

SAMPLE=$ROOT/datasets/sample/articles.jsonl
[[ -f $SAMPLE ]] || die "no sample corpus at $SAMPLE"
head -n 10 "$SAMPLE" >"$tmp/ten.jsonl"
answers() { grep -vc '^{"merge":' "$1" || true; }
# feed <state> <args...>: runs the feed quietly, its exit code in $rc, stderr in $tmp/err.
feed() {
  local state=$1
  shift
  rc=0
  timeout 60 "$BIN" feed -q --state "$tmp/$state" "$@" 2>"$tmp/err" || rc=$?
}

# #2: a raw NUL inside a string is not valid JSON: that record is an error, the others answered.
"$PY" - "$tmp/nul.jsonl" <<'PYEOF'
import sys
recs = [b'{"id":"n1","title":"One","text":"first text of the file"}',
        b'{"id":"n2","title":"x\x00y","text":"second text of the file"}',
        b'{"id":"n3","title":"Three","text":"third text of the file"}',
        b'{"id":"n4","title":"Four","text":"fourth text of the file"}']
open(sys.argv[1], "wb").write(b"\n".join(recs) + b"\n")
PYEOF
feed s2 "$tmp/nul.jsonl" -o "$tmp/nul.out"
[[ $rc -eq 0 && $(answers "$tmp/nul.out") -eq 4 ]] ||
  fail "#2 NUL: exit $rc, $(answers "$tmp/nul.out") answers for 4 records"
grep -q '"id":"n3"' "$tmp/nul.out" || fail "#2 NUL: the record after the NUL was not answered"

# #3: a truncated gzip stream is Corruption (exit 3) after the records before the damage; a
# directory is no input.
gzip -c "$SAMPLE" >"$tmp/full.gz"
head -c $(($(stat -c %s "$tmp/full.gz") - 40)) "$tmp/full.gz" >"$tmp/cut.jsonl.gz"
feed s3 "$tmp/cut.jsonl.gz" -o "$tmp/cut.out"
[[ $rc -eq 3 ]] || fail "#3 truncated gzip: exit $rc, expected 3 ($(cat "$tmp/err"))"
[[ $(answers "$tmp/cut.out") -gt 40 ]] ||
  fail "#3 truncated gzip: only $(answers "$tmp/cut.out") answers before the damage"
mkdir "$tmp/adir"
feed s3b "$tmp/adir" -o "$tmp/dir.out"
[[ $rc -ne 0 ]] || fail "#3 a directory as input: exit 0"

# #4: answers that cannot be delivered are a failure.
rc=0
timeout 60 "$BIN" feed -q --state "$tmp/s4" "$SAMPLE" >/dev/full 2>"$tmp/err" || rc=$?
[[ $rc -eq 1 ]] || fail "#4 stdout /dev/full: exit $rc, expected 1"
grep -q "cannot write" "$tmp/err" || fail "#4 stdout /dev/full: no message: $(cat "$tmp/err")"

# #5: -o naming a pipe is written, not read back.
n=$( (timeout 60 "$BIN" feed -q --state "$tmp/s5" "$SAMPLE" -o /dev/stdout || echo "exit $?" >&2) |
  grep -vc '^{"merge":' || true)
[[ $n -eq 58 ]] || fail "#5 -o /dev/stdout | grep: $n answers, expected 58"
feed s5b "$SAMPLE" -o /dev/full
[[ $rc -eq 1 ]] || fail "#5 -o /dev/full: exit $rc, expected 1"

# #6: the input ends inside a record: not answered (exit 3); --resume on the whole input answers
# it properly.
{ head -n 3 "$SAMPLE"; sed -n 4p "$SAMPLE" | head -c 60; } >"$tmp/half.jsonl"
feed s6 "$tmp/half.jsonl" -o "$tmp/half.out"
[[ $rc -eq 3 && $(answers "$tmp/half.out") -eq 3 ]] ||
  fail "#6 half a record: exit $rc, $(answers "$tmp/half.out") answers (expected 3, exit 3)"
head -n 5 "$SAMPLE" >"$tmp/five.jsonl"
feed s6 --resume "$tmp/five.jsonl" -o "$tmp/half.out"
[[ $rc -eq 0 && $(answers "$tmp/half.out") -eq 5 ]] ||
  fail "#6 --resume: exit $rc, $(answers "$tmp/half.out") answers (expected 5)"
if grep -q '"error"' "$tmp/half.out"; then fail "#6: an error answer: $(grep '"error"' "$tmp/half.out")"; fi

# #7: a byte flipped in the middle of the log is Corruption naming the offset, not a torn tail.
feed s7 --snapshot-every 100000 "$SAMPLE" -o "$tmp/s7.out"
size=$(stat -c %s "$tmp/s7/log")
"$PY" - "$tmp/s7/log" <<'PYEOF'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[len(b) // 2] ^= 0x5A
open(sys.argv[1], "wb").write(bytes(b))
PYEOF
feed s7 "$SAMPLE" -o "$tmp/s7.out"
[[ $rc -eq 3 ]] || fail "#7 damaged log (size $size): exit $rc, expected 3"
grep -q "at byte" "$tmp/err" || fail "#7 damaged log: no offset in: $(cat "$tmp/err")"
[[ $(stat -c %s "$tmp/s7/log") -eq $size ]] || fail "#7 damaged log: the log was cut"

# #8: --resume with another input is refused (exit 2), not skipped through.
feed s8 "$tmp/ten.jsonl" -o "$tmp/s8.out"
tail -n 20 "$SAMPLE" >"$tmp/other.jsonl"
feed s8 --resume "$tmp/other.jsonl" -o "$tmp/s8.out"
[[ $rc -eq 2 ]] || fail "#8 --resume with another input: exit $rc, expected 2"
[[ $(answers "$tmp/s8.out") -eq 10 ]] || fail "#8: $(answers "$tmp/s8.out") answers, expected 10"
head -n 20 "$SAMPLE" >"$tmp/twenty.jsonl"
feed s8 --resume "$tmp/twenty.jsonl" -o "$tmp/s8.out"
[[ $rc -eq 0 && $(answers "$tmp/s8.out") -eq 20 ]] ||
  fail "#8 --resume with the same input continued: exit $rc, $(answers "$tmp/s8.out") answers"

# #12: a 64 MB line over --max-record-bytes (1 MiB) is answered "record too large" without being
# held: peak RSS within half the line's size of a run on three short records (a relative bound:
# sanitizer builds start far higher).
"$PY" - "$tmp/big.jsonl" <<'PYEOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"id":"a","title":"A","text":"short one"}\n')
    f.write('{"id":"big","title":"B","text":"' + "word " * (64 << 18) + '"}\n')
    f.write('{"id":"c","title":"C","text":"short two"}\n')
PYEOF
sed -n '1p;3p' "$tmp/big.jsonl" >"$tmp/small.jsonl"
/usr/bin/time -f '%M' -o "$tmp/rss0" "$BIN" feed -q --state "$tmp/s12small" \
  --max-record-bytes 1048576 "$tmp/small.jsonl" -o /dev/null 2>/dev/null || true
rc=0
/usr/bin/time -f '%M' -o "$tmp/rss" "$BIN" feed -q --state "$tmp/s12" --max-record-bytes 1048576 \
  "$tmp/big.jsonl" -o "$tmp/big.out" 2>"$tmp/err" || rc=$?
rss_kb=$(($(tail -n 1 "$tmp/rss") - $(tail -n 1 "$tmp/rss0")))
[[ $rc -eq 0 && $(answers "$tmp/big.out") -eq 3 ]] || fail "#12: exit $rc, $(answers "$tmp/big.out") answers"
grep -q '"id":null,"line":2,.*record too large' "$tmp/big.out" ||
  fail "#12: line 2 not answered as too large: $(sed -n 2p "$tmp/big.out" | head -c 300)"
[[ $rss_kb -lt 32768 ]] ||
  fail "#12: peak RSS $rss_kb KiB above a short input's for a 64 MB line (held whole?)"

# #15: --read-only on a read-only state directory (run as an unprivileged user: root reads and
# writes any file).
feed s15 "$tmp/ten.jsonl" -o "$tmp/s15.out"
# The binary is copied beside the state: the build tree may not be reachable by that user.
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
if command -v setpriv >/dev/null && [[ $(id -u) -eq 0 ]]; then
  cp "$BIN" "$tmp/samestory_copy"
  cp "$tmp/ten.jsonl" "$tmp/ro_in.jsonl"
  chmod -R a+rX "$tmp" && chmod a-w "$tmp/s15" "$tmp/s15"/*
  if ! as_nobody "$tmp/samestory_copy" --version >/dev/null 2>&1; then
    echo "feed_audit_test: #15 skipped: the binary cannot run as user 65534 here" >&2
  else
    rc=0
    as_nobody timeout 60 "$tmp/samestory_copy" feed -q --state "$tmp/s15" --read-only \
      "$tmp/ro_in.jsonl" >"$tmp/ro.out" 2>"$tmp/err" || rc=$?
    [[ $rc -eq 0 && $(answers "$tmp/ro.out") -eq 10 ]] ||
      fail "#15 --read-only on a read-only state: exit $rc ($(cat "$tmp/err"))"
  fi
  chmod -R u+w "$tmp/s15"
elif [[ $(id -u) -ne 0 ]]; then
  chmod a-w "$tmp/s15" "$tmp/s15"/*
  feed s15 --read-only "$tmp/ten.jsonl" -o "$tmp/ro.out"
  [[ $rc -eq 0 ]] || fail "#15 --read-only on a read-only state: exit $rc ($(cat "$tmp/err"))"
  chmod -R u+w "$tmp/s15"
else
  echo "feed_audit_test: #15 skipped: running as root without setpriv" >&2
fi

# #16: a watched file named with a newline is answered once, whatever the restarts.
mkdir "$tmp/w"
cp "$tmp/ten.jsonl" "$tmp/w/$(printf 'a\nb.jsonl')"
for run in 1 2; do
  feed s16 --watch "$tmp/w" --idle-exit 0.3 --poll-seconds 0.1 -o "$tmp/w.out"
  [[ $rc -eq 0 ]] || fail "#16 run $run: exit $rc ($(cat "$tmp/err"))"
done
[[ $(answers "$tmp/w.out") -eq 10 ]] ||
  fail "#16 a newline in a watched name: $(answers "$tmp/w.out") answers after two runs, expected 10"

# #17: a byte order mark before the first record.
{ printf '\xef\xbb\xbf'; cat "$tmp/ten.jsonl"; } >"$tmp/bom.jsonl"
feed s17 "$tmp/bom.jsonl" -o "$tmp/bom.out"
if [[ $rc -ne 0 ]] || grep -q '"error"' "$tmp/bom.out"; then
  fail "#17 BOM: exit $rc, $(head -n 1 "$tmp/bom.out" | head -c 200)"
fi

cli_test_finish
