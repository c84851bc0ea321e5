// A generated article's text while it is being built and edited: paragraphs of sentences. Copy
// edits work on this shape (truncate at a sentence, swap paragraphs) and JoinBody makes the text
// ("\n\n" between paragraphs, " " between sentences). Internal. Not thread-safe (a value).
#ifndef SAMESTORY_GEN_BODY_H_
#define SAMESTORY_GEN_BODY_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "gen/random.h"

namespace samestory::gen {

using Paragraph = std::vector<std::string>;  // sentences
using Body = std::vector<Paragraph>;

size_t SentenceCount(const Body& body);

// A random sentence position (paragraph, sentence), skipping the first `skip` sentences.
// REQUIRES: SentenceCount(body) > skip.
std::pair<size_t, size_t> RandomSentence(const Body& body, Rng& rng, size_t skip);

void DropEmptyParagraphs(Body* body);

// Replaces *out with the text: paragraphs joined by "\n\n", their sentences by " ".
void JoinBody(const Body& body, std::string* out);

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_BODY_H_
