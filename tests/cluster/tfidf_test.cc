// Tests for TF-IDF (include/samestory/tfidf.h, src/cluster/tfidf.cc).
//
// 1. TermExtractor: title weighting, min_term_bytes, stemming by `lang`, by detection and none,
//    output sorted by hash with merged counts, the spellings map. Term hashes are not part of the
//    API, so terms are read back through the spellings map (hash -> stem).
// 2. TfidfBuilder / TfidfModel with hand-made term hashes: idf = 1 + ln((1 + n) / (1 + df))
//    compared with a hand computation, max_df / min_df pruning, Transform (L2 norm 1, sublinear
//    tf, unknown terms ignored), SparseDot.
// 3. Options::Validate and TermExtractor::Create error paths.
// 4. TfidfModel::Save / Load: round trip (options, idf, vectors, note), damaged or foreign files
//    refused with what is wrong, unwritable paths.
// Only documented formulas are checked, never today's default numbers.
#include "samestory/tfidf.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "samestory/status.h"
#include "samestory/text.h"
#include "text/tokenize_helper.h"
#include "test_temp.h"

namespace samestory {
namespace {

using testing::Tokenize;

TokenList Tokens(std::initializer_list<std::string_view> words) {
  TokenList out;
  for (std::string_view w : words) out.Add(w);
  return out;
}

TermExtractor MustExtractor(const TfidfOptions& options) {
  Result<TermExtractor> r = TermExtractor::Create(options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

TfidfOptions NoStemming() {
  TfidfOptions o;
  o.stemming = Stemming::kNone;
  return o;
}

// What Extract returned, as stem -> count, plus the checks every output must pass: strictly
// ascending hashes (sorted and merged), a spelling for every term, positive counts.
struct Extracted {
  std::string language;
  std::map<std::string, float> counts;
  std::vector<TermCount> raw;
};

Extracted Extract(const TermExtractor& extractor, const TokenList& title, const TokenList& body,
                  std::string_view lang) {
  TermScratch scratch;
  Extracted e;
  std::unordered_map<uint64_t, std::string> spellings;
  e.language = std::string(extractor.Extract(title, body, lang, &scratch, &e.raw, &spellings));
  for (size_t i = 0; i < e.raw.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(e.raw[i - 1].term, e.raw[i].term) << "terms not sorted by hash or not merged";
    }
    EXPECT_GT(e.raw[i].count, 0.0f);
    auto it = spellings.find(e.raw[i].term);
    if (it == spellings.end()) {
      ADD_FAILURE() << "no spelling for term hash " << e.raw[i].term;
      continue;
    }
    EXPECT_TRUE(e.counts.emplace(it->second, e.raw[i].count).second)
        << "two hashes for the spelling " << it->second;
  }
  return e;
}

// ------------------------------------------------------------------------------------------------
// TermExtractor

TEST(TfidfTermExtractorTest, TitleTokensCountTitleWeight) {
  TfidfOptions o = NoStemming();
  o.title_weight = 3.0;
  const TermExtractor x = MustExtractor(o);
  const Extracted e =
      Extract(x, Tokens({"alpha", "beta"}), Tokens({"beta", "gamma", "gamma", "delta"}), "");
  const std::map<std::string, float> want = {
      {"alpha", 3.0f}, {"beta", 4.0f}, {"gamma", 2.0f}, {"delta", 1.0f}};
  EXPECT_EQ(e.counts, want);
  EXPECT_EQ(e.language, "");
}

TEST(TfidfTermExtractorTest, FractionalAndZeroTitleWeight) {
  TfidfOptions o = NoStemming();
  o.title_weight = 0.5;
  Extracted e = Extract(MustExtractor(o), Tokens({"alpha", "beta"}), Tokens({"beta"}), "");
  EXPECT_EQ(e.counts, (std::map<std::string, float>{{"alpha", 0.5f}, {"beta", 1.5f}}));
  // Weight 0: the title adds nothing, and a title-only term is no term at all (counts are > 0).
  o.title_weight = 0.0;
  e = Extract(MustExtractor(o), Tokens({"alpha", "beta"}), Tokens({"beta"}), "");
  EXPECT_EQ(e.counts, (std::map<std::string, float>{{"beta", 1.0f}}));
}

TEST(TfidfTermExtractorTest, HeadlineRepeatedAtTheStartOfTheBodyCountsOnce) {
  TfidfOptions o = NoStemming();
  o.title_weight = 2.0;
  // The body opens with the headline (as many feeds write it): those tokens count as title only.
  Extracted e = Extract(MustExtractor(o), Tokens({"summit", "ends"}),
                        Tokens({"summit", "ends", "summit", "talks"}), "");
  EXPECT_EQ(e.counts, (std::map<std::string, float>{
                          {"ends", 2.0f}, {"summit", 3.0f}, {"talks", 1.0f}}));
  // Only an exact prefix: the same words in another order all count.
  e = Extract(MustExtractor(o), Tokens({"summit", "ends"}), Tokens({"ends", "summit", "talks"}), "");
  EXPECT_EQ(e.counts, (std::map<std::string, float>{
                          {"ends", 3.0f}, {"summit", 3.0f}, {"talks", 1.0f}}));
  // A body that is the headline cut short is not a repeat.
  e = Extract(MustExtractor(o), Tokens({"summit", "ends"}), Tokens({"summit"}), "");
  EXPECT_EQ(e.counts, (std::map<std::string, float>{{"ends", 2.0f}, {"summit", 3.0f}}));
}

TEST(TfidfTermExtractorTest, CapitalizedTokensCountCapitalWeight) {
  TfidfOptions o = NoStemming();
  o.title_weight = 3.0;
  o.capital_weight = 2.5;
  TokenList title, body;
  title.Add("geneva", true);
  title.Add("pact");
  body.Add("rhone", true);  // first, so the body does not repeat the headline
  body.Add("geneva", true);
  body.Add("pact");
  const Extracted e = Extract(MustExtractor(o), title, body, "");
  // geneva: 3 * 2.5 in the title + 2.5 in the body; pact: 3 + 1; rhone: 2.5.
  EXPECT_EQ(e.counts, (std::map<std::string, float>{
                          {"geneva", 10.0f}, {"pact", 4.0f}, {"rhone", 2.5f}}));
  // capital_weight 1: the bit changes nothing.
  o.capital_weight = 1.0;
  const Extracted plain = Extract(MustExtractor(o), title, body, "");
  EXPECT_EQ(plain.counts, (std::map<std::string, float>{
                              {"geneva", 4.0f}, {"pact", 4.0f}, {"rhone", 1.0f}}));
}

TEST(TfidfTermExtractorTest, MinTermBytesDropsShortTokens) {
  TfidfOptions o = NoStemming();
  o.min_term_bytes = 3;
  const TokenList body = Tokens({"l", "a", "ab", "abc", "abcd", "é", "éé"});  // é is 2 bytes
  Extracted e = Extract(MustExtractor(o), TokenList(), body, "");
  EXPECT_EQ(e.counts, (std::map<std::string, float>{{"abc", 1}, {"abcd", 1}, {"éé", 1}}));
  o.min_term_bytes = 1;
  e = Extract(MustExtractor(o), TokenList(), body, "");
  EXPECT_EQ(e.counts.size(), 7u);
  // The default drops one-byte elision leftovers ("l", "d") and keeps two-byte words.
  e = Extract(MustExtractor(NoStemming()), TokenList(), Tokens({"l", "d", "un", "été"}), "");
  EXPECT_EQ(e.counts, (std::map<std::string, float>{{"un", 1}, {"été", 1}}));
  // Short tokens holding a digit are kept ("2 juillet"): numbers name the event.
  o.min_term_bytes = 3;
  e = Extract(MustExtractor(o), TokenList(), Tokens({"2", "12", "x", "juillet"}), "");
  EXPECT_EQ(e.counts, (std::map<std::string, float>{{"2", 1}, {"12", 1}, {"juillet", 1}}));
}

TEST(TfidfTermExtractorTest, NumbersSplitAtSeparators) {
  // The tokenizer keeps "29.000" and "4,9" whole (UAX #29 WB11/12); their terms are the digit
  // groups, as for "29 000", so the separator convention does not matter.
  const TermExtractor x = MustExtractor(NoStemming());
  const Extracted dots = Extract(x, TokenList(), Tokenize("29.000 morts, 4,9 %"), "");
  const Extracted spaces = Extract(x, TokenList(), Tokenize("29 000 morts, 4.9 %"), "");
  EXPECT_EQ(dots.counts, (std::map<std::string, float>{
                             {"29", 1}, {"000", 1}, {"morts", 1}, {"4", 1}, {"9", 1}}));
  EXPECT_EQ(spaces.counts, dots.counts);
  // Only separators between two digits split; a digit-free token is left whole.
  const Extracted mixed = Extract(x, TokenList(), Tokens({"1,2;3'4", "v2.b", "a.b"}), "");
  EXPECT_EQ(mixed.counts, (std::map<std::string, float>{
                              {"1", 1}, {"2", 1}, {"3", 1}, {"4", 1}, {"v2.b", 1}, {"a.b", 1}}));
}

TEST(TfidfTermExtractorTest, StemsByLang) {
  const TermExtractor x = MustExtractor(TfidfOptions{});
  const TokenList body = Tokens({"running", "connections", "connected"});
  for (std::string_view lang : {"en", "en-GB", "EN_us", "english"}) {
    const Extracted e = Extract(x, TokenList(), body, lang);
    EXPECT_EQ(e.counts, (std::map<std::string, float>{{"run", 1}, {"connect", 2}})) << lang;
    EXPECT_EQ(NormalizeLanguageTag(e.language), NormalizeLanguageTag(lang)) << lang;
  }
  // `lang` wins over detection: French stop words, but lang says English.
  const TokenList french = Tokenize("Le ministre a annoncé que l'intégration des régions est prête "
                                    "et que le plan sera présenté dans les jours qui viennent.");
  const Extracted e = Extract(x, TokenList(), french, "en");
  EXPECT_EQ(e.language, "en");
  EXPECT_EQ(e.counts.count("integr"), 0u);
}

TEST(TfidfTermExtractorTest, StemsByDetectedLanguage) {
  const TermExtractor x = MustExtractor(TfidfOptions{});
  const TokenList title = Tokenize("L'intégration des régions");
  const TokenList body = Tokenize("Le ministre a annoncé que l'intégration des régions est prête "
                                  "et que le plan sera présenté dans les jours qui viennent.");
  Extracted e = Extract(x, title, body, "");
  EXPECT_EQ(e.language, "fr");
  EXPECT_EQ(e.counts.count("intégration"), 0u);
  ASSERT_EQ(e.counts.count("integr"), 1u) << "French text without lang should get French stems";
  EXPECT_EQ(e.counts.at("integr"), TfidfOptions{}.title_weight + 1);
  // The same text with its lang gives the same terms.
  const Extracted with_lang = Extract(x, title, body, "fr");
  EXPECT_EQ(with_lang.counts, e.counts);
  EXPECT_EQ(with_lang.language, "fr");

  // English detected from the body.
  e = Extract(x, TokenList(), Tokenize("The council said that the connections to the station were "
                                       "running late and it was not the first time."),
              "");
  EXPECT_EQ(e.language, "en");
  EXPECT_EQ(e.counts.count("connect"), 1u);
  EXPECT_EQ(e.counts.count("run"), 1u);
}

TEST(TfidfTermExtractorTest, NoLanguageMeansNoStemming) {
  // Too few stop words to detect a language: tokens are terms as they are.
  const Extracted e =
      Extract(MustExtractor(TfidfOptions{}), TokenList(), Tokens({"running", "connections"}), "");
  EXPECT_EQ(e.language, "");
  EXPECT_EQ(e.counts, (std::map<std::string, float>{{"running", 1}, {"connections", 1}}));
}

TEST(TfidfTermExtractorTest, UnknownLangIsNotReportedAsUsed) {
  const Extracted e = Extract(MustExtractor(TfidfOptions{}), TokenList(),
                              Tokens({"running", "connections"}), "xx");
  EXPECT_NE(e.language, "xx") << "no Snowball stemmer exists for xx, so it was not used";
  if (e.language.empty()) {
    EXPECT_EQ(e.counts, (std::map<std::string, float>{{"running", 1}, {"connections", 1}}));
  }
}

TEST(TfidfTermExtractorTest, StemmingNoneKeepsTokens) {
  const TermExtractor x = MustExtractor(NoStemming());
  const Extracted e = Extract(x, TokenList(), Tokens({"running", "connections", "connected"}), "en");
  EXPECT_EQ(e.language, "");
  EXPECT_EQ(e.counts, (std::map<std::string, float>{
                          {"running", 1}, {"connections", 1}, {"connected", 1}}));
}

TEST(TfidfTermExtractorTest, SortedByHashWithMergedCounts) {
  const TermExtractor x = MustExtractor(NoStemming());
  // 200 tokens over 20 words, in a fixed shuffled order.
  std::mt19937_64 rng(20260301);
  std::vector<std::string> words;
  std::map<std::string, float> want;
  for (int i = 0; i < 200; ++i) {
    std::string w = "word" + std::to_string(rng() % 20);
    want[w] += 1;
    words.push_back(std::move(w));
  }
  TokenList body;
  for (const std::string& w : words) body.Add(w);
  const Extracted e = Extract(x, TokenList(), body, "");  // checks order and merging
  EXPECT_EQ(e.counts, want);
  EXPECT_EQ(e.raw.size(), want.size());
  // Same tokens in another order: the same output, element for element.
  std::shuffle(words.begin(), words.end(), rng);
  TokenList shuffled;
  for (const std::string& w : words) shuffled.Add(w);
  const Extracted again = Extract(x, TokenList(), shuffled, "");
  ASSERT_EQ(again.raw.size(), e.raw.size());
  for (size_t i = 0; i < e.raw.size(); ++i) {
    EXPECT_EQ(again.raw[i].term, e.raw[i].term);
    EXPECT_EQ(again.raw[i].count, e.raw[i].count);
  }
}

TEST(TfidfTermExtractorTest, ReplacesOutputAndScratchIsReusable) {
  const TermExtractor x = MustExtractor(TfidfOptions{});
  TermScratch scratch;
  std::vector<TermCount> out = {{1, 5.0f}, {2, 7.0f}};  // stale content must go
  const TokenList fr = Tokenize("Le ministre a annoncé que l'intégration des régions est prête.");
  const TokenList en = Tokenize("The minister said that the connections were running late.");
  std::vector<TermCount> first_fr, first_en;
  EXPECT_EQ(x.Extract(TokenList(), fr, "", &scratch, &out, nullptr), "fr");
  first_fr = out;
  EXPECT_EQ(x.Extract(TokenList(), en, "", &scratch, &out, nullptr), "en");
  first_en = out;
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(x.Extract(TokenList(), fr, "", &scratch, &out, nullptr), "fr");
    ASSERT_EQ(out.size(), first_fr.size());
    for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].term, first_fr[i].term);
    EXPECT_EQ(x.Extract(TokenList(), en, "", &scratch, &out, nullptr), "en");
    ASSERT_EQ(out.size(), first_en.size());
    for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].term, first_en[i].term);
  }
  // Empty title and body: no terms.
  EXPECT_EQ(x.Extract(TokenList(), TokenList(), "", &scratch, &out, nullptr), "");
  EXPECT_TRUE(out.empty());
}

