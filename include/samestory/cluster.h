// Story clustering: TF-IDF vectors -> a k-nearest-neighbour graph -> story clusters.
//
// Last stage of the story pipeline (after TF-IDF; near-duplicates are collapsed to their
// representative before it, but for partial copies, which keep their own vector). Vectors are
// projected to a dense space (a sparse random projection, Achlioptas 2003 / Li, Hastie, Church
// 2006), L2-normalized and searched with a FAISS index chosen by a factory string for
// `candidates` neighbours of each document. Every candidate is re-scored with the exact sparse
// cosine, damped by date distance when both dates are known; each document keeps its best `knn`
// (the graph is their undirected union, edges under `edge_floor` dropped). Two steps cluster it:
//   1. graph average linkage: two clusters merge while the sum of their edge similarities over
//      |A| * |B| (pairs without an edge count as 0) is at least `threshold`, best pair first.
//      Counting missing edges as 0 keeps it from chaining, but caps a story's size: two halves of
//      a story of n articles link at about 2 knn s / n.
//   2. the join: clusters of `join_min_size` or more whose mean cross-pair cosine (exact average
//      linkage, from each cluster's summed projections; damped by the gap between their date
//      spans) is at least `join_threshold` merge, best pair first, among the pairs the graph
//      connects. A mean over all pairs has no size cap, and does not chain.
// Dated documents are searched in date order, each against the documents within date reach
// only; vectors come from a VectorSource window by window, so memory follows the window.
// Thread-safety: ClusterStories is a pure function; it uses `threads` threads inside.
#ifndef SAMESTORY_CLUSTER_H_
#define SAMESTORY_CLUSTER_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "samestory/document.h"
#include "samestory/status.h"
#include "samestory/tfidf.h"

namespace samestory {

struct ClusterOptions {
  // Output-affecting. Defaults from bench/research/STORY_STUDY.md: one setting for ECB+ (English)
  // and RPM2 (French); the kNN graph's rank-based edges make one threshold transfer.
  double threshold = 0.04;    // min graph average-link score to merge two clusters; (0, 1]
  int candidates = 40;        // neighbours searched per document in the dense index; >= knn
  int knn = 5;                // best re-scored neighbours kept per document (undirected); 1..1000
  double edge_floor = 0.10;   // re-scored edges below this similarity are dropped; [0, 1)
  // The join (issue 16, bench/research/BIG_STORY_STUDY.md): graph clusters of at least
  // join_min_size articles merge while the mean cosine of all their cross pairs (damped by the gap
  // between their date spans) is at least join_threshold; 0 = no join. [0, 1]; default 0.37.
  double join_threshold = 0.37;
  int join_min_size = 4;      // >= 2; default 4
  int dim = 256;              // dense projection dimensions; 16..4096, multiple of 16
  // FAISS index factory string; "" = automatic: up to 1,024 documents no index at all (every pair
  // re-scored exactly), else "Flat". "Flat" (exact inner products) is served by a band join of
  // our own, each pair computed once by BLAS sgemm as FAISS's IndexFlat does, but FAISS's
  // query-against-base search would compute every pair of a self-join twice; any other string
  // builds that FAISS index. Flat at every size: dated corpora are searched within date reach,
  // so its cost grows with articles per day, not with n^2; and Debian's FAISS 1.7.3
  // computes HNSW and IVF distances with its scalar reference loop, so at 1M dated articles an
  // HNSW32 build took over 15 minutes where Flat (OpenBLAS) searched in about 3. Undated corpora
  // cost n^2 with Flat: give an IVF or HNSW spec for very large undated ones.
  std::string index;
  // Date damping for dated pairs: exp(-max(0, gap - date_slack_days) / window_days).
  double window_days = 3;     // decay scale in days; > 0
  double date_slack_days = 1; // gaps up to this are not damped; >= 0
  uint64_t seed = 1;          // seed of the random projection
  // Performance only.
  int threads = 0;            // 0 = all cores

  Status Validate() const;
};

struct ClusterStats {
  size_t documents = 0;    // documents clustered (the pipeline's: one per duplicate group)
  size_t edges = 0;        // candidate edges kept after re-scoring
  size_t clusters = 0;     // clusters of two or more documents
  size_t peak_window = 0;  // most documents whose vectors were held at once
  // Documents in the kNN graph's largest connected component. Both steps of the story rule merge
  // only clusters an edge joins, so components could be linked apart: this is what one of them
  // would still hold (on real news, most of the corpus).
  size_t largest_component = 0;
  std::string index;       // the FAISS factory string used
  // Wall seconds per step.
  double project_seconds = 0;  // loading the window's vectors from the source + projection
  double search_seconds = 0;   // candidate search (band join, or FAISS index builds + search)
  double rescore_seconds = 0;  // exact sparse cosine of the candidates
  double link_seconds = 0;     // average linkage
};

// Supplies TF-IDF vectors on demand. Clustering holds only the vectors of the documents within
// date reach of the ones being searched (all of them for undated or small corpora), so a dated
// corpus need not fit in memory: the pipeline loads them from a temporary file.
class VectorSource {
 public:
  virtual ~VectorSource() = default;
  // Resizes *out to docs.size() and fills (*out)[k] with the vector of document docs[k]
  // (L2-normalized, ids ascending). Called from one thread at a time. Errors end the run.
  virtual Status Load(std::span<const uint32_t> docs, std::vector<SparseVector>* out) = 0;
  // A source holding every vector in memory returns document `doc`'s here (valid for the whole
  // clustering call), and Load is not called; others return null.
  virtual const SparseVector* Resident(uint32_t /*doc*/) const { return nullptr; }
  // The key the candidate projection hashes for term `id` (by default the id itself). The
  // pipeline's source gives the term's 64-bit hash, as the feed, which has no term ids, does: one
  // projection for both.
  virtual uint64_t TermKey(uint32_t id) const { return id; }
};

// Clusters documents 0..n-1 given their TF-IDF vectors and optional dates (n = vectors.size()).
// Returns, per document, the smallest index in its cluster. Errors: InvalidArgument for bad
// options or mismatched sizes; Internal when FAISS fails or memory runs out.
Result<std::vector<uint32_t>> ClusterStories(std::span<const SparseVector> vectors,
                                             std::span<const std::optional<UnixSeconds>> dates,
                                             const ClusterOptions& options,
                                             ClusterStats* stats = nullptr);

// The same over vectors served by `source` (n = dates.size()); the result is identical to the
// in-memory call's on the same vectors.
Result<std::vector<uint32_t>> ClusterStories(VectorSource& source,
                                             std::span<const std::optional<UnixSeconds>> dates,
                                             const ClusterOptions& options,
                                             ClusterStats* stats = nullptr);

}  // namespace samestory

#endif  // SAMESTORY_CLUSTER_H_
