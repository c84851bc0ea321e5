// The cluster pipeline's steps after the read-and-fingerprint pass, for the single-machine run
// (pipeline.cc) and the distributed one (distributed.cc), which builds its pass from its shards.
#ifndef SAMESTORY_PIPELINE_STAGES_H_
#define SAMESTORY_PIPELINE_STAGES_H_

#include <chrono>
#include <memory>

#include "pipeline/fingerprint_pass.h"
#include "samestory/pipeline.h"

namespace samestory::internal {

// The saved model of options.model, checked against the run's term options; null when none.
Result<std::shared_ptr<const TfidfModel>> LoadSavedModel(const ClusterPipelineOptions& options);

class GraphSplit;

// Whether a record gets its own TF-IDF vector (and so a place in the graph): a record without an
// error that is its duplicate group's representative, or a partial copy (a cut or an extension,
// whose words differ from its representative's). The others take their representative's story.
inline bool GetsVector(bool error, bool representative, DupKind kind) {
  return !error && (representative || kind == DupKind::kPartial);
}

// TF-IDF -> kNN graph -> story clusters -> each record's story. The model: `model` (a saved one)
// when given, else the pass's (fitted by a distributed run's ranks), else fitted here on the
// pass's representatives. `start` is the run's start, for the summary. `split`: rank 0 of a
// distributed run, whose graph search the group shares (cluster/graph_split.h); else null.
Result<ClusterResult> ClusterFromPass(Pass& pass, const ClusterPipelineOptions& options,
                                      std::shared_ptr<const TfidfModel> model,
                                      const RunHooks& hooks,
                                      std::chrono::steady_clock::time_point start,
                                      GraphSplit* split = nullptr);

}  // namespace samestory::internal

#endif  // SAMESTORY_PIPELINE_STAGES_H_
