// Copy edit: word substitutions, deletions and insertions (copy_edits.h).
#include <algorithm>

#include "gen/copy_edits.h"
#include "gen/text_util.h"

namespace samestory::gen {

void EditWords(Body* body, Rng& rng, std::vector<std::string_view>* split, std::string* tmp) {
  size_t word_count = 0;
  for (const auto& para : *body) {
    for (const auto& sentence : para)
      word_count += 1 + std::count(sentence.begin(), sentence.end(), ' ');
  }
  for (int k = rng.Between(1, static_cast<int>(std::max<size_t>(1, word_count / 60))); k > 0; --k) {
    auto [p, s] = RandomSentence(*body, rng, 0);
    std::string& sentence = (*body)[p][s];
    SplitWords(sentence, split);
    const auto& words = *split;
    if (words.size() < 4) continue;
    const size_t inner = words.size() - 2;  // never the first or the last word
    const size_t start = rng.Below(inner);
    const int op = static_cast<int>(rng.Below(3));
    size_t at = 0;  // the word edited; 0: none found, insert instead
    for (size_t j = 0; j < inner && at == 0 && op < 2; ++j) {
      const size_t i = 1 + (start + j) % inner;
      auto [core, punct] = SplitPunct(words[i]);
      if (!punct.empty() || core.empty() || !IsAsciiLower(core[0])) continue;
      const bool fits = op == 0 ? core == "the" || core == "a" || OneOf(core, kDroppableWords)
                                : SynonymGroup(core) >= 0;
      if (fits) at = i;
    }
    std::string& out = *tmp;
    out.clear();
    const size_t insert_at = 1 + start;
    for (size_t i = 0; i < words.size(); ++i) {
      if (!out.empty()) out.push_back(' ');
      if (at != 0 && i == at) {
        if (op == 0) {  // deleted
          if (!out.empty()) out.pop_back();
          continue;
        }
        out.append(OtherSynonym(SynonymGroup(words[i]), words[i], rng));
        continue;
      }
      if (at == 0 && i == insert_at) {
        out.append(Pick(rng, kFillerWords));
        out.push_back(' ');
      }
      out.append(words[i]);
    }
    sentence = out;
  }
}

}  // namespace samestory::gen
