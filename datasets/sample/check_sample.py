#!/usr/bin/env python3
"""Checks the sample corpus datasets/sample/articles.jsonl against its gold labels.

Prints counts per language, per story and per copy kind, then the word 5-shingle Jaccard of the
texts of every pair of articles (highest first), then checks:

  * every record has the fields and values the README describes (unique ids, known languages,
    gold_dup naming an original of the same story, copy_kind set exactly on copies, ISO dates);
  * every copy has Jaccard >= 0.8 with its original (>= 0.6 for "truncated" copies); a copy of an
    item with an empty text must equal it (title and text);
  * each copy kind is what it says (exact: same title and text; reheadlined: same text, new title;
    truncated: a prefix of the original's text; boilerplate: contains the original's text; edited
    and combined: text changed; combined: title changed too);
  * no two articles of different gold_dup groups have Jaccard >= 0.3;
  * two distinct reports of the same story have Jaccard < 0.1;
  * a copy is dated after its original and within 24 hours of it; the dated reports of a story lie
    within 4 days of each other (a month-only date must name the month of the story);
  * an article with a text has 80 to 250 words in it (copies with boilerplate may have more).

Exits with status 1 when a check fails. Python 3.8+ standard library only.

Usage: python3 check_sample.py [articles.jsonl] [--min-jaccard X]
  --min-jaccard X  print only the pairs with Jaccard >= X (default: print every pair)
"""
import argparse
import collections
import datetime as dt
import itertools
import json
import os
import re
import sys

COPY_MIN = 0.8
TRUNCATED_MIN = 0.6
CROSS_GROUP_MAX = 0.3
SAME_STORY_DISTINCT_MAX = 0.1
SHINGLE = 5
LANGS = {"fr", "en", "es", "de"}
KINDS = ["exact", "edited", "truncated", "reheadlined", "boilerplate", "combined"]
# Pairs of look-alike but different events (hard negatives); see ../README.md.
HARD_NEGATIVES = [("coach-rochebrune", "coach-saint-maurel"), ("flood-calder", "flood-conwy"),
                  ("earnings-norland", "earnings-brightwave")]
FIELDS = ["id", "title", "text", "date", "lang", "source", "gold_dup", "gold_story"]
WORD = re.compile(r"\w+")


def words(text):
    return WORD.findall(text.lower())


def shingles(text, k=SHINGLE):
    w = words(text)
    return {tuple(w[i:i + k]) for i in range(len(w) - k + 1)}


def jaccard(a, b):
    if not a and not b:
        return 0.0  # two empty texts share no evidence; copies of such items are checked apart
    return len(a & b) / len(a | b)


