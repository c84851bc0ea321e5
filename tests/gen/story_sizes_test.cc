// Tests of the generator's realistic story sizes and title-only output (samestory/generate.h:
// StorySizes::kHeavyTailed, sub_event_rate, titles_only):
// 1. The law: ReportCountLaw's integer weights are 2^60 k^-a (exact IEEE at a = 2), its mean
//    and its draws follow P(K = k) ~ k^-a within stated tolerances.
// 2. Shape at 100,000 articles: most events have 1-10 reports, some over 100, none over the cap
//    (which may exceed max_reports' 32); articles come in date order; big stories last longer;
//    events come at an even rate, so a big story has other news around it; the reorder buffer
//    stays small.
// 3. Sub-events: a sub-event shares a big event's thread and key term, is dated within
//    kSubEventDays after it, and is another story; their share follows sub_event_rate.
// 4. Title-only output: every text empty, the labels those of the full corpus, readable by
//    JsonlReader; headlines of one event share some words, not all.
// 5. Determinism by seed, and defaults unchanged: the new fields leave a kUniform corpus as it
//    was (the golden hash in generate_test.cc pins the default corpus itself).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gen/base_corpus.h"
#include "gen/plan.h"
#include "gen/random.h"
#include "samestory/generate.h"
#include "samestory/reader.h"

