#!/usr/bin/python3
"""Scores a dedup output (samestory dedup or a peer) against exact Jaccard pairs.

  --exact-pairs FILE  TSV (optionally .gz), header `id_a id_b jaccard`, every pair with exact
                      J >= 0.5, as written by `samestory dedup --exact --threshold 0.5 --pairs FILE`
  --pred FILE         JSON Lines, one record per article: {"id", "dup", ...}; two articles are in
                      one predicted group when they have the same "dup"
  --threshold T       the dedup threshold (0.8)
  --census FILE       optional second reference (TSV.gz id_a id_b jaccard, e.g. the independent
                      Python census of shared/datasets/reuters21578): recall against it too

Prints one JSON object:
  recall     share of exact pairs with J >= T whose two ids have the same "dup"
  precision  share of predicted same-group pairs (a group of m articles gives m(m-1)/2 pairs)
             that are exact pairs with J >= 0.5
  with the counts behind both, the number of predicted groups (>= 2 articles) and of articles in them.
Records with an "error" or a null id/dup are counted apart and put in no group.
"""
import argparse
import collections
import gzip
import json
import sys


def open_text(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, "r", encoding="utf-8")


def read_pairs(path):
    """{(id_a, id_b) with id_a < id_b: jaccard}; a pair listed twice keeps its highest value."""
    pairs = {}
    with open_text(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        if header[:3] != ["id_a", "id_b", "jaccard"]:
            sys.exit("score_dedup: %s: expected header id_a<TAB>id_b<TAB>jaccard, got %r"
                     % (path, header))
        for lineno, line in enumerate(f, 2):
            line = line.rstrip("\n")
            if not line:
                continue
            cols = line.split("\t")
            if len(cols) < 3:
                sys.exit("score_dedup: %s:%d: expected 3 columns" % (path, lineno))
            a, b = cols[0], cols[1]
            if a == b:
                continue
            key = (a, b) if a < b else (b, a)
            j = float(cols[2])
            if j > pairs.get(key, -1.0):
                pairs[key] = j
    return pairs


def read_pred(path):
    """Returns (dup_of: id -> dup, n_records, n_errors, n_short, n_duplicate_ids)."""
    dup_of = {}
    n = n_err = n_short = n_dupid = 0
    with open_text(path) as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            n += 1
            try:
                rec = json.loads(line)
            except ValueError as e:
                sys.exit("score_dedup: %s:%d: bad JSON: %s" % (path, lineno, e))
            if rec.get("short"):
                n_short += 1
            doc_id, dup = rec.get("id"), rec.get("dup")
            if rec.get("error") is not None or doc_id is None or dup is None:
                n_err += 1
                continue
            if doc_id in dup_of:
                n_dupid += 1
            dup_of[doc_id] = dup
    return dup_of, n, n_err, n_short, n_dupid


def recall(pairs, dup_of, threshold):
    wanted = [k for k, j in pairs.items() if j >= threshold]
    found = sum(1 for a, b in wanted
                if a in dup_of and b in dup_of and dup_of[a] == dup_of[b])
    missing_ids = sum(1 for a, b in wanted if a not in dup_of or b not in dup_of)
    return found, len(wanted), missing_ids


def ratio(num, den):
    return round(num / den, 6) if den else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--exact-pairs", required=True)
    ap.add_argument("--pred", required=True)
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--precision-floor", type=float, default=0.5,
                    help="a predicted pair counts as correct when its exact J >= this (0.5)")
    ap.add_argument("--census")
    args = ap.parse_args()

    exact = read_pairs(args.exact_pairs)
    dup_of, n_records, n_err, n_short, n_dupid = read_pred(args.pred)

    sizes = collections.Counter(dup_of.values())
    groups = {d: m for d, m in sizes.items() if m > 1}
    pred_pairs = sum(m * (m - 1) // 2 for m in groups.values())
    # Correct predicted pairs: exact pairs (J >= floor) whose ids share a "dup". Counting from the
    # exact side avoids enumerating m(m-1)/2 pairs of a huge chained group.
    correct = sum(1 for (a, b), j in exact.items()
                  if j >= args.precision_floor and a in dup_of and b in dup_of
                  and dup_of[a] == dup_of[b])
    correct_at_t = sum(1 for (a, b), j in exact.items()
                       if j >= args.threshold and a in dup_of and b in dup_of
                       and dup_of[a] == dup_of[b])
    found, wanted, missing_ids = recall(exact, dup_of, args.threshold)

    out = collections.OrderedDict()
    out["threshold"] = args.threshold
    out["recall"] = ratio(found, wanted)
    out["precision"] = ratio(correct, pred_pairs)
    out["exact_pairs_ge_threshold"] = wanted
    out["exact_pairs_found"] = found
    out["exact_pairs_with_unknown_id"] = missing_ids
    out["exact_pairs_ge_floor"] = sum(1 for j in exact.values() if j >= args.precision_floor)
    out["precision_floor"] = args.precision_floor
    out["pred_pairs"] = pred_pairs
    out["pred_pairs_correct"] = correct
    out["precision_at_threshold"] = ratio(correct_at_t, pred_pairs)
    out["groups"] = len(groups)
    out["docs_in_groups"] = sum(groups.values())
    out["largest_group"] = max(groups.values()) if groups else 0
    out["records"] = n_records
    out["records_short"] = n_short
    out["records_error"] = n_err
    out["records_repeated_id"] = n_dupid
    if args.census:
        census = read_pairs(args.census)
        c_found, c_wanted, c_missing = recall(census, dup_of, args.threshold)
        out["census_recall"] = ratio(c_found, c_wanted)
        out["census_pairs_ge_threshold"] = c_wanted
        out["census_pairs_found"] = c_found
        out["census_pairs_with_unknown_id"] = c_missing
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
