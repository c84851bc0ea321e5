// Copy edit: a new headline (copy_edits.h).
#include "gen/copy_edits.h"
#include "gen/report.h"

namespace samestory::gen {

bool NewHeadline(const BaseCorpus& base, uint32_t focus, const Entities& e,
                 std::string_view original, Rng& rng, std::vector<Word>* words, std::string* out) {
  out->assign(original);
  for (int tries = 0; tries < 8 && *out == original; ++tries) {
    MakeTitle(base, focus, e, rng, words, out);
  }
  return *out != original;
}

}  // namespace samestory::gen
