// The read-and-fingerprint pass of both pipelines: records are read in batches, tokenized,
// fingerprinted (and their TF-IDF terms extracted, for clustering) in parallel, texts dropped
// batch by batch; then the copies are grouped. What it leaves is all the later stages need.
// Thread-safety: one pass per call; uses OpenMP workers inside.
#ifndef SAMESTORY_PIPELINE_FINGERPRINT_PASS_H_
#define SAMESTORY_PIPELINE_FINGERPRINT_PASS_H_

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cluster/term_spill.h"
#include "samestory/pipeline.h"

namespace samestory::internal {

struct Pass {
  DedupResult result;  // per record: ids, lines, errors, warnings, groups; and the summary
  // When terms are extracted (clustering), per record:
  std::vector<std::string> titles;                   // for story summaries
  std::vector<std::optional<UnixSeconds>> dates;     // for story naming and date reach
  TermSpill terms;
  std::unordered_map<uint64_t, std::string> spellings;  // term hash -> a stem's spelling
  // When set before the pass: called with every record's fingerprint in input order (null for a
  // record with an error), and no groups are made (result's group fields stay empty).
  std::function<void(const CopyFingerprint*)> observe;
};

// Runs the pass over `input` into *pass. With `extractor` (may be null), terms are extracted
// into pass->terms. An input that breaks off ends the pass (pass->result.input_status).
// Errors: as Dedup.
Status ReadAndFingerprint(JsonlReader& input, const DedupPipelineOptions& options,
                          const TermExtractor* extractor, const RunHooks& hooks, Pass* pass);

// The run's clock and the process's memory, for summaries.
double ThreadCpuSeconds();
uint64_t PeakRssBytes();  // the process's peak resident set (VmHWM); 0 where /proc is not there

}  // namespace samestory::internal

#endif  // SAMESTORY_PIPELINE_FINGERPRINT_PASS_H_
