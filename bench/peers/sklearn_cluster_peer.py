#!/usr/bin/python3
"""The scikit-learn story clustering a user would write instead of `samestory cluster`.

It is a benchmark peer of `samestory cluster` (bench/cluster_macro.sh): same input, and output that
`samestory eval --pred-field story` scores. Debian's python3 with python3-sklearn (1.2.1),
python3-scipy and python3-numpy; no pip.

  text     `title` + "\\n" + body, body = the first non-empty of `text`, `body`, `content`
  features TfidfVectorizer(sublinear_tf=True, max_df=0.5): sklearn's tokenizer (\\b\\w\\w+\\b,
           lowercased), no stemming, no stop-word list, smoothed idf, L2-normalized rows
  --method agglo (default threshold 0.80)
           AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
           distance_threshold=T) on the dense TF-IDF matrix: all-pairs cosine distances, O(n^2)
           memory and time. Refuses (exit 4) when there are more than --max-docs (25,000) usable
           documents, or when the dense matrix plus the condensed distance matrix would exceed
           --max-dense-gb (4 GB) of float64.
  --method radius (default threshold 0.50)
           NearestNeighbors(radius=T, metric="cosine").radius_neighbors_graph (brute force over
           the sparse matrix) + scipy.sparse.csgraph.connected_components: single linkage at
           cosine distance <= T.
  T        a cosine DISTANCE (1 - cosine similarity) for both methods.
  output   one JSON line per non-blank input line, input order: {"id", "story"}, story = the id of
           the story's first article in input order; {"id": id-or-null, "story": null, "error"}
           for a record that cannot be used (bad JSON, no id, repeated id, no title and no text).

  --sweep T1,T2,... --sweep-dir DIR
           also writes DIR/t<T>.jsonl for every T of the list (same format), from ONE fit: the
           agglomerative tree cut at each T exactly as sklearn cuts it (the merges with distance
           < T; checked against sklearn's own labels at --threshold), or the radius graph built at
           the largest radius and filtered to distance <= T. For the benchmark's oracle rows.

usage: sklearn_cluster_peer.py INPUT.jsonl[.gz] [-o OUT.jsonl] [--method agglo|radius]
                               [--threshold T] [--id-field id] [--sweep LIST --sweep-dir DIR]
Timings and counts go to stderr. Exit 0 on success, 1 on bad usage or input, 4 on refusal.
"""
import argparse
import os
import sys
import time

import numpy as np
from scipy.sparse.csgraph import connected_components
from peer_io import load_texts, parse_sweep, write_output  # noqa: E402

DEFAULT_THRESHOLD = {"agglo": 0.80, "radius": 0.50}
EXIT_REFUSED = 4


def log(msg):
    print("sklearn_cluster_peer: " + msg, file=sys.stderr, flush=True)


def cluster_stats(labels):
    if len(labels) == 0:
        return 0, 0, 0
    counts = np.bincount(np.unique(labels, return_inverse=True)[1])
    return len(counts), int((counts >= 2).sum()), int(counts.max())


def tree_cut(children, distances, n, t):
    """The partition sklearn's AgglomerativeClustering(distance_threshold=t) returns for this tree:
    n_clusters = count(distances >= t) + 1, i.e. the merges with distance < t (average-link
    distances are monotone, so these are the first ones). Labels by union-find."""
    n_merges = int(np.count_nonzero(distances < t))
    parent = np.arange(2 * n - 1)

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m in range(n_merges):
        a, b = children[m]
        parent[find(a)] = n + m
        parent[find(b)] = n + m
    return np.array([find(i) for i in range(n)])


