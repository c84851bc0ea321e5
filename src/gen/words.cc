// Word analysis (words.h).
#include "gen/words.h"

#include <algorithm>

#include "gen/text_util.h"
#include "gen/word_lists.h"

namespace samestory::gen {
namespace {

bool LooksLikeName(std::string_view core) {
  if (core.size() < 3 || !IsAsciiUpper(core[0])) return false;
  for (size_t i = 1; i < core.size(); ++i) {
    if (!IsAsciiLower(core[i])) return false;
  }
  return !OneOf(core, kCommonCapitalized);
}

}  // namespace

void SplitWords(std::string_view s, std::vector<std::string_view>* words) {
  words->clear();
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) words->push_back(s.substr(i, j - i));
    i = j;
  }
}

std::pair<std::string_view, std::string_view> SplitPunct(std::string_view w) {
  size_t n = w.size();
  while (n > 0 && (w[n - 1] == ',' || w[n - 1] == '.' || w[n - 1] == ';' || w[n - 1] == ':' ||
                   w[n - 1] == '!' || w[n - 1] == '?' || IsClosingQuote(w[n - 1]))) {
    --n;
  }
  return {w.substr(0, n), w.substr(n)};
}

bool IsPlainNumber(std::string_view core) {
  if (core.empty() || !IsAsciiDigit(core[0])) return false;
  for (char c : core) {
    if (!IsAsciiDigit(c) && c != ',' && c != '.') return false;
  }
  return !(core.size() == 4 && (core.substr(0, 2) == "19" || core.substr(0, 2) == "20"));
}

void AnalyzeWords(std::string_view s, std::vector<Word>* out) {
  static constexpr std::string_view kLeadingClauses[] = {
      "After", "Although", "While",  "When",      "Despite", "In",    "On",   "According", "Since",
      "Under", "With",     "During", "Following", "Before",  "Until", "Amid", "Without",   "Once"};
  static constexpr std::string_view kAttributions[] = {"said",  "says",      "added",   "stated",
                                                       "noted", "explained", "reported"};
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j == i) break;
    const std::string_view w = s.substr(i, j - i);
    const std::string_view core = SplitPunct(w).first;
    Word word;
    word.begin = static_cast<uint32_t>(i);
    word.size = static_cast<uint16_t>(std::min<size_t>(w.size(), 0xFFFF));
    word.core = static_cast<uint16_t>(std::min<size_t>(core.size(), 0xFFFF));
    if (!core.empty() && IsAsciiLower(core[0])) {
      word.synonym = static_cast<int8_t>(SynonymGroup(core));
      if (core == "the") word.flags |= kDropThe;
      if (OneOf(core, kDroppableWords)) word.flags |= kDropSmall;
      if (OneOf(core, kAttributions)) word.flags |= kAttribution;
    }
    if (OneOf(w, kLeadingClauses)) word.flags |= kLeadingClause;
    if (OneOf(w, kLowercaseOpeners)) word.flags |= kOpener;
    if (LooksLikeName(core)) {
      word.flags |= kNameLike | (i > 0 ? kName : 0);  // MarkNames decides for base sentences
      word.hash = Fnv1a(core);
    } else if (IsPlainNumber(core)) {
      word.flags |= kDigits;
    }
    out->push_back(word);
    i = j;
  }
}

}  // namespace samestory::gen
