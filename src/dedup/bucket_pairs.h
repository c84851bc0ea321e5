// The pairs of one LSH bucket (the documents that share a band key): the rule both the
// single-machine banding (LshBanding::Candidates) and a distributed run's owner ranks apply, so
// that the two find the same candidates. Internal.
#ifndef SAMESTORY_DEDUP_BUCKET_PAIRS_H_
#define SAMESTORY_DEDUP_BUCKET_PAIRS_H_

#include <cstddef>
#include <cstdint>
#include <limits>

namespace samestory::internal {

// "No time": an undated document, paired with any.
inline constexpr int64_t kNoBucketTime = std::numeric_limits<int64_t>::max();

// The bucket's m members are given in the windowing order (date, then input order; undated last):
// `doc(i)` is member i's document, `time(i)` its time (kNoBucketTime when undated; read only when
// max_gap > 0). Every pair when m <= window + 1, else each member with the `window` members after
// it; with max_gap > 0, dated members further apart than max_gap are not paired. `emit(x, y)`
// gets each pair (member i's document first).
template <typename Doc, typename Time, typename Emit>
void EmitBucketPairs(size_t m, size_t window, int64_t max_gap, const Doc& doc, const Time& time,
                     const Emit& emit) {
  const bool small = m <= window + 1;
  const bool timed = max_gap > 0;
  // The first undated member (they follow every dated one).
  size_t undated = m;
  if (timed) {
    while (undated > 0 && time(undated - 1) == kNoBucketTime) --undated;
  }
  for (size_t i = 0; i < m; ++i) {
    const int64_t ti = timed ? time(i) : 0;
    size_t emitted = 0;
    for (size_t j = i + 1; j < m && (small || emitted < window); ++j) {
      if (timed && ti != kNoBucketTime && j < undated && time(j) - ti > max_gap) {
        j = undated - 1;  // every dated member after j is further still
        continue;
      }
      emit(doc(i), doc(j));
      ++emitted;
    }
  }
}

}  // namespace samestory::internal

#endif  // SAMESTORY_DEDUP_BUCKET_PAIRS_H_
