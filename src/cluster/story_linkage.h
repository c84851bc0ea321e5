// StoryLinkage: the story rule, one implementation for the batch (ClusterStories) and the feed.
//
// Nodes (articles) join clusters (stories) in two steps, each merging the best pair first:
//   1. graph average linkage: the link of clusters A and B is the sum of the similarities of the
//      kNN edges between them over |A| |B| (pairs without an edge count as 0), merged while it is
//      at least ClusterOptions::threshold;
//   2. the join: clusters of join_min_size or more whose mean cross-pair cosine (sum(A) . sum(B)
//      / (|A| |B|) over their nodes' projected, normalized rows, damped by the gap between their
//      date spans) is at least join_threshold merge; candidates are the clusters an edge joins.
// The batch adds every node and edge, merges the graph, adds the rows, then joins. The feed adds
// an article's node, row and edges as it arrives and merges what they touch; an edge displaced
// from a kNN list is taken back (a negative weight); clusters with no node left in its window are
// forgotten. A cluster's id is its smallest node; it also knows its earliest node (by date, then
// node order), which names its story. Internal. Not thread-safe.
#ifndef SAMESTORY_CLUSTER_STORY_LINKAGE_H_
#define SAMESTORY_CLUSTER_STORY_LINKAGE_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "samestory/cluster.h"
#include "samestory/document.h"

namespace samestory::internal {

// Date damping of a similarity (the batch's and the feed's): exp(-(gap - slack) / window) beyond
// the slack, 1 within it or when either date is unknown. Gaps in seconds.
double DateDamping(const ClusterOptions& options, double gap_seconds);
double DateDamping(const ClusterOptions& options, std::optional<UnixSeconds> a,
                   std::optional<UnixSeconds> b);
// How far apart two dated articles can be and still share an edge: beyond it, damping takes any
// similarity under the edge floor. Seconds.
double DateReachSeconds(const ClusterOptions& options);

class StoryLinkage {
 public:
  // REQUIRES: options.Validate() is OK.
  explicit StoryLinkage(const ClusterOptions& options);

  // Called for each merge, in order: the surviving cluster (the smaller id), the absorbed one,
  // the link that merged them, and whether the join (not the graph) did.
  using MergeReporter = std::function<void(uint32_t keep, uint32_t gone, double link, bool join)>;

  // Adds node number size() (ids are consecutive from 0) as a cluster of its own. `date`: its
  // date, if known (for the join's date spans and the earliest node).
  uint32_t AddNode(std::optional<UnixSeconds> date);
  size_t size() const { return parent_.size(); }

  // Adds `sim` to the link between the clusters of nodes a and b (a != b); a negative value takes
  // an edge back. The pair is merged at the next MergeGraph if it qualifies.
  void AddEdge(uint32_t a, uint32_t b, double sim);
  // Step 1 over the pairs touched since the last call (every pair, the first time).
  void MergeGraph(const MergeReporter& reporter = nullptr);

  // Adds node's projected row (options.dim floats) to its cluster's sum, for the join.
  void AddRow(uint32_t node, const float* row);
  // Step 2 over the clusters whose size, sum or neighbours changed since the last call.
  void MergeJoin(const MergeReporter& reporter = nullptr);

  // The cluster of a node (its root: the smallest node id in it).
  uint32_t Find(uint32_t node);
  uint32_t ClusterSize(uint32_t cluster) const { return size_[cluster]; }
  // The cluster's earliest node: by date (undated last), then node order.
  uint32_t Earliest(uint32_t cluster) const { return earliest_[cluster]; }
  // Whether node x comes before node y: by date (undated last), then node order.
  bool Before(uint32_t x, uint32_t y) const;
  // Drops a cluster no node of which can gain an edge any more (the feed's window has left it):
  // its links and sums are freed; Find still answers for its nodes.
  void Forget(uint32_t cluster);

  // Serialization of the whole state (the feed's snapshot). Load returns false on malformed bytes.
  void Save(std::string* out) const;
  bool Load(std::string_view bytes);

 private:
  struct Candidate {
    double link;
    uint32_t a, b, va, vb;
    // Max-heap: best link, then smallest ids, then newest versions (a total order, so that a
    // saved queue loads back into the same one).
    bool operator<(const Candidate& o) const {
      if (link != o.link) return link < o.link;
      if (a != o.a) return a > o.a;
      if (b != o.b) return b > o.b;
      if (va != o.va) return va < o.va;
      return vb < o.vb;
    }
  };
  using Neighbours = std::vector<std::pair<uint32_t, double>>;  // (cluster, summed sim), sorted

  double GraphLink(uint32_t a, uint32_t b, double w) const;
  double JoinLink(uint32_t a, uint32_t b) const;
  bool Joinable(uint32_t c) const;
  void Merge(uint32_t a, uint32_t b);
  void Push(std::priority_queue<Candidate>& q, uint32_t a, uint32_t b, double link);
  bool Valid(const Candidate& c) const;
  static Neighbours::iterator Locate(Neighbours& list, uint32_t id);

  ClusterOptions options_;
  size_t dim_;
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> size_;
  std::vector<uint32_t> version_;
  std::vector<uint32_t> earliest_;
  std::vector<int64_t> date_;  // per node; kUndated when unknown
  std::vector<Neighbours> sums_;
  // Join state, per cluster: the sum of its rows (dim_ floats, allocated on the first row) and the
  // span of its dated nodes.
  std::vector<std::vector<float>> rows_;
  std::vector<int64_t> lo_, hi_;
  std::priority_queue<Candidate> graph_queue_;
  std::vector<uint32_t> touched_;   // clusters to look at in the next MergeJoin
  std::vector<uint8_t> is_touched_;
  Neighbours merged_;
  static constexpr int64_t kUndated = std::numeric_limits<int64_t>::max();
};

}  // namespace samestory::internal

#endif  // SAMESTORY_CLUSTER_STORY_LINKAGE_H_