namespace samestory {
namespace {

const std::vector<Document>& SampleBase() {
  static const std::vector<Document> docs = [] {
    auto r = ReadBaseCorpus(std::string(SAMESTORY_SOURCE_DIR) + "/datasets/sample/articles.jsonl",
                            nullptr);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : std::vector<Document>();
  }();
  return docs;
}

GeneratorOptions Heavy(uint64_t articles) {
  GeneratorOptions o;
  o.articles = articles;
  o.story_sizes = StorySizes::kHeavyTailed;
  return o;
}

// What the tests keep of an article.
struct Row {
  std::string id, title, text, dup, story, source;
  CopyKind kind = CopyKind::kOriginal;
  UnixSeconds time = 0;
};

struct Corpus {
  std::vector<Row> rows;
  std::string bytes;
  GeneratorSummary summary;
  // Per story: distinct reports (originals) and articles.
  std::map<std::string, int> reports, articles;
};

Corpus Generate(const GeneratorOptions& o, bool keep_rows = true) {
  Corpus c;
  auto gen = CorpusGenerator::Create(o, SampleBase());
  EXPECT_TRUE(gen.ok()) << gen.status().ToString();
  if (!gen.ok()) return c;
  Status s = gen->Generate(
      [&](const GeneratedArticle& a) {
        ++c.articles[std::string(a.story)];
        if (a.copy_kind == CopyKind::kOriginal) ++c.reports[std::string(a.story)];
        if (keep_rows) {
          AppendJsonLine(a, &c.bytes);
          c.rows.push_back({std::string(a.id), std::string(a.title), std::string(a.text),
                            std::string(a.dup), std::string(a.story), std::string(a.source),
                            a.copy_kind, a.time});
        }
        return Status::OK();
      },
      &c.summary);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return c;
}

// --- 1. The law
// -----------------------------------------------------------------------------------

TEST(GenStorySizesTest, LawWeightsAreExactAtExponentTwo) {
  const gen::ReportCountLaw law(2.0, 2000);
  for (int k = 1; k <= 2000; ++k) {
    // k^2 is exact in a double, and so is the correctly rounded quotient.
    const double k2 = static_cast<double>(k) * k;
    ASSERT_EQ(law.weight(k), static_cast<uint64_t>(0x1p60 / k2)) << k;
  }
  EXPECT_EQ(law.weight(0), 0u);
  EXPECT_EQ(law.weight(2001), 0u);
  // E[K] = H(2000) / H2(2000) = 8.1783 / 1.6444.
  EXPECT_NEAR(law.Mean(), 4.9734, 0.001);
  // Other exponents, used to the nearest 1/1024 (2.3 as 2355 / 1024): k^-a within 1e-12 of
  // libm's (the table itself never uses libm).
  const gen::ReportCountLaw other(2.3, 500);
  for (int k : {2, 3, 10, 77, 500}) {
    const double expected = std::pow(static_cast<double>(k), -2355 / 1024.0) * 0x1p60;
    EXPECT_NEAR(static_cast<double>(other.weight(k)) / expected, 1.0, 1e-12) << k;
  }
}

TEST(GenStorySizesTest, LawDrawsFollowThePowerLaw) {
  const gen::ReportCountLaw law(2.0, 2000);
  gen::Rng rng(7);
  constexpr int kDraws = 1'000'000;
  int ones = 0, upto10 = 0, over100 = 0, over1000 = 0, most = 0;
  for (int i = 0; i < kDraws; ++i) {
    const int k = law.Draw(rng);
    ASSERT_GE(k, 1);
    ASSERT_LE(k, 2000);
    ones += k == 1;
    upto10 += k <= 10;
    over100 += k > 100;
    over1000 += k > 1000;
    most = std::max(most, k);
  }
  // Exact probabilities from the truncated law; tolerances about 5 standard deviations.
  EXPECT_NEAR(ones / double{kDraws}, 1 / 1.64443, 0.0025);
  EXPECT_NEAR(upto10 / double{kDraws}, 1.54977 / 1.64443, 0.0012);
  EXPECT_NEAR(over100 / double{kDraws}, 0.0094503 / 1.64443, 0.0004);
  EXPECT_NEAR(over1000 / double{kDraws}, 0.00049988 / 1.64443, 0.0001);
  EXPECT_GT(most, 1500);
}

// --- 2. Shape at 100,000 articles
// -----------------------------------------------------------------

TEST(GenStorySizesTest, HeavyTailedShapeAt100kArticles) {
  const Corpus c = Generate(Heavy(100000), /*keep_rows=*/false);
  ASSERT_EQ(c.summary.articles, 100000u);
  int upto10 = 0, over100 = 0, over1000 = 0, most = 0;
  for (const auto& [story, n] : c.reports) {
    upto10 += n <= 10;
    over100 += n > 100;
    over1000 += n > 1000;
    most = std::max(most, n);
  }
  const double events = static_cast<double>(c.reports.size());
  // ~10,000 events with reports; 94% of the law's draws are 1-10, and notices (one report) add.
  EXPECT_GT(events, 8000);
  EXPECT_LT(events, 13000);
  EXPECT_GT(upto10 / events, 0.92);
  EXPECT_LT(upto10 / events, 0.97);
  // The law gives ~58 events over 100 reports and ~3 over 1000 (the last ones trimmed).
  EXPECT_GE(over100, 30);
  EXPECT_LE(over100, 90);
  EXPECT_GE(over1000, 1);
  EXPECT_LE(most, 2000);
  EXPECT_EQ(c.summary.max_reports, static_cast<uint64_t>(most));
  EXPECT_GT(c.summary.big_events, 60u);
  // Stories (articles, copies included) in the 101+ bucket.
  int big_stories = 0;
  for (const auto& [story, n] : c.articles) big_stories += n > 100;
  EXPECT_GT(big_stories, 60);
  // Reports wait only for their story's spread: far fewer plans than the corpus.
  EXPECT_LT(c.summary.max_pending, 12000u);
}

TEST(GenStorySizesTest, CapIsRespectedAndMaxReportsDoesNotApply) {
  GeneratorOptions o = Heavy(60000);
  o.max_story_reports = 300;
  o.min_reports = o.max_reports = 2;  // kUniform's bounds: not used
  const Corpus c = Generate(o, /*keep_rows=*/false);
  int most = 0, single = 0;
  for (const auto& [story, n] : c.reports) {
    most = std::max(most, n);
    single += n == 1;
  }
  EXPECT_LE(most, 300);
  EXPECT_GT(most, 100);
  EXPECT_GT(single, static_cast<int>(c.reports.size() / 2));  // K = 1 is the most common size
}

TEST(GenStorySizesTest, BigStoriesLastLongerAndHaveNewsAroundThem) {
  const Corpus c = Generate(Heavy(100000));
  std::map<std::string, std::pair<UnixSeconds, UnixSeconds>> span;  // story -> first, last
  UnixSeconds last = 0;
  for (const Row& r : c.rows) {
    ASSERT_GE(r.time, last) << r.id << ": not in date order";  // the sink's contract
    last = r.time;
    if (r.kind == CopyKind::kTemplated) continue;
    auto [it, fresh] = span.try_emplace(r.story, r.time, r.time);
    it->second.first = std::min(it->second.first, r.time);
    it->second.second = std::max(it->second.second, r.time);
  }
  std::vector<int64_t> small, big;
  std::string biggest;
  for (const auto& [story, n] : c.reports) {
    const int64_t s = span[story].second - span[story].first;
    if (n >= 2 && n <= 5) small.push_back(s);
    if (n > 100) big.push_back(s);
    if (biggest.empty() || n > c.reports.at(biggest)) biggest = story;
  }
  ASSERT_GT(small.size(), 100u);
  ASSERT_GT(big.size(), 10u);
  std::sort(small.begin(), small.end());
  std::sort(big.begin(), big.end());
  const int64_t small_median = small[small.size() / 2], big_median = big[big.size() / 2];
  // Spreads are report_spread_days x bit_width(K) / 11: 13-20 hours for 2-5 reports, 2.3-3 days
  // over 100; copies add up to 12 hours.
  EXPECT_LT(small_median, 24 * 3600);
  EXPECT_GT(big_median, 48 * 3600);
  EXPECT_LT(big.back(), (3 * 24 + 13) * 3600);
  // Events come at an even rate, so the biggest story is not alone in a gap of its own: other
  // stories start within a day of its start (~40 events a day here).
  const UnixSeconds start = span[biggest].first;
  std::set<std::string> around;
  for (const Row& r : c.rows) {
    if (r.story != biggest && std::llabs(r.time - start) < 86400) around.insert(r.story);
  }
  EXPECT_GT(around.size(), 30u);
}

// --- 3. Sub-events
// --------------------------------------------------------------------------------

TEST(GenStorySizesTest, SubEventsShareABigEventsThreadAndTermButAreOtherStories) {
  auto base = gen::BuildBaseCorpus(SampleBase());
  ASSERT_TRUE(base.ok()) << base.status().ToString();
  for (double rate : {0.1, 0.4}) {
    GeneratorOptions o = Heavy(100000);
    o.sub_event_rate = rate;
    gen::Planner planner(o, *base.value());
    std::multimap<uint64_t, gen::EventPlan> big;  // term_event -> its big events
    std::vector<gen::ArticlePlan> out;
    uint64_t planned = 0, e = 0, story_events = 0, sub_events = 0, own_focus = 0;
    while (planned < o.articles) {
      out.clear();
      const gen::EventPlan ev = planner.Plan(e, planned, &out);
      if (ev.wording == gen::Wording::kStory) ++story_events;
      if (ev.sub_event()) {
        ++sub_events;
        // One of the big events with its term (the first, or a big sub-event of it) is of the
        // last kSubEventDays, and the sub-event is in its thread.
        const gen::EventPlan* parent = nullptr;
        auto [from, to] = big.equal_range(ev.term_event);
        for (auto it = from; it != to; ++it) {
          if (it->second.date <= ev.date &&
              ev.date - it->second.date <= int64_t{kSubEventDays} * 86400) {
            parent = &it->second;
          }
        }
        ASSERT_NE(parent, nullptr) << "event " << e << ": no big event of its term is near";
        EXPECT_EQ(ev.thread, parent->thread) << e;
        own_focus += ev.focus != parent->focus;  // its own base text: another story
        for (const gen::ArticlePlan& p : out) {
          if (p.twin != gen::Twin::kNone) continue;
          EXPECT_EQ(p.term_event, ev.term_event);
          EXPECT_EQ(p.event, e);  // its own story
        }
      }
      if (ev.reports >= kBigEventReports) big.emplace(ev.term_event, ev);
      planned += ev.count();
      e += ev.events();
    }
    EXPECT_EQ(e, planner.events_total());
    EXPECT_GT(own_focus, sub_events * 9 / 10);
    // A big event (~1% of events) is nearly always within the month: the share is about the rate.
    EXPECT_NEAR(static_cast<double>(sub_events) / static_cast<double>(story_events), rate, rate / 5)
        << rate;
  }
}

TEST(GenStorySizesTest, NoSubEventsAtRateZeroOrWithUniformSizes) {
  GeneratorOptions o = Heavy(30000);
  o.sub_event_rate = 0;
  EXPECT_EQ(Generate(o, false).summary.sub_events, 0u);
  GeneratorOptions u;
  u.articles = 30000;
  u.sub_event_rate = 1;
  const Corpus c = Generate(u, false);
  EXPECT_EQ(c.summary.sub_events, 0u);
  EXPECT_LE(c.summary.max_reports, 6u);
}

// --- 4. Title-only output
// -------------------------------------------------------------------------

TEST(GenStorySizesTest, TitlesOnlyHasEmptyTextsAndTheFullCorpusLabels) {
  for (StorySizes sizes : {StorySizes::kUniform, StorySizes::kHeavyTailed}) {
    GeneratorOptions o;
    o.articles = 5000;
    o.story_sizes = sizes;
    const Corpus full = Generate(o);
    o.titles_only = true;
    const Corpus titles = Generate(o);
    ASSERT_EQ(full.rows.size(), titles.rows.size());
    for (size_t i = 0; i < titles.rows.size(); ++i) {
      const Row &t = titles.rows[i], &f = full.rows[i];
      EXPECT_TRUE(t.text.empty()) << t.id;
      EXPECT_FALSE(t.title.empty()) << t.id;
      EXPECT_EQ(t.id, f.id);
      EXPECT_EQ(t.dup, f.dup);
      EXPECT_EQ(t.story, f.story);
      EXPECT_EQ(t.time, f.time);
      // Heavy-tailed corpora have varied headlines with and without texts: the same headlines.
      if (sizes == StorySizes::kHeavyTailed && t.kind != CopyKind::kTemplated) {
        EXPECT_EQ(t.title, f.title) << t.id;
        EXPECT_EQ(t.kind, f.kind) << t.id;
      }
    }
  }
}

class GenTitlesFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("samestory_titles_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(GenTitlesFileTest, TitleOnlyCorpusReadsBackWithoutErrors) {
  GeneratorOptions o = Heavy(3000);
  o.titles_only = true;
  auto gen = CorpusGenerator::Create(o, SampleBase());
  ASSERT_TRUE(gen.ok());
  const std::string path = (dir_ / "t.jsonl").string();
  ASSERT_TRUE(WriteCorpus(gen.value(), path, nullptr).ok());
  auto reader = JsonlReader::Open(path, ReaderOptions{});
  ASSERT_TRUE(reader.ok());
  std::vector<Document> batch;
  size_t n = 0;
  while ((*reader)->ReadBatch(512, &batch).ok() && !batch.empty()) {
    for (const Document& d : batch) {
      EXPECT_TRUE(d.error.empty()) << d.id << ": " << d.error;
      EXPECT_TRUE(d.text.empty()) << d.id;
      EXPECT_FALSE(d.title.empty()) << d.id;
    }
    n += batch.size();
  }
  EXPECT_EQ(n, 3000u);
}

// Headlines of one event, from different outlets, share some words but are seldom identical;
// those of different events seldom share any.
TEST(GenStorySizesTest, HeadlinesOfOneEventShareSomeWordsNotAll) {
  GeneratorOptions o = Heavy(20000);
  o.titles_only = true;
  const Corpus c = Generate(o);
  auto words = [](const std::string& t) {
    std::set<std::string> out;
    std::string w;
    for (char ch : t + " ") {
      if (ch == ' ') {
        while (!w.empty() && std::string_view(".,:;\"()").find(w.back()) != std::string::npos) {
          w.pop_back();
        }
        for (char& x : w) x = static_cast<char>(std::tolower(static_cast<unsigned char>(x)));
        if (w.size() > 3) out.insert(w);  // content words, roughly
        w.clear();
      } else {
        w.push_back(ch);
      }
    }
    return out;
  };
  std::map<std::string, std::vector<std::set<std::string>>> by_story;
  std::map<std::string, std::vector<std::string>> titles;
  for (const Row& r : c.rows) {
    if (r.kind != CopyKind::kOriginal) continue;
    by_story[r.story].push_back(words(r.title));
    titles[r.story].push_back(r.title);
  }
  std::vector<std::string> stories;
  for (const auto& [s, t] : titles) {
    if (t.size() >= 2) stories.push_back(s);
  }
  ASSERT_GT(stories.size(), 300u);
  gen::Rng rng(5);
  int pairs = 0, identical = 0, sharing = 0, other_sharing = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string& s = stories[rng.Below(stories.size())];
    const size_t n = titles[s].size();
    const size_t a = rng.Below(n), b = (a + 1 + rng.Below(n - 1)) % n;
    ++pairs;
    identical += titles[s][a] == titles[s][b];
    const auto& wa = by_story[s][a];
    const auto& wb = by_story[s][b];
    sharing += std::any_of(wa.begin(), wa.end(), [&](const std::string& w) { return wb.count(w); });
    const std::string& t = stories[rng.Below(stories.size())];
    if (t == s) continue;
    const auto& wc = by_story[t][rng.Below(by_story[t].size())];
    other_sharing +=
        std::any_of(wa.begin(), wa.end(), [&](const std::string& w) { return wc.count(w); });
  }
  // Measured (seed 1): 6% identical, 77% sharing a content word; 8% across stories.
  EXPECT_LT(identical, pairs / 8);
  EXPECT_GT(sharing, pairs * 2 / 3);
  EXPECT_LT(other_sharing, pairs / 5);
}

// --- 5. Determinism and defaults
// ------------------------------------------------------------------

TEST(GenStorySizesTest, SameSeedSameBytesOtherSeedOtherBytes) {
  for (bool titles_only : {false, true}) {
    GeneratorOptions o = Heavy(8000);
    o.titles_only = titles_only;
    const std::string a = Generate(o).bytes;
    EXPECT_EQ(a, Generate(o).bytes);
    o.seed = 2;
    EXPECT_NE(a, Generate(o).bytes);
  }
}

TEST(GenStorySizesTest, NewFieldsLeaveAUniformCorpusAsItWas) {
  GeneratorOptions o;
  o.articles = 3000;
  const std::string defaults = Generate(o).bytes;
  // The heavy-tailed parameters act only with kHeavyTailed.
  o.story_size_exponent = 3;
  o.max_story_reports = 7;
  o.sub_event_rate = 0.9;
  EXPECT_EQ(Generate(o).bytes, defaults);
}

TEST(GenStorySizesTest, ValidateRejectsBadStorySizeOptions) {
  auto bad = [](auto change) {
    GeneratorOptions o;
    change(o);
    return o.Validate().code() == Status::Code::kInvalidArgument;
  };
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.story_size_exponent = 0.5; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.story_size_exponent = 4.5; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.story_size_exponent = std::nan(""); }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.max_story_reports = 0; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.max_story_reports = 50001; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.sub_event_rate = -0.1; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.sub_event_rate = 1.5; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.story_sizes = static_cast<StorySizes>(7); }));
  GeneratorOptions ok = Heavy(10);
  ok.max_story_reports = 50000;
  ok.story_size_exponent = 1;
  EXPECT_TRUE(ok.Validate().ok());
  // The last event is trimmed to land on N exactly, whatever its draw.
  for (uint64_t n : {1, 2, 3, 10, 999}) {
    ok.articles = n;
    EXPECT_EQ(Generate(ok, false).summary.articles, n);
  }
}

}  // namespace
}  // namespace samestory
