// The generator's base corpus: real articles cut into usable sentences, each sentence's words
// analysed once (words.h), the names among them marked, and the articles indexed by language.
// Reports are made of these sentences. Built once by CorpusGenerator::Create; immutable after,
// so it may be read from any thread. Internal.
#ifndef SAMESTORY_GEN_BASE_CORPUS_H_
#define SAMESTORY_GEN_BASE_CORPUS_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "gen/words.h"
#include "samestory/document.h"
#include "samestory/status.h"

namespace samestory::gen {

// An article needs this many usable sentences to seed an event.
inline constexpr int kMinSeedSentences = 3;

struct BaseCorpus {
  struct Article {
    std::string title;
    uint32_t lang = 0;   // index into langs
    uint32_t first = 0;  // sentences [first, first + count)
    uint32_t count = 0;
  };
  std::vector<std::string> sentences;
  std::vector<Word> words;              // the words of every sentence, back to back
  std::vector<uint32_t> word_begin{0};  // sentence s has words [word_begin[s], word_begin[s + 1])
  std::vector<uint32_t> name_hashes;    // Word::hash of every name, sorted (for headlines)
  std::vector<Article> articles;        // base articles with at least one usable sentence
  std::vector<std::string> langs;
  std::vector<std::vector<uint32_t>> seeds_by_lang;  // articles that can seed an event, per lang
  std::vector<std::vector<uint32_t>> pool_by_lang;   // sentence indices, per lang
  std::vector<uint32_t> seeds;                       // all articles that can seed an event

  // The words of sentence `s`. REQUIRES: s < sentences.size().
  std::span<const Word> WordsOf(uint32_t s) const {
    return {words.data() + word_begin[s], word_begin[s + 1] - word_begin[s]};
  }
};

// Splits `docs` into sentences (records with an error or no text are ignored) and keeps the usable
// ones; `docs` may be dropped afterwards. Errors: InvalidArgument when no article has
// kMinSeedSentences usable sentences.
Result<std::shared_ptr<const BaseCorpus>> BuildBaseCorpus(std::span<const Document> docs);

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_BASE_CORPUS_H_
