#!/usr/bin/python3
"""Story clustering scores per gold story size: how well big stories are clustered.

Usage: score_story_buckets.py GOLD PRED [--json] [--gold-field story] [--pred-field story]
       score_story_buckets.py --self-test

GOLD: JSON Lines with a gold story field (`samestory gen` output: field `story`). PRED: JSON Lines
with a predicted story field, e.g. `samestory cluster` output (one line per input article, in the
same order; matched by `id` here, so any order works). Plain or gzip files. Gold records without
an id or a story are left out; a gold article missing from PRED (or without a story there, like an
error record) is a predicted story of its own and is counted as `missing`. Predicted records not in
GOLD are ignored.

Measures, over the articles of GOLD:
  B-cubed (Bagga & Baldwin 1998; Amigo et al. 2009): for article i with gold story G(i) and
    predicted story P(i), precision_i = |G(i) & P(i)| / |P(i)| and recall_i = |G(i) & P(i)| /
    |G(i)|; P and R are their means, F1 = 2PR / (P + R). Overall, and per gold story-size bucket
    (1-10, 11-100, 101+ articles): the bucket of an article is the size of its gold story, and a
    bucket's P and R are the means over its articles (P(i) is still the whole predicted story).
  pairwise: precision, recall and F1 of the article pairs put in one story; ARI (Hubert & Arabie
    1985) over all articles.
  pieces: the number of predicted stories the 5 largest gold stories are split into, and the
    largest piece.

Standard library only (Debian python3).
"""
import argparse
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from jsonl_labels import key, read_labels  # noqa: E402

BUCKETS = (("1-10", 1, 10), ("11-100", 11, 100), ("101+", 101, None))
TOP = 5





def bucket_of(size):
    for name, lo, hi in BUCKETS:
        if size >= lo and (hi is None or size <= hi):
            return name
    raise ValueError(size)


def f1(p, r):
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def pairs(n):
    return n * (n - 1) // 2