TEST(TfidfTermExtractorTest, SpellingsFilledAndNotOverwritten) {
  const TermExtractor x = MustExtractor(TfidfOptions{});
  TermScratch scratch;
  std::vector<TermCount> out;
  std::unordered_map<uint64_t, std::string> spellings;
  x.Extract(Tokens({"connections"}), Tokens({"running", "connected"}), "en", &scratch, &out,
            &spellings);
  ASSERT_EQ(out.size(), 2u);
  ASSERT_EQ(spellings.size(), 2u);
  for (const TermCount& t : out) ASSERT_EQ(spellings.count(t.term), 1u);
  std::vector<std::string> stems;
  for (const auto& [hash, stem] : spellings) stems.push_back(stem);
  std::sort(stems.begin(), stems.end());
  EXPECT_EQ(stems, (std::vector<std::string>{"connect", "run"}));
  // A term already in the map keeps its entry; new terms are added.
  const uint64_t run_hash =
      std::find_if(spellings.begin(), spellings.end(), [](const auto& p) {
        return p.second == "run";
      })->first;
  spellings[run_hash] = "kept";
  x.Extract(TokenList(), Tokens({"running", "bridges"}), "en", &scratch, &out, &spellings);
  EXPECT_EQ(spellings.at(run_hash), "kept");
  EXPECT_EQ(spellings.size(), 3u);
}

