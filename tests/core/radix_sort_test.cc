// Tests for RadixSortBy (src/core/radix_sort.h): the same order as std::stable_sort by the key,
// for keys varying in every byte, in a few bytes (skipped passes), all equal, and high bytes only.
#include "core/radix_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace samestory::internal {
namespace {

struct Item {
  uint64_t key;
  uint32_t seq;  // input position: equal keys must keep it ascending (stability)
  bool operator==(const Item& o) const { return key == o.key && seq == o.seq; }
};

void ExpectSortedLikeStableSort(std::vector<Item> items, int bits) {
  std::vector<Item> want = items;
  std::stable_sort(want.begin(), want.end(),
                   [](const Item& a, const Item& b) { return a.key < b.key; });
  std::vector<Item> scratch;
  RadixSortBy(&items, &scratch, bits, [](const Item& i) { return i.key; });
  EXPECT_EQ(items, want);
}

TEST(RadixSortTest, MatchesStableSort) {
  std::mt19937_64 rng(7);
  for (uint64_t mask : {~uint64_t{0}, uint64_t{0xFF00FF}, uint64_t{0}, uint64_t{0x7} << 61,
                        uint64_t{0x3F} << 32}) {
    SCOPED_TRACE(mask);
    std::vector<Item> items;
    for (uint32_t i = 0; i < 5000; ++i) {
      items.push_back({rng() & mask & (rng() | ~uint64_t{0x0F}), i});
    }
    ExpectSortedLikeStableSort(items, 64);
  }
  // 32-bit keys sorted in 32 bits.
  std::vector<Item> items;
  for (uint32_t i = 0; i < 3000; ++i) items.push_back({rng() % 97, i});
  ExpectSortedLikeStableSort(items, 32);
  // Nothing and one element.
  ExpectSortedLikeStableSort({}, 64);
  ExpectSortedLikeStableSort({{5, 0}}, 64);
}

}  // namespace
}  // namespace samestory::internal
