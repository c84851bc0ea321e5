#!/usr/bin/python3
"""Design study for story clustering (TF-IDF -> kNN graph -> non-chaining clustering).

Reproduces every table of STORY_STUDY.md:

    /usr/bin/python3 bench/research/story_study.py            # all tables, ~2-3 min on 2 cores
    /usr/bin/python3 bench/research/story_study.py --grid     # + the 288-point feature/k grid (~2 min more)
    /usr/bin/python3 bench/research/story_study.py --reuters  # + cluster sizes on Reuters-21578 March 1987

Debian python only: numpy, scipy, sklearn 1.2, python3-faiss, python3-stemmer (PyStemmer = libstemmer
Snowball), python3-igraph + python3-leidenalg, python3-networkx.
Data is read from ../shared/datasets (read-only) and datasets/sample; nothing is written anywhere.
No text from the corpora is printed except a few Reuters headlines with --reuters.
"""
import argparse, gzip, heapq, json, math, os, re, sys, time, unicodedata, datetime as dt
from collections import Counter, defaultdict

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import linkage, fcluster
from scipy.spatial.distance import squareform
from sklearn.metrics import adjusted_rand_score

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..'))
DS = os.path.abspath(os.path.join(REPO, '..', 'shared', 'datasets'))
T0 = time.time()

# --------------------------------------------------------------------------------------------------
# The recommended default (section "Recommended default" of STORY_STUDY.md)
# --------------------------------------------------------------------------------------------------
DEFAULT = dict(
    stem=True,          # Snowball stemmer of the article's language (en, fr, es, de, it ...)
    fold=False,         # accents kept (case is always folded, NFKC)
    nums='keep',        # tokens with digits kept
    ngram=1,            # unigrams only
    sub=True,           # sublinear tf: 1 + ln(tf)
    max_df=0.4,         # drop terms in > 40 % of the documents (instead of a stop-word list) ...
    max_df_min_n=50,    # ... only when the corpus has >= 50 documents (tiny batches: no pruning)
    min_df=1,
    min_term_bytes=2,   # 1-byte terms ("l", "d", "a", "y") dropped, as the C++ TfidfOptions default ...
    short_nums=True,    # ... but NOT 1-digit numbers ("2 juillet"): dropping them costs RPM2 0.01
    title_w=2.0,        # a title occurrence counts 2
    cap_w=2.0,          # a capitalised token that does not start a sentence counts 2
)
K = 5                   # kNN graph: union of every document's 5 nearest neighbours
EDGE_FLOOR = 0.10       # kNN edges with exact cosine < 0.10 are dropped
THR = 0.04              # merge while  sum(edge cosines between A and B) / (|A| |B|)  >= 0.04

SETS = [('ecb', 'subtopic'), ('ecb', 'topic'), ('rpm2', 'cluster'), ('rpm2', 'theme'),
        ('seeds', 'story'), ('sample', 'story')]
COLS = ['ecb.subtopic', 'ecb.topic', 'rpm2.cluster', 'rpm2.theme', 'seeds.story', 'sample.story']
SHORT = {'ecb.subtopic': 'ECB+ sub', 'ecb.topic': 'ECB+ topic', 'rpm2.cluster': 'RPM2 cluster',
         'rpm2.theme': 'RPM2 theme', 'seeds.story': 'seeds', 'sample.story': 'sample'}


def log(*a):
    print(f'[{time.time() - T0:6.1f}s]', *a, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------------
def load():
    out = {}
    e = [json.loads(l) for l in gzip.open(f'{DS}/ecbplus/ecbplus_documents.jsonl.gz', 'rt')]
    out['ecb'] = dict(docs=[dict(id=x['doc_id'], title='', body=x['text'], lang='en', date=None) for x in e],
                      gold={'subtopic': [x['subtopic'] for x in e], 'topic': [x['topic'] for x in e]},
                      split=[x['split_cybulska'] for x in e])
    r = [json.loads(l) for l in gzip.open(f'{DS}/rpm2_fr/rpm2_documents.jsonl.gz', 'rt')]

    def body(x):  # `text` repeats the headline on its first line
        first, _, rest = x['text'].partition('\n')
        return rest if first.strip() == x['title'].strip() else x['text']
    out['rpm2'] = dict(docs=[dict(id=x['id'], title=x['title'], body=body(x), lang='fr', date=None) for x in r],
                       gold={'cluster': [x['cluster'] for x in r], 'theme': [x['theme'] for x in r]})
    s = [json.loads(l) for l in open(f'{DS}/seeds_fr/seeds.jsonl')]
    out['seeds'] = dict(docs=[dict(id=x['id'], title='', body=x['text'], lang=x.get('lang', 'fr'), date=x.get('date'))
                              for x in s], gold={'story': [x['story'] for x in s]})
    a = [json.loads(l) for l in open(f'{REPO}/datasets/sample/articles.jsonl')]
    out['sample'] = dict(docs=[dict(id=x['id'], title=x['title'], body=x['text'], lang=x['lang'], date=x['date'])
                               for x in a], gold={'story': [x['gold_story'] for x in a]})
    u = dict(docs=[], gold={}, part=[])
    for nm in ('ecb', 'rpm2', 'seeds', 'sample'):
        u['docs'] += out[nm]['docs']; u['part'] += [nm] * len(out[nm]['docs'])
    out['union'] = u
    return out


# --------------------------------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------------------------------
def bcubed(gold, pred):
    n = len(gold); pairs = Counter(zip(gold, pred)); gc = Counter(gold); pc = Counter(pred)
    P = sum(c * c / pc[p] for (g, p), c in pairs.items()) / n
    R = sum(c * c / gc[g] for (g, p), c in pairs.items()) / n
    return P, R, 2 * P * R / (P + R)


def pairwise(gold, pred):
    pairs = Counter(zip(gold, pred)); gc = Counter(gold); pc = Counter(pred)
    tp = sum(c * (c - 1) / 2 for c in pairs.values())
    pp = sum(c * (c - 1) / 2 for c in pc.values()); gp = sum(c * (c - 1) / 2 for c in gc.values())
    P = tp / pp if pp else 1.0; R = tp / gp if gp else 1.0
    return P, R, (2 * P * R / (P + R) if P + R else 0.0)


def scores(gold, pred):
    gold = list(gold); pred = list(pred)
    bp, br, bf = bcubed(gold, pred); pp, pr, pf = pairwise(gold, pred)
    return dict(bP=bp, bR=br, bF=bf, pP=pp, pR=pr, pF=pf, ari=adjusted_rand_score(gold, pred), k=len(set(pred)))


# --------------------------------------------------------------------------------------------------
# Text -> tokens (mimics the C++ text stage: NFKC + case folding, word tokens, fr/it elisions split)
# --------------------------------------------------------------------------------------------------
import Stemmer  # python3-stemmer (PyStemmer): the C libstemmer Snowball stemmers

_STEM = {}


def stemmer(lang):
    name = {'en': 'english', 'fr': 'french', 'es': 'spanish', 'de': 'german', 'it': 'italian',
            'pt': 'portuguese', 'nl': 'dutch'}.get(lang)
    if name is None: return None
    if name not in _STEM: _STEM[name] = Stemmer.Stemmer(name)
    return _STEM[name]


TOK = re.compile(r"\w+(?:['’]\w+)*")
ELIS = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=\w)", re.I)


