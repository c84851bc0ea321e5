"""Shared text rules for the Reuters-21578 copy pairs (sample_reuters_pairs.py, pair_features.py).

One definition of each measure, so the sampler and the feature printer cannot drift:
  tokens   lowercase, [a-z0-9]+ runs, of the body (`text`), or of the title when the body is empty
  J5       Jaccard of word 5-shingle sets
  C3       containment of word 3-shingle sets, |A & B| / min(|A|, |B|)
  CJ5      Jaccard of character 5-gram sets of the tokens joined by single spaces
  TJ       Jaccard of title token sets (0 when either title is empty)
A text shorter than k words (k characters) has one shingle: all of it.
Python 3 standard library only.
"""
import datetime as dt
import gzip
import json
import re

TOKEN = re.compile(r"[a-z0-9]+")


def tokens(s):
    return TOKEN.findall(s.lower())


def word_shingles(toks, k):
    if len(toks) < k:
        return {" ".join(toks)}
    return {" ".join(toks[i:i + k]) for i in range(len(toks) - k + 1)}


def char_grams(toks, k=5):
    s = " ".join(toks)
    if len(s) < k:
        return {s}
    return {s[i:i + k] for i in range(len(s) - k + 1)}


def jaccard(a, b):
    if not a or not b:
        return 0.0
    i = len(a & b)
    return i / (len(a) + len(b) - i)


def containment(a, b):
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def parse_date(s):
    return dt.datetime.fromisoformat(s) if s else None


def gap_hours(da, db):
    """Absolute date gap in hours, None when a date is missing (only r17192)."""
    if da is None or db is None:
        return None
    return abs((da - db).total_seconds()) / 3600.0


def load_corpus(path):
    """{id: record} plus derived fields: toks (body tokens), ttoks (title tokens), when (datetime).
    Records with neither body nor title tokens (the UNPROC tables) are left out."""
    docs = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            toks = tokens(r["text"] or r["title"])
            if not toks:
                continue
            r["toks"] = toks
            r["ttoks"] = tokens(r["title"])
            r["when"] = parse_date(r["date"])
            docs[r["id"]] = r
    return docs


def newid(doc_id):
    return int(doc_id[1:])


def pair_features(a, b):
    """Measures of one pair of records from load_corpus."""
    ta, tb = a["toks"], b["toks"]
    return {
        "j5": jaccard(word_shingles(ta, 5), word_shingles(tb, 5)),
        "c3": containment(word_shingles(ta, 3), word_shingles(tb, 3)),
        "cj5": jaccard(char_grams(ta), char_grams(tb)),
        "tj": jaccard(set(a["ttoks"]), set(b["ttoks"])),
        "same_title": bool(a["ttoks"]) and a["ttoks"] == b["ttoks"],
        "gap_h": gap_hours(a["when"], b["when"]),
        "min_len": min(len(ta), len(tb)),
        "max_len": max(len(ta), len(tb)),
    }
