#!/usr/bin/python3
"""The scikit-learn + FAISS kNN-graph story clustering a user would write instead of
`samestory cluster`.

It is a benchmark peer of `samestory cluster` (bench/cluster_macro.sh): same input, and output that
`samestory eval --pred-field story` scores. Debian's python3 with python3-faiss (1.7.3),
python3-sklearn (1.2.1), python3-scipy and python3-numpy; no pip.

  text     `title` + "\\n" + body, body = the first non-empty of `text`, `body`, `content`
  features TfidfVectorizer(sublinear_tf=True, max_df=0.5) -> TruncatedSVD(256, randomized,
           random_state=0; min(256, terms) components) -> rows L2-normalized, float32. With at
           most 256 articles the SVD keeps the whole row space (sklearn returns n components):
           the cosines are then exactly the TF-IDF ones, so the cosine scale, and the threshold
           that fits, depend on corpus size.
  graph    faiss.IndexFlatIP (exact inner product = cosine): each article's k = 10 nearest other
           articles (k + 1 searched, the article itself dropped); an undirected edge for every
           neighbour with cosine >= T
  stories  scipy.sparse.csgraph.connected_components (single linkage over the kNN graph)
  T        a cosine SIMILARITY in the projected space; default 0.60
  output   one JSON line per non-blank input line, input order: {"id", "story"}, story = the id of
           the story's first article in input order; {"id": id-or-null, "story": null, "error"}
           for a record that cannot be used (bad JSON, no id, repeated id, no title and no text).
  threads  FAISS uses OpenMP over all cores (OMP_NUM_THREADS to change), the SVD numpy's BLAS.

  --sweep T1,T2,... --sweep-dir DIR
           also writes DIR/t<T>.jsonl for every T of the list from the same kNN search (the edges
           filtered to cosine >= T). For the benchmark's oracle rows.

usage: faiss_cluster_peer.py INPUT.jsonl[.gz] [-o OUT.jsonl] [--threshold T] [--k 10] [--dim 256]
                             [--id-field id] [--sweep LIST --sweep-dir DIR]
Timings and counts go to stderr. Exit 0 on success, 1 on bad usage or input.
"""
import argparse
import os
import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from peer_io import load_texts, parse_sweep, write_output  # noqa: E402

DEFAULT_THRESHOLD = 0.60


def log(msg):
    print("faiss_cluster_peer: " + msg, file=sys.stderr, flush=True)


def components(n, rows, cols, sims, t):
    keep = sims >= t
    A = sp.coo_matrix((np.ones(int(keep.sum()), dtype=np.int8), (rows[keep], cols[keep])),
                      shape=(n, n)).tocsr()
    return connected_components(A, directed=False)[1], int(keep.sum())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input")
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                    help="cosine similarity of an edge (%.2f)" % DEFAULT_THRESHOLD)
    ap.add_argument("--k", type=int, default=10, help="neighbours per article (10)")
    ap.add_argument("--dim", type=int, default=256, help="TruncatedSVD components (256)")
    ap.add_argument("--id-field", default="id")
    ap.add_argument("--sweep", default="", help="comma-separated thresholds for --sweep-dir")
    ap.add_argument("--sweep-dir", default="")
    args = ap.parse_args()
    if not -1.0 <= args.threshold <= 1.0:
        ap.error("--threshold is a cosine similarity, in [-1, 1]")
    if args.k < 1 or args.dim < 1:
        ap.error("--k and --dim must be >= 1")
    sweep = parse_sweep(ap, args)

    t0 = time.perf_counter()
    loaded = load_texts(args.input, args.id_field, log)
    if loaded is None:
        return 1
    records, texts = loaded
    n = len(texts)
    t_read = time.perf_counter()
    log("%d records, %d usable, %d with an error; threshold (cosine similarity) %.4g, k %d"
        % (len(records), n, len(records) - n, args.threshold, args.k))

    import faiss
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    X = None
    if n >= 1:
        try:
            X = TfidfVectorizer(sublinear_tf=True, max_df=0.5).fit_transform(texts)
        except ValueError as e:  # e.g. every term pruned by max_df in a tiny batch
            log("TfidfVectorizer: %s: every article is its own story" % e)
    vocab = X.shape[1] if X is not None else 0
    t_tfidf = time.perf_counter()

    projection = "none"
    rows = cols = sims = np.zeros(0)
    if X is None or n < 2:
        labels = np.arange(n)
        results = {t: labels for t in sweep}
        t_svd = t_knn = time.perf_counter()
    else:
        E = TruncatedSVD(n_components=min(args.dim, vocab), random_state=0).fit_transform(X)
        projection = "TruncatedSVD(%d) -> %d dims" % (min(args.dim, vocab), E.shape[1])
        E = np.ascontiguousarray(normalize(E), dtype=np.float32)
        t_svd = time.perf_counter()
        index = faiss.IndexFlatIP(E.shape[1])
        index.add(E)
        k = min(args.k + 1, n)
        D, I = index.search(E, k)
        # Drop each article itself (wherever the search put it; with exact ties it may not be
        # first), keep the first args.k others.
        rows_l, cols_l, sims_l = [], [], []
        for i in range(n):
            m = (I[i] != i) & (I[i] >= 0)
            js, ss = I[i][m][:args.k], D[i][m][:args.k]
            rows_l.append(np.full(len(js), i, dtype=np.int64))
            cols_l.append(js.astype(np.int64))
            sims_l.append(ss)
        rows, cols, sims = np.concatenate(rows_l), np.concatenate(cols_l), np.concatenate(sims_l)
        t_knn = time.perf_counter()
        labels, n_edges = components(n, rows, cols, sims, args.threshold)
        results = {t: components(n, rows, cols, sims, t)[0] for t in sweep}
        log("kNN graph: %d directed edges with cosine >= %.4g of %d searched"
            % (n_edges, args.threshold, len(sims)))
    t_cluster = time.perf_counter()

    write_output(args.output, records, labels)
    for t in sweep:
        write_output(os.path.join(args.sweep_dir, "t%s.jsonl" % format(t, "g")), records, results[t])
    t_write = time.perf_counter()

    if n:
        counts = np.bincount(np.unique(labels, return_inverse=True)[1])
        log("%d terms, projection %s; %d stories, %d of two or more articles, largest %d"
            % (vocab, projection, len(counts), int((counts >= 2).sum()), int(counts.max())))
    log("seconds: read %.3f, tfidf %.3f, svd %.3f, knn %.3f, components %.3f, write %.3f, "
        "total %.3f" % (t_read - t0, t_tfidf - t_read, t_svd - t_tfidf, t_knn - t_svd,
                        t_cluster - t_knn, t_write - t_cluster, t_write - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
