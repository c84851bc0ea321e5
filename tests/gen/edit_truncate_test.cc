// Truncate (src/gen/edit_truncate.cc): a copy cut short keeps the lead and the paragraphs after
// it, 60-90% of them (by sentences when the text has fewer than 3 paragraphs), always cuts
// something, and the same seed cuts the same way.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "gen/copy_edits.h"
#include "gen/edit_test_util.h"

namespace samestory::gen {
namespace {

using testing::MakeBody;
using testing::Sentences;

TEST(TruncateTest, KeepsTheFirstSixtyToNinetyPercentOfTheParagraphs) {
  for (int paragraphs : {3, 4, 5, 8, 12, 20}) {
    const Body original = MakeBody(paragraphs, 2);
    size_t least = original.size(), most = 0;
    for (uint64_t seed = 0; seed < 300; ++seed) {
      Body body = original;
      Rng rng(seed);
      ASSERT_TRUE(Truncate(&body, 60, 90, rng));
      ASSERT_GE(body.size(), 1u);
      ASSERT_LT(body.size(), original.size()) << "nothing cut";
      EXPECT_TRUE(std::equal(body.begin(), body.end(), original.begin())) << "not a prefix";
      // round(60%) .. round(90%) of the paragraphs, within [1, n - 1].
      const size_t n = original.size();
      EXPECT_GE(body.size(), std::min(n - 1, (n * 60 + 50) / 100));
      EXPECT_LE(body.size(), std::max<size_t>(1, (n * 90 + 50) / 100));
      least = std::min(least, body.size());
      most = std::max(most, body.size());
    }
    if (paragraphs >= 8) {
      EXPECT_LT(least, most) << "always the same cut";
    }
  }
}

TEST(TruncateTest, ShortTextsAreCutBySentences) {
  for (int paragraphs : {1, 2}) {
    for (int per : {2, 3, 5}) {
      const Body original = MakeBody(paragraphs, per);
      const std::vector<std::string> all = Sentences(original);
      for (uint64_t seed = 0; seed < 200; ++seed) {
        Body body = original;
        Rng rng(seed);
        ASSERT_TRUE(Truncate(&body, 60, 90, rng));
        const std::vector<std::string> kept = Sentences(body);
        ASSERT_GE(kept.size(), 1u);
        ASSERT_LT(kept.size(), all.size());
        EXPECT_TRUE(std::equal(kept.begin(), kept.end(), all.begin())) << "not a prefix";
        for (const Paragraph& p : body) EXPECT_FALSE(p.empty());
      }
    }
  }
  Body one = MakeBody(1, 1);
  Rng rng(1);
  EXPECT_FALSE(Truncate(&one, 60, 90, rng)) << "a single sentence cannot be cut";
  EXPECT_EQ(one, MakeBody(1, 1));
}

TEST(TruncateTest, SameSeedSameCut) {
  const Body original = MakeBody(6, 2);
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Body a = original, b = original;
    Rng ra(seed), rb(seed);
    Truncate(&a, 60, 90, ra);
    Truncate(&b, 60, 90, rb);
    EXPECT_EQ(a, b);
  }
}

}  // namespace
}  // namespace samestory::gen
