#!/usr/bin/python3
"""The plain-Python MinHash-LSH near-duplicate finder a user would write instead of samestory.

It is the benchmark peer of `samestory dedup`: same input, same output format, and the same
algorithm as the usual datasketch recipe (MinHash + MinHashLSH + "every candidate is a duplicate"),
written out with numpy only so it runs on Debian's python3 + python3-numpy (no pip, no datasketch,
no scipy).

  text     `text`, or `title` when `text` is empty; lowercased; tokens = re.findall(r"\\w+") (Unicode)
  shingles word 5-shingles, the tokens joined by one space, as a set; a document with fewer than
           5 tokens has none and is reported unique with "short": true
  hash     sha1 of the UTF-8 shingle, first 4 bytes little-endian (datasketch's sha1_hash32)
  minhash  num_perm permutations h = ((a*x + b) mod (2^61-1)) & (2^32-1) in numpy uint64 (a*x wraps
           mod 2^64 exactly as in datasketch MinHash.update_batch); (a, b) drawn alternately from
           numpy RandomState(1): a in [1, 2^61-1), b in [0, 2^61-1)  (datasketch's seed=1)
  lsh      (b, r) chosen by datasketch's _optimal_param(threshold, num_perm, 0.5, 0.5) with its
           scipy-free midpoint integration (step 0.001); band i = hash values [i*r, (i+1)*r)
  groups   union-find over every pair that shares a band bucket, with no verification
  output   one JSON line per input line, input order:
           {"id", "dup": earliest input-order member of the group (own id when unique),
            "dup_score": estimated Jaccard (share of equal hash values) with "dup"; for the
            representative the highest one over its group; 0.0 when unique}
           plus "short": true, or "error" (with "id" and "dup" null when unusable).

usage: minhash_lsh_peer.py INPUT.jsonl[.gz] [-o OUT.jsonl] [--threshold 0.8] [--num-perm 128]
Timings and counts go to stderr.
"""
import argparse
import hashlib
import json
import re
import struct
import sys
import time

import numpy as np
from peer_io import read_records  # noqa: E402

MERSENNE_PRIME = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)
SHINGLE = 5
SEED = 1
TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def sha1_hash32(data):
    return struct.unpack("<I", hashlib.sha1(data).digest()[:4])[0]


def permutations(num_perm, seed=SEED):
    """(2, num_perm) uint64: row 0 = a, row 1 = b, drawn like datasketch MinHash._init_permutations."""
    gen = np.random.RandomState(seed)
    return np.array(
        [(gen.randint(1, MERSENNE_PRIME, dtype=np.uint64),
          gen.randint(0, MERSENNE_PRIME, dtype=np.uint64)) for _ in range(num_perm)],
        dtype=np.uint64).T


def _midpoints(lo, hi, step=0.001):
    # The x sequence of datasketch's scipy-free _integration: x = lo; while x < hi: ...; x += step.
    xs = []
    x = lo
    while x < hi:
        xs.append(x + 0.5 * step)
        x += step
    return np.array(xs, dtype=np.float64)


