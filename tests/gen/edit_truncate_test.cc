// Truncate (src/gen/edit_truncate.cc): a copy cut short keeps a prefix of the report's sentences,
// 40-90% of them, and the same seed cuts the same way.
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

TEST(TruncateTest, KeepsAPrefixOfFortyToNinetyPercentOfTheSentences) {
  for (int paragraphs : {1, 2, 3, 5, 8}) {
    for (int per : {1, 2, 3}) {
      const Body original = MakeBody(paragraphs, per);
      const std::vector<std::string> all = Sentences(original);
      const size_t total = all.size();
      size_t least = total, most = 0;
      for (uint64_t seed = 0; seed < 300; ++seed) {
        Body body = original;
        Rng rng(seed);
        Truncate(&body, rng);
        const std::vector<std::string> kept = Sentences(body);
        ASSERT_GE(kept.size(), 1u);
        ASSERT_LE(kept.size(), total);
        EXPECT_TRUE(std::equal(kept.begin(), kept.end(), all.begin())) << "not a prefix";
        // ceil(40%) .. ceil(90%) of the sentences.
        EXPECT_GE(kept.size() * 100, total * 40) << total;
        EXPECT_LE(kept.size(), (total * 90 + 99) / 100) << total;
        for (const Paragraph& p : body) EXPECT_FALSE(p.empty());
        least = std::min(least, kept.size());
        most = std::max(most, kept.size());
      }
      if (total >= 10) {
        EXPECT_LT(least, most) << "always the same cut";
      }
    }
  }
}

TEST(TruncateTest, SameSeedSameCut) {
  const Body original = MakeBody(6, 2);
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Body a = original, b = original;
    Rng ra(seed), rb(seed);
    Truncate(&a, ra);
    Truncate(&b, rb);
    EXPECT_EQ(a, b);
  }
}

}  // namespace
}  // namespace samestory::gen
