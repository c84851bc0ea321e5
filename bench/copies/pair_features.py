#!/usr/bin/python3
"""Prints the similarity measures of every pair in a labeled pair TSV, to study rules.

    /usr/bin/python3 bench/copies/pair_features.py bench/copies/reuters_pairs.tsv \
        ../shared/datasets/reuters21578/reuters21578.jsonl.gz > features.tsv

Output, tab-separated, one line per pair, the TSV's order: id_a id_b label stratum weight
j5 c3 cj5 tj same_title gap_h min_len max_len (measures as defined in pairlib.py; gap_h empty
when a date is missing). Standard library only; prints no article text.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pairlib  # noqa: E402

COLUMNS = ["id_a", "id_b", "label", "stratum", "weight", "j5", "c3", "cj5", "tj", "same_title",
           "gap_h", "min_len", "max_len"]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    pairs_path, corpus_path = sys.argv[1], sys.argv[2]
    docs = pairlib.load_corpus(corpus_path)
    print("\t".join(COLUMNS))
    with open(pairs_path) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            a, b = docs[row["id_a"]], docs[row["id_b"]]
            m = pairlib.pair_features(a, b)
            gap = "" if m["gap_h"] is None else "%.2f" % m["gap_h"]
            print("\t".join([row["id_a"], row["id_b"], row.get("label", ""), row.get("stratum", ""),
                             row.get("weight", ""), "%.4f" % m["j5"], "%.4f" % m["c3"],
                             "%.4f" % m["cj5"], "%.4f" % m["tj"], str(int(m["same_title"])), gap,
                             str(m["min_len"]), str(m["max_len"])]))


if __name__ == "__main__":
    main()
