// Pieces of the exact ("Flat") candidate search over date-ordered projections. Internal.
//
// FAISS searches queries against a base, so a self-join computes every pair twice (once from
// each side). The band join computes each pair once, tile by tile, with BLAS sgemm (the
// routine FAISS's Flat index calls), and offers its score to both sides' best-k lists.
#ifndef SAMESTORY_CLUSTER_BAND_JOIN_H_
#define SAMESTORY_CLUSTER_BAND_JOIN_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
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

// (score, pos) as one integer that orders as Better does: a larger key is better. The score's
// bits are mapped to an unsigned order (-0 taken as +0, as the float compare does), the position
// inverted so that a smaller one wins a tie.
inline uint64_t ScoredKey(float score, uint32_t pos) {
  score += 0.0f;  // -0 -> +0
  uint32_t bits;
  std::memcpy(&bits, &score, sizeof(bits));
  bits = (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
  return (static_cast<uint64_t>(bits) << 32) | static_cast<uint32_t>(~pos);
}
inline Scored FromKey(uint64_t key) {
  uint32_t bits = static_cast<uint32_t>(key >> 32);
  bits = (bits & 0x80000000u) ? (bits & 0x7FFFFFFFu) : ~bits;
  float score;
  std::memcpy(&score, &bits, sizeof(score));
  return {score, ~static_cast<uint32_t>(key)};
}

// Moves the k largest of the keys a[0, n) to a[0, k) (in no particular order), the k-th
// largest to a[k - 1]; 1 <= k <= n. A quickselect whose partition has no data-dependent branch
// (offers enter in random order, so a branchy partition mispredicts about every other key);
// `scratch` holds 2n keys.
void SelectLargest(uint64_t* a, size_t n, size_t k, uint64_t* scratch);

// One thread's best-k lists, one per slot. Each is a buffer of up to 2k entries: offers at or
// above the list's floor are appended, and a full buffer is cut to its best k by SelectLargest,
// whose k-th score becomes the floor (cheaper than a heap when many offers enter).
class TopKLists {
 public:
  explicit TopKLists(int k) : k_(static_cast<size_t>(k)), scratch_(4 * k_) {}

  // Grows to `slots` lists (new ones empty); existing lists are kept.
  void Resize(size_t slots);

  // Offers (score, pos) to `slot`'s list. Cheap when it cannot enter: one compare.
  void Offer(uint32_t slot, float score, uint32_t pos) {
    if (score < floor_[slot]) return;
    OfferSlow(slot, ScoredKey(score, pos));
  }
  // Offers row[c], c in [c0, c1), to the row's list (slot row_slot, as position col_pos0 + c) and
  // to column c's (slot col_slots[c], as position row_pos): the same lists as Offer one pair at a
  // time. col_floor[c] is a snapshot of column c's floor, at most the floor (floors only rise),
  // and is refreshed here when the column's list changes; comparing against it skips 8 columns
  // at a time (AVX2 when the CPU has it).
  void OfferRow(const float* row, size_t c0, size_t c1, uint32_t row_slot, uint32_t row_pos,
                const uint32_t* col_slots, uint32_t col_pos0, float* col_floor);

  // The score under which an offer to `slot` cannot enter (lowest float while not full).
  float floor(uint32_t slot) const { return floor_[slot]; }
  const float* floors() const { return floor_.data(); }

  // Appends `slot`'s entries to *out (in no particular order; up to 2k of them, a superset of
  // the best k offered) and empties the list.
  void Drain(uint32_t slot, std::vector<Scored>* out);

 private:
  void OfferSlow(uint32_t slot, uint64_t key);
  // Offers row[c] to both sides, column c's floor snapshot refreshed.
  void OfferPair(float v, uint32_t row_slot, uint32_t row_pos, uint32_t col_slot, uint32_t col_pos,
                 float* col_floor) {
    if (v >= floor_[row_slot]) OfferSlow(row_slot, ScoredKey(v, col_pos));
    if (v >= *col_floor) {
      Offer(col_slot, v, row_pos);
      *col_floor = floor_[col_slot];
    }
  }
  void OfferRowAvx2(const float* row, size_t c0, size_t c1, uint32_t row_slot, uint32_t row_pos,
                    const uint32_t* col_slots, uint32_t col_pos0, float* col_floor);

  size_t k_;
  std::vector<uint64_t> entries_;  // slots x 2k keys
  std::vector<uint16_t> size_;
  std::vector<float> floor_;
  std::vector<uint64_t> scratch_;  // for SelectLargest
};

// s (na x nb, row-major) = a (na x dim) . b (nb x dim)^T, rows row-major, by BLAS sgemm.
void InnerProducts(const float* a, size_t na, const float* b, size_t nb, int dim, float* s);

}  // namespace samestory::internal

#endif  // SAMESTORY_CLUSTER_BAND_JOIN_H_