// ------------------------------------------------------------------------------------------------
// TfidfBuilder / TfidfModel

// A document of hand-made term hashes, each once.
std::vector<TermCount> Doc(std::initializer_list<uint64_t> terms) {
  std::vector<TermCount> d;
  for (uint64_t t : terms) d.push_back({t, 1.0f});
  std::sort(d.begin(), d.end(), [](const TermCount& a, const TermCount& b) { return a.term < b.term; });
  return d;
}

TfidfModel Fit(const TfidfOptions& options, const std::vector<std::vector<TermCount>>& docs) {
  TfidfBuilder builder(options);
  for (const auto& d : docs) builder.Add(d);
  return builder.Finish();
}

// term hash -> idf of a model.
std::map<uint64_t, float> Idfs(const TfidfModel& m) {
  std::map<uint64_t, float> out;
  for (uint32_t id = 0; id < m.num_terms(); ++id) {
    EXPECT_TRUE(out.emplace(m.term_hash(id), m.idf(id)).second);
    if (id > 0) {
      EXPECT_LT(m.term_hash(id - 1), m.term_hash(id)) << "ids must ascend with hashes";
    }
  }
  return out;
}

double Norm(const SparseVector& v) {
  double s = 0;
  for (float w : v.weights) s += static_cast<double>(w) * w;
  return std::sqrt(s);
}

