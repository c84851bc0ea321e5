// From story clusters over vectors back to records: each record's story (named after its
// earliest article) and the stories' summaries (size, dates, title, top terms).
//
// Last step of the cluster pipeline, after ClusterStories labels the representatives' vectors.
// Thread-safety: pure functions (SummarizeStories reads `source`, which is not thread-safe).
#ifndef SAMESTORY_CLUSTER_STORY_RECORDS_H_
#define SAMESTORY_CLUSTER_STORY_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "samestory/cluster.h"
#include "samestory/document.h"
#include "samestory/pipeline.h"
#include "samestory/tfidf.h"

namespace samestory::internal {

// Each record's story: the cluster label of its representative's vector, named after the
// cluster's earliest record (by date, undated last, then input order; copies included);
// UINT32_MAX for a record with an error. `vector_of_record[r]` is the vector index of record r
// (UINT32_MAX when it has none); labels are per vector. REQUIRES: every record without an error
// has a representative with a vector.
std::vector<uint32_t> NameStories(const std::vector<uint32_t>& labels,
                                  const std::vector<uint32_t>& vector_of_record,
                                  const DedupResult& records,
                                  const std::vector<std::optional<UnixSeconds>>& dates);

// Every story's summary, by story name. Top terms are the largest weights of the sum of the
// story's representatives' vectors (vector v is record reps[v], loaded from `source`), read in
// record order; a story's sum is dropped once its last representative is in, so only the stories
// open at a point of the input are held at once. `spellings` maps a term's hash to a spelling.
Result<std::vector<StorySummary>> SummarizeStories(
    const std::vector<uint32_t>& story, const std::vector<uint32_t>& reps,
    const std::vector<std::string>& titles, const std::vector<std::optional<UnixSeconds>>& dates,
    const TfidfModel& model, VectorSource& source,
    const std::unordered_map<uint64_t, std::string>& spellings);

}  // namespace samestory::internal

#endif  // SAMESTORY_CLUSTER_STORY_RECORDS_H_
