// Copy edits: what an outlet does to a wire report it republishes, one function per edit, each in
// its own file (edit_<name>.cc) with its own test (tests/gen/edit_<name>_test.cc). A copy applies
// the edits its copy stream chose (article_builder.cc) in a fixed order: reorder, truncate, word
// edits, boilerplate, headline, then noise over the joined text. Each edit draws only from the Rng
// it is given, so it is deterministic for a seed. Internal. Pure functions; thread-safe.
#ifndef SAMESTORY_GEN_COPY_EDITS_H_
#define SAMESTORY_GEN_COPY_EDITS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gen/base_corpus.h"
#include "gen/body.h"
#include "gen/entities.h"
#include "gen/random.h"
#include "gen/word_lists.h"
#include "gen/words.h"

namespace samestory::gen {

// A new headline: replaces *out with a headline of the event (report.h MakeTitle) other than
// `original`, drawing up to 8 times (the last draw is kept even if it is the same).
void NewHeadline(const BaseCorpus& base, uint32_t focus, const Entities& e,
                 std::string_view original, Rng& rng, std::vector<Word>* words, std::string* out);

// Keeps the first 40-90% of the sentences (rounded up, at least one), in order.
void Truncate(Body* body, Rng& rng);

// Swaps two neighbouring paragraphs (not the first), or drops one sentence (not the lead; the
// shortest of three picked at random) from a text of 6+ sentences; a short text of one or two
// paragraphs gets two of its sentences swapped instead (none under 3 sentences). Each breaks a
// dozen 5-shingles or so.
void Reorder(Body* body, Rng& rng);

// 1 .. max(1, words / 60) word edits, each in a random sentence of 4+ words: a small word deleted,
// a word swapped for a synonym, or an adverb inserted (the fallback when the sentence has nothing
// to delete or swap); never the first or last word of a sentence. Each touches at most 5 word
// 5-shingles. `words` and `tmp` are scratch.
void EditWords(Body* body, Rng& rng, std::vector<std::string_view>* words, std::string* tmp);

// 1-2 distinct boilerplate lines of `lang` (newsletter, ad, credit, copyright; {S} is the outlet),
// each its own paragraph: at the top or the end (40% each) or in between.
void AddBoilerplate(Body* body, Lang lang, uint64_t outlet, Rng& rng);

// OCR-like noise: each ASCII letter or digit is, with probability `rate`, confused with a
// look-alike ("m" -> "rn", "rn" -> "m", "l" -> "1", "O" -> "0", "e" -> "c", ...) or dropped. Other
// bytes (UTF-8 sequences among them) are never touched, so the text stays valid UTF-8. `tmp` is
// scratch (swapped with *text).
void AddNoise(std::string* text, double rate, Rng& rng, std::string* tmp);

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_COPY_EDITS_H_