// Options under which max_df applies to any corpus size (its share rule is what is tested).
TfidfOptions MaxDf(double max_df) {
  TfidfOptions o;
  o.max_df = max_df;
  o.max_df_min_documents = 1;
  return o;
}

TEST(TfidfModelTest, IdfIsSmoothedLogExactly) {
  const TfidfOptions o = MaxDf(1.0);  // keep every term
  // n = 5; df: 10 -> 4, 20 -> 2, 30 -> 1, 40 -> 1, 50 -> 3.
  const TfidfModel m = Fit(o, {Doc({10, 20, 50}), Doc({10, 30}), Doc({10, 20, 50}), Doc({10, 50}),
                               Doc({40})});
  EXPECT_EQ(m.num_documents(), 5u);
  const std::map<uint64_t, double> df = {{10, 4}, {20, 2}, {30, 1}, {40, 1}, {50, 3}};
  const std::map<uint64_t, float> idf = Idfs(m);
  ASSERT_EQ(idf.size(), df.size());
  for (const auto& [term, d] : df) {
    const double want = 1.0 + std::log((1.0 + 5.0) / (1.0 + d));
    ASSERT_EQ(idf.count(term), 1u) << term;
    EXPECT_NEAR(idf.at(term), want, 1e-6) << "term " << term << " df " << d;
  }
  // The hand values, written out: idf(df=4) = 1 + ln(6/5) = 1.18232, idf(df=1) = 1 + ln 3.
  EXPECT_NEAR(idf.at(10), 1.1823215567939546, 1e-6);
  EXPECT_NEAR(idf.at(30), 2.09861228866811, 1e-6);
  // Rarer terms weigh more.
  EXPECT_GT(idf.at(30), idf.at(20));
  EXPECT_GT(idf.at(20), idf.at(50));
  EXPECT_GT(idf.at(50), idf.at(10));
}

TEST(TfidfModelTest, MaxDfDropsTermInEveryDocument) {
  const std::vector<std::vector<TermCount>> docs = {Doc({1, 2}), Doc({1, 3}), Doc({1, 4}),
                                                    Doc({1, 2, 5})};
  TfidfOptions o = MaxDf(0.5);  // df 4 of 4 > 0.5 * 4: term 1 dropped; df(2) = 2 is not above 2
  std::map<uint64_t, float> idf = Idfs(Fit(o, docs));
  EXPECT_EQ(idf.count(1), 0u);
  EXPECT_EQ(idf.count(2), 1u);
  EXPECT_EQ(idf.size(), 4u);
  o.max_df = 0.3;  // 0.3 * 4 = 1.2: term 2 (df 2) dropped too
  idf = Idfs(Fit(o, docs));
  EXPECT_EQ(idf.count(1), 0u);
  EXPECT_EQ(idf.count(2), 0u);
  EXPECT_EQ(idf.size(), 3u);
  o.max_df = 1.0;  // nothing is too common
  idf = Idfs(Fit(o, docs));
  EXPECT_EQ(idf.size(), 5u);
  EXPECT_NEAR(idf.at(1), 1.0, 1e-6);  // present everywhere: 1 + ln(5/5)
}

