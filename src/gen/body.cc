// Paragraphs of sentences (body.h).
#include "gen/body.h"

#include <algorithm>

namespace samestory::gen {

size_t SentenceCount(const Body& body) {
  size_t n = 0;
  for (const auto& para : body) n += para.size();
  return n;
}

std::pair<size_t, size_t> RandomSentence(const Body& body, Rng& rng, size_t skip) {
  size_t total = SentenceCount(body);
  size_t k = skip + rng.Below(total - skip);
  for (size_t p = 0;; ++p) {
    if (k < body[p].size()) return {p, k};
    k -= body[p].size();
  }
}

void DropEmptyParagraphs(Body* body) {
  body->erase(
      std::remove_if(body->begin(), body->end(), [](const Paragraph& p) { return p.empty(); }),
      body->end());
}

void JoinBody(const Body& body, std::string* out) {
  out->clear();
  for (const auto& para : body) {
    if (!out->empty()) out->append("\n\n");
    for (size_t s = 0; s < para.size(); ++s) {
      if (s > 0) out->push_back(' ');
      out->append(para[s]);
    }
  }
}

}  // namespace samestory::gen
