// EditWords (src/gen/edit_words.cc): substitutions, deletions and insertions at about the stated
// share of the words, never the first or last word of a sentence, the word count within bounds;
// the same seed edits the same words.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "gen/copy_edits.h"
#include "gen/edit_test_util.h"
#include "gen/words.h"

namespace samestory::gen {
namespace {

using testing::MakeBody;
using testing::Sentences;
using testing::WordCount;
using testing::WordEditDistance;

TEST(EditWordsTest, TouchesAboutTheStatedShareOfWords) {
  std::vector<std::string_view> split, a, b;
  std::string tmp;
  for (double share : {0.01, 0.03, 0.08}) {
    for (int paragraphs : {2, 6, 20}) {
      const Body original = MakeBody(paragraphs, 3);
      const std::vector<std::string> before = Sentences(original);
      const size_t words = WordCount(original);
      const double expected = static_cast<double>(words) * share;
      // Edits: round(words x share), randomly rounded, at least 1.
      const size_t most = std::max<size_t>(1, static_cast<size_t>(std::ceil(expected)));
      double touched = 0;
      constexpr int kSeeds = 200;
      for (uint64_t seed = 0; seed < kSeeds; ++seed) {
        Body body = original;
        Rng rng(seed);
        ASSERT_TRUE(EditWords(&body, share, rng, &split, &tmp));
        const std::vector<std::string> after = Sentences(body);
        ASSERT_EQ(after.size(), before.size());
        size_t distance = 0;
        for (size_t i = 0; i < before.size(); ++i) {
          if (after[i] == before[i]) continue;
          distance += WordEditDistance(before[i], after[i]);
          SplitWords(before[i], &a);
          SplitWords(after[i], &b);
          EXPECT_EQ(a.front(), b.front()) << after[i];
          EXPECT_EQ(a.back(), b.back()) << after[i];
        }
        // Each edit changes one word, or inserts two ("so far").
        EXPECT_GE(distance, 1u);
        EXPECT_LE(distance, 2 * most);
        const long delta = static_cast<long>(WordCount(body)) - static_cast<long>(words);
        EXPECT_LE(static_cast<size_t>(std::labs(delta)), 2 * most);
        touched += static_cast<double>(distance);
      }
      // On average within 20% of the share (plus the 1-edit floor of short texts).
      const double mean = touched / kSeeds;
      EXPECT_GT(mean, std::max(1.0, expected) * 0.8) << share << " of " << words << " words";
      EXPECT_LT(mean, std::max(1.0, expected * 1.2) + 0.5) << share << " of " << words << " words";
    }
  }
}

TEST(EditWordsTest, SameSeedSameEdits) {
  std::vector<std::string_view> split;
  std::string tmp;
  const Body original = MakeBody(8, 3);
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Body a = original, b = original;
    Rng ra(seed), rb(seed);
    EditWords(&a, 0.03, ra, &split, &tmp);
    EditWords(&b, 0.03, rb, &split, &tmp);
    EXPECT_EQ(a, b);
  }
}

}  // namespace
}  // namespace samestory::gen
