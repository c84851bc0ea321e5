// Copy edit: reordered paragraphs (copy_edits.h).
#include <utility>

#include "gen/copy_edits.h"

namespace samestory::gen {

bool Reorder(Body* body, Rng& rng) {
  if (body->size() >= 3) {
    // Two distinct paragraphs of 1 .. size - 1.
    const size_t a = 1 + rng.Below(body->size() - 1);
    size_t b = 1 + rng.Below(body->size() - 2);
    if (b >= a) ++b;
    std::swap((*body)[a], (*body)[b]);
    return true;
  }
  if (SentenceCount(*body) < 3) return false;
  // Two distinct sentences after the lead, as (paragraph, sentence).
  const auto a = RandomSentence(*body, rng, 1);
  auto b = RandomSentence(*body, rng, 1);
  while (b == a) b = RandomSentence(*body, rng, 1);
  std::swap((*body)[a.first][a.second], (*body)[b.first][b.second]);
  return true;
}

}  // namespace samestory::gen