def accent_fold(s):
    return ''.join(c for c in unicodedata.normalize('NFD', s) if unicodedata.category(c) != 'Mn')


def tokenize(text, lang):
    """[(lower_token, is_capitalised_not_sentence_initial, has_digit)]"""
    text = unicodedata.normalize('NFKC', text)
    out = []; prev_end = 0; sent_start = True
    for m in TOK.finditer(text):
        if any(c in '.!?\n' for c in text[prev_end:m.start()]): sent_start = True
        w = m.group(0)
        if lang in ('fr', 'it'):
            e = ELIS.match(w)
            if e:
                out.append((e.group(0)[:-1].casefold(), False, False)); w = w[e.end():]
        out.append((w.casefold(), w[:1].isupper() and not sent_start, any(c.isdigit() for c in w)))
        sent_start = False; prev_end = m.end()
    return out


_TOKCACHE = {}


def doc_tokens(docs, stem, fold):
    key = (id(docs), len(docs), stem, fold)
    if key in _TOKCACHE: return _TOKCACHE[key]
    res = []
    for d in docs:
        st = stemmer(d['lang']) if stem else None
        parts = []
        for field in ('title', 'body'):
            toks = tokenize(d[field] or '', d['lang'])
            words = [t[0] for t in toks]
            if fold: words = [accent_fold(w) for w in words]
            if st: words = st.stemWords(words)
            parts.append([(w, c, n) for w, (_, c, n) in zip(words, toks)])
        res.append(parts)
    _TOKCACHE[key] = res
    return res


def vectorize(docs, **kw):
    """TF-IDF rows (CSR, L2-normalised). Options: see DEFAULT."""
    c = dict(DEFAULT); c.update(kw)
    toks = doc_tokens(docs, c['stem'], c['fold'])
    rows = []
    for title, body in toks:
        tf = defaultdict(float)
        for field, w0 in ((title, c['title_w']), (body, 1.0)):
            seq = [t for t in field if not (c['nums'] == 'drop' and t[2]) and (len(t[0].encode()) >= c['min_term_bytes'] or (t[2] and c['short_nums']))]
            for w, cap, num in seq:
                tf[w] += w0 * (c['cap_w'] if cap else 1.0)
            if c['ngram'] >= 2:
                for a, b in zip(seq, seq[1:]): tf[a[0] + ' ' + b[0]] += w0 * c.get('bigram_w', 0.5)
        rows.append(tf)
    n = len(rows); df = Counter()
    for tf in rows: df.update(tf.keys())
    bg = c.get('bg_df')  # optional background document frequencies: (Counter, n_bg)
    N = n + (bg[1] if bg else 0)
    prune = c['max_df'] < 1 and N >= c['max_df_min_n']
    vocab = {}; I, J, V = [], [], []
    for r, tf in enumerate(rows):
        for t, f in tf.items():
            d_ = df[t] + (bg[0].get(t, 0) if bg else 0)
            if df[t] < c['min_df'] or (prune and d_ > c['max_df'] * N): continue
            j = vocab.setdefault(t, len(vocab))
            I.append(r); J.append(j)
            V.append(((1 + math.log(f)) if c['sub'] else f) * (math.log((1 + N) / (1 + d_)) + 1))
    X = sp.csr_matrix((V, (I, J)), shape=(n, max(1, len(vocab))))
    nr = np.sqrt(np.asarray(X.multiply(X).sum(1)).ravel()); nr[nr == 0] = 1
    return (sp.diags(1 / nr) @ X).tocsr()


def sims(X):
    return (X @ X.T).toarray()


# --------------------------------------------------------------------------------------------------
# Dates (sample and seeds only; RPM2 gets synthetic dates in one clearly labelled experiment)
# --------------------------------------------------------------------------------------------------
def parse_date(s):
    """-> (start, end) seconds; a partial date covers its period."""
    if not s: return None
    s = s.strip()
    try:
        if len(s) == 4: a = dt.datetime(int(s), 1, 1); return a.timestamp(), dt.datetime(int(s) + 1, 1, 1).timestamp()
        if len(s) == 7:
            a = dt.datetime.fromisoformat(s + '-01')
            b = dt.datetime(a.year + (a.month == 12), a.month % 12 + 1, 1)
            return a.timestamp(), b.timestamp()
        if len(s) == 10: a = dt.datetime.fromisoformat(s); return a.timestamp(), a.timestamp() + 86400
        a = dt.datetime.fromisoformat(s.replace('Z', '+00:00')).timestamp(); return a, a
    except ValueError:
        return None


def date_factor(docs, grace_days=1.0, tau_days=3.0):
    """f = exp(-max(0, gap - grace) / tau), gap = distance in days between the two date intervals;
    1 when either date is missing."""
    iv = [parse_date(d.get('date')) for d in docs]; n = len(iv); F = np.ones((n, n))
    for i in range(n):
        if iv[i] is None: continue
        for j in range(n):
            if iv[j] is None: continue
            gap = max(0.0, iv[i][0] - iv[j][1], iv[j][0] - iv[i][1]) / 86400
            F[i, j] = math.exp(-max(0.0, gap - grace_days) / tau_days)
    return F