def same_partition(a, b):
    a, b = np.asarray(a), np.asarray(b)
    pairs = np.unique(np.stack([a, b], axis=1), axis=0)
    return len(pairs) == len(np.unique(a)) == len(np.unique(b))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input")
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--method", choices=("agglo", "radius"), default="agglo")
    ap.add_argument("--threshold", type=float, default=None,
                    help="cosine distance: agglo distance_threshold (0.80) or radius (0.50)")
    ap.add_argument("--id-field", default="id")
    ap.add_argument("--max-docs", type=int, default=25000,
                    help="agglo refuses above this many usable documents (25000)")
    ap.add_argument("--max-dense-gb", type=float, default=4.0,
                    help="agglo refuses when n*vocab*8 + n(n-1)/2*8 bytes exceed this (4 GB)")
    ap.add_argument("--sweep", default="", help="comma-separated thresholds for --sweep-dir")
    ap.add_argument("--sweep-dir", default="")
    args = ap.parse_args()
    t_main = DEFAULT_THRESHOLD[args.method] if args.threshold is None else args.threshold
    if not 0.0 <= t_main <= 2.0:
        ap.error("--threshold is a cosine distance, in [0, 2]")
    sweep = parse_sweep(ap, args)

    t0 = time.perf_counter()
    loaded = load_texts(args.input, args.id_field, log)
    if loaded is None:
        return 1
    records, texts = loaded
    n = len(texts)
    n_bad = len(records) - n
    t_read = time.perf_counter()
    log("%d records, %d usable, %d with an error; method %s, threshold (cosine distance) %.4g"
        % (len(records), n, n_bad, args.method, t_main))

    if args.method == "agglo" and n > args.max_docs:
        log("REFUSED: agglo (dense all-pairs average linkage) on %d documents: more than --max-docs "
            "%d; its cosine distance matrix alone is %.1f GB (O(n^2) memory)"
            % (n, args.max_docs, n * (n - 1) / 2 * 8 / 1e9))
        return EXIT_REFUSED

    from sklearn.feature_extraction.text import TfidfVectorizer

    X = None
    if n >= 1:
        try:
            X = TfidfVectorizer(sublinear_tf=True, max_df=0.5).fit_transform(texts)
        except ValueError as e:  # e.g. every term pruned by max_df in a tiny batch
            log("TfidfVectorizer: %s: every article is its own story" % e)
    vocab = X.shape[1] if X is not None else 0
    t_tfidf = time.perf_counter()

    results = {}   # threshold -> labels
    if X is None or n < 2:
        labels = np.arange(n)
        results = {t: labels for t in sweep}
    elif args.method == "agglo":
        dense_bytes = n * vocab * 8 + n * (n - 1) / 2 * 8
        if dense_bytes > args.max_dense_gb * 1e9:
            log("REFUSED: agglo (dense all-pairs average linkage) on %d documents x %d terms: the "
                "dense float64 TF-IDF matrix (%.1f GB) plus the condensed cosine distance matrix "
                "(%.1f GB) exceed --max-dense-gb %.1f, and scipy's pdist would compute %.2g "
                "multiply-adds" % (n, vocab, n * vocab * 8 / 1e9, n * (n - 1) / 2 * 8 / 1e9,
                                   args.max_dense_gb, n * (n - 1) / 2 * vocab))
            return EXIT_REFUSED
        from sklearn.cluster import AgglomerativeClustering
        model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                        distance_threshold=t_main, compute_full_tree=True)
        labels = model.fit_predict(X.toarray())
        if sweep:
            check = tree_cut(model.children_, model.distances_, n, t_main)
            if not same_partition(check, labels):
                log("internal error: the tree cut at %g differs from sklearn's labels" % t_main)
                return 1
            results = {t: tree_cut(model.children_, model.distances_, n, t) for t in sweep}
    else:
        from sklearn.neighbors import NearestNeighbors
        r_max = max([t_main] + sweep)
        nn = NearestNeighbors(radius=r_max, metric="cosine").fit(X)
        if sweep:
            G = nn.radius_neighbors_graph(X, mode="distance").tocsr()
            for t in sweep + [t_main]:
                A = G.copy()
                A.data = (A.data <= t).astype(np.int8)  # explicit zeros (distance 0) stay edges
                A.eliminate_zeros()
                results[t] = connected_components(A, directed=False)[1]
            labels = results.pop(t_main) if t_main not in sweep else results[t_main]
            edges = G.nnz
        else:
            G = nn.radius_neighbors_graph(X, mode="connectivity")
            edges = G.nnz
            labels = connected_components(G, directed=False)[1]
        log("radius graph: %d stored entries (self included) at radius %.4g" % (edges, r_max))
    t_cluster = time.perf_counter()

    write_output(args.output, records, labels)
    for t in sweep:
        write_output(os.path.join(args.sweep_dir, "t%s.jsonl" % format(t, "g")), records, results[t])
    t_write = time.perf_counter()

    n_clusters, n_multi, largest = cluster_stats(labels)
    log("%d terms; %d stories, %d of two or more articles, largest %d"
        % (vocab, n_clusters, n_multi, largest))
    log("seconds: read %.3f, tfidf %.3f, cluster %.3f, write %.3f, total %.3f"
        % (t_read - t0, t_tfidf - t_read, t_cluster - t_tfidf, t_write - t_cluster, t_write - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
