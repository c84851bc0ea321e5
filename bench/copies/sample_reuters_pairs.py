#!/usr/bin/python3
"""Draws the stratified sample of Reuters-21578 article pairs labeled in reuters_pairs.tsv.

    /usr/bin/python3 bench/copies/sample_reuters_pairs.py \
        ../shared/datasets/reuters21578/reuters21578.jsonl.gz -o /tmp/sample.tsv [--check bench/copies/reuters_pairs.tsv]

1. Pool: every pair of articles with J5 >= 0.3, or C3 >= 0.5, or CJ5 >= 0.5, or (identical
   normalised title and C3 >= 0.2) (measures in pairlib.py). All are computed exactly: sparse
   products of the article x shingle matrices, 500 rows at a time, give every pair's intersection
   (no shingle is capped, so short templated notices are in). About 1.5 min on 2 cores.
2. Strata: similarity bin x shorter-body length bin x date-gap bin (SIM, LEN, GAP below).
3. Sample: round-robin over the strata in a fixed order; in each round each stratum takes its
   next pair (random order, --seed) that keeps every template family under --family-cap pairs
   and every article under --article-cap pairs; the X strata take part in every other round
   only. Stops at --size pairs. weight = pool pairs of the stratum / sampled pairs of the stratum.
4. Writes id_a id_b stratum weight family j5 c3 cj5 tj gap_h min_len (id_a < id_b by NEWID),
   and prints the pool and sample counts per stratum and the largest families to stderr.
--check FILE: exits 1 unless FILE (the labeled TSV) has exactly these pairs, strata and weights.
Debian python3 with numpy and scipy. Prints no article text except family keys (masked).
"""
import argparse
import collections
import os
import random
import re
import sys
import time

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pairlib  # noqa: E402

SIM = ["J90", "J80", "J50", "J30", "C50", "X"]  # J5 bins, then J5 < 0.3 by C3 >= 0.5 or not
LEN = ["S", "M", "L"]  # shorter body < 25 words, 25-80, > 80
GAP = ["G1", "G3", "G9"]  # date gap <= 24 h, 24-72 h, > 72 h (or unknown)


def sim_bin(f):
    j = f["j5"]
    if j >= 0.9:
        return "J90"
    if j >= 0.8:
        return "J80"
    if j >= 0.5:
        return "J50"
    if j >= 0.3:
        return "J30"
    return "C50" if f["c3"] >= 0.5 else "X"


def len_bin(f):
    m = f["min_len"]
    return "S" if m < 25 else ("M" if m <= 80 else "L")


def gap_bin(f):
    g = f["gap_h"]
    if g is None or g > 72:
        return "G9"
    return "G1" if g <= 24 else "G3"


def stratum(f):
    return "/".join((sim_bin(f), len_bin(f), gap_bin(f)))


RAW = re.compile(r"[A-Za-z0-9]+")
NUMBER_WORDS = set(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand half quarter".split())


def family_key(doc, n=8):
    """The first n words of the body (title when empty): words with a digit and number words become
    '#' (a run of them one '#'); capitalised words become 'C' unless the text is all upper case
    (BRIEF titles), lower-cased otherwise. Masks the company, figures and dates of a template."""
    body = doc["text"] or doc["title"]
    all_caps = body.upper() == body
    out = []
    for w in RAW.findall(body):
        if any(ch.isdigit() for ch in w) or w.lower() in NUMBER_WORDS:
            t = "#"
        elif not all_caps and w[0].isupper():
            t = "C"
        else:
            t = w.lower()
        if t == "#" and out and out[-1] == "#":
            continue
        out.append(t)
        if len(out) == n:
            break
    return " ".join(out)


def pair_family(a, b):
    shorter = a if (len(a["toks"]), pairlib.newid(a["id"])) <= (len(b["toks"]), pairlib.newid(b["id"])) else b
    return family_key(shorter)


def close_pairs(ids, docs, grams, keep, block=500):
    """Index pairs (i < j) whose intersection I of gram sets passes keep(I, |A|, |B|)."""
    vocab, rows, cols = {}, [], []
    for d, i in enumerate(ids):
        for g in grams(docs[i]["toks"]):
            cols.append(vocab.setdefault(g, len(vocab)))
            rows.append(d)
    n = len(ids)
    m = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(n, len(vocab)))
    sizes = np.diff(m.indptr).astype(np.float64)
    mt = m.T.tocsr()
    out = set()
    for b0 in range(0, n, block):
        p = (m[b0:b0 + block] @ mt).tocoo()
        r, c, inter = p.row + b0, p.col, p.data.astype(np.float64)
        k = c > r
        r, c, inter = r[k], c[k], inter[k]
        k = keep(inter, sizes[r], sizes[c])
        out.update(zip(r[k].tolist(), c[k].tolist()))
    return out