TEST(TfidfModelTest, MaxDfOnlyFromMaxDfMinDocuments) {
  // Term 1 is in all of 4 documents: dropped when the corpus has at least max_df_min_documents,
  // kept in a smaller one, where a share means little.
  const std::vector<std::vector<TermCount>> docs = {Doc({1, 2}), Doc({1, 3}), Doc({1, 4}),
                                                    Doc({1, 2, 5})};
  TfidfOptions o = MaxDf(0.5);
  o.max_df_min_documents = 4;
  EXPECT_EQ(Idfs(Fit(o, docs)).count(1), 0u);
  o.max_df_min_documents = 5;
  EXPECT_EQ(Idfs(Fit(o, docs)).count(1), 1u);
  // The default drops a term in every document of a corpus as big as max_df_min_documents.
  const TfidfOptions d;
  std::vector<std::vector<TermCount>> big;
  for (int i = 0; i < std::max(d.max_df_min_documents, 2); ++i) {
    big.push_back(Doc({1, 100 + static_cast<uint64_t>(i)}));
  }
  const std::map<uint64_t, float> idf = Idfs(Fit(d, big));
  EXPECT_EQ(idf.count(1), 0u);
  EXPECT_EQ(idf.count(100), 1u);
}

TEST(TfidfModelTest, MinDfDropsRareTerms) {
  TfidfOptions o = MaxDf(1.0);
  o.min_df = 2;
  const TfidfModel m = Fit(o, {Doc({1, 2, 3}), Doc({1, 2}), Doc({1, 4})});
  std::map<uint64_t, float> idf = Idfs(m);
  EXPECT_EQ(idf.size(), 2u);
  EXPECT_EQ(idf.count(1), 1u);
  EXPECT_EQ(idf.count(2), 1u);
  // Document frequency counts documents, not occurrences: a count of 5 in one document is df 1.
  TfidfBuilder builder(o);
  const std::vector<TermCount> heavy = {{7, 5.0f}};
  builder.Add(heavy);
  builder.Add(Doc({8}));
  EXPECT_EQ(builder.Finish().num_terms(), 0u);
}

TEST(TfidfModelTest, FrequenciesAddedFromShardsFitAsOneBuilder) {
  // Two shards' counts summed (a distributed run's owners) fit the one builder's model: the
  // documents count for max_df and idf, the summed df for min_df (term 3 is in one document of
  // each shard: kept at min_df 2 only when summed; term 1 is in 4 of 5: dropped at max_df 0.7).
  TfidfOptions o = MaxDf(0.7);
  o.min_df = 2;
  const std::vector<std::vector<TermCount>> docs = {Doc({1, 2, 3}), Doc({1, 2}), Doc({1, 4}),
                                                    Doc({1, 3, 4}), Doc({5})};
  const TfidfModel whole = Fit(o, docs);
  TfidfBuilder summed(o);
  summed.AddFrequencies(3, std::vector<std::pair<uint64_t, uint32_t>>{{1, 3}, {2, 2}, {3, 1},
                                                                      {4, 1}});
  summed.AddFrequencies(2, std::vector<std::pair<uint64_t, uint32_t>>{{1, 1}, {3, 1}, {4, 1},
                                                                      {5, 1}});
  const TfidfModel model = summed.Finish();
  EXPECT_EQ(model.num_documents(), whole.num_documents());
  const std::map<uint64_t, float> idf = Idfs(model);
  EXPECT_EQ(idf, Idfs(whole));
  EXPECT_EQ(idf.count(1), 0u);
  EXPECT_EQ(idf.count(3), 1u);
  EXPECT_EQ(idf.count(5), 0u);
  // Mixed with documents added one by one.
  TfidfBuilder mixed(o);
  for (size_t d = 0; d < 3; ++d) mixed.Add(docs[d]);
  mixed.AddFrequencies(2, std::vector<std::pair<uint64_t, uint32_t>>{{1, 1}, {3, 1}, {4, 1},
                                                                     {5, 1}});
  EXPECT_EQ(Idfs(mixed.Finish()), Idfs(whole));
  // A shard's builder's own counts (what a rank sends), added to another builder.
  TfidfBuilder shard(o), rest(o);
  for (size_t d = 3; d < docs.size(); ++d) shard.Add(docs[d]);
  EXPECT_EQ(shard.documents(), 2u);
  EXPECT_EQ(shard.frequencies().size(), 4u);  // terms 1, 3, 4, 5
  for (size_t d = 0; d < 3; ++d) rest.Add(docs[d]);
  const std::vector<std::pair<uint64_t, uint32_t>> counts(shard.frequencies().begin(),
                                                          shard.frequencies().end());
  rest.AddFrequencies(shard.documents(), counts);
  EXPECT_EQ(Idfs(rest.Finish()), Idfs(whole));
}

