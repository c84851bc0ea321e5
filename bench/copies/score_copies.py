#!/usr/bin/python3
"""Scores a near-duplicate prediction against a labeled copy set, per kind of copy.

  score_copies.py --gold SET.jsonl[.gz] --pred PRED.jsonl [--json] [--by lang]

Gold (make_copy_set.py's output; the field names are flags):
  --gold-dup-field gold_dup    the original's id (an original's own id)
  --kind-field copy_kind       "original" or the kind of copy
  --story-field gold_story     the event: two articles of one event with different gold_dup are
                               different reports of it (the hard negatives)
  For a corpus written by `samestory gen`:  --gold-dup-field dup --story-field story
  (its kind field is already copy_kind).

Prediction: one JSON line per article with "id" and the predicted group's representative in
--pred-field (default "dup": `samestory dedup` and bench/peers/minhash_lsh_peer.py write it;
"story" for `samestory cluster`). A record with an "error" field, a null group or no line at all
counts as a singleton.

Prints (or with --json emits one object):
  per kind      copies and recall = share of copies whose predicted group is their original's
                (the record named by --original-field, else by the gold dup field; kind
                "natural": real copies found in the source data, against their group's label)
  false merges  pairs with different gold_dup in one predicted group, split into same gold story
                (another report of the event), versions (the two originals are one agency story
                at two lengths: --versions-field, arguably not an error) and different story,
                with up to --list examples of each
  pairwise      precision / recall / F1 over same-group pairs, and the adjusted Rand index of the
                predicted against the gold duplicate partition (Hubert & Arabie 1985)
  negatives     for the kinds in --negative-kinds (default "templated": `samestory gen`'s
                templated negatives, reports that reuse another report's wording with other
                figures, names or dates): how many there are and the share wrongly grouped, i.e.
                in a predicted group with any article of another gold_dup
"""
import argparse
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from jsonl_labels import key, open_text  # noqa: E402


# make_copy_set.py's kinds first, in its order; other kinds (e.g. `samestory gen`'s) after.
KIND_ORDER = ("reheadlined", "boilerplate", "reordered", "corrected", "extended", "truncated",
              "edited", "noisy", "combined", "combined_noisy", "truncated_hard", "edited_hard",
              "noisy_hard", "natural", "exact")




def read_gold(path, id_field, dup_field, kind_field, story_field, extra_fields):
    gold = collections.OrderedDict()
    with open_text(path) as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            o = json.loads(line)
            i = o.get(id_field)
            if i is None:
                sys.exit("score_copies: %s:%d: no %r" % (path, lineno, id_field))
            dup = o.get(dup_field)
            if dup is None:
                sys.exit("score_copies: %s:%d: no gold field %r (see --gold-dup-field)"
                         % (path, lineno, dup_field))
            story = o.get(story_field)
            kind = o.get(kind_field)
            rec = dict(dup=key(dup), story=key(story) if story is not None else "dup:" + key(dup),
                       kind=kind if isinstance(kind, str) else "unlabeled")
            for x in extra_fields:
                rec[x] = o.get(x)
            if extra_fields:
                rec["copy_of"] = o.get(extra_fields[1])
                rec["versions"] = o.get(extra_fields[2])
            if key(i) in gold:
                sys.exit("score_copies: %s:%d: duplicate id %s" % (path, lineno, key(i)))
            gold[key(i)] = rec
    return gold


def read_pred(path, id_field, pred_field):
    """{id: group key or None}, and the count of records with an error."""
    pred, errors = {}, 0
    with open_text(path) as f:
        for line in f:
            if not line.strip():
                continue
            o = json.loads(line)
            i = o.get(id_field)
            if i is None:
                errors += 1
                continue
            if "error" in o or o.get(pred_field) is None:
                errors += 1
                pred[key(i)] = None
                continue
            pred[key(i)] = key(o[pred_field])
    return pred, errors


def comb2(n):
    return n * (n - 1) // 2


def adjusted_rand_index(labels_a, labels_b):
    """ARI of two partitions of the same items (lists of equal length)."""
    n = len(labels_a)
    if n < 2:
        return 1.0
    cont = collections.Counter(zip(labels_a, labels_b))
    sum_ij = sum(comb2(c) for c in cont.values())
    sum_a = sum(comb2(c) for c in collections.Counter(labels_a).values())
    sum_b = sum(comb2(c) for c in collections.Counter(labels_b).values())
    expected = sum_a * sum_b / comb2(n)
    max_index = (sum_a + sum_b) / 2.0
    if max_index == expected:
        return 1.0
    return (sum_ij - expected) / (max_index - expected)


