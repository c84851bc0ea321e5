#!/usr/bin/env python3
"""Precision and recall of same-article pairs: a labeled pair list against a dedup output.

usage: score_pairs.py PAIRS.tsv PRED.jsonl [--field dup] [--errors] [--json]
  PAIRS.tsv   id_a, id_b, label (same|different), ... (bench/copies/reuters_pairs.tsv)
  PRED.jsonl  one line per article with "id" and the group field ("dup", or "story" with --field)
A pair is predicted "same" when both articles carry the same group id. Prints precision, recall
and F1 of "same" over the labeled pairs (unweighted), the confusion counts, and with --errors
every wrong pair with its label's reason. Standard library only.
"""
import argparse
import json
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pairs")
    ap.add_argument("pred")
    ap.add_argument("--field", default="dup")
    ap.add_argument("--errors", action="store_true", help="list the wrong pairs")
    ap.add_argument("--json", action="store_true", help="one JSON object instead of text")
    a = ap.parse_args()
    group = {}
    with open(a.pred, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            if "id" in r and r.get(a.field) is not None:
                group[str(r["id"])] = r[a.field]
    tp = fp = fn = tn = missing = 0
    wrong = []
    with open(a.pairs, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {name: i for i, name in enumerate(header)}
        for line in f:
            row = line.rstrip("\n").split("\t")
            x, y, label = row[0], row[1], row[col["label"]]
            if x not in group or y not in group:
                missing += 1
                continue
            same = group[x] == group[y]
            gold = label == "same"
            if same and gold:
                tp += 1
            elif same:
                fp += 1
                wrong.append(("FP", row))
            elif gold:
                fn += 1
                wrong.append(("FN", row))
            else:
                tn += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    result = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "tp": tp,
              "fp": fp, "fn": fn, "tn": tn, "missing": missing}
    if a.json:
        print(json.dumps(result))
    else:
        print("same-article pairs: precision %.4f recall %.4f F1 %.4f (tp %d fp %d fn %d tn %d%s)"
              % (p, r, f1, tp, fp, fn, tn, ", %d pairs not in the output" % missing if missing else ""))
    if a.errors:
        reason = col.get("reason")
        for kind, row in wrong:
            print(kind, row[0], row[1], row[reason] if reason is not None else "", file=sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