TEST(TfidfModelTest, TransformIsUnitLengthWithSublinearTf) {
  TfidfOptions o = MaxDf(1.0);
  const TfidfModel m = Fit(o, {Doc({1, 2, 3}), Doc({1}), Doc({2}), Doc({3, 4})});
  const std::map<uint64_t, float> idf = Idfs(m);
  // Counts 1, 4 and 2.5 (a weighted title makes fractional counts).
  const std::vector<TermCount> doc = {{1, 1.0f}, {2, 4.0f}, {3, 2.5f}};
  const SparseVector v = m.Transform(doc);
  ASSERT_EQ(v.ids.size(), 3u);
  ASSERT_EQ(v.weights.size(), 3u);
  EXPECT_TRUE(std::is_sorted(v.ids.begin(), v.ids.end()));
  EXPECT_NEAR(Norm(v), 1.0, 1e-6);
  std::map<uint64_t, double> got;
  for (size_t i = 0; i < v.ids.size(); ++i) got[m.term_hash(v.ids[i])] = v.weights[i];
  const double raw1 = 1.0 * idf.at(1);
  const double raw2 = (1.0 + std::log(4.0)) * idf.at(2);
  const double raw3 = (1.0 + std::log(2.5)) * idf.at(3);
  const double norm = std::sqrt(raw1 * raw1 + raw2 * raw2 + raw3 * raw3);
  EXPECT_NEAR(got.at(1), raw1 / norm, 1e-6);
  EXPECT_NEAR(got.at(2), raw2 / norm, 1e-6);
  EXPECT_NEAR(got.at(3), raw3 / norm, 1e-6);

  // sublinear_tf = false: raw counts.
  o.sublinear_tf = false;
  const TfidfModel linear = Fit(o, {Doc({1, 2, 3}), Doc({1}), Doc({2}), Doc({3, 4})});
  const SparseVector lv = linear.Transform(doc);
  ASSERT_EQ(lv.ids.size(), 3u);
  EXPECT_NEAR(Norm(lv), 1.0, 1e-6);
  const double l1 = 1.0 * idf.at(1), l2 = 4.0 * idf.at(2), l3 = 2.5 * idf.at(3);
  const double lnorm = std::sqrt(l1 * l1 + l2 * l2 + l3 * l3);
  for (size_t i = 0; i < lv.ids.size(); ++i) {
    const uint64_t h = linear.term_hash(lv.ids[i]);
    const double want = (h == 1 ? l1 : h == 2 ? l2 : l3) / lnorm;
    EXPECT_NEAR(lv.weights[i], want, 1e-6) << "term " << h;
  }
}

TEST(TfidfModelTest, UnknownTermsIgnored) {
  const TfidfOptions o = MaxDf(0.5);
  // Term 1 is in every document (dropped by max_df), term 99 was never seen.
  const TfidfModel m = Fit(o, {Doc({1, 2}), Doc({1, 3}), Doc({1, 4})});
  const SparseVector known = m.Transform(Doc({2, 3}));
  const SparseVector mixed = m.Transform(Doc({1, 2, 3, 99}));
  EXPECT_EQ(mixed.ids, known.ids);
  EXPECT_EQ(mixed.weights, known.weights);
  EXPECT_EQ(known.ids.size(), 2u);
  // Nothing known: an empty vector, not NaNs.
  const SparseVector none = m.Transform(Doc({1, 99}));
  EXPECT_TRUE(none.ids.empty());
  EXPECT_TRUE(none.weights.empty());
  EXPECT_TRUE(m.Transform(std::vector<TermCount>()).ids.empty());
}

TEST(TfidfModelTest, SingleDocumentKeepsItsTerms) {
  // n = 1: every term is in "all" documents, but the default max_df does not empty a lone document.
  const TfidfModel m = Fit(TfidfOptions{}, {Doc({5, 6})});
  EXPECT_EQ(m.num_terms(), 2u);
  EXPECT_NEAR(Norm(m.Transform(Doc({5, 6}))), 1.0, 1e-6);
}

TEST(TfidfModelTest, EmptyModel) {
  TfidfBuilder builder(TfidfOptions{});
  const TfidfModel m = builder.Finish();
  EXPECT_EQ(m.num_terms(), 0u);
  EXPECT_EQ(m.num_documents(), 0u);
  EXPECT_TRUE(m.Transform(Doc({1, 2})).ids.empty());
}

// ------------------------------------------------------------------------------------------------
// Save / Load

std::string ModelPath(const std::string& name) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return testing_util::TestTempDir() + "samestory_tfidf_" + info->name() + "_" + name;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// A model with random terms and document frequencies, and non-default options.
TfidfModel RandomModel(std::mt19937_64& rng, TfidfOptions options) {
  TfidfBuilder builder(options);
  for (int d = 0; d < 300; ++d) {
    std::vector<uint64_t> ids;
    for (int t = 0; t < 20; ++t) ids.push_back(rng() % 500);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::vector<TermCount> terms;
    for (uint64_t id : ids) terms.push_back({id * 0x9E3779B97F4A7C15ULL, 1.0f + (rng() % 3)});
    std::sort(terms.begin(), terms.end(),
              [](const TermCount& a, const TermCount& b) { return a.term < b.term; });
    builder.Add(terms);
  }
  return builder.Finish();
}

