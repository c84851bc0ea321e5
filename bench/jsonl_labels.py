"""Reading JSON Lines for the scoring scripts (score_dedup.py, score_story_buckets.py,
copies/score_copies.py): plain, gzip (by its magic bytes) or stdin, and ids or labels compared as
strings (an integer or other JSON value by its JSON text)."""
import gzip
import json
import sys


def open_text(path):
    if path == "-":
        return sys.stdin
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, "r", encoding="utf-8")


def key(v):
    """Ids and labels may be strings, integers or other JSON: compare them as JSON text."""
    return v if isinstance(v, str) else json.dumps(v, sort_keys=True)


def read_labels(path, field, tool):
    """id -> label of `field` for the records that have both and no error, in file order; a line
    that is not JSON ends the program with a message naming `tool`."""
    out = {}
    with open_text(path) as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except ValueError as e:
                sys.exit("%s: %s:%d: bad JSON: %s" % (tool, path, lineno, e))
            if not isinstance(r, dict) or r.get("error") is not None:
                continue
            if r.get("id") is None or r.get(field) is None:
                continue
            out[key(r["id"])] = key(r[field])
    return out
