// The very sparse random projection of TF-IDF vectors, one implementation for the batch
// (ClusterStories) and the feed: each term adds its weight, with a random sign, to kNonZero of
// the `dim` coordinates, picked by a hash of (seed, the term's key: the 64-bit hash of its stem);
// the row is then L2-normalized. Preserves inner products in expectation (Li, Hastie, Church
// 2006); used to find candidates (re-scored exactly) and, summed per story, for the join.
// Internal.
#ifndef SAMESTORY_CLUSTER_PROJECTION_H_
#define SAMESTORY_CLUSTER_PROJECTION_H_

#include <xxhash.h>

#include <cmath>
#include <cstdint>

namespace samestory::internal {

inline constexpr int kProjectionNonZero = 4;

// Adds `weight` times term `key`'s direction to row[0, dim).
inline void AddProjectedTerm(uint64_t key, float weight, int dim, uint64_t seed, float* row) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(kProjectionNonZero));
  uint64_t h = XXH3_64bits_withSeed(&key, sizeof(key), seed);
  for (int j = 0; j < kProjectionNonZero; ++j) {
    const uint32_t bits = static_cast<uint32_t>(h >> (16 * (j % 4)));
    const int coord = static_cast<int>((bits & 0x7FFF) % static_cast<uint32_t>(dim));
    row[coord] += ((bits >> 15) & 1 ? scale : -scale) * weight;
    if (j % 4 == 3) h = XXH3_64bits_withSeed(&h, sizeof(h), seed);
  }
}

// Scales row[0, dim) to unit length (a zero row stays zero).
inline void NormalizeRow(int dim, float* row) {
  double norm = 0;
  for (int d = 0; d < dim; ++d) norm += static_cast<double>(row[d]) * row[d];
  if (norm > 0) {
    const float inv = static_cast<float>(1.0 / std::sqrt(norm));
    for (int d = 0; d < dim; ++d) row[d] *= inv;
  }
}

}  // namespace samestory::internal

#endif  // SAMESTORY_CLUSTER_PROJECTION_H_
