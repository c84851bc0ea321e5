// The TF-IDF weighting rule, one implementation for the fitted model (TfidfBuilder, TfidfModel:
// the batch) and the running document frequencies of the news feed (DocumentFrequencies):
//   term weight  tf' = 1 + ln(tf) when sublinear_tf and tf >= 1, else tf;
//   idf          1 + ln((1 + n) / (1 + df)) (smoothed, as scikit-learn's);
//   a term is dropped when df < min_df, or when n >= max_df_min_documents and df > max_df * n.
// Internal.
#ifndef SAMESTORY_CLUSTER_DOCUMENT_FREQUENCIES_H_
#define SAMESTORY_CLUSTER_DOCUMENT_FREQUENCIES_H_

#include <cmath>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "samestory/tfidf.h"

namespace samestory::internal {

inline double TermWeight(const TfidfOptions& o, double count) {
  return o.sublinear_tf && count >= 1.0 ? 1.0 + std::log(count) : count;
}

inline double SmoothedIdf(double documents, double df) {
  return 1.0 + std::log((1.0 + documents) / (1.0 + df));
}

inline bool DroppedTerm(const TfidfOptions& o, uint64_t documents, uint64_t df) {
  return df < static_cast<uint64_t>(o.min_df) ||
         (documents >= static_cast<uint64_t>(o.max_df_min_documents) &&
          static_cast<double>(df) > o.max_df * static_cast<double>(documents));
}

// Document frequencies that rise as documents arrive and fall as they leave (the feed's story
// window). Each distinct term present gets a slot, a small integer reused once the term is gone,
// so that callers can keep per-slot arrays (a dense scatter vector). Not thread-safe.
class DocumentFrequencies {
 public:
  explicit DocumentFrequencies(const TfidfOptions& options);

  // A document's terms, as slots with their term weights (TermWeight of the count).
  using Terms = std::vector<std::pair<uint32_t, float>>;
  // Counts a document; appends its terms' slots and weights to *out.
  void Add(std::span<const TermCount> terms, Terms* out);
  // Uncounts a document added before (its Add output).
  void Remove(const Terms& terms);

  uint64_t documents() const { return documents_; }
  // Slots ever handed out (an upper bound of the slot numbers).
  size_t slots() const { return df_.size(); }
  uint32_t df(uint32_t slot) const { return df_[slot]; }
  // The rule above under the current counts.
  bool Dropped(uint32_t slot) const { return DroppedTerm(options_, documents_, df_[slot]); }
  double Idf(uint32_t slot) const;

 private:
  uint32_t Slot(uint64_t term);

  TfidfOptions options_;
  uint64_t documents_ = 0;
  double log_n1_ = 0;  // ln(1 + documents)
  std::unordered_map<uint64_t, uint32_t> slot_of_;  // term hash -> slot
  std::vector<uint32_t> df_;                       // per slot
  std::vector<uint64_t> term_;                     // per slot
  std::vector<uint32_t> free_;                     // slots of terms gone
  std::vector<double> log1p_;                      // ln(1 + df) for small df
};

}  // namespace samestory::internal

#endif  // SAMESTORY_CLUSTER_DOCUMENT_FREQUENCIES_H_
