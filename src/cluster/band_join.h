// Pieces of the exact ("Flat") candidate search over date-ordered projections. Internal.
//
// FAISS searches queries against a base, so a self-join computes every pair twice (once from
// each side). The band join computes each pair once, tile by tile, with BLAS sgemm (the
// routine FAISS's Flat index calls), and offers its score to both sides' best-k lists.
#ifndef SAMESTORY_CLUSTER_BAND_JOIN_H_
#define SAMESTORY_CLUSTER_BAND_JOIN_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace samestory::internal {

// A neighbour candidate: its inner product and its position (the document's rank in date order).
struct Scored {
  float score;
  uint32_t pos;
};

// Better: higher score, then smaller position. A strict total order over distinct positions,
// so the best k of any set do not depend on the order they were offered in.
inline bool Better(const Scored& a, const Scored& b) {
  return a.score != b.score ? a.score > b.score : a.pos < b.pos;
}

// One thread's best-k lists, one per slot. Each is a buffer of up to 2k entries: offers at or
// above the list's floor are appended, and a full buffer is cut to its best k by nth_element,
// whose k-th score becomes the floor (cheaper than a heap when many offers enter).
class TopKLists {
 public:
  explicit TopKLists(int k) : k_(static_cast<size_t>(k)) {}

  // Grows to `slots` lists (new ones empty); existing lists are kept.
  void Resize(size_t slots);

  // Offers (score, pos) to `slot`'s list. Cheap when it cannot enter: one compare.
  void Offer(uint32_t slot, float score, uint32_t pos) {
    if (score < floor_[slot]) return;
    OfferSlow(slot, {score, pos});
  }
  // The score under which an offer to `slot` cannot enter (lowest float while not full).
  float floor(uint32_t slot) const { return floor_[slot]; }
  const float* floors() const { return floor_.data(); }

  // Appends `slot`'s entries to *out (in no particular order; up to 2k of them, a superset of
  // the best k offered) and empties the list.
  void Drain(uint32_t slot, std::vector<Scored>* out);

 private:
  void OfferSlow(uint32_t slot, Scored s);

  size_t k_;
  std::vector<Scored> entries_;  // slots x 2k
  std::vector<uint16_t> size_;
  std::vector<float> floor_;
};

// s (na x nb, row-major) = a (na x dim) . b (nb x dim)^T, rows row-major, by BLAS sgemm.
void InnerProducts(const float* a, size_t na, const float* b, size_t nb, int dim, float* s);

}  // namespace samestory::internal

#endif  // SAMESTORY_CLUSTER_BAND_JOIN_H_
