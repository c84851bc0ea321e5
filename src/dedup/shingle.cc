#include "samestory/shingle.h"

// Inlined: shingles and tokens are short, and a call into the shared library costs more
// than hashing them.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>

namespace samestory {

Status ShingleOptions::Validate() const {
  if (size < 1 || size > 64) return Status::InvalidArgument("shingle size must be in [1, 64]");
  return Status::OK();
}

Result<Shingler> Shingler::Create(const ShingleOptions& options) {
  if (Status s = options.Validate(); !s.ok()) return s;
  return Shingler(options);
}

namespace {

// Start offsets of the UTF-8 code points of s, plus s.size() at the end.
void CodePointStarts(std::string_view s, std::vector<uint32_t>* starts) {
  starts->clear();
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts->push_back(static_cast<uint32_t>(i));
  }
  starts->push_back(static_cast<uint32_t>(s.size()));
}

}  // namespace

void Shingler::Shingle(const TokenList& tokens, std::vector<uint64_t>* out) const {
  ShingleUnordered(tokens, out);
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

void Shingler::ShingleUnordered(const TokenList& tokens, std::vector<uint64_t>* out) const {
  out->clear();
  const size_t k = static_cast<size_t>(options_.size);
  if (options_.kind == ShingleKind::kWord) {
    if (tokens.size() < k) return;
    thread_local std::vector<uint64_t> token_hashes;
    token_hashes.resize(tokens.size());
    for (size_t i = 0; i < tokens.size(); ++i) {
      std::string_view t = tokens[i];
      token_hashes[i] = XXH3_64bits_withSeed(t.data(), t.size(), options_.seed);
    }
    out->resize(tokens.size() - k + 1);
    for (size_t i = 0; i + k <= tokens.size(); ++i) {
      (*out)[i] = XXH3_64bits_withSeed(&token_hashes[i], k * sizeof(uint64_t), options_.seed);
    }
  } else {
    thread_local std::string joined;
    thread_local std::vector<uint32_t> starts;
    joined.clear();
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (i > 0) joined.push_back(' ');
      joined.append(tokens[i]);
    }
    CodePointStarts(joined, &starts);
    const size_t code_points = starts.size() - 1;
    if (code_points < k) return;
    out->resize(code_points - k + 1);
    for (size_t i = 0; i + k <= code_points; ++i) {
      (*out)[i] = XXH3_64bits_withSeed(joined.data() + starts[i], starts[i + k] - starts[i],
                                       options_.seed);
    }
  }
}

uint64_t Shingler::SequenceHash(const TokenList& tokens) const {
  // A hash of the per-token hashes: token boundaries count, so "ab c" and "a bc" differ.
  thread_local std::vector<uint64_t> token_hashes;
  token_hashes.resize(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string_view t = tokens[i];
    token_hashes[i] = XXH3_64bits_withSeed(t.data(), t.size(), options_.seed);
  }
  return XXH3_64bits_withSeed(token_hashes.data(), token_hashes.size() * sizeof(uint64_t),
                              options_.seed ^ 0x5eb0e5ce5eb0e5ceULL);
}

}  // namespace samestory