def optimal_param(threshold, num_perm, fp_weight=0.5, fn_weight=0.5, step=0.001):
    """datasketch lsh._optimal_param: the (b, r) with b*r <= num_perm minimising the weighted areas
    of false positives (integral of 1-(1-s^r)^b over [0, t]) and false negatives (integral of
    (1-s^r)^b over [t, 1]), integrated with the midpoint rule (cumsum keeps the sequential sum)."""
    lo = _midpoints(0.0, threshold, step)
    hi = _midpoints(threshold, 1.0, step)
    best, opt = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = np.cumsum((1.0 - (1.0 - lo ** float(r)) ** float(b)) * step)[-1] if lo.size else 0.0
            fn = np.cumsum((1.0 - (1.0 - (1.0 - hi ** float(r)) ** float(b))) * step)[-1] \
                if hi.size else 0.0
            err = fp * fp_weight + fn * fn_weight
            if err < best:
                best, opt = err, (b, r)
    return opt


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input")
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--num-perm", type=int, default=128)
    args = ap.parse_args()
    if not 0.0 < args.threshold <= 1.0:
        ap.error("--threshold must be in (0, 1]")
    if args.num_perm < 1:
        ap.error("--num-perm must be >= 1")

    t0 = time.perf_counter()
    bands, rows = optimal_param(args.threshold, args.num_perm)
    a, b = permutations(args.num_perm)
    t_param = time.perf_counter()

    # Read, shingle, MinHash: one signature row per fingerprinted document.
    ids, errors, short = [], [], []
    sig_of = []          # document index -> signature row, or -1
    sigs = []
    n_shingles = 0
    for doc_id, text, err in read_records(args.input, "id", body_or_title=True):
        ids.append(doc_id)
        errors.append(err)
        if err is not None:
            short.append(False)
            sig_of.append(-1)
            continue
        tokens = TOKEN_RE.findall(text.lower())
        if len(tokens) < SHINGLE:
            short.append(True)
            sig_of.append(-1)
            continue
        short.append(False)
        shingles = {" ".join(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}
        n_shingles += len(shingles)
        # datasketch MinHash.update_batch: (n, 1) * (num_perm,) -> (n, num_perm), min over n.
        hv = np.array([sha1_hash32(s.encode("utf-8")) for s in shingles], dtype=np.uint64, ndmin=2).T
        phv = (hv * a + b) % MERSENNE_PRIME & MAX_HASH
        sig_of.append(len(sigs))
        sigs.append(phv.min(axis=0))
    n = len(ids)
    sig = np.vstack(sigs) if sigs else np.zeros((0, args.num_perm), dtype=np.uint64)
    docs_of_row = [i for i in range(n) if sig_of[i] >= 0]
    t_minhash = time.perf_counter()

    # LSH: one dict per band, key = the band's r hash values as bytes.
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x, y):
        rx, ry = find(x), find(y)
        if rx != ry:
            if rx < ry:
                parent[ry] = rx  # the root is always the earliest input-order member
            else:
                parent[rx] = ry

    n_buckets_shared = 0
    width = rows * 8
    for band in range(bands):
        table = {}
        blob = np.ascontiguousarray(sig[:, band * rows:(band + 1) * rows]).tobytes()
        for k, doc in enumerate(docs_of_row):
            table.setdefault(blob[k * width:(k + 1) * width], []).append(doc)
        for members in table.values():
            if len(members) > 1:
                n_buckets_shared += 1
                first = members[0]
                for other in members[1:]:
                    union(first, other)
    t_lsh = time.perf_counter()

    # Groups, representatives and scores.
    root = [find(i) for i in range(n)]
    size = {}
    for r_ in root:
        size[r_] = size.get(r_, 0) + 1
    score = [0.0] * n
    for i in range(n):
        r_ = root[i]
        if r_ != i:
            est = float(np.count_nonzero(sig[sig_of[i]] == sig[sig_of[r_]])) / args.num_perm
            score[i] = est
            if est > score[r_]:
                score[r_] = est
    groups = sum(1 for r_, s in size.items() if s > 1)
    in_groups = sum(s for s in size.values() if s > 1)
    largest = max([s for s in size.values()] or [0])

    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    try:
        for i in range(n):
            if errors[i] is not None:
                rec = {"id": ids[i], "dup": None, "dup_score": 0.0, "error": errors[i]}
            else:
                rec = {"id": ids[i], "dup": ids[root[i]], "dup_score": round(score[i], 4)}
                if short[i]:
                    rec["short"] = True
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    t_end = time.perf_counter()

    print("minhash_lsh_peer: %d docs (%d fingerprinted, %d short, %d errors), %d distinct "
          "shingles summed over docs" % (n, len(docs_of_row), sum(short),
                                        sum(e is not None for e in errors), n_shingles),
          file=sys.stderr)
    print("minhash_lsh_peer: threshold %.3g num_perm %d -> b=%d bands x r=%d rows (%d hash values "
          "used), %d shared buckets" % (args.threshold, args.num_perm, bands, rows, bands * rows,
                                        n_buckets_shared), file=sys.stderr)
    print("minhash_lsh_peer: %d groups, %d docs in groups, largest %d" % (groups, in_groups, largest),
          file=sys.stderr)
    print("minhash_lsh_peer: seconds: params %.3f  read+shingle+minhash %.3f  lsh+union-find %.3f  "
          "groups+write %.3f  total %.3f" % (t_param - t0, t_minhash - t_param, t_lsh - t_minhash,
                                             t_end - t_lsh, t_end - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
