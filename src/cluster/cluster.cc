// ClusterStories (samestory/cluster.h): the kNN graph (cluster/knn_graph.h), then the story rule
// (cluster/story_linkage.h): average linkage over the graph, then the join.
#include "samestory/cluster.h"

#include <algorithm>
#include <new>
#include <span>
#include <string>
#include <vector>

#include "cluster/graph_split.h"
#include "cluster/knn_graph.h"
#include "cluster/story_linkage.h"
#include "core/clock.h"

namespace samestory {

Status ClusterOptions::Validate() const {
  if (!(threshold > 0 && threshold <= 1)) return Status::InvalidArgument("threshold must be in (0, 1]");
  if (knn < 1 || knn > 1000) return Status::InvalidArgument("knn must be in [1, 1000]");
  if (candidates < knn || candidates > 4096) {
    return Status::InvalidArgument("candidates must be in [knn, 4096]");
  }
  if (!(edge_floor >= 0 && edge_floor < 1)) {
    return Status::InvalidArgument("edge_floor must be in [0, 1)");
  }
  if (!(date_slack_days >= 0)) return Status::InvalidArgument("date_slack_days must be >= 0");
  if (dim < 16 || dim > 4096 || dim % 16 != 0) {
    return Status::InvalidArgument("dim must be a multiple of 16 in [16, 4096]");
  }
  if (!(window_days > 0)) return Status::InvalidArgument("window_days must be positive");
  if (threads < 0) return Status::InvalidArgument("threads must be >= 0");
  if (!(join_threshold >= 0 && join_threshold <= 1)) {
    return Status::InvalidArgument("join_threshold must be in [0, 1]");
  }
  if (join_min_size < 2) return Status::InvalidArgument("join_min_size must be >= 2");
  return Status::OK();
}
namespace {

using internal::Clock;
using internal::Since;

// Corpora up to this size skip the projection and the index: all pairs are re-scored exactly.
constexpr size_t kAllPairsBelow = 1024;

// The vectors a source serves, all in memory.
class SpanSource final : public VectorSource {
 public:
  explicit SpanSource(std::span<const SparseVector> vectors) : vectors_(vectors) {}
  Status Load(std::span<const uint32_t> docs, std::vector<SparseVector>* out) override {
    out->resize(docs.size());
    for (size_t k = 0; k < docs.size(); ++k) (*out)[k] = vectors_[docs[k]];
    return Status::OK();
  }
  const SparseVector* Resident(uint32_t doc) const override { return &vectors_[doc]; }

