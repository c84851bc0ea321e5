#include "samestory/dedup.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "samestory/minhash.h"
#include "samestory/shingle.h"
#include "samestory/text.h"

namespace samestory {
namespace {

template <typename T>
T Must(Result<T> r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

// --- Synthetic documents: random token streams -> Shingler -> MinHasher --------------------------

using Doc = std::vector<std::string>;
constexpr int kVocabulary = 5000;  // 5-shingles of unrelated random docs essentially never meet

std::string Word(std::mt19937_64& rng) { return "w" + std::to_string(rng() % kVocabulary); }

Doc RandomDoc(std::mt19937_64& rng, size_t n) {
  Doc d(n);
  for (auto& t : d) t = Word(rng);
  return d;
}

// A copy with `edits` random words replaced.
Doc Edited(Doc d, int edits, std::mt19937_64& rng) {
  for (int e = 0; e < edits; ++e) d[rng() % d.size()] = Word(rng);
  return d;
}

struct Fingerprint {
  std::vector<uint64_t> unordered;  // text order, repeats kept: what the pipeline passes to Add
  std::vector<uint64_t> sorted;     // sorted, distinct: for brute-force ExactJaccard
  std::vector<uint32_t> signature;
  uint64_t sequence_hash = 0;
  bool is_short() const { return sorted.empty(); }
};

class Fingerprinter {
 public:
  Fingerprinter()
      : shingler_(Must(Shingler::Create(ShingleOptions{}))),
        hasher_(Must(MinHasher::Create(MinHashOptions{}))) {}
  Fingerprint operator()(const Doc& doc) const {
    TokenList tokens;
    for (const auto& t : doc) tokens.Add(t);
    Fingerprint fp;
    shingler_.ShingleUnordered(tokens, &fp.unordered);
    shingler_.Shingle(tokens, &fp.sorted);
    fp.signature.resize(hasher_.num_perm());
    hasher_.Sign(fp.unordered, fp.signature.data());
    fp.sequence_hash = shingler_.SequenceHash(tokens);
    return fp;
  }
  int num_perm() const { return hasher_.num_perm(); }

 private:
  Shingler shingler_;
  MinHasher hasher_;
};

struct Corpus {
  std::vector<Fingerprint> fps;
  std::vector<std::optional<UnixSeconds>> dates;
  std::vector<bool> excluded;
  size_t size() const { return fps.size(); }
};

DedupOptions Options(DedupMode mode, double threshold, bool collect_pairs = true) {
  DedupOptions o;
  o.mode = mode;
  o.threshold = threshold;
  o.collect_pairs = collect_pairs;
  return o;
}

// Feeds every document as the pipeline does: excluded, short (fewer than k tokens) or full. In
// exact mode the signature is left out, as the contract allows.
DuplicateGroups RunFinder(const Corpus& c, const DedupOptions& options) {
  DuplicateFinder finder = Must(DuplicateFinder::Create(options, MinHashOptions{}.num_perm));
  for (size_t d = 0; d < c.size(); ++d) {
    const Fingerprint& fp = c.fps[d];
    if (!c.excluded.empty() && c.excluded[d]) {
      finder.AddExcluded();
    } else if (fp.is_short()) {
      finder.AddShort(c.dates[d], fp.sequence_hash);
    } else if (options.mode == DedupMode::kExact) {
      finder.Add(c.dates[d], fp.unordered, {});
    } else {
      finder.Add(c.dates[d], fp.unordered, fp.signature);
    }
  }
  EXPECT_EQ(finder.size(), c.size());
  return finder.Finish();
}

// The representative the contract promises for each document, given the groups as a partition:
// the earliest member by date (undated last), then by index.
std::vector<uint32_t> ExpectedRepresentatives(const std::vector<std::vector<uint32_t>>& groups,
                                              const std::vector<std::optional<UnixSeconds>>& dates,
                                              size_t n) {
  std::vector<uint32_t> rep(n);
  for (uint32_t d = 0; d < n; ++d) rep[d] = d;
  for (const auto& g : groups) {
    uint32_t best = g[0];
    for (uint32_t d : g) {
      const bool d_dated = dates[d].has_value(), best_dated = dates[best].has_value();
      if (d_dated != best_dated) {
        if (d_dated) best = d;
      } else if (d_dated && *dates[d] != *dates[best]) {
        if (*dates[d] < *dates[best]) best = d;
      } else if (d < best) {
        best = d;
      }
    }
    for (uint32_t d : g) rep[d] = best;
  }
  return rep;
}

// Connected components of `pairs` over n documents, each sorted, singletons left out.
std::vector<std::vector<uint32_t>> Components(
    const std::vector<std::pair<uint32_t, uint32_t>>& pairs, size_t n) {
  std::vector<uint32_t> parent(n);
  for (uint32_t i = 0; i < n; ++i) parent[i] = i;
  auto find = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x];
    return x;
  };
  for (auto [a, b] : pairs) parent[find(a)] = find(b);
  std::map<uint32_t, std::vector<uint32_t>> by_root;
  for (uint32_t d = 0; d < n; ++d) by_root[find(d)].push_back(d);
  std::vector<std::vector<uint32_t>> out;
  for (auto& [root, members] : by_root) {
    if (members.size() >= 2) out.push_back(members);
  }
  return out;
}

void ExpectPairsSortedAboveThreshold(const DuplicateGroups& g, double threshold) {
  for (size_t i = 0; i < g.pairs.size(); ++i) {
    const ScoredPair& p = g.pairs[i];
    EXPECT_LT(p.a, p.b);
    EXPECT_GE(p.jaccard, static_cast<float>(threshold)) << p.a << "," << p.b;
    if (i > 0) {
      EXPECT_LT(std::make_pair(g.pairs[i - 1].a, g.pairs[i - 1].b), std::make_pair(p.a, p.b))
          << "pairs " << i - 1 << " and " << i << " out of order or repeated";
    }
  }
}

// The pairs between fingerprinted (full) documents. Pairs of identical short texts may also be
// listed (with Jaccard 1, exact): checked here and left out, since only full documents have
// shingle sets to compare.
std::vector<ScoredPair> FullPairs(const Corpus& c, const DuplicateGroups& g) {
  std::vector<ScoredPair> out;
  for (const ScoredPair& p : g.pairs) {
    if (!c.fps[p.a].is_short() && !c.fps[p.b].is_short()) {
      out.push_back(p);
      continue;
    }
    EXPECT_TRUE(c.fps[p.a].is_short() && c.fps[p.b].is_short()) << p.a << "," << p.b;
    EXPECT_EQ(c.fps[p.a].sequence_hash, c.fps[p.b].sequence_hash) << p.a << "," << p.b;
    EXPECT_EQ(p.jaccard, 1.0f);
  }
  return out;
}

// --- Planted near-duplicates ---------------------------------------------------------------------

// 80 unrelated documents of 200..400 words; 25 of them get 1..3 copies with 1 or 2 words replaced
// (exact Jaccard >= 0.85 with the original, checked; two copies of one original may be a little
// less alike, but are joined through it). Documents are shuffled. Every planted family must be
// exactly one group, every other document alone, in both modes.
struct Planted {
  Corpus corpus;
  std::vector<std::vector<uint32_t>> families;  // sorted indices, families of two or more
};

Planted MakePlanted(uint64_t seed) {
  std::mt19937_64 rng(seed);
  Fingerprinter fingerprint;
  struct Entry {
    Doc doc;
    int family;
    bool original;
  };
  std::vector<Entry> docs;
  for (int f = 0; f < 80; ++f) {
    Doc base = RandomDoc(rng, 200 + rng() % 201);
    docs.push_back({base, f, true});
    if (f < 25) {
      const int copies = 1 + rng() % 3;
      for (int c = 0; c < copies; ++c) docs.push_back({Edited(base, 1 + rng() % 2, rng), f, false});
    }
  }
  std::shuffle(docs.begin(), docs.end(), rng);
  Planted p;
  std::map<int, std::vector<uint32_t>> members;
  std::map<int, uint32_t> original;
  for (uint32_t d = 0; d < docs.size(); ++d) {
    p.corpus.fps.push_back(fingerprint(docs[d].doc));
    p.corpus.dates.push_back(std::nullopt);
    members[docs[d].family].push_back(d);
    if (docs[d].original) original[docs[d].family] = d;
  }
  for (auto& [f, m] : members) {
    if (m.size() < 2) continue;
    for (uint32_t d : m) {
      // Precondition of the test: every copy is a near-duplicate of its original.
      const double j = ExactJaccard(p.corpus.fps[original[f]].sorted, p.corpus.fps[d].sorted);
      EXPECT_GE(j, 0.85) << "family " << f;
    }
    p.families.push_back(m);
  }
  return p;
}

TEST(DedupTest, PlantedNearDuplicatesAreGroupedUnrelatedAreNot) {
  const Planted planted = MakePlanted(42);
  const size_t n = planted.corpus.size();
  ASSERT_EQ(planted.families.size(), 25u);
  const std::vector<uint32_t> expected =
      ExpectedRepresentatives(planted.families, planted.corpus.dates, n);
  size_t in_families = 0;
  for (const auto& f : planted.families) in_families += f.size();
  for (DedupMode mode : {DedupMode::kLsh, DedupMode::kExact}) {
    SCOPED_TRACE(mode == DedupMode::kLsh ? "LSH mode" : "exact mode");
    const DuplicateGroups g = RunFinder(planted.corpus, Options(mode, 0.8));
    ASSERT_EQ(g.representative.size(), n);
    EXPECT_EQ(g.representative, expected);
    EXPECT_EQ(g.groups, planted.families.size());
    EXPECT_EQ(g.documents_in_groups, in_families);
  }
}

TEST(DedupTest, CopiesWithFewEditsHaveJaccardAtLeast085) {
  // The planted corpus really holds J >= 0.85 near-duplicates: copy vs original.
  std::mt19937_64 rng(1);
  Fingerprinter fingerprint;
  for (int i = 0; i < 50; ++i) {
    const Doc base = RandomDoc(rng, 200 + rng() % 201);
    const Doc copy = Edited(base, 1 + rng() % 2, rng);
    EXPECT_GE(ExactJaccard(fingerprint(base).sorted, fingerprint(copy).sorted), 0.85);
  }
}

// --- Representatives -----------------------------------------------------------------------------

TEST(DedupTest, RepresentativeIsEarliestByDateThenIndexUndatedLast) {
  std::mt19937_64 rng(7);
  Fingerprinter fingerprint;
  const Doc base = RandomDoc(rng, 300);
  const Fingerprint fp = fingerprint(base);
  using Dates = std::vector<std::optional<UnixSeconds>>;
  const std::nullopt_t none = std::nullopt;
  // Identical documents (J = 1) with these dates; the expected representative.
  const std::vector<std::pair<Dates, uint32_t>> cases = {
      {{none, 200, 100, 100}, 2},  // earliest date; tie broken by index
      {{none, none, none}, 0},     // all undated: first added
      {{none, none, 5}, 2},        // undated count as latest
      {{300, 200, none, 200}, 1},  // tie on the earliest date
      {{-50, 0, 1700000000}, 0},   // negative dates (before 1970) are earlier
      {{1700000000, -50, none}, 1},
  };
  for (DedupMode mode : {DedupMode::kLsh, DedupMode::kExact}) {
    for (const auto& [dates, rep] : cases) {
      Corpus c;
      for (const auto& date : dates) {
        c.fps.push_back(fp);
        c.dates.push_back(date);
      }
      const DuplicateGroups g = RunFinder(c, Options(mode, 0.8));
      EXPECT_EQ(g.representative, std::vector<uint32_t>(dates.size(), rep))
          << (mode == DedupMode::kLsh ? "LSH" : "exact") << " mode, case with rep " << rep;
      EXPECT_EQ(g.groups, 1u);
      EXPECT_EQ(g.documents_in_groups, dates.size());
    }
  }
}

TEST(DedupTest, ScoresAreOneForRepresentativesAndJaccardWithTheRepresentativeOtherwise) {
  const Planted planted = MakePlanted(43);
  const Corpus& c = planted.corpus;
  for (DedupMode mode : {DedupMode::kLsh, DedupMode::kExact}) {
    SCOPED_TRACE(mode == DedupMode::kLsh ? "LSH mode" : "exact mode");
    const DuplicateGroups g = RunFinder(c, Options(mode, 0.8));
    ASSERT_EQ(g.score.size(), c.size());
    for (uint32_t d = 0; d < c.size(); ++d) {
      const uint32_t r = g.representative[d];
      EXPECT_EQ(g.representative[r], r) << "a representative represents itself";
      if (r == d) {
        EXPECT_EQ(g.score[d], 1.0f) << d;
      } else if (mode == DedupMode::kExact) {
        EXPECT_EQ(g.score[d], static_cast<float>(ExactJaccard(c.fps[d].sorted, c.fps[r].sorted)));
      } else {
        // The estimate, replaced by the exact value when it lies within verify_margin of the
        // threshold (dedup.h).
        const DedupOptions o = Options(mode, 0.8);
        const double estimate = EstimateJaccard(c.fps[d].signature, c.fps[r].signature);
        const double expected = std::abs(estimate - o.threshold) < o.verify_margin
                                    ? ExactJaccard(c.fps[d].sorted, c.fps[r].sorted)
                                    : estimate;
        EXPECT_EQ(g.score[d], static_cast<float>(expected));
      }
    }
  }
}

// --- Short and excluded documents ----------------------------------------------------------------

TEST(DedupTest, ShortDocumentsGroupOnlyWithEqualSequenceHash) {
  Fingerprinter fingerprint;
  const std::vector<Doc> docs = {
      {"breaking", "news"},                        // 0
      {"breaking", "news", "now"},                 // 1
      {"breaking", "news"},                        // 2: = 0
      {"news", "breaking"},                        // 3: same words, other order
      {"breakingnews"},                            // 4: same bytes, other boundaries
      {"breaking", "news", "now"},                 // 5: = 1
      {"breaking", "news"},                        // 6: = 0
      {"breaking", "news", "now", "in", "paris"},  // 7: full (5 tokens), starts like 1
      {"breaking", "news", "now", "in", "paris"},  // 8: = 7, full
  };
  Corpus c;
  for (const Doc& d : docs) c.fps.push_back(fingerprint(d));
  c.dates = {std::nullopt, 50, 40, std::nullopt, std::nullopt, 10, 30, std::nullopt, std::nullopt};
  for (uint32_t d = 0; d < 7; ++d) ASSERT_TRUE(c.fps[d].is_short()) << d;
  ASSERT_FALSE(c.fps[7].is_short());
  for (DedupMode mode : {DedupMode::kLsh, DedupMode::kExact}) {
    const DuplicateGroups g = RunFinder(c, Options(mode, 0.8));
    // {0, 2, 6}: earliest date 30 -> 6. {1, 5}: 5. {7, 8}: undated, first added 7.
    EXPECT_EQ(g.representative, (std::vector<uint32_t>{6, 5, 6, 3, 4, 5, 6, 7, 7}));
    EXPECT_EQ(g.groups, 3u);
    EXPECT_EQ(g.documents_in_groups, 7u);
    for (uint32_t d = 0; d < 7; ++d) EXPECT_EQ(g.score[d], 1.0f) << "exact-text short groups";
    EXPECT_EQ(FullPairs(c, g).size(), 1u);  // (7, 8); pairs of equal short texts are checked
  }
}

TEST(DedupTest, ExcludedDocumentsStayAlone) {
  std::mt19937_64 rng(9);
  Fingerprinter fingerprint;
  const Fingerprint full = fingerprint(RandomDoc(rng, 100));
  const Fingerprint short_doc = fingerprint({"a", "b"});
  // full, excluded, full, excluded, short, excluded, short, excluded: the excluded entries carry
  // the same fingerprints as their neighbours, which must not matter.
  Corpus c;
  c.fps = {full, full, full, full, short_doc, short_doc, short_doc, short_doc};
  c.dates.assign(8, std::nullopt);
  c.dates[1] = 0;  // an excluded document with the earliest date is still not a representative
  c.excluded = {false, true, false, true, false, true, false, true};
  for (DedupMode mode : {DedupMode::kLsh, DedupMode::kExact}) {
    const DuplicateGroups g = RunFinder(c, Options(mode, 0.8));
    EXPECT_EQ(g.representative, (std::vector<uint32_t>{0, 1, 0, 3, 4, 5, 4, 7}));
    EXPECT_EQ(g.groups, 2u);
    EXPECT_EQ(g.documents_in_groups, 4u);
    for (uint32_t d : {1, 3, 5, 7}) EXPECT_EQ(g.score[d], 1.0f);
    for (const ScoredPair& p : g.pairs) {
      EXPECT_FALSE(c.excluded[p.a]);
      EXPECT_FALSE(c.excluded[p.b]);
    }
  }
  // Only excluded documents.
  DuplicateFinder finder = Must(DuplicateFinder::Create(DedupOptions{}, 128));
  for (int i = 0; i < 3; ++i) finder.AddExcluded();
  const DuplicateGroups g = finder.Finish();
  EXPECT_EQ(g.representative, (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_EQ(g.groups, 0u);
}

// --- Exact mode against brute force; LSH recall against exact mode -------------------------------

// About 330 documents: 130 random originals (lengths 6..20 and 30..300 words, some made of a
// repeated phrase so their shingles repeat) and 0..2 copies each of earlier documents (originals
// or copies) with 0..n/25 + 1 or 0..n/6 words replaced, or cut to a prefix: exact Jaccard spread
// over (0, 1], denser above 0.7. Then 15 originals with two light copies each (J ~ 0.8..0.9), and
// plants on the threshold: 13-word texts whose copy changes the last word (9 shingles, one
// differs: J = 8/10 = 0.8 exactly) and 7-word texts likewise (J = 2/4 = 0.5). A few short and
// excluded documents, random dates. Fixed seed.
Corpus MakeSpread(uint64_t seed) {
  std::mt19937_64 rng(seed);
  Fingerprinter fingerprint;
  std::vector<Doc> docs;
  for (int i = 0; i < 130; ++i) {
    const size_t n = i % 4 == 0 ? 6 + rng() % 15 : 30 + rng() % 271;
    if (i % 10 == 1) {  // a repeated phrase
      const Doc phrase = RandomDoc(rng, 3 + rng() % 8);
      Doc d;
      while (d.size() < n) d.insert(d.end(), phrase.begin(), phrase.end());
      docs.push_back(d);
    } else {
      docs.push_back(RandomDoc(rng, n));
    }
    const int copies = rng() % 3;
    for (int c = 0; c < copies; ++c) {
      const Doc& from = docs[rng() % docs.size()];
      switch (rng() % 4) {
        case 0: {  // a prefix of 50..100% of the words (at least 5)
          const size_t keep = std::max<size_t>(5, from.size() * (50 + rng() % 51) / 100);
          docs.push_back(Doc(from.begin(), from.begin() + keep));
          break;
        }
        case 1:  // up to n/6 edits: J spread over (0, 1]
          docs.push_back(Edited(from, rng() % (from.size() / 6 + 1), rng));
          break;
        default:  // a few edits: J mostly in 0.7..1
          docs.push_back(Edited(from, rng() % (from.size() / 25 + 2), rng));
      }
    }
  }
  for (int i = 0; i < 15; ++i) {  // near 0.8: two copies with n/100..n/50 edits, J ~ 0.82..0.9
    const Doc base = RandomDoc(rng, 100 + rng() % 201);
    docs.push_back(base);
    for (int c = 0; c < 2; ++c) {
      docs.push_back(Edited(base, base.size() / 100 + rng() % (base.size() / 100 + 1), rng));
    }
  }
  for (int i = 0; i < 6; ++i) {  // exactly on the thresholds 0.8 and 0.5
    for (size_t n : {13, 7}) {
      Doc d = RandomDoc(rng, n);
      docs.push_back(d);
      d.back() = "changed" + std::to_string(i);
      docs.push_back(d);
    }
  }
  for (int i = 0; i < 4; ++i) docs.push_back({"short", "text"});
  std::shuffle(docs.begin(), docs.end(), rng);
  Corpus c;
  for (const Doc& d : docs) {
    c.fps.push_back(fingerprint(d));
    c.dates.push_back(rng() % 3 == 0 ? std::nullopt
                                     : std::optional<UnixSeconds>(1600000000 + rng() % 1000));
    c.excluded.push_back(rng() % 50 == 0);
  }
  return c;
}

struct BrutePair {
  uint32_t a, b;
  double jaccard;
};

// O(n^2) ExactJaccard over every pair of full, non-excluded documents.
std::vector<BrutePair> BruteForcePairs(const Corpus& c, double threshold) {
  std::vector<BrutePair> out;
  auto usable = [&](uint32_t d) { return !c.fps[d].is_short() && !c.excluded[d]; };
  for (uint32_t a = 0; a < c.size(); ++a) {
    if (!usable(a)) continue;
    for (uint32_t b = a + 1; b < c.size(); ++b) {
      if (!usable(b)) continue;
      const double j = ExactJaccard(c.fps[a].sorted, c.fps[b].sorted);
      if (j >= threshold) out.push_back({a, b, j});
    }
  }
  return out;
}

TEST(DedupTest, ExactModeFindsExactlyTheBruteForcePairs) {
  const Corpus c = MakeSpread(2024);
  ASSERT_GE(c.size(), 250u);
  ASSERT_LE(c.size(), 400u);
  for (double t : {0.5, 0.8, 0.3, 1.0}) {
    SCOPED_TRACE("threshold " + std::to_string(t));
    const std::vector<BrutePair> brute = BruteForcePairs(c, t);
    ASSERT_GE(brute.size(), 10u) << "the corpus should plant pairs at this threshold";
    const DuplicateGroups g = RunFinder(c, Options(DedupMode::kExact, t));
    ExpectPairsSortedAboveThreshold(g, t);
    std::vector<std::pair<uint32_t, uint32_t>> want, got;
    for (const BrutePair& p : brute) want.push_back({p.a, p.b});
    const std::vector<ScoredPair> full = FullPairs(c, g);
    for (const ScoredPair& p : full) got.push_back({p.a, p.b});
    EXPECT_EQ(got, want);
    if (got == want) {
      for (size_t i = 0; i < brute.size(); ++i) {
        EXPECT_TRUE(full[i].exact);
        EXPECT_EQ(full[i].jaccard, static_cast<float>(brute[i].jaccard));
      }
    }
    // Groups: the connected components of the brute-force pairs plus equal short texts.
    std::vector<std::pair<uint32_t, uint32_t>> links = want;
    for (uint32_t a = 0; a < c.size(); ++a) {
      for (uint32_t b = a + 1; b < c.size(); ++b) {
        if (c.fps[a].is_short() && c.fps[b].is_short() && !c.excluded[a] && !c.excluded[b] &&
            c.fps[a].sequence_hash == c.fps[b].sequence_hash) {
          links.push_back({a, b});
        }
      }
    }
    const auto groups = Components(links, c.size());
    EXPECT_EQ(g.representative, ExpectedRepresentatives(groups, c.dates, c.size()));
    EXPECT_EQ(g.groups, groups.size());
    EXPECT_LE(g.exact_checks, g.candidates);
  }
}

TEST(DedupTest, ExactModeOnThresholdPlants) {
  // J exactly equal to t is a duplicate (J >= t): rounding in the prefix length must not lose it,
  // in particular when t * |set| is an integer (then the prefix is |set| - t |set| + 1 long).
  std::mt19937_64 rng(77);
  Fingerprinter fingerprint;
  struct Plant {
    size_t n;     // words of the original
    size_t keep;  // words of the copy: a prefix of the original...
    bool change;  // ...with its last word replaced
    double t;     // = the pair's exact Jaccard
  };
  const Plant plants[] = {
      {13, 13, true, 0.8},    // 9 shingles each, one differs: 8/10
      {7, 7, true, 0.5},      // 2/4
      {23, 23, true, 0.9},    // 18/20
      {6, 6, true, 1.0 / 3},  // 1/3
      {14, 12, false, 0.8},   // 8 of 10 shingles: 8/10, and 0.8 * 10 = 8
      {8, 6, false, 0.5},     // 2 of 4: 2/4, and 0.5 * 4 = 2
      {24, 22, false, 0.9},   // 18 of 20, 0.9 * 20 = 18
      {9, 9, false, 1.0},     // identical
  };
  for (const Plant& p : plants) {
    const Doc d = RandomDoc(rng, p.n);
    Doc copy(d.begin(), d.begin() + p.keep);
    if (p.change) copy.back() = "changed";
    for (bool copy_first : {false, true}) {
      Corpus c;
      c.fps.push_back(fingerprint(copy_first ? copy : d));
      c.fps.push_back(fingerprint(copy_first ? d : copy));
      c.dates.assign(2, std::nullopt);
      c.excluded.assign(2, false);
      const double j = ExactJaccard(c.fps[0].sorted, c.fps[1].sorted);
      ASSERT_EQ(j, p.t) << "n=" << p.n;
      const DuplicateGroups g = RunFinder(c, Options(DedupMode::kExact, p.t));
      ASSERT_EQ(g.pairs.size(), 1u) << "n=" << p.n << " keep=" << p.keep << " t=" << p.t;
      EXPECT_EQ(g.representative, (std::vector<uint32_t>{0, 0}));
      // Just above the threshold, the pair is not a duplicate.
      if (p.t < 1.0) {
        const DuplicateGroups above =
            RunFinder(c, Options(DedupMode::kExact, std::nextafter(p.t, 2.0)));
        EXPECT_TRUE(above.pairs.empty()) << "n=" << p.n << " keep=" << p.keep;
      }
    }
  }
}

// LSH mode on the same corpus at t = 0.8 must find at least 99% of the pairs exact mode finds
// (P(candidate) >= 0.995 at s = t by construction of the banding, higher above t; pairs with an
// estimate in [t - 0.15, t + 0.15) are checked exactly). Nearly all pairs it accepts must truly
// be at or above t (accepting on an estimate >= t + 0.15 errs only for pairs far out in the tail).
TEST(DedupTest, LshRecallAgainstExactModeAtLeast99Percent) {
  const Corpus c = MakeSpread(2024);
  constexpr double kThreshold = 0.8;
  const DuplicateGroups exact = RunFinder(c, Options(DedupMode::kExact, kThreshold));
  const DuplicateGroups lsh = RunFinder(c, Options(DedupMode::kLsh, kThreshold));
  const std::vector<ScoredPair> exact_pairs = FullPairs(c, exact), lsh_pairs = FullPairs(c, lsh);
  ASSERT_GE(exact_pairs.size(), 80u) << "too few pairs for the recall to mean much";
  std::set<std::pair<uint32_t, uint32_t>> lsh_set;
  for (const ScoredPair& p : lsh_pairs) lsh_set.insert({p.a, p.b});
  size_t found = 0, same_group = 0;
  for (const ScoredPair& p : exact_pairs) {
    found += lsh_set.count({p.a, p.b});
    same_group += lsh.representative[p.a] == lsh.representative[p.b];
  }
  const double recall = static_cast<double>(found) / exact_pairs.size();
  EXPECT_GE(recall, 0.99) << found << " of " << exact_pairs.size() << " exact pairs";
  EXPECT_GE(static_cast<double>(same_group) / exact_pairs.size(), 0.99);

  std::map<std::pair<uint32_t, uint32_t>, double> truth;
  for (const BrutePair& p : BruteForcePairs(c, 0.0)) truth[{p.a, p.b}] = p.jaccard;
  size_t correct = 0;
  for (const ScoredPair& p : lsh_pairs) {
    ASSERT_TRUE(truth.count({p.a, p.b})) << p.a << "," << p.b;
    const double j = truth[{p.a, p.b}];
    correct += j >= kThreshold;
    if (p.exact) {
      EXPECT_EQ(p.jaccard, static_cast<float>(j)) << "exactly verified pair";
    }
  }
  EXPECT_GE(static_cast<double>(correct), 0.99 * lsh_pairs.size());
  EXPECT_EQ(lsh.lsh.bands, Must(ChooseLshParams(kThreshold, 128, 0.995)).bands);
  EXPECT_EQ(lsh.lsh.rows, Must(ChooseLshParams(kThreshold, 128, 0.995)).rows);
  EXPECT_GE(lsh.candidates, lsh_pairs.size());
  EXPECT_LE(lsh.exact_checks, lsh.candidates);
}

// --- Shingle sets on disk (LSH mode) --------------------------------------------------------------

TEST(DedupTest, LshModeKeepsShingleSetsAndSignaturesInTemporaryFilesNotInMemory) {
  const Corpus c = MakeSpread(7);
  const DuplicateGroups lsh = RunFinder(c, Options(DedupMode::kLsh, 0.8));
  size_t distinct = 0;  // what the file must hold: each full document's distinct shingles, 4 bytes
  for (size_t d = 0; d < c.size(); ++d) {
    if (c.fps[d].is_short() || (!c.excluded.empty() && c.excluded[d])) continue;
    std::vector<uint64_t> s = c.fps[d].unordered;
    std::sort(s.begin(), s.end());
    distinct += static_cast<size_t>(std::unique(s.begin(), s.end()) - s.begin());
  }
  EXPECT_EQ(lsh.spilled_shingle_bytes, distinct * 4);
  EXPECT_EQ(lsh.spilled_signature_bytes, c.size() * 128 * 4) << "one signature a document";
  const size_t bands = static_cast<size_t>(lsh.lsh.bands);
  ASSERT_GT(bands, 0u);
  EXPECT_EQ(lsh.band_key_bytes, c.size() * bands * 8) << "in memory: band keys only";
  EXPECT_GT(lsh.exact_checks, 0u) << "the file is read back for borderline candidates";
  EXPECT_TRUE(lsh.status.ok());
  EXPECT_EQ(RunFinder(c, Options(DedupMode::kExact, 0.8)).spilled_shingle_bytes, 0u);
}

TEST(DedupTest, UnusableTemporaryDirectoryIsAnIOError) {
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", "/nonexistent/samestory-test", 1);
  Result<DuplicateFinder> r = DuplicateFinder::Create(DedupOptions{}, 128);
  if (old) ::setenv("TMPDIR", saved.c_str(), 1); else ::unsetenv("TMPDIR");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIOError);
  EXPECT_NE(r.status().message().find("TMPDIR"), std::string::npos) << r.status().ToString();
}

// --- collect_pairs -------------------------------------------------------------------------------

TEST(DedupTest, CollectPairsGivesSortedPairsAboveThreshold) {
  const Corpus c = MakeSpread(7);
  for (DedupMode mode : {DedupMode::kLsh, DedupMode::kExact}) {
    for (double t : {0.5, 0.8}) {
      SCOPED_TRACE((mode == DedupMode::kLsh ? "LSH, t=" : "exact, t=") + std::to_string(t));
      const DuplicateGroups with = RunFinder(c, Options(mode, t, /*collect_pairs=*/true));
      EXPECT_FALSE(with.pairs.empty());
      ExpectPairsSortedAboveThreshold(with, t);
      // Every pair joins two documents of one group.
      for (const ScoredPair& p : with.pairs) {
        EXPECT_EQ(with.representative[p.a], with.representative[p.b]);
      }
      const DuplicateGroups without = RunFinder(c, Options(mode, t, /*collect_pairs=*/false));
      EXPECT_TRUE(without.pairs.empty());
      EXPECT_EQ(without.representative, with.representative)
          << "collect_pairs changes nothing else";
    }
  }
}

// --- Options -------------------------------------------------------------------------------------

TEST(DedupTest, ValidateAcceptsDefaultsAndBounds) {
  EXPECT_TRUE(DedupOptions{}.Validate().ok());
  DedupOptions o;
  o.threshold = 1.0;
  o.verify_margin = 0.0;
  EXPECT_TRUE(o.Validate().ok());
  o.verify_margin = 1.0;
  EXPECT_TRUE(o.Validate().ok());
  EXPECT_TRUE(DuplicateFinder::Create(DedupOptions{}, 128).ok());
}

TEST(DedupTest, ValidateAndCreateErrors) {
  std::vector<std::pair<std::string, DedupOptions>> bad;
  for (double t : {0.0, 1.2, -0.5, std::nan("")}) {
    DedupOptions o;
    o.threshold = t;
    bad.emplace_back("threshold " + std::to_string(t), o);
  }
  for (double m : {-0.1, 1.5, std::nan("")}) {
    DedupOptions o;
    o.verify_margin = m;
    bad.emplace_back("verify_margin " + std::to_string(m), o);
  }
  for (const auto& [what, o] : bad) {
    Status s = o.Validate();
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << what;
    EXPECT_FALSE(s.message().empty()) << what;
    Result<DuplicateFinder> r = DuplicateFinder::Create(o, 128);
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << what;
  }
  // Valid DedupOptions whose LSH banding is impossible or malformed: Create fails.
  std::vector<std::pair<std::string, std::pair<DedupOptions, int>>> bad_lsh;
  {
    DedupOptions o;
    o.recall_at_threshold = 1.0;
    bad_lsh.push_back({"recall 1.0", {o, 128}});
    o = DedupOptions{};
    o.bands = 16;
    bad_lsh.push_back({"bands without rows", {o, 128}});
    o.rows = 9;
    bad_lsh.push_back({"b * r > num_perm", {o, 128}});
    o = DedupOptions{};
    o.threshold = 0.1;
    bad_lsh.push_back({"no banding of 8 values reaches the recall", {o, 8}});
  }
  for (const auto& [what, arg] : bad_lsh) {
    Result<DuplicateFinder> r = DuplicateFinder::Create(arg.first, arg.second);
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << what;
  }
}

}  // namespace
}  // namespace samestory
