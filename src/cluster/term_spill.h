// TermSpill: every record's TF-IDF terms in a temporary file (12 bytes a term: hash, count), so a
// large corpus's terms need not stay in memory between reading and clustering; SpilledVectors:
// the clustering stage's VectorSource over it, transformed by a fitted model when asked.
//
// Between the read pass (which adds terms record by record) and clustering (which reads them back
// window by window). Thread-safety: one writer; Read is const but not for concurrent callers.
#ifndef SAMESTORY_CLUSTER_TERM_SPILL_H_
#define SAMESTORY_CLUSTER_TERM_SPILL_H_

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "io/temp_file.h"
#include "samestory/cluster.h"
#include "samestory/status.h"
#include "samestory/tfidf.h"

namespace samestory::internal {

// Records' terms read per request in chunks of this many.
constexpr size_t kTermChunk = 16384;

class TermSpill {
 public:
  static constexpr size_t kEntry = sizeof(uint64_t) + sizeof(float);

  // Creates the temporary file. Errors: IOError.
  Status Open();
  // Appends the next record's terms. REQUIRES: Open() succeeded.
  void Add(const std::vector<TermCount>& terms);
  // Flushes; reports a write error seen since Open.
  Status Finish();
  uint64_t bytes() const;

  // Reads the terms of `records` into (*out)[k], k in order. Records are read in file order,
  // neighbours in one read, so a corpus read in (or near) input order streams.
  Status Read(std::span<const uint32_t> records, std::vector<std::vector<TermCount>>* out) const;

 private:
  std::unique_ptr<TempFile> file_;
  std::vector<uint64_t> offset_;  // per record
  std::vector<uint32_t> count_;   // per record
};

// TF-IDF vectors of the representatives (vector index v is record reps[v]), transformed from the
// term file when clustering asks for them. Holds references: the spill, model and reps outlive it.
class SpilledVectors final : public VectorSource {
 public:
  SpilledVectors(const TermSpill& terms, const TfidfModel& model,
                 const std::vector<uint32_t>& reps, int threads)
      : terms_(terms), model_(model), reps_(reps), threads_(threads) {}

  Status Load(std::span<const uint32_t> docs, std::vector<SparseVector>* out) override;
  uint64_t TermKey(uint32_t id) const override { return model_.term_hash(id); }

 private:
  const TermSpill& terms_;
  const TfidfModel& model_;
  const std::vector<uint32_t>& reps_;
  const int threads_;
  std::vector<uint32_t> records_;
  std::vector<std::vector<TermCount>> chunk_;
};

}  // namespace samestory::internal

#endif  // SAMESTORY_CLUSTER_TERM_SPILL_H_
