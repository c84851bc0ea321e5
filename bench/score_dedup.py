#!/usr/bin/python3
"""The dedup macro benchmark's own measures and its Markdown tables (bench/dedup_macro.sh).

The copy set and generated corpora are scored by bench/copies/score_copies.py, the Reuters labeled
pairs by bench/copies/score_pairs.py; this script adds what they do not measure and assembles the
tables. Standard library only. Subcommands:

  self-dups PRED
      {"articles", "grouped", "groups"}: records whose "dup" is not their own id (seeds_fr: five
      reports of one event, none a copy of another, so "grouped" must be 0).
  lsh-recall --exact EXACT --pred PRED
      Pairs of articles in one group of EXACT (`samestory dedup --exact`: every pair that can reach
      the containment threshold judged) and the share of them in one group of PRED (the default
      LSH run): {"exact_pairs", "found", "recall", "pred_pairs", "extra_pairs"}; extra = grouped by
      PRED, not by EXACT (the copy rule is not transitive, so union-find can differ).
  best --dir DIR --prefix ds --thresholds 0.3,0.4,...
      The threshold whose DIR/score/<prefix><t>.copyset.json and .gen.json (score_copies --json)
      have the highest mean ARI; ties go to the higher threshold. Prints it.
  report --dir DIR [--tool KEY=LABEL ...] [--speed NAME=LABEL ...] [--big NAME=LABEL ...] ...
      Markdown tables from DIR/score/<KEY>.<input>.json (inputs: copyset, gen, reuters_pairs, seeds,
      lsh_reuters, lsh_copyset, gen1m) and DIR/times/<NAME>.times ("seconds KiB" per run); missing
      files give "n/a". See dedup_macro.sh for the arguments.
"""
import argparse
import collections
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from jsonl_labels import key, open_text, read_labels  # noqa: E402





def read_groups(path):
    """id -> dup for every usable record (an error or a null dup leaves the record out)."""
    return read_labels(path, "dup", "score_dedup")


def pairs_of(groups):
    members = collections.defaultdict(list)
    for i, g in groups.items():
        members[g].append(i)
    pairs = set()
    for m in members.values():
        m.sort()
        for x in range(len(m)):
            for y in range(x + 1, len(m)):
                pairs.add((m[x], m[y]))
    return pairs


def cmd_self_dups(a):
    g = read_groups(a.pred)
    grouped = sum(1 for i, d in g.items() if i != d)
    groups = len({d for i, d in g.items() if i != d})
    print(json.dumps({"articles": len(g), "grouped": grouped, "groups": groups}))


def cmd_lsh_recall(a):
    exact, pred = read_groups(a.exact), read_groups(a.pred)
    pe, pp = pairs_of(exact), pairs_of(pred)
    found = len(pe & pp)
    print(json.dumps({"exact_pairs": len(pe), "found": found,
                      "recall": round(found / len(pe), 4) if pe else None,
                      "pred_pairs": len(pp), "extra_pairs": len(pp - pe)}))


def load(dirname, tool, inp):
    path = os.path.join(dirname, "score", "%s.%s.json" % (tool, inp))
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def tkey(prefix, t):
    return "%s%g" % (prefix, t)


def cmd_best(a):
    best = None
    for t in parse_floats(a.thresholds):
        c, g = load(a.dir, tkey(a.prefix, t), "copyset"), load(a.dir, tkey(a.prefix, t), "gen")
        if c is None or g is None:
            sys.exit("score_dedup: no copyset/gen score for threshold %g" % t)
        m = (c["ari"] + g["ari"]) / 2
        if best is None or m >= best[0]:
            best = (m, t)
    print("%g" % best[1])


def parse_floats(s):
    return [float(x) for x in s.split(",") if x.strip()]


def parse_kv(items):
    out = []
    for it in items or []:
        k, _, v = it.partition("=")
        out.append((k, v or k))
    return out


