"""samestory: find the same news story twice, from Python.

Copies of one article (a wire story republished, re-headlined, truncated, edited, OCR-noised)
and different reports of one event, with the C++ engine behind the `samestory` command. The
heavy work runs in C++ with the GIL released; Ctrl-C stops a long run between batches.

    >>> import samestory
    >>> r = samestory.dedup("articles.jsonl.gz")            # a path, paths, dicts, a DataFrame
    >>> r.labels      # per article: index of its group's representative (-1: a bad record)
    >>> r.keep        # True for the articles to keep (one per duplicate group)
    >>> c = samestory.cluster(records)
    >>> c.story       # per article: index of its story's earliest article

Records are dicts with ``id``, ``title``, ``text`` (or ``body``/``content``), optional ``date``
(ISO 8601), ``lang``, ``source``: the fields of the command's JSON Lines input, read by the same
reader. A bad record (no id, a duplicate id, no text, invalid UTF-8) comes back with an error in
``errors``; it never raises.
"""

import gzip as _gzip
import json as _json
import os as _os

import numpy as _numpy  # imported with the package, not inside the first call (50 ms)

from . import _core

__all__ = ["dedup", "cluster", "score", "Fingerprinter", "DedupResult", "ClusterResult", "NearDuplicates",
           "StoryClusterer", "Feed"]

_BATCH = 4096
_KINDS = ("", "copy", "partial")


