#!/usr/bin/env python3
"""Can the story rule's linkage be split across ranks? (bench/research/LINKAGE_SPLIT_STUDY.md)

Reads a graph dump written by a `samestory cluster` built with linkage_split_probe.patch
(SAMESTORY_PROBE_DUMP=FILE): "N n", one "E a b sim" line per kNN edge, one "G root" line per
document (its cluster after the graph step, average linkage, the root being its smallest document).
Then re-runs the graph step as reciprocal agglomerative clustering (RAC: every round, each cluster
picks its best neighbour by the linkage's own order, link then smaller ids; every mutual pair merges
at once) with the similarity sums in fixed point (integers of 2^-40), so that no order of merging
can change a sum, and prints the rounds it took and whether its partition is the dump's.

usage: linkage_split.py DUMP [THRESHOLD]   (THRESHOLD: ClusterOptions::threshold, default 0.04)
"""
import sys

SCALE = 1 << 40


def main():
    path = sys.argv[1]
    threshold = float(sys.argv[2]) if len(sys.argv) > 2 else 0.04
    n, edges, want = 0, [], []
    with open(path) as f:
        for line in f:
            t = line.split()
            if t[0] == "N":
                n = int(t[1])
            elif t[0] == "E":
                edges.append((int(t[1]), int(t[2]), float(t[3])))
            elif t[0] == "G":
                want.append(int(t[1]))
    if len(want) != n:
        sys.exit(f"{path}: {len(want)} graph-step labels for {n} documents: not a whole dump")
    nb = [dict() for _ in range(n)]  # cluster -> {neighbour cluster: summed sims, fixed point}
    size = [1] * n
    for a, b, s in edges:
        w = round(s * SCALE)
        if w <= 0:
            continue
        nb[a][b] = nb[a].get(b, 0) + w
        nb[b][a] = nb[b].get(a, 0) + w
    parent = list(range(n))
    live = {i for i in range(n) if nb[i]}
    per_round = []
    floor = threshold * SCALE
    while True:
        best = {}
        for a in live:
            top = None
            for b, w in nb[a].items():
                link = w / (size[a] * size[b])
                if link < floor:
                    continue
                key = (link, -min(a, b), -max(a, b))  # StoryLinkage's candidate order
                if top is None or key > top[0]:
                    top = (key, b)
            if top is not None:
                best[a] = top[1]
        pairs = [(a, b) for a, b in best.items() if a < b and best.get(b) == a]
        if not pairs:
            break
        per_round.append(len(pairs))
        for a, b in pairs:  # b joins a (the smaller id survives, as in StoryLinkage)
            for c, w in nb[b].items():
                if c == a:
                    continue
                nb[a][c] = nb[a].get(c, 0) + w
                del nb[c][b]
                nb[c][a] = nb[c].get(a, 0) + w
            nb[a].pop(b, None)
            nb[b] = {}
            parent[b] = a
            size[a] += size[b]
            live.discard(b)
        live = {a for a in live if nb[a]}

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    got = [find(i) for i in range(n)]
    differ = sum(1 for i in range(n) if got[i] != want[i])
    print(f"{path}: {n} documents, {len(edges)} edges, threshold {threshold}: RAC {len(per_round)} "
          f"rounds (merges a round: {per_round[:6]} ... {per_round[-4:]}); "
          f"{sum(per_round)} merges; same partition as the graph step: {differ == 0} "
          f"({differ} documents differ)")
    return 0 if differ == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
