// Shingler: tokens -> the set of hashed k-shingles of a document.
//
// Third stage of the dedup pipeline (after the tokenizer, before MinHash). Word k-shingles by
// default, character n-grams as an option, hashed with XXH3-64 and a seed. Word shingles hash the
// sequence of per-token hashes, so "ab c" and "a bc" never collide by construction.
// Thread-safety: a Shingler is immutable; Shingle() is const and thread-safe.
#ifndef SAMESTORY_SHINGLE_H_
#define SAMESTORY_SHINGLE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "samestory/status.h"
#include "samestory/text.h"

namespace samestory {

enum class ShingleKind {
  kWord,  // k consecutive word tokens (default)
  kChar,  // k consecutive code points of the tokens joined by single spaces
};

struct ShingleOptions {
  ShingleKind kind = ShingleKind::kWord;  // what a shingle is made of; default kWord
  int size = 5;         // k, tokens (kWord) or code points (kChar) per shingle; 1..64; default 5
  uint64_t seed = 0;    // XXH3 seed of shingle hashes; default 0

  Status Validate() const;
};

class Shingler {
 public:
  // Errors: InvalidArgument for bad options.
  static Result<Shingler> Create(const ShingleOptions& options);

  // Replaces *out with the sorted, distinct 64-bit hashes of the shingles of `tokens`. A text
  // with fewer than k units (tokens or code points) has no shingle: *out is left empty.
  void Shingle(const TokenList& tokens, std::vector<uint64_t>* out) const;

  // As Shingle(), but in text order with repeats kept: enough for MinHash, which is insensitive
  // to order and repeats, and saves the sort on the hot path.
  void ShingleUnordered(const TokenList& tokens, std::vector<uint64_t>* out) const;

  // A hash of the whole token sequence: equal for texts with identical tokens. Used to find exact
  // duplicates among texts too short to shingle.
  uint64_t SequenceHash(const TokenList& tokens) const;

  const ShingleOptions& options() const { return options_; }

 private:
  explicit Shingler(const ShingleOptions& options) : options_(options) {}
  ShingleOptions options_;
};

}  // namespace samestory

#endif  // SAMESTORY_SHINGLE_H_
