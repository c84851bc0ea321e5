#include "samestory/dedup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "samestory/fingerprint.h"
#include "samestory/text.h"

namespace samestory {
namespace {

template <typename T>
T Must(Result<T> r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

CopyFingerprint Fingerprint(const std::string& body, const std::string& title = "") {
  static Tokenizer tokenizer = Must(Tokenizer::Create(TextOptions{}));
  static TokenizerScratch scratch = Must(tokenizer.NewScratch());
  static CopyFingerprinter fingerprinter = Must(CopyFingerprinter::Create(FingerprintOptions{}));
  TokenList t, b;
  EXPECT_TRUE(tokenizer.Tokenize(title, &scratch, &t).ok());
  EXPECT_TRUE(tokenizer.Tokenize(body, &scratch, &b).ok());
  CopyFingerprint fp;
  fingerprinter.Fingerprint(t, b, &fp);
  return fp;
}

// Random text of lowercase words in sentences (each opening upper case): no two texts share a
// sentence, and grams essentially never meet by chance.
std::string RandomText(std::mt19937_64& rng, size_t words) {
  std::string s;
  for (size_t w = 0; w < words; ++w) {
    std::string word;
    const size_t len = 3 + rng() % 7;
    for (size_t c = 0; c < len; ++c) word += static_cast<char>('a' + rng() % 26);
    if (w % 12 == 0) word[0] = static_cast<char>(word[0] - 'a' + 'A');
    s += word;
    s += (w % 12 == 11) ? ". " : " ";
  }
  return s;
}

struct Doc {
  std::optional<UnixSeconds> date;
  std::optional<CopyFingerprint> fp;  // none: excluded
};

DuplicateGroups Group(const std::vector<Doc>& docs, DedupOptions options = {}, int threads = 1,
                      uint64_t budget = 0) {
  DuplicateFinder finder = Must(DuplicateFinder::Create(options, FingerprintOptions{}));
  for (const Doc& d : docs) {
    if (d.fp) finder.Add(d.date, *d.fp);
    else finder.AddExcluded();
  }
  EXPECT_EQ(finder.size(), docs.size());
  DuplicateGroups g = finder.Finish(threads, budget);
  EXPECT_TRUE(g.status.ok()) << g.status.ToString();
  return g;
}

constexpr UnixSeconds kDay0 = 1700000000, kHour = 3600;

// A corpus of originals, each with 0-3 copies (truncated, re-headlined, edited), dated near it.
struct Corpus {
  std::vector<Doc> docs;
  std::vector<uint32_t> gold;  // per document: its original's index
};

Corpus MakeCorpus(uint64_t seed, size_t originals) {
  std::mt19937_64 rng(seed);
  Corpus c;
  for (size_t o = 0; o < originals; ++o) {
    const std::string text = RandomText(rng, 120 + rng() % 300);
    const UnixSeconds t = kDay0 + static_cast<UnixSeconds>(o) * 10 * kHour;
    const uint32_t original = static_cast<uint32_t>(c.docs.size());
    c.docs.push_back({t, Fingerprint(text, "Title " + std::to_string(o))});
    c.gold.push_back(original);
    const size_t copies = rng() % 4;
    for (size_t k = 0; k < copies; ++k) {
      std::string copy = text;
      switch (k) {
        case 0:
          copy = text.substr(0, text.rfind(' ', text.size() * 7 / 10));
          break;
        case 1:
          copy = "Read more on our site. " + text;
          break;
        default:
          for (size_t e = 0; e < copy.size(); e += 97) copy[e] = 'q';
          break;
      }
      c.docs.push_back({t + static_cast<UnixSeconds>(k + 1) * kHour, Fingerprint(copy)});
      c.gold.push_back(original);
    }
  }
  return c;
}

TEST(DuplicateFinderTest, FindsCopiesAndNamesTheEarliestRepresentative) {
  std::mt19937_64 rng(1);
  const std::string text = RandomText(rng, 300);
  const std::string cut = text.substr(0, text.rfind(' ', text.size() / 2));
  std::vector<Doc> docs = {
      {kDay0 + 5 * kHour, Fingerprint(text)},        // 0: the later of the two full texts
      {kDay0 + 2 * kHour, Fingerprint(text, "New")},  // 1: the earliest: representative
      {kDay0 + 9 * kHour, Fingerprint(cut)},          // 2: truncated to half: partial
      {std::nullopt, Fingerprint(text)},              // 3: undated: after every dated one
      {kDay0, std::nullopt},                          // 4: excluded
      {kDay0, Fingerprint(RandomText(rng, 300))},     // 5: unrelated
  };
  const DuplicateGroups g = Group(docs);
  EXPECT_EQ(g.representative, (std::vector<uint32_t>{1, 1, 1, 1, 4, 5}));
  EXPECT_EQ(g.kind[0], DupKind::kCopy);
  EXPECT_EQ(g.kind[1], DupKind::kNone);  // the representative itself
  EXPECT_EQ(g.kind[2], DupKind::kPartial);
  EXPECT_EQ(g.kind[3], DupKind::kCopy);
  EXPECT_EQ(g.kind[4], DupKind::kNone);
  EXPECT_EQ(g.kind[5], DupKind::kNone);
  EXPECT_FLOAT_EQ(g.score[1], 1.0f);
  EXPECT_GT(g.score[2], 0.95f);  // the cut text is all inside its original
  EXPECT_EQ(g.groups, 1u);
  EXPECT_EQ(g.documents_in_groups, 4u);
  EXPECT_GE(g.accepted, 3u);
}

TEST(DuplicateFinderTest, GroupsMatchTheGoldOfAGeneratedCorpus) {
  const Corpus c = MakeCorpus(2, 120);
  const DuplicateGroups g = Group(c.docs);
  for (size_t d = 0; d < c.docs.size(); ++d) {
    EXPECT_EQ(g.representative[d], c.gold[d]) << "document " << d;
  }
}

TEST(DuplicateFinderTest, SameGroupsAtAnyThreadCountAndMemoryBudget) {
  const Corpus c = MakeCorpus(3, 150);
  const DuplicateGroups base = Group(c.docs);
  for (int threads : {2, 3}) {
    for (uint64_t budget : {uint64_t{0}, uint64_t{4096}}) {
      const DuplicateGroups g = Group(c.docs, {}, threads, budget);
      EXPECT_EQ(g.representative, base.representative) << threads << " " << budget;
      EXPECT_EQ(g.kind, base.kind);
      EXPECT_EQ(g.score, base.score);
      EXPECT_EQ(g.candidates, base.candidates);
    }
  }
}

TEST(DuplicateFinderTest, ExactModeIsTheReferenceForLsh) {
  const Corpus c = MakeCorpus(4, 100);
  DedupOptions exact;
  exact.mode = DedupMode::kExact;
  const DuplicateGroups e = Group(c.docs, exact), l = Group(c.docs);
  EXPECT_EQ(e.representative, l.representative);
  EXPECT_EQ(e.lsh.bands, 0);
  EXPECT_GE(e.candidates, e.accepted);
}

TEST(DuplicateFinderTest, CollectsEveryJudgedPairWithItsVerdict) {
  const Corpus c = MakeCorpus(5, 30);
  DedupOptions o;
  o.collect_pairs = true;
  const DuplicateGroups g = Group(c.docs, o);
  ASSERT_EQ(g.pairs.size(), g.candidates);
  size_t accepted = 0;
  for (size_t i = 0; i < g.pairs.size(); ++i) {
    const JudgedPair& p = g.pairs[i];
    EXPECT_LT(p.a, p.b);
    if (i > 0) {
      EXPECT_TRUE(std::make_pair(g.pairs[i - 1].a, g.pairs[i - 1].b) < std::make_pair(p.a, p.b));
    }
    if (p.verdict.kind != DupKind::kNone) {
      ++accepted;
      EXPECT_EQ(g.representative[p.a], g.representative[p.b]);
    }
  }
  EXPECT_EQ(accepted, g.accepted);
}

TEST(DuplicateFinderTest, DatesBoundCopiesAndShortTextsMatchWhole) {
  std::mt19937_64 rng(6);
  const std::string text = RandomText(rng, 300);
  std::vector<Doc> docs = {
      {kDay0, Fingerprint(text)},
      {kDay0 + 200 * kHour, Fingerprint(text)},  // the same text eight days later: not a copy
      {kDay0, Fingerprint("Fire in port", "FLASH")},
      {kDay0 + kHour, Fingerprint("Fire in port", "FLASH")},
      {kDay0 + 2 * kHour, Fingerprint("Fire in harbour", "FLASH")},
      {kDay0 + 40 * kHour, Fingerprint("Fire in port", "FLASH")},  // a day later: another flash
  };
  const DuplicateGroups g = Group(docs);
  EXPECT_EQ(g.representative, (std::vector<uint32_t>{0, 1, 2, 2, 4, 5}));
  EXPECT_EQ(g.kind[3], DupKind::kCopy);
  EXPECT_FLOAT_EQ(g.score[3], 1.0f);
}

// Issue 14: 8,000 identical articles made one LSH bucket whose pairs filled the memory. Now a big
// bucket is joined in a window of date order: candidates grow linearly, and all are one group.
TEST(DuplicateFinderTest, ThousandsOfIdenticalArticlesAreOneGroupWithLinearCandidates) {
  std::mt19937_64 rng(7);
  const CopyFingerprint fp = Fingerprint(RandomText(rng, 300));
  DedupOptions o;
  std::vector<Doc> docs;
  constexpr size_t kCopies = 5000;
  for (size_t i = 0; i < kCopies; ++i) {
    docs.push_back({kDay0 + static_cast<UnixSeconds>(i) * 60, fp});
  }
  const DuplicateGroups g = Group(docs, o, 2);
  EXPECT_EQ(g.groups, 1u);
  EXPECT_EQ(g.documents_in_groups, kCopies);
  for (size_t d = 0; d < kCopies; ++d) ASSERT_EQ(g.representative[d], 0u);
  EXPECT_LE(g.candidates, kCopies * static_cast<size_t>(o.bucket_window));
}

TEST(DuplicateFinderTest, CandidateKeysAreTheBandsThenTheAnchors) {
  LshOptions lo;
  lo.threshold = 0.4;
  lo.recall_at_threshold = 0.99;
  const LshBanding banding = Must(LshBanding::Create(lo, 256));
  FingerprintOptions fo;
  EXPECT_EQ(CandidateKeyCount(banding, fo),
            static_cast<size_t>(banding.params().bands + fo.anchors));
  std::mt19937_64 rng(8);
  const CopyFingerprint fp = Fingerprint(RandomText(rng, 30));  // three sentences
  std::vector<uint32_t> keys(CandidateKeyCount(banding, fo));
  CandidateKeys(banding, fp, keys.data());
  for (int b = 0; b < banding.params().bands; ++b) EXPECT_NE(keys[b], 0u);
  const uint32_t* anchors = keys.data() + banding.params().bands;
  EXPECT_NE(anchors[0], 0u);
  EXPECT_NE(anchors[2], 0u);
  EXPECT_EQ(anchors[3], 0u);  // no fourth sentence: no key
}

TEST(DuplicateFinderTest, OptionErrors) {
  DedupOptions o;
  o.rule.threshold = 0;
  EXPECT_FALSE(DuplicateFinder::Create(o, FingerprintOptions{}).ok());
  o = DedupOptions{};
  o.lsh_threshold = 0.01;  // no banding of 256 values reaches the recall there
  o.recall_at_threshold = 0.999;
  auto r = DuplicateFinder::Create(o, FingerprintOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  FingerprintOptions bad;
  bad.gram_bytes = 2;
  EXPECT_FALSE(DuplicateFinder::Create(DedupOptions{}, bad).ok());
}

}  // namespace
}  // namespace samestory
