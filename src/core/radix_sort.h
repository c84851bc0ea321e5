// RadixSortBy: a stable least-significant-digit radix sort of a vector by an unsigned integer key
// of up to 64 bits, 8 bits a pass, a pass skipped when every element has the same byte there
// (keys that vary in few bytes cost few passes). About 4x std::sort on the LSH's band entries.
// Internal; used by the single machine's bands (dedup/lsh.cc) and the distributed shuffle's.
#ifndef SAMESTORY_CORE_RADIX_SORT_H_
#define SAMESTORY_CORE_RADIX_SORT_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace samestory::internal {

// Sorts *v by key(element) (an unsigned integer of `bits` bits, at most 64), stably; *scratch
// is working space (resized to v's size).
template <typename T, typename Key>
void RadixSortBy(std::vector<T>* v, std::vector<T>* scratch, int bits, const Key& key) {
  const size_t n = v->size();
  if (n < 2) return;
  scratch->resize(n);
  T* from = v->data();
  T* to = scratch->data();
  bool in_scratch = false;
  for (int shift = 0; shift < bits; shift += 8) {
    size_t count[257] = {};
    for (size_t i = 0; i < n; ++i) ++count[((key(from[i]) >> shift) & 0xFF) + 1];
    if (count[((key(from[0]) >> shift) & 0xFF) + 1] == n) continue;
    for (int b = 0; b < 256; ++b) count[b + 1] += count[b];
    for (size_t i = 0; i < n; ++i) to[count[(key(from[i]) >> shift) & 0xFF]++] = from[i];
    std::swap(from, to);
    in_scratch = !in_scratch;
  }
  if (in_scratch) v->swap(*scratch);
}

}  // namespace samestory::internal

#endif  // SAMESTORY_CORE_RADIX_SORT_H_