# --------------------------------------------------------------------------------------------------
# Graphs and clustering
# --------------------------------------------------------------------------------------------------
def knn_idx(S, k):
    S = S.copy(); np.fill_diagonal(S, -np.inf); k = min(k, S.shape[0] - 1)
    return np.argpartition(-S, k - 1, axis=1)[:, :k]


def knn_mask(S, k, mutual=False):
    n = S.shape[0]; idx = knn_idx(S, k)
    M = np.zeros((n, n), bool); M[np.repeat(np.arange(n), idx.shape[1]), idx.ravel()] = True
    return (M & M.T) if mutual else (M | M.T)


def avg_linkage(S):
    D = np.clip(1 - S, 0, 2); np.fill_diagonal(D, 0); D = (D + D.T) / 2
    return linkage(squareform(D, checks=False), 'average')


def cut(Z, thr):
    return fcluster(Z, 1 - thr, 'distance')


def knn_graph_S(S, k, floor=0.0, M=None):
    """similarity matrix restricted to the kNN graph (non-edges = 0): average-link on it is the
    sparse average-link the C++ side would run."""
    if M is None: M = knn_mask(S, k)
    M = M & (S >= floor)
    S2 = np.where(M, S, 0.0); np.fill_diagonal(S2, 1); return S2


def knn_avg(S, k, floor=0.0, M=None):
    return avg_linkage(knn_graph_S(S, k, floor, M))


def greedy_avg_link(adj, thr, kappa=None):
    """Greedy sparse average-link on a symmetric adjacency (list of dicts, consumed); returns the
    members of every cluster (empty lists for merged-away slots)."""
    n = len(adj)
    size = [1] * n; alive = [True] * n; ver = [0] * n; members = [[i] for i in range(n)]
    h = [(-w, i, j, 0, 0) for i in range(n) for j, w in adj[i].items() if i < j and w >= thr]
    heapq.heapify(h)
    while h:
        _, a, b, va, vb = heapq.heappop(h)
        if not (alive[a] and alive[b]) or ver[a] != va or ver[b] != vb: continue
        alive[b] = False; members[a] += members[b]; members[b] = []; size[a] += size[b]; ver[a] += 1
        for x, w in adj[b].items():
            if x == a: continue
            adj[a][x] = adj[a].get(x, 0) + w; del adj[x][b]; adj[x][a] = adj[x].get(a, 0) + w
        adj[a].pop(b, None); adj[b] = {}
        for x, w in adj[a].items():
            nrm = size[a] * size[x]
            if kappa: nrm = min(nrm, kappa * (size[a] + size[x]))
            s = w / nrm
            if s >= thr:
                i, j = (a, x) if a < x else (x, a)
                heapq.heappush(h, (-s, i, j, ver[i], ver[j]))
    return members


def sparse_avg_link(S, k, thr, floor=0.0, kappa=None):
    """The algorithm to port: greedy sparse average-link over the kNN graph with a lazy heap.
    score(A,B) = W(A,B)/(|A||B|), W additive on merge. Equals knn_avg + cut (checked in main).
    kappa: size-capped variant, score = W / min(|A||B|, kappa (|A|+|B|)) (lets big stories grow)."""
    n = len(S); M = knn_mask(S, k) & (S >= floor)
    adj = [dict() for _ in range(n)]
    for i, j in zip(*np.nonzero(np.triu(M, 1))):
        adj[i][j] = S[i, j]; adj[j][i] = S[i, j]
    members = greedy_avg_link(adj, thr, kappa)
    lab = np.empty(n, int)
    for c, m in enumerate(members):
        for i in m: lab[i] = c
    return lab


def snn_weights(S, k):
    n = S.shape[0]; idx = knn_idx(S, k)
    M = np.zeros((n, n)); M[np.repeat(np.arange(n), idx.shape[1]), idx.ravel()] = 1
    M[np.arange(n), np.arange(n)] = 1
    inter = M @ M.T; kk = M.sum(1)
    W = inter / (kk[:, None] + kk[None, :] - inter)
    A = (M + M.T) > 0; np.fill_diagonal(A, False)
    return np.where(A, W, 0.0)


def leiden_cpm(W, res, seed=0):
    import igraph as ig, leidenalg as la
    n = W.shape[0]; iu = np.triu_indices(n, 1); w = W[iu]; sel = w > 0
    g = ig.Graph(n=n, edges=list(zip(iu[0][sel].tolist(), iu[1][sel].tolist()))); g.es['weight'] = list(w[sel])
    p = la.find_partition(g, la.CPMVertexPartition, weights='weight', resolution_parameter=res, seed=seed,
                          n_iterations=-1)
    return np.array(p.membership)


def louvain(W, res, seed=0):
    import networkx as nx
    n = W.shape[0]; g = nx.Graph(); g.add_nodes_from(range(n))
    iu = np.triu_indices(n, 1); w = W[iu]; sel = w > 0
    g.add_weighted_edges_from(zip(iu[0][sel].tolist(), iu[1][sel].tolist(), w[sel].tolist()))
    lab = np.empty(n, int)
    for c, m in enumerate(nx.community.louvain_communities(g, weight='weight', resolution=res, seed=seed)):
        for i in m: lab[i] = c
    return lab


def mutual_cc(S, k, thr):
    from scipy.sparse.csgraph import connected_components
    return connected_components(sp.csr_matrix(knn_mask(S, k, True) & (S >= thr)), directed=False)[1]


def local_scale(S, m=5):
    S0 = S.copy(); np.fill_diagonal(S0, -np.inf)
    top = -np.sort(-S0, 1)[:, :m]; sig = np.maximum(np.nanmean(np.where(np.isfinite(top), top, np.nan), 1), 1e-3)
    R = S / np.sqrt(sig[:, None] * sig[None, :]); np.fill_diagonal(R, 1); return np.clip(R, 0, 1)


