// Helpers of the copy-edit tests (tests/gen/edit_*_test.cc): a made-up text of a given shape,
// written here so that the tests do not move with datasets/, and measures of what an edit did.
#ifndef SAMESTORY_TESTS_GEN_EDIT_TEST_UTIL_H_
#define SAMESTORY_TESTS_GEN_EDIT_TEST_UTIL_H_

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "gen/body.h"

namespace samestory::gen::testing {

// `paragraphs` paragraphs of `per_paragraph` distinct sentences of 11-15 words each, with words a
// word edit can work on (synonyms, small words, "the"), numbers and names.
inline Body MakeBody(int paragraphs, int per_paragraph) {
  static constexpr std::string_view kShapes[] = {
      "The company said sales rose {n} percent in the third quarter of the year.",
      "Officials in Velmar also said the talks would resume later this week.",
      "Analysts had expected a big increase but prices fell very quickly on {n} markets.",
      "Dock workers at the port walked out on Monday over a pay dispute with {n} firms.",
      "The union said the strike would last until the port authority agreed to a deal.",
      "Exporters said {n} ships were still waiting offshore and that delays would cost them.",
      "According to the ministry, the plan was announced after nearly {n} months of talks.",
      "Shares of Korvane Holdings climbed {n} percent after the group reported strong revenue."};
  Body body;
  int k = 0;
  for (int p = 0; p < paragraphs; ++p) {
    Paragraph para;
    for (int s = 0; s < per_paragraph; ++s, ++k) {
      std::string sentence(kShapes[k % std::size(kShapes)]);
      const size_t at = sentence.find("{n}");
      if (at != std::string::npos) sentence.replace(at, 3, std::to_string(10 + k));
      sentence.insert(0, "In part " + std::to_string(k) + ", ");
      para.push_back(sentence);
    }
    body.push_back(para);
  }
  return body;
}

// The sentences of `body` in order, paragraphs flattened.
inline std::vector<std::string> Sentences(const Body& body) {
  std::vector<std::string> out;
  for (const Paragraph& p : body) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline size_t WordCount(std::string_view s) {
  size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n';
    n += !space && !in_word;
    in_word = !space;
  }
  return n;
}

inline size_t WordCount(const Body& body) {
  size_t n = 0;
  for (const std::string& s : Sentences(body)) n += WordCount(s);
  return n;
}

// Levenshtein distance (insertions, deletions, substitutions) between two sequences.
// O(|a| |b|): short sequences.
template <typename Sequence>
size_t Levenshtein(const Sequence& a, const Sequence& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// In bytes.
inline size_t EditDistance(std::string_view a, std::string_view b) { return Levenshtein(a, b); }

// In words (split at spaces).
inline size_t WordEditDistance(std::string_view a, std::string_view b) {
  auto split = [](std::string_view s) {
    std::vector<std::string_view> words;
    size_t i = 0;
    while (i < s.size()) {
      size_t j = s.find(' ', i);
      if (j == std::string_view::npos) j = s.size();
      if (j > i) words.push_back(s.substr(i, j - i));
      i = j + 1;
    }
    return words;
  };
  return Levenshtein(split(a), split(b));
}

}  // namespace samestory::gen::testing

#endif  // SAMESTORY_TESTS_GEN_EDIT_TEST_UTIL_H_
