#include "samestory/cluster.h"

#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <queue>
#include <thread>
#include <unordered_map>

#include "cluster/knn_index.h"

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
  return Status::OK();
}

namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Very sparse random projection: each term id adds its weight, with a random sign, to
// kNonZero of the `dim` coordinates picked by a hash of (seed, id). Preserves inner products in
// expectation (Li, Hastie, Church 2006); only used to find candidates, which are re-scored exactly.
constexpr int kNonZero = 4;

// Corpora up to this size skip the projection and the index: all pairs are re-scored exactly.
constexpr size_t kAllPairsBelow = 1024;

std::vector<float> Project(std::span<const SparseVector> vectors, int dim, uint64_t seed) {
  const size_t n = vectors.size();
  std::vector<float> x(n * static_cast<size_t>(dim), 0.0f);
  const float scale = 1.0f / std::sqrt(static_cast<float>(kNonZero));
  for (size_t i = 0; i < n; ++i) {
    float* row = x.data() + i * static_cast<size_t>(dim);
    const SparseVector& v = vectors[i];
    for (size_t t = 0; t < v.ids.size(); ++t) {
      uint64_t h = XXH3_64bits_withSeed(&v.ids[t], sizeof(uint32_t), seed);
      for (int j = 0; j < kNonZero; ++j) {
        const uint32_t bits = static_cast<uint32_t>(h >> (16 * (j % 4)));
        const int coord = static_cast<int>((bits & 0x7FFF) % static_cast<uint32_t>(dim));
        row[coord] += ((bits >> 15) & 1 ? scale : -scale) * v.weights[t];
        if (j % 4 == 3) h = XXH3_64bits_withSeed(&h, sizeof(h), seed);
      }
    }
    double norm = 0;
    for (int d = 0; d < dim; ++d) norm += static_cast<double>(row[d]) * row[d];
    if (norm > 0) {
      const float inv = static_cast<float>(1.0 / std::sqrt(norm));
      for (int d = 0; d < dim; ++d) row[d] *= inv;
    }
  }
  return x;
}

struct Edge {
  uint32_t a, b;
  double sim;
};