def f3(x):
    return "n/a" if x is None else "%.3f" % x


def recall_cell(k):
    if k is None:
        return "n/a"
    return "%.3f (%d)" % (k["recall"], k["found"]) if k.get("copies") else "n/a"


def all_kinds(s):
    if s is None:
        return None
    return {"copies": s["copies"], "found": s["copies_found"],
            "recall": s["copies_found"] / s["copies"] if s["copies"] else 0.0}


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def copies_table(scores, labels, first, with_versions):
    """Per-kind recall (found) and the partition measures of score_copies --json outputs."""
    kinds = list(first["kinds"])
    rows = []
    for k in kinds:
        rows.append(["%s" % k, first["kinds"][k]["copies"]]
                    + [recall_cell(s["kinds"].get(k)) if s else "n/a" for s in scores])
    rows.append(["**all copies**", first["copies"]]
                + ["**%s**" % recall_cell(all_kinds(s)) if s else "n/a" for s in scores])
    neg = first.get("negatives", {}).get("templated")
    if neg:
        rows.append(["templated negatives wrongly grouped", neg["articles"]]
                    + ["%.3f (%d)" % (s["negatives"]["templated"]["share_grouped"],
                                      s["negatives"]["templated"]["grouped"]) if s else "n/a"
                       for s in scores])
    rows.append(["false-merge pairs: same story", ""]
                + [s["false_merge_pairs_same_story"] if s else "n/a" for s in scores])
    if with_versions:
        rows.append(["false-merge pairs: versions (arguably right)", ""]
                    + [s["false_merge_pairs_versions"] if s else "n/a" for s in scores])
    rows.append(["false-merge pairs: different story", ""]
                + [s["false_merge_pairs_different_story"] if s else "n/a" for s in scores])
    rows.append(["pairwise precision / recall", ""]
                + ["%.3f / %.3f" % (s["pairwise"]["precision"], s["pairwise"]["recall"]) if s
                   else "n/a" for s in scores])
    rows.append(["ARI", ""] + ["**%.4f**" % s["ari"] if s else "n/a" for s in scores])
    return table(["kind", "copies"] + labels, rows)


def read_times(dirname, name):
    path = os.path.join(dirname, "times", name + ".times")
    if not os.path.isfile(path):
        return None
    sec, kib, cpu = [], [], []
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) >= 2:
                sec.append(float(p[0]))
                kib.append(float(p[1]))
                cpu.append(float(p[2]) if len(p) >= 3 else float("nan"))
    return (sec, kib, cpu) if sec else None


def speed_table(dirname, entries, articles, refs, rss_limit, rss_row="st1"):
    """refs: {row name: the row name its time is divided by} (the previous release, same threads)."""
    rows = []
    for name, label in entries:
        t = read_times(dirname, name)
        if t is None:
            rows.append([label] + ["n/a"] * 7)
            continue
        sec, kib, cpu = t
        med = statistics.median(sec)
        mb = [k * 1024 / 1e6 for k in kib]
        rss = statistics.median(mb)
        rng = "%.2f-%.2f" % (min(sec), max(sec)) if len(sec) > 1 else "1 run"
        ratio = cpu_ratio = "—"
        t_ref = read_times(dirname, refs[name]) if name in refs else None
        if t_ref is not None:
            ref_label = dict(entries).get(refs[name], refs[name])
            ratio = "%.2fx %s" % (med / statistics.median(t_ref[0]), ref_label)
            cpu_ratio = "%.2fx" % (statistics.median(cpu) / statistics.median(t_ref[2]))
        limit = ""
        if rss_limit and name == rss_row:
            limit = " (%s: < %d MB)" % ("PASS" if max(mb) < rss_limit else "FAIL", rss_limit)
        rows.append([label, "**%.2f** (%s)" % (med, rng), "%.0f" % (articles / med) if med else "n/a",
                     "%.2f" % statistics.median(cpu), "**%.1f**%s" % (rss, limit),
                     "%.1f" % max(mb), ratio, cpu_ratio])
    return table(["tool", "wall s, median (range)", "articles/s (wall)", "CPU s, median",
                  "peak RSS MB, median", "peak RSS MB, max", "wall / reference row's",
                  "CPU / reference row's"], rows)