// A saved model loads back with the same documents, options, terms, idf, note and vectors.
TEST(TfidfModelFileTest, SaveLoadRoundTrip) {
  std::mt19937_64 rng(11);
  TfidfOptions options;
  options.sublinear_tf = false;
  options.title_weight = 3.5;
  options.max_df = 0.3;
  options.max_df_min_documents = 10;
  const TfidfModel m = RandomModel(rng, options);
  ASSERT_GT(m.num_terms(), 100u);
  const std::string path = ModelPath("model");
  ASSERT_TRUE(m.Save(path, "note\nwith lines\n").ok());
  std::string note;
  Result<TfidfModel> back = TfidfModel::Load(path, &note);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(note, "note\nwith lines\n");
  EXPECT_EQ(back->num_documents(), m.num_documents());
  EXPECT_EQ(Idfs(back.value()), Idfs(m));
  EXPECT_EQ(back->options().sublinear_tf, false);
  EXPECT_EQ(back->options().title_weight, 3.5);
  EXPECT_EQ(back->options().max_df, 0.3);
  EXPECT_EQ(back->options().max_df_min_documents, 10);
  for (int d = 0; d < 50; ++d) {
    std::vector<TermCount> doc;
    for (uint64_t id = rng() % 7; id < 600; id += 1 + rng() % 40) {
      doc.push_back({id * 0x9E3779B97F4A7C15ULL, 1.0f + (rng() % 4)});
    }
    std::sort(doc.begin(), doc.end(),
              [](const TermCount& a, const TermCount& b) { return a.term < b.term; });
    const SparseVector x = m.Transform(doc), y = back->Transform(doc);
    EXPECT_EQ(x.ids, y.ids);
    EXPECT_EQ(x.weights, y.weights);
  }
  // Saving again over it replaces it (no stale .tmp left behind).
  ASSERT_TRUE(TfidfBuilder(TfidfOptions{}).Finish().Save(path, "").ok());
  Result<TfidfModel> empty = TfidfModel::Load(path, nullptr);
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(empty->num_terms(), 0u);
  EXPECT_FALSE(std::ifstream(path + ".tmp").good());
}

// Every damaged or foreign file is refused with a message saying what is wrong.
TEST(TfidfModelFileTest, LoadRefusesDamagedFiles) {
  std::mt19937_64 rng(12);
  const std::string path = ModelPath("model");
  ASSERT_TRUE(RandomModel(rng, TfidfOptions{}).Save(path, "n").ok());
  const std::string good = ReadBytes(path);
  ASSERT_GT(good.size(), 100u);
  auto refused = [&](const std::string& bytes, Status::Code code, const std::string& words) {
    const std::string bad = ModelPath("bad");
    WriteBytes(bad, bytes);
    Result<TfidfModel> r = TfidfModel::Load(bad, nullptr);
    EXPECT_FALSE(r.ok());
    if (r.ok()) return;
    EXPECT_EQ(r.status().code(), code) << r.status().ToString();
    EXPECT_NE(r.status().message().find(words), std::string::npos) << r.status().ToString();
  };
  Result<TfidfModel> missing = TfidfModel::Load(ModelPath("missing"), nullptr);
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  refused("", Status::Code::kInvalidArgument, "not a samestory TF-IDF model");
  refused("{\"id\": \"a\"}\n", Status::Code::kInvalidArgument, "not a samestory TF-IDF model");
  std::string flipped = good;
  flipped[flipped.size() / 2] ^= 0x20;
  refused(flipped, Status::Code::kCorruption, "checksum");
  refused(good.substr(0, good.size() - 1), Status::Code::kCorruption, "size");
  refused(good + "x", Status::Code::kCorruption, "size");
  std::string version = good;
  version[8] = 7;  // the format version follows the 8-byte magic
  refused(version, Status::Code::kInvalidArgument, "format version 7");
  // Regression (fuzz_tfidf_model, tests/fuzz/corpus/tfidf_model/regression-transform-*-idf-*): an idf
  // no fitted model has (under 1, or over 1 + ln(1 + n)), behind a valid checksum, loaded and made
  // Transform return inf weights. The first term's idf is at byte 24 (header) + 73 (note "n",
  // options, documents, term count, the term's hash); the checksum is re-made after the edit.
  for (float idf : {1e-40f, 0.5f, 1.7e38f, std::numeric_limits<float>::infinity()}) {
    std::string crafted = good;
    std::memcpy(crafted.data() + 24 + 73, &idf, 4);
    const uint32_t crc = static_cast<uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(crafted.data() + 24), crafted.size() - 24));
    std::memcpy(crafted.data() + 12, &crc, 4);
    refused(crafted, Status::Code::kCorruption, "bad idf");
  }
}

// A model cannot be saved where no file can be created.
TEST(TfidfModelFileTest, SaveReportsIoErrors) {
  const Status s = TfidfBuilder(TfidfOptions{}).Finish().Save(
      ::testing::TempDir() + "samestory_no_such_dir/x/model", "");
  EXPECT_EQ(s.code(), Status::Code::kIOError) << s.ToString();
}

// ------------------------------------------------------------------------------------------------
// SparseDot