// Candidates (n, k) for every document. Dated documents further apart than the date "reach" can
// never share an edge: damping takes their similarity under the edge floor, since
// exp(-(gap - slack) / window) < floor for gap > slack + window * ln(1 / floor). So when dates
// exist, dated documents are searched block by block (in date order) among the documents dated
// within reach of the block, plus the undated ones; undated documents search everything. The
// graph is the same as with one global search, or better (more in-reach candidates), for a
// fraction of the n^2 work.
Result<internal::KnnResult> FindCandidates(const std::vector<float>& x,
                                           std::span<const std::optional<UnixSeconds>> dates,
                                           int k, const std::string& factory, int threads,
                                           const ClusterOptions& options) {
  const size_t n = dates.size();
  const size_t dim = static_cast<size_t>(options.dim);
  std::vector<uint32_t> dated, undated;
  for (uint32_t i = 0; i < n; ++i) (dates[i] ? dated : undated).push_back(i);
  constexpr size_t kBlock = 2048;
  if (options.edge_floor <= 0 || dated.size() <= kBlock) {
    return internal::SearchKnn(x, n, options.dim, k, factory, threads);
  }
  const double reach =
      86400.0 * (options.date_slack_days + options.window_days * std::log(1.0 / options.edge_floor));
  std::stable_sort(dated.begin(), dated.end(),
                   [&](uint32_t a, uint32_t b) { return *dates[a] < *dates[b]; });
  internal::KnnResult out;
  out.ids.assign(n * static_cast<size_t>(k), -1);
  out.scores.assign(n * static_cast<size_t>(k), 0.0f);
  std::vector<float> queries;
  // Copies the rows of `rows` into `m`.
  auto gather = [&](const std::vector<uint32_t>& rows, size_t begin, size_t end,
                    std::vector<float>* m) {
    m->resize((end - begin) * dim);
    for (size_t r = begin; r < end; ++r) {
      std::copy_n(x.data() + rows[r] * dim, dim, m->data() + (r - begin) * dim);
    }
  };
  // Writes a search's results for queries rows[begin, end) as global ids.
  auto scatter = [&](const internal::KnnResult& found, const std::vector<uint32_t>& rows,
                     size_t begin, size_t end, const std::vector<uint32_t>& ids_of_base,
                     int found_k) {
    for (size_t q = begin; q < end; ++q) {
      for (int r = 0; r < found_k; ++r) {
        const int64_t local = found.ids[(q - begin) * found_k + r];
        out.ids[rows[q] * static_cast<size_t>(k) + r] = local < 0 ? -1 : ids_of_base[local];
      }
    }
  };
  // Each block's base: dated[lo, hi) (in date order) plus the undated documents.
  struct Block {
    size_t begin, end, lo, hi;
  };
  std::vector<Block> blocks;
  size_t lo = 0, hi = 0;
  for (size_t begin = 0; begin < dated.size(); begin += kBlock) {
    const size_t end = std::min(dated.size(), begin + kBlock);
    const double first = static_cast<double>(*dates[dated[begin]]);
    const double last = static_cast<double>(*dates[dated[end - 1]]);
    while (static_cast<double>(*dates[dated[lo]]) < first - reach) ++lo;
    if (hi < end) hi = end;
    while (hi < dated.size() && static_cast<double>(*dates[dated[hi]]) <= last + reach) ++hi;
    blocks.push_back({begin, end, lo, hi});
  }
  // Blocks are searched in parallel, one thread each (FAISS and BLAS single-threaded inside):
  // on few cores this beats one multi-threaded search per block, where FAISS's OpenMP threads
  // spin while BLAS's own threads multiply. Each block writes its own rows: thread-independent.
  internal::SingleThreadedBlas blas_guard(threads > 1);
  std::atomic<size_t> next{0};
  std::mutex error_mutex;
  Status error;
  auto worker = [&] {
    std::vector<float> base, queries;
    std::vector<uint32_t> base_ids;
    for (size_t b = next++; b < blocks.size(); b = next++) {
      const Block& blk = blocks[b];
      base_ids.assign(dated.begin() + static_cast<ptrdiff_t>(blk.lo),
                      dated.begin() + static_cast<ptrdiff_t>(blk.hi));
      base_ids.insert(base_ids.end(), undated.begin(), undated.end());
      gather(base_ids, 0, base_ids.size(), &base);
      gather(dated, blk.begin, blk.end, &queries);
      const int block_k =
          static_cast<int>(std::min<size_t>(static_cast<size_t>(k), base_ids.size()));
      auto found = internal::SearchKnn(base.data(), base_ids.size(), queries.data(),
                                       blk.end - blk.begin, options.dim, block_k, factory,
                                       threads > 1 ? 1 : threads);
      if (!found.ok()) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (error.ok()) error = found.status();
        return;
      }
      scatter(found.value(), dated, blk.begin, blk.end, base_ids, block_k);
    }
  };
  const size_t workers = std::min<size_t>(static_cast<size_t>(threads), blocks.size());
  std::vector<std::thread> pool;
  for (size_t t = 1; t < workers; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  if (!error.ok()) return error;
  if (!undated.empty()) {
    std::vector<uint32_t> all(n);
    for (uint32_t i = 0; i < n; ++i) all[i] = i;
    gather(undated, 0, undated.size(), &queries);
    auto found = internal::SearchKnn(x.data(), n, queries.data(), undated.size(), options.dim, k,
                                     factory, threads);
    if (!found.ok()) return found.status();
    scatter(found.value(), undated, 0, undated.size(), all, k);
  }
  return out;
}