 private:
  std::span<const SparseVector> vectors_;
};

// The join's rows: every document of a graph cluster of join_min_size or more, projected as the
// graph's search projected it, streamed from the source in chunks into its cluster's sum.
Status AddJoinRows(VectorSource& source, const ClusterOptions& options,
                   internal::StoryLinkage* linkage) {
  const uint32_t n = static_cast<uint32_t>(linkage->size());
  std::vector<uint32_t> docs;
  for (uint32_t i = 0; i < n; ++i) {
    if (linkage->ClusterSize(linkage->Find(i)) >= static_cast<uint32_t>(options.join_min_size)) {
      docs.push_back(i);
    }
  }
  std::vector<SparseVector> chunk;
  std::vector<float> row(static_cast<size_t>(options.dim));
  for (size_t from = 0; from < docs.size(); from += internal::kLoadChunk) {
    const std::span<const uint32_t> part(docs.data() + from,
                                         std::min(internal::kLoadChunk, docs.size() - from));
    const bool resident = source.Resident(part[0]) != nullptr;
    if (!resident) {
      if (Status s = source.Load(part, &chunk); !s.ok()) return s;
    }
    for (size_t k = 0; k < part.size(); ++k) {
      const SparseVector& v = resident ? *source.Resident(part[k]) : chunk[k];
      internal::ProjectRow(source, v, options.dim, options.seed, row.data());
      linkage->AddRow(part[k], row.data());
    }
  }
  return Status::OK();
}

// The number of nodes in the largest connected component of the graph of n nodes and `edges`.
size_t LargestComponent(size_t n, std::span<const internal::KnnEdge> edges) {
  std::vector<uint32_t> parent(n);
  for (uint32_t i = 0; i < n; ++i) parent[i] = i;
  auto find = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const internal::KnnEdge& e : edges) {
    const uint32_t a = find(e.a), b = find(e.b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
  std::vector<uint32_t> count(n, 0);
  uint32_t largest = 0;
  for (uint32_t i = 0; i < n; ++i) largest = std::max(largest, ++count[find(i)]);
  return largest;
}

}  // namespace

Result<std::vector<uint32_t>> ClusterStories(VectorSource& source,
                                             std::span<const std::optional<UnixSeconds>> dates,
                                             const ClusterOptions& options, ClusterStats* stats) {
  return internal::ClusterStories(source, dates, options, stats, nullptr);
}

namespace internal {

Result<std::vector<uint32_t>> ClusterStories(VectorSource& source,
                                             std::span<const std::optional<UnixSeconds>> dates,
                                             const ClusterOptions& options, ClusterStats* stats,
                                             GraphSplit* split) {
  if (Status s = options.Validate(); !s.ok()) return s;
  const size_t n = dates.size();
  const std::string factory = !options.index.empty() ? options.index : "Flat";
  const int threads = internal::ClusterThreads(options);
  try {
    ClusterStats local_stats;
    ClusterStats& st = stats ? *stats : local_stats;
    st = ClusterStats();
    // Small corpora, index not forced: every pair is a candidate, so the graph is exact (no
    // projection noise).
    const bool all_pairs = options.index.empty() && n <= kAllPairsBelow;
    // A split run splits the band join; other searches run here alone.
    const bool band = !all_pairs && factory == "Flat";
    if (split != nullptr) {
      if (Status s = internal::SendGraphStart(*split, true, band, dates); !s.ok()) return s;
      if (!band) split = nullptr;
    }
    auto edges = internal::BuildKnnGraph(source, dates, options, factory, all_pairs, threads, st,
                                         split);
    if (!edges.ok()) return edges.status();
    Clock::time_point t0 = Clock::now();
    // The story rule (src/cluster/story_linkage.h): the graph's average linkage, then the join.
    internal::StoryLinkage linkage(options);
    for (uint32_t i = 0; i < n; ++i) linkage.AddNode(dates[i]);
    for (const internal::KnnEdge& e : edges.value()) linkage.AddEdge(e.a, e.b, e.sim);
    linkage.MergeGraph();
    if (options.join_threshold > 0) {
      if (Status s = AddJoinRows(source, options, &linkage); !s.ok()) return s;
      linkage.MergeJoin();
    }
    std::vector<uint32_t> labels(n);
    for (uint32_t i = 0; i < n; ++i) labels[i] = linkage.Find(i);
    st.link_seconds = Since(t0);
    st.documents = n;
    st.edges = edges->size();
    st.largest_component = LargestComponent(n, edges.value());
    st.index = all_pairs ? "exact (all pairs)" : factory;
    std::vector<uint32_t> count(n, 0);
    for (uint32_t l : labels) ++count[l];
    st.clusters = static_cast<size_t>(
        std::count_if(count.begin(), count.end(), [](uint32_t c) { return c >= 2; }));
    return labels;
  } catch (const std::bad_alloc&) {
    if (split != nullptr) throw;  // maybe amid the graph's collectives: the caller ends the group
    return Status::Internal("out of memory while clustering");
  }
}

}  // namespace internal

Result<std::vector<uint32_t>> ClusterStories(std::span<const SparseVector> vectors,
                                             std::span<const std::optional<UnixSeconds>> dates,
                                             const ClusterOptions& options, ClusterStats* stats) {
  if (Status s = options.Validate(); !s.ok()) return s;
  if (dates.size() != vectors.size()) {
    return Status::InvalidArgument("ClusterStories: one date slot per vector is required");
  }
  SpanSource source(vectors);
  return ClusterStories(source, dates, options, stats);
}

}  // namespace samestory
