// Copy edit: reordered paragraphs or a dropped sentence (copy_edits.h).
#include <utility>

#include "gen/copy_edits.h"

namespace samestory::gen {

void Reorder(Body* body, Rng& rng) {
  const size_t sentences = SentenceCount(*body);
  const bool can_move = body->size() >= 3;
  const bool can_drop = sentences >= 6;
  if (!can_move && !can_drop) {
    if (sentences < 3) return;
    // Sentences 1 .. total-1 as (paragraph, sentence); two distinct ones swapped.
    auto a = RandomSentence(*body, rng, 1);
    auto b = RandomSentence(*body, rng, 1);
    while (b == a) b = RandomSentence(*body, rng, 1);
    std::swap((*body)[a.first][a.second], (*body)[b.first][b.second]);
    return;
  }
  if (can_move && (!can_drop || rng.Chance(0.5))) {
    const size_t first = 1 + rng.Below(body->size() - 2);
    std::swap((*body)[first], (*body)[first + 1]);
    return;
  }
  auto drop = RandomSentence(*body, rng, 1);
  for (int k = 0; k < 2; ++k) {
    auto other = RandomSentence(*body, rng, 1);
    if ((*body)[other.first][other.second].size() < (*body)[drop.first][drop.second].size()) {
      drop = other;
    }
  }
  (*body)[drop.first].erase((*body)[drop.first].begin() + static_cast<std::ptrdiff_t>(drop.second));
  DropEmptyParagraphs(body);
}

}  // namespace samestory::gen
