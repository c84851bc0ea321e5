// GraphSplit: how the kNN graph's exact band join (cluster.cc) is split across a group of ranks,
// so that a distributed cluster run (src/distributed/) builds the single machine's graph with
// the same code. Internal.
//
// The dated documents, in date order, are cut into the band join's tiles (the same tiles on
// every rank); each rank searches a contiguous range of the dated column tiles (a date range),
// each with the rows within the date reach below it (a halo), so every pair within reach is
// scored once, on one rank, by the same sgemm as on one machine. A document's best-`candidates`
// list may take offers on two ranks (its own and, when its reach crosses the range's end, the
// next ones): the partial lists are sent to the document's rank, merged (the best k of a set do
// not depend on how it was split) and re-scored there. Undated documents pair with every
// document: each rank offers its dated columns against them; rank 0 merges their lists, searches
// them among themselves and re-scores them (holding every vector, as one machine does for them).
// Rank 0 serves every rank the vectors of its window from its source and gathers the edges.
#ifndef SAMESTORY_CLUSTER_GRAPH_SPLIT_H_
#define SAMESTORY_CLUSTER_GRAPH_SPLIT_H_

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "samestory/cluster.h"
#include "samestory/document.h"
#include "samestory/status.h"

namespace samestory::internal {

class GraphSplit {
 public:
  virtual ~GraphSplit() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Collective: rank i sends send[j] to rank j; returns what every rank sent to this one.
  virtual Result<std::vector<std::string>> AllToAll(std::vector<std::string> send) = 0;
  // Collective: every rank's status; the first failure (by rank) on every rank.
  virtual Status Agree(const Status& mine) = 0;

  bool started = false;  // rank 0: the graph's start was sent
};

// Rank 0's side is ClusterStories(source, dates, options, stats, split) (samestory/cluster.h's,
// with the graph split); every other rank calls JoinClusterGraph with the same options, which
// takes its part of the graph's search and returns when rank 0 has the edges. When rank 0 fails
// before the graph, it calls AbandonClusterGraph instead, so the others return (OK: rank 0's
// failure is agreed on afterwards).
Result<std::vector<uint32_t>> ClusterStories(VectorSource& source,
                                             std::span<const std::optional<UnixSeconds>> dates,
                                             const ClusterOptions& options, ClusterStats* stats,
                                             GraphSplit* split);
Status JoinClusterGraph(GraphSplit& split, const ClusterOptions& options);
Status AbandonClusterGraph(GraphSplit& split);

}  // namespace samestory::internal

#endif  // SAMESTORY_CLUSTER_GRAPH_SPLIT_H_
