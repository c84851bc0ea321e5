#include "cluster/band_join.h"

#include <immintrin.h>

#include <algorithm>

// The Fortran BLAS interface, as FAISS calls it (libblas.so.3: OpenBLAS when installed).
extern "C" void sgemm_(const char* transa, const char* transb, const int* m, const int* n,
                       const int* k, const float* alpha, const float* a, const int* lda,
                       const float* b, const int* ldb, const float* beta, float* c,
                       const int* ldc);

namespace samestory::internal {

void SelectLargest(uint64_t* a, size_t n, size_t k, uint64_t* scratch) {
  uint64_t* above = scratch;
  uint64_t* below = scratch + n;
  size_t lo = 0, hi = n;  // the k-th largest lies in [lo, hi); [0, lo) holds larger keys
  while (hi - lo > 1) {
    const uint64_t x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1];
    const uint64_t pivot = std::max(std::min(x, y), std::min(std::max(x, y), z));
    size_t up = 0, down = 0;
    for (size_t i = lo; i < hi; ++i) {
      const uint64_t v = a[i];
      above[up] = v;
      below[down] = v;
      up += v > pivot;
      down += v < pivot;
    }
    const size_t equal = hi - lo - up - down;  // the pivot, and any key equal to it
    std::copy_n(above, up, a + lo);
    std::fill_n(a + lo + up, equal, pivot);
    std::copy_n(below, down, a + lo + up + equal);
    const size_t at = lo + up;  // the pivot's first rank
    if (k - 1 >= at && k - 1 < at + equal) return;
    if (at > k - 1) {
      hi = at;
    } else {
      lo = at + equal;
    }
  }
}

void TopKLists::Resize(size_t slots) {
  if (slots <= size_.size()) return;
  entries_.resize(slots * 2 * k_);
  size_.resize(slots, 0);
  floor_.resize(slots, std::numeric_limits<float>::lowest());
}

void TopKLists::OfferSlow(uint32_t slot, uint64_t key) {
  uint64_t* list = entries_.data() + static_cast<size_t>(slot) * 2 * k_;
  uint16_t& size = size_[slot];
  list[size++] = key;
  if (size < 2 * k_) return;
  // Full: keep the best k; the k-th best's score is the new floor (an offer at the floor may
  // still be better, by position: it enters, and the next compaction decides).
  SelectLargest(list, size, k_, scratch_.data());
  size = static_cast<uint16_t>(k_);
  floor_[slot] = FromKey(list[k_ - 1]).score;
}

void TopKLists::OfferRow(const float* row, size_t c0, size_t c1, uint32_t row_slot,
                         uint32_t row_pos, const uint32_t* col_slots, uint32_t col_pos0,
                         float* col_floor) {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) {
    OfferRowAvx2(row, c0, c1, row_slot, row_pos, col_slots, col_pos0, col_floor);
    return;
  }
  for (size_t c = c0; c < c1; ++c) {
    OfferPair(row[c], row_slot, row_pos, col_slots[c], col_pos0 + static_cast<uint32_t>(c),
              col_floor + c);
  }
}

__attribute__((target("avx2"))) void TopKLists::OfferRowAvx2(
    const float* row, size_t c0, size_t c1, uint32_t row_slot, uint32_t row_pos,
    const uint32_t* col_slots, uint32_t col_pos0, float* col_floor) {
  size_t c = c0;
  __m256 row_floor = _mm256_set1_ps(floor_[row_slot]);
  for (; c + 8 <= c1; c += 8) {
    const __m256 v = _mm256_loadu_ps(row + c);
    unsigned hits = static_cast<unsigned>(_mm256_movemask_ps(
        _mm256_or_ps(_mm256_cmp_ps(v, row_floor, _CMP_GE_OQ),
                     _mm256_cmp_ps(v, _mm256_loadu_ps(col_floor + c), _CMP_GE_OQ))));
    if (hits == 0) continue;
    do {
      const size_t at = c + static_cast<size_t>(__builtin_ctz(hits));
      hits &= hits - 1;
      OfferPair(row[at], row_slot, row_pos, col_slots[at], col_pos0 + static_cast<uint32_t>(at),
                col_floor + at);
    } while (hits != 0);
    row_floor = _mm256_set1_ps(floor_[row_slot]);
  }
  for (; c < c1; ++c) {
    OfferPair(row[c], row_slot, row_pos, col_slots[c], col_pos0 + static_cast<uint32_t>(c),
              col_floor + c);
  }
}

void TopKLists::Drain(uint32_t slot, std::vector<Scored>* out) {
  const uint64_t* list = entries_.data() + static_cast<size_t>(slot) * 2 * k_;
  for (size_t e = 0; e < size_[slot]; ++e) out->push_back(FromKey(list[e]));
  size_[slot] = 0;
  floor_[slot] = std::numeric_limits<float>::lowest();
}

void InnerProducts(const float* a, size_t na, const float* b, size_t nb, int dim, float* s) {
  // Column-major view: s^T (nb x na) = b^T' . a', where a row-major (na x dim) matrix is the
  // column-major (dim x na) one.
  const int m = static_cast<int>(nb), n = static_cast<int>(na), k = dim;
  const float one = 1.0f, zero = 0.0f;
  sgemm_("T", "N", &m, &n, &k, &one, b, &k, a, &k, &zero, s, &m);
}

}  // namespace samestory::internal
