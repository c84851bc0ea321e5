// LSH banding: signatures -> candidate pairs of documents likely to be near-duplicates.
//
// Fourth stage of the dedup pipeline (after the fingerprint's sketch, before verification and grouping). The
// signature of K = bands * rows values is cut into `bands` bands of `rows` values; two documents
// whose signatures agree on a whole band are a candidate pair. A pair of Jaccard similarity s is a
// candidate with probability P(s) = 1 - (1 - s^rows)^bands, the S-curve whose midpoint is near
// (1/bands)^(1/rows) (Leskovec, Rajaraman, Ullman, "Mining of Massive Datasets", ch. 3.4).
// Thread-safety: LshBanding is immutable; Candidates() is const and thread-safe.
#ifndef SAMESTORY_LSH_H_
#define SAMESTORY_LSH_H_

#include <cstdint>
#include <span>
#include <vector>

#include "samestory/status.h"

namespace samestory {

struct LshParams {
  int bands = 0;  // b
  int rows = 0;   // r; b * r <= num_perm
};

// Probability that a pair of Jaccard similarity s becomes a candidate: 1 - (1 - s^r)^b.
double CandidateProbability(double s, LshParams params);

// Chooses (b, r) for a Jaccard threshold t: among all b * r <= num_perm whose candidate
// probability at s = t is at least `recall_at_threshold`, the one with the least false-positive
// area, the integral of P(s) over [0, t]. Unlike datasketch's rule, which weighs false positives
// and negatives alike and so leaves only 31-55% candidate probability exactly at t (issue #2), it
// puts recall first; verification removes the extra candidates. Errors: InvalidArgument when no
// (b, r) reaches the recall (num_perm too small for t).
Result<LshParams> ChooseLshParams(double threshold, int num_perm, double recall_at_threshold);

struct LshOptions {
  double threshold = 0.8;              // Jaccard t the bands are tuned for; (0, 1]; default 0.8
  double recall_at_threshold = 0.995;  // min candidate probability at s = t; default 0.995
  int bands = 0;  // b; 0 = chosen by ChooseLshParams; else rows must be set too
  int rows = 0;   // r; 0 = chosen by ChooseLshParams
  uint64_t seed = 0;  // seed of the band-key hashes; default 0
  // A bucket (the documents that share one band key) of more than bucket_window + 1 documents is
  // joined in a window: each document is paired with the next bucket_window documents of the
  // bucket in the callers' order (date order), not with all of them, so a bucket of m documents
  // gives at most m x bucket_window pairs, not m^2 / 2 (issue 14: thousands of identical pages
  // or recurring notices in one bucket). Copies of one article follow each other closely in date
  // order, and a group still forms through its chain of neighbours. 1..4096; default 32.
  int bucket_window = 32;
  // With document times given to Candidates: two documents further apart than this (in the
  // times' unit, seconds for dates) are never paired, in any bucket; 0 = no limit. A caller whose
  // pairs beyond a time are never accepted (copies are republished within days) saves judging
  // them, and a bucket spread over months no longer gives its window to pairs that cannot count.
  int64_t max_gap = 0;

  Status Validate(int num_perm) const;
};

struct CandidatePair {
  uint32_t a = 0, b = 0;  // document indices, a < b
  friend bool operator==(const CandidatePair&, const CandidatePair&) = default;
};

class LshBanding {
 public:
  // Errors: InvalidArgument for bad options, or when (b, r) cannot be chosen.
  static Result<LshBanding> Create(const LshOptions& options, int num_perm);

  // One signature's band keys: keys[0, bands). REQUIRES: signature.size() == num_perm.
  // Keys are 32 bits, never 0: two unrelated documents share a band key with probability 2^-32,
  // which only adds a candidate that verification rejects.
  void BandKeys(std::span<const uint32_t> signature, uint32_t* keys) const;

  // All distinct candidate pairs of `count` documents whose band keys (BandKeys) are stored
  // row-major in `keys` (count, k), sorted by (a, b). k is usually bands; a caller may add
  // keys of its own (columns after the bands), which join documents the same way. A key of 0 is
  // no key: it joins nothing. Documents whose `eligible` entry is
  // false take no part. `order[d]` is document d's rank in the order buckets are windowed in
  // (a permutation of [0, count)). `threads` sort bands in parallel; at most about `max_entries`
  // band entries (8 bytes each) are in memory at a time over all threads (0 = no limit): a band
  // with more is sorted externally, in runs written to a temporary file and merged. The result
  // depends on neither. `times` (optional, per document): see LshOptions::max_gap; INT64_MAX is
  // "no time" (paired with any), and `order` must rank documents by time, those without last.
  // Errors: IOError when the temporary file fails.
  // REQUIRES: keys.size() == count * k; order.size() == eligible.size() == count; times empty or
  // of size count.
  Result<std::vector<CandidatePair>> Candidates(std::span<const uint32_t> keys,
                                                std::span<const uint32_t> order,
                                                const std::vector<bool>& eligible, int threads,
                                                size_t max_entries = 0,
                                                std::span<const int64_t> times = {}) const;
  // The same from signatures stored row-major in `signatures` (count, num_perm), in input order.
  std::vector<CandidatePair> CandidatesOfSignatures(std::span<const uint32_t> signatures,
                                                    size_t count,
                                                    const std::vector<bool>& eligible,
                                                    int threads = 1) const;

  LshParams params() const { return params_; }
  const LshOptions& options() const { return options_; }

 private:
  LshBanding(const LshOptions& options, int num_perm, LshParams params)
      : options_(options), num_perm_(num_perm), params_(params) {}
  LshOptions options_;
  int num_perm_;
  LshParams params_;
};

}  // namespace samestory

#endif  // SAMESTORY_LSH_H_
