// Sentence rewriting (rewrite.h).
#include "gen/rewrite.h"

#include <algorithm>

#include "gen/sentences.h"
#include "gen/text_util.h"
#include "gen/word_lists.h"

namespace samestory::gen {

void RewriteSentence(std::string_view s, std::span<const Word> words, const Remap* remap, Rng& rng,
                     std::string* out) {
  out->clear();
  const size_t n = words.size();
  if (n == 0) return;
  auto text = [&](size_t i) { return s.substr(words[i].begin, words[i].size); };
  auto ends_with_comma = [&](size_t i) { return s[words[i].begin + words[i].size - 1] == ','; };
  enum { kKeep, kLeading, kTrailing } move = kKeep;
  size_t comma = 0;  // the word ending with the comma where the clauses part
  if (n >= 7 && rng.Chance(0.5) && s.find('"') == std::string_view::npos) {
    if (words[0].flags & kLeadingClause) {
      for (size_t i = 1; i + 4 < n && move == kKeep; ++i) {
        if (ends_with_comma(i)) move = kLeading, comma = i;
      }
    } else if (words[n - 1].flags & kAttribution) {
      for (size_t i = n - 2; i >= 3 && i + 6 >= n && move == kKeep; --i) {
        if (ends_with_comma(i)) move = kTrailing, comma = i;
      }
    }
  }
  // Appends words [from, to), the last without its punctuation when `strip`; inner words (not
  // the first or last of the range, without punctuation) may be dropped or swapped.
  auto emit_range = [&](size_t from, size_t to, bool strip) {
    for (size_t i = from; i < to; ++i) {
      const Word& w = words[i];
      std::string_view piece = text(i);
      if (i > from && i + 1 < to && w.core == w.size) {
        if ((w.flags & kDropThe) ? rng.Chance(0.08) : (w.flags & kDropSmall) && rng.Chance(0.3)) {
          continue;  // dropped
        }
        if (w.synonym >= 0 && rng.Chance(0.5)) piece = OtherSynonym(w.synonym, piece, rng);
      }
      const bool cut = strip && i + 1 == to;
      if (!out->empty()) out->push_back(' ');
      if (remap != nullptr && (w.flags & (kName | kDigits))) {
        AppendRemapped(*remap, w, piece.substr(0, w.core), out);
        if (!cut) out->append(piece.substr(w.core));
      } else {
        out->append(cut ? piece.substr(0, w.core) : piece);
      }
    }
  };
  const std::string_view last = text(n - 1);
  const std::string_view final_punct = last.substr(words[n - 1].core);
  switch (move) {
    case kKeep:
      emit_range(0, n, false);
      break;
    case kLeading: {  // "Under the deal, X commits." -> "X commits under the deal."
      emit_range(comma + 1, n, true);
      const size_t head = out->size() + 1;
      emit_range(0, comma + 1, true);
      Decapitalize(out, head);
      out->append(final_punct);
      break;
    }
    case kTrailing: {  // "X rose, the company said." -> "The company said that X rose."
      emit_range(comma + 1, n, true);
      out->append(" that");
      const size_t head = out->size() + 1;
      emit_range(0, comma + 1, true);
      if (words[0].flags & kOpener) Decapitalize(out, head);
      out->append(final_punct);
      break;
    }
  }
  Capitalize(out);
}

void RewriteBase(const BaseCorpus& base, uint32_t sentence, const Remap* remap, Rng& rng,
                 std::string* out) {
  RewriteSentence(base.sentences[sentence], base.WordsOf(sentence), remap, rng, out);
}

void RemapTitle(const BaseCorpus& base, const std::string& title, const Remap& remap,
                std::vector<Word>* words, std::string* out, bool sentence_case) {
  const std::string cased = TitleCase(title);
  words->clear();
  AnalyzeWords(cased, words);
  out->clear();
  for (const Word& w : *words) {
    const std::string_view piece = std::string_view(cased).substr(w.begin, w.size);
    if (!out->empty()) out->push_back(' ');
    const bool name = (w.flags & kNameLike) &&
                      std::binary_search(base.name_hashes.begin(), base.name_hashes.end(), w.hash);
    if (name || (w.flags & kDigits)) {
      Word as = w;
      as.flags = name ? kName : kDigits;
      AppendRemapped(remap, as, piece.substr(0, w.core), out);
      out->append(piece.substr(w.core));
    } else {
      const size_t at = out->size();
      out->append(piece);
      if (sentence_case && at > 0) {
        for (size_t i = at; i < out->size(); ++i) {
          if (IsAsciiUpper((*out)[i])) (*out)[i] = static_cast<char>((*out)[i] - 'A' + 'a');
        }
      }
    }
  }
}

}  // namespace samestory::gen
