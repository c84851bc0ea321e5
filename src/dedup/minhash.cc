#include "samestory/minhash.h"

#include <algorithm>
#include <limits>
#include <random>

namespace samestory {

Status MinHashOptions::Validate() const {
  if (num_perm < 8 || num_perm > 1024 || num_perm % 8 != 0) {
    return Status::InvalidArgument("num_perm must be a multiple of 8 in [8, 1024]");
  }
  return Status::OK();
}

Result<MinHasher> MinHasher::Create(const MinHashOptions& options) {
  if (Status s = options.Validate(); !s.ok()) return s;
  return MinHasher(options);
}

MinHasher::MinHasher(const MinHashOptions& options) : options_(options) {
  // std::mt19937_64's output sequence is fixed by the C++ standard, so signatures are the same
  // with every standard library.
  std::mt19937_64 rng(options.seed);
  const size_t k = static_cast<size_t>(options.num_perm);
  a_lo_.resize(k);
  a_hi_.resize(k);
  b_.resize(k);
  for (size_t i = 0; i < k; ++i) {
    uint64_t a = rng() | 1;  // odd multiplier
    a_lo_[i] = static_cast<uint32_t>(a);
    a_hi_[i] = static_cast<uint32_t>(a >> 32);
    b_[i] = rng();
  }
}

namespace {

// The hot loop: for each shingle x and each i, sig[i] = min(sig[i], (a_i * x + b_i) >> 32),
// a_i * x computed as a_lo * x + (a_hi * x) << 32 so that it maps onto 32x32->64 vector multiplies.
__attribute__((target_clones("avx512f", "avx2", "default"))) void SignKernel(
    const uint64_t* shingles, size_t n, const uint32_t* __restrict a_lo,
    const uint32_t* __restrict a_hi, const uint64_t* __restrict b, size_t k,
    uint32_t* __restrict sig) {
  for (size_t i = 0; i < k; ++i) sig[i] = std::numeric_limits<uint32_t>::max();
  for (size_t j = 0; j < n; ++j) {
    const uint64_t s = shingles[j];
    const uint32_t x = static_cast<uint32_t>(s ^ (s >> 32));
    for (size_t i = 0; i < k; ++i) {
      const uint64_t h = static_cast<uint64_t>(a_lo[i]) * x +
                         (static_cast<uint64_t>(a_hi[i] * x) << 32) + b[i];
      const uint32_t v = static_cast<uint32_t>(h >> 32);
      sig[i] = v < sig[i] ? v : sig[i];
    }
  }
}

}  // namespace

void MinHasher::Sign(std::span<const uint64_t> shingles, uint32_t* signature) const {
  SignKernel(shingles.data(), shingles.size(), a_lo_.data(), a_hi_.data(), b_.data(),
             a_lo_.size(), signature);
}

double EstimateJaccard(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  assert(a.size() == b.size() && !a.empty());
  size_t equal = 0;
  for (size_t i = 0; i < a.size(); ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / static_cast<double>(a.size());
}

double ExactJaccard(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  if (a.empty() && b.empty()) return 0.0;
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

}  // namespace samestory
