#!/usr/bin/python3
"""The datasketch near-duplicate recipe, run on a samestory input: the real datasketch library
(MinHash + MinHashLSH), imported from a source checkout, never vendored into this repository.

  usage: datasketch_peer.py --datasketch DIR INPUT.jsonl[.gz] [-o OUT.jsonl] [--threshold 0.8]
                            [--num-perm 128] [--sweep 0.3,0.5,... --sweep-dir DIR]

  --datasketch DIR  the directory that holds the `datasketch` package (e.g. a `git archive HEAD
                    datasketch` of github.com/ekzhu/datasketch extracted into DIR); it needs numpy
                    and scipy (Debian python3-numpy, python3-scipy)
  text      `text` (or `body`, `content`), the title when there is none, as samestory fingerprints
            it; lowercased; tokens = re.findall(r"\\w+") (Unicode)
  shingles  word 5-shingles, the tokens joined by one space, UTF-8, as a set; a text of fewer than
            5 tokens has none: it is reported on its own with "short": true (an empty MinHash would
            collide with every other empty one)
  minhash   datasketch.MinHash(num_perm=128) (its defaults: seed 1, sha1_hash32), built with
            MinHash.generator (one permutation set for all documents) and update_batch
  lsh       datasketch.MinHashLSH(threshold, num_perm): (b, r) from its own _optimal_param (scipy
            quad, equal false-positive and false-negative weights); every document inserted, then
            queried; every candidate returned is taken as a duplicate (no verification), as in the
            recipe; groups = union-find over query results
  output    one JSON line per input line, input order: {"id", "dup": the earliest input-order
            member of its group (its own id when alone), "dup_score": MinHash.jaccard with "dup"
            (1.0 when alone)}, plus "short": true, or "error" (then "dup" is null)
  --sweep   MinHashes are computed once; one LSH index per listed threshold; each output goes to
            SWEEP_DIR/dup_<threshold>.jsonl (e.g. dup_0.8.jsonl), and -o/--threshold are ignored

Timings, (b, r) and counts go to stderr.
"""
import argparse
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_io import parse_sweep, read_records  # noqa: E402

SHINGLE = 5
TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def log(msg):
    print("datasketch_peer: " + msg, file=sys.stderr)


def shingles_of(text):
    tokens = TOKEN_RE.findall(text.lower())
    if len(tokens) < SHINGLE:
        return None
    return {" ".join(tokens[i:i + SHINGLE]).encode("utf-8")
            for i in range(len(tokens) - SHINGLE + 1)}


def group(lsh_cls, threshold, num_perm, minhash_of, n):
    """(root per document, (b, r), seconds): insert every MinHash, query every one, union-find."""
    t0 = time.perf_counter()
    lsh = lsh_cls(threshold=threshold, num_perm=num_perm)
    t_param = time.perf_counter() - t0
    with lsh.insertion_session() as session:
        for i, m in minhash_of.items():
            session.insert(i, m, check_duplication=False)
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, m in minhash_of.items():
        for j in lsh.query(m):
            ri, rj = find(i), find(j)
            if ri != rj:  # the root is always the earliest input-order member
                if ri < rj:
                    parent[rj] = ri
                else:
                    parent[ri] = rj
    return [find(i) for i in range(n)], (lsh.b, lsh.r), t_param, time.perf_counter() - t0


def write(path, records, root, minhash_of, short):
    lines = []
    for i, (doc_id, _, err) in enumerate(records):
        if err is not None:
            lines.append({"id": doc_id, "dup": None, "dup_score": None, "error": err})
            continue
        r = root[i]
        score = 1.0 if r == i else minhash_of[i].jaccard(minhash_of[r])
        rec = {"id": doc_id, "dup": records[r][0], "dup_score": round(float(score), 4)}
        if i in short:
            rec["short"] = True
        lines.append(rec)
    data = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)
    if path == "-":
        sys.stdout.write(data)
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input")
    ap.add_argument("--datasketch", required=True, metavar="DIR",
                    help="directory holding the datasketch package")
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--sweep", default="", help="comma-separated thresholds")
    ap.add_argument("--sweep-dir", default="")
    args = ap.parse_args()
    sweep = parse_sweep(ap, args)
    for t in sweep or [args.threshold]:
        if not 0.0 < t <= 1.0:
            ap.error("thresholds must be in (0, 1]")

    if not os.path.isfile(os.path.join(args.datasketch, "datasketch", "__init__.py")):
        ap.error("--datasketch %s: no datasketch/__init__.py there" % args.datasketch)
    sys.path.insert(0, os.path.abspath(args.datasketch))
    from datasketch import MinHash, MinHashLSH  # noqa: E402

    t0 = time.perf_counter()
    records = read_records(args.input, "id", body_or_title=True)
    n = len(records)
    idx, short = [], set()

    def shingle_sets():  # one set at a time: a text and its shingles are dropped once hashed
        for i, (doc_id, text, err) in enumerate(records):
            if err is not None:
                continue
            records[i] = (doc_id, None, None)
            s = shingles_of(text)
            if s is None:
                short.add(i)
                continue
            idx.append(i)
            yield s

    minhashes = list(MinHash.generator(shingle_sets(), num_perm=args.num_perm))
    minhash_of = dict(zip(idx, minhashes))
    t_minhash = time.perf_counter()
    log("%d records (%d with shingles, %d short, %d errors); read+shingle+MinHash %.2f s"
        % (n, len(idx), len(short), sum(r[2] is not None for r in records), t_minhash - t0))

    for t in sweep or [args.threshold]:
        root, (b, r), t_param, t_lsh = group(MinHashLSH, t, args.num_perm, minhash_of, n)
        out = os.path.join(args.sweep_dir, "dup_%g.jsonl" % t) if sweep else args.output
        write(out, records, root, minhash_of, short)
        sizes = {}
        for x in root:
            sizes[x] = sizes.get(x, 0) + 1
        log("threshold %g: b=%d bands x r=%d rows (_optimal_param %.2f s), LSH+union-find %.2f s, "
            "%d groups holding %d articles" % (t, b, r, t_param, t_lsh,
                                                 sum(1 for v in sizes.values() if v > 1),
                                                 sum(v for v in sizes.values() if v > 1)))
    log("total %.2f s" % (time.perf_counter() - t0))


if __name__ == "__main__":
    main()
