// NewHeadline (src/gen/edit_headline.cc): a copy's new headline differs from its report's and
// names the event; the same seed gives the same headline.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gen/base_corpus.h"
#include "gen/copy_edits.h"
#include "gen/entities.h"
#include "gen/report.h"

namespace samestory::gen {
namespace {

std::shared_ptr<const BaseCorpus> Base() {
  Document d;
  d.id = "1";
  d.title = "PORT STRIKE HALTS GRAIN EXPORTS";
  d.text =
      "Dock workers at the port of Velmar walked out on Monday over a pay dispute, halting grain "
      "exports for the second time this year. The union said the strike would last until the "
      "port authority agreed to a new contract. Exporters said several ships were waiting "
      "offshore and that delays would cost them millions.";
  auto base = BuildBaseCorpus(std::vector<Document>{d});
  EXPECT_TRUE(base.ok()) << base.status().ToString();
  return base.value();
}

TEST(NewHeadlineTest, DiffersFromTheReportsHeadline) {
  const auto base = Base();
  std::vector<Word> words;
  int same = 0;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    Entities e;
    MakeEntities(seed, 1, 1, Lang::kEn, &e);
    Rng rng(seed);
    std::string original, fresh;
    MakeTitle(*base, 0, e, rng, &words, &original);
    const bool changed = NewHeadline(*base, 0, e, original, rng, &words, &fresh);
    EXPECT_FALSE(fresh.empty());
    EXPECT_EQ(changed, fresh != original);
    same += fresh == original;
  }
  EXPECT_LE(same, 1) << "8 draws rarely all give the same headline";
}

TEST(NewHeadlineTest, SameSeedSameHeadline) {
  const auto base = Base();
  std::vector<Word> words;
  Entities e;
  MakeEntities(9, 1, 1, Lang::kFr, &e);
  for (uint64_t seed = 0; seed < 50; ++seed) {
    std::string a, b;
    Rng ra(seed), rb(seed);
    NewHeadline(*base, 0, e, "Un titre", ra, &words, &a);
    NewHeadline(*base, 0, e, "Un titre", rb, &words, &b);
    EXPECT_EQ(a, b);
  }
}

// A notice's new headline is its lead's opening words: every word of it is in the text (a
// headline of another event would name other things).
TEST(NewNoticeHeadlineTest, IsTheLeadsOpeningWords) {
  const std::string lead =
      "Mael Foundation said its board of directors had declared a regular quarterly dividend of 19 "
      "cents a share.";
  const std::string original = "Mael Foundation declares quarterly dividend of 19 cents";
  for (uint64_t seed = 0; seed < 40; ++seed) {
    Rng rng(seed);
    std::string fresh;
    ASSERT_TRUE(NewNoticeHeadline(lead, original, rng, &fresh));
    EXPECT_EQ(lead.compare(0, fresh.size(), fresh), 0) << fresh;
    const size_t words = static_cast<size_t>(std::count(fresh.begin(), fresh.end(), ' ')) + 1;
    EXPECT_GE(words, 6u);
    EXPECT_LE(words, 12u);
    EXPECT_NE(fresh.back(), '.');
  }
  Rng rng(1);
  std::string out;
  EXPECT_FALSE(NewNoticeHeadline("Too short here", original, rng, &out));
}

}  // namespace
}  // namespace samestory::gen