// Average linkage over a sparse similarity graph; missing pairs count as similarity 0.
std::vector<uint32_t> AverageLink(size_t n, const std::vector<Edge>& edges, double threshold) {
  std::vector<std::unordered_map<uint32_t, double>> sums(n);  // cluster -> cluster -> sum of sims
  for (const Edge& e : edges) {
    sums[e.a][e.b] += e.sim;
    sums[e.b][e.a] += e.sim;
  }
  std::vector<uint32_t> size(n, 1), version(n, 0), parent(n);
  for (uint32_t i = 0; i < n; ++i) parent[i] = i;
  struct Candidate {
    double avg;
    uint32_t a, b, va, vb;
    bool operator<(const Candidate& o) const {  // max-heap: best average, then smallest ids
      if (avg != o.avg) return avg < o.avg;
      if (a != o.a) return a > o.a;
      return b > o.b;
    }
  };
  std::priority_queue<Candidate> queue;
  for (const Edge& e : edges) {
    if (e.sim >= threshold) queue.push({e.sim, e.a, e.b, 0, 0});
  }
  while (!queue.empty()) {
    const Candidate c = queue.top();
    queue.pop();
    if (c.avg < threshold) break;
    if (parent[c.a] != c.a || parent[c.b] != c.b || version[c.a] != c.va ||
        version[c.b] != c.vb) {
      continue;  // stale: one side merged since
    }
    // Keep the smaller id; move the bigger neighbour map into it and fold the other one in.
    uint32_t keep = std::min(c.a, c.b), gone = std::max(c.a, c.b);
    if (sums[keep].size() < sums[gone].size()) std::swap(sums[keep], sums[gone]);
    auto& kept = sums[keep];
    kept.erase(keep);
    kept.erase(gone);
    for (const auto& [other, s] : sums[gone]) {
      if (other == keep || other == gone) continue;
      kept[other] += s;
    }
    sums[gone].clear();
    parent[gone] = keep;
    size[keep] += size[gone];
    ++version[keep];
    for (auto& [other, s] : kept) {
      // The other side's view: its sums to `keep` and `gone` are now one sum, `s`, to `keep`.
      auto& back = sums[other];
      back.erase(gone);
      back[keep] = s;
      const double avg = s / (static_cast<double>(size[keep]) * size[other]);
      if (avg >= threshold) {
        queue.push({avg, std::min(keep, other), std::max(keep, other),
                    keep < other ? version[keep] : version[other],
                    keep < other ? version[other] : version[keep]});
      }
    }
  }
  // Label = smallest index in the cluster; a cluster's root is already its smallest index.
  std::vector<uint32_t> label(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t r = i;
    while (parent[r] != r) r = parent[r];
    label[i] = r;
  }
  return label;
}

}  // namespace