# --------------------------------------------------------------------------------------------------
# Evaluation helpers
# --------------------------------------------------------------------------------------------------
def fmt(x): return f'{x:.3f}'


def md_table(header, rows):
    out = ['| ' + ' | '.join(header) + ' |', '|' + '|'.join('---' for _ in header) + '|']
    out += ['| ' + ' | '.join(str(c) for c in r) + ' |' for r in rows]
    print('\n'.join(out)); print()


class Study:
    def __init__(self):
        self.D = load()
        log('loaded', {k: len(v['docs']) for k, v in self.D.items()})

    def S(self, name, feat=None):
        return sims(vectorize(self.D[name]['docs'], **(feat or {})))

    def curves(self, labeler, feat=None, sets=('ecb', 'rpm2', 'seeds', 'sample'), n_thr=None):
        """labeler(S, name) -> list of label arrays (one per threshold). Returns {col: np.array bF}."""
        out = {}
        for name in sets:
            labs = labeler(self.S(name, feat), name)
            for nm, gf in SETS:
                if nm == name:
                    out[f'{nm}.{gf}'] = np.array([scores(self.D[nm]['gold'][gf], l)['bF'] for l in labs])
        return out

    @staticmethod
    def joint(cur):
        """index of the one threshold that maximises min(ECB+ sub / 0.92, RPM2 cluster / 0.75)."""
        return int(np.argmax(np.minimum(cur['ecb.subtopic'] / 0.92, cur['rpm2.cluster'] / 0.75)))

    def union_eval(self, lab):
        part = np.array(self.D['union']['part']); out = {}
        for nm, gf in SETS:
            ix = np.where(part == nm)[0]; out[f'{nm}.{gf}'] = scores(self.D[nm]['gold'][gf], lab[ix])['bF']
        cp = defaultdict(set)
        for l, p in zip(lab, part): cp[l].add(p)
        out['mixed'] = float(np.mean([len(cp[l]) > 1 for l in lab]))
        return out


# --------------------------------------------------------------------------------------------------
# Experiments
# --------------------------------------------------------------------------------------------------
def exp_baseline(st):
    print('## 1. Baseline: sklearn TfidfVectorizer + AgglomerativeClustering(average, cosine)\n')
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.cluster import AgglomerativeClustering
    D = st.D; dist = np.round(np.arange(0.50, 0.99, 0.01), 2); rows = []
    for lab, opts in (('defaults', {}), ('max_df=0.5', dict(max_df=0.5)), ('sublinear_tf', dict(sublinear_tf=True)),
                      ('sublinear_tf, min_df=2, max_df=0.5', dict(sublinear_tf=True, min_df=2, max_df=0.5))):
        res = {}
        for name in ('ecb', 'rpm2'):
            texts = [(d['title'] + '\n' + d['body']).strip() for d in D[name]['docs']]
            X = TfidfVectorizer(**opts).fit_transform(texts)
            Z = avg_linkage(sims(X))
            for nm, gf in SETS:
                if nm != name: continue
                g = D[nm]['gold'][gf]
                cur = np.array([scores(g, fcluster(Z, t - 1e-9, 'distance'))['bF'] for t in dist])
                res[f'{nm}.{gf}'] = cur
            if lab == 'defaults' and name == 'ecb':  # scipy linkage == sklearn AgglomerativeClustering
                t = 0.80
                a = AgglomerativeClustering(n_clusters=None, distance_threshold=t, metric='cosine',
                                            linkage='average').fit_predict(X.toarray())
                b = fcluster(Z, t - 1e-9, 'distance')
                assert adjusted_rand_score(a, b) > 0.999, 'scipy/sklearn average-link mismatch'
        e, r = res['ecb.subtopic'], res['rpm2.cluster']
        j = int(np.argmax(np.minimum(e / 0.92, r / 0.75)))
        rows.append([lab, f'{e.max():.3f} @ {dist[e.argmax()]:.2f}', f'{r.max():.3f} @ {dist[r.argmax()]:.2f}',
                     f"{res['rpm2.theme'].max():.3f} @ {dist[res['rpm2.theme'].argmax()]:.2f}",
                     f'{dist[j]:.2f}: {e[j]:.3f} / {r[j]:.3f}'])
    md_table(['sklearn TF-IDF', 'ECB+ sub best (cos dist)', 'RPM2 cluster best', 'RPM2 theme best',
              'one shared threshold: ECB+ / RPM2'], rows)
    log('baseline done')


def exp_features(st):
    print('## 2. Feature variants\n')
    print('Each row changes one thing from the recommended features. "full avg" = all-pairs average-link '
          'with the threshold tuned per data set (an oracle); "kNN default" = the recommended clustering '
          f'(k={K}, edge floor {EDGE_FLOOR}, threshold {THR}) with no tuning.\n')
    TH = np.round(np.arange(0.05, 0.45, 0.01), 3)
    variants = [('recommended', {}), ('no stemming', dict(stem=False)), ('raw tf (no sublinear)', dict(sub=False)),
                ('max_df 0.3', dict(max_df=0.3)), ('max_df 0.5', dict(max_df=0.5)), ('max_df 0.8', dict(max_df=0.8)),
                ('no max_df', dict(max_df=1.0)), ('min_df 2', dict(min_df=2)), ('title x1', dict(title_w=1)),
                ('title x3', dict(title_w=3)), ('+ bigrams (w 0.5)', dict(ngram=2)), ('accent folding', dict(fold=True)),
                ('numbers dropped', dict(nums='drop')), ('1-digit numbers dropped too', dict(short_nums=False)),
                ('1-byte terms kept', dict(min_term_bytes=1)), ('capitalised x1', dict(cap_w=1)),
                ('capitalised x3', dict(cap_w=3))]
    rows = []
    for lab, f in variants:
        full = st.curves(lambda S, nm: [cut(Z, t) for Z in [avg_linkage(S)] for t in TH], f, sets=('ecb', 'rpm2'))
        kn = st.curves(lambda S, nm: [cut(knn_avg(S, K, EDGE_FLOOR), THR)], f)
        rows.append([lab, f"{full['ecb.subtopic'].max():.3f} @ {TH[full['ecb.subtopic'].argmax()]:.2f}",
                     f"{full['rpm2.cluster'].max():.3f} @ {TH[full['rpm2.cluster'].argmax()]:.2f}"] +
                    [fmt(kn[c][0]) for c in COLS])
    md_table(['features', 'full avg ECB+ sub (best @ cos sim)', 'full avg RPM2 cl (best @ cos sim)'] +
             ['kNN default ' + SHORT[c] for c in COLS], rows)
    log('features done')


