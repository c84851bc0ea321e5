// Sentence splitting and selection for the generator's base corpus: a base article's text is cut
// into sentences, and only those worth reusing in a made-up report are kept. Internal. Pure
// functions; thread-safe.
#ifndef SAMESTORY_GEN_SENTENCES_H_
#define SAMESTORY_GEN_SENTENCES_H_

#include <string>
#include <string_view>
#include <vector>

namespace samestory::gen {

// Appends the sentences of `text` to *out, whitespace collapsed to single spaces. A sentence ends
// at . ! or ? (and any closing quotes) followed by a space and an upper-case letter, digit, quote
// or non-ASCII byte, unless the word before the period is an abbreviation ("Mr.", "U.S.", an
// initial); a blank line always ends one.
void SplitSentences(std::string_view text, std::vector<std::string>* out);

// A sentence worth reusing: 6..80 words, at least 70% of them starting with a letter, not
// shouting, opening like a sentence and ending with sentence punctuation.
bool UsableSentence(std::string_view s);

// "BAHIA COCOA REVIEW" -> "Bahia Cocoa Review"; titles with lower case are kept.
std::string TitleCase(std::string_view title);

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_SENTENCES_H_
