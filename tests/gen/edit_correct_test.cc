// Correct (src/gen/edit_correct.cc): one digit of one figure changed, nothing else in the text,
// the title marked at about the stated rate; a text without figures left alone; the same seed
// corrects the same figure.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "gen/copy_edits.h"
#include "gen/edit_test_util.h"

namespace samestory::gen {
namespace {

using testing::MakeBody;
using testing::Sentences;

TEST(CorrectTest, ChangesOneDigitOfOneFigure) {
  const Body original = MakeBody(3, 2);
  const std::vector<std::string> before = Sentences(original);
  int marked = 0;
  std::vector<int> sentence_hits(before.size());
  constexpr int kSeeds = 1000;
  for (uint64_t seed = 0; seed < kSeeds; ++seed) {
    Body body = original;
    std::string title = "Port strike halts exports";
    Rng rng(seed);
    ASSERT_TRUE(Correct(&body, &title, "CORRECTED-", 0.5, rng));
    const std::vector<std::string> after = Sentences(body);
    ASSERT_EQ(after.size(), before.size());
    int changed_bytes = 0;
    for (size_t i = 0; i < before.size(); ++i) {
      ASSERT_EQ(after[i].size(), before[i].size());
      for (size_t k = 0; k < before[i].size(); ++k) {
        if (after[i][k] == before[i][k]) continue;
        ++changed_bytes;
        ++sentence_hits[i];
        EXPECT_TRUE(isdigit(static_cast<unsigned char>(before[i][k])));
        EXPECT_TRUE(isdigit(static_cast<unsigned char>(after[i][k])));
      }
    }
    EXPECT_EQ(changed_bytes, 1);
    if (title == "CORRECTED-Port strike halts exports") {
      ++marked;
    } else {
      EXPECT_EQ(title, "Port strike halts exports");
    }
  }
  EXPECT_NEAR(marked, kSeeds / 2, kSeeds / 10);
  // Figures of every sentence are picked ("In part 3, ..." numbers every sentence).
  for (int hits : sentence_hits) EXPECT_GT(hits, 0);
}

TEST(CorrectTest, NoFigureNoCorrection) {
  Body body = {{"The union said the strike would last until the port authority agreed."}};
  const Body original = body;
  std::string title = "Strike";
  Rng rng(5);
  EXPECT_FALSE(Correct(&body, &title, "CORRECTED-", 1.0, rng));
  EXPECT_EQ(body, original);
  EXPECT_EQ(title, "Strike");
}

TEST(CorrectTest, SameSeedSameCorrection) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Body a = MakeBody(4, 2), b = MakeBody(4, 2);
    std::string ta = "t", tb = "t";
    Rng ra(seed), rb(seed);
    Correct(&a, &ta, "CORRECTED-", 0.5, ra);
    Correct(&b, &tb, "CORRECTED-", 0.5, rb);
    EXPECT_EQ(a, b);
    EXPECT_EQ(ta, tb);
  }
}

}  // namespace
}  // namespace samestory::gen
