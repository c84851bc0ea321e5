// Tests of the corpus generator (samestory/generate.h):
// 1. Shape: exactly N lines, each valid JSON with every field, unique ids, dates in order.
// 2. Determinism: the same options give the same bytes, another seed other bytes; a golden hash
//    of a small corpus catches silent changes to generation.
// 3. Gold labels: a copy's dup names an original of the same story that comes earlier; every
//    event but a notice has 2+ distinct reports; a templated article is its own duplicate group
//    and story, and names an earlier report as its template.
// 4. Texts: each copy kind is as far from its original as its edit makes it (word 5-shingle
//    Jaccard of the body, as dedup computes it), distinct reports of one event are far apart, and
//    templated articles differ from their template only where they say.
// 5. Streaming and files: a large N passes through the sink with a small reorder buffer; .gz and
//    plain files; errors (options, base corpus, sink).
#include "samestory/generate.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gen/word_lists.h"
#include "gen/words.h"
#include "samestory/reader.h"
#include "samestory/text.h"

namespace samestory {
namespace {

namespace fs = std::filesystem;

template <typename T>
T Must(Result<T> r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

const std::vector<Document>& SampleBase() {
  static const std::vector<Document> docs = [] {
    uint64_t skipped = 0;
    auto r = ReadBaseCorpus(std::string(SAMESTORY_SOURCE_DIR) + "/datasets/sample/articles.jsonl",
                            &skipped);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : std::vector<Document>();
  }();
  return docs;
}

Document Doc(std::string title, std::string text, std::string lang = "") {
  Document d;
  d.id = title;
  d.title = std::move(title);
  d.text = std::move(text);
  d.lang = std::move(lang);
  return d;
}

// A tiny base corpus written here, so that the golden hash does not move with datasets/.
std::vector<Document> TinyBase() {
  return {
      Doc("Port strike halts grain exports",
          "Dock workers at the port of Velmar walked out on Monday over a pay dispute, halting "
          "grain exports for the second time this year. The union said the strike would last "
          "until the port authority agreed to a new contract. Exporters said several ships were "
          "waiting offshore and that delays would cost them millions. Officials said talks "
          "would resume later in the week, according to a statement released by the ministry."),
      Doc("Central bank raises rates to fight inflation",
          "The central bank raised its main interest rate by half a point on Thursday, its third "
          "increase this year. Inflation rose to 7.2 percent in March, the highest level in two "
          "decades, driven by energy and food prices. Analysts had expected a smaller move but "
          "said the bank wanted to show it was serious. The governor said further increases "
          "could not be ruled out if prices kept climbing."),
      Doc("Storm cuts power to thousands",
          "A powerful storm swept across the northern coast overnight, cutting power to more "
          "than 40,000 homes. Emergency crews worked through the night to clear fallen trees "
          "from roads and railway lines. Schools in the region were closed on Friday and "
          "residents were told to avoid unnecessary travel. The weather service said winds had "
          "reached 120 kilometres an hour at the height of the storm."),
  };
}

struct Record {
  std::string id, title, text, date, lang, source, dup, story, copy_kind, edits, template_of,
      template_change;
  bool has_lang = false;
};

// Parses one output line; fails the test when it is not JSON or lacks a field.
Record Parse(const std::string& line) {
  static simdjson::dom::parser parser;
  Record r;
  simdjson::dom::element doc;
  auto error = parser.parse(line).get(doc);
  EXPECT_EQ(error, simdjson::SUCCESS) << line;
  if (error) return r;
  auto get = [&](const char* key, std::string* out, bool required) {
    std::string_view v;
    auto e = doc[key].get_string().get(v);
    if (required) {
      EXPECT_EQ(e, simdjson::SUCCESS) << "field " << key << " in " << line;
    }
    if (!e) *out = std::string(v);
    return !e;
  };
  get("id", &r.id, true);
  get("title", &r.title, true);
  get("text", &r.text, true);
  get("date", &r.date, true);
  r.has_lang = get("lang", &r.lang, false);
  get("source", &r.source, true);
  get("dup", &r.dup, true);
  get("story", &r.story, true);
  get("copy_kind", &r.copy_kind, true);
  get("edits", &r.edits, false);
  get("template_of", &r.template_of, false);
  get("template_change", &r.template_change, false);
  return r;
}

struct Output {
  std::string bytes;
  std::vector<std::string> lines;
  GeneratorSummary summary;
};

Output Generate(const GeneratorOptions& options, const std::vector<Document>& base) {
  Output out;
  CorpusGenerator gen = Must(CorpusGenerator::Create(options, base));
  std::string line;
  Status s = gen.Generate(
      [&](const GeneratedArticle& a) {
        line.clear();
        AppendJsonLine(a, &line);
        out.bytes += line;
        out.lines.push_back(line.substr(0, line.size() - 1));
        EXPECT_EQ(line.back(), '\n');
        return Status::OK();
      },
      &out.summary);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

std::vector<Record> ParseAll(const Output& out) {
  std::vector<Record> records;
  for (const std::string& l : out.lines) records.push_back(Parse(l));
  return records;
}

uint64_t Fnv1a64(std::string_view s) {
  uint64_t h = 14695981039346656037ULL;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

// Word 5-shingle Jaccard of two bodies' tokens: how far apart two generated texts are, by the
// classic near-duplicate measure (independent of the copy detector's own fingerprint).
class BodyJaccard {
 public:
  BodyJaccard()
      : tokenizer_(Must(Tokenizer::Create(TextOptions{}))), scratch_(Must(tokenizer_.NewScratch())) {}

  double operator()(const std::string& a, const std::string& b) {
    Shingles(a, &sa_);
    Shingles(b, &sb_);
    std::vector<uint64_t> common;
    std::set_intersection(sa_.begin(), sa_.end(), sb_.begin(), sb_.end(),
                          std::back_inserter(common));
    const size_t all = sa_.size() + sb_.size() - common.size();
    return all == 0 ? 1.0 : static_cast<double>(common.size()) / static_cast<double>(all);
  }

 private:
  void Shingles(const std::string& text, std::vector<uint64_t>* out) {
    tokens_.Clear();
    EXPECT_TRUE(tokenizer_.Tokenize(text, &scratch_, &tokens_).ok());
    out->clear();
    for (size_t i = 0; i + 5 <= tokens_.size(); ++i) {
      std::string shingle;
      for (size_t k = i; k < i + 5; ++k) (shingle += tokens_[k]) += '\x1f';
      out->push_back(Fnv1a64(shingle));
    }
    std::sort(out->begin(), out->end());
    out->erase(std::unique(out->begin(), out->end()), out->end());
  }
  Tokenizer tokenizer_;
  TokenizerScratch scratch_;
  TokenList tokens_;
  std::vector<uint64_t> sa_, sb_;
};

// --- 1. Shape
// -------------------------------------------------------------------------------------

TEST(GenerateTest, WritesExactlyNValidLinesWithEveryField) {
  for (uint64_t n : {1, 2, 3, 7, 100, 2000}) {
    GeneratorOptions o;
    o.articles = n;
    Output out = Generate(o, SampleBase());
    ASSERT_EQ(out.lines.size(), n);
    EXPECT_EQ(out.summary.articles, n);
    std::set<std::string> ids;
    for (const Record& r : ParseAll(out)) {
      EXPECT_TRUE(ids.insert(r.id).second) << "repeated id " << r.id;
      EXPECT_EQ(r.id[0], 'g');
      EXPECT_EQ(r.story[0], 'e');
      EXPECT_FALSE(r.title.empty());
      EXPECT_FALSE(r.text.empty());
      EXPECT_FALSE(r.source.empty());
      EXPECT_TRUE(ParseIsoDate(r.date).has_value()) << r.date;
      // The sample corpus gives every article a language.
      EXPECT_TRUE(r.has_lang &&
                  (r.lang == "en" || r.lang == "fr" || r.lang == "es" || r.lang == "de"))
          << r.lang;
      EXPECT_EQ(r.edits.empty(), r.copy_kind != "combined") << r.copy_kind << " " << r.edits;
      EXPECT_EQ(r.template_of.empty(), r.copy_kind != "templated") << r.id;
      EXPECT_EQ(r.template_change.empty(), r.copy_kind != "templated") << r.id;
    }
  }
}

TEST(GenerateTest, DatesAreInOrderInsideThePeriod) {
  GeneratorOptions o;
  o.articles = 3000;
  o.start = "2024-03-01";
  o.days = 30;
  Output out = Generate(o, SampleBase());
  const UnixSeconds start = *ParseIsoDate("2024-03-01");
  // Events end inside the period; reports and copies may come a few days after their event,
  // templated articles up to 4 weeks after their template.
  const UnixSeconds end = start + (30 + 3 + 1) * 86400;
  UnixSeconds last = start;
  std::set<std::string> days;
  for (const Record& r : ParseAll(out)) {
    const UnixSeconds t = *ParseIsoDate(r.date);
    EXPECT_GE(t, last) << r.id;
    EXPECT_LT(t, end + (r.copy_kind == "templated" ? 29 * 86400 : 0)) << r.date;
    last = t;
    days.insert(r.date.substr(0, 10));
  }
  EXPECT_GE(days.size(), 28u);  // spread over the period, not bunched
}

TEST(GenerateTest, LanguageFieldOnlyWhenTheBaseHasOne) {
  GeneratorOptions o;
  o.articles = 50;
  for (const Record& r : ParseAll(Generate(o, TinyBase()))) EXPECT_FALSE(r.has_lang) << r.lang;
}

// --- 2. Determinism
// -------------------------------------------------------------------------------

TEST(GenerateTest, SameOptionsSameBytesOtherSeedOtherBytes) {
  GeneratorOptions o;
  o.articles = 1500;
  const std::string a = Generate(o, SampleBase()).bytes;
  const std::string b = Generate(o, SampleBase()).bytes;
  EXPECT_EQ(a, b);
  o.seed = 2;
  const std::string c = Generate(o, SampleBase()).bytes;
  EXPECT_NE(a, c);
  // A rate changes its own edit, not the whole corpus: the originals stay the same.
  o.seed = 1;
  o.noise_rate = 0.5;
  const Output d = Generate(o, SampleBase());
  EXPECT_NE(d.bytes, a);
  std::map<std::string, std::string> before;
  for (const Record& r : ParseAll(Generate(GeneratorOptions{.articles = 1500}, SampleBase()))) {
    if (r.copy_kind == "original") before[r.id] = r.text;
  }
  for (const Record& r : ParseAll(d)) {
    if (r.copy_kind == "original") {
      EXPECT_EQ(before[r.id], r.text) << r.id;
    }
  }
}

// Golden: a hash of a small corpus from TinyBase(). It moves whenever generation changes (word
// lists, rewriting, edits, the random streams). When a change is intended, run this test, check
// a sample of the new output by eye, and paste the hash the failure prints.
TEST(GenerateTest, GoldenHashOfASmallCorpus) {
  GeneratorOptions o;
  o.articles = 300;
  o.seed = 42;
  const Output out = Generate(o, TinyBase());
  EXPECT_EQ(Fnv1a64(out.bytes), 0x13927bfb92ba3902ULL)
      << "new golden hash: 0x" << std::hex << Fnv1a64(out.bytes)
      << "\nfirst line: " << out.lines[0];
}

// --- 3. Gold labels
// -------------------------------------------------------------------------------

TEST(GenerateTest, GoldLabelsAreConsistent) {
  GeneratorOptions o;
  o.articles = 5000;
  const std::vector<Record> records = ParseAll(Generate(o, SampleBase()));
  std::map<std::string, const Record*> seen;             // id -> record, output order so far
  std::map<std::string, std::set<std::string>> reports;  // story -> its originals
  std::set<std::string> templates;                       // reports some templated article names
  std::map<std::string, int> kinds;
  for (const Record& r : records) {
    ++kinds[r.copy_kind];
    if (r.copy_kind == "original") {
      EXPECT_EQ(r.dup, r.id);
      reports[r.story].insert(r.id);
    } else if (r.copy_kind == "templated") {
      // Not a copy: its own duplicate group and story; its template is an earlier report.
      EXPECT_EQ(r.dup, r.id);
      EXPECT_EQ(reports.count(r.story), 0u) << r.id << " shares story " << r.story;
      auto it = seen.find(r.template_of);
      ASSERT_NE(it, seen.end()) << r.id << "'s template " << r.template_of << " is not earlier";
      EXPECT_EQ(it->second->copy_kind, "original");
      EXPECT_NE(it->second->story, r.story);
      EXPECT_NE(it->second->text, r.text);
      templates.insert(r.template_of);
      reports[r.story];  // a story of its own: no report of it may follow
    } else {
      EXPECT_NE(r.dup, r.id);
      auto it = seen.find(r.dup);
      ASSERT_NE(it, seen.end()) << r.id << "'s original " << r.dup << " is not earlier";
      EXPECT_EQ(it->second->copy_kind, "original");
      EXPECT_EQ(it->second->story, r.story);
      EXPECT_NE(it->second->source, r.source);  // another outlet
    }
    seen[r.id] = &r;
  }
  // Every event has 2+ distinct reports but a notice: one report, the template of templated
  // articles (the very last event may have lost them to the trim).
  int single = 0;
  for (const auto& [story, ids] : reports) {
    if (ids.size() != 1) continue;
    ++single;
    EXPECT_TRUE(templates.count(*ids.begin()) > 0 || story == records.back().story) << story;
  }
  EXPECT_GT(single, 10) << "no notices";
  // Every kind of copy occurs at the default rates.
  for (int k = 0; k < kCopyKinds; ++k) {
    const std::string name(CopyKindName(static_cast<CopyKind>(k)));
    EXPECT_GT(kinds[name], 0) << name;
  }
  // About half the articles are copies (copy_rate 0.5), 5% templated (templated_rate 0.05).
  EXPECT_NEAR(static_cast<double>(kinds["original"]) / records.size(), 0.5, 0.05);
  EXPECT_NEAR(static_cast<double>(kinds["templated"]) / records.size(), 0.05, 0.01);
}

// A templated article keeps its template's wording: "date" changes only dates (a week or more
// later), "figures" only numbers (and a notice's dates), "names" the names; the share follows
// templated_rate; some come within 1-3 days of their template, some weeks later.
TEST(GenerateTest, TemplatedArticlesDifferOnlyWhereTheySay) {
  std::set<std::string> months;
  for (gen::Lang lang : {gen::Lang::kEn, gen::Lang::kFr, gen::Lang::kEs, gen::Lang::kDe}) {
    for (std::string_view m : gen::KitFor(lang).months) months.insert(std::string(m));
  }
  auto words = [](const Record& r) {
    std::vector<std::string> out;
    std::string w;
    for (char c : r.title + " " + r.text + " ") {
      if (c == ' ' || c == '\n') {
        if (!w.empty()) out.push_back(w);
        w.clear();
      } else {
        w.push_back(c);
      }
    }
    return out;
  };
  for (double rate : {0.05, 0.15}) {
    GeneratorOptions o;
    o.articles = 8000;
    o.templated_rate = rate;
    const std::vector<Record> records = ParseAll(Generate(o, SampleBase()));
    std::map<std::string, const Record*> by_id;
    for (const Record& r : records) by_id[r.id] = &r;
    std::map<std::string, int> changes;
    int within_days = 0, weeks_later = 0, templated = 0;
    for (const Record& r : records) {
      if (r.copy_kind != "templated") continue;
      ++templated;
      const Record& t = *by_id.at(r.template_of);
      ++changes[r.template_change];
      EXPECT_EQ(r.source, t.source) << r.id;  // the same wire's recurring report
      EXPECT_NE(r.title + r.text, t.title + t.text) << r.id;
      const int64_t gap = *ParseIsoDate(r.date) - *ParseIsoDate(t.date);
      EXPECT_GE(gap, 86400) << r.id;
      within_days += gap < 3 * 86400;
      weeks_later += gap >= 7 * 86400;
      const std::vector<std::string> a = words(t), b = words(r);
      if (r.template_change == "names") {
        bool name = false;
        for (const std::string& w : b) {
          name |= std::isupper(static_cast<unsigned char>(w[0])) &&
                  std::find(a.begin(), a.end(), w) == a.end();
        }
        EXPECT_TRUE(name) << r.id << ": no new name";
        continue;
      }
      ASSERT_EQ(a.size(), b.size()) << r.id << " (" << r.template_change << ")";
      for (size_t i = 0; i < a.size(); ++i) {
        if (a[i] == b[i]) continue;
        const bool digits = std::any_of(b[i].begin(), b[i].end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        });
        const bool month = months.count(std::string(gen::SplitPunct(b[i]).first)) > 0;
        EXPECT_TRUE(digits || month)
            << r.id << " (" << r.template_change << "): " << a[i] << " -> " << b[i];
      }
      if (r.template_change == "date") {
        EXPECT_GE(gap, 7 * 86400) << r.id;
      }
    }
    for (const char* change : {"names", "figures", "date"})
      EXPECT_GT(changes[change], 10) << change;
    EXPECT_GT(within_days, templated / 5);
    EXPECT_GT(weeks_later, templated / 5);
    EXPECT_NEAR(static_cast<double>(templated) / records.size(), rate, rate / 5);
  }
}

// Regression: `gen --start 9999-12-31` wrote year-10000 dates that samestory's own reader refuses.
// A start whose articles would leave 0000-9999 is refused up front; one that fits is generated,
// and every date reads back.
TEST(GenerateTest, StartWhoseDatesWouldLeaveYears0000To9999IsRefused) {
  for (const char* start : {"9999-12-31", "9999-12-01", "9999-06-01T00:00:00Z"}) {
    GeneratorOptions o;
    o.start = start;
    EXPECT_EQ(o.Validate().code(), Status::Code::kInvalidArgument) << start;
    EXPECT_EQ(CorpusGenerator::Create(o, TinyBase()).status().code(),
              Status::Code::kInvalidArgument)
        << start;
  }
  GeneratorOptions early;
  early.start = "0000-01-01T00:00:00+01:00";  // 23:00 on the last day of year -1
  EXPECT_EQ(early.Validate().code(), Status::Code::kInvalidArgument);
  // The latest start that fits 300 days, 3 days of report spread and 4 weeks of templated gaps.
  GeneratorOptions o;
  o.articles = 3000;
  o.start = "9999-01-01";
  o.days = 300;
  ASSERT_TRUE(o.Validate().ok()) << o.Validate().ToString();
  for (const Record& r : ParseAll(Generate(o, SampleBase()))) {
    EXPECT_TRUE(ParseIsoDate(r.date).has_value()) << r.date;
  }
  early.start = "0000-01-01";
  EXPECT_TRUE(early.Validate().ok());
}

TEST(GenerateTest, SummaryCountsMatchTheOutput) {
  GeneratorOptions o;
  o.articles = 4000;
  o.follow_up_rate = 0.5;
  Output out = Generate(o, SampleBase());
  const GeneratorSummary& s = out.summary;
  std::set<std::string> stories;
  std::array<uint64_t, kCopyKinds> kinds{};
  for (const Record& r : ParseAll(out)) {
    stories.insert(r.story);
    for (int k = 0; k < kCopyKinds; ++k) {
      if (r.copy_kind == CopyKindName(static_cast<CopyKind>(k))) ++kinds[k];
    }
  }
  EXPECT_EQ(s.events, stories.size());
  EXPECT_EQ(s.by_kind, kinds);
  EXPECT_EQ(s.reports, kinds[0]);
  // Follow-ups among the story events (notices and templated articles are not).
  const uint64_t story_events =
      s.events - s.notices - kinds[static_cast<int>(CopyKind::kTemplated)];
  EXPECT_NEAR(static_cast<double>(s.follow_ups) / static_cast<double>(story_events), 0.5, 0.1);
  EXPECT_EQ(s.bytes, 0u);  // only WriteCorpus counts bytes
}

TEST(GenerateTest, NoCopiesAndNoEditsWhenRatesAreZero) {
  GeneratorOptions o;
  o.articles = 500;
  o.copy_rate = 0;
  o.templated_rate = 0;
  for (const Record& r : ParseAll(Generate(o, SampleBase()))) EXPECT_EQ(r.copy_kind, "original");
  o.copy_rate = 0.6;
  o.reheadline_rate = o.truncate_rate = o.reorder_rate = o.boilerplate_rate = o.word_edit_rate =
      o.noise_rate = o.extend_rate = o.correct_rate = 0;
  std::map<std::string, Record> originals;
  int copies = 0;
  for (const Record& r : ParseAll(Generate(o, SampleBase()))) {
    if (r.copy_kind == "original") {
      originals[r.id] = r;
      continue;
    }
    ++copies;
    EXPECT_EQ(r.copy_kind, "exact");
    EXPECT_EQ(r.text, originals[r.dup].text);
    EXPECT_EQ(r.title, originals[r.dup].title);
  }
  EXPECT_GT(copies, 100);
}

// --- 4. Texts
// -------------------------------------------------------------------------------------

TEST(GenerateTest, CopiesAreAsFarFromTheirOriginalAsTheirEditsAndReportsAreFarApart) {
  GeneratorOptions o;
  o.articles = 8000;
  const std::vector<Record> records = ParseAll(Generate(o, SampleBase()));
  std::map<std::string, const Record*> by_id;
  for (const Record& r : records) by_id[r.id] = &r;
  BodyJaccard jaccard;
  std::map<std::string, std::vector<double>> by_kind;  // Jaccard with the original (template)
  for (const Record& r : records) {
    if (r.copy_kind == "original") continue;
    const Record& original = *by_id[r.copy_kind == "templated" ? r.template_of : r.dup];
    const double j = jaccard(r.text, original.text);
    by_kind[r.copy_kind].push_back(j);
    if (r.copy_kind == "exact" || r.copy_kind == "reheadlined") {
      EXPECT_EQ(j, 1.0) << r.id;  // dedup fingerprints the body: a new headline changes nothing
    }
  }
  // Median body Jaccard per kind at the default strengths, on the sample corpus's short texts
  // (6-15 sentences): boilerplate lines, one paragraph swap and one corrected figure stay near
  // 0.8-0.95; 3% word edits break ~15% of the 5-shingles; 2% character noise garbles ~1 word in
  // 8 and breaks about half; truncation keeps 60-90% of the paragraphs; 1-3 added paragraphs
  // dilute. Templated articles share most of their template's wording (names and figures
  // differ; a repeated notice only in its dates).
  const std::map<std::string, std::pair<double, double>> expected = {
      {"boilerplate", {0.75, 0.95}}, {"reordered", {0.75, 0.95}}, {"corrected", {0.8, 0.98}},
      {"edited", {0.6, 0.9}},        {"noisy", {0.25, 0.6}},      {"truncated", {0.45, 0.9}},
      {"extended", {0.45, 0.85}},    {"combined", {0.3, 0.85}},   {"templated", {0.3, 0.85}}};
  for (const auto& [k, range] : expected) {
    std::vector<double>& js = by_kind[k];
    ASSERT_GT(js.size(), 20u) << k;
    std::sort(js.begin(), js.end());
    const double median = js[js.size() / 2];
    EXPECT_GT(median, range.first) << k;
    EXPECT_LT(median, range.second) << k;
    // These edits always change the body (noise may hit only the title, boilerplate lines may
    // be too short for a shingle, and a combined copy may have only those).
    if (k == "edited" || k == "corrected" || k == "truncated" || k == "extended" ||
        k == "templated") {
      EXPECT_LT(js.back(), 1.0) << k;
    }
  }

  // Distinct reports of one event: related, but far from near-duplicates.
  std::map<std::string, std::vector<const Record*>> reports;
  for (const Record& r : records) {
    if (r.copy_kind == "original") reports[r.story].push_back(&r);
  }
  std::vector<double> js;
  for (const auto& [story, rs] : reports) {
    for (size_t a = 0; a < rs.size(); ++a) {
      for (size_t b = a + 1; b < rs.size(); ++b) js.push_back(jaccard(rs[a]->text, rs[b]->text));
    }
  }
  ASSERT_GT(js.size(), 500u);
  std::sort(js.begin(), js.end());
  EXPECT_LT(js[js.size() / 2], 0.25);        // median
  EXPECT_LT(js[js.size() * 99 / 100], 0.5);  // 99th percentile
  EXPECT_GT(js[js.size() / 2], 0.0);         // they do share text
}

TEST(GenerateTest, ReportsOfAnEventShareItsNames) {
  GeneratorOptions o;
  o.articles = 1000;
  o.copy_rate = 0;
  o.templated_rate = 0;
  const std::vector<Record> records = ParseAll(Generate(o, TinyBase()));
  // The made-up organisation and place of the event's thread appear across its reports: count,
  // per story, the capitalized words found in at least two of its reports.
  std::map<std::string, std::vector<std::set<std::string>>> words;
  for (const Record& r : records) {
    std::set<std::string> caps;
    std::string w;
    for (char c : r.title + " " + r.text + " ") {
      if (std::isalpha(static_cast<unsigned char>(c))) {
        w.push_back(c);
      } else {
        if (w.size() > 3 && std::isupper(static_cast<unsigned char>(w[0]))) caps.insert(w);
        w.clear();
      }
    }
    words[r.story].push_back(caps);
  }
  int with_shared_names = 0;
  for (const auto& [story, sets] : words) {
    std::map<std::string, int> count;
    for (const auto& s : sets) {
      for (const auto& w : s) ++count[w];
    }
    int shared = 0;
    for (const auto& [w, c] : count) shared += c >= 2;
    with_shared_names += shared >= 2;
  }
  EXPECT_GE(with_shared_names, static_cast<int>(words.size() * 9 / 10));
}

// --- 5. Streaming, files, errors
// ------------------------------------------------------------------

TEST(GenerateTest, StreamsALargeCorpusThroughASmallBuffer) {
  GeneratorOptions o;
  o.articles = 100000;
  CorpusGenerator gen = Must(CorpusGenerator::Create(o, SampleBase()));
  uint64_t n = 0, bytes = 0;
  UnixSeconds last = 0;
  std::string line;
  GeneratorSummary summary;
  Status s = gen.Generate(
      [&](const GeneratedArticle& a) {
        ++n;
        line.clear();
        AppendJsonLine(a, &line);
        bytes += line.size();
        EXPECT_GE(a.time, last);
        last = a.time;
        return Status::OK();
      },
      &summary);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(n, 100000u);
  EXPECT_GT(bytes, 50'000'000u);
  // Articles wait only for the few days their event's reports span: ~N / days * 4 plans.
  EXPECT_LT(summary.max_pending, 3000u) << "the reorder buffer grows with N";
}

class GenerateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("samestory_gen_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_F(GenerateFileTest, WritesPlainAndGzipFiles) {
  GeneratorOptions o;
  o.articles = 700;
  const Output expected = Generate(o, SampleBase());
  CorpusGenerator gen = Must(CorpusGenerator::Create(o, SampleBase()));
  GeneratorSummary summary;
  ASSERT_TRUE(WriteCorpus(gen, Path("c.jsonl"), &summary).ok());
  EXPECT_EQ(ReadFile(Path("c.jsonl")), expected.bytes);
  EXPECT_EQ(summary.bytes, expected.bytes.size());
  ASSERT_TRUE(WriteCorpus(gen, Path("c.jsonl.gz"), &summary).ok());
  const std::string gz = ReadFile(Path("c.jsonl.gz"));
  ASSERT_GE(gz.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  EXPECT_LT(gz.size(), expected.bytes.size() / 2);
  // Read back as any samestory input: every record good, in the same order.
  auto reader = Must(JsonlReader::Open(Path("c.jsonl.gz"), ReaderOptions{}));
  std::vector<Document> docs, batch;
  while (reader->ReadBatch(256, &batch).ok() && !batch.empty()) {
    docs.insert(docs.end(), batch.begin(), batch.end());
  }
  ASSERT_EQ(docs.size(), 700u);
  const std::vector<Record> records = ParseAll(expected);
  for (size_t i = 0; i < docs.size(); ++i) {
    EXPECT_TRUE(docs[i].error.empty()) << docs[i].error;
    EXPECT_EQ(docs[i].id, records[i].id);
    EXPECT_EQ(docs[i].text, records[i].text);
  }
}

TEST_F(GenerateFileTest, ReadsABaseCorpusSkippingRecordsWithoutText) {
  std::ofstream(Path("base.jsonl"))
      << "{\"id\":\"a\",\"title\":\"t\",\"body\":\"Some body text here.\"}\n"
      << "{\"id\":\"b\",\"title\":\"only a title\"}\n"
      << "not json\n"
      << "{\"id\":\"c\",\"title\":\"t\",\"content\":\"Other text.\",\"lang\":\"fr\"}\n";
  uint64_t skipped = 0;
  std::vector<Document> docs = Must(ReadBaseCorpus(Path("base.jsonl"), &skipped));
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].text, "Some body text here.");
  EXPECT_EQ(docs[1].lang, "fr");
  EXPECT_EQ(skipped, 2u);
  EXPECT_EQ(ReadBaseCorpus(Path("missing.jsonl"), nullptr).status().code(),
            Status::Code::kNotFound);
}

TEST_F(GenerateFileTest, UnwritableOutputIsAnIOError) {
  CorpusGenerator gen = Must(CorpusGenerator::Create(GeneratorOptions{.articles = 5}, TinyBase()));
  EXPECT_EQ(WriteCorpus(gen, Path("no/such/dir/c.jsonl"), nullptr).code(), Status::Code::kIOError);
  EXPECT_EQ(WriteCorpus(gen, Path("no/such/dir/c.jsonl.gz"), nullptr).code(),
            Status::Code::kIOError);
}

TEST(GenerateTest, SinkErrorStopsGeneration) {
  CorpusGenerator gen =
      Must(CorpusGenerator::Create(GeneratorOptions{.articles = 100}, TinyBase()));
  int calls = 0;
  Status s = gen.Generate(
      [&](const GeneratedArticle&) {
        return ++calls == 10 ? Status::IOError("disk full") : Status::OK();
      },
      nullptr);
  EXPECT_EQ(s.code(), Status::Code::kIOError);
  EXPECT_EQ(calls, 10);
}

TEST(GenerateTest, BaseWithoutUsableArticlesIsRefused) {
  std::vector<Document> base = {Doc("t", "Too short."), Doc("u", "1.2 3.4 5.6 7.8 9.0 1.1 2.2.")};
  auto r = CorpusGenerator::Create(GeneratorOptions{}, base);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(CorpusGenerator::Create(GeneratorOptions{}, {}).status().code(),
            Status::Code::kInvalidArgument);
}

TEST(GenerateTest, ValidateRejectsEachBadOption) {
  EXPECT_TRUE(GeneratorOptions{}.Validate().ok());
  auto bad = [](auto change) {
    GeneratorOptions o;
    change(o);
    return o.Validate().code() == Status::Code::kInvalidArgument &&
           CorpusGenerator::Create(o, TinyBase()).status().code() == Status::Code::kInvalidArgument;
  };
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.articles = 0; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.start = "yesterday"; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.days = 0; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.min_reports = 0; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.max_reports = 33; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.min_reports = 5, o.max_reports = 4; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.report_spread_days = -1; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.follow_up_rate = 1.5; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.thread_days = 0; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.copy_rate = 0.99; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.copy_delay_hours = 1000; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.reheadline_rate = -0.1; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.noise_rate = 2; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.noise_chars = 0.5; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.truncate_rate = std::nan(""); }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.extend_rate = 1.5; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.correct_rate = -1; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.truncate_min_keep = 0.05; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.truncate_min_keep = 0.95; }));  // > max_keep
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.truncate_max_keep = 1.1; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.boilerplate_max_lines = 0; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.boilerplate_max_lines = 7; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.word_edit_share = 0; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.word_edit_share = 0.3; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.extend_max_paragraphs = 0; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.extend_max_paragraphs = 11; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.correction_mark_rate = 2; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.templated_rate = 0.3; }));
  EXPECT_TRUE(bad([](GeneratorOptions& o) { o.templated_rate = std::nan(""); }));
}

}  // namespace
}  // namespace samestory