def sweep_table(a, prefix, thresholds, best, br):
    rows = []
    for t in thresholds:
        k = tkey(prefix, t)
        c, g, p, s = (load(a.dir, k, x) for x in ("copyset", "gen", "reuters_pairs", "seeds"))
        mean = (c["ari"] + g["ari"]) / 2 if c and g else None
        mark = " **(best)**" if abs(t - best) < 1e-9 else ""
        rows.append(["%g%s" % (t, mark), br.get("%g" % t, "n/a"),
                     "%.4f" % c["ari"] if c else "n/a", "%.4f" % g["ari"] if g else "n/a",
                     "**%.4f**" % mean if mean is not None else "n/a",
                     f3(all_kinds(c)["recall"]) if c else "n/a",
                     f3(all_kinds(g)["recall"]) if g else "n/a",
                     f3(g["negatives"]["templated"]["share_grouped"]) if g else "n/a",
                     "%.3f / %.3f" % (p["precision"], p["recall"]) if p else "n/a",
                     s["grouped"] if s else "n/a"])
    return table(["threshold", "b x r", "copy set ARI", "gen 10k ARI", "mean ARI",
                  "copy set recall (all)", "gen recall (all)", "templated grouped",
                  "Reuters pairs P / R", "seeds_fr grouped"], rows)


