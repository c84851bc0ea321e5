"""Input and output shared by the benchmark peers: JSON Lines in (plain, gzip or stdin), and the
samestory output format out ({"id", "story"}, error records kept), so `samestory eval` scores them."""
import gzip
import json
import os
import sys


def open_input(path):
    if path == "-":
        return sys.stdin.buffer
    with open(path, "rb") as f:
        magic = f.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")


def read_records(path, id_field, body_or_title=False):
    """[(id, text, error)] per non-blank input line, in input order. text is title + body, or with
    body_or_title the body alone (the title when there is no body), as samestory fingerprints."""
    out, seen = [], set()
    with open_input(path) as f:
        for lineno, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except ValueError as e:
                out.append((None, None, "line %d: invalid JSON: %s" % (lineno, e)))
                continue
            if not isinstance(obj, dict):
                out.append((None, None, "line %d: not a JSON object" % lineno))
                continue
            doc_id = obj.get(id_field)
            if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)) or doc_id == "":
                out.append((None, None, "line %d: no id in field %r" % (lineno, id_field)))
                continue
            key = json.dumps(doc_id)
            if key in seen:
                out.append((doc_id, None, "line %d: duplicate id" % lineno))
                continue
            seen.add(key)
            title = obj.get("title")
            title = title if isinstance(title, str) else ""
            body = ""
            for field in ("text", "body", "content"):
                v = obj.get(field)
                if isinstance(v, str) and v.strip():
                    body = v
                    break
            text = (body or title) if body_or_title else (title + "\n" + body).strip()
            if not text:
                out.append((doc_id, None, "line %d: empty article: no title and no text" % lineno))
                continue
            out.append((doc_id, text, None))
    return out


def write_output(path, records, labels_of_doc):
    """labels_of_doc: one cluster label per usable record (in record order)."""
    first_id = {}
    k = 0
    lines = []
    for doc_id, text, err in records:
        if err is not None:
            lines.append(json.dumps({"id": doc_id, "story": None, "error": err}, ensure_ascii=False))
            continue
        lab = int(labels_of_doc[k])
        k += 1
        story = first_id.setdefault(lab, doc_id)
        lines.append(json.dumps({"id": doc_id, "story": story}, ensure_ascii=False))
    data = "\n".join(lines) + ("\n" if lines else "")
    if path == "-":
        sys.stdout.write(data)
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(data)


def parse_sweep(ap, args):
    """The thresholds of --sweep (comma-separated), creating --sweep-dir; [] without --sweep."""
    if not args.sweep:
        return []
    try:
        sweep = [float(x) for x in args.sweep.split(",") if x.strip()]
    except ValueError:
        ap.error("--sweep: comma-separated numbers")
    if not args.sweep_dir:
        ap.error("--sweep needs --sweep-dir")
    os.makedirs(args.sweep_dir, exist_ok=True)
    return sweep


def load_texts(path, id_field, log):
    """(records, usable texts) of read_records, or None after logging why the input is unreadable."""
    try:
        records = read_records(path, id_field)
    except OSError as e:
        log("cannot read %s: %s" % (path, e))
        return None
    return records, [text for _, text, err in records if err is None]
