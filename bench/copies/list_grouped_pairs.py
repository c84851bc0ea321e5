#!/usr/bin/python3
"""List every pair of members of each `samestory dedup` group, with the judged verdict when the
pair was judged directly (from --pairs), and the gold event of each member.

  list_grouped_pairs.py DATASET.jsonl[.gz] DEDUP_OUT.jsonl PAIRS.tsv [--id-field F] [--name-field F]
                        [--gold-field F]

Prints a TSV: group, id_a, id_b, name_a, name_b, gold_a, gold_b, judged, verdict, containment,
resemblance, len_a, len_b (words). Ids inside a pair follow input order. Standard library only;
prints no article text.
"""
import argparse
import collections
import gzip
import itertools
import json


def read_jsonl(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("dedup")
    ap.add_argument("pairs")
    ap.add_argument("--id-field", default="id")
    ap.add_argument("--name-field", default=None)
    ap.add_argument("--gold-field", default="cluster")
    a = ap.parse_args()

    docs, order = {}, {}
    for i, d in enumerate(read_jsonl(a.dataset)):
        k = str(d[a.id_field])
        docs[k] = d
        order[k] = i
    groups = collections.defaultdict(list)
    for r in read_jsonl(a.dedup):
        if r.get("dup") is not None:
            groups[str(r["dup"])].append(str(r["id"]))
    judged = {}
    with open(a.pairs, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            judged[frozenset((row["id_a"], row["id_b"]))] = row
    print("\t".join(["group", "id_a", "id_b", "name_a", "name_b", "gold_a", "gold_b", "judged",
                     "verdict", "containment", "resemblance", "len_a", "len_b"]))
    gi = 0
    for rep, members in sorted(groups.items(), key=lambda kv: order[kv[0]]):
        if len(members) < 2:
            continue
        gi += 1
        members.sort(key=lambda k: order[k])
        for x, y in itertools.combinations(members, 2):
            dx, dy = docs[x], docs[y]
            j = judged.get(frozenset((x, y)))
            name = (lambda d, k: str(d.get(a.name_field, k))) if a.name_field else (lambda d, k: k)
            print("\t".join([str(gi), x, y, name(dx, x), name(dy, y), str(dx.get(a.gold_field)),
                             str(dy.get(a.gold_field)), "yes" if j else "no",
                             j["verdict"] if j else "", j["containment"] if j else "",
                             j["resemblance"] if j else "", str(len(dx.get("text", "").split())),
                             str(len(dy.get("text", "").split()))]))


if __name__ == "__main__":
    main()