def _open_lines(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    f = _gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")
    with f:
        first = True
        for line in f:
            if first and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            first = False
            yield line.rstrip(b"\r\n")


def _records(records, id_field):
    """A path (str or os.PathLike) as is; anything else as a callable giving batches of JSON."""
    if isinstance(records, (str, _os.PathLike)):
        path = _os.fspath(records)
        if not _os.path.exists(path) and path != "-":
            raise FileNotFoundError(path)
        return path
    try:
        import pandas
        if isinstance(records, pandas.DataFrame):
            # A missing cell (NaN, None, NaT) is an absent field, as in a JSON Lines record.
            records = ({k: v for k, v in r.items() if not _missing(pandas, v)}
                       for r in records.to_dict("records"))
    except ImportError:
        pass
    if isinstance(records, (list, tuple)) and records and all(
            isinstance(p, _os.PathLike) or (isinstance(p, str) and _os.path.isfile(p))
            for p in records):
        items = (line for p in records for line in _open_lines(_os.fspath(p)))
    else:
        items = (_as_json(i, r, id_field) for i, r in enumerate(records))
    it = iter(items)

    def next_batch():
        batch = []
        for item in it:
            batch.append(item)
            if len(batch) == _BATCH:
                break
        return batch or None

    return next_batch


def _missing(pandas, value):
    try:
        return bool(pandas.isna(value))
    except (TypeError, ValueError):  # a list or an array: a value
        return False


def _as_json(i, record, id_field):
    if isinstance(record, (bytes, bytearray)):
        return bytes(record)
    if isinstance(record, str):  # a bare text: its position is its id
        return _json.dumps({id_field: i, "text": record})
    if isinstance(record, dict):
        return _json.dumps(record, default=_jsonable)
    # Not a record: the reader answers it with an error, as it would a line that is not an object.
    return _json.dumps(f"record {i} is a {type(record).__name__}, not a dict")


def _jsonable(value):
    """Dates and numpy/pandas scalars in DataFrames: ISO text and plain numbers."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    if value != value:  # NaN (a missing DataFrame cell)
        return None
    return str(value)


class DedupResult:
    """The answer of :func:`dedup`, one entry per input record, in input order.

    Attributes (numpy arrays unless said): ``ids`` (list of str), ``labels`` (int64: the record
    index of the duplicate group's representative, the record itself when it has no copy, -1 for
    a bad record), ``dup`` (list: the representative's id), ``score`` (float32: the sampled
    containment with it), ``kind`` (object: "copy", "partial" or ""), ``keep`` (bool: the
    representatives), ``short`` (bool), ``errors`` and ``warnings`` (dict index -> message),
    ``summary`` (dict).
    """

    def __init__(self, run):
        self._run = run
        d = run.records()
        numpy = _numpy
        self.ids = d["ids"]
        self.lines = d["lines"]
        self.labels = d["labels"]
        self.score = d["score"]
        self.kind = numpy.array(_KINDS, dtype=object)[d["kind"]]
        self.short = d["short"].astype(bool)
        self.errors = {i: e for i, e in enumerate(d["errors"]) if e}
        self.warnings = {i: w for i, w in enumerate(d["warnings"]) if w}
        self.keep = self.labels == numpy.arange(len(self.labels))
        self.dup = [self.ids[j] if j >= 0 else "" for j in self.labels]
        self.summary = run.summary()
        self._input_error = d["input_error"]

    def __len__(self):
        return len(self.ids)

    def to_jsonl(self):
        """The JSON Lines the ``samestory`` command writes for the same input, as str."""
        return self._run.to_jsonl().decode("utf-8", errors="surrogateescape")

    def to_records(self):
        """The output records as dicts (one per input record)."""
        return [_json.loads(line) for line in self.to_jsonl().splitlines()]

    def to_pandas(self):
        import pandas
        return pandas.DataFrame(self._columns())

    def _columns(self):
        n = len(self.ids)
        return {"id": self.ids, "dup": self.dup, "dup_score": self.score, "dup_kind": self.kind,
                "keep": self.keep, "short": self.short,
                "error": [self.errors.get(i, "") for i in range(n)]}

    def __repr__(self):
        s = self.summary
        return (f"<{type(self).__name__}: {s['articles']} articles, {s['groups']} duplicate "
                f"groups, {s['bad_records']} bad records>")


class ClusterResult(DedupResult):
    """The answer of :func:`cluster`: a :class:`DedupResult` plus ``story`` (int64: the record
    index of the story's earliest article, -1 for a bad record), ``story_ids`` (list) and
    ``stories`` (list of dicts, when ``summarize_stories=True``)."""

    def __init__(self, run):
        super().__init__(run)
        self.story = run.records()["story"]
        self.story_ids = [self.ids[j] if j >= 0 else "" for j in self.story]
        self.stories = run.stories()

    def _columns(self):
        c = super()._columns()
        c["story"] = self.story_ids
        return c

    def __repr__(self):
        s = self.summary
        return (f"<ClusterResult: {s['articles']} articles, {s['groups']} duplicate groups, "
                f"{s['stories']} stories of 2+, {s['bad_records']} bad records>")


def _run(kind, records, options, progress):
    id_field = options.get("id_field") or "id"
    source = _records(records, id_field)
    run = (_core.dedup if kind == "dedup" else _core.cluster)(source, options, progress)
    result = DedupResult(run) if kind == "dedup" else ClusterResult(run)
    if result._input_error:
        err = OSError(f"the input broke off: {result._input_error} "
                      f"({len(result)} records read before it are in .partial_result)")
        err.partial_result = result
        raise err
    return result


def dedup(records, *, n_jobs=0, progress=None, **options):
    """Groups copies of one article.

    records: a path (JSON Lines, .gz recognised), a list of paths, an iterable of dicts, a pandas
    DataFrame, or a sequence of str (bare texts, ids are their positions).
    n_jobs: worker threads (0 = all cores). progress: None or callable(records, bytes), called
    after every batch. Options are the ``samestory dedup`` flags with underscores: threshold
    (copy rule containment, 0.7), short_threshold, window_hours (96), exact (False),
    lsh_threshold, bands, rows, seed, fold_accents, id_field ("id"), max_record_bytes,
    batch_size, memory_limit, and the rule's others (see ``option_names("dedup")``).
    Returns a :class:`DedupResult`. Raises ValueError for a bad option, FileNotFoundError or
    OSError for an unreadable input, KeyboardInterrupt on Ctrl-C.
    """
    return _run("dedup", records, dict(options, n_jobs=n_jobs), progress)


def cluster(records, *, n_jobs=0, progress=None, **options):
    """Groups copies, then reports of the same event into stories.

    records and the dedup options as :func:`dedup`; story options are the ``samestory cluster``
    flags with underscores: story_threshold (0.04), join_threshold, index (a FAISS factory
    string), knn, candidates, dim, window_days, date_slack_days, max_df, min_df, stemming
    (True), model (a saved TF-IDF model), summarize_stories (False). Returns a
    :class:`ClusterResult`.
    """
    return _run("cluster", records, dict(options, n_jobs=n_jobs), progress)


def option_names(mode="dedup"):
    """The keyword options of dedup, cluster or feed."""
    return sorted(_core.option_names(mode))


def score(gold, pred):
    """Clustering scores of ``pred`` against ``gold`` (the ``samestory eval`` metrics).

    gold, pred: label sequences of equal length (label i names document i's cluster), or dicts
    id -> label (joined on id; ids only in gold count as predicted singletons). Returns a dict:
    pair and B-cubed precision/recall/F1, ARI, NMI, counts.
    """
    if isinstance(gold, dict) and isinstance(pred, dict):
        ids = list(gold)
        pred = [str(pred[i]) if i in pred else f"\x00missing:{i}" for i in ids]
        gold = [str(gold[i]) for i in ids]
    return _core.score([str(g) for g in gold], [str(p) for p in pred])


class Fingerprinter:
    """Fingerprints for users who find candidate pairs themselves (a Spark, Dask or Ray shuffle).

        fp = samestory.Fingerprinter().fingerprint(records)
        fp.signatures   # (n, sketch_bins) uint32: the one-permutation MinHash sketch
        fp.band_keys    # (n, columns) uint32: LSH band keys (first ``fp.bands`` columns), then
                        # sentence anchors; records sharing a nonzero key in a column are candidates

    The keys are the batch's own (``dedup`` buckets by them), 32-bit and never 0 (0 = no key: a
    short record, compared whole by ``text_hash``, or a bad one, see ``errors``). Options: those
    of :func:`dedup` that shape fingerprints and keys (gram, sketch_bins, anchors, sample_rate,
    seed, lsh_threshold, bands, rows, ...).
    """

    def __init__(self, n_jobs=0, **options):
        unknown = set(options) - set(_core.option_names("dedup"))
        if unknown:
            raise TypeError(f"unexpected keyword argument {sorted(unknown)[0]!r}")
        self.n_jobs = n_jobs
        self.options = options

    def fingerprint(self, records, progress=None):
        """Returns an object with ids, errors (dict), signatures, band_keys, bands, text_hash,
        short."""
        id_field = self.options.get("id_field") or "id"
        d = _core.fingerprint(_records(records, id_field), dict(self.options, n_jobs=self.n_jobs),
                              progress)
        if d["input_error"]:
            raise OSError(f"the input broke off: {d['input_error']}")
        import types
        return types.SimpleNamespace(
            ids=d["ids"], errors={i: e for i, e in enumerate(d["errors"]) if e},
            signatures=d["signatures"], band_keys=d["band_keys"], bands=d["bands"],
            text_hash=d["text_hash"], short=d["short"].astype(bool))


class _Estimator:
    """scikit-learn's estimator protocol without needing scikit-learn: constructor parameters,
    get_params/set_params (so sklearn.base.clone works), fit, fit_predict, labels_."""

    _kind = "dedup"

    def __init__(self, n_jobs=0, **options):
        self.n_jobs = n_jobs
        unknown = set(options) - set(_core.option_names(self._kind))
        if unknown:
            raise TypeError(f"unexpected keyword argument {sorted(unknown)[0]!r}")
        self._options = dict(options)

    def get_params(self, deep=True):
        return dict(self._options, n_jobs=self.n_jobs)

    def set_params(self, **params):
        if "n_jobs" in params:
            self.n_jobs = params.pop("n_jobs")
        unknown = set(params) - set(_core.option_names(self._kind))
        if unknown:
            raise ValueError(f"invalid parameter {sorted(unknown)[0]!r} for {type(self).__name__}")
        self._options.update(params)
        return self

    def __getattr__(self, name):
        options = self.__dict__.get("_options", {})
        if name in options:
            return options[name]
        raise AttributeError(name)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in sorted(self.get_params().items()))
        return f"{type(self).__name__}({args})"

    def fit(self, X, y=None):
        run = dedup if self._kind == "dedup" else cluster
        self.result_ = run(X, n_jobs=self.n_jobs, **self._options)
        self.labels_ = self.result_.labels if self._kind == "dedup" else self.result_.story
        return self

    def fit_predict(self, X, y=None):
        return self.fit(X).labels_


class NearDuplicates(_Estimator):
    """Copies of one article as an estimator: ``labels_`` is each record's group representative
    (record index; -1 for a bad record); ``result_`` the :class:`DedupResult`. Parameters: as
    :func:`dedup`."""

    _kind = "dedup"


class StoryClusterer(_Estimator):
    """Stories as an estimator: ``labels_`` is each record's story (the record index of its
    earliest article; -1 for a bad record); ``result_`` the :class:`ClusterResult`. Parameters:
    as :func:`cluster`."""

    _kind = "cluster"


class Feed:
    """The news feed: records answered one at a time against a crash-safe state directory, with
    the same answers and merge records as ``samestory feed``.

        with samestory.Feed("state/") as feed:
            answer = feed.process({"id": "a1", "title": ..., "text": ..., "date": ...})
            answer["dup"], answer["story"], answer["new_story"]

    ``process`` returns the record's answer (a dict, as the command's output line); the merge
    records it caused (``{"merge", "into", "score"}``) are appended to ``merges``. Options: the
    ``samestory feed`` flags with underscores (see ``option_names("feed")``).
    """

    def __init__(self, state_dir, **options):
        self._feed = _core.Feed(_os.fspath(state_dir), options)
        self.merges = []

    def _answer(self, text):
        lines = [_json.loads(line) for line in text.splitlines() if line]
        self.merges.extend(lines[1:])
        return lines[0] if lines else None

    def process(self, record):
        """Answers one record (a dict, or its JSON text). Returns the answer as a dict."""
        line = record if isinstance(record, (str, bytes)) else _json.dumps(record,
                                                                           default=_jsonable)
        return self._answer(self._feed.process(line))

    def process_many(self, records):
        """Answers records in order; returns every output record (answers and merges), as the
        command writes them."""
        out = []
        for r in records:
            start = len(self.merges)
            out.append(self.process(r))
            out.extend(self.merges[start:])
        return out

    def flush(self):
        """Runs pending merges (merge_every > 1); returns their merge records."""
        merges = [_json.loads(line) for line in self._feed.flush().splitlines() if line]
        self.merges.extend(merges)
        return merges

    @property
    def answered(self):
        return self._feed.answered()

    @property
    def stats(self):
        return self._feed.stats()

    def snapshot(self):
        self._feed.snapshot()

    def close(self):
        """Runs pending merges and syncs the state to disk."""
        self.flush()
        self._feed.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._feed.close() if exc[0] is not None else self.close()
        return False
