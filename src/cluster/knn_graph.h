// The k-nearest-neighbour graph of ClusterStories (samestory/cluster.h): every document's best
// `knn` re-scored neighbours among its `candidates` found by an exact band join of date-ordered
// projections ("Flat") or a FAISS index, within the date reach. Split across ranks when given a
// GraphSplit (cluster/graph_split.h). Internal.
#ifndef SAMESTORY_CLUSTER_KNN_GRAPH_H_
#define SAMESTORY_CLUSTER_KNN_GRAPH_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "samestory/cluster.h"
#include "samestory/document.h"
#include "samestory/status.h"

namespace samestory::internal {

class GraphSplit;
class WindowVectors;

// Documents loaded from a source at a time.
constexpr size_t kLoadChunk = 16384;

struct KnnEdge {
  uint32_t a, b;  // a < b
  double sim;
};

// The threads a clustering call uses: options.threads, or every core when 0.
int ClusterThreads(const ClusterOptions& options);

// The shared projection (cluster/projection.h) of a vector, its terms keyed by the source.
void ProjectRow(const VectorSource& source, const SparseVector& v, int dim, uint64_t seed,
                float* row);

// Every document's best `knn` re-scored neighbours, as undirected edges (a < b), sorted, unique.
// `factory`: "Flat" (the band join) or a FAISS index factory string; `all_pairs`: every pair
// re-scored, no projection. Split runs (`split`, the band join only): rank 0 passes its source
// and gets every rank's edges; the other ranks pass `receive`, where rank 0 serves their windows
// (also their source), and get none.
Result<std::vector<KnnEdge>> BuildKnnGraph(VectorSource& source,
                                           std::span<const std::optional<UnixSeconds>> dates,
                                           const ClusterOptions& options,
                                           const std::string& factory, bool all_pairs,
                                           int threads, ClusterStats& stats,
                                           GraphSplit* split = nullptr,
                                           WindowVectors* receive = nullptr);

}  // namespace samestory::internal

#endif  // SAMESTORY_CLUSTER_KNN_GRAPH_H_
