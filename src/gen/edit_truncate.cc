// Copy edit: truncation (copy_edits.h).
#include <algorithm>

#include "gen/copy_edits.h"

namespace samestory::gen {
namespace {

// round(n x percent / 100), kept in [1, n - 1]. REQUIRES: n >= 2.
size_t Keep(size_t n, int percent) {
  const size_t keep = (n * static_cast<size_t>(percent) + 50) / 100;
  return std::clamp<size_t>(keep, 1, n - 1);
}

}  // namespace

bool Truncate(Body* body, int min_percent, int max_percent, Rng& rng) {
  const int percent = rng.Between(min_percent, max_percent);
  if (body->size() >= 3) {
    body->resize(Keep(body->size(), percent));
    return true;
  }
  const size_t total = SentenceCount(*body);
  if (total < 2) return false;
  size_t keep = Keep(total, percent);
  for (auto& para : *body) {
    if (para.size() <= keep) {
      keep -= para.size();
    } else {
      para.resize(keep);
      keep = 0;
    }
  }
  DropEmptyParagraphs(body);
  return true;
}

}  // namespace samestory::gen
