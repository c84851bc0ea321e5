// GraphSplit: how the kNN graph's exact band join (knn_graph.cc) is split across a group of ranks,
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

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "samestory/cluster.h"
#include "samestory/document.h"
#include "samestory/status.h"

namespace samestory::internal {

class TempFile;

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

// The vectors of a rank's window in a split run, as rank 0 served them, spilled to a temporary
// file (as the single machine's terms are) and read back as the window slides; their terms' keys
// stay in memory.
class WindowVectors final : public VectorSource {
 public:
  WindowVectors();
  ~WindowVectors() override;
  Status Load(std::span<const uint32_t> docs, std::vector<SparseVector>* out) override;
  uint64_t TermKey(uint32_t id) const override { return id < keys_.size() ? keys_[id] : 0; }

  // Keeps the vectors of one of ServeWindows's messages.
  Status Add(std::string_view in);
  // After the last Add: reports a write error.
  Status Finish();

 private:
  std::unique_ptr<TempFile> file_;
  std::unordered_map<uint32_t, std::pair<uint64_t, uint32_t>> where_;  // doc -> offset, terms
  std::vector<uint64_t> keys_;  // by term id
  std::vector<char> buffer_;
};

// Collective: rank 0 serves every rank q > 0 the vectors of positions [window[q].first,
// window[q].second) and of every position from `undated` on (position p is document order[p])
// from `source`, with their terms' keys, in rounds; the others keep them in *receive. A failure
// of rank 0's source is returned on rank 0 (the rounds still run); others return theirs.
Status ServeWindows(GraphSplit& split, VectorSource& source, std::span<const uint32_t> order,
                    size_t undated, std::span<const std::pair<size_t, size_t>> window,
                    WindowVectors* receive);

// A split run's start, from rank 0 to the others (collective with JoinClusterGraph): whether the
// graph goes ahead, whether it is split (the band join), and every document's date.
Status SendGraphStart(GraphSplit& split, bool go, bool band,
                      std::span<const std::optional<UnixSeconds>> dates);

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
