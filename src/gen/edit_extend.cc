// Copy edit: further paragraphs after the report's (copy_edits.h).
#include "gen/copy_edits.h"
#include "gen/rewrite.h"

namespace samestory::gen {

bool Extend(Body* body, const BaseCorpus& base, uint32_t focus, uint32_t background,
            const Entities& e, int max_paragraphs, Rng& rng, std::string* tmp) {
  const BaseCorpus::Article& thread = base.articles[background];
  const auto& pool = base.pool_by_lang[base.articles[focus].lang];
  const bool own = background != focus;
  for (int p = rng.Between(1, max_paragraphs); p > 0; --p) {
    Paragraph para;
    for (int s = rng.Between(1, 3); s > 0; --s) {
      if (own) {
        RewriteBase(base, thread.first + static_cast<uint32_t>(rng.Below(thread.count)),
                    &e.thread_remap, rng, tmp);
      } else {
        RewriteBase(base, pool[rng.Below(pool.size())], nullptr, rng, tmp);
      }
      para.push_back(*tmp);
    }
    body->push_back(std::move(para));
  }
  return true;
}

}  // namespace samestory::gen
