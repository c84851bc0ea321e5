// Reorder (src/gen/edit_reorder.cc): two paragraphs after the lead swapped (two sentences after
// the lead in a text of fewer than 3 paragraphs); the same seed reorders the same way.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "gen/copy_edits.h"
#include "gen/edit_test_util.h"

namespace samestory::gen {
namespace {

using testing::MakeBody;
using testing::Sentences;

TEST(ReorderTest, SwapsTwoParagraphsAfterTheLead) {
  for (int paragraphs : {3, 4, 7}) {
    const Body original = MakeBody(paragraphs, 2);
    std::set<std::pair<size_t, size_t>> swaps;
    for (uint64_t seed = 0; seed < 300; ++seed) {
      Body body = original;
      Rng rng(seed);
      ASSERT_TRUE(Reorder(&body, rng));
      ASSERT_EQ(body.size(), original.size());
      EXPECT_EQ(body[0], original[0]) << "the lead moved";
      std::vector<size_t> moved;
      for (size_t i = 0; i < body.size(); ++i) {
        if (body[i] != original[i]) moved.push_back(i);
      }
      ASSERT_EQ(moved.size(), 2u);
      EXPECT_EQ(body[moved[0]], original[moved[1]]);
      EXPECT_EQ(body[moved[1]], original[moved[0]]);
      swaps.insert({moved[0], moved[1]});
    }
    // Every pair after the lead can be swapped, not only neighbours.
    EXPECT_EQ(swaps.size(), static_cast<size_t>((paragraphs - 1) * (paragraphs - 2) / 2));
  }
}

TEST(ReorderTest, ShortTextsSwapTwoSentencesAfterTheLead) {
  for (int paragraphs : {1, 2}) {
    for (int per : {1, 2, 3}) {
      const Body original = MakeBody(paragraphs, per);
      const std::vector<std::string> before = Sentences(original);
      for (uint64_t seed = 0; seed < 100; ++seed) {
        Body body = original;
        Rng rng(seed);
        const bool changed = Reorder(&body, rng);
        if (before.size() < 3) {
          EXPECT_FALSE(changed);
          EXPECT_EQ(body, original) << "a text under 3 sentences is left alone";
          continue;
        }
        ASSERT_TRUE(changed);
        const std::vector<std::string> after = Sentences(body);
        EXPECT_EQ(after.front(), before.front()) << "the lead moved";
        std::vector<std::string> a = before, b = after;
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        EXPECT_EQ(a, b) << "a swap keeps every sentence";
        EXPECT_NE(after, before);
      }
    }
  }
}

TEST(ReorderTest, SameSeedSameOrder) {
  const Body original = MakeBody(6, 2);
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Body a = original, b = original;
    Rng ra(seed), rb(seed);
    Reorder(&a, ra);
    Reorder(&b, rb);
    EXPECT_EQ(a, b);
  }
}

}  // namespace
}  // namespace samestory::gen
