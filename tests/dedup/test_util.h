// Inputs of the golden-vector tests of the dedup stages, shared by the tests
// (tests/dedup/shingle_test.cc, minhash_test.cc) and by the program that generates their expected
// values (tests/dedup/golden_generator.cc), so that the two cannot drift apart. Changing an input
// changes every golden value: regenerate them as golden_generator.cc says. Depends on the public
// API only (no GoogleTest), because the generator is built without it.
#ifndef SAMESTORY_TESTS_DEDUP_TEST_UTIL_H_
#define SAMESTORY_TESTS_DEDUP_TEST_UTIL_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "samestory/text.h"

namespace samestory::test {

// ASCII, 2-byte (é, à) and 3-byte (東京) UTF-8 code points.
inline constexpr std::string_view kGoldenTokens[] = {"l",   "état",    "a", "annoncé", "mardi",
                                                     "une", "réforme", "à", "paris",   "東京"};

// kGoldenTokens as a TokenList.
inline TokenList GoldenTokens() {
  TokenList out;
  for (std::string_view t : kGoldenTokens) out.Add(t);
  return out;
}

// 100 SplitMix64 outputs from state 0 (Steele, Lea, Flood 2014): a fixed set of shingle hashes.
inline std::vector<uint64_t> GoldenShingleSet() {
  std::vector<uint64_t> out;
  uint64_t state = 0;
  for (int i = 0; i < 100; ++i) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    out.push_back(z ^ (z >> 31));
  }
  return out;
}

}  // namespace samestory::test

#endif  // SAMESTORY_TESTS_DEDUP_TEST_UTIL_H_
