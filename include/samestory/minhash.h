// MinHasher: a set of shingle hashes -> a MinHash signature of num_perm 32-bit values.
//
// Fourth stage of the dedup pipeline (after shingles, before LSH). Each of the num_perm hash
// functions is a multiply-add-shift hash h_i(x) = ((a_i * x + b_i) mod 2^64) >> 32 of a 32-bit
// fold of the shingle's XXH3 hash, with a_i, b_i drawn from the seed: a 2-independent family
// (Dietzfelbinger 1996, "Universal hashing and k-wise independent random variables via integer
// arithmetic without primes"), which over a strong 64-bit hash behaves as min-wise independent in
// practice (Thorup 2013, "Bottom-k and priority sampling, set similarity and subset sums with
// minimal independence"). Unlike the classic (a*x+b) mod p it needs no division and vectorizes
// (an AVX-512 kernel where the CPU has it, else AVX2 or SSE2). Thread-safety: immutable; Sign() is const and thread-safe.
#ifndef SAMESTORY_MINHASH_H_
#define SAMESTORY_MINHASH_H_

#include <cstdint>
#include <span>
#include <vector>

#include "samestory/status.h"

namespace samestory {

enum class MinHashKernel {
  kAuto,      // the AVX-512 kernel where the CPU has AVX-512F, else the portable one (default)
  kPortable,  // the auto-vectorized loop (AVX2 or SSE2); for tests and comparisons
};

struct MinHashOptions {
  // Output-affecting.
  int num_perm = 128;  // signature length K; 8..1024 and a multiple of 8; default 128
  uint64_t seed = 1;   // seed of the hash functions' coefficients; default 1
  // Performance only: every kernel gives identical signatures.
  MinHashKernel kernel = MinHashKernel::kAuto;

  Status Validate() const;
};

class MinHasher {
 public:
  // Errors: InvalidArgument for bad options.
  static Result<MinHasher> Create(const MinHashOptions& options);

  // Writes num_perm() values to signature[0, num_perm()). An empty set gives all 0xFFFFFFFF.
  void Sign(std::span<const uint64_t> shingles, uint32_t* signature) const;

  int num_perm() const { return options_.num_perm; }
  const MinHashOptions& options() const { return options_; }

 private:
  explicit MinHasher(const MinHashOptions& options);
  MinHashOptions options_;
  std::vector<uint32_t> a_lo_, a_hi_;  // the 64-bit multipliers a_i, split in halves
  std::vector<uint64_t> b_;
  std::vector<uint64_t> a_lo64_, a_hi64_;  // the same halves widened, for the AVX-512 kernel
};

// Fraction of equal positions: the MinHash estimate of Jaccard similarity.
// REQUIRES: a.size() == b.size() > 0.
double EstimateJaccard(std::span<const uint32_t> a, std::span<const uint32_t> b);

// |a ∩ b| / |a ∪ b| of two sorted, distinct hash sets; 0 when both are empty.
double ExactJaccard(std::span<const uint64_t> a, std::span<const uint64_t> b);
double ExactJaccard(std::span<const uint32_t> a, std::span<const uint32_t> b);

}  // namespace samestory

#endif  // SAMESTORY_MINHASH_H_