def score(gold, pred):
    """gold: id -> gold story; pred: id -> predicted story. Returns the scores as a dict."""
    missing = 0
    cells = collections.Counter()  # (gold story, predicted story) -> articles
    for i, g in gold.items():
        p = pred.get(i)
        if p is None:
            missing += 1
            p = ("missing", i)  # a story of its own
        cells[(g, p)] += 1
    gold_size = collections.Counter()
    pred_size = collections.Counter()
    for (g, p), n in cells.items():
        gold_size[g] += n
        pred_size[p] += n
    n_all = sum(gold_size.values())

    # B-cubed: sums of precision_i and recall_i over the articles of each cell, by bucket.
    sums = {name: [0.0, 0.0, 0, set()] for name, _, _ in BUCKETS}  # P sum, R sum, articles, stories
    pieces = collections.defaultdict(list)  # gold story -> sizes of its pieces
    for (g, p), n in cells.items():
        b = sums[bucket_of(gold_size[g])]
        b[0] += n * n / pred_size[p]
        b[1] += n * n / gold_size[g]
        b[2] += n
        b[3].add(g)
        pieces[g].append(n)

    def b3(ps, rs, n):
        if n == 0:
            return None
        p, r = ps / n, rs / n
        return {"precision": p, "recall": r, "f1": f1(p, r)}

    out = {"articles": n_all, "gold_stories": len(gold_size), "pred_stories": len(pred_size),
           "missing": missing}
    total = b3(sum(b[0] for b in sums.values()), sum(b[1] for b in sums.values()), n_all)
    out["b_cubed"] = total
    out["buckets"] = {}
    for name, _, _ in BUCKETS:
        ps, rs, n, stories = sums[name]
        entry = {"articles": n, "stories": len(stories)}
        scores = b3(ps, rs, n)
        if scores:
            entry.update(scores)
        out["buckets"][name] = entry

    # Pairwise and ARI.
    together = sum(pairs(n) for n in cells.values())
    gold_pairs = sum(pairs(n) for n in gold_size.values())
    pred_pairs = sum(pairs(n) for n in pred_size.values())
    pp = together / pred_pairs if pred_pairs else 1.0
    pr = together / gold_pairs if gold_pairs else 1.0
    out["pairwise"] = {"precision": pp, "recall": pr, "f1": f1(pp, pr)}
    expected = gold_pairs * pred_pairs / pairs(n_all) if n_all > 1 else 0.0
    best = (gold_pairs + pred_pairs) / 2
    out["ari"] = (together - expected) / (best - expected) if best != expected else 1.0

    largest = sorted(gold_size.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    out["largest"] = [{"story": g, "articles": n, "pieces": len(pieces[g]),
                       "largest_piece": max(pieces[g])} for g, n in largest]
    return out


def print_text(s, out=sys.stdout):
    w = out.write
    w("articles %d: %d gold stories, %d predicted; %d missing from the prediction\n"
      % (s["articles"], s["gold_stories"], s["pred_stories"], s["missing"]))
    w("%-8s %9s %8s %8s %8s %8s\n" % ("bucket", "articles", "stories", "B3-P", "B3-R", "B3-F1"))

    def row(name, articles, stories, scores):
        if scores is None or "precision" not in scores:
            w("%-8s %9d %8d %8s %8s %8s\n" % (name, articles, stories, "-", "-", "-"))
        else:
            w("%-8s %9d %8d %8.4f %8.4f %8.4f\n" % (name, articles, stories, scores["precision"],
                                                    scores["recall"], scores["f1"]))

    row("all", s["articles"], s["gold_stories"], s["b_cubed"])
    for name, _, _ in BUCKETS:
        b = s["buckets"][name]
        row(name, b["articles"], b["stories"], b)
    p = s["pairwise"]
    w("pairwise P %.4f R %.4f F1 %.4f; ARI %.4f\n" % (p["precision"], p["recall"], p["f1"],
                                                      s["ari"]))
    w("largest gold stories, in predicted pieces:\n")
    for e in s["largest"]:
        w("  %s: %d articles in %d pieces, the largest %d (%.0f%%)\n"
          % (e["story"], e["articles"], e["pieces"], e["largest_piece"],
             100.0 * e["largest_piece"] / e["articles"]))


def self_test():
    # Gold: A = a1 a2 a3, B = b1 b2, C = c1, D = d1..d12. Predicted: {a1 a2}, {a3 b1 b2}, {c1},
    # {d1..d6}, {d7..d12}. By hand: a1, a2 P 1 R 2/3; a3 P 1/3 R 1/3; b1, b2 P 2/3 R 1; c1 1, 1;
    # d* P 1 R 1/2. Bucket 1-10: P = R = (14/3) / 6 = 7/9; bucket 11-100: P 1, R 1/2.
    # Overall P = (14/3 + 12) / 18 = 25/27, R = (14/3 + 6) / 18 = 16/27.
    # Pairs: gold 3 + 1 + 66 = 70, predicted 1 + 3 + 15 + 15 = 34, together 1 + 1 + 15 + 15 = 32.
    # ARI: expected 70 x 34 / 153, max 52: (32 - 2380/153) / (52 - 2380/153) = 2516 / 5576.
    gold = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"}
    pred = {"a1": "x", "a2": "x", "a3": "y", "b1": "y", "b2": "y", "c1": "z"}
    for k in range(1, 13):
        gold["d%d" % k] = "D"
        pred["d%d" % k] = "u" if k <= 6 else "v"
    s = score(gold, pred)
    checks = [
        (s["b_cubed"]["precision"], 25 / 27), (s["b_cubed"]["recall"], 16 / 27),
        (s["b_cubed"]["f1"], f1(25 / 27, 16 / 27)),
        (s["buckets"]["1-10"]["precision"], 7 / 9), (s["buckets"]["1-10"]["recall"], 7 / 9),
        (s["buckets"]["11-100"]["precision"], 1.0), (s["buckets"]["11-100"]["recall"], 0.5),
        (s["buckets"]["11-100"]["f1"], 2 / 3),
        (s["pairwise"]["precision"], 32 / 34), (s["pairwise"]["recall"], 32 / 70),
        (s["ari"], 2516 / 5576),
    ]
    for got, want in checks:
        assert abs(got - want) < 1e-12, (got, want)
    assert s["buckets"]["101+"] == {"articles": 0, "stories": 0}, s["buckets"]["101+"]
    assert s["buckets"]["1-10"]["stories"] == 3 and s["buckets"]["11-100"]["articles"] == 12
    assert s["largest"][0] == {"story": "D", "articles": 12, "pieces": 2, "largest_piece": 6}
    assert s["largest"][1] == {"story": "A", "articles": 3, "pieces": 2, "largest_piece": 2}
    # A missing prediction is a story of its own; a perfect prediction scores 1 everywhere.
    del pred["c1"]
    assert score(gold, pred)["missing"] == 1
    perfect = score(gold, dict(gold))
    assert perfect["b_cubed"]["f1"] == 1.0 and perfect["ari"] == 1.0
    assert perfect["pairwise"]["f1"] == 1.0
    # Everything in one predicted story: recall 1, and B-cubed precision is the mean share of an
    # article's gold story in all (3*3 + 2*2 + 1 + 12*12) / 18^2.
    lumped = score(gold, {i: "all" for i in gold})
    assert lumped["b_cubed"]["recall"] == 1.0
    assert abs(lumped["b_cubed"]["precision"] - 158 / 324) < 1e-12
    assert lumped["ari"] == 0.0
    print("score_story_buckets: self-test passed")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", nargs="?", help="gold JSON Lines (samestory gen output)")
    ap.add_argument("pred", nargs="?", help="predicted JSON Lines (samestory cluster output)")
    ap.add_argument("--gold-field", default="story", help="gold story field (default story)")
    ap.add_argument("--pred-field", default="story", help="predicted story field (default story)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--self-test", action="store_true", help="check the measures on a hand-made "
                    "example and exit")
    a = ap.parse_args()
    if a.self_test:
        self_test()
        return
    if not a.gold or not a.pred:
        ap.error("GOLD and PRED are required (or --self-test)")
    gold = read_labels(a.gold, a.gold_field, "score_story_buckets")
    if not gold:
        sys.exit("score_story_buckets: %s has no record with an id and a %s"
                 % (a.gold, a.gold_field))
    s = score(gold, read_labels(a.pred, a.pred_field, "score_story_buckets"))
    if a.json:
        print(json.dumps(s, sort_keys=True))
    else:
        print_text(s)


if __name__ == "__main__":
    main()
