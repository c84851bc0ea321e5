// Sentence rewriting: how another reporter tells the same fact. A base sentence is reworded
// (synonyms swapped, small words dropped, a clause moved) and, for an event, its names and numbers
// remapped (entities.h); a base headline is remapped the same way. What makes the reports of one
// event related but not near-duplicates. Internal. Pure functions of their Rng; thread-safe.
#ifndef SAMESTORY_GEN_REWRITE_H_
#define SAMESTORY_GEN_REWRITE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gen/base_corpus.h"
#include "gen/entities.h"
#include "gen/random.h"
#include "gen/words.h"

namespace samestory::gen {

// Replaces *out with sentence `s` (whose analysed words are `words`) rewritten: about half of the
// known synonyms swapped, some small words dropped, and now and then a clause moved: "Under the
// deal, X commits." -> "X commits under the deal."; "X rose, the company said." -> "The company
// said that X rose." Sentences with quotes keep their order. With `remap` (may be null), names and
// numbers are remapped.
void RewriteSentence(std::string_view s, std::span<const Word> words, const Remap* remap, Rng& rng,
                     std::string* out);

// RewriteSentence of base sentence `sentence`.
void RewriteBase(const BaseCorpus& base, uint32_t sentence, const Remap* remap, Rng& rng,
                 std::string* out);

// Replaces *out with a base headline as an event tells it: ALL-CAPS headlines title-cased, the
// corpus's names and the numbers remapped like the text's. With `sentence_case`, the words that
// are not names and not first are lower-cased (ASCII), so that RewriteSentence finds synonyms and
// small words in them. `words` is scratch.
void RemapTitle(const BaseCorpus& base, const std::string& title, const Remap& remap,
                std::vector<Word>* words, std::string* out, bool sentence_case = false);

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_REWRITE_H_
