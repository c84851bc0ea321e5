// DuplicateFinder: per-document fingerprints -> groups of near-duplicate documents.
//
// Last stage of the dedup pipeline (after shingles and MinHash). In LSH mode, candidate pairs from
// LSH banding are verified: accepted when the signature estimate is at least t + margin, rejected
// below t - margin, and in between decided by the exact Jaccard of the shingle sets. In exact mode,
// every pair with exact Jaccard >= t is found by prefix filtering over an inverted index (Bayardo,
// Ma, Srikant, "Scaling up all pairs similarity search", WWW 2007), exact by construction: the
// reference that LSH recall is measured against. Accepted pairs are joined by union-find; a
// group's representative is its earliest member (by date, undated last, then input order).
// Documents too short to shingle are grouped only with identical short texts.
// Thread-safety: a DuplicateFinder is a builder used from one thread.
#ifndef SAMESTORY_DEDUP_H_
#define SAMESTORY_DEDUP_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "samestory/document.h"
#include "samestory/lsh.h"
#include "samestory/status.h"

namespace samestory {

enum class DedupMode {
  kLsh,    // MinHash LSH candidates, verified (default)
  kExact,  // all pairs with exact Jaccard >= threshold; slower, for evaluation
};

struct DedupOptions {
  // Output-affecting.
  double threshold = 0.8;     // Jaccard t of word shingle sets for a near-duplicate; (0, 1]
  DedupMode mode = DedupMode::kLsh;
  double verify_margin = 0.15;  // estimates in [t - m, t + m) are checked exactly; [0, 1]
  double recall_at_threshold = 0.995;  // LSH candidate probability at s = t (see lsh.h)
  int bands = 0;  // LSH b; 0 = chosen from threshold and num_perm
  int rows = 0;   // LSH r; 0 = chosen
  // Keep the accepted pairs in DuplicateGroups::pairs (for `--pairs`). Default false.
  bool collect_pairs = false;

  Status Validate() const;
};

struct ScoredPair {
  uint32_t a = 0, b = 0;  // document indices, a < b
  float jaccard = 0;      // exact when `exact`, else the signature estimate
  bool exact = false;
};

struct DuplicateGroups {
  // Per document, in the order added: its group's representative (itself when alone).
  std::vector<uint32_t> representative;
  // Per document: Jaccard similarity with its representative: the signature estimate, or the
  // exact value in exact mode and where the estimate lies within verify_margin of the threshold
  // (1 for the representative itself; exact-text short groups score 1).
  std::vector<float> score;
  // Accepted pairs sorted by (a, b), when collect_pairs: verified near-duplicate pairs, and each
  // short document paired (jaccard 1, exact) with the first short document of identical text.
  std::vector<ScoredPair> pairs;
  size_t groups = 0;              // groups of two or more documents
  size_t documents_in_groups = 0;
  size_t candidates = 0;    // candidate pairs considered
  size_t exact_checks = 0;  // pairs whose exact Jaccard was computed
  LshParams lsh;            // bands and rows used (LSH mode)
  // Where memory went (bytes), LSH mode: the band keys kept in memory (bands x 8 bytes a
  // document); the signatures and the shingle sets written to temporary files (read back only for
  // candidate pairs and group members).
  uint64_t band_key_bytes = 0;
  uint64_t spilled_signature_bytes = 0;
  uint64_t spilled_shingle_bytes = 0;
  // Not OK when the spill file could not be written or read back: the groups are then incomplete.
  Status status;
};

class DuplicateFinder {
 public:
  // Errors: InvalidArgument for bad options or, in LSH mode, an impossible banding for num_perm;
  // IOError when the temporary file for shingle sets (LSH mode; in $TMPDIR, else /tmp) cannot
  // be created.
  static Result<DuplicateFinder> Create(const DedupOptions& options, int num_perm);
  ~DuplicateFinder();
  DuplicateFinder(DuplicateFinder&&) noexcept;
  DuplicateFinder& operator=(DuplicateFinder&&) noexcept;

  // Each Add* appends the next document (its index is the number added before it).
  // A document that takes no part (a bad record): alone in its group.
  void AddExcluded();
  // A document too short to shingle; grouped with others of equal `sequence_hash`.
  void AddShort(std::optional<UnixSeconds> date, uint64_t sequence_hash);
  // A fingerprinted document: its shingle hashes (any order, repeats allowed) and signature.
  // REQUIRES: !shingles.empty(); signature.size() == num_perm (may be empty in exact mode).
  void Add(std::optional<UnixSeconds> date, std::span<const uint64_t> shingles,
           std::span<const uint32_t> signature);

  size_t size() const { return kinds_.size(); }

  // Groups every document added. REQUIRES: called once, after the last Add*.
  // `threads`: for the LSH band sorting; `memory_budget`: bytes the band keys may take at once
  // (0 = no limit; above it they are sorted externally). The result depends on neither.
  DuplicateGroups Finish(int threads = 1, uint64_t memory_budget = 0);

 private:
  enum class Kind : uint8_t { kExcluded, kShort, kFull };
  class SpillFile;
  DuplicateFinder(const DedupOptions& options, int num_perm, std::optional<LshBanding> banding,
                  std::unique_ptr<SpillFile> spill);
  std::span<const uint64_t> shingles(uint32_t d) const {
    return {shingles_.data() + shingle_begin_[d], shingle_begin_[d + 1] - shingle_begin_[d]};
  }
  // The signature estimate of a and b's Jaccard similarity, their signatures read back from the
  // spill file (an error is kept in spill_status_ and gives 0).
  double EstimateFromSpill(uint32_t a, uint32_t b);
  void AddCommon(Kind kind, std::optional<UnixSeconds> date);
  // Sorts and deduplicates document d's shingles in place, once; returns the new span.
  std::span<const uint64_t> SortedShingles(uint32_t d);
  // Exact Jaccard of two documents' shingle sets (from memory, or from the spill file).
  double ShingleJaccard(uint32_t a, uint32_t b);
  void VerifyLshCandidates(DuplicateGroups* out, std::vector<ScoredPair>* accepted, int threads,
                           uint64_t memory_budget);
  void ExactAllPairs(DuplicateGroups* out, std::vector<ScoredPair>* accepted);

  DedupOptions options_;
  int num_perm_;
  std::optional<LshBanding> banding_;  // LSH mode only
  std::vector<Kind> kinds_;
  std::vector<int64_t> dates_;  // INT64_MAX when undated
  std::vector<uint64_t> sequence_hash_;  // short documents only (0 otherwise)
  std::vector<uint64_t> shingles_;
  std::vector<uint64_t> shingle_begin_{0};
  std::vector<uint32_t> shingle_count_;  // distinct count once sorted; 0 = not sorted yet
  // LSH mode: (size(), bands) band keys, row-major; zeros when not kFull. The signatures
  // themselves go to signature_spill_ (num_perm values a document, zeros when not kFull).
  std::vector<uint64_t> band_keys_;
  std::unique_ptr<SpillFile> signature_spill_;
  // LSH mode: each document's sorted distinct shingles, truncated to 32 bits (a false match
  // between two distinct shingles has probability 2^-32), in a temporary file; shingle_begin_
  // then holds offsets in that file and shingle_count_ the counts.
  std::unique_ptr<SpillFile> spill_;
  Status spill_status_;  // the first spill file error, reported by Finish
  std::vector<uint32_t> scratch_a_, scratch_b_, signature_a_, signature_b_;
};

}  // namespace samestory

#endif  // SAMESTORY_DEDUP_H_
