// EditWords (src/gen/edit_words.cc): a few word substitutions, deletions and insertions, never the
// first or last word of a sentence, the word count within bounds; the same seed edits the same
// words.
#include <gtest/gtest.h>

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

TEST(EditWordsTest, FewEditsInsideSentences) {
  std::vector<std::string_view> split, a, b;
  std::string tmp;
  for (int paragraphs : {1, 3, 6, 12}) {
    const Body original = MakeBody(paragraphs, 3);
    const std::vector<std::string> before = Sentences(original);
    const size_t words = WordCount(original);
    const size_t most = std::max<size_t>(1, words / 60);  // edits at most
    size_t changed_total = 0;
    for (uint64_t seed = 0; seed < 200; ++seed) {
      Body body = original;
      Rng rng(seed);
      EditWords(&body, rng, &split, &tmp);
      const std::vector<std::string> after = Sentences(body);
      ASSERT_EQ(after.size(), before.size());
      size_t changed = 0;
      for (size_t i = 0; i < before.size(); ++i) {
        if (after[i] == before[i]) continue;
        ++changed;
        SplitWords(before[i], &a);
        SplitWords(after[i], &b);
        EXPECT_EQ(a.front(), b.front()) << after[i];
        EXPECT_EQ(a.back(), b.back()) << after[i];
      }
      const long delta = static_cast<long>(WordCount(body)) - static_cast<long>(words);
      // "so far" is one filler of two words: an insertion adds at most 2.
      EXPECT_LE(static_cast<size_t>(std::labs(delta)), 2 * most);
      EXPECT_LE(changed, most);
      changed_total += changed;
    }
    EXPECT_GT(changed_total, 150u) << "edits are rare";
  }
}

TEST(EditWordsTest, SameSeedSameEdits) {
  std::vector<std::string_view> split;
  std::string tmp;
  const Body original = MakeBody(8, 3);
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Body a = original, b = original;
    Rng ra(seed), rb(seed);
    EditWords(&a, ra, &split, &tmp);
    EditWords(&b, rb, &split, &tmp);
    EXPECT_EQ(a, b);
  }
}

}  // namespace
}  // namespace samestory::gen
