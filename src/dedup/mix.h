// Mix64: a fast bijective 64-bit mixer (the SplitMix64 finalizer, Steele, Lea, Flood, "Fast
// splittable pseudorandom number generators", OOPSLA 2014). Internal.
#ifndef SAMESTORY_DEDUP_MIX_H_
#define SAMESTORY_DEDUP_MIX_H_

#include <cstdint>

namespace samestory::internal {

inline uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// x * n / 2^64: maps a 64-bit hash onto [0, n) without a division (Lemire, "Fast random integer
// generation in an interval", 2019).
inline uint64_t Reduce(uint64_t x, uint64_t n) {
  __extension__ using U128 = unsigned __int128;
  return static_cast<uint64_t>((static_cast<U128>(x) * n) >> 64);
}

}  // namespace samestory::internal

#endif  // SAMESTORY_DEDUP_MIX_H_
