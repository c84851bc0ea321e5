// Copy edit: a new headline (copy_edits.h).
#include <algorithm>
#include <cassert>
#include <string>
#include <vector>

#include "gen/copy_edits.h"
#include "gen/report.h"

namespace samestory::gen {

bool NewHeadline(const BaseCorpus& base, uint32_t focus, const Entities& e,
                 std::string_view original, Rng& rng, std::vector<Word>* words, std::string* out,
                 TitleStyle style, const Body* body) {
  assert(style == TitleStyle::kClassic || body != nullptr);
  out->assign(original);
  std::string tmp;
  for (int tries = 0; tries < 8 && *out == original; ++tries) {
    if (style == TitleStyle::kVaried) {
      MakeVariedTitle(base, focus, e, *body, rng, words, &tmp, out);
    } else {
      MakeTitle(base, focus, e, rng, words, out);
    }
  }
  return *out != original;
}

bool NewNoticeHeadline(std::string_view lead, std::string_view original, Rng& rng,
                       std::string* out) {
  std::vector<std::string_view> words;
  for (size_t i = 0; i < lead.size();) {
    while (i < lead.size() && lead[i] == ' ') ++i;
    const size_t start = i;
    while (i < lead.size() && lead[i] != ' ') ++i;
    if (i > start) words.push_back(lead.substr(start, i - start));
  }
  if (words.size() < 4) return false;
  const size_t keep = std::min<size_t>(words.size(), 6 + static_cast<size_t>(rng.Below(7)));
  out->clear();
  for (size_t k = 0; k < keep; ++k) {
    if (k) out->push_back(' ');
    out->append(words[k]);
  }
  while (!out->empty() && (out->back() == '.' || out->back() == ',' || out->back() == ';')) {
    out->pop_back();
  }
  return *out != original;
}

}  // namespace samestory::gen
