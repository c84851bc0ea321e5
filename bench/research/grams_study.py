#!/usr/bin/python3
"""Representation study: which text representation separates copies from same-event reports?

For each representation (word 5-shingles, word 3-shingles, character n-grams n = 5, 7, 8, 10 of the
tokens joined by single spaces) it measures containment |A∩B| / min(|A|,|B|) and Jaccard
resemblance |A∩B| / |A∪B| between
  (a) a Reuters-21578 original and simulated copies of it:
        ocr2 / ocr4    character noise on 2 % / 4 % of the characters (look-alike or random letter,
                       deletion, insertion);
        edit3 / edit6  word edits on 3 % / 6 % of the words (replacement by a vocabulary word,
                       deletion, insertion);
        trunc50        the first half of the words;
        wrapped        30 % extra words from another article, split between prefix and suffix;
  (b) independent reports of the same event by different outlets: ECB+ document pairs of one
      subtopic (English) and RPM2 document pairs of one cluster (French). These are not copies.
A representation is good for copy detection when the lowest copy scores (p5) stay above the highest
same-event scores (p99): the "separation margin" printed at the end.

Run (Debian's python3, standard library only; about 7 s on one core):
    python3 bench/research/grams_study.py > /tmp/grams.md
    python3 bench/research/grams_study.py --seed 2 --originals 1000 --pairs 3000
Reads ../shared/datasets (reuters21578, ecbplus, rpm2_fr) read-only; a missing dataset is skipped
with a message. Writes nothing; prints Markdown (numbers only, no corpus text) to stdout.
"""
import argparse, gzip, json, os, random, re, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
DS = os.path.abspath(os.path.join(HERE, '..', '..', '..', 'shared', 'datasets'))
TOKEN = re.compile(r'[^\W_]+')  # runs of characters for which str.isalnum() is true
REPS = [('word5', 'w', 5), ('word3', 'w', 3), ('char5', 'c', 5), ('char7', 'c', 7),
        ('char8', 'c', 8), ('char10', 'c', 10)]
COPIES = ['ocr2', 'ocr4', 'edit3', 'edit6', 'trunc50', 'wrapped']
LETTERS = 'abcdefghijklmnopqrstuvwxyz'
LOOKALIKE = {'o': '0', '0': 'o', 'l': '1', '1': 'l', 'i': 'l', 'e': 'c', 'c': 'e', 's': '5',
             '5': 's', 'b': '6', 'g': '9', 'a': 'o', 'u': 'v', 'n': 'h', 'h': 'n', 'm': 'n',
             'r': 'n', 't': 'f', 'f': 't', 'B': '8', 'O': '0', 'I': '1', 'S': '5', 'Z': '2'}


def tokens(text):
    return TOKEN.findall(text.lower())


def grams(toks, kind, n):
    """The set of word n-shingles (tuples) or character n-grams of ' '.join(toks)."""
    if kind == 'w':
        return {tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)} if len(toks) >= n \
            else ({tuple(toks)} if toks else set())
    s = ' '.join(toks)
    return {s[i:i + n] for i in range(len(s) - n + 1)} if len(s) >= n else ({s} if s else set())


