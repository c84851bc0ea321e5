// Evidence: what the copy rule reads of a document, written to and read back from the duplicate
// finder's temporary file (and, in the feed, kept in memory). Internal.
#ifndef SAMESTORY_DEDUP_EVIDENCE_H_
#define SAMESTORY_DEDUP_EVIDENCE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "samestory/dedup.h"

#include "samestory/fingerprint.h"

namespace samestory::internal {

struct Evidence {
  CopyFingerprint fingerprint;     // without its sketch
  std::vector<uint32_t> title_df;  // document frequency of each title token
};

// Appends the fingerprint's words, kind, text hash, sample, facts and title (not the sketch).
void EncodeEvidence(const CopyFingerprint& fp, std::string* out);
// Reads what EncodeEvidence wrote; false when `bytes` is not such a record.
bool DecodeEvidence(std::string_view bytes, CopyFingerprint* fp);

// e->title_df from the run's document frequencies of title words (title token & kTitleWord ->
// documents; 0 when absent).
void FillTitleDf(const std::unordered_map<uint32_t, uint32_t>& title_df, Evidence* e);

// How a group member relates to its representative, from their samples' overlap: a partial copy
// when the smaller holds less than `partial_below` of the larger's grams, else a copy.
DupKind MemberKind(const SampleOverlap& overlap, double partial_below);

}  // namespace samestory::internal

#endif  // SAMESTORY_DEDUP_EVIDENCE_H_