def score(gold, pred, list_limit, by_field, negative_kinds=("templated",)):
    ids = list(gold)
    # Predicted group per gold article; a missing or errored record is its own singleton.
    group = {}
    missing = 0
    for i in ids:
        g = pred.get(i)
        if i not in pred:
            missing += 1
        group[i] = ("pred", g) if g is not None else ("single", i)

    # The reference each copy should join: its gold_dup record, or for a group without such a
    # record (a natural group whose label is another id) the group's first member.
    first_of_dup = {}
    for i in ids:
        first_of_dup.setdefault(gold[i]["dup"], i)

    per_kind = collections.OrderedDict()
    per_kind_by = collections.defaultdict(lambda: [0, 0])
    misses = []
    for i in ids:
        g = gold[i]
        if g["kind"] == "original" or g["kind"] in negative_kinds:
            continue
        orig = g.get("copy_of")
        if orig is not None and key(orig) in gold:
            ref = key(orig)   # the article it was made from (a natural copy's copy: that copy)
        elif g["dup"] in gold and g["dup"] != i:
            ref = g["dup"]
        else:
            ref = first_of_dup[g["dup"]]
        if ref == i:
            continue     # the first member of a group whose label is not one of its ids
        hit = group[i] == group[ref]
        c = per_kind.setdefault(g["kind"], [0, 0])
        c[0] += 1
        c[1] += hit
        if by_field:
            b = per_kind_by[(g["kind"], str(g.get(by_field)))]
            b[0] += 1
            b[1] += hit
        if not hit:
            misses.append((g["kind"], i, ref))

    # Pairwise counts from contingency tables; false merges counted per pair of gold_dup groups
    # met in one predicted group (n_a * n_b pairs each).
    members = collections.defaultdict(list)
    for i in ids:
        members[group[i]].append(i)
    story_of_dup, versions_of_dup = {}, collections.defaultdict(set)
    for i in ids:
        story_of_dup.setdefault(gold[i]["dup"], gold[i]["story"])
        for v in gold[i].get("versions") or ():
            versions_of_dup[gold[i]["dup"]].add(key(v))
    pred_pairs = sum(comb2(len(m)) for m in members.values())
    gold_pairs = sum(comb2(c) for c in collections.Counter(gold[i]["dup"] for i in ids).values())
    tp = 0
    false_by = collections.Counter()
    examples = {"same_story": [], "versions": [], "different_story": []}
    for m in members.values():
        if len(m) < 2:
            continue
        count = collections.Counter(gold[i]["dup"] for i in m)
        tp += sum(comb2(c) for c in count.values())
        if len(count) < 2:
            continue
        rep = collections.OrderedDict()   # the group's article shown for each gold_dup
        for i in m:
            d = gold[i]["dup"]
            if d not in rep or (gold[i]["kind"] == "original" and
                                gold[rep[d]]["kind"] != "original"):
                rep[d] = i
        dups = list(rep)
        for a in range(len(dups)):
            for b in range(a + 1, len(dups)):
                da, db = dups[a], dups[b]
                if db in versions_of_dup[da] or da in versions_of_dup[db]:
                    which = "versions"
                elif story_of_dup[da] == story_of_dup[db]:
                    which = "same_story"
                else:
                    which = "different_story"
                false_by[which] += count[da] * count[db]
                if len(examples[which]) < list_limit:
                    examples[which].append((rep[da], rep[db]))
    negatives = collections.OrderedDict()
    for i in ids:
        k = gold[i]["kind"]
        if k not in negative_kinds:
            continue
        n = negatives.setdefault(k, {"articles": 0, "grouped": 0})
        n["articles"] += 1
        if any(gold[j]["dup"] != gold[i]["dup"] for j in members[group[i]]):
            n["grouped"] += 1
    for n in negatives.values():
        n["share_grouped"] = round(n["grouped"] / n["articles"], 4) if n["articles"] else None
    false_pairs = pred_pairs - tp
    assert false_pairs == sum(false_by.values())
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / gold_pairs if gold_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    ari = adjusted_rand_index([gold[i]["dup"] for i in ids], [group[i] for i in ids])

    kinds = collections.OrderedDict()
    order = {k: n for n, k in enumerate(KIND_ORDER)}
    for k, (n, hit) in sorted(per_kind.items(), key=lambda kv: (order.get(kv[0], len(order)),
                                                                kv[0])):
        kinds[k] = {"copies": n, "found": hit, "recall": round(hit / n, 4) if n else None}
    result = {
        "articles": len(ids),
        "pred_missing": missing,
        "kinds": kinds,
        "copies": sum(v[0] for v in per_kind.values()),
        "copies_found": sum(v[1] for v in per_kind.values()),
        "false_merge_pairs": false_pairs,
        "false_merge_pairs_same_story": false_by["same_story"],
        "false_merge_pairs_versions": false_by["versions"],
        "false_merge_pairs_different_story": false_by["different_story"],
        "false_merge_examples": {w: [describe(gold, x, y) for x, y in ex]
                                 for w, ex in examples.items()},
        "pairwise": {"precision": round(precision, 4), "recall": round(recall, 4),
                     "f1": round(f1, 4), "true_pairs": tp, "pred_pairs": pred_pairs,
                     "gold_pairs": gold_pairs},
        "ari": round(ari, 4),
        "negatives": negatives,
        "predicted_groups": sum(1 for m in members.values() if len(m) > 1),
        "gold_groups": sum(1 for c in collections.Counter(gold[i]["dup"] for i in ids).values()
                           if c > 1),
    }
    if by_field:
        result["kinds_by_" + by_field] = {
            "%s/%s" % kb: {"copies": v[0], "recall": round(v[1] / v[0], 4)}
            for kb, v in sorted(per_kind_by.items())}
    return result, misses


