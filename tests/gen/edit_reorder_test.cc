// Reorder (src/gen/edit_reorder.cc): two neighbouring paragraphs swapped (never the first), or one
// sentence dropped (never the lead), or two sentences of a short text swapped; the same seed
// reorders the same way.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "gen/copy_edits.h"
#include "gen/edit_test_util.h"

namespace samestory::gen {
namespace {

using testing::MakeBody;
using testing::Sentences;

TEST(ReorderTest, SwapsOrDropsButKeepsTheLead) {
  for (int paragraphs : {1, 2, 3, 4, 7}) {
    for (int per : {1, 2, 3}) {
      const Body original = MakeBody(paragraphs, per);
      std::vector<std::string> before = Sentences(original);
      for (uint64_t seed = 0; seed < 200; ++seed) {
        Body body = original;
        Rng rng(seed);
        Reorder(&body, rng);
        std::vector<std::string> after = Sentences(body);
        if (before.size() < 3) {
          EXPECT_EQ(body, original) << "a text under 3 sentences is left alone";
          continue;
        }
        EXPECT_EQ(after.front(), before.front()) << "the lead moved";
        EXPECT_NE(body, original) << "nothing changed";
        std::vector<std::string> a = before, b = after;
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        if (after.size() == before.size()) {
          EXPECT_EQ(a, b) << "a swap keeps every sentence";
        } else {
          ASSERT_EQ(after.size() + 1, before.size()) << "at most one sentence dropped";
          EXPECT_TRUE(std::includes(a.begin(), a.end(), b.begin(), b.end()));
        }
        for (const Paragraph& p : body) EXPECT_FALSE(p.empty());
      }
    }
  }
}

TEST(ReorderTest, SwapsNeighbouringParagraphsAfterTheFirst) {
  const Body original = MakeBody(5, 1);  // 5 sentences: too short to drop one, paragraphs move
  for (uint64_t seed = 0; seed < 100; ++seed) {
    Body body = original;
    Rng rng(seed);
    Reorder(&body, rng);
    ASSERT_EQ(body.size(), original.size());
    EXPECT_EQ(body[0], original[0]);
    int moved = 0;
    for (size_t i = 0; i < body.size(); ++i) moved += body[i] != original[i];
    EXPECT_EQ(moved, 2);
  }
}

TEST(ReorderTest, SameSeedSameOrder) {
  const Body original = MakeBody(4, 2);
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
