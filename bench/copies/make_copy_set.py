#!/usr/bin/python3
"""Builds a labeled development set of realistic wire copies from real articles.

The originals are real news articles read at run time from the public datasets (ECB+, RPM2,
seeds_fr, a sample of long Reuters-21578 stories); a seeded subset of them gets copies made the
way outlets republish a story (new headline, truncation, added paragraphs, outlet boilerplate,
reordered or edited paragraphs, OCR-like noise, a corrected figure, and combinations). Every
original is kept: other reports of the same event are the hard negatives. The texts are written
to --out only, never into the repository. See bench/copies/COPY_SET.md for the kinds, rates,
fields and the baseline table.

usage: make_copy_set.py --out FILE.jsonl[.gz] [--seed 1] [--copies-per-kind N]
                        [--copy-share 0.5] [--datasets ecbplus,rpm2_fr,seeds_fr,reuters21578]
                        [--reuters-sample 600] [--undated] [--natural-copies merge|separate]
                        [--data-dir /work/shared/datasets]
Written independently of src/gen (no code or word list from it).
"""
import argparse
import collections
import datetime
import gzip
import hashlib
import json
import math
import os
import random
import re
import sys
import unicodedata

DATASETS = ("ecbplus", "rpm2_fr", "seeds_fr", "reuters21578")

# Copy kinds, in the order they are dealt out. Rates are the defaults; COPY_SET.md documents them.
KINDS = ("reheadlined", "truncated", "extended", "boilerplate", "reordered", "edited", "noisy",
         "corrected", "combined", "combined_noisy", "truncated_hard", "edited_hard", "noisy_hard")

TRUNCATE_KEEP = (0.60, 0.90)       # share of paragraphs kept by `truncated` and `combined*`
TRUNCATE_HARD_KEEP = (0.40, 0.60)  # `truncated_hard`
EDIT_RATE = 0.03                   # per-word chance of an edit: `edited`, `combined`
EDIT_HARD_RATE = 0.06              # `edited_hard`
NOISE_RATE = 0.02                  # per-character chance of an OCR error: `noisy`, `combined_noisy`
NOISE_HARD_RATE = 0.04             # `noisy_hard`

WORD_RE = re.compile(r"\w+", re.UNICODE)
# A sentence ends at . ! ? (optionally followed by a closing quote) before a capital or an opening
# quote/bracket; good enough for wire prose in English and French.
SENT_SPLIT_RE = re.compile(r"(?<=[.!?])[\"\u201d\u00bb']?\s+"
                           r"(?=[\"\u201c\u00ab(\[A-Z\u00c0-\u00dd0-9])")


# ---------------------------------------------------------------------------------------------
# Deterministic randomness: one generator per (seed, key), so adding a dataset or a kind does not
# move the choices made for the others.

def rng_for(seed, *key):
    h = hashlib.sha256(("%s\x1f" % seed + "\x1f".join(str(k) for k in key)).encode("utf-8"))
    return random.Random(int.from_bytes(h.digest()[:8], "big"))


def opaque_id(seed, *key):
    h = hashlib.sha256(("id\x1f%s\x1f" % seed + "\x1f".join(str(k) for k in key)).encode("utf-8"))
    return "n" + h.hexdigest()[:12]


# ---------------------------------------------------------------------------------------------
# Reading the datasets (each SOURCE.md describes the fields).

def open_text(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, "r", encoding="utf-8")