def build_pool(docs, log):
    ids = sorted(docs, key=pairlib.newid)
    t0 = time.time()
    cand = close_pairs(ids, docs, lambda t: pairlib.word_shingles(t, 3),
                       lambda i, a, b: i / np.minimum(a, b) >= 0.2)
    log("candidates C3 >= 0.2: %d (%.0f s)" % (len(cand), time.time() - t0))
    cand |= close_pairs(ids, docs, lambda t: pairlib.word_shingles(t, 5),
                        lambda i, a, b: i / (a + b - i) >= 0.3)
    log("+ J5 >= 0.3: %d (%.0f s)" % (len(cand), time.time() - t0))
    cand |= close_pairs(ids, docs, pairlib.char_grams, lambda i, a, b: i / (a + b - i) >= 0.5)
    log("+ CJ5 >= 0.5: %d (%.0f s)" % (len(cand), time.time() - t0))
    pool = []
    for i, j in sorted(cand):
        a, b = docs[ids[i]], docs[ids[j]]
        f = pairlib.pair_features(a, b)
        if (f["j5"] >= 0.3 or f["c3"] >= 0.5 or f["cj5"] >= 0.5
                or (f["same_title"] and f["c3"] >= 0.2)):
            f.update(a=a["id"], b=b["id"], stratum=stratum(f), family=pair_family(a, b))
            pool.append(f)
    log("pool: %d pairs (%.0f s)" % (len(pool), time.time() - t0))
    return pool


def draw(pool, size, seed, family_cap, article_cap):
    rng = random.Random(seed)
    cells = collections.defaultdict(list)
    for f in pool:
        cells[f["stratum"]].append(f)
    order = ["/".join((s, l, g)) for s in SIM for l in LEN for g in GAP if "/".join((s, l, g)) in cells]
    queues = {}
    for c in order:
        q = sorted(cells[c], key=lambda f: (pairlib.newid(f["a"]), pairlib.newid(f["b"])))
        rng.shuffle(q)
        queues[c] = q
    fam, art, taken = collections.Counter(), collections.Counter(), collections.Counter()
    sample, rnd = [], 0
    while len(sample) < size and any(queues.values()):
        rnd += 1
        for c in order:
            if len(sample) == size:
                break
            if c.startswith("X/") and rnd % 2:
                continue
            q = queues[c]
            while q:
                f = q.pop(0)
                if fam[f["family"]] < family_cap and art[f["a"]] < article_cap and art[f["b"]] < article_cap:
                    fam[f["family"]] += 1
                    art[f["a"]] += 1
                    art[f["b"]] += 1
                    taken[c] += 1
                    sample.append(f)
                    break
    for f in sample:
        f["weight"] = len(cells[f["stratum"]]) / taken[f["stratum"]]
    sample.sort(key=lambda f: (pairlib.newid(f["a"]), pairlib.newid(f["b"])))
    return sample, cells, taken, fam


def fmt(f):
    gap = "" if f["gap_h"] is None else "%.2f" % f["gap_h"]
    return "\t".join([f["a"], f["b"], f["stratum"], "%.4f" % f["weight"], f["family"],
                      "%.4f" % f["j5"], "%.4f" % f["c3"], "%.4f" % f["cj5"], "%.4f" % f["tj"],
                      gap, str(f["min_len"])])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--size", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1987)
    ap.add_argument("--family-cap", type=int, default=40)
    ap.add_argument("--article-cap", type=int, default=3)
    ap.add_argument("--check", help="labeled TSV whose pairs, strata and weights must match")
    args = ap.parse_args()

    def log(s):
        print(s, file=sys.stderr)

    docs = pairlib.load_corpus(args.corpus)
    pool = build_pool(docs, log)
    sample, cells, taken, fam = draw(pool, args.size, args.seed, args.family_cap, args.article_cap)
    with open(args.out, "w") as out:
        out.write("id_a\tid_b\tstratum\tweight\tfamily\tj5\tc3\tcj5\ttj\tgap_h\tmin_len\n")
        for f in sample:
            out.write(fmt(f) + "\n")
    log("stratum\tpool\tsampled")
    for c in sorted(cells, key=lambda c: (SIM.index(c.split("/")[0]), c)):
        log("%s\t%d\t%d" % (c, len(cells[c]), taken[c]))
    log("sample: %d pairs, %d families" % (len(sample), len(fam)))
    pool_fam = collections.Counter(f["family"] for f in pool)
    log("family\tpool\tsampled")
    for k, v in fam.most_common(15):
        log("%s\t%d\t%d" % (k, pool_fam[k], v))
    if args.check:
        want = {(f["a"], f["b"]): (f["stratum"], "%.4f" % f["weight"]) for f in sample}
        got = {}
        with open(args.check) as f:
            header = f.readline().rstrip("\n").split("\t")
            ia, ib, ist, iw = (header.index(k) for k in ("id_a", "id_b", "stratum", "weight"))
            for line in f:
                r = line.rstrip("\n").split("\t")
                got[(r[ia], r[ib])] = (r[ist], r[iw])
        if got != want:
            log("check: %s differs from the sample (%d vs %d pairs, %d in common)"
                % (args.check, len(got), len(want), len(set(got) & set(want))))
            sys.exit(1)
        log("check: %s has the same %d pairs, strata and weights" % (args.check, len(want)))


if __name__ == "__main__":
    main()
