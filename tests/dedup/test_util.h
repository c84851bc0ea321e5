// Inputs of the golden-vector tests of the copy fingerprint, shared by the test
// (tests/dedup/fingerprint_test.cc) and by the program that generates its expected values
// (tests/dedup/golden_generator.cc), so that the two cannot drift apart. Changing an input changes
// every golden value: regenerate them as golden_generator.cc says. Depends on the public API only
// (no GoogleTest), because the generator is built without it.
#ifndef SAMESTORY_TESTS_DEDUP_TEST_UTIL_H_
#define SAMESTORY_TESTS_DEDUP_TEST_UTIL_H_

#include <string_view>

#include "samestory/text.h"

namespace samestory::test {

// A body with ASCII, 2-byte (é, à) and 3-byte (東京) UTF-8, numbers, a capitalized name, a
// sentence start and an elision, as the tokenizer would give it: (token, capitalized, upper).
struct GoldenToken {
  std::string_view text;
  bool capitalized;
  bool upper;
};
inline constexpr GoldenToken kGoldenBody[] = {
    {"l", false, true},        {"état", false, false},   {"a", false, false},
    {"annoncé", false, false}, {"mardi", false, false},  {"une", false, false},
    {"réforme", false, false}, {"de", false, false},     {"3,5", false, false},
    {"milliards", false, false}, {"à", false, false},    {"paris", true, true},
    {"et", false, false},      {"東京", false, false},   {"le", false, true},
    {"ministre", false, false}, {"dupont", true, true},  {"a", false, false},
    {"confirmé", false, false}, {"le", false, false},    {"chiffre", false, false},
    {"de", false, false},      {"2026", false, false}};
inline constexpr std::string_view kGoldenTitle[] = {"réforme", "de", "l", "état"};

inline TokenList GoldenBody() {
  TokenList out;
  for (const GoldenToken& t : kGoldenBody) out.Add(t.text, t.capitalized, t.upper);
  return out;
}

inline TokenList GoldenTitle() {
  TokenList out;
  for (std::string_view t : kGoldenTitle) out.Add(t);
  return out;
}

}  // namespace samestory::test

#endif  // SAMESTORY_TESTS_DEDUP_TEST_UTIL_H_