def read_jsonl(path):
    with open_text(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def detokenize(line, join_hyphens=False):
    """One ECB+ sentence (tokens joined by spaces, a space before punctuation) as ordinary text.
    join_hyphens: the ecbplus half of the corpus splits hyphenated words ("hit - and - run"; its
    dashes are "- -"), the ecb half does not."""
    toks = line.split()
    out = []          # output tokens; glue[i] says whether out[i] attaches to out[i-1]
    glue = []
    attach_next = False
    in_dquote = False
    i = 0
    while i < len(toks):
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        prev = out[-1] if out else ""
        g = attach_next
        attach_next = False
        if t == "``":
            t, attach_next, in_dquote = '"', True, True
        elif t == "''" or (t == "'" and nxt == "'"):
            if t == "'":
                i += 1
            t, g, in_dquote = '"', True, False
        elif t == '"':
            # A lone quote token: after a comma it closes when a lowercase word follows
            # (`..., " said`); after a sentence end it opens before a capital unless a quote is
            # open on this line; elsewhere it toggles.
            closing = in_dquote
            if not nxt:
                closing = True
            elif prev[-1:] in (".", "?", "!"):
                closing = in_dquote or not nxt[:1].isupper()
            elif prev[-1:] == ",":
                closing = nxt[:1].islower()
            if closing:
                g, in_dquote = True, False
            else:
                attach_next, in_dquote = True, True
        elif t in ("\u201c", "\u2018"):
            attach_next = True
        elif t == "\u201d":
            g = True
        elif t == "\u2019":
            g = True       # "It ’ s" -> "It’s"; a closing single quote attaches to its word
            if prev[-1:].isalpha() and nxt.lower() in ("s", "t", "m", "re", "ll", "ve", "d"):
                attach_next = True
        elif t in (",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "...") or \
                t.lower() in ("'s", "'re", "n't", "'ve", "'ll", "'d", "'m", "'"):
            g = True
            # "2 . 5" -> "2.5", "22 , 000" -> "22,000", "5 : 46" -> "5:46"
            if t in (".", ",", ":") and prev[-1:].isdigit() and nxt[:1].isdigit() and \
                    (t != "," or re.fullmatch(r"\d{3}\b.*", nxt)):
                out.append(t)
                glue.append(True)
                out.append(nxt)
                glue.append(True)
                i += 2
                continue
            if t == "." and prev in (".", "..") and out:
                out[-1] += "."
                i += 1
                continue
        elif t in ("(", "[", "{", "$", "#"):
            attach_next = True
        elif t == "-" and nxt == "-":
            out.append("--")
            glue.append(g)
            i += 2
            continue
        elif t == "-" and ((prev[-1:].isdigit() and nxt[:1].isdigit()) or
                           (join_hyphens and prev[-1:].isalnum() and nxt[:1].isalnum())):
            out.append("-")        # scores and ranges: "58 - 3" -> "58-3"
            glue.append(True)
            out.append(nxt)
            glue.append(True)
            i += 2
            continue
        else:
            in_dquote ^= t.count('"') % 2 == 1   # quotes glued to a word ("He ... reason . ")
        out.append(t)
        glue.append(g)
        i += 1
    s = ""
    for t, g in zip(out, glue):
        s += t if (g or not s) else " " + t
    return s.strip()


def split_sentences(par):
    par = par.strip()
    if not par:
        return []
    return [s.strip() for s in SENT_SPLIT_RE.split(par) if s.strip()]


META_RE = re.compile(r"(updated|posted|published|\bGMT\b|\bEST\b|\bEDT\b|^\w+day\s*,|"
                     r"^[A-Z][a-z]+\.? \d{1,2} ?, \d{4}$|^\d{1,2} [A-Z][a-z]+ \d{4}$)", re.I)


def looks_like_headline(line):
    n = len(line.split())
    if n < 3 or n > 20:
        return False
    return not re.search(r"[.!?]\s*[\"']?$", line) or n <= 10


def lead_title(sentences, max_words=12):
    """A headline made of the opening words of the lead sentence (for articles without one)."""
    return opening_words(sentences[0] if sentences else "", max_words)


def opening_words(sentence, max_words):
    """The first max_words words of a sentence, without trailing function words or punctuation."""
    words = sentence.split()[:max_words]
    stop = EN_STOP | FR_STOP
    while len(words) > 3 and (words[-1].lower().strip(",;:") in stop or
                              not re.search(r"\w", words[-1])):
        words.pop()
    return " ".join(words).rstrip(",;:")


def group_into_paragraphs(sentences, rng):
    """ECB+ gives one sentence a line: paragraphs of 2-4 sentences (a 1-sentence lead is common)."""
    pars, i = [], 0
    while i < len(sentences):
        k = rng.choice((1, 2)) if i == 0 else rng.randint(2, 4)
        pars.append(sentences[i:i + k])
        i += k
    if len(pars) > 1 and len(pars[-1]) == 1 and len(pars[-2]) < 4:
        pars[-2].extend(pars.pop())
    return pars


def load_ecbplus(data_dir, seed):
    docs = []
    for d in read_jsonl(os.path.join(data_dir, "ecbplus", "ecbplus_documents.jsonl.gz")):
        plus = d["subtopic"].endswith("ecbplus")
        lines = [detokenize(l, plus) for l in d["text"].split("\n") if l.strip()]
        lines = [l for l in lines if l]
        title = None
        for k in range(min(3, len(lines))):
            if META_RE.search(lines[k]):
                continue
            if looks_like_headline(lines[k]) and len(lines) > 1:
                title = lines.pop(k)
            break
        if title is None:
            title = lead_title(lines)
        rng = rng_for(seed, "ecb-par", d["doc_name"])
        url = d.get("url") or ""
        m = re.match(r"https?://(?:www\.)?([^/]+)", url)
        docs.append(dict(origin="ecbplus", origin_id=d["doc_name"], lang="en", title=title,
                         pars=group_into_paragraphs(lines, rng),
                         event="ecbplus:" + d["subtopic"], source=m.group(1) if m else None,
                         topic_key="ecbplus:%s" % d["topic"]))
    return docs


def load_rpm2(data_dir):
    docs = []
    for d in read_jsonl(os.path.join(data_dir, "rpm2_fr", "rpm2_documents.jsonl.gz")):
        lines = [l.strip() for l in d["text"].split("\n")]
        if lines and lines[0] == d["title"].strip():
            lines = lines[1:]               # the text repeats the headline on its first line
        pars = [split_sentences(l) for l in lines if l.strip()]
        docs.append(dict(origin="rpm2_fr", origin_id=d["id"], lang="fr", title=d["title"].strip(),
                         pars=[p for p in pars if p], event="rpm2_fr:" + d["cluster"],
                         source=None, topic_key="rpm2_fr:" + d["theme"], period=d["period"]))
    return docs


def load_seeds(data_dir):
    docs = []
    for d in read_jsonl(os.path.join(data_dir, "seeds_fr", "seeds.jsonl")):
        raw = [p.strip() for p in re.split(r"\n\s*\n|\n", d["text"]) if p.strip()]
        title = None
        for k in range(min(3, len(raw))):
            if len(raw[k].split()) <= 2:     # "Publicité" and the like: outlet clutter, kept
                continue
            if looks_like_headline(raw[k]):
                title = raw.pop(k)
            break
        pars = [split_sentences(p) for p in raw]
        pars = [p for p in pars if p]
        if title is None:
            title = lead_title(pars[0] if pars else [])
        docs.append(dict(origin="seeds_fr", origin_id=d["id"], lang="fr", title=title, pars=pars,
                         event="seeds_fr:" + d["story"], source=None, topic_key="seeds_fr"))
    return docs


def shingles(text, k=5):
    w = WORD_RE.findall(text.lower())
    return {" ".join(w[i:i + k]) for i in range(len(w) - k + 1)}


def load_reuters(data_dir, seed, n_sample):
    """(sample, donors): n_sample long prose NORM stories with no near-duplicate among the long
    stories (word 5-shingle Jaccard < 0.3 with every other one: Reuters is full of re-sends), and
    the remaining long stories as donors of background paragraphs for `extended`."""
    pool = []
    for d in read_jsonl(os.path.join(data_dir, "reuters21578", "reuters21578.jsonl.gz")):
        if d.get("text_type") != "NORM" or not d.get("date"):
            continue
        words = d["text"].split()
        if len(words) < 150 or d["text"].count("\n") < 3:
            continue
        if sum(1 for w in words if re.search("[A-Za-z]", w)) < 0.8 * len(words):
            continue                         # tables
        pool.append(d)
    sh = [shingles(d["text"]) for d in pool]
    index = collections.defaultdict(list)
    for i, s in enumerate(sh):
        for x in s:
            index[x].append(i)
    shared = collections.Counter()
    for members in index.values():
        if 1 < len(members) <= 40:
            for a in range(len(members)):
                for b in range(a + 1, len(members)):
                    shared[(members[a], members[b])] += 1
    dirty = set()
    for (a, b), c in shared.items():
        if c / len(sh[a] | sh[b]) >= 0.3:
            dirty.update((a, b))
    clean = [pool[i] for i in range(len(pool)) if i not in dirty]
    rng = rng_for(seed, "reuters-sample")
    chosen = set(d["id"] for d in rng.sample(clean, min(n_sample, len(clean))))

    def as_doc(d):
        pars = [split_sentences(l) for l in d["text"].split("\n") if l.strip()]
        title = d["title"].strip() or lead_title(pars[0])
        return dict(origin="reuters21578", origin_id=d["id"], lang="en", title=title,
                    pars=[p for p in pars if p], event="reuters21578:" + d["id"],
                    source="Reuters", topics=d.get("topics") or [], date=d["date"])

    sample = [as_doc(d) for d in pool if d["id"] in chosen]
    donors = [as_doc(d) for d in clean if d["id"] not in chosen]
    return sample, donors


# ---------------------------------------------------------------------------------------------
# Real copies inside the source data. ECB+ and RPM2 hold the same agency story as run by two
# outlets (ECB+ 29_1/29_5/29_9 share 98% of their word 5-shingles; 8_1/8_2 is one AFP story
# re-edited by two outlets). Labelling them "different reports" would charge a detector for a
# right answer, so by default they share gold_dup (kind "natural"). The test does not use
# shingles: most sentences of each article must have a counterpart in the other.

def sentence_sets(doc):
    out = []
    for p in doc["pars"]:
        for s in p:
            w = set(WORD_RE.findall(s.lower()))
            if len(w) >= 6:
                out.append(w)
    return out


def containment(a, b):
    """Share of the sentences of a with a sentence of b of word-set Jaccard >= 0.5."""
    if not a:
        return 0.0
    hit = 0
    for x in a:
        for y in b:
            if len(x & y) >= 0.5 * len(x | y):
                hit += 1
                break
    return hit / len(a)


def natural_copy_groups(docs, min_containment=0.8):
    """Union-find over same-event pairs whose sentences match both ways; returns
    (root index per doc, [(i, j, containment)] pairs found, [(i, j)] one-way pairs: most
    sentences of one article are in the other, not the reverse: a shorter or longer version of
    one agency story, which the set does not call copies but flags as gold_versions)."""
    parent = list(range(len(docs)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_event = collections.defaultdict(list)
    for i, d in enumerate(docs):
        if d["origin"] != "reuters21578":
            by_event[d["event"]].append(i)
    pairs, one_way = [], []
    sets = {i: sentence_sets(docs[i]) for ids in by_event.values() for i in ids}
    for ids in by_event.values():
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                i, j = ids[a], ids[b]
                if not sets[i] or not sets[j]:
                    continue
                cij, cji = containment(sets[i], sets[j]), containment(sets[j], sets[i])
                c = min(cij, cji)
                if c < min_containment <= max(cij, cji):
                    one_way.append((i, j))
                if c >= min_containment:
                    pairs.append((i, j, c))
                    ri, rj = find(i), find(j)
                    if ri != rj:
                        parent[max(ri, rj)] = min(ri, rj)
    return [find(i) for i in range(len(docs))], pairs, one_way


# ---------------------------------------------------------------------------------------------
# Outlets, boilerplate and word lists (written for this set).

EN_PLACES = ("Ashcombe", "Bramford", "Carrow", "Dunmere", "Eastleigh", "Fenwick", "Glenholm",
             "Harlow Bay", "Inverley", "Kestrel Point", "Larkfield", "Milbourne", "Northam",
             "Oakridge", "Pellston", "Redcliffe", "Stanmoor", "Thornbury", "Westvale", "Yarrow")
EN_PAPERS = ("Courier", "Ledger", "Gazette", "Post", "Tribune", "Chronicle", "Observer", "Herald",
             "Record", "Times", "Daily News", "Sentinel", "Dispatch", "Examiner", "Star")
FR_PLACES = ("Beauvallon", "Berry", "Bugey", "Forez", "Gâtinais", "Hurepoix", "Lauragais",
             "Livradois", "Médoc", "Morvan", "Nivernais", "Perche", "Quercy", "Rouergue",
             "Royans", "Trièves", "Valois", "Velay", "Vercors", "Vexin")
FR_PAPERS = ("Le Courrier du {p}", "L'Écho du {p}", "La Gazette du {p}", "{p} Matin",
             "Le Progrès du {p}", "La Dépêche du {p}", "Le Journal du {p}", "{p} Info",
             "L'Éclaireur du {p}", "La Voix du {p}")


def outlet_names(lang):
    if lang == "en":
        return ["The %s %s" % (p, q) for p in EN_PLACES for q in EN_PAPERS]
    return [q.format(p=p) for p in FR_PLACES for q in FR_PAPERS]


AGENCIES = ("AFP", "AP", "Reuters", "EPA", "Getty Images", "Sipa", "MaxPPP", "ANP", "DPA")
EN_NAMES = ("J. Marlow", "A. Keane", "R. Okafor", "S. Lindqvist", "T. Ferreira", "M. Hadley",
            "K. Brennan", "L. Moreau", "D. Castellano", "P. Whitcombe")
FR_NAMES = ("J. Lemaire", "C. Besson", "A. Nadal", "M. Roussel", "S. Fabre", "L. Garnier",
            "P. Carrière", "N. Haddad", "E. Marchand", "F. Joubert")

EN_BOILERPLATE = (
    "Advertisement", "ADVERTISEMENT", "Story continues below advertisement",
    "Sign up for our morning newsletter to get the day's top stories in your inbox.",
    "Get the latest headlines delivered to your inbox every weekday: subscribe to our briefing.",
    "Subscribe now for unlimited access to {outlet}.",
    "Read more: {headline}", "RELATED: {headline}", "Also read: {headline}",
    "Photo: {agency}", "Photo by {name}/{agency}", "(Photo: {agency} via Getty Images)",
    "Copyright {year} {outlet}. All rights reserved.", "\u00a9 {year} {outlet}",
    "This story may not be republished without permission.",
    "Follow {outlet} on Facebook and X for the latest updates.", "Share this article",
    "Have a news tip? Email our newsroom.", "Reporting by {name}; editing by {name2}",
    "Download the {outlet} app for breaking news alerts.", "Updated {hh}:{mm} GMT",
    "Comments are closed.", "Click here for more stories from our news desk.",
)
FR_BOILERPLATE = (
    "Publicité", "PUBLICITÉ", "La suite après cette publicité",
    "Inscrivez-vous à notre newsletter pour recevoir l'essentiel de l'actualité chaque matin.",
    "Abonnez-vous pour lire tous nos articles en illimité.",
    "Lire aussi : {headline}", "À lire aussi : {headline}", "LIRE AUSSI - {headline}",
    "Photo : {agency}", "\u00a9 {name}/{agency}", "(Photo d'illustration {agency})",
    "\u00a9 {outlet} {year}. Tous droits réservés.", "Avec {agency}",
    "Suivez {outlet} sur Facebook et X.", "Partager cet article",
    "Cet article vous est offert par la rédaction.", "Mis à jour le {d}/{mo} à {hh}h{mm}",
    "Réagir à cet article",
    "Retrouvez toute l'actualité de votre région sur notre application.",
)

# Synonym-ish substitutions outlets make (house style, spelling, wording). Groups of
# interchangeable words; a word found in a group is replaced by another member.
EN_SYNONYMS = (
    ("said", "says", "stated", "added"), ("told", "informed"), ("police", "officers"),
    ("people", "persons"), ("about", "around", "roughly", "some"), ("big", "large", "major"),
    ("started", "began"), ("start", "begin"), ("help", "assist"), ("buy", "purchase"),
    ("rose", "climbed", "increased"), ("fell", "dropped", "declined"), ("company", "firm"),
    ("officials", "authorities"), ("after", "following"), ("car", "vehicle"),
    ("children", "kids"), ("attack", "assault"), ("announced", "said"), ("arrested", "detained"),
    ("injured", "wounded", "hurt"), ("fire", "blaze"), ("jewelry", "jewellery"),
    ("center", "centre"), ("organization", "organisation"), ("program", "programme"),
    ("toward", "towards"), ("nearly", "almost"), ("town", "city"), ("home", "house"),
    ("quickly", "rapidly"), ("percent", "per cent", "pct"), ("but", "however"),
    ("show", "indicate"), ("shows", "indicates"), ("expected", "likely"), ("killed", "slain"),
    ("man", "person"), ("woman", "person"), ("statement", "release"), ("plan", "proposal"),
    ("talks", "negotiations"), ("hospital", "medical center"), ("died", "was killed"),
)
FR_SYNONYMS = (
    ("déclaré", "affirmé", "indiqué", "expliqué", "précisé"), ("selon", "d'après"),
    ("environ", "près de", "quelque"), ("policiers", "agents", "enquêteurs"),
    ("gouvernement", "exécutif"), ("également", "aussi", "en outre"),
    ("mais", "cependant", "toutefois"), ("grand", "important", "vaste"),
    ("voiture", "véhicule"), ("morts", "tués", "décédés"), ("incendie", "feu", "sinistre"),
    ("ville", "commune"), ("pays", "nation"), ("rapidement", "vite"), ("hier", "la veille"),
    ("entreprise", "société", "groupe"), ("hausse", "augmentation", "progression"),
    ("baisse", "diminution", "recul"), ("arrêté", "interpellé"), ("enquête", "investigation"),
    ("homme", "individu"), ("déclaration", "communiqué"), ("annoncé", "fait savoir"),
    ("plusieurs", "de nombreux"), ("lors", "pendant"), ("début", "commencement"),
    ("président", "chef de l'État"), ("projet", "plan"), ("accord", "entente"),
    ("réunion", "rencontre"), ("affaire", "dossier"), ("victimes", "personnes touchées"),
)
EN_FILLERS = ("also", "reportedly", "now", "still", "however", "meanwhile", "then", "further",
              "already", "even", "again", "just")
FR_FILLERS = ("aussi", "également", "notamment", "alors", "désormais", "encore", "ainsi",
              "toutefois", "déjà", "bien", "même", "donc")
EN_STOP = set("""a an the of to in on at for from by with and or but as is are was were be been
has have had it its this that these those he she they we you his her their our them him who
whom which what when where why how not no than then so if into over after before about also
said says would could should will can may might more most such up out new one two""".split())
FR_STOP = set("""le la les un une des du de d l à au aux en et ou mais que qui quoi dont où il
elle ils elles on nous vous je tu se sa son ses leur leurs ce cet cette ces pour par sur dans
avec sans sous est sont été être a ont avait avoir fait plus ne pas n s qu y été lors comme
aussi très entre après avant depuis selon""".split())


def synonym_table(lang):
    t = {}
    for group in (EN_SYNONYMS if lang == "en" else FR_SYNONYMS):
        for w in group:
            t.setdefault(w, [x for x in group if x != w])
    return t


SYN = {"en": synonym_table("en"), "fr": synonym_table("fr")}


# ---------------------------------------------------------------------------------------------
# Edit models. An article is (title, paragraphs), a paragraph a list of sentences.

def flat(pars):
    return [s for p in pars for s in p]


def n_words(pars):
    return sum(len(s.split()) for s in flat(pars))


def keep_leading(pars, keep, rng):
    """The first paragraphs, keep = (lo, hi) share of them; at least one paragraph dropped. Fewer
    than 3 paragraphs: cut by sentences instead (at least one sentence dropped)."""
    lo, hi = keep
    if len(pars) >= 3:
        units = len(pars)
    else:
        units = len(flat(pars))
    if units < 2:
        return [list(p) for p in pars]
    ks = [k for k in range(1, units) if lo - 1e-9 <= k / units <= hi + 1e-9]
    if not ks:  # no whole number of units in range: the one closest to it
        ks = [min(range(1, units), key=lambda k: min(abs(k / units - lo), abs(k / units - hi)))]
    k = rng.choice(ks)
    if len(pars) >= 3:
        return [list(p) for p in pars[:k]]
    out, left = [], k
    for p in pars:
        if left <= 0:
            break
        out.append(list(p[:left]))
        left -= len(p)
    return out


def content_words(text, lang):
    stop = EN_STOP if lang == "en" else FR_STOP
    return [w for w in re.findall(r"[\w'\u2019-]+", text, re.UNICODE)
            if len(w) > 2 and w.lower().strip("'\u2019") not in stop and not w.isdigit()]


def new_headline(doc, title, pars, rng):
    """Another headline built from the article's own words: the opening words of a later
    sentence, the old title rephrased (a part of it, sentence case, a desk prefix), or the lead
    shortened; never the old title."""
    lang = doc["lang"]
    sents = flat(pars)
    for _ in range(6):
        how = rng.random()
        if how < 0.4 and len(sents) > 1:
            h = opening_words(rng.choice(sents[1:min(len(sents), 8)]), rng.randint(7, 11))
            if len(h.split()) < 4:
                continue
        elif how < 0.75:
            t = title.strip()
            if t.isupper():
                t = t[:1] + t[1:].lower()
            parts = [p.strip() for p in re.split(r"\s[-\u2013\u2014|]\s|:\s|,\s", t) if p.strip()]
            if len(parts) > 1 and rng.random() < 0.6:
                h = max(parts, key=len)
            else:
                h = t
            if lang == "en":
                h = rng.choice(("UPDATE 1-", "UPDATE 2-", "WRAPUP-", "", "")) + h
            else:
                h = rng.choice(("INFO - ", "VIDÉO - ", "EN IMAGES - ", "", "")) + h
        else:
            h = lead_title(sents, rng.randint(7, 11))
        h = h.strip(" ,;:-")
        if h and h[0].islower():
            h = h[0].upper() + h[1:]
        if h and h.lower() != title.strip().lower():
            return h
    return ("Latest: " if lang == "en" else "Dernière minute : ") + title


def related_headline(pool, doc, rng):
    other = rng.choice(pool)
    return other["title"] if other is not doc else pool[0]["title"]


def boilerplate_lines(doc, outlet, rng, related):
    lines = []
    table = EN_BOILERPLATE if doc["lang"] == "en" else FR_BOILERPLATE
    names = EN_NAMES if doc["lang"] == "en" else FR_NAMES
    for tpl in rng.sample(table, rng.randint(1, 4)):
        name, name2 = rng.sample(names, 2)
        lines.append(tpl.format(outlet=outlet, headline=related(), agency=rng.choice(AGENCIES),
                                name=name, name2=name2,
                                year=rng.choice((2021, 2022, 2023)), hh="%02d" % rng.randint(0, 23),
                                mm="%02d" % rng.randint(0, 59), d=rng.randint(1, 28),
                                mo="%02d" % rng.randint(1, 12)))
    return lines


def wrap(pars, lines, rng):
    """Boilerplate lines placed before, after or between paragraphs (each line a paragraph)."""
    out = [list(p) for p in pars]
    for line in lines:
        where = rng.random()
        if where < 0.3:
            pos = 0
        elif where < 0.65 or len(out) < 2:
            pos = len(out)
        else:
            pos = rng.randint(1, len(out) - 1)
        out.insert(pos, [line])
    return out


def reorder(pars, rng):
    out = [list(p) for p in pars]
    if len(out) >= 3:
        body = list(range(1, len(out)))    # the lead stays first
        if rng.random() < 0.5:
            i, j = rng.sample(body, 2)
            out[i], out[j] = out[j], out[i]
        else:
            i = rng.choice(body)
            p = out.pop(i)
            choices = [k for k in range(1, len(out) + 1) if k != i]
            out.insert(rng.choice(choices), p)
        return out
    sents = flat(out)
    if len(sents) >= 2:
        i, j = rng.sample(range(len(sents)), 2)
        sents[i], sents[j] = sents[j], sents[i]
    return [sents]


TOKEN_CORE_RE = re.compile(r"^(\W*)(.*?)(\W*)$", re.UNICODE | re.S)


def match_case(word, like):
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def edit_words(pars, rate, lang, rng):
    """Per word, with probability `rate` (at least one edit): substitute (60%: a synonym-ish word
    when one is known, else a word from the same article), delete (20%) or insert (20%: a filler
    or a word of the article). Punctuation around the word is kept."""
    vocab = [w for w in content_words(" ".join(flat(pars)), lang) if w.isalpha()] or ["news"]
    fillers = EN_FILLERS if lang == "en" else FR_FILLERS
    syn = SYN[lang]
    sent_tokens = [[s.split() for s in p] for p in pars]
    slots = [(pi, si, wi) for pi, p in enumerate(sent_tokens) for si, s in enumerate(p)
             for wi, w in enumerate(s) if re.search(r"[^\W\d_]", w) and not re.search(r"\d", w)]
    if not slots:
        return [list(p) for p in pars], 0
    chosen = [x for x in slots if rng.random() < rate] or [rng.choice(slots)]
    # Apply from the end so that earlier indices stay valid.
    for pi, si, wi in sorted(chosen, reverse=True):
        toks = sent_tokens[pi][si]
        if wi >= len(toks):
            continue
        m = TOKEN_CORE_RE.match(toks[wi])
        pre, core, post = m.group(1), m.group(2), m.group(3)
        op = rng.random()
        if op < 0.6 or len(toks) < 3:
            alts = syn.get(core.lower())
            if alts:
                rep = match_case(rng.choice(alts), core)
            else:
                rep = match_case(rng.choice(vocab).lower() if not core[:1].isupper()
                                 else rng.choice(vocab), core)
                if rep == core:
                    rep = match_case(rng.choice(fillers), core)
            toks[wi] = pre + rep + post
        elif op < 0.8:
            if wi == 0:
                # Deleting a sentence's first word: capitalise the next one.
                nxt = toks[1]
                toks[1] = pre + nxt[:1].upper() + nxt[1:] if nxt else nxt
            elif post:
                toks[wi - 1] = toks[wi - 1] + post
            del toks[wi]
        else:
            ins = rng.choice(fillers) if rng.random() < 0.5 else rng.choice(vocab)
            if not (ins[:1].isupper() and ins[1:2].islower() and ins.lower() not in fillers):
                ins = ins.lower()
            toks.insert(wi + 1, ins)
    out = [[" ".join(t) for t in p] for p in sent_tokens]
    return [[s for s in p if s] for p in out], len(chosen)


CONFUSIONS = (("rn", "m"), ("m", "rn"), ("l", "1"), ("l", "I"), ("1", "l"), ("I", "l"),
              ("O", "0"), ("0", "O"), ("e", "c"), ("c", "e"), ("cl", "d"), ("d", "cl"),
              ("S", "5"), ("5", "S"), ("h", "b"), ("i", "l"), ("u", "n"), ("n", "u"))


def strip_accent(ch):
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base != ch else None


def ocr_noise(text, rate, lang, rng):
    """Per character, with probability `rate`: an OCR confusion that applies there (rn<->m,
    l<->1<->I, O<->0, e<->c, cl<->d, S<->5, ...), a dropped or doubled character, a space removed
    or inserted, and for French an accent lost. Returns (text, errors made)."""
    out = []
    i, n, errors = 0, len(text), 0
    while i < n:
        ch = text[i]
        if ch == "\n" or rng.random() >= rate:
            out.append(ch)
            i += 1
            continue
        ops = []
        for a, b in CONFUSIONS:
            if text.startswith(a, i):
                ops.append(("sub", a, b))
        if ch == " ":
            ops.append(("drop", " ", ""))
        else:
            ops.append(("drop", ch, ""))
            ops.append(("double", ch, ch + ch))
            if ch.isalpha():
                ops.append(("space", ch, ch + " "))
            if lang == "fr" and strip_accent(ch):
                ops.extend([("sub", ch, strip_accent(ch))] * 2)
        _, a, b = rng.choice(ops)
        out.append(b)
        i += len(a)
        errors += 1
    return "".join(out), errors


NUMBER_RE = re.compile(r"(?<![\w.,])(\d{1,3}(?:[,.\u202f ]\d{3})+|\d+)(?:([.,])(\d+))?(?![\w])")


def change_figure(pars, lang, rng):
    """One number in the text altered (another value, same format). Returns (pars, where, old, new)
    or None when the text has no figure."""
    spots = []
    for pi, p in enumerate(pars):
        for si, s in enumerate(p):
            for m in NUMBER_RE.finditer(s):
                spots.append((pi, si, m))
    if not spots:
        return None
    pi, si, m = rng.choice(spots)
    old = m.group(0)
    digits = [k for k, c in enumerate(old) if c.isdigit()]
    new = old
    while new == old:
        k = rng.choice(digits)
        lo = 1 if k == digits[0] and len(digits) > 1 else 0
        new = old[:k] + str(rng.randint(lo, 9)) + old[k + 1:]
    out = [list(p) for p in pars]
    s = out[pi][si]
    out[pi][si] = s[:m.start()] + new + s[m.end():]
    return out, pi, old, new


# ---------------------------------------------------------------------------------------------
# Making copies.

ORDINAL_EN = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
              "ninth", "tenth")
ORDINAL_FR = ("premier", "deuxième", "troisième", "quatrième", "cinquième", "sixième",
              "septième", "huitième", "neuvième", "dixième")


def eligible(doc, kind):
    sents = flat(doc["pars"])
    if len(sents) < 3 or n_words(doc["pars"]) < 50:
        return False
    if kind == "corrected":
        return any(NUMBER_RE.search(s) for s in sents)
    if kind == "extended":
        return bool(doc.get("donors"))
    return True


def make_copy(doc, kind, rng, ctx):
    """(title, paragraphs, details) of one copy of doc."""
    lang = doc["lang"]
    title, pars = doc["title"], [list(p) for p in doc["pars"]]
    details = {}
    outlet = ctx["outlet"]

    def related():
        return related_headline(ctx["pool"][lang], doc, rng)

    if kind == "reheadlined":
        title = new_headline(doc, title, pars, rng)
    elif kind in ("truncated", "truncated_hard"):
        pars = keep_leading(pars, TRUNCATE_HARD_KEEP if kind == "truncated_hard" else
                            TRUNCATE_KEEP, rng)
    elif kind == "extended":
        donor = rng.choice(doc["donors"])
        dp = donor["pars"]
        # 1-3 paragraphs, at most a third of the donor: the copy borrows background from another
        # report, it does not become a version of it.
        k = rng.randint(1, max(1, min(3, len(dp) // 3)))
        start = rng.randint(1, len(dp) - k)  # background: not the lead
        added = [list(p) for p in dp[start:start + k]]
        if rng.random() < 0.6 or len(pars) < 2:
            pars = pars + added
        else:
            pos = rng.randint(max(1, len(pars) // 2), len(pars) - 1)
            pars = pars[:pos] + added + pars[pos:]
        details["added_from"] = donor["origin_id"]
        details["added_paragraphs"] = k
    elif kind == "boilerplate":
        pars = wrap(pars, boilerplate_lines(doc, outlet, rng, related), rng)
    elif kind == "reordered":
        pars = reorder(pars, rng)
    elif kind in ("edited", "edited_hard"):
        pars, n = edit_words(pars, EDIT_HARD_RATE if kind == "edited_hard" else EDIT_RATE,
                             lang, rng)
        details["edits"] = n
    elif kind in ("noisy", "noisy_hard", "combined_noisy"):
        rate = NOISE_HARD_RATE if kind == "noisy_hard" else NOISE_RATE
        if kind == "combined_noisy":
            pars = keep_leading(pars, TRUNCATE_KEEP, rng)
        text, n = ocr_noise(join_text(pars), rate, lang, rng)
        title, m = ocr_noise(title, rate, lang, rng)
        details["char_errors"] = n + m
        return title, text, details
    elif kind == "corrected":
        pars, pi, old, new = change_figure(pars, lang, rng)
        details["figure"] = "%s -> %s" % (old, new)
        if rng.random() < 0.6:
            title = ("CORRECTED - " if lang == "en" else "RECTIFICATIF - ") + title
        if rng.random() < 0.3:
            ords = ORDINAL_EN if lang == "en" else ORDINAL_FR
            nth = ords[pi] if pi < len(ords) else str(pi + 1)
            note = ("(Corrects figure in %s paragraph to %s from %s)" % (nth, new, old)
                    if lang == "en" else
                    "(Rectifie le chiffre du %s paragraphe : %s et non %s)" % (nth, new, old))
            pars = [[note]] + pars
    elif kind == "combined":
        title = new_headline(doc, title, pars, rng)
        pars = keep_leading(pars, TRUNCATE_KEEP, rng)
        pars, n = edit_words(pars, EDIT_RATE, lang, rng)
        details["edits"] = n
        pars = wrap(pars, boilerplate_lines(doc, outlet, rng, related), rng)
    else:
        raise ValueError(kind)
    return title, join_text(pars), details


def join_text(pars):
    return "\n\n".join(" ".join(p) for p in pars if p)


# ---------------------------------------------------------------------------------------------
# Dates.

def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


def assign_dates(docs, seed):
    """ECB+ and RPM2 have no dates: each event gets a random day of 2021 and its reports are spread
    over 0-4 days (RPM2's second cluster of a theme is dated a month after its first, as the
    corpus readme says). seeds_fr: from 16 December 2022 (the visit was on the 19th). Reuters
    stories keep their own dates."""
    base = datetime.datetime(2021, 1, 1)
    event_day = {}
    for d in docs:
        rng = rng_for(seed, "date", d["origin"], d["origin_id"])
        if d["origin"] == "reuters21578":
            d["dt"] = datetime.datetime.fromisoformat(d["date"])
            continue
        if d["origin"] == "seeds_fr":
            day0 = datetime.datetime(2022, 12, 16)
        elif d["origin"] == "rpm2_fr":
            theme = d["topic_key"]
            if theme not in event_day:
                event_day[theme] = base + datetime.timedelta(
                    days=rng_for(seed, "day", theme).randrange(0, 330))
            day0 = event_day[theme] + datetime.timedelta(days=30 if d["period"] == "C2" else 0)
        else:
            if d["event"] not in event_day:
                event_day[d["event"]] = base + datetime.timedelta(
                    days=rng_for(seed, "day", d["event"]).randrange(0, 365))
            day0 = event_day[d["event"]]
        d["dt"] = day0 + datetime.timedelta(seconds=rng.randrange(0, 5 * 86400))


def copy_delay(rng, kind=None):
    """1 minute to 48 hours, log-uniform: most copies run within hours of the original. A
    correction (kind "corrected") runs within 12 hours: a figure changed a day or more later is
    another day's figure, not a fixed one (the definition of a copy, README)."""
    hours = 12 if kind == "corrected" else 48
    return datetime.timedelta(seconds=math.exp(rng.uniform(math.log(60), math.log(hours * 3600))))


# ---------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output JSON Lines (.gz compresses)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--copies-per-kind", type=int, default=0,
                    help="originals copied with each kind (one copy each); 0 (default) = as many "
                         "as the copied share allows with one kind per original")
    ap.add_argument("--copy-share", type=float, default=0.5,
                    help="share of the eligible originals that may be copied (default 0.5); an "
                         "original gets a second kind only when kinds x copies exceed them")
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated subset of kinds")
    ap.add_argument("--datasets", default=",".join(DATASETS))
    ap.add_argument("--data-dir", default=os.environ.get("SAMESTORY_DATASETS",
                                                         "/work/shared/datasets"))
    ap.add_argument("--reuters-sample", type=int, default=600,
                    help="long Reuters NORM stories taken as originals (default 600)")
    ap.add_argument("--undated", action="store_true", help="write no dates at all")
    ap.add_argument("--natural-copies", choices=("merge", "separate"), default="merge",
                    help="real copies inside the source data (same agency story in two outlets): "
                         "merge = one gold_dup, kind natural (default); separate = every original "
                         "its own gold_dup")
    args = ap.parse_args()

    datasets = [x.strip() for x in args.datasets.split(",") if x.strip()]
    for x in datasets:
        if x not in DATASETS:
            ap.error("unknown dataset %r (known: %s)" % (x, ", ".join(DATASETS)))
    kinds = [x.strip() for x in args.kinds.split(",") if x.strip()]
    for x in kinds:
        if x not in KINDS:
            ap.error("unknown kind %r (known: %s)" % (x, ", ".join(KINDS)))
    out_abs = os.path.abspath(args.out)
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    if out_abs.startswith(repo + os.sep):
        ap.error("--out is inside the repository (%s): the set holds third-party article texts; "
                 "write it elsewhere" % repo)

    docs, reuters_donors = [], []
    if "ecbplus" in datasets:
        docs += load_ecbplus(args.data_dir, args.seed)
    if "rpm2_fr" in datasets:
        docs += load_rpm2(args.data_dir)
    if "seeds_fr" in datasets:
        docs += load_seeds(args.data_dir)
    if "reuters21578" in datasets:
        sample, reuters_donors = load_reuters(args.data_dir, args.seed, args.reuters_sample)
        docs += sample
    docs = [d for d in docs if d["pars"]]

    roots, natural_pairs, version_pairs = natural_copy_groups(docs)
    if args.natural_copies == "separate":
        roots = list(range(len(docs)))

    # Ids, sources, dates.
    for i, d in enumerate(docs):
        d["id"] = opaque_id(args.seed, "orig", d["origin"], d["origin_id"])
        if not d["source"]:
            rng = rng_for(args.seed, "outlet", d["origin"], d["origin_id"])
            d["source"] = rng.choice(outlet_names(d["lang"]))
    for i, d in enumerate(docs):
        d["gold_dup"] = docs[roots[i]]["id"]
        d["kind"] = "original" if roots[i] == i else "natural"
        d["versions"] = set()
    for i, j in version_pairs + [(i, j) for i, j, _ in natural_pairs]:
        if docs[i]["gold_dup"] != docs[j]["gold_dup"]:
            docs[i]["versions"].add(docs[j]["gold_dup"])
            docs[j]["versions"].add(docs[i]["gold_dup"])
    assign_dates(docs, args.seed)

    # Donors of added paragraphs: other reports of the event (not the article's own natural
    # copies); Reuters: long stories outside the sample sharing a topic code.
    by_event = collections.defaultdict(list)
    for i, d in enumerate(docs):
        by_event[d["event"]].append(i)
    donors_by_topic = collections.defaultdict(list)
    for r in reuters_donors:
        for t in r["topics"] or ["none"]:
            donors_by_topic[t].append(r)
    for i, d in enumerate(docs):
        if d["origin"] == "reuters21578":
            cands = [r for t in (d["topics"] or ["none"]) for r in donors_by_topic[t]]
            d["donors"] = cands or reuters_donors
        else:
            d["donors"] = [docs[j] for j in by_event[d["event"]]
                           if roots[j] != roots[i] and len(docs[j]["pars"]) >= 3
                           and docs[j]["gold_dup"] not in d["versions"]]

    # Which originals get which kind: a seeded share of the eligible ones, dealt round-robin.
    rng = rng_for(args.seed, "subset")
    order = list(range(len(docs)))
    rng.shuffle(order)
    base_ok = [i for i in order if eligible(docs[i], "truncated")]
    subset = base_ok[:max(1, int(round(args.copy_share * len(base_ok))))]
    per_kind = args.copies_per_kind or max(1, len(subset) // len(kinds))
    assignments = []   # (doc index, kind)
    used = collections.Counter()
    taken = set()
    for r in range(per_kind):
        for kind in kinds:
            pick = None
            for rounds in range(1, 1 + len(kinds)):
                for i in subset:
                    if used[i] < rounds and (i, kind) not in taken and eligible(docs[i], kind):
                        pick = i
                        break
                if pick is not None:
                    break
            if pick is None:
                continue
            used[pick] += 1
            taken.add((pick, kind))
            assignments.append((pick, kind))

    records = []
    for d in docs:
        records.append(dict(id=d["id"], title=d["title"], text=join_text(d["pars"]), dt=d["dt"],
                            lang=d["lang"], source=d["source"], gold_dup=d["gold_dup"],
                            gold_story=d["event"], copy_kind=d["kind"], origin=d["origin"],
                            origin_id=d["origin_id"]))
        if d["versions"]:
            records[-1]["gold_versions"] = sorted(d["versions"])
    for i, kind in assignments:
        d = docs[i]
        crng = rng_for(args.seed, "copy", d["origin"], d["origin_id"], kind)
        outlets = [o for o in outlet_names(d["lang"]) if o != d["source"]]
        ctx = dict(outlet=crng.choice(outlets), pool=ctx_pool(docs))
        title, text, details = make_copy(d, kind, crng, ctx)
        rec = dict(id=opaque_id(args.seed, "copy", d["origin"], d["origin_id"], kind),
                   title=title, text=text, dt=d["dt"] + copy_delay(crng, kind), lang=d["lang"],
                   source=ctx["outlet"], gold_dup=d["gold_dup"], gold_story=d["event"],
                   copy_kind=kind, origin=d["origin"], origin_id=d["origin_id"])
        rec["copy_of"] = d["id"]
        rec.update({"edit_" + k: v for k, v in details.items()})
        records.append(rec)

    if args.undated:
        records.sort(key=lambda r: r["id"])
    else:
        records.sort(key=lambda r: (r["dt"], r["id"]))
    ids = [r["id"] for r in records]
    if len(set(ids)) != len(ids):
        sys.exit("make_copy_set: id collision (change --seed)")

    opener = gzip.open if args.out.endswith(".gz") else open
    with opener(args.out, "wt", encoding="utf-8") as f:
        for r in records:
            dt = r.pop("dt")
            out = dict(id=r.pop("id"), title=r.pop("title"), text=r.pop("text"))
            if not args.undated:
                out["date"] = iso(dt)
            out.update(r)
            f.write(json.dumps(out, ensure_ascii=False) + "\n")

    if per_kind * len(kinds) > len(subset):
        print("make_copy_set: %d copies for %d candidate originals: some originals have copies "
              "of two kinds" % (per_kind * len(kinds), len(subset)), file=sys.stderr)
    kinds_count = collections.Counter(r["copy_kind"] for r in records)
    by_origin = collections.Counter(r["origin"] for r in records if r["copy_kind"] == "original")
    print("make_copy_set: %d records -> %s" % (len(records), args.out), file=sys.stderr)
    print("make_copy_set: originals by dataset: %s" % dict(sorted(by_origin.items())),
          file=sys.stderr)
    print("make_copy_set: kinds: %s" % dict(sorted(kinds_count.items())), file=sys.stderr)
    print("make_copy_set: %d natural copy pairs in the source data (%s), %d one-way version "
          "pairs (gold_versions)" % (len(natural_pairs), args.natural_copies, len(version_pairs)),
          file=sys.stderr)


_POOL = {}


def ctx_pool(docs):
    """Originals by language, for "Read more:" headlines."""
    if not _POOL:
        for d in docs:
            _POOL.setdefault(d["lang"], []).append(d)
    return _POOL


if __name__ == "__main__":
    main()