def exp_methods(st):
    print('## 3. Clustering methods (recommended features)\n')
    print('One threshold per method, the one that maximises min(ECB+ sub/0.92, RPM2 cluster/0.75): '
          'tuned on both sets together, so each row is that method\'s best single default. '
          '"plateau" = the range of grid thresholds where ECB+ >= 0.92 and RPM2 >= 0.75 both hold.\n')
    rows = []

    def add(label, thr_list, labeler, unit='', feat=None):
        cur = st.curves(labeler, feat)
        j = st.joint(cur)
        ok = [t for i, t in enumerate(thr_list) if cur['ecb.subtopic'][i] >= 0.92 and cur['rpm2.cluster'][i] >= 0.75]
        inr = [t for t in thr_list if ok and min(ok) <= t <= max(ok)]
        plateau = f'{min(ok):g}-{max(ok):g} ({len(ok)} of {len(inr)} grid points)' if ok else 'none'
        rows.append([label, f'{thr_list[j]:g}{unit}'] + [fmt(cur[c][j]) for c in COLS] + [plateau])
        log('method', label)

    TH = np.round(np.arange(0.05, 0.45, 0.01), 3)
    add('full average-link (cosine)', TH, lambda S, nm: [cut(Z, t) for Z in [avg_linkage(S)] for t in TH])
    # corpus-relative threshold: t = a * median over docs of the 5th-NN similarity
    A = np.round(np.arange(0.3, 1.0, 0.02), 3)

    def rel(S, nm):
        s5 = np.median(np.sort(np.where(np.eye(len(S)) > 0, -1, S), 1)[:, ::-1][:, min(4, len(S) - 2)])
        Z = avg_linkage(S); return [cut(Z, a * s5) for a in A]
    add('full avg, thr = a x median 5th-NN sim', A, rel, ' x')
    TL = np.round(np.arange(0.3, 0.9, 0.02), 3)
    add('full avg on locally scaled sim (m=5)', TL, lambda S, nm: [cut(Z, t) for Z in [avg_linkage(local_scale(S, 5))] for t in TL])
    TK = np.round(np.arange(0.01, 0.30, 0.005), 4)
    for k in (3, 5, 10, 20):
        add(f'kNN-graph average-link, k={k}', TK, lambda S, nm, k=k: [cut(Z, t) for Z in [knn_avg(S, k)] for t in TK])
    add(f'kNN-graph average-link, k=5, edge floor {EDGE_FLOOR} (recommended)', TK,
        lambda S, nm: [cut(Z, t) for Z in [knn_avg(S, K, EDGE_FLOOR)] for t in TK])
    TS = np.round(np.arange(0.02, 0.1, 0.005), 4)
    add('same, size-capped linkage W/min(|A||B|, 3(|A|+|B|))', TS,
        lambda S, nm: [sparse_avg_link(S, K, t, EDGE_FLOOR, kappa=3) for t in TS])
    TC = np.round(np.arange(0.01, 0.15, 0.005), 4)
    add('Leiden CPM on kNN graph k=5 (w = cosine)', TC,
        lambda S, nm: [leiden_cpm(W, t) for W in [np.where(knn_mask(S, 5), S, 0)] for t in TC])
    add('Leiden CPM on shared-NN (Jaccard) graph k=5', TC,
        lambda S, nm: [leiden_cpm(W, t) for W in [snn_weights(S, 5)] for t in TC])
    TR = np.round(np.arange(0.5, 6.0, 0.25), 2)
    add('Louvain (networkx) on kNN graph k=10, resolution', TR,
        lambda S, nm: [louvain(W, t) for W in [np.where(knn_mask(S, 10), S, 0)] for t in TR])
    add('emulation of the committed C++ defaults (b7a1900): k=30, thr 0.2, max_df 0.5, no capital weight, '
        '1-byte terms incl. digits dropped; exact kNN instead of SRP-256', [0.2],
        lambda S, nm: [cut(knn_avg(S, 30), 0.2)], feat=dict(max_df=0.5, cap_w=1.0, short_nums=False))
    TM = np.round(np.arange(0.02, 0.5, 0.02), 3)
    add('mutual kNN (k=5) + connected components', TM, lambda S, nm: [mutual_cc(S, 5, t) for t in TM])
    md_table(['method', 'threshold'] + [SHORT[c] for c in COLS] + ['plateau'], rows)


