#!/usr/bin/env bash
# Regenerates the binary seed corpora of fuzz_tfidf_model and fuzz_feed_state (the text corpora of
# the other targets are written by hand). Run it after a change to the model or feed state format:
#   bash tests/fuzz/make_seeds.sh [SAMESTORY_CLI] [FUZZ_FEED_STATE]
# defaults build/release/tools/samestory/samestory and build/fuzz/fuzz/fuzz_feed_state. It replaces
# the generated files (model_*, state_*) and leaves any other file (crash-*, regressions) alone.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cli=${1:-$root/build/release/tools/samestory/samestory}
feed_fuzzer=${2:-$root/build/fuzz/fuzz/fuzz_feed_state}
models=$root/tests/fuzz/corpus/tfidf_model
states=$root/tests/fuzz/corpus/feed_state
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$models" "$states"

# Made-up articles for the models: two stories and some unrelated news, English and French.
cat > "$work/articles.jsonl" <<'EOF'
{"id":"m1","date":"2030-02-11","lang":"en","title":"Old paper mill to become library","text":"The town council of Brennock voted on Monday to turn the empty paper mill by the river into a public library and workshop space, at a cost of 12 million."}
{"id":"m2","date":"2030-02-11","lang":"en","title":"Paper mill will house new library","text":"Brennock's disused paper mill will be converted into a library, the council decided on Monday evening after a long debate about the cost."}
{"id":"m3","date":"2030-02-12","lang":"en","title":"Library plan splits Brennock residents","text":"Residents of Brennock are divided over the library planned in the old paper mill; shop owners welcome it, while others fear higher local taxes."}
{"id":"v1","date":"2030-02-12","lang":"fr","title":"Le vélo en libre-service arrive à Castelmont","text":"L'agglomération de Castelmont lancera en avril un réseau de quatre cents vélos électriques, a annoncé jeudi l’adjoint aux transports."}
{"id":"v2","date":"2030-02-13","lang":"fr","title":"Castelmont : quatre cents vélos électriques en avril","text":"Quatre cents vélos électriques seront proposés en libre-service à Castelmont dès avril, selon l’adjoint aux transports."}
{"id":"c1","date":"2030-02-14","lang":"en","title":"Teenager wins national chess title","text":"A sixteen year old from Oster won the national chess championship on Sunday after a rapid tiebreak against the defending champion."}
{"id":"f1","date":"2030-02-14","lang":"en","title":"Late frost ruins cherry blossom","text":"Growers in the Varden valley say a frost on Wednesday night destroyed most of the cherry blossom."}
EOF

# out NAME PREFIX_BYTE FILE: writes PREFIX_BYTE then FILE's bytes to NAME.
out() { { printf "\\x$2"; cat "$3"; } > "$1"; }

# ---- fuzz_tfidf_model: byte 0 is 00 (the file as is) or 01 (the payload; the harness adds the header)
rm -f "$models"/model_*
"$cli" cluster "$work/articles.jsonl" -o /dev/null --save-model "$work/default.model" 2> /dev/null
"$cli" cluster "$work/articles.jsonl" -o /dev/null --no-stemming --title-weight 1 --min-df 2 \
  --save-model "$work/nostem.model" 2> /dev/null
