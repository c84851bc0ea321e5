// The copy rule (JudgeCopy), one test per rule, each on the kind of case that motivated it
// (issue 12, bench/research/COPY_STUDY.md). Texts are written for these tests.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "samestory/dedup.h"
#include "samestory/fingerprint.h"
#include "samestory/text.h"

namespace samestory {
namespace {

template <typename T>
T Must(Result<T> r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

struct Article {
  CopyFingerprint fp;
  std::optional<UnixSeconds> date;
};

Article Make(const std::string& body, const std::string& title = "",
             std::optional<UnixSeconds> date = std::nullopt) {
  static Tokenizer tokenizer = Must(Tokenizer::Create(TextOptions{}));
  static TokenizerScratch scratch = Must(tokenizer.NewScratch());
  static CopyFingerprinter fingerprinter = Must(CopyFingerprinter::Create(FingerprintOptions{}));
  TokenList t, b;
  EXPECT_TRUE(tokenizer.Tokenize(title, &scratch, &t).ok());
  EXPECT_TRUE(tokenizer.Tokenize(body, &scratch, &b).ok());
  Article a;
  fingerprinter.Fingerprint(t, b, &a.fp);
  a.date = date;
  return a;
}

constexpr UnixSeconds kHour = 3600;
constexpr UnixSeconds kDay0 = 1700000000;

CopyVerdict Judge(const Article& x, const Article& y, const CopyRuleOptions& o = {},
                  std::span<const uint32_t> x_df = {}, std::span<const uint32_t> y_df = {},
                  uint32_t rare = 2) {
  return JudgeCopy(x.fp, {x.date, x_df}, y.fp, {y.date, y_df}, o, rare);
}

// A made-up report of seven paragraphs.
const std::vector<std::string>& Paragraphs() {
  static const std::vector<std::string> p = {
      "The regional council of Norvale approved on Tuesday a plan to rebuild the old harbour "
      "bridge, closed since the storm of last winter, at a cost of 48 million euros.",
      "Council president Mara Ellison said the work would start in the spring and last about "
      "two years, with one lane open to traffic for most of that time.",
      "Engineers had warned that the steel supports were corroded beyond repair, and a study "
      "published in June recommended replacing the whole span rather than patching it.",
      "Local shopkeepers, who say they lost a third of their trade since the closure, welcomed "
      "the decision but asked for a faster timetable and for a ferry service in the meantime.",
      "The opposition group on the council voted against the plan, arguing that the money "
      "should first go to the schools of the eastern district, which it says are overcrowded.",
      "The national transport agency is expected to pay for a quarter of the cost under a "
      "programme for coastal infrastructure announced by the government two years ago.",
      "A public consultation on the design of the new bridge will open next month, the council "
      "said, and residents will be able to choose between three proposals.",
  };
  return p;
}

std::string Join(size_t from, size_t to) {
  std::string s;
  for (size_t i = from; i < to; ++i) s += (i > from ? "\n\n" : "") + Paragraphs()[i];
  return s;
}

// ---- 1. Text --------------------------------------------------------------------------------

TEST(CopyRuleTest, ReheadlinedWrappedAndTruncatedCopiesAreCopies) {
  const Article original = Make(Join(0, 7), "Norvale to rebuild harbour bridge", kDay0);
  const Article reheadlined = Make(Join(0, 7), "Bridge plan approved", kDay0 + kHour);
  const CopyVerdict r = Judge(original, reheadlined);
  EXPECT_EQ(r.kind, DupKind::kCopy);
  EXPECT_EQ(r.reason, CopyReason::kCopy);
  EXPECT_FLOAT_EQ(r.containment, 1.0f);
  const Article wrapped = Make("Subscribe to our newsletter for the latest local news.\n\n" +
                                   Join(0, 7) + "\n\nCopyright 2026 The Coast Herald.",
                               "", kDay0 + 2 * kHour);
  EXPECT_EQ(Judge(original, wrapped).kind, DupKind::kCopy);
  // Its lead kept, 4 of 7 paragraphs: the original holds all of it, but it is much shorter.
  const CopyVerdict t = Judge(original, Make(Join(0, 4), "", kDay0 + 3 * kHour));
  EXPECT_EQ(t.kind, DupKind::kPartial);
  EXPECT_GT(t.containment, 0.95f);
  EXPECT_LT(t.resemblance, 0.7f);
  // Two paragraphs of seven: still the same report, and found (containment is of the shorter).
  EXPECT_EQ(Judge(original, Make(Join(0, 2), "", kDay0 + 3 * kHour)).kind, DupKind::kPartial);
}

TEST(CopyRuleTest, AnotherReportSharingAFewSentencesIsNotACopy) {
  // An outlet's own report that reuses two of the wire's seven paragraphs (as ECB+ articles do).
  const Article wire = Make(Join(0, 7), "", kDay0);
  const Article own = Make(
      "Work on the harbour bridge of Norvale can finally begin, after months of argument.\n\n" +
          Paragraphs()[1] + "\n\n" +
          "Residents we spoke to on the quay were divided: some welcomed the news, others said "
          "the council had waited far too long and that trade on the waterfront had suffered.\n\n" +
          Paragraphs()[6] + "\n\n" +
          "Our reporter will follow the consultation and the first months of work closely, and "
          "readers can send their questions about the project to the newsroom.",
      "", kDay0 + kHour);
  const CopyVerdict v = Judge(wire, own);
  EXPECT_EQ(v.kind, DupKind::kNone);
  EXPECT_EQ(v.reason, CopyReason::kTooDifferent);
}

TEST(CopyRuleTest, TooLittleTextToCompareIsNotACopy) {
  // A headline-sized text against a long report that happens to contain its words: its handful
  // of grams under the report's sample limit cannot tell a copy from chance.
  const Article report = Make(Join(0, 7) + "\n\n" + Join(0, 7), "", kDay0);
  const Article tiny = Make("the regional council approved a plan", "", kDay0);
  CopyRuleOptions o;
  const CopyVerdict v = Judge(report, tiny, o);
  EXPECT_EQ(v.kind, DupKind::kNone);
  EXPECT_EQ(v.reason, CopyReason::kTooDifferent);
  o.min_compared = 1;
  EXPECT_NE(Judge(report, tiny, o).reason, CopyReason::kTooDifferent)
      << "the rule, not the sample, must be what rejects it";
}

// ---- 2. Dates -------------------------------------------------------------------------------

TEST(CopyRuleTest, CopiesAreRepublishedWithinTheWindow) {
  const Article a = Make(Join(0, 7), "", kDay0);
  CopyRuleOptions o;  // 96 hours
  EXPECT_EQ(Judge(a, Make(Join(0, 7), "", kDay0 + 95 * kHour), o).kind, DupKind::kCopy);
  const CopyVerdict far = Judge(a, Make(Join(0, 7), "", kDay0 + 97 * kHour), o);
  EXPECT_EQ(far.kind, DupKind::kNone);
  EXPECT_EQ(far.reason, CopyReason::kTooFarApart);
  // Undated articles: no window.
  EXPECT_EQ(Judge(Make(Join(0, 7)), Make(Join(0, 7), "", kDay0 + 1000 * kHour), o).kind,
            DupKind::kCopy);
  o.window_hours = 0;  // no limit
  EXPECT_EQ(Judge(a, Make(Join(0, 7), "", kDay0 + 1000 * kHour), o).kind, DupKind::kCopy);
}

TEST(CopyRuleTest, ShortNoticesRecurDailySoTheirWindowIsShorter) {
  // Issue 12: identical central-bank notices two weeks apart are two notices; the same notice
  // re-sent within hours is one.
  const std::string notice =
      "The Bundesbank left credit policies unchanged after today's regular meeting of its "
      "council, a spokesman said in answer to enquiries.";
  const Article first = Make(notice, "BUNDESBANK LEAVES CREDIT POLICIES UNCHANGED", kDay0);
  EXPECT_EQ(Judge(first, Make(notice, "BUNDESBANK LEAVES CREDIT POLICIES UNCHANGED",
                              kDay0 + kHour / 2))
                .kind,
            DupKind::kCopy);
  const CopyVerdict next_day = Judge(
      first, Make(notice, "BUNDESBANK LEAVES CREDIT POLICIES UNCHANGED", kDay0 + 24 * kHour));
  EXPECT_EQ(next_day.reason, CopyReason::kTooFarApart);
  // A long text the next day is a re-send.
  EXPECT_EQ(Judge(Make(Join(0, 7), "", kDay0), Make(Join(0, 7), "", kDay0 + 24 * kHour)).kind,
            DupKind::kCopy);
}

TEST(CopyRuleTest, ShortTextsTooShortToFingerprintMatchOnlyIdenticalText) {
  const Article a = Make("Fire in port", "FLASH", kDay0);
  EXPECT_EQ(Judge(a, Make("Fire in port", "FLASH", kDay0 + kHour)).kind, DupKind::kCopy);
  EXPECT_EQ(Judge(a, Make("Fire in harbour", "FLASH", kDay0 + kHour)).reason,
            CopyReason::kShortMismatch);
  EXPECT_EQ(Judge(a, Make("Fire in port", "FLASH", kDay0 + 30 * kHour)).reason,
            CopyReason::kTooFarApart);
}

// ---- 3. Facts -------------------------------------------------------------------------------

TEST(CopyRuleTest, AnotherDaysFiguresAreAnotherReport) {
  // Issue 12: the same Fed notice on two days, another rate.
  const std::string day1 =
      "The Federal Reserve entered the U.S. Government securities market to arrange 1.5 billion "
      "dlrs of customer repurchase agreements, a Fed spokesman said. Dealers said Federal funds "
      "were trading at 6-3/16 pct when the Fed began its temporary and indirect supply of "
      "reserves to the banking system.";
  std::string day2 = day1;
  day2.replace(day2.find("6-3/16"), 6, "6-1/16");
  const std::string title = "FED ADDS RESERVES VIA CUSTOMER REPURCHASES";
  const CopyVerdict v = Judge(Make(day1, title, kDay0), Make(day2, title, kDay0 + 24 * kHour),
                              [] {
                                CopyRuleOptions o;
                                o.short_window_hours = 0;  // let the fact rule decide
                                return o;
                              }());
  EXPECT_EQ(v.reason, CopyReason::kFactsDiffer);
  EXPECT_EQ(v.facts.conflict, 1u);
}

TEST(CopyRuleTest, ACorrectionWithinHoursIsTheSameArticle) {
  // One figure fixed among many facts that agree, an hour later: a correction. The same change
  // two days later is another day's figure.
  std::string corrected = Join(0, 7);
  corrected.replace(corrected.find("48 million"), 10, "58 million");
  const Article original = Make(Join(0, 7), "", kDay0);
  const CopyVerdict soon = Judge(original, Make(corrected, "", kDay0 + kHour));
  EXPECT_EQ(soon.kind, DupKind::kCopy);
  EXPECT_EQ(soon.facts.conflict, 1u);
  EXPECT_EQ(soon.facts.figure_conflict, 1u);
  const CopyVerdict late = Judge(original, Make(corrected, "", kDay0 + 40 * kHour));
  EXPECT_EQ(late.reason, CopyReason::kFactsDiffer);
  // Three figures changed within the hour, where few stay: other figures, not a correction.
  std::string other = Join(0, 7);
  other.replace(other.find("48 million"), 10, "58 million");
  other.replace(other.find("two years, with"), 3, "six");
  const CopyVerdict many = Judge(original, Make(other + " Its 2027 budget is 12 million.", "",
                                                 kDay0 + kHour));
  EXPECT_EQ(many.kind, DupKind::kCopy) << "a number word is not a figure";
}

TEST(CopyRuleTest, AnotherNameAmongFewIsAnotherEntity) {
  // Two funds' identical payout notices, minutes apart: the name is the one fact that differs.
  const CopyVerdict v =
      Judge(Make("Franklin Massachusetts Insured Fund said it declared a monthly dividend of 6.2 "
                 "cts a share, payable May 15 to holders of record May 1.",
                 "", kDay0),
            Make("Franklin California Insured Fund said it declared a monthly dividend of 6.2 "
                 "cts a share, payable May 15 to holders of record May 1.",
                 "", kDay0 + 60));
  EXPECT_EQ(v.reason, CopyReason::kFactsDiffer);
  EXPECT_EQ(v.facts.conflict - v.facts.figure_conflict, 1u);
  // One name replaced in a long text where many agree: an edited copy.
  std::string edited = Join(0, 7);
  edited.replace(edited.find("Mara Ellison"), 12, "Mara Castillo");
  EXPECT_EQ(Judge(Make(Join(0, 7), "", kDay0), Make(edited, "", kDay0 + kHour)).kind,
            DupKind::kCopy);
}

// ---- 4. Titles of short texts ---------------------------------------------------------------

TEST(CopyRuleTest, TwoCompaniesIdenticalNoticesAreTwoNotices) {
  // Issue 12: "Qtly div five cts vs five cts prior, Pay July 15 Record June 30" for two companies.
  const std::string body = "Qtly div five cts vs five cts prior. Pay July 15. Record June 30.";
  const Article a = Make(body, "CENTRAL HOLDING CO <CHOL.O> SETS QUARTERLY", kDay0);
  const Article b = Make(body, "UNIVERSITY BANK AND TRUST CO <UBTC.O> DIVIDEND", kDay0 + kHour);
  const CopyVerdict v = Judge(a, b);
  EXPECT_EQ(v.reason, CopyReason::kTitlesDiffer);
  // The same company's notice re-sent under another headline: the company's name is kept, the
  // words that change are template words, common in the run's titles.
  const Article resent = Make(body, "CENTRAL HOLDING CO <CHOL.O> QTLY DIVIDEND", kDay0 + kHour);
  std::vector<uint32_t> a_df(a.fp.title.size(), 1), r_df(resent.fp.title.size(), 1);
  // Common words: every title token but the name and the ticker has a high frequency.
  auto mark_common = [](const CopyFingerprint& fp, const CopyFingerprint& other,
                        std::vector<uint32_t>* df) {
    for (size_t i = 0; i < fp.title.size(); ++i) {
      const bool shared =
          std::find(other.title.begin(), other.title.end(), fp.title[i]) != other.title.end();
      (*df)[i] = shared ? 1 : 500;  // the unique words ("sets", "qtly") are template words
    }
  };
  mark_common(a.fp, resent.fp, &a_df);
  mark_common(resent.fp, a.fp, &r_df);
  EXPECT_EQ(Judge(a, resent, {}, a_df, r_df, 10).kind, DupKind::kCopy);
  // Without frequencies every title word counts as a name: the re-headlined notice is missed.
  EXPECT_EQ(Judge(a, resent).reason, CopyReason::kTitlesDiffer);
}

TEST(CopyRuleTest, AnotherFigureInAShortTitleIsAnotherNotice) {
  // Issue 12: the same grain quote at 12:01 and 12:10, identical text.
  const std::string body =
      "Soybeans were quoted unchanged to two cents higher in light trade, with May at 5.02 and "
      "July at 5.08, dealers said.";
  const CopyVerdict v = Judge(Make(body, "MIDWEST GRAIN FUTURES 12:01 EDT", kDay0),
                              Make(body, "MIDWEST GRAIN FUTURES 12:10 EDT", kDay0 + 540));
  EXPECT_EQ(v.reason, CopyReason::kTitlesDiffer);
  // One title extending the other is not a substitution.
  EXPECT_EQ(Judge(Make(body, "MIDWEST GRAIN FUTURES", kDay0),
                  Make(body, "CORRECTED - MIDWEST GRAIN FUTURES", kDay0 + kHour))
                .kind,
            DupKind::kCopy);
}

TEST(CopyRuleTest, LongTextsIgnoreTheirTitles) {
  EXPECT_EQ(Judge(Make(Join(0, 7), "Norvale votes 48 mln for bridge", kDay0),
                  Make(Join(0, 7), "Harbour crossing to be rebuilt by 2028", kDay0 + kHour))
                .kind,
            DupKind::kCopy);
}

TEST(CopyRuleTest, OptionsValidate) {
  EXPECT_TRUE(CopyRuleOptions{}.Validate().ok());
  auto bad = [](auto change) {
    CopyRuleOptions o;
    change(o);
    EXPECT_EQ(o.Validate().code(), Status::Code::kInvalidArgument);
  };
  bad([](CopyRuleOptions& o) { o.threshold = 0; });
  bad([](CopyRuleOptions& o) { o.short_threshold = 1.5; });
  bad([](CopyRuleOptions& o) { o.window_hours = -1; });
  bad([](CopyRuleOptions& o) { o.min_compared = 0; });
  bad([](CopyRuleOptions& o) { o.name_ratio = -1; });
  EXPECT_EQ(DupKindName(DupKind::kPartial), "partial");
  EXPECT_EQ(DupKindName(DupKind::kNone), "");
  EXPECT_EQ(CopyReasonName(CopyReason::kFactsDiffer), "facts differ");
}

}  // namespace
}  // namespace samestory