def describe(gold, x, y):
    gx, gy = gold[x], gold[y]
    d = {"a": x, "b": y, "story_a": gx["story"], "story_b": gy["story"],
         "kind_a": gx["kind"], "kind_b": gy["kind"]}
    for f in ("origin_id", "copy_of"):
        if gx.get(f) is not None or gy.get(f) is not None:
            d[f + "_a"], d[f + "_b"] = gx.get(f), gy.get(f)
    return d


def print_report(r, misses, list_misses, by_field):
    print("articles %d  (predictions missing for %d)" % (r["articles"], r["pred_missing"]))
    print()
    print("%-16s %7s %7s %7s" % ("kind", "copies", "found", "recall"))
    for k, v in r["kinds"].items():
        print("%-16s %7d %7d %7.3f" % (k, v["copies"], v["found"], v["recall"]))
    print("%-16s %7d %7d %7.3f" % ("all copies", r["copies"], r["copies_found"],
                                   r["copies_found"] / r["copies"] if r["copies"] else 1.0))
    if by_field:
        print()
        print("recall by kind and %s:" % by_field)
        for k, v in r["kinds_by_" + by_field].items():
            print("  %-30s %5d %7.3f" % (k, v["copies"], v["recall"]))
    print()
    print("false merges: %d pairs: %d same gold story (another report of the event), %d versions "
          "(one article mostly contained in the other: gold_versions), %d different story" % (
              r["false_merge_pairs"], r["false_merge_pairs_same_story"],
              r["false_merge_pairs_versions"], r["false_merge_pairs_different_story"]))
    for which in ("same_story", "versions", "different_story"):
        for e in r["false_merge_examples"][which]:
            extra = ""
            if "origin_id_a" in e:
                extra = "  [%s | %s]" % (e["origin_id_a"], e["origin_id_b"])
            print("  %-15s %s (%s, %s) ~ %s (%s, %s)%s" % (
                which, e["a"], e["kind_a"], e["story_a"], e["b"], e["kind_b"], e["story_b"],
                extra))
    p = r["pairwise"]
    print()
    print("pairwise precision %.4f recall %.4f F1 %.4f  (true %d / predicted %d / gold %d pairs)"
          % (p["precision"], p["recall"], p["f1"], p["true_pairs"], p["pred_pairs"],
             p["gold_pairs"]))
    print("ARI %.4f   predicted groups %d, gold groups %d (of >= 2 articles)" % (
        r["ari"], r["predicted_groups"], r["gold_groups"]))
    for k, n in r["negatives"].items():
        print("negatives %s: %d articles, %d wrongly grouped (%.4f)" % (
            k, n["articles"], n["grouped"], n["share_grouped"]))
    if list_misses:
        print()
        print("missed copies (first %d):" % list_misses)
        for kind, i, ref in misses[:list_misses]:
            print("  %-16s %s  not with %s" % (kind, i, ref))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n", 2)[2])
    ap.add_argument("--gold", required=True, help="labeled set, JSON Lines (.gz ok)")
    ap.add_argument("--pred", required=True, help="prediction, JSON Lines (.gz ok, - = stdin)")
    ap.add_argument("--id-field", default="id")
    ap.add_argument("--gold-dup-field", default="gold_dup")
    ap.add_argument("--kind-field", default="copy_kind")
    ap.add_argument("--story-field", default="gold_story")
    ap.add_argument("--pred-field", default="dup")
    ap.add_argument("--original-field", default="copy_of",
                    help="the id a copy was made from, when the set has it (else gold_dup)")
    ap.add_argument("--versions-field", default="gold_versions",
                    help="ids of other originals that are a shorter/longer version of this one "
                         "(when the set has it): their merges are counted apart")
    ap.add_argument("--by", default=None, help="also split recall per kind by this gold field "
                                               "(e.g. lang, origin)")
    ap.add_argument("--list", type=int, default=20, help="false-merge examples per type (20)")
    ap.add_argument("--list-misses", type=int, default=0, help="list the first N missed copies")
    ap.add_argument("--json", action="store_true", help="one JSON object on stdout")
    ap.add_argument("--negative-kinds", default="templated",
                    help="comma-separated kinds that are not copies but look like them "
                         "(default: templated)")
    args = ap.parse_args()

    extra = ["origin_id", args.original_field, args.versions_field] + ([args.by] if args.by else [])
    gold = read_gold(args.gold, args.id_field, args.gold_dup_field, args.kind_field,
                     args.story_field, extra)
    pred, _ = read_pred(args.pred, args.id_field, args.pred_field)
    result, misses = score(gold, pred, args.list, args.by,
                           tuple(k for k in args.negative_kinds.split(",") if k))
    if args.json:
        if args.list_misses:
            result["missed"] = [{"kind": k, "id": i, "original": r}
                                for k, i, r in misses[:args.list_misses]]
        print(json.dumps(result, ensure_ascii=False))
    else:
        print_report(result, misses, args.list_misses, args.by)


if __name__ == "__main__":
    main()
