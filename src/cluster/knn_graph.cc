// The kNN graph (knn_graph.h): GraphBuilder, window by window; its split across ranks is
// cluster/graph_split.h.
#include "cluster/knn_graph.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <ctime>
#include <deque>
#include <functional>
#include <limits>
#include <mutex>
#include <thread>

#include "cluster/band_join.h"
#include "cluster/graph_split.h"
#include "cluster/knn_index.h"
#include "cluster/projection.h"
#include "core/clock.h"

namespace samestory::internal {

int ClusterThreads(const ClusterOptions& options) {
  return options.threads > 0 ? options.threads
                             : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

void ProjectRow(const VectorSource& source, const SparseVector& v, int dim, uint64_t seed,
                float* row) {
  std::fill_n(row, dim, 0.0f);
  for (size_t t = 0; t < v.ids.size(); ++t) {
    AddProjectedTerm(source.TermKey(v.ids[t]), v.weights[t], dim, seed, row);
  }
  NormalizeRow(dim, row);
}

namespace {

double ThreadCpu() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Dated documents are searched in blocks of this many, in date order (FAISS indexes).
constexpr size_t kBlock = 2048;
// The exact band join's tiles: positions per sgemm side.
constexpr size_t kTile = 512;
// Queries per search call: fixed, so results do not depend on the thread count.
constexpr size_t kQueryChunk = 2048;

using Edge = KnnEdge;

// The k-nearest-neighbour graph, built window by window.
//
// Documents get positions: the dated ones in date order, then the undated ones. Dated documents
// further apart than the date "reach" can never share an edge (damping takes their similarity
// under the edge floor: exp(-(gap - slack) / window) < floor for gap > slack + window * ln(1 /
// floor)), so dated documents are searched block by block (kBlock of them, in date order) among
// the documents within reach of the block plus the undated ones; undated documents search
// everything, last. Only a block's base is held (its vectors and their projections, loaded from
// the source as the window slides and dropped behind it), so memory follows the window, not the
// corpus, for dated corpora. Small or undated corpora are one block. Each block's base gets one
// index; its queries are searched and re-scored in fixed chunks by `threads` workers.
class GraphBuilder {
 public:
  GraphBuilder(VectorSource& source, std::span<const std::optional<UnixSeconds>> dates,
               const ClusterOptions& options, const std::string& factory, bool all_pairs,
               int threads, ClusterStats& stats, GraphSplit* split = nullptr,
               WindowVectors* receive = nullptr)
      : source_(source), dates_(dates), options_(options), factory_(factory),
        all_pairs_(all_pairs), threads_(threads), stats_(stats), n_(dates.size()),
        dim_(static_cast<size_t>(options.dim)), split_(split), receive_(receive) {}

  // Every document's best `knn` re-scored neighbours, as undirected edges (a < b), sorted, unique.
  // Split runs (REQUIRES the band join): rank 0 gets every rank's edges; the others, none.
  Result<std::vector<Edge>> Build() {
    order_.resize(n_);
    for (uint32_t i = 0; i < n_; ++i) order_[i] = i;
    std::stable_sort(order_.begin(), order_.end(), [&](uint32_t a, uint32_t b) {
      if (dates_[a].has_value() != dates_[b].has_value()) return dates_[a].has_value();
      return dates_[a] && *dates_[a] < *dates_[b];
    });
    dated_ = 0;
    while (dated_ < n_ && dates_[order_[dated_]]) ++dated_;
    slot_of_.assign(n_, -1);

    SingleThreadedBlas blas_guard(true);  // our threads parallelise; BLAS must not too
    if (!all_pairs_ && factory_ == "Flat") {
      if (Status s = BandSearch(); !s.ok()) return s;
    } else if (Status s = BlockSearch(); !s.ok()) {
      return s;
    }
    omp_set_num_threads(threads_);
    std::vector<Edge> edges = std::move(edges_);
    if (split_) {  // the ranks' edges, gathered on rank 0
      std::vector<std::string> send(static_cast<size_t>(split_->size()));
      if (split_->rank() != 0) {
        send[0].assign(reinterpret_cast<const char*>(edges.data()), edges.size() * sizeof(Edge));
        edges.clear();
      }
      auto got = split_->AllToAll(std::move(send));
      if (!got.ok()) return got.status();
      for (const std::string& m : got.value()) {
        const size_t at = edges.size(), count = m.size() / sizeof(Edge);
        if (count == 0) continue;  // (an empty vector's data may be null: no memcpy)
        edges.resize(at + count);
        std::memcpy(edges.data() + at, m.data(), count * sizeof(Edge));
      }
    }
    std::sort(edges.begin(), edges.end(),
              [](const Edge& l, const Edge& r) { return l.a != r.a ? l.a < r.a : l.b < r.b; });
    edges.erase(std::unique(edges.begin(), edges.end(),
                            [](const Edge& l, const Edge& r) { return l.a == r.a && l.b == r.b; }),
                edges.end());
    return edges;
  }

 private:
  // Queries: positions [begin, end). Base: positions [lo, hi) and [undated, n). `last`: the
  // undated documents' block, whose base is everything.
  struct Block {
    size_t begin, end, lo, hi, undated;
    bool last = false;
  };
  // Thread seconds of one block's steps.
  struct Times {
    double search = 0;   // index build + search
    double rescore = 0;
  };

  // Seconds between two dated documents beyond which damping takes any similarity under the
  // edge floor; infinity without a floor.
  double Reach() const {
    if (options_.edge_floor <= 0) return std::numeric_limits<double>::infinity();
    return 86400.0 * (options_.date_slack_days +
                      options_.window_days * std::log(1.0 / options_.edge_floor));
  }

  // Exact search ("Flat"), each pair once. Positions are cut into tiles of kTile: the dated
  // ones in date order, then the undated ones. Tiles I <= J pair when they can hold a pair
  // within reach (always when either is undated); one sgemm gives the pair's inner products,
  // and each document pair within reach is offered to both documents' best-`candidates` lists.
  // Dated columns J are taken in order, and each pairs with I = J, J - 1, ... down to reach,
  // then with the undated tiles: both sides meet their nearest tiles first, so the lists' floors
  // rise early and few offers enter. Columns are taken in waves by the threads, each with its
  // own lists (the best k of a set do not depend on how it was split). After a wave, the
  // documents whose reach ends inside it have met every document they can pair with: their
  // lists are merged and their candidates re-scored. Tiles do not depend on the thread count,
  // and each pair's score comes from one sgemm of the same shape, so the graph does not either.
  Status BandSearch() {
    const size_t k = static_cast<size_t>(options_.candidates);
    const double reach = Reach();
    std::vector<size_t> tile_begin;
    for (size_t p = 0; p < dated_; p += kTile) tile_begin.push_back(p);
    const size_t dated_tiles = tile_begin.size();
    for (size_t p = dated_; p < n_; p += kTile) tile_begin.push_back(p);
    const size_t tiles = tile_begin.size();
    auto tile_end = [&](size_t t) {
      return t + 1 == dated_tiles ? dated_ : t + 1 < tiles ? tile_begin[t + 1] : n_;
    };
    auto date = [&](size_t p) { return static_cast<double>(*dates_[order_[p]]); };
    // Dated tile I pairs with dated columns [I, partners_end[I]).
    std::vector<size_t> partners_end(dated_tiles);
    for (size_t t = 0, j = 0; t < dated_tiles; ++t) {
      j = std::max(j, t + 1);
      while (j < dated_tiles && date(tile_begin[j]) <= date(tile_end(t) - 1) + reach) ++j;
      partners_end[t] = j;
    }
    // Split across ranks (cluster/graph_split.h): this rank searches the dated columns [cb, ce)
    // and offers to the rows of its halo, tiles [h0, cb), whose lists go to their ranks. One
    // machine: every column, no halo.
    const int rank = split_ ? split_->rank() : 0;
    const int ranks = split_ ? split_->size() : 1;
    auto columns = [&](int q) {
      return std::pair<size_t, size_t>{dated_tiles * static_cast<size_t>(q) / ranks,
                                       dated_tiles * static_cast<size_t>(q + 1) / ranks};
    };
    auto halo = [&](size_t cb, size_t ce) {
      size_t h = cb;
      if (cb < ce) {
        while (h > 0 && partners_end[h - 1] > cb) --h;
      }
      return h;
    };
    const auto [cb, ce] = columns(rank);
    const size_t h0 = halo(cb, ce);

    std::vector<TopKLists> lists(static_cast<size_t>(threads_),
                                           TopKLists(static_cast<int>(k)));
    const size_t wave_tiles = std::max<size_t>(1, 4 * static_cast<size_t>(threads_) * kBlock / kTile);
    std::vector<uint32_t> candidates;
    size_t complete = h0;  // tiles [h0, complete) are re-scored (or sent to their ranks)
    size_t lo = 0;
    auto lo_for = [&](size_t tile) {
      while (date(lo) < date(tile_begin[tile]) - reach) ++lo;
      return lo;
    };

    // Searches the columns [w, e): dated ones, or (last) every undated one.
    auto search = [&](size_t w, size_t e) -> Status {
      const bool dated = w < dated_tiles;
      Block span{0, 0, 0, dated_, dated_, !dated};
      if (dated) {
        span.lo = lo_for(complete);
        span.hi = tile_end(e - 1);
      }
      if (Status s = Slide(span); !s.ok()) return s;
      for (auto& l : lists) l.Resize(vectors_.size());

      Clock::time_point t0 = Clock::now();
      std::atomic<size_t> next{w};
      auto worker = [&](size_t thread) {
        TopKLists& mine = lists[thread];
        std::vector<float> a, b, s, col_floor;
        std::vector<uint32_t> slot_a, slot_b;
        for (size_t j = next++; j < e; j = next++) {
          Gather(tile_begin[j], tile_end(j), &b, &slot_b);
          // Offers the pairs of tiles i <= j within reach.
          auto pair = [&](size_t i, size_t jj, const std::vector<float>& bm,
                          const std::vector<uint32_t>& sb) {
            const size_t ib = tile_begin[i], ie = tile_end(i);
            const size_t jb = tile_begin[jj], je = tile_end(jj);
            const bool same = i == jj;
            if (!same) Gather(ib, ie, &a, &slot_a);
            const std::vector<float>& am = same ? bm : a;
            const std::vector<uint32_t>& sa = same ? sb : slot_a;
            const size_t na = ie - ib, nb = je - jb;
            s.resize(na * nb);
            InnerProducts(am.data(), na, bm.data(), nb, options_.dim, s.data());
            const bool both_dated = i < dated_tiles && jj < dated_tiles;
            size_t limit = 0;
            const float* floors = mine.floors();
            col_floor.resize(nb);
            for (size_t c = 0; c < nb; ++c) col_floor[c] = floors[sb[c]];
            for (size_t r = 0; r < na; ++r) {
              const size_t c0 = same ? r + 1 : 0;
              size_t c1 = nb;
              if (both_dated) {
                const double until = date(ib + r) + reach;
                while (limit < nb && date(jb + limit) <= until) ++limit;
                c1 = limit;
              }
              mine.OfferRow(s.data() + r * nb, c0, c1, sa[r], static_cast<uint32_t>(ib + r),
                            sb.data(), static_cast<uint32_t>(jb), col_floor.data());
            }
          };
          if (j < dated_tiles) {
            for (size_t i = j + 1; i-- > 0 && partners_end[i] > j;) pair(i, j, b, slot_b);
            // The column's tile against the undated tiles: its documents are then complete
            // once their dated partners are.
            for (size_t u = dated_tiles; u < tiles; ++u) {
              Gather(tile_begin[u], tile_end(u), &b, &slot_b);
              pair(j, u, b, slot_b);
            }
          } else {
            for (size_t i = j + 1; i-- > dated_tiles;) pair(i, j, b, slot_b);
          }
        }
      };
      {
        std::vector<std::thread> pool;
        for (size_t t = 1; t < std::min<size_t>(threads_, e - w); ++t) pool.emplace_back(worker, t);
        worker(0);
        for (std::thread& t : pool) t.join();
      }
      stats_.search_seconds += Since(t0);
      return Status::OK();
    };
    // The best k of position p's lists, drained from every thread's.
    auto best = [&](size_t p, std::vector<Scored>* merged) {
      merged->clear();
      const int32_t slot = slot_of_[order_[p]];
      if (slot < 0) return;  // not held: offered nothing
      for (auto& l : lists) l.Drain(static_cast<uint32_t>(slot), merged);
      const size_t keep = std::min(k, merged->size());
      std::partial_sort(merged->begin(), merged->begin() + keep, merged->end(), Better);
      merged->resize(keep);
    };
    // Merges the lists of positions [first, last) and re-scores their candidates.
    auto rescore = [&](size_t first, size_t last) {
      if (first >= last) return;
      const Clock::time_point t0 = Clock::now();
      candidates.assign((last - first) * k, UINT32_MAX);
#pragma omp parallel num_threads(threads_)
      {
        std::vector<Scored> merged;
#pragma omp for schedule(static, 256)
        for (int64_t p = static_cast<int64_t>(first); p < static_cast<int64_t>(last); ++p) {
          best(static_cast<size_t>(p), &merged);
          uint32_t* row = candidates.data() + (static_cast<size_t>(p) - first) * k;
          for (size_t r = 0; r < merged.size(); ++r) row[r] = order_[merged[r].pos];
        }
      }
      stats_.search_seconds += Since(t0);
      RescoreRange(first, last, candidates.data(), k, nullptr);
    };
    // Lists of positions [first, last) for `to`'s ranks (split runs): doc, count, (score, pos)s.
    std::vector<std::string> outbox(static_cast<size_t>(ranks));
    auto post = [&](size_t first, size_t last, const std::function<int(size_t)>& to) {
      std::vector<Scored> merged;
      for (size_t p = first; p < last; ++p) {
        best(p, &merged);
        if (merged.empty()) continue;
        std::string& out = outbox[static_cast<size_t>(to(p))];
        const uint32_t head[2] = {order_[p], static_cast<uint32_t>(merged.size())};
        out.append(reinterpret_cast<const char*>(head), sizeof(head));
        out.append(reinterpret_cast<const char*>(merged.data()),
                   merged.size() * sizeof(Scored));
      }
    };
    auto owner = [&](size_t p) {
      const size_t t = p / kTile;  // a dated position's tile
      int q = 0;
      while (columns(q).second <= t) ++q;
      return q;
    };

    Status failed;  // a split run goes on to the collectives, its failure agreed on at the end
    if (split_) failed = DistributeWindows(tile_begin, partners_end, columns, halo);
    const size_t own_begin = cb < dated_tiles ? tile_begin[cb] : dated_;
    for (size_t w = split_ ? cb : 0; failed.ok() && w < (split_ ? ce : tiles);) {
      const bool dated = w < dated_tiles;
      const size_t e = dated ? std::min(split_ ? ce : dated_tiles, w + wave_tiles) : tiles;
      if (Status s = search(w, e); !s.ok()) {
        failed = s;
        break;
      }
      // Tiles whose partners all lie in the columns searched so far are complete.
      size_t done = complete;
      if (dated) {
        while (done < dated_tiles && partners_end[done] <= e) ++done;
      } else {
        done = tiles;
      }
      const size_t first = tile_begin[complete], last = done < tiles ? tile_begin[done] : n_;
      post(first, std::min(last, own_begin), owner);  // the halo's (split runs)
      rescore(std::max(first, own_begin), last);
      complete = done;
      w = e;
    }
    if (!split_) return failed;

    // Tiles [complete, ce) wait for offers from the next ranks' columns: the halo's lists among
    // them go to their ranks, as the undated documents' go to rank 0.
    const size_t own_end = ce < dated_tiles ? tile_begin[ce] : dated_;
    const size_t rest = complete < ce ? tile_begin[complete] : own_end;
    post(rest, own_begin, owner);
    if (rank != 0) post(dated_, n_, [](size_t) { return 0; });
    auto got = split_->AllToAll(std::move(outbox));
    if (!got.ok()) return got.status();
    const bool pending = std::max(rest, own_begin) < own_end;
    if (failed.ok()) {
      // The window of this rank's pending tiles, whose candidates reach up to the last partner
      // of its last tile, and the undated documents.
      Block span{0, 0, 0, 0, dated_, false};
      if (pending) {
        span.lo = lo_for(std::max(complete, cb));
        span.hi = tile_end(partners_end[ce - 1] - 1);
      } else {
        span.lo = span.hi = loaded_hi_;  // nothing dated to add: the undated documents
      }
      failed = Slide(span);
    }
    if (failed.ok()) {
      for (auto& l : lists) l.Resize(vectors_.size());
      for (const std::string& message : got.value()) {
        std::string_view in(message);
        while (in.size() >= 8) {
          uint32_t head[2];
          std::memcpy(head, in.data(), sizeof(head));
          in.remove_prefix(sizeof(head));
          const size_t bytes = head[1] * sizeof(Scored);
          if (in.size() < bytes || slot_of_[head[0]] < 0) {
            failed = Status::Internal("a rank sent best-k lists this rank does not hold");
            break;
          }
          const uint32_t slot = static_cast<uint32_t>(slot_of_[head[0]]);
          for (uint32_t r = 0; r < head[1]; ++r) {
            Scored e;
            std::memcpy(&e, in.data() + r * sizeof(e), sizeof(e));
            lists[0].Offer(slot, e.score, e.pos);
          }
          in.remove_prefix(bytes);
        }
      }
    }
    if (failed.ok() && pending) rescore(std::max(rest, own_begin), own_end);
    // Rank 0: the undated documents among themselves, then their lists.
    if (failed.ok() && rank == 0 && dated_tiles < tiles) {
      failed = search(dated_tiles, tiles);
      if (failed.ok()) rescore(dated_, n_);
    }
    return split_->Agree(failed);
  }

  // Split runs: rank 0 sends every other rank the vectors of its window (the positions its
  // columns, halo and pending tiles touch, and the undated documents); the others keep them
  // (receive_). Collective.
  template <typename Columns, typename Halo>
  Status DistributeWindows(const std::vector<size_t>& tile_begin,
                           const std::vector<size_t>& partners_end, Columns columns, Halo halo) {
    const int ranks = split_->size();
    const size_t dated_tiles = partners_end.size();
    auto tile_end = [&](size_t t) {
      return t + 1 == dated_tiles ? dated_ : t + 1 < tile_begin.size() ? tile_begin[t + 1] : n_;
    };
    const double reach = Reach();
    // Rank q's dated window [lo, hi).
    std::vector<std::pair<size_t, size_t>> window(static_cast<size_t>(ranks), {0, 0});
    for (int q = 1; q < ranks; ++q) {
      const auto [cb, ce] = columns(q);
      if (cb >= ce) continue;
      const double from = static_cast<double>(*dates_[order_[tile_begin[halo(cb, ce)]]]) - reach;
      size_t lo = tile_begin[halo(cb, ce)];
      while (lo > 0 && static_cast<double>(*dates_[order_[lo - 1]]) >= from) --lo;
      window[static_cast<size_t>(q)] = {lo, tile_end(partners_end[ce - 1] - 1)};
    }
    return ServeWindows(*split_, source_, order_, dated_, window, receive_);
  }

  // Copies the projections of positions [begin, end) into *rows, their slots into *slots.
  void Gather(size_t begin, size_t end, std::vector<float>* rows, std::vector<uint32_t>* slots) {
    rows->resize((end - begin) * dim_);
    slots->resize(end - begin);
    for (size_t p = begin; p < end; ++p) {
      const int32_t slot = slot_of_[order_[p]];
      (*slots)[p - begin] = static_cast<uint32_t>(slot);
      std::copy_n(rows_.data() + static_cast<size_t>(slot) * dim_, dim_,
                  rows->data() + (p - begin) * dim_);
    }
  }

  // Re-scores the candidates of positions [first, last), in parallel: position p's are
  // candidates[(p - first) * row_width ...], UINT32_MAX-padded; with all_pairs (candidates
  // null), every document of `all` is one.
  void RescoreRange(size_t first, size_t last, const uint32_t* candidates, size_t row_width,
                    const Block* all) {
    const Clock::time_point t0 = Clock::now();
#pragma omp parallel num_threads(threads_)
    {
      std::vector<float> dense(vocabulary_, 0.0f);
      std::vector<uint32_t> mine;
      std::vector<Edge> found, kept;
#pragma omp for schedule(dynamic, 64) nowait
      for (int64_t p = static_cast<int64_t>(first); p < static_cast<int64_t>(last); ++p) {
        mine.clear();
        if (candidates == nullptr) {
          for (size_t q = all->lo; q < all->hi; ++q) mine.push_back(order_[q]);
          for (size_t q = all->undated; q < n_; ++q) mine.push_back(order_[q]);
        } else {
          const uint32_t* row = candidates + (static_cast<size_t>(p) - first) * row_width;
          for (size_t r = 0; r < row_width && row[r] != UINT32_MAX; ++r) mine.push_back(row[r]);
        }
        Rescore(order_[static_cast<size_t>(p)], mine, &dense, &found);
        kept.insert(kept.end(), found.begin(), found.end());
      }
#pragma omp critical
      edges_.insert(edges_.end(), kept.begin(), kept.end());
    }
    stats_.rescore_seconds += Since(t0);
  }

  // Searches through FAISS (a factory other than "Flat", or all pairs), block by block.
  Status BlockSearch() {
    std::vector<Block> blocks;
    if (all_pairs_ || options_.edge_floor <= 0 || dated_ <= kBlock) {
      blocks.push_back({0, n_, 0, n_, n_, false});
    } else {
      const double reach = Reach();
      size_t lo = 0, hi = 0;
      for (size_t begin = 0; begin < dated_; begin += kBlock) {
        const size_t end = std::min(dated_, begin + kBlock);
        const double first = static_cast<double>(*dates_[order_[begin]]);
        const double last = static_cast<double>(*dates_[order_[end - 1]]);
        while (static_cast<double>(*dates_[order_[lo]]) < first - reach) ++lo;
        if (hi < end) hi = end;
        while (hi < dated_ && static_cast<double>(*dates_[order_[hi]]) <= last + reach) ++hi;
        blocks.push_back({begin, end, lo, hi, dated_, false});
      }
      if (dated_ < n_) blocks.push_back({dated_, n_, 0, dated_, dated_, true});
    }
    // Waves of up to 4 x `threads_` consecutive dated blocks: the window slides to cover the
    // wave, then threads take its blocks one at a time, each searched by one thread with its own
    // index (on few cores this beats one multi-threaded search per block: FAISS's OpenMP threads
    // spin while BLAS's multiply). A block alone in its wave (small or undated corpora) is
    // searched by all threads at once, over one shared index.
    const size_t wave_blocks = 4 * static_cast<size_t>(threads_);
    std::vector<uint32_t> candidates;  // per query of the wave: its candidates' documents
    for (size_t w = 0; w < blocks.size();) {
      size_t e = w + 1;
      while (e < blocks.size() && e - w < wave_blocks && !blocks[e].last && !blocks[w].last) ++e;
      Block span = blocks[w];
      span.hi = blocks[e - 1].hi;
      if (Status s = Slide(span); !s.ok()) return s;
      const size_t first = blocks[w].begin, last = blocks[e - 1].end;
      if (all_pairs_) {
        RescoreRange(first, last, nullptr, 0, &blocks[w]);
        w = e;
        continue;
      }
      Clock::time_point t0 = Clock::now();
      std::vector<Times> times(e - w);
      std::vector<Status> status(e - w);
      const int row_width = options_.candidates + 1;
      candidates.assign((last - first) * static_cast<size_t>(row_width), UINT32_MAX);
      if (e - w == 1) {
        status[0] = SearchBlock(blocks[w], static_cast<size_t>(threads_), &times[0],
                                candidates.data(), row_width);
      } else {
        std::atomic<size_t> next{w};
        auto worker = [&] {
          for (size_t j = next++; j < e; j = next++) {
            status[j - w] = SearchBlock(
                blocks[j], 1, &times[j - w],
                candidates.data() + (blocks[j].begin - first) * static_cast<size_t>(row_width),
                row_width);
          }
        };
        std::vector<std::thread> pool;
        for (size_t t = 1; t < std::min<size_t>(threads_, e - w); ++t) pool.emplace_back(worker);
        worker();
        for (std::thread& t : pool) t.join();
      }
      for (const Status& s : status) {
        if (!s.ok()) return s;
      }
      stats_.search_seconds += Since(t0);
      RescoreRange(first, last, candidates.data(), static_cast<size_t>(row_width), nullptr);
      w = e;
    }
    return Status::OK();
  }

  // Drops the documents behind the window and loads the ones it now reaches.
  Status Slide(const Block& b) {
    const Clock::time_point t0 = Clock::now();
    std::vector<uint32_t> load;
    auto evict = [&](size_t from, size_t to) {
      for (size_t p = from; p < to; ++p) {
        const uint32_t doc = order_[p];
        if (slot_of_[doc] < 0) continue;
        free_.push_back(slot_of_[doc]);
        std::vector<uint32_t>().swap(owned_[slot_of_[doc]].ids);
        std::vector<float>().swap(owned_[slot_of_[doc]].weights);
        vectors_[slot_of_[doc]] = nullptr;
        slot_of_[doc] = -1;
        --held_;
      }
    };
    auto want = [&](size_t from, size_t to) {
      for (size_t p = from; p < to; ++p) {
        if (slot_of_[order_[p]] < 0) load.push_back(order_[p]);
      }
    };
    // Loaded dated range [loaded_lo_, loaded_hi_) -> [lo, hi). With undated documents nothing is
    // dropped: their block, last, needs every document again.
    if (dated_ == n_) {
      evict(loaded_lo_, std::min(loaded_hi_, b.lo));
      evict(std::max(loaded_lo_, b.hi), loaded_hi_);
    }
    want(b.lo, std::min(b.hi, loaded_lo_));
    want(std::max(b.lo, loaded_hi_), b.hi);
    loaded_lo_ = b.lo;
    loaded_hi_ = b.hi;
    want(b.undated, n_);
    std::vector<SparseVector> chunk;
    const bool resident = !load.empty() && source_.Resident(load[0]) != nullptr;
    for (size_t from = 0; from < load.size(); from += kLoadChunk) {
      const size_t to = std::min(load.size(), from + kLoadChunk);
      const std::span<const uint32_t> docs(load.data() + from, to - from);
      if (!resident) {
        if (Status s = source_.Load(docs, &chunk); !s.ok()) return s;
        if (chunk.size() != docs.size()) {
          return Status::Internal("vector source returned the wrong number of vectors");
        }
      }
      std::vector<int32_t> slots(docs.size());
      for (size_t k = 0; k < docs.size(); ++k) {
        int32_t slot;
        if (!free_.empty()) {
          slot = free_.back();
          free_.pop_back();
        } else {
          slot = static_cast<int32_t>(vectors_.size());
          vectors_.emplace_back();
          owned_.emplace_back();
          rows_.resize(rows_.size() + dim_);
        }
        slots[k] = slot;
        slot_of_[docs[k]] = slot;
        if (resident) {
          vectors_[slot] = source_.Resident(docs[k]);
          if (vectors_[slot] == nullptr) return source_.Load(docs, &chunk);  // its error
        } else {
          owned_[slot] = std::move(chunk[k]);
          vectors_[slot] = &owned_[slot];
        }
        const SparseVector& v = *vectors_[slot];
        if (!v.ids.empty()) vocabulary_ = std::max(vocabulary_, v.ids.back() + 1);
      }
      held_ += docs.size();
      if (!all_pairs_) {
#pragma omp parallel for num_threads(threads_) schedule(static, 256)
        for (int64_t k = 0; k < static_cast<int64_t>(docs.size()); ++k) {
          ProjectRow(source_, *vectors_[slots[k]], options_.dim, options_.seed,
                     rows_.data() + static_cast<size_t>(slots[k]) * dim_);
        }
      }
    }
    stats_.peak_window = std::max<size_t>(stats_.peak_window, held_);
    stats_.project_seconds += Since(t0);
    return Status::OK();
  }

  // Builds the block's index and searches its queries with `threads` workers; query position p's
  // candidates go to candidates[(p - b.begin) * row_width ...], UINT32_MAX-padded. Not used for
  // all pairs (every base document is a candidate).
  Status SearchBlock(const Block& b, size_t threads, Times* times, uint32_t* candidates,
                     int row_width) {
    const double c0 = ThreadCpu();
    std::vector<uint32_t> base;  // base row -> document
    for (size_t p = b.lo; p < b.hi; ++p) base.push_back(order_[p]);
    for (size_t p = b.undated; p < n_; ++p) base.push_back(order_[p]);
    const int k = static_cast<int>(std::min<size_t>(static_cast<size_t>(row_width), base.size()));
    std::unique_ptr<DenseIndex> index;
    if (!base.empty()) {
      auto built = DenseIndex::Build(
          base.size(), options_.dim, factory_, k,
          [&](size_t begin, size_t end, std::vector<float>* buffer) {
            buffer->resize((end - begin) * dim_);
            for (size_t r = begin; r < end; ++r) {
              std::copy_n(rows_.data() + static_cast<size_t>(slot_of_[base[r]]) * dim_, dim_,
                          buffer->data() + (r - begin) * dim_);
            }
          });
      if (!built.ok()) return built.status();
      index = std::move(built.value());
    }
    times->search += ThreadCpu() - c0;  // the index build counts as search

    // Chunks of queries, taken by workers in any order; each query writes only its own row.
    const size_t chunks = index ? (b.end - b.begin + kQueryChunk - 1) / kQueryChunk : 0;
    std::atomic<size_t> next{0};
    std::mutex mutex;
    Status error;
    auto worker = [&] {
      omp_set_num_threads(1);
      std::vector<float> queries;
      std::vector<int64_t> ids;
      const double s0 = ThreadCpu();
      for (size_t c = next++; c < chunks; c = next++) {
        const size_t begin = b.begin + c * kQueryChunk;
        const size_t end = std::min(b.end, begin + kQueryChunk);
        const size_t nq = end - begin;
        queries.resize(nq * dim_);
        for (size_t q = 0; q < nq; ++q) {
          std::copy_n(rows_.data() + static_cast<size_t>(slot_of_[order_[begin + q]]) * dim_,
                      dim_, queries.data() + q * dim_);
        }
        ids.resize(nq * static_cast<size_t>(k));
        if (Status s = index->Search(queries.data(), nq, k, ids.data()); !s.ok()) {
          std::lock_guard<std::mutex> lock(mutex);
          if (error.ok()) error = s;
          return;
        }
        for (size_t q = 0; q < nq; ++q) {
          uint32_t* row = candidates + (begin - b.begin + q) * static_cast<size_t>(row_width);
          for (int r = 0; r < row_width; ++r) {
            const int64_t local = r < k ? ids[q * static_cast<size_t>(k) + r] : -1;
            row[r] = local >= 0 ? base[static_cast<size_t>(local)] : UINT32_MAX;
          }
        }
      }
      std::lock_guard<std::mutex> lock(mutex);
      times->search += ThreadCpu() - s0;
    };
    const size_t workers = std::max<size_t>(1, std::min<size_t>(threads, chunks));
    std::vector<std::thread> pool;
    for (size_t t = 1; t < workers; ++t) pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool) t.join();
    return error;
  }

  // Re-scores document i's candidates exactly; its best `knn` (ties: smaller index) are left in
  // *found. The
  // document is scattered into `dense` over the vocabulary, so a candidate costs one lookup per
  // term it holds; the sum runs over common terms in id order, as SparseDot does.
  void Rescore(uint32_t i, const std::vector<uint32_t>& candidates, std::vector<float>* dense,
               std::vector<Edge>* found) {
    const double scale = options_.window_days * 86400.0;
    const double slack = options_.date_slack_days * 86400.0;
    const SparseVector& vi = *vectors_[slot_of_[i]];
    float* d = dense->data();
    for (size_t t = 0; t < vi.ids.size(); ++t) d[vi.ids[t]] = vi.weights[t];
    std::vector<Edge>& local = *found;
    local.clear();
    for (uint32_t o : candidates) {
      if (o == i) continue;
      const SparseVector& vo = *vectors_[slot_of_[o]];
      double sim = 0;
      for (size_t t = 0; t < vo.ids.size(); ++t) {
        sim += static_cast<double>(d[vo.ids[t]]) * vo.weights[t];
      }
      if (dates_[i] && dates_[o]) {
        const double gap = std::abs(static_cast<double>(*dates_[i] - *dates_[o]));
        if (gap > slack) sim *= std::exp(-(gap - slack) / scale);
      }
      if (sim >= options_.edge_floor && sim > 0) {
        local.push_back({std::min(i, o), std::max(i, o), sim});
      }
    }
    for (uint32_t id : vi.ids) d[id] = 0.0f;
    const size_t keep = std::min(local.size(), static_cast<size_t>(options_.knn));
    std::partial_sort(local.begin(), local.begin() + keep, local.end(),
                      [i](const Edge& l, const Edge& r) {
                        if (l.sim != r.sim) return l.sim > r.sim;
                        return (l.a == i ? l.b : l.a) < (r.a == i ? r.b : r.a);
                      });
    local.resize(keep);
  }

  VectorSource& source_;
  std::span<const std::optional<UnixSeconds>> dates_;
  const ClusterOptions& options_;
  const std::string& factory_;
  const bool all_pairs_;
  const int threads_;
  ClusterStats& stats_;
  const size_t n_, dim_;
  std::vector<uint32_t> order_;   // position -> document
  size_t dated_ = 0;              // positions [0, dated_) are dated
  std::vector<int32_t> slot_of_;  // document -> slot, or -1 when not held
  std::vector<const SparseVector*> vectors_;  // per slot: the vector (in owned_ or resident)
  std::deque<SparseVector> owned_;            // per slot: a loaded vector (stable addresses)
  std::vector<float> rows_;            // per slot: the projection, dim_ floats
  std::vector<int32_t> free_;
  size_t held_ = 0;
  size_t loaded_lo_ = 0, loaded_hi_ = 0;
  uint32_t vocabulary_ = 0;
  // Every re-scored document's best `knn` (in any order: Build sorts them), a copy of an edge
  // found from both ends included.
  std::vector<Edge> edges_;
  GraphSplit* const split_;   // split runs: the group; else null
  WindowVectors* const receive_;        // split runs, ranks but 0: where the window arrives
};

}  // namespace

Result<std::vector<KnnEdge>> BuildKnnGraph(VectorSource& source,
                                           std::span<const std::optional<UnixSeconds>> dates,
                                           const ClusterOptions& options,
                                           const std::string& factory, bool all_pairs,
                                           int threads, ClusterStats& stats, GraphSplit* split,
                                           WindowVectors* receive) {
  GraphBuilder builder(source, dates, options, factory, all_pairs, threads, stats, split, receive);
  return builder.Build();
}

}  // namespace samestory::internal