def exp_projection(st):
    print('## 4. Dense projection + FAISS vs exact sparse cosine (k=5 graph, recommended clustering)\n')
    import faiss
    from sklearn.decomposition import TruncatedSVD
    from sklearn.random_projection import SparseRandomProjection
    rows = []
    for name, gf in (('ecb', 'subtopic'), ('rpm2', 'cluster'), ('union', None)):
        X = vectorize(st.D[name]['docs']); S = sims(X); ex = knn_idx(S, K)
        for kind, d in (('exact', 0), ('svd', 128), ('svd', 256), ('srp', 256), ('srp', 512), ('srp', 1024)):
            row = [name, 'exact sparse' if kind == 'exact' else f'{kind.upper()} {d}']
            if kind == 'exact':
                row += ['1', '1']
                if gf: row += ['', fmt(scores(st.D[name]['gold'][gf], cut(knn_avg(S, K, EDGE_FLOOR), THR))['bF'])]
                else: row += ['', '']
                rows.append(row); continue
            if kind == 'svd':
                Y = TruncatedSVD(min(d, min(X.shape) - 1), random_state=0, n_iter=7).fit_transform(X)
            else:
                Y = SparseRandomProjection(d, random_state=0, dense_output=True).fit_transform(X)
            Y = np.ascontiguousarray(Y, dtype=np.float32); Y /= np.maximum(np.linalg.norm(Y, axis=1, keepdims=True), 1e-9)
            index = faiss.IndexFlatIP(Y.shape[1]); index.add(Y)
            _, I20 = index.search(Y, 4 * K + 1)
            rec = [np.mean([len(set(ex[i]) & set(I[i])) / K for i in range(len(S))]) for I in (I20[:, :K + 1], I20)]
            # candidates from FAISS (top 20) -> exact cosine -> keep top 5
            n = len(S); M = np.zeros((n, n), bool)
            for i in range(n):
                c = [j for j in I20[i] if j != i and j >= 0]; c = sorted(c, key=lambda j: -S[i, j])[:K]; M[i, c] = True
            M = M | M.T
            row += [fmt(rec[0]), fmt(rec[1])]
            if gf:
                g = st.D[name]['gold'][gf]; Sp = Y @ Y.T
                row += [fmt(scores(g, cut(knn_avg(Sp, K, EDGE_FLOOR), THR))['bF']),
                        fmt(scores(g, cut(knn_avg(S, K, EDGE_FLOOR, M), THR))['bF'])]
            else: row += ['', '']
            rows.append(row)
        log('projection', name)
    md_table(['corpus', 'vectors', 'recall of exact top-5 in FAISS top-5', 'in FAISS top-20',
              'B3 F1, projected cosine used directly', 'B3 F1, FAISS top-20 -> exact cosine -> top-5'], rows)


def exp_default(st):
    print(f'## 5. The recommended default, every set, one configuration\n')
    D = st.D; rows = []
    # the port-ready greedy sparse average-link must equal the scipy route
    S = st.S('ecb'); a = sparse_avg_link(S, K, THR, EDGE_FLOOR); b = cut(knn_avg(S, K, EDGE_FLOOR), THR)
    assert adjusted_rand_score(a, b) > 0.999, 'greedy sparse average-link != scipy'
    labels = {}
    for name, gf in SETS:
        if name not in labels:
            labels[name] = sparse_avg_link(st.S(name), K, THR, EDGE_FLOOR)
        sc = scores(D[name]['gold'][gf], labels[name])
        rows.append([f'{name}.{gf}', f"{len(D[name]['docs'])}", f"{len(set(D[name]['gold'][gf]))}", sc['k']] +
                    [fmt(sc[m]) for m in ('bP', 'bR', 'bF', 'pP', 'pR', 'pF', 'ari')])
    # with dates where they exist
    for name in ('sample',):
        S = st.S(name) * date_factor(D[name]['docs'])
        sc = scores(D[name]['gold']['story'], sparse_avg_link(S, K, THR, EDGE_FLOOR))
        rows.append([f'{name}.story + date factor', len(D[name]['docs']), len(set(D[name]['gold']['story'])), sc['k']] +
                    [fmt(sc[m]) for m in ('bP', 'bR', 'bF', 'pP', 'pR', 'pF', 'ari')])
    md_table(['gold', 'docs', 'gold clusters', 'pred clusters', 'B3 P', 'B3 R', 'B3 F1', 'pair P', 'pair R',
              'pair F1', 'ARI'], rows)

    print('### 5b. Threshold sensitivity of the default (B-cubed F1)\n')
    TT = [0.025, 0.03, 0.035, 0.04, 0.045, 0.05, 0.055, 0.06, 0.07]
    cur = st.curves(lambda S, nm: [cut(Z, t) for Z in [knn_avg(S, K, EDGE_FLOOR)] for t in TT])
    md_table(['threshold'] + [SHORT[c] for c in COLS], [[t] + [fmt(cur[c][i]) for c in COLS] for i, t in enumerate(TT)])

    print('### 5c. All four corpora in ONE run (1,035 docs, en+fr+es+de, one IDF)\n')
    U = st.D['union']['docs']; S = sims(vectorize(U)) * date_factor(U)
    res = st.union_eval(sparse_avg_link(S, K, THR, EDGE_FLOOR))
    md_table([SHORT[c] for c in COLS] + ['docs in a cluster mixing corpora'],
             [[fmt(res[c]) for c in COLS] + [fmt(res['mixed'])]])

    print('### 5d. Small batches (5 documents): is "seeds in one story" meaningful?\n')
    import random
    r = D['rpm2']['docs']; th = D['rpm2']['gold']['theme']; cl = np.array(D['rpm2']['gold']['cluster'])
    rnd = random.Random(0); rows = []

    def bg_counts(docs):
        toks = doc_tokens(docs, True, False); df = Counter()
        for title, body in toks:
            tf = set(w for w, _, _ in title) | set(w for w, _, _ in body); df.update(tf)
        return df, len(docs)

    def run5(batch, bg=None):
        X = vectorize(batch, bg_df=bg) if bg else vectorize(batch)
        return sparse_avg_link(sims(X), K, THR, EDGE_FLOOR)
    seeds = D['seeds']['docs']
    bg_all = bg_counts(r)
    unrel, unrel_bg, rel_bg = [], [], []
    for rep in range(30):
        T = rnd.sample(sorted(set(th)), 10)
        picks = [rnd.choice([d for d, t in zip(r, th) if t == x]) for x in T[:5]]
        bg = bg_counts([d for d, t in zip(r, th) if t in T[5:]])
        unrel.append(5 - len(set(run5(picks)))); unrel_bg.append(5 - len(set(run5(picks, bg))))
        c = T[0] + '_C1'; rp = [r[i] for i in rnd.sample(list(np.where(cl == c)[0]), 5)]
        rel_bg.append(len(set(run5(rp, bg))) == 1)
    rows.append(['seeds_fr alone (IDF from the 5 docs, no max_df pruning: N < 50)', f'{len(set(run5(seeds)))} cluster(s)'])
    rows.append(['seeds_fr with a background df (RPM2\'s 200 French docs)', f'{len(set(run5(seeds, bg_all)))} cluster(s)'])
    rows.append(['5 docs from 5 different RPM2 themes, alone: merges per batch (0 = right)', f'{np.mean(unrel):.2f}'])
    rows.append(['same, with a background df of 5 other themes (100 docs)', f'{np.mean(unrel_bg):.2f}'])
    rows.append(['5 docs of one RPM2 cluster, background df: share kept in 1 cluster', f'{np.mean(rel_bg):.2f}'])
    md_table(['5-document batch (30 random draws)', 'result'], rows)

    print('### 5e. Stability: the default on parts of each corpus, each part clustered on its own\n')
    rows = []
    g = np.array(D['ecb']['gold']['subtopic']); spl = np.array(D['ecb']['split'])
    for part in ('train', 'dev'):
        ix = np.where(spl == part)[0]
        lab = sparse_avg_link(sims(vectorize([D['ecb']['docs'][i] for i in ix])), K, THR, EDGE_FLOOR)
        rows.append([f'ECB+ {part} topics ({len(ix)} docs)', 'subtopic', fmt(scores(g[ix], lab)['bF'])])
    th = np.array(D['rpm2']['gold']['theme']); g = np.array(D['rpm2']['gold']['cluster'])
    for half in (('T01', 'T02', 'T03', 'T04', 'T05'), ('T06', 'T07', 'T08', 'T09', 'T10')):
        ix = np.where(np.isin(th, half))[0]
        lab = sparse_avg_link(sims(vectorize([D['rpm2']['docs'][i] for i in ix])), K, THR, EDGE_FLOOR)
        rows.append([f'RPM2 {half[0]}-{half[-1]} ({len(ix)} docs)', 'cluster', fmt(scores(g[ix], lab)['bF'])])
    md_table(['part', 'gold', 'B3 F1'], rows)

    print('### 5f. RPM2 with synthetic dates (C1 = day 1-3, C2 = day 31-33; the corpus gives no dates)\n')
    docs = [dict(d) for d in D['rpm2']['docs']]
    for i, (d, c) in enumerate(zip(docs, D['rpm2']['gold']['cluster'])):
        day = (1 if c.endswith('C1') else 31) + i % 3
        d['date'] = (dt.date(2008, 7, 1) + dt.timedelta(days=day - 1)).isoformat()
    S = sims(vectorize(D['rpm2']['docs'])) * date_factor(docs)
    lab = sparse_avg_link(S, K, THR, EDGE_FLOOR)
    md_table(['RPM2 cluster B3 F1', 'RPM2 theme B3 F1'],
             [[fmt(scores(D['rpm2']['gold']['cluster'], lab)['bF']), fmt(scores(D['rpm2']['gold']['theme'], lab)['bF'])]])
    return labels


