// Test helper: the default Tokenizer's tokens of one text (failures are reported, not thrown).
#ifndef SAMESTORY_TESTS_TEXT_TOKENIZE_HELPER_H_
#define SAMESTORY_TESTS_TEXT_TOKENIZE_HELPER_H_

#include <gtest/gtest.h>

#include <string_view>

#include "samestory/status.h"
#include "samestory/text.h"

namespace samestory::testing {

inline TokenList Tokenize(std::string_view text) {
  Result<Tokenizer> tokenizer = Tokenizer::Create(TextOptions{});
  EXPECT_TRUE(tokenizer.ok()) << tokenizer.status().ToString();
  Result<TokenizerScratch> scratch = tokenizer->NewScratch();
  EXPECT_TRUE(scratch.ok()) << scratch.status().ToString();
  TokenList tokens;
  Status s = tokenizer->Tokenize(text, &scratch.value(), &tokens);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return tokens;
}

}  // namespace samestory::testing

#endif  // SAMESTORY_TESTS_TEXT_TOKENIZE_HELPER_H_