SparseVector Unit(std::vector<uint32_t> ids, std::vector<float> weights) {
  double s = 0;
  for (float w : weights) s += static_cast<double>(w) * w;
  for (float& w : weights) w = static_cast<float>(w / std::sqrt(s));
  return SparseVector{std::move(ids), std::move(weights)};
}

TEST(TfidfSparseDotTest, SelfDisjointSymmetric) {
  const SparseVector a = Unit({1, 4, 9, 12}, {0.5f, 2.0f, 1.0f, 0.25f});
  const SparseVector b = Unit({2, 3, 5, 100}, {1.0f, 1.0f, 3.0f, 1.0f});
  const SparseVector c = Unit({0, 4, 5, 12, 200}, {1.0f, 1.0f, 1.0f, 2.0f, 0.5f});
  EXPECT_NEAR(SparseDot(a, a), 1.0, 1e-6);
  EXPECT_NEAR(SparseDot(b, b), 1.0, 1e-6);
  EXPECT_EQ(SparseDot(a, b), 0.0);
  EXPECT_EQ(SparseDot(a, SparseVector{}), 0.0);
  EXPECT_EQ(SparseDot(SparseVector{}, SparseVector{}), 0.0);
  EXPECT_EQ(SparseDot(a, c), SparseDot(c, a));
  // Hand value: a and c share ids 4 and 12.
  double na = std::sqrt(0.25 + 4 + 1 + 0.0625), nc = std::sqrt(1 + 1 + 1 + 4 + 0.25);
  EXPECT_NEAR(SparseDot(a, c), (2.0 * 1.0 + 0.25 * 2.0) / (na * nc), 1e-6);
}

TEST(TfidfSparseDotTest, RandomVectorsMatchDenseDot) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<float> weight(-1.0f, 1.0f);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<double> da(64, 0.0), db(64, 0.0);
    SparseVector a, b;
    for (uint32_t id = 0; id < 64; ++id) {
      if (rng() % 3 == 0) {
        a.ids.push_back(id);
        a.weights.push_back(weight(rng));
        da[id] = a.weights.back();
      }
      if (rng() % 3 == 0) {
        b.ids.push_back(id);
        b.weights.push_back(weight(rng));
        db[id] = b.weights.back();
      }
    }
    double want = 0;
    for (int i = 0; i < 64; ++i) want += da[i] * db[i];
    EXPECT_NEAR(SparseDot(a, b), want, 1e-9) << "trial " << trial;
    EXPECT_EQ(SparseDot(a, b), SparseDot(b, a)) << "trial " << trial;
  }
}

// ------------------------------------------------------------------------------------------------
// Options

TEST(TfidfOptionsTest, DefaultsAreValid) {
  EXPECT_TRUE(TfidfOptions{}.Validate().ok());
  EXPECT_TRUE(TermExtractor::Create(TfidfOptions{}).ok());
  TfidfOptions edge;
  edge.title_weight = 0;
  edge.capital_weight = 0;
  edge.max_df = 1.0;
  edge.min_term_bytes = 1;
  EXPECT_TRUE(edge.Validate().ok()) << edge.Validate().ToString();
  edge.title_weight = 100;
  edge.capital_weight = 100;
  edge.min_term_bytes = 64;
  EXPECT_TRUE(edge.Validate().ok()) << edge.Validate().ToString();
}

TEST(TfidfOptionsTest, InvalidOptionsAreRejected) {
  struct Case {
    const char* name;
    void (*set)(TfidfOptions&);
  };
  const Case cases[] = {
      {"title_weight -1", [](TfidfOptions& o) { o.title_weight = -1; }},
      {"title_weight 101", [](TfidfOptions& o) { o.title_weight = 101; }},
      {"title_weight NaN",
       [](TfidfOptions& o) { o.title_weight = std::numeric_limits<double>::quiet_NaN(); }},
      {"max_df 0", [](TfidfOptions& o) { o.max_df = 0; }},
      {"max_df 1.5", [](TfidfOptions& o) { o.max_df = 1.5; }},
      {"max_df -0.5", [](TfidfOptions& o) { o.max_df = -0.5; }},
      {"max_df NaN", [](TfidfOptions& o) { o.max_df = std::numeric_limits<double>::quiet_NaN(); }},
      {"capital_weight -1", [](TfidfOptions& o) { o.capital_weight = -1; }},
      {"capital_weight 101", [](TfidfOptions& o) { o.capital_weight = 101; }},
      {"capital_weight NaN",
       [](TfidfOptions& o) { o.capital_weight = std::numeric_limits<double>::quiet_NaN(); }},
      {"min_df 0", [](TfidfOptions& o) { o.min_df = 0; }},
      {"min_df -3", [](TfidfOptions& o) { o.min_df = -3; }},
      {"min_term_bytes 0", [](TfidfOptions& o) { o.min_term_bytes = 0; }},
      {"min_term_bytes 65", [](TfidfOptions& o) { o.min_term_bytes = 65; }},
  };
  for (const Case& c : cases) {
    TfidfOptions o;
    c.set(o);
    const Status s = o.Validate();
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << c.name << ": " << s.ToString();
    Result<TermExtractor> x = TermExtractor::Create(o);
    ASSERT_FALSE(x.ok()) << c.name;
    EXPECT_EQ(x.status().code(), Status::Code::kInvalidArgument) << c.name;
  }
}

}  // namespace
}  // namespace samestory