Result<std::vector<uint32_t>> ClusterStories(std::span<const SparseVector> vectors,
                                             std::span<const std::optional<UnixSeconds>> dates,
                                             const ClusterOptions& options, ClusterStats* stats) {
  if (Status s = options.Validate(); !s.ok()) return s;
  if (dates.size() != vectors.size()) {
    return Status::InvalidArgument("ClusterStories: one date slot per vector is required");
  }
  const size_t n = vectors.size();
  const std::string factory =
      !options.index.empty() ? options.index : "Flat";
  const int threads = options.threads > 0
                          ? options.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  try {
    ClusterStats local_stats;
    ClusterStats& st = stats ? *stats : local_stats;
    // Small corpora, index not forced: every pair is a candidate, so the graph is exact (no
    // projection noise).
    const bool all_pairs = options.index.empty() && n <= kAllPairsBelow;
    const int k = all_pairs ? static_cast<int>(n)
                            : static_cast<int>(std::min<size_t>(
                                  static_cast<size_t>(options.candidates) + 1, n));
    internal::KnnResult knn;
    Clock::time_point t0 = Clock::now();
    if (all_pairs) {
      knn.ids.resize(n * n);
      for (size_t i = 0; i < n; ++i) {
        for (size_t j = 0; j < n; ++j) knn.ids[i * n + j] = static_cast<int64_t>(j);
      }
    } else {
      std::vector<float> x = Project(vectors, options.dim, options.seed);
      st.project_seconds = Since(t0);
      t0 = Clock::now();
      auto found = FindCandidates(x, dates, k, factory, threads, options);
      if (!found.ok()) return found.status();
      knn = std::move(found.value());
      st.search_seconds = Since(t0);
    }
    t0 = Clock::now();
    // Re-score every candidate exactly; keep each document's best `knn` (ties: smaller index).
    // Document i is scattered into a dense array over the vocabulary, so a candidate costs one
    // lookup per term it holds; the sum runs over common terms in id order, as SparseDot does.
    const double scale = options.window_days * 86400.0;
    const double slack = options.date_slack_days * 86400.0;
    uint32_t vocabulary = 0;
    for (const SparseVector& v : vectors) {
      if (!v.ids.empty()) vocabulary = std::max(vocabulary, v.ids.back() + 1);
    }
    // Per document, in parallel; merged in document order, so the graph is thread-independent.
    std::vector<std::vector<Edge>> best(n);
#pragma omp parallel num_threads(threads)
    {
      std::vector<float> dense(vocabulary, 0.0f);
#pragma omp for schedule(dynamic, 64)
      for (int64_t signed_i = 0; signed_i < static_cast<int64_t>(n); ++signed_i) {
        const uint32_t i = static_cast<uint32_t>(signed_i);
        const SparseVector& vi = vectors[i];
        for (size_t t = 0; t < vi.ids.size(); ++t) dense[vi.ids[t]] = vi.weights[t];
        std::vector<Edge>& mine = best[i];
        for (int r = 0; r < k; ++r) {
          const int64_t j = knn.ids[static_cast<size_t>(i) * k + r];
          if (j < 0 || static_cast<uint32_t>(j) == i) continue;
          const uint32_t o = static_cast<uint32_t>(j);
          const SparseVector& vo = vectors[o];
          double sim = 0;
          for (size_t t = 0; t < vo.ids.size(); ++t) {
            sim += static_cast<double>(dense[vo.ids[t]]) * vo.weights[t];
          }
          if (dates[i] && dates[o]) {
            const double gap = std::abs(static_cast<double>(*dates[i] - *dates[o]));
            if (gap > slack) sim *= std::exp(-(gap - slack) / scale);
          }
          if (sim >= options.edge_floor && sim > 0) {
            mine.push_back({std::min(i, o), std::max(i, o), sim});
          }
        }
        for (uint32_t id : vi.ids) dense[id] = 0.0f;
        std::sort(mine.begin(), mine.end(), [i](const Edge& l, const Edge& r) {
          if (l.sim != r.sim) return l.sim > r.sim;
          return (l.a == i ? l.b : l.a) < (r.a == i ? r.b : r.a);
        });
        if (mine.size() > static_cast<size_t>(options.knn)) mine.resize(options.knn);
      }
    }
    std::vector<Edge> edges;
    for (std::vector<Edge>& mine : best) {
      edges.insert(edges.end(), mine.begin(), mine.end());
      std::vector<Edge>().swap(mine);
    }
    std::sort(edges.begin(), edges.end(),
              [](const Edge& l, const Edge& r) { return l.a != r.a ? l.a < r.a : l.b < r.b; });
    edges.erase(std::unique(edges.begin(), edges.end(),
                            [](const Edge& l, const Edge& r) { return l.a == r.a && l.b == r.b; }),
                edges.end());
    st.rescore_seconds = Since(t0);
    t0 = Clock::now();
    std::vector<uint32_t> labels = AverageLink(n, edges, options.threshold);
    st.link_seconds = Since(t0);
    st.edges = edges.size();
    st.index = all_pairs ? "exact (all pairs)" : factory;
    std::vector<uint32_t> count(n, 0);
    for (uint32_t l : labels) ++count[l];
    st.clusters = static_cast<size_t>(
        std::count_if(count.begin(), count.end(), [](uint32_t c) { return c >= 2; }));
    return labels;
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory while clustering");
  }
}

}  // namespace samestory
