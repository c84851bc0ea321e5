// Copy edits: what an outlet does to a wire report it republishes, one function per edit, each in
// its own file (edit_<name>.cc) with its own test (tests/gen/edit_<name>_test.cc). A copy applies
// the edits its copy stream chose (article_builder.cc) in a fixed order: reorder, truncate,
// extend, word edits, correct, boilerplate, headline, then noise over the joined text. Each edit
// draws only from the Rng it is given, so it is deterministic for a seed, and returns whether it
// changed anything (a copy is labeled by the edits that did). Internal. Pure functions;
// thread-safe.
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
#include "gen/report.h"
#include "gen/word_lists.h"
#include "gen/words.h"

namespace samestory::gen {

// A new headline: replaces *out with a headline of the event (report.h MakeTitle, or with
// TitleStyle::kVaried MakeVariedTitle from the report's `body`) other than `original`, drawing up
// to 8 times (the last draw is kept even if it is the same). REQUIRES: body for kVaried.
bool NewHeadline(const BaseCorpus& base, uint32_t focus, const Entities& e,
                 std::string_view original, Rng& rng, std::vector<Word>* words, std::string* out,
                 TitleStyle style = TitleStyle::kClassic, const Body* body = nullptr);

// A new headline for a short notice: its lead sentence's first 6-12 words, as a wire desk heads a
// flash with its lead. (A headline of another event's story, as NewHeadline would draw from the
// base corpus, is not a new headline of this notice: it names other things.) False when the lead
// has fewer than 4 words or gives the same headline.
bool NewNoticeHeadline(std::string_view lead, std::string_view original, Rng& rng,
                       std::string* out);

// Keeps the lead and the paragraphs after it: min_percent..max_percent of the paragraphs (drawn
// uniformly, rounded, at least 1, at least one cut). A text of fewer than 3 paragraphs is cut by
// sentences instead, the same way; a single sentence is left alone.
// REQUIRES: 1 <= min_percent <= max_percent <= 100.
bool Truncate(Body* body, int min_percent, int max_percent, Rng& rng);

// Swaps two paragraphs after the lead. A text of fewer than 3 paragraphs gets two sentences after
// the lead swapped instead; one of fewer than 3 sentences is left alone.
bool Reorder(Body* body, Rng& rng);

// Adds 1..max_paragraphs paragraphs of 1-3 sentences after the text: sentences of the thread's
// background article (remapped as the thread's, e.thread_remap) or, when the event has none of
// its own (background == focus), of the language's pool, rewritten. `tmp` is scratch.
bool Extend(Body* body, const BaseCorpus& base, uint32_t focus, uint32_t background,
            const Entities& e, int max_paragraphs, Rng& rng, std::string* tmp);

// Word edits at about `share` of the words (round(words x share), randomly rounded, at least 1),
// each at a random word: a small word deleted, a word swapped for a synonym, or a filler word
// inserted (the fallbacks: another lower-case word of the sentence deleted, an insertion); never
// the first or last word of a sentence, nor a sentence of fewer than 4 words. Each edit changes
// the word count by at most 2 ("so far"). `split` and `tmp` are scratch.
bool EditWords(Body* body, double share, Rng& rng, std::vector<std::string_view>* split,
               std::string* tmp);

// A correction: one figure of the text (a number, not a year) gets one digit changed, and with
// probability `mark_rate` the title is prefixed with `mark` ("CORRECTED-"). False, and nothing
// changed, when the text has no figure.
bool Correct(Body* body, std::string* title, std::string_view mark, double mark_rate, Rng& rng);

// 1..max_lines distinct boilerplate lines of `lang` (newsletter, ad, credit, copyright; {S} is the
// outlet), each its own paragraph: at the top or the end (40% each) or in between.
// REQUIRES: 1 <= max_lines.
bool AddBoilerplate(Body* body, Lang lang, uint64_t outlet, int max_lines, Rng& rng);

// OCR-like noise: each ASCII character but a newline is garbled with probability `rate`: a letter
// or digit confused with a look-alike ("m" -> "rn", "rn" -> "m", "l" -> "1", "O" -> "0", "e" ->
// "c", "d" -> "cl", ...), dropped, or followed by an added space; a space lost (two words run
// together); punctuation confused ("," <-> ".") or dropped. Bytes of UTF-8 sequences are never
// touched, so the text stays valid UTF-8. `tmp` is scratch (swapped with *text).
bool AddNoise(std::string* text, double rate, Rng& rng, std::string* tmp);

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_COPY_EDITS_H_