header=24  # magic 8, version 4, CRC-32 4, payload size 8
m=$work/default.model
tail -c +$((header + 1)) "$m" > "$work/payload"
size=$(stat -c %s "$work/payload")
out "$models/model_default" 00 "$m"
out "$models/model_nostem" 00 "$work/nostem.model"
out "$models/model_payload" 01 "$work/payload"
tail -c +$((header + 1)) "$work/nostem.model" > "$work/payload_nostem"
out "$models/model_payload_nostem" 01 "$work/payload_nostem"
head -c $((header + size / 2)) "$m" > "$work/cut" && out "$models/model_truncated" 00 "$work/cut"
head -c $header "$m" > "$work/cut" && out "$models/model_header_only" 00 "$work/cut"
head -c $((size - 5)) "$work/payload" > "$work/cut" && out "$models/model_payload_cut" 01 "$work/cut"
{ cat "$work/payload"; printf 'xx'; } > "$work/cut" && out "$models/model_payload_trailing" 01 "$work/cut"
# Version 2 (unknown), and a payload byte flipped under the old checksum.
python3 - "$m" "$work" <<'EOF'
import sys
m, work = sys.argv[1], sys.argv[2]
b = bytearray(open(m, 'rb').read())
v = bytearray(b); v[8] = 2
open(work + '/version2', 'wb').write(v)
c = bytearray(b); c[40] ^= 0x20
open(work + '/badcrc', 'wb').write(c)
p = bytearray(b[24:])
note = int.from_bytes(p[0:4], 'little')
terms_at = 4 + note + 4 + 8 + 8 + 4 + 8 + 4 + 4 + 4 + 8
z = bytearray(p[:terms_at + 8]); z[terms_at:terms_at + 8] = bytes(8)
open(work + '/zero_terms', 'wb').write(z)
s = bytearray(p)
t0 = terms_at + 8
if len(s) >= t0 + 24:
    s[t0:t0 + 12], s[t0 + 12:t0 + 24] = s[t0 + 12:t0 + 24], s[t0:t0 + 12]
open(work + '/unsorted', 'wb').write(s)
EOF
out "$models/model_version2" 00 "$work/version2"
out "$models/model_bad_crc" 00 "$work/badcrc"
out "$models/model_payload_zero_terms" 01 "$work/zero_terms"
out "$models/model_payload_unsorted" 01 "$work/unsorted"
printf 'not a model\n' > "$work/text" && out "$models/model_not_a_model" 00 "$work/text"

# ---- fuzz_feed_state: byte 0 bit 0 = log (0) or snapshot (1), bit 1 = repair the framing
rm -f "$states"/state_*
printf '\x00' > "$work/one"
SAMESTORY_FUZZ_DUMP_STATE=$work/state "$feed_fuzzer" "$work/one" > /dev/null 2>&1
log=$work/state/log
snap=$work/state/snapshot
out "$states/state_log" 02 "$log"
out "$states/state_log_raw" 00 "$log"
python3 - "$log" "$snap" "$work" <<'EOF'
import struct, sys
log, snap, work = sys.argv[1:4]
b = open(log, 'rb').read()
entries, pos = [], 0
while len(b) - pos >= 12:
    n = struct.unpack_from('<I', b, pos + 4)[0]
    entries.append(b[pos:pos + 12 + n]); pos += 12 + n
open(work + '/log_first', 'wb').write(entries[0])
open(work + '/log_torn', 'wb').write(b[:len(b) - len(entries[-1]) // 2])
open(work + '/log_reordered', 'wb').write(entries[1] + entries[0] + b''.join(entries[2:]))
e = bytearray(entries[-1]); e[-3] ^= 0x01  # a byte of the logged decision
open(work + '/log_other_decision', 'wb').write(b''.join(entries[:-1]) + bytes(e))
open(work + '/log_garbage_tail', 'wb').write(b + b'garbage after the last entry')
s = open(snap, 'rb').read()
open(work + '/snap_cut', 'wb').write(s[:len(s) // 2] + s[-4:])
open(work + '/snap_header', 'wb').write(s[:8 + 8 + 8] + bytes(4))
c = bytearray(s); c[len(s) // 3] ^= 0x40
open(work + '/snap_bad_crc', 'wb').write(c)
EOF
out "$states/state_log_first_entry" 02 "$work/log_first"
out "$states/state_log_torn" 02 "$work/log_torn"
out "$states/state_log_reordered" 02 "$work/log_reordered"
out "$states/state_log_other_decision" 02 "$work/log_other_decision"
out "$states/state_log_garbage_tail" 00 "$work/log_garbage_tail"
: > "$work/empty" && out "$states/state_log_empty" 00 "$work/empty"
out "$states/state_snapshot" 03 "$snap"
out "$states/state_snapshot_raw" 01 "$snap"
out "$states/state_snapshot_cut" 03 "$work/snap_cut"
out "$states/state_snapshot_header" 03 "$work/snap_header"
out "$states/state_snapshot_bad_crc" 01 "$work/snap_bad_crc"
ls -l "$models" "$states"
