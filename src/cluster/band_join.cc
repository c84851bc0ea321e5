#include "cluster/band_join.h"

#include <algorithm>

// The Fortran BLAS interface, as FAISS calls it (libblas.so.3: OpenBLAS when installed).
extern "C" void sgemm_(const char* transa, const char* transb, const int* m, const int* n,
                       const int* k, const float* alpha, const float* a, const int* lda,
                       const float* b, const int* ldb, const float* beta, float* c,
                       const int* ldc);

namespace samestory::internal {

void TopKLists::Resize(size_t slots) {
  if (slots <= size_.size()) return;
  entries_.resize(slots * 2 * k_);
  size_.resize(slots, 0);
  floor_.resize(slots, std::numeric_limits<float>::lowest());
}

void TopKLists::OfferSlow(uint32_t slot, Scored s) {
  Scored* list = entries_.data() + static_cast<size_t>(slot) * 2 * k_;
  uint16_t& size = size_[slot];
  list[size++] = s;
  if (size < 2 * k_) return;
  // Full: keep the best k; the k-th best's score is the new floor (an offer at the floor may
  // still be better, by position: it enters, and the next compaction decides).
  std::nth_element(list, list + (k_ - 1), list + size, Better);
  size = static_cast<uint16_t>(k_);
  floor_[slot] = list[k_ - 1].score;
}

void TopKLists::Drain(uint32_t slot, std::vector<Scored>* out) {
  const Scored* list = entries_.data() + static_cast<size_t>(slot) * 2 * k_;
  out->insert(out->end(), list, list + size_[slot]);
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