def exp_why(st):
    print('## 6. Why one threshold transfers: similarity scales per corpus (recommended features)\n')
    rows = []
    TH = np.round(np.arange(0.05, 0.45, 0.01), 3); TK = np.round(np.arange(0.01, 0.1, 0.0025), 4)
    for name, gf in (('ecb', 'subtopic'), ('rpm2', 'cluster'), ('sample', 'story')):
        S = st.S(name); n = len(S); g = np.array(st.D[name]['gold'][gf])
        same = g[:, None] == g[None, :]; off = ~np.eye(n, dtype=bool)
        srt = np.sort(np.where(off, S, -1), 1)[:, ::-1]
        Zf = avg_linkage(S); Zk = knn_avg(S, K, EDGE_FLOOR)
        ff = [scores(g, cut(Zf, t))['bF'] for t in TH]; fk = [scores(g, cut(Zk, t))['bF'] for t in TK]
        rows.append([name, fmt(S[same & off].mean()), fmt(S[off & ~same].mean()), fmt(np.median(srt[:, 0])),
                     fmt(np.median(srt[:, 4])), f'{TH[int(np.argmax(ff))]:.2f}', f'{TK[int(np.argmax(fk))]:.4f}',
                     fmt(knn_mask(S, K).sum() / (n * (n - 1)))])
    md_table(['corpus', 'mean cos, same gold', 'mean cos, different gold', 'median 1st-NN cos', 'median 5th-NN cos',
              'best full-avg threshold', 'best kNN-avg threshold', 'kNN graph density'], rows)


def exp_failures(st, labels):
    print('## 7. Failure cases of the default\n')
    D = st.D
    g = np.array(D['ecb']['gold']['subtopic']); lab = labels['ecb']; topic = np.array(D['ecb']['gold']['topic'])
    print('### ECB+ (subtopic)\n')
    split = [(s, sorted(Counter(lab[g == s]).values(), reverse=True)) for s in sorted(set(g)) if len(set(lab[g == s])) > 1]
    mixed = [dict(Counter(g[lab == c])) for c in sorted(set(lab)) if len(set(g[lab == c])) > 1]
    md_table(['gold subtopic split', 'size', 'pieces'], [[s, sum(p), p] for s, p in split])
    md_table(['predicted cluster mixing subtopics', 'composition'],
             [[i + 1, ', '.join(f'{k}: {v}' for k, v in sorted(m.items()))] for i, m in enumerate(mixed)])
    cross_topic = sum(1 for c in set(lab) if len(set(topic[lab == c])) > 1)
    print(f'Predicted clusters spanning two ECB+ topics: {cross_topic}.\n')
    # recall by gold size
    sizes = Counter(g); rows = []
    for lo, hi in ((3, 8), (9, 12), (13, 16), (17, 22)):
        members = [s for s in sizes if lo <= sizes[s] <= hi]
        if not members: continue
        rec = np.mean([max(Counter(lab[g == s]).values()) / sizes[s] for s in members])
        rows.append([f'{lo}-{hi}', len(members), fmt(rec)])
    md_table(['ECB+ subtopic size', 'subtopics', 'mean share in its largest predicted piece'], rows)

    print('### RPM2 (cluster; C1/C2 = same story a month apart)\n')
    g = np.array(D['rpm2']['gold']['cluster']); lab = labels['rpm2']; rows = []
    for t in sorted(set(x[:3] for x in g)):
        parts = []
        for c in sorted(set(lab[[x.startswith(t) for x in g]])):
            comp = Counter(g[lab == c]); parts.append('{' + ', '.join(f'{k[-2:]}:{v}' for k, v in sorted(comp.items())) + '}')
        rows.append([t, ' '.join(parts)])
    md_table(['theme', 'predicted clusters (C1/C2 counts)'], rows)

    print('### sample (58 docs, 4 languages; bilingual stories; 3 hard-negative pairs)\n')
    g = np.array(D['sample']['gold']['story']); lab = labels['sample']; ids = [d['id'] for d in D['sample']['docs']]
    rows = []
    for c in sorted(set(lab), key=lambda c: ids[list(lab).index(c)]):
        ix = np.where(lab == c)[0]
        if len(set(g[ix])) > 1 or any(len(set(lab[g == s])) > 1 for s in set(g[ix])):
            rows.append([', '.join(ids[i] for i in ix), ', '.join(sorted(set(g[ix])))])
    md_table(['predicted cluster (only the wrong ones)', 'gold stories in it'], rows)


