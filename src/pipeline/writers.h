// The pipelines' output files: one JSON line per record (the one output contract), the judged
// pairs as TSV, the stories as JSON Lines. Writes go through OutputFile; nothing is left
// unreported. Thread-safety: pure functions of their arguments.
#ifndef SAMESTORY_PIPELINE_WRITERS_H_
#define SAMESTORY_PIPELINE_WRITERS_H_

#include <string>
#include <string_view>
#include <vector>

#include "samestory/pipeline.h"

namespace samestory::internal {

// Appends the output lines of records [begin, end) of `result` to *out. `story` (may be null) is
// each record's story (a record index, UINT32_MAX for none).
void AppendRecordLines(const DedupResult& result, const std::vector<uint32_t>* story,
                       size_t begin, size_t end, std::string* out);

// Writes every record's line to `path` ("-" is standard output). Errors: IOError.
Status WriteRecords(const std::string& path, const DedupResult& result,
                    const std::vector<uint32_t>* story);

// Every judged pair (result.pairs) as TSV: id_a, id_b, verdict, reason, containment,
// resemblance, fact_agree, fact_conflict. Errors: IOError.
Status WritePairs(const std::string& path, const DedupResult& result);
// The pairs file's first line, and the lines of pairs [begin, end) of result.pairs.
inline constexpr std::string_view kPairsHeader =
    "id_a\tid_b\tverdict\treason\tcontainment\tresemblance\tfact_agree\tfact_conflict\n";
void AppendPairLines(const DedupResult& result, size_t begin, size_t end, std::string* out);

// One JSON line per story: story (its earliest article's id), size, first_date, last_date,
// title, top_terms. Errors: IOError.
Status WriteStories(const std::string& path, const DedupResult& result,
                    const std::vector<StorySummary>& stories);

// Every output a dedup run asked for: the records, and the pairs when outputs.pairs is set.
Status WriteDedupOutputs(const DedupOutputs& outputs, const DedupResult& result);

// Every output a cluster run asked for: the model (when outputs.model is set; saved with the
// note of `options`' term options), the records (unless outputs.output is empty: a distributed
// run's ranks write them), and the stories (when outputs.stories is set).
Status WriteClusterOutputs(const ClusterOutputs& outputs, const ClusterResult& result,
                           const ClusterPipelineOptions& options);

}  // namespace samestory::internal

#endif  // SAMESTORY_PIPELINE_WRITERS_H_
