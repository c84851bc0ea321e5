// Copy edit: word substitutions, deletions and insertions (copy_edits.h).
#include <algorithm>

#include "gen/copy_edits.h"
#include "gen/text_util.h"

namespace samestory::gen {
namespace {

size_t Words(const std::string& sentence) {
  return 1 + static_cast<size_t>(std::count(sentence.begin(), sentence.end(), ' '));
}

// A lower-case word without punctuation: what an edit may delete or swap.
bool Plain(std::string_view word) {
  auto [core, punct] = SplitPunct(word);
  return punct.empty() && !core.empty() && IsAsciiLower(core[0]);
}

}  // namespace

bool EditWords(Body* body, double share, Rng& rng, std::vector<std::string_view>* split,
               std::string* tmp) {
  // Sentences and their word counts, kept up to date as edits change them.
  std::vector<std::string*> sentences;
  std::vector<size_t> counts;
  size_t total = 0;
  for (Paragraph& para : *body) {
    for (std::string& sentence : para) {
      sentences.push_back(&sentence);
      counts.push_back(Words(sentence));
      total += counts.back();
    }
  }
  if (total == 0) return false;
  // round(total x share), rounded at random so that the mean is exact: integer arithmetic on a
  // share in millionths.
  constexpr uint64_t kMillion = 1'000'000;
  const uint64_t micro = static_cast<uint64_t>(share * kMillion + 0.5);
  const uint64_t edits = std::max<uint64_t>(1, (total * micro + rng.Below(kMillion)) / kMillion);
  // The sentences edited, as they were: two edits may undo each other ("said" -> "stated" ->
  // "said"), and a copy is labeled edited only when its text changed.
  std::vector<std::pair<size_t, std::string>> before;
  for (uint64_t k = 0; k < edits; ++k) {
    // A word uniformly over the text: its sentence and its position there.
    uint64_t at = rng.Below(total);
    size_t s = 0;
    while (at >= counts[s]) at -= counts[s++];
    const int op = static_cast<int>(rng.Below(3));  // 0 delete, 1 substitute, 2 insert
    std::string& sentence = *sentences[s];
    SplitWords(sentence, split);
    const auto& words = *split;
    if (words.size() < 4) continue;
    const size_t inner = words.size() - 2;  // never the first or the last word
    const size_t start = std::clamp<size_t>(at, 1, inner) - 1;
    // The word edited, searched from the drawn one on; 0: none found, insert instead.
    size_t target = 0;
    for (size_t j = 0; j < inner && target == 0 && op < 2; ++j) {
      const size_t i = 1 + (start + j) % inner;
      if (!Plain(words[i])) continue;
      const std::string_view core = SplitPunct(words[i]).first;
      const bool fits = op == 0 ? core == "the" || core == "a" || OneOf(core, kDroppableWords)
                                : SynonymGroup(core) >= 0;
      if (fits) target = i;
    }
    if (target == 0 && op == 0) {  // nothing small to drop: the drawn word, if plain
      for (size_t j = 0; j < inner && target == 0; ++j) {
        const size_t i = 1 + (start + j) % inner;
        if (Plain(words[i])) target = i;
      }
    }
    std::string& out = *tmp;
    out.clear();
    const size_t insert_at = 1 + start;
    for (size_t i = 0; i < words.size(); ++i) {
      if (!out.empty()) out.push_back(' ');
      if (target != 0 && i == target) {
        if (op == 0) {  // deleted
          if (!out.empty()) out.pop_back();
          continue;
        }
        out.append(OtherSynonym(SynonymGroup(words[i]), words[i], rng));
        continue;
      }
      if (target == 0 && i == insert_at) {
        out.append(Pick(rng, kFillerWords));
        out.push_back(' ');
      }
      out.append(words[i]);
    }
    if (std::none_of(before.begin(), before.end(), [s](const auto& b) { return b.first == s; })) {
      before.emplace_back(s, sentence);
    }
    sentence.swap(out);
    total -= counts[s];
    counts[s] = Words(sentence);
    total += counts[s];
  }
  return std::any_of(before.begin(), before.end(),
                     [&](const auto& b) { return *sentences[b.first] != b.second; });
}

}  // namespace samestory::gen