def exp_grid(st):
    print('## G. Grid: cap_w x max_df x min_df x title_w x bigrams x k (kNN average-link, no edge floor)\n')
    import itertools
    TH = np.round(np.arange(0.015, 0.08, 0.005), 4); rows = []
    for cap, mdf, mindf, tw, big in itertools.product((1, 1.5, 2, 2.5), (0.4, 0.5, 0.6), (1, 2), (1, 2), (1, 2)):
        feat = dict(cap_w=cap, max_df=mdf, min_df=mindf, title_w=tw, ngram=big)
        Ss = {nm: st.S(nm, feat) for nm in ('ecb', 'rpm2', 'seeds', 'sample')}
        for k in (4, 5, 6):
            cur = {}
            for nm, gf in SETS:
                Z = knn_avg(Ss[nm], k); cur[f'{nm}.{gf}'] = np.array([scores(st.D[nm]['gold'][gf], cut(Z, t))['bF'] for t in TH])
            j = np.minimum(cur['ecb.subtopic'] / 0.92, cur['rpm2.cluster'] / 0.75)
            rob = np.array([j[max(0, i - 1):i + 2].min() for i in range(len(j))]); i = int(rob.argmax())
            rows.append((rob[i], f'cap {cap}, max_df {mdf}, min_df {mindf}, title {tw}, ngram {big}, k {k}', TH[i],
                         [cur[c][i] for c in COLS]))
        log('grid', feat)
    rows.sort(key=lambda r: -r[0])
    md_table(['config', 'thr', 'robust margin (min over thr +-0.005 of min(ECB/0.92, RPM2/0.75))'] + [SHORT[c] for c in COLS],
             [[r[1], r[2], fmt(r[0])] + [fmt(x) for x in r[3]] for r in rows[:20]])


def exp_reuters(st):
    print('## R. Reuters-21578, March 1987 (no story labels): cluster sizes of the default\n')
    r = [json.loads(l) for l in gzip.open(f'{DS}/reuters21578/reuters21578.jsonl.gz', 'rt')]
    docs, seen = [], set()
    for x in r:
        if x['date'].startswith('1987-03') and len(x['text'].split()) >= 40 and x['text'] not in seen:
            seen.add(x['text']); docs.append(dict(id=x['id'], title=x['title'], body=x['text'], lang='en', date=x['date']))
    X = vectorize(docs).astype(np.float32); n = X.shape[0]; XT = X.T.tocsr()
    C = 4 * K  # candidates per doc (exact here; FAISS in the engine), rescored, best K kept
    nb = np.zeros((n, C), int); ns = np.zeros((n, C))
    for a in range(0, n, 1000):
        B = (X[a:a + 1000] @ XT).toarray()
        B[np.arange(B.shape[0]), a + np.arange(B.shape[0])] = -1
        idx = np.argpartition(-B, C - 1, axis=1)[:, :C]; nb[a:a + 1000] = idx; ns[a:a + 1000] = np.take_along_axis(B, idx, 1)
    iv = [parse_date(d['date']) for d in docs]
    rows = []
    for use_date, kappa in ((False, None), (True, None), (True, 3)):
        adj = [dict() for _ in range(n)]
        for i in range(n):
            cand = []
            for j, s in zip(nb[i], ns[i]):
                if use_date:
                    gap = abs(iv[i][0] - iv[j][0]) / 86400; s *= math.exp(-max(0, gap - 1) / 3)
                cand.append((s, j))
            for s, j in sorted(cand, reverse=True)[:K]:
                if s >= EDGE_FLOOR: adj[i][j] = s; adj[j][i] = s
        members = greedy_avg_link(adj, THR, kappa)
        sz = sorted((len(m) for m in members if m), reverse=True)
        big = max((m for m in members if m), key=len)
        print(f'largest cluster ({len(big)}), first headlines: ' + ' | '.join(docs[i]['title'][:40] for i in big[:3]) + '\n')
        rows.append(['with date factor' if use_date else 'text only', n, len(sz), sum(1 for s in sz if s == 1),
                     sz[:8], sum(s for s in sz if s >= 10)])
    rows = [[r[0] + (', size-capped kappa 3' if i == 2 else '')] + r[1:] for i, r in enumerate(rows)]
    md_table(['run', 'docs', 'clusters', 'singletons', 'largest sizes', 'docs in clusters >= 10'], rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--grid', action='store_true'); ap.add_argument('--reuters', action='store_true')
    ap.add_argument('--only', default='')
    a = ap.parse_args()
    st = Study()
    print(f'# story_study.py output\n\nDefault: {DEFAULT}, k={K}, edge floor={EDGE_FLOOR}, threshold={THR}\n')
    only = set(a.only.split(',')) if a.only else None
    want = lambda x: only is None or x in only
    if want('baseline'): exp_baseline(st)
    if want('features'): exp_features(st)
    if want('methods'): exp_methods(st)
    if want('projection'): exp_projection(st)
    labels = exp_default(st) if (want('default') or want('failures')) else None
    if want('why'): exp_why(st)
    if want('failures'): exp_failures(st, labels)
    if a.grid: exp_grid(st)
    if a.reuters: exp_reuters(st)
    log('done')


if __name__ == '__main__':
    main()
