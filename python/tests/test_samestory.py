"""Tests of the Python package: results equal the command's, every input form gives the same
labels, the GIL is released, Ctrl-C stops a run, estimators clone, bad records are errors."""

import gzip
import json
import os
import signal
import subprocess
import threading
import time

import numpy
import pytest

import samestory

SOURCE = os.environ.get("SAMESTORY_SOURCE_DIR",
                        os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.environ.get("SAMESTORY_CLI", "samestory")
SAMPLE = os.path.join(SOURCE, "datasets", "sample", "articles.jsonl")
REUTERS = os.path.join(SOURCE, "..", "shared", "datasets", "reuters21578",
                       "reuters21578.jsonl.gz")


def cli(tmp_path, *args):
    out = tmp_path / "cli.jsonl"
    subprocess.run([CLI, *args, "-q", "-o", str(out)], check=True, stderr=subprocess.DEVNULL)
    return out.read_text(encoding="utf-8", errors="surrogateescape")


def read_records(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def many_articles(tmp_path, copies):
    """The sample repeated under new ids (each repetition a copy of the last): a larger input."""
    base = read_records(SAMPLE)
    path = tmp_path / "many.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for k in range(copies):
            for r in base:
                f.write(json.dumps(dict(r, id=f"{r['id']}-{k}")) + "\n")
    return str(path)


@pytest.mark.parametrize("mode", ["dedup", "cluster"])
def test_sample_equals_the_command(tmp_path, mode):
    result = getattr(samestory, mode)(SAMPLE)
    assert result.to_jsonl() == cli(tmp_path, mode, SAMPLE)
    assert result.summary["groups"] > 0
    if mode == "cluster":  # the sample has stories, so some component joins two vectors
        assert 2 <= result.summary["largest_component"] <= result.summary["vectors"]


@pytest.mark.parametrize("mode", ["dedup", "cluster"])
def test_reuters_equals_the_command(tmp_path, mode):
    if not os.path.exists(REUTERS):
        pytest.skip(f"{REUTERS} absent (../shared/datasets not beside the repository)")
    result = getattr(samestory, mode)(REUTERS, n_jobs=2)
    expected = cli(tmp_path, mode, "--threads", "2", REUTERS)
    assert result.to_jsonl() == expected
    records = [json.loads(line) for line in expected.splitlines()]
    assert len(result) == len(records) == 21578
    # The arrays say what the lines say.
    for i, rec in enumerate(records):
        if "error" in rec:
            assert result.labels[i] == -1 and result.errors[i] == rec["error"]
        else:
            assert result.dup[i] == rec["dup"]
            if mode == "cluster":
                assert result.story_ids[i] == rec["story"]


def test_every_input_form_gives_the_same_labels(tmp_path):
    pandas = pytest.importorskip("pandas")
    records = read_records(SAMPLE)
    half = len(records) // 2
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl.gz"
    a.write_text("".join(json.dumps(r) + "\n" for r in records[:half]), encoding="utf-8")
    with gzip.open(b, "wt", encoding="utf-8") as f:
        f.write("".join(json.dumps(r) + "\n" for r in records[half:]))
    expected = samestory.cluster(SAMPLE)
    forms = {
        "list of paths": [str(a), b],
        "dicts": records,
        "generator": (r for r in records),
        "DataFrame": pandas.DataFrame(records),
    }
    for name, form in forms.items():
        got = samestory.cluster(form)
        assert got.ids == expected.ids, name
        numpy.testing.assert_array_equal(got.labels, expected.labels, err_msg=name)
        numpy.testing.assert_array_equal(got.story, expected.story, err_msg=name)
    assert expected.labels.tolist() != list(range(len(records)))  # copies were found


def test_bare_texts_are_numbered():
    texts = [r["text"] for r in read_records(SAMPLE)]
    result = samestory.dedup(texts)
    assert result.ids == [str(i) for i in range(len(texts))]
    empty = {i for i, t in enumerate(texts) if not t.strip()}
    assert set(result.errors) == empty and all("no title and no text" in e
                                               for e in result.errors.values())
    assert sum(result.labels >= 0) == len(texts) - len(empty) and not result.keep.all()


def test_bad_records_come_back_as_errors():
    good = "one two three four five six seven eight nine ten"
    records = [
        {"id": "a", "text": good},
        {"id": "a", "text": good + " again"},      # a duplicate id
        {"title": "no id", "text": good},
        {"id": "e", "text": ""},                   # no title and no text
        {"id": "s", "text": "bad \udcff surrogate"},
        b'{"id": "u", "text": "bad \xff byte"}',    # invalid UTF-8
        b"not json",
        42,                                        # not a record at all
        {"id": "z", "text": good},
    ]
    result = samestory.dedup(records)
    assert len(result) == len(records)
    assert sorted(result.errors) == [1, 2, 3, 4, 5, 6, 7]
    assert "duplicate id" in result.errors[1]
    assert result.labels[0] >= 0 and result.labels[8] >= 0
    assert (result.labels[1:8] == -1).all()
    assert result.summary["bad_records"] == 7


def test_errors_raise_the_right_exceptions(tmp_path):
    with pytest.raises(FileNotFoundError):
        samestory.dedup(str(tmp_path / "absent.jsonl"))
    with pytest.raises(ValueError):
        samestory.dedup(SAMPLE, threshold=2.0)
    with pytest.raises(TypeError):
        samestory.dedup(SAMPLE, no_such_option=1)
    broken = tmp_path / "broken.jsonl.gz"
    data = gzip.compress(open(SAMPLE, "rb").read())
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(OSError) as e:
        samestory.dedup(str(broken))
    assert 0 < len(e.value.partial_result) < 58


def test_the_records_own_exception_is_raised():
    def records():
        yield {"id": "a", "text": "one two three four five six"}
        raise RuntimeError("the source failed")

    with pytest.raises(RuntimeError, match="the source failed"):
        samestory.dedup(records())


def test_gil_is_released(tmp_path):
    path = many_articles(tmp_path, 400)  # about 23,000 articles
    ticks = [0]
    running = threading.Event()
    stop = threading.Event()

    def count():
        running.set()
        while not stop.is_set():
            ticks[0] += 1

    t = threading.Thread(target=count)
    t.start()
    running.wait()
    # The counter's rate while this thread waits without the GIL.
    before = ticks[0]
    time.sleep(0.3)
    rate = (ticks[0] - before) / 0.3
    start = ticks[0]
    t0 = time.perf_counter()
    result = samestory.dedup(path, n_jobs=1)
    seconds = time.perf_counter() - t0
    during = ticks[0] - start
    stop.set()
    t.join()
    assert len(result) == 400 * 58
    # Held, the GIL would let the counter run only at the call's edges (a few 5 ms switch
    # intervals); released, at about its own rate (one core for it, one for the run).
    assert during > 0.3 * rate * seconds, (during, rate, seconds)


def test_ctrl_c_cancels_a_run(tmp_path):
    path = many_articles(tmp_path, 2000)  # about 116,000 articles: several seconds
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    t0 = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        samestory.cluster(path, n_jobs=1)
    timer.join()
    assert time.perf_counter() - t0 < 5, "the run went on after Ctrl-C"


def test_estimators_clone_and_fit():
    records = read_records(SAMPLE)
    est = samestory.StoryClusterer(story_threshold=0.05, n_jobs=1)
    assert est.get_params() == {"story_threshold": 0.05, "n_jobs": 1}
    est.set_params(story_threshold=0.04)
    assert est.story_threshold == 0.04
    labels = est.fit_predict(records)
    numpy.testing.assert_array_equal(labels, samestory.cluster(records).story)
    base = pytest.importorskip("sklearn.base")
    twin = base.clone(est)
    assert twin is not est and twin.get_params() == est.get_params()
    assert not hasattr(twin, "labels_")
    dups = samestory.NearDuplicates(threshold=0.7).fit(records)
    numpy.testing.assert_array_equal(dups.labels_, samestory.dedup(records).labels)
    with pytest.raises(ValueError):
        est.set_params(no_such_option=1)


def test_feed_answers_as_the_command(tmp_path):
    expected = [json.loads(line) for line in
                cli(tmp_path, "feed", "--state", str(tmp_path / "cli_state"), SAMPLE).splitlines()]
    with samestory.Feed(tmp_path / "py_state") as feed:
        got = feed.process_many(read_records(SAMPLE))
        got.extend(feed.flush())
        assert feed.answered == 58
    assert got == expected
    assert any("new_story" in a for a in got)
    # A reopened state remembers: the same record is answered as before (a replay).
    with samestory.Feed(tmp_path / "py_state") as feed:
        again = feed.process(read_records(SAMPLE)[0])
        assert again == expected[0]


def test_score_matches_known_values():
    s = samestory.score(["a", "a", "b", "b"], ["x", "x", "y", "z"])
    assert s["pair_precision"] == 1.0 and s["pair_recall"] == 0.5
    by_id = samestory.score({"1": "a", "2": "a"}, {"1": "x"})
    assert by_id["missing_in_pred"] == 0 and by_id["pair_recall"] == 0.0


def test_fingerprints_key_every_copy_the_batch_finds():
    records = read_records(SAMPLE)
    fp = samestory.Fingerprinter().fingerprint(records)
    dups = samestory.dedup(records)
    n = len(records)
    assert fp.ids == dups.ids
    assert fp.signatures.shape[0] == n and fp.signatures.dtype == numpy.uint32
    assert fp.band_keys.shape[0] == n and fp.bands > 0
    pairs = 0
    for i in range(n):
        j = dups.labels[i]
        if j < 0 or j == i or fp.short[i] or fp.short[j]:
            continue
        shared = (fp.band_keys[i] == fp.band_keys[j]) & (fp.band_keys[i] != 0)
        assert shared.any(), (fp.ids[i], fp.ids[j])
        pairs += 1
    assert pairs > 5
    # Different articles rarely share a band key.
    a, b = fp.band_keys[0, :fp.bands], fp.band_keys[-1, :fp.bands]
    assert (a != b).sum() > fp.bands // 2
