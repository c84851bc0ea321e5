// AddNoise (src/gen/edit_noise.cc): OCR-like confusions, lost and added spaces at about the stated
// share of characters, newlines and UTF-8 left intact; the same seed garbles the same characters.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "gen/copy_edits.h"
#include "gen/edit_test_util.h"

namespace samestory::gen {
namespace {

using testing::EditDistance;
using testing::MakeBody;
using testing::Sentences;
using testing::WordCount;

TEST(AddNoiseTest, GarblesAboutTheStatedShareOfCharacters) {
  const std::vector<std::string> sentences = Sentences(MakeBody(400, 5));  // ~150k characters
  std::string tmp;
  for (double rate : {0.002, 0.02, 0.05}) {
    Rng rng(11);
    size_t distance = 0, chars = 0, more_words = 0, fewer_words = 0;
    for (const std::string& s : sentences) {
      std::string noisy = s;
      AddNoise(&noisy, rate, rng, &tmp);
      distance += EditDistance(s, noisy);
      chars += s.size();
      more_words += WordCount(noisy) > WordCount(s);
      fewer_words += WordCount(noisy) < WordCount(s);
    }
    // Most confusions are one edit; "m" <-> "rn", "d" -> "cl", "w" -> "vv" two: within 25%.
    const double share = static_cast<double>(distance) / static_cast<double>(chars);
    EXPECT_GT(share, rate * 0.75) << rate;
    EXPECT_LT(share, rate * 1.25) << rate;
    // Spaces are lost and added.
    EXPECT_GT(more_words, 0u) << rate;
    EXPECT_GT(fewer_words, 0u) << rate;
  }
}

TEST(AddNoiseTest, ZeroRateChangesNothingNewlinesAndUtf8StayIntact) {
  std::string tmp;
  const std::string text = "Le député a déclaré que la réforme était « prête ».\n\nÀ Zürich, 2024.";
  std::string same = text;
  Rng rng(3);
  EXPECT_FALSE(AddNoise(&same, 0, rng, &tmp));
  EXPECT_EQ(same, text);
  for (uint64_t seed = 0; seed < 200; ++seed) {
    std::string noisy = text;
    Rng r(seed);
    AddNoise(&noisy, 0.3, r, &tmp);
    // Every non-ASCII byte and newline survives, in order.
    auto kept = [](const std::string& s) {
      std::string out;
      for (char c : s) {
        if (static_cast<unsigned char>(c) >= 0x80 || c == '\n') out.push_back(c);
      }
      return out;
    };
    EXPECT_EQ(kept(text), kept(noisy)) << noisy;
  }
}

TEST(AddNoiseTest, SameSeedSameNoise) {
  std::string tmp;
  const std::string text = Sentences(MakeBody(2, 3))[4];
  for (uint64_t seed = 0; seed < 50; ++seed) {
    std::string a = text, b = text;
    Rng ra(seed), rb(seed);
    AddNoise(&a, 0.05, ra, &tmp);
    AddNoise(&b, 0.05, rb, &tmp);
    EXPECT_EQ(a, b);
  }
}

}  // namespace
}  // namespace samestory::gen