def parse_date(s):
    """Returns (start datetime in UTC, granularity) for a full or partial ISO 8601 date."""
    if re.fullmatch(r"\d{4}-\d{2}", s):
        return dt.datetime.strptime(s, "%Y-%m").replace(tzinfo=dt.timezone.utc), "month"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return dt.datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc), "day"
    d = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    if d.tzinfo is None:
        d = d.replace(tzinfo=dt.timezone.utc)
    return d.astimezone(dt.timezone.utc), "time"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?",
                    default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                         "articles.jsonl"))
    ap.add_argument("--min-jaccard", type=float, default=None)
    args = ap.parse_args()

    failures = []

    def fail(msg):
        failures.append(msg)

    docs = []
    with open(args.path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                docs.append(json.loads(line))
            except json.JSONDecodeError as e:
                fail(f"line {n}: not JSON: {e}")
    byid = {}
    for d in docs:
        for k in FIELDS:
            if not isinstance(d.get(k), str):
                fail(f"{d.get('id')}: field {k!r} missing or not a string")
        if d.get("id") in byid:
            fail(f"duplicate id {d.get('id')}")
        byid[d.get("id")] = d
    if failures:
        for m in failures:
            print("FAIL:", m)
        return 1

    # ---- counts
    print(f"articles: {len(docs)}")
    for name, key in (("language", "lang"), ("story", "gold_story")):
        c = collections.Counter(d[key] for d in docs)
        print(f"\nper {name} ({len(c)}):")
        for k, v in sorted(c.items()):
            print(f"  {k:24s} {v}")
    kinds = collections.defaultdict(list)
    for d in docs:
        if d["gold_dup"] != d["id"]:
            kinds[d.get("copy_kind", "?")].append(d["id"])
    print(f"\nper copy kind ({sum(map(len, kinds.values()))} copies):")
    for k in KINDS + sorted(set(kinds) - set(KINDS)):
        print(f"  {k:12s} {len(kinds[k]):2d}  {' '.join(kinds[k])}")
    print(f"  {'(originals)':12s} {sum(d['gold_dup'] == d['id'] for d in docs):2d}")

    # ---- record checks
    for d in docs:
        i = d["id"]
        if d["lang"] not in LANGS:
            fail(f"{i}: unknown lang {d['lang']!r}")
        is_copy = d["gold_dup"] != i
        if is_copy != ("copy_kind" in d):
            fail(f"{i}: copy_kind must be set exactly on copies")
        if is_copy:
            o = byid.get(d["gold_dup"])
            if o is None:
                fail(f"{i}: gold_dup {d['gold_dup']} is not an id")
                continue
            if o["gold_dup"] != o["id"]:
                fail(f"{i}: gold_dup {o['id']} is itself a copy")
            if o["gold_story"] != d["gold_story"]:
                fail(f"{i}: gold_story differs from its original's")
            if d["copy_kind"] not in KINDS:
                fail(f"{i}: unknown copy_kind {d['copy_kind']!r}")
        try:
            d["_date"] = parse_date(d["date"])
        except ValueError:
            fail(f"{i}: bad date {d['date']!r}")
        nw = len(words(d["text"]))
        if d["text"] and not 80 <= nw <= 250 and d.get("copy_kind") != "boilerplate":
            fail(f"{i}: {nw} words in text (want 80..250)")
        if not d["text"] and len(words(d["title"])) > 6:
            fail(f"{i}: short item with a long title")
    if failures:
        for m in failures:
            print("FAIL:", m)
        return 1

    # ---- pairwise Jaccard
    sh = {d["id"]: shingles(d["text"]) for d in docs}
    pairs = []
    for a, b in itertools.combinations(docs, 2):
        j = jaccard(sh[a["id"]], sh[b["id"]])
        if a["gold_dup"] == b["gold_dup"]:
            rel = "copy"
        elif a["gold_story"] == b["gold_story"]:
            rel = "same-story"
        else:
            rel = "cross-story"
        pairs.append((j, a["id"], b["id"], rel))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    shown = [p for p in pairs if args.min_jaccard is None or p[0] >= args.min_jaccard]
    print(f"\nword {SHINGLE}-shingle Jaccard of texts, {len(shown)} of {len(pairs)} pairs"
          + ("" if args.min_jaccard is None else f" (>= {args.min_jaccard})") + ":")
    for j, a, b, rel in shown:
        print(f"  {j:.3f}  {a:18s} {b:18s} {rel}")

    # ---- copy checks
    print("\ncopies vs their original:")
    for d in docs:
        if d["gold_dup"] == d["id"]:
            continue
        o = byid[d["gold_dup"]]
        kind = d["copy_kind"]
        j = jaccard(sh[d["id"]], sh[o["id"]])
        if not o["text"].strip():
            ok = d["title"] == o["title"] and d["text"] == o["text"]
            print(f"  {d['id']:18s} <- {o['id']:18s} {kind:11s} empty text, same title: {ok}")
            if not ok:
                fail(f"{d['id']}: copy of a short item differs from it")
            continue
        need = TRUNCATED_MIN if kind == "truncated" else COPY_MIN
        extra = ""
        if kind == "boilerplate":
            extra = f"  (+{len(words(d['text'])) / len(words(o['text'])) - 1:.0%} words)"
        elif kind == "truncated":
            extra = f"  (keeps {len(words(d['text'])) / len(words(o['text'])):.0%} of the words)"
        print(f"  {d['id']:18s} <- {o['id']:18s} {kind:11s} J={j:.3f} (need >= {need}){extra}")
        if j < need:
            fail(f"{d['id']}: Jaccard {j:.3f} with {o['id']} < {need}")
        same_title, same_text = d["title"] == o["title"], d["text"] == o["text"]
        shape = {
            "exact": same_title and same_text,
            "reheadlined": same_text and not same_title,
            "truncated": not same_text and o["text"].startswith(d["text"]),
            "boilerplate": not same_text and o["text"] in d["text"],
            "edited": not same_text,
            "combined": not same_text and not same_title,
        }[kind]
        if not shape:
            fail(f"{d['id']}: is not a {kind!r} copy of {o['id']}")
        if d["source"] == o["source"]:
            fail(f"{d['id']}: same source as its original")
        delta = d["_date"][0] - o["_date"][0]
        if d["_date"][1] != "time" or o["_date"][1] != "time":
            fail(f"{d['id']}: a copy and its original need full date-times")
        elif not dt.timedelta(0) < delta <= dt.timedelta(hours=24):
            fail(f"{d['id']}: dated {delta} after its original (want 0 < delta <= 24 h)")

    # ---- cross-group and same-story checks
    for j, a, b, rel in pairs:
        if rel != "copy" and j >= CROSS_GROUP_MAX:
            fail(f"{a} / {b}: Jaccard {j:.3f} >= {CROSS_GROUP_MAX} across gold_dup groups")
        if rel == "same-story" and j >= SAME_STORY_DISTINCT_MAX:
            fail(f"{a} / {b}: distinct reports of one story with Jaccard {j:.3f} "
                 f">= {SAME_STORY_DISTINCT_MAX}")
    top = max((p for p in pairs if p[3] == "cross-story"), default=None)
    top_same = max((p for p in pairs if p[3] == "same-story"), default=None)
    if top:
        print(f"\nhighest cross-story pair: {top[0]:.3f} {top[1]} / {top[2]}")
    if top_same:
        print(f"highest pair of distinct reports of one story: {top_same[0]:.3f} "
              f"{top_same[1]} / {top_same[2]}")

    print("hard negatives (different stories that look alike), highest Jaccard of their texts:")
    story_of = {d["id"]: d["gold_story"] for d in docs}
    for s1, s2 in HARD_NEGATIVES:
        hn = [p for p in pairs if {story_of[p[1]], story_of[p[2]]} == {s1, s2}]
        if not hn:
            fail(f"hard negative stories {s1} / {s2} not found")
            continue
        j, a, b, _ = max(hn)
        print(f"  {s1} / {s2}: {j:.3f} ({a} / {b}, {len(hn)} pairs)")

    # ---- story date spans
    stories = collections.defaultdict(list)
    for d in docs:
        stories[d["gold_story"]].append(d)
    for s, ds in sorted(stories.items()):
        exact = [d["_date"][0] for d in ds if d["_date"][1] != "month"]
        if exact and max(exact) - min(exact) > dt.timedelta(days=4):
            fail(f"story {s}: dates span {max(exact) - min(exact)} (> 4 days)")
        for d in ds:
            if d["_date"][1] == "month" and exact and any(
                    (e.year, e.month) != (d["_date"][0].year, d["_date"][0].month) for e in exact):
                fail(f"{d['id']}: month-only date outside its story's month")

    print()
    if failures:
        for m in failures:
            print("FAIL:", m)
        print(f"check_sample: FAILED ({len(failures)} problems)")
        return 1
    print(f"check_sample: OK ({len(docs)} articles, {len(stories)} stories, "
          f"{sum(map(len, kinds.values()))} copies)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