def scores(a, b):
    """(containment, Jaccard) of two sets; 0 when either is empty."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b) if len(a) < len(b) else len(b & a)
    return inter / min(len(a), len(b)), inter / (len(a) + len(b) - inter)


def pct(xs, q):
    """q-th percentile with linear interpolation (numpy's default)."""
    xs = sorted(xs)
    if not xs:
        return float('nan')
    k = (len(xs) - 1) * q / 100
    lo = int(k)
    return xs[lo] if lo + 1 >= len(xs) else xs[lo] + (xs[lo + 1] - xs[lo]) * (k - lo)


def read_jsonl(path):
    with gzip.open(path, 'rt', encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


# ----------------------------------------------------------------------------- simulated copies
def ocr(text, rate, rng):
    out = []
    for ch in text:
        if rng.random() >= rate:
            out.append(ch)
            continue
        op = rng.randrange(3)
        if op == 0:    # substitute: a look-alike when there is one (half the time), else a letter
            out.append(LOOKALIKE[ch] if ch in LOOKALIKE and rng.random() < 0.5
                       else rng.choice(LETTERS))
        elif op == 2:  # insert a letter after the character
            out.append(ch + rng.choice(LETTERS))
        # op == 1: delete
    return ''.join(out)


def edit(text, rate, rng, vocab):
    out = []
    for w in text.split():
        if rng.random() >= rate:
            out.append(w)
            continue
        op = rng.randrange(3)
        if op == 0:
            out.append(rng.choice(vocab))
        elif op == 2:
            out += [w, rng.choice(vocab)]
    return ' '.join(out)


def make_copies(text, rng, vocab, filler):
    words = text.split()
    extra = filler.split()[:max(1, round(0.3 * len(words)))]
    cut = rng.randrange(len(extra) + 1)
    return {'ocr2': ocr(text, 0.02, rng), 'ocr4': ocr(text, 0.04, rng),
            'edit3': edit(text, 0.03, rng, vocab), 'edit6': edit(text, 0.06, rng, vocab),
            'trunc50': ' '.join(words[:len(words) // 2]),
            'wrapped': ' '.join(extra[:cut] + words + extra[cut:])}


# ----------------------------------------------------------------------------- data
def reuters_runs(args, res):
    path = os.path.join(DS, 'reuters21578', 'reuters21578.jsonl.gz')
    if not os.path.exists(path):
        print(f'> reuters21578 absent ({path}): copy columns skipped\n')
        return 0
    docs = [d['text'] for d in read_jsonl(path) if len(tokens(d.get('text') or '')) >= 60]
    rng = random.Random(f'{args.seed}:reuters')
    picked = rng.sample(range(len(docs)), min(args.originals, len(docs)))
    vocab = sorted({w for i in picked for w in docs[i].split()})
    for i in picked:
        need = round(0.3 * len(docs[i].split()))
        j = i
        while j == i or len(docs[j].split()) < need:
            j = rng.randrange(len(docs))
        orig = tokens(docs[i])
        for kind, text in make_copies(docs[i], rng, vocab, docs[j]).items():
            cop = tokens(text)
            for name, k, n in REPS:
                c, jac = scores(grams(orig, k, n), grams(cop, k, n))
                res[name][kind][0].append(c)
                res[name][kind][1].append(jac)
    return len(picked)


def event_pairs(args, res, col, sub, fname, label, lang):
    path = os.path.join(DS, sub, fname)
    if not os.path.exists(path):
        print(f'> {sub} absent ({path}): {col} columns skipped\n')
        return 0
    docs = sorted(read_jsonl(path), key=lambda d: str(d.get('doc_name') or d.get('id')))
    groups = {}
    for i, d in enumerate(docs):
        groups.setdefault(str(d[label]), []).append(i)
    pairs = [(a, b) for g in sorted(groups) for x, a in enumerate(groups[g]) for b in groups[g][x + 1:]]
    if len(pairs) > args.pairs:
        pairs = random.Random(f'{args.seed}:{col}').sample(pairs, args.pairs)
    toks = [tokens(d['text']) for d in docs]
    for name, k, n in REPS:
        sets = {}
        for a, b in pairs:
            for i in (a, b):
                if i not in sets:
                    sets[i] = grams(toks[i], k, n)
            c, jac = scores(sets[a], sets[b])
            res[name][col][0].append(c)
            res[name][col][1].append(jac)
    wire = sum(c >= 0.5 for c in res['word5'][col][0])
    print(f'- {col}: {len(pairs)} same-{label} pairs of {len(docs)} {lang} documents '
          f'({len(groups)} {label}s), {sub}/{fname}; {wire} pairs ({100 * wire / max(1, len(pairs)):.1f} %) '
          f'have word5 containment >= 0.5 (likely wire copies or quotations in the corpus, not independent reports)')
    return len(pairs)


# ----------------------------------------------------------------------------- report
def table(res, m, title, kinds, cols_ev):
    head = ['representation'] + [f'{k} {s}' for k in kinds for s in ('p5', 'med')] + \
           [f'{e} {s}' for e in cols_ev for s in ('med', 'p95', 'p99', 'max')]
    print(f'\n### {title}\n')
    print('| ' + ' | '.join(head) + ' |')
    print('|---' + '|---:' * (len(head) - 1) + '|')
    for name, _, _ in REPS:
        row = [name]
        for k in kinds:
            row += [f'{pct(res[name][k][m], q):.3f}' for q in (5, 50)]
        for e in cols_ev:
            xs = res[name][e][m]
            row += [f'{pct(xs, q):.3f}' for q in (50, 95, 99)] + [f'{max(xs, default=float("nan")):.3f}']
        print('| ' + ' | '.join(row) + ' |')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--originals', type=int, default=500, help='Reuters originals (>= 60 tokens)')
    ap.add_argument('--pairs', type=int, default=3000, help='max same-event pairs per corpus')
    args = ap.parse_args()
    t0 = time.time()
    print('# Copy vs same-event separation by representation\n')
    print(f'command: `{" ".join(["python3", os.path.relpath(sys.argv[0])] + sys.argv[1:])}`  ')
    print(f'seed: {args.seed}; data: {DS}\n')
    res = {name: {k: ([], []) for k in COPIES + ['ECB+', 'RPM2']} for name, _, _ in REPS}
    n = reuters_runs(args, res)
    if n:
        print(f'- copies: {n} Reuters-21578 originals with >= 60 tokens, one copy of each kind')
    cols_ev = [col for col, *a in [('ECB+', 'ecbplus', 'ecbplus_documents.jsonl.gz', 'subtopic', 'English'),
                                   ('RPM2', 'rpm2_fr', 'rpm2_documents.jsonl.gz', 'cluster', 'French')]
               if event_pairs(args, res, col, *a)]
    kinds = COPIES if n else []
    table(res, 0, 'Containment |A∩B| / min(|A|,|B|)', kinds, cols_ev)
    table(res, 1, 'Jaccard |A∩B| / |A∪B|', kinds, cols_ev)
    print('\n### Separation margin (containment: min over copy kinds of p5 - max p99 of same-event)\n')
    if not (kinds and cols_ev):
        print('(needs Reuters and at least one same-event corpus)')
    for name, _, _ in REPS if kinds and cols_ev else []:
        lo = min((pct(res[name][k][0], 5), k) for k in kinds)
        hi = max((pct(res[name][e][0], 99), e) for e in cols_ev)
        print(f'- {name}: {lo[0] - hi[0]:+.3f}  (worst copy {lo[1]} p5 {lo[0]:.3f}; '
              f'same-event {hi[1]} p99 {hi[0]:.3f})')
    print(f'\n_runtime {time.time() - t0:.1f} s_')


if __name__ == '__main__':
    main()
