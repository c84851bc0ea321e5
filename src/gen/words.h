// Word analysis for the generator: a sentence split at spaces into words, each word tagged once
// with what a rewrite may do with it (drop it, swap a synonym, move the clause it opens, remap it
// as a name or a number). Base sentences are analysed when the base corpus is built; template
// sentences when a report uses them. Internal. Pure functions; thread-safe.
#ifndef SAMESTORY_GEN_WORDS_H_
#define SAMESTORY_GEN_WORDS_H_

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace samestory::gen {

enum WordFlag : uint8_t {
  kDropThe = 1,        // "the": dropped now and then
  kDropSmall = 2,      // one of kDroppableWords
  kLeadingClause = 4,  // opens a clause that can move to the end ("Under the deal, ...")
  kAttribution = 8,    // "said" and the like: a trailing attribution can move to the front
  kOpener = 16,        // a sentence opener lowercased when moved inside ("The")
  kName = 32,          // a name: capitalized, and rarely seen in lower case in the corpus
  kDigits = 64,        // a number, not a year: remapped
  kNameLike = 128,     // capitalized like a name (kName when not first); `hash` is set
};

// One word of a sentence, analysed once: what a rewrite may do with it.
struct Word {
  uint32_t begin = 0;   // byte offset in the sentence
  uint16_t size = 0;    // bytes, trailing punctuation included
  uint16_t core = 0;    // bytes without trailing punctuation
  int8_t synonym = -1;  // SynonymGroup() of a lower-case word that has synonyms
  uint8_t flags = 0;    // WordFlag bits
  uint32_t hash = 0;    // FNV-1a of the word without punctuation (kNameLike words only)
};

// Appends the words of `s` (split at spaces) to *out. A capitalized word that does not open the
// sentence is taken for a name (kName); MarkNames (base_corpus.cc) revises that for base text.
void AnalyzeWords(std::string_view s, std::vector<Word>* out);

// Replaces *words with the words of `s` split at spaces; views into `s`.
void SplitWords(std::string_view s, std::vector<std::string_view>* words);

// The word without trailing punctuation (, . ; : ! ? and closing quotes), and that punctuation.
std::pair<std::string_view, std::string_view> SplitPunct(std::string_view w);

// Digits with , and . between them, but not a year (19xx, 20xx).
bool IsPlainNumber(std::string_view core);

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_WORDS_H_
