// AddNoise (src/gen/edit_noise.cc): OCR-like confusions at about the stated share of characters,
// UTF-8 left valid; the same seed garbles the same characters.
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

size_t LettersAndDigits(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return n;
}

TEST(AddNoiseTest, ChangesAboutTheStatedShareOfCharacters) {
  const std::vector<std::string> sentences = Sentences(MakeBody(400, 5));  // ~150k characters
  std::string tmp;
  for (double rate : {0.002, 0.02, 0.05}) {
    Rng rng(11);
    size_t distance = 0, chars = 0;
    for (const std::string& s : sentences) {
      std::string noisy = s;
      AddNoise(&noisy, rate, rng, &tmp);
      distance += EditDistance(s, noisy);
      chars += LettersAndDigits(s);
    }
    // Each confusion is one edit, "m" <-> "rn" two: within 25% of the rate.
    const double share = static_cast<double>(distance) / static_cast<double>(chars);
    EXPECT_GT(share, rate * 0.75) << rate;
    EXPECT_LT(share, rate * 1.25) << rate;
  }
}

TEST(AddNoiseTest, ZeroRateChangesNothingAndUtf8StaysIntact) {
  std::string tmp;
  const std::string text = "Le député a déclaré que la réforme était « prête » à Zürich 2024.";
  std::string same = text;
  Rng rng(3);
  AddNoise(&same, 0, rng, &tmp);
  EXPECT_EQ(same, text);
  for (uint64_t seed = 0; seed < 200; ++seed) {
    std::string noisy = text;
    Rng r(seed);
    AddNoise(&noisy, 0.3, r, &tmp);
    // Every non-ASCII byte survives, in order.
    std::string high_in, high_out;
    for (char c : text) {
      if (static_cast<unsigned char>(c) >= 0x80) high_in.push_back(c);
    }
    for (char c : noisy) {
      if (static_cast<unsigned char>(c) >= 0x80) high_out.push_back(c);
    }
    EXPECT_EQ(high_in, high_out) << noisy;
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