def cmd_report(a):
    tools = parse_kv(a.tool)
    keys, labels = [k for k, _ in tools], [v for _, v in tools]
    out = []
    # 1. copy set
    cs = [load(a.dir, k, "copyset") for k in keys]
    first = next((s for s in cs if s), None)
    if first:
        out.append("### Copy set (`make_copy_set.py --seed 1`: %d articles, %d of them copies)\n"
                   % (first["articles"], first["copies"]))
        out.append("Recall per kind (copies found); false merges; ARI against `gold_dup`.\n")
        out.append(copies_table(cs, labels, first, True))
    # 2. generated corpus
    gs = [load(a.dir, k, "gen") for k in keys]
    first = next((s for s in gs if s), None)
    if first:
        out.append("\n### Generated corpus (`samestory gen --seed 1`: %d articles, %d of them copies)\n"
                   % (first["articles"], first["copies"]))
        out.append("Recall per kind (copies found); templated negatives in a group with any "
                   "article of another `dup` (share, count); ARI against the gold `dup`.\n")
        out.append(copies_table(gs, labels, first, False))
    # 3. Reuters pairs, seeds_fr, LSH recall
    rows = []
    ps = [load(a.dir, k, "reuters_pairs") for k in keys]
    rows.append(["Reuters labeled pairs: precision"] + [f3(p["precision"]) if p else "n/a" for p in ps])
    rows.append(["Reuters labeled pairs: recall"] + [f3(p["recall"]) if p else "n/a" for p in ps])
    rows.append(["Reuters labeled pairs: tp / fp / fn / tn"]
                + ["%d / %d / %d / %d" % (p["tp"], p["fp"], p["fn"], p["tn"]) if p else "n/a"
                   for p in ps])
    ss = [load(a.dir, k, "seeds") for k in keys]
    rows.append(["seeds_fr: articles grouped (must be 0)"]
                + [("**%d**" % s["grouped"]) + ("" if s["grouped"] == 0 else " FAIL") if s else "n/a"
                   for s in ss])
    for inp, name in (("lsh_reuters", "Reuters"), ("lsh_copyset", "copy set")):
        ls = [load(a.dir, k, inp) for k in keys]
        rows.append(["LSH recall of `--exact` same-group pairs, %s" % name]
                    + ["%s (%d of %d; %d extra)" % (f3(x["recall"]), x["found"], x["exact_pairs"],
                                                    x["extra_pairs"]) if x else "—" for x in ls])
    out.append("\n### Reuters-21578 labeled pairs, seeds_fr, LSH recall\n")
    out.append(table([""] + labels, rows))
    # 4. sweep
    if a.thresholds:
        br = {}
        if a.sweep_log and os.path.isfile(a.sweep_log):
            for m in re.finditer(r"threshold ([0-9.]+): b=(\d+) bands x r=(\d+) rows",
                                 open(a.sweep_log, encoding="utf-8").read()):
                br["%g" % float(m.group(1))] = "%s x %s" % (m.group(2), m.group(3))
        out.append("\n### datasketch threshold sweep (best = highest mean ARI over copy set and "
                   "gen 10k)\n")
        out.append(sweep_table(a, a.prefix, parse_floats(a.thresholds), a.best, br))
    # 5. speed
    if a.speed:
        out.append("\n### Speed and memory: Reuters-21578 (%d records), median of %s\n"
                   % (a.speed_articles, a.repeat_label))
        out.append(speed_table(a.dir, parse_kv(a.speed), a.speed_articles,
                               dict(parse_kv(a.speed_ref)), a.rss_limit))
    if a.big:
        out.append("\n### Speed and memory: %d generated articles, 2 threads, median of %s\n"
                   % (a.big_articles, a.repeat_label))
        out.append(speed_table(a.dir, parse_kv(a.big), a.big_articles, dict(parse_kv(a.big_ref)),
                               0))
        rows = []
        for name, label in parse_kv(a.big):
            g = load(a.dir, name, "gen1m")
            if g:
                rows.append([label, f3(all_kinds(g)["recall"]),
                             "%.3f (%d)" % (g["negatives"]["templated"]["share_grouped"],
                                            g["negatives"]["templated"]["grouped"]),
                             g["false_merge_pairs_same_story"],
                             g["false_merge_pairs_different_story"], "%.4f" % g["ari"]])
        if rows:
            out.append("\nQuality on the same corpus (score_copies.py, gold `dup`):\n")
            out.append(table(["tool", "recall, all copies", "templated grouped",
                              "false merges same story", "different story", "ARI"], rows))
    print("\n".join(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("self-dups")
    p.add_argument("pred")
    p = sub.add_parser("lsh-recall")
    p.add_argument("--exact", required=True)
    p.add_argument("--pred", required=True)
    p = sub.add_parser("best")
    p.add_argument("--dir", required=True)
    p.add_argument("--prefix", default="ds")
    p.add_argument("--thresholds", required=True)
    p = sub.add_parser("report")
    p.add_argument("--dir", required=True)
    p.add_argument("--tool", action="append", help="KEY=LABEL, a quality column")
    p.add_argument("--prefix", default="ds")
    p.add_argument("--thresholds", default="", help="the datasketch sweep")
    p.add_argument("--best", type=float, default=-1)
    p.add_argument("--sweep-log", default="", help="datasketch_peer's stderr of a sweep (b x r)")
    p.add_argument("--speed", action="append", help="NAME=LABEL, a Reuters timing row")
    p.add_argument("--speed-articles", type=int, default=0)
    p.add_argument("--speed-ref", action="append", help="NAME=REF: NAME's time / REF's")
    p.add_argument("--rss-limit", type=int, default=200, help="MB, for the samestory (st*) rows")
    p.add_argument("--big", action="append", help="NAME=LABEL, a generated-1M timing row")
    p.add_argument("--big-articles", type=int, default=0)
    p.add_argument("--big-ref", action="append", help="NAME=REF")
    p.add_argument("--repeat-label", default="3 rounds")
    a = ap.parse_args()
    {"self-dups": cmd_self_dups, "lsh-recall": cmd_lsh_recall, "best": cmd_best,
     "report": cmd_report}[a.cmd](a)


if __name__ == "__main__":
    main()
