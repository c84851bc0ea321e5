// Copy edit: truncation (copy_edits.h).
#include <algorithm>

#include "gen/copy_edits.h"

namespace samestory::gen {

void Truncate(Body* body, Rng& rng) {
  const size_t total = SentenceCount(*body);
  size_t keep = std::max<size_t>(1, (total * static_cast<size_t>(rng.Between(40, 90)) + 99) / 100);
  for (auto& para : *body) {
    if (para.size() <= keep) {
      keep -= para.size();
    } else {
      para.resize(keep);
      keep = 0;
    }
  }
  DropEmptyParagraphs(body);
}

}  // namespace samestory::gen
