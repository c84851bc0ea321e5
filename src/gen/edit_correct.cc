// Copy edit: a corrected figure (copy_edits.h).
#include "gen/copy_edits.h"
#include "gen/text_util.h"

namespace samestory::gen {
namespace {

// Calls f(sentence, begin, size) for every figure (IsPlainNumber) of the body, in order, until f
// returns true.
template <typename F>
void ForEachFigure(Body* body, F f) {
  for (Paragraph& para : *body) {
    for (std::string& sentence : para) {
      size_t i = 0;
      while (i < sentence.size()) {
        while (i < sentence.size() && sentence[i] == ' ') ++i;
        size_t j = i;
        while (j < sentence.size() && sentence[j] != ' ') ++j;
        const std::string_view core = SplitPunct(std::string_view(sentence).substr(i, j - i)).first;
        if (IsPlainNumber(core) && f(sentence, i, core.size())) return;
        i = j;
      }
    }
  }
}

}  // namespace

bool Correct(Body* body, std::string* title, std::string_view mark, double mark_rate, Rng& rng) {
  uint64_t figures = 0;
  ForEachFigure(body, [&](std::string&, size_t, size_t) { return ++figures, false; });
  const bool marked = rng.Chance(mark_rate);
  if (figures == 0) return false;
  uint64_t pick = rng.Below(figures);
  ForEachFigure(body, [&](std::string& sentence, size_t begin, size_t size) {
    if (pick-- > 0) return false;
    // One of its digits, another digit (not a leading zero).
    uint64_t digits = 0;
    for (size_t k = begin; k < begin + size; ++k) digits += IsAsciiDigit(sentence[k]);
    uint64_t which = rng.Below(digits);
    for (size_t k = begin; k < begin + size; ++k) {
      if (!IsAsciiDigit(sentence[k]) || which-- > 0) continue;
      const int old = sentence[k] - '0';
      const bool leading = k == begin && size > 1;
      int digit;
      do digit = static_cast<int>(rng.Below(10));
      while (digit == old || (leading && digit == 0));
      sentence[k] = static_cast<char>('0' + digit);
      break;
    }
    return true;
  });
  if (marked) title->insert(0, mark);
  return true;
}

}  // namespace samestory::gen
