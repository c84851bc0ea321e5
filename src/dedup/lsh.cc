#include "samestory/lsh.h"

#include <omp.h>
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <queue>
#include <string>

#include "core/radix_sort.h"
#include "dedup/bucket_pairs.h"
#include "io/temp_file.h"

namespace samestory {

double CandidateProbability(double s, LshParams p) {
  return 1.0 - std::pow(1.0 - std::pow(s, p.rows), p.bands);
}

Result<LshParams> ChooseLshParams(double threshold, int num_perm, double recall_at_threshold) {
  if (!(threshold > 0.0 && threshold <= 1.0)) {
    return Status::InvalidArgument("threshold must be in (0, 1]");
  }
  // False-positive area: the integral of P(s) over [0, t], midpoint rule. For each r the powers
  // s^r are taken once per step and (1 - s^r)^b is accumulated over b, so the search costs
  // steps x num_perm x ln(num_perm) multiplications (no pow in the inner loops).
  constexpr int kSteps = 400;
  LshParams best;
  double best_area = 0.0;
  std::vector<double> x(kSteps), q(kSteps);
  for (int rows = 1; rows <= num_perm; ++rows) {
    const double at_t = std::pow(threshold, rows);
    // The most bands this r allows reach the recall, or no larger r does: 1 - (1 - t^r)^(K / r)
    // falls as r grows.
    if (1.0 - std::pow(1.0 - at_t, num_perm / rows) < recall_at_threshold) break;
    for (int i = 0; i < kSteps; ++i) {
      x[i] = std::pow(threshold * (i + 0.5) / kSteps, rows);
      q[i] = 1.0;
    }
    double miss_at_t = 1.0;  // (1 - t^r)^b
    for (int bands = 1; bands * rows <= num_perm; ++bands) {
      miss_at_t *= 1.0 - at_t;
      double area = 0.0;
      for (int i = 0; i < kSteps; ++i) {
        q[i] *= 1.0 - x[i];
        area += 1.0 - q[i];
      }
      if (1.0 - miss_at_t < recall_at_threshold) continue;
      area *= threshold / kSteps;
      if (best.bands == 0 || area < best_area) {
        best = {bands, rows};
        best_area = area;
      }
    }
  }
  if (best.bands == 0) {
    return Status::InvalidArgument("no LSH banding of " + std::to_string(num_perm) +
                                   " values reaches the requested recall at threshold " +
                                   std::to_string(threshold));
  }
  return best;
}

Status LshOptions::Validate(int num_perm) const {
  if (!(threshold > 0.0 && threshold <= 1.0)) {
    return Status::InvalidArgument("threshold must be in (0, 1]");
  }
  if (!(recall_at_threshold > 0.0 && recall_at_threshold < 1.0)) {
    return Status::InvalidArgument("recall_at_threshold must be in (0, 1)");
  }
  if ((bands == 0) != (rows == 0)) {
    return Status::InvalidArgument("set both bands and rows, or neither");
  }
  if (bands < 0 || rows < 0 || (bands > 0 && bands * rows > num_perm)) {
    return Status::InvalidArgument("bands * rows must be positive and at most num_perm (" +
                                   std::to_string(num_perm) + ")");
  }
  if (bucket_window < 1 || bucket_window > 4096) {
    return Status::InvalidArgument("bucket_window must be in [1, 4096]");
  }
  if (max_gap < 0) return Status::InvalidArgument("max_gap must be >= 0");
  return Status::OK();
}

Result<LshBanding> LshBanding::Create(const LshOptions& options, int num_perm) {
  if (Status s = options.Validate(num_perm); !s.ok()) return s;
  LshParams params{options.bands, options.rows};
  if (params.bands == 0) {
    auto chosen = ChooseLshParams(options.threshold, num_perm, options.recall_at_threshold);
    if (!chosen.ok()) return chosen.status();
    params = chosen.value();
  }
  return LshBanding(options, num_perm, params);
}

namespace {

// One band's entry: the key and the document's rank in the window order.
struct Entry {
  uint32_t key;
  uint32_t rank;
  bool operator<(const Entry& o) const { return key != o.key ? key < o.key : rank < o.rank; }
};

// Sorts entries that came in rank order by key, stably (so into (key, rank) order).
void SortByKey(std::vector<Entry>* v, std::vector<Entry>* scratch) {
  internal::RadixSortBy(v, scratch, 32, [](const Entry& e) { return e.key; });
}

// A pair as one sortable key: (a << 32) | b, a < b.
uint64_t PairKey(uint32_t x, uint32_t y) {
  return x < y ? (uint64_t{x} << 32) | y : (uint64_t{y} << 32) | x;
}

// Pairs of one bucket, its members given by rank in ascending order (the rule is
// internal::EmitBucketPairs). `time_of_rank` is empty when documents have no times.
void EmitBucket(const Entry* begin, const Entry* end, size_t window,
                std::span<const uint32_t> doc_of_rank, std::span<const int64_t> time_of_rank,
                int64_t max_gap, std::vector<uint64_t>* pairs) {
  internal::EmitBucketPairs(
      static_cast<size_t>(end - begin), window, time_of_rank.empty() ? 0 : max_gap,
      [&](size_t i) { return doc_of_rank[begin[i].rank]; },
      [&](size_t i) { return time_of_rank[begin[i].rank]; },
      [&](uint32_t x, uint32_t y) { pairs->push_back(PairKey(x, y)); });
}

// Buckets of a sorted run of entries, one callback per bucket.
template <typename F>
void ForEachBucket(const std::vector<Entry>& entries, const F& f) {
  for (size_t i = 0; i < entries.size();) {
    size_t j = i + 1;
    while (j < entries.size() && entries[j].key == entries[i].key) ++j;
    f(entries.data() + i, entries.data() + j);
    i = j;
  }
}

// External sort of one band's entries: sorted runs of `run_size` entries are written to a
// temporary file, then merged (a heap over the runs, one small buffer each), and buckets are
// emitted as they come out. The same pairs as an in-memory sort, in memory O(runs x buffer)
// plus the largest bucket.
template <typename Next, typename Emit>
Status SortExternally(const Next& next, size_t run_size, const Emit& emit) {
  auto file = internal::TempFile::Create("LSH band keys");
  if (!file.ok()) return file.status();
  internal::TempFile& f = *file.value();
  struct Run {
    uint64_t offset, count, read = 0;
    std::vector<Entry> buffer;
    size_t pos = 0;
  };
  std::vector<Run> runs;
  std::vector<Entry> chunk, scratch;
  chunk.reserve(run_size);
  Entry e;
  bool more = true;
  while (more) {
    chunk.clear();
    while (chunk.size() < run_size && (more = next(&e))) chunk.push_back(e);
    if (chunk.empty()) break;
    SortByKey(&chunk, &scratch);
    runs.push_back({f.Append(chunk.data(), chunk.size() * sizeof(Entry)), chunk.size()});
  }
  if (Status s = f.Flush(); !s.ok()) return s;
  const size_t buffer_entries = std::max<size_t>(64, run_size / std::max<size_t>(1, runs.size()));
  auto refill = [&](Run& r) -> Status {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buffer_entries, r.count - r.read));
    r.buffer.resize(n);
    r.pos = 0;
    if (n == 0) return Status::OK();
    Status s = f.Read(r.offset + r.read * sizeof(Entry), n * sizeof(Entry), r.buffer.data());
    r.read += n;
    return s;
  };
  using Head = std::pair<Entry, size_t>;  // (entry, run)
  auto later = [](const Head& l, const Head& r) { return r.first < l.first; };
  std::priority_queue<Head, std::vector<Head>, decltype(later)> heap(later);
  for (size_t i = 0; i < runs.size(); ++i) {
    if (Status s = refill(runs[i]); !s.ok()) return s;
    if (!runs[i].buffer.empty()) heap.push({runs[i].buffer[0], i});
  }
  std::vector<Entry> bucket;
  while (!heap.empty()) {
    const auto [top, i] = heap.top();
    heap.pop();
    if (!bucket.empty() && bucket.front().key != top.key) {
      emit(bucket.data(), bucket.data() + bucket.size());
      bucket.clear();
    }
    bucket.push_back(top);
    Run& r = runs[i];
    if (++r.pos == r.buffer.size()) {
      if (Status s = refill(r); !s.ok()) return s;
    }
    if (r.pos < r.buffer.size()) heap.push({r.buffer[r.pos], i});
  }
  if (!bucket.empty()) emit(bucket.data(), bucket.data() + bucket.size());
  return Status::OK();
}

}  // namespace

void LshBanding::BandKeys(std::span<const uint32_t> signature, uint32_t* keys) const {
  assert(signature.size() == static_cast<size_t>(num_perm_));
  const size_t rows = static_cast<size_t>(params_.rows);
  for (int band = 0; band < params_.bands; ++band) {
    const uint64_t h = XXH3_64bits_withSeed(signature.data() + static_cast<size_t>(band) * rows,
                                            rows * sizeof(uint32_t),
                                            options_.seed + static_cast<uint64_t>(band));
    keys[band] = static_cast<uint32_t>(h ^ (h >> 32)) | 1;
  }
}

std::vector<CandidatePair> LshBanding::CandidatesOfSignatures(
    std::span<const uint32_t> signatures, size_t count, const std::vector<bool>& eligible,
    int threads) const {
  assert(signatures.size() == count * static_cast<size_t>(num_perm_));
  const size_t bands = static_cast<size_t>(params_.bands);
  std::vector<uint32_t> keys(count * bands);
  for (size_t d = 0; d < count; ++d) {
    BandKeys(signatures.subspan(d * static_cast<size_t>(num_perm_), static_cast<size_t>(num_perm_)),
             keys.data() + d * bands);
  }
  std::vector<uint32_t> order(count);
  for (uint32_t d = 0; d < count; ++d) order[d] = d;
  // Without a memory budget nothing touches the disk, so nothing can fail.
  return std::move(Candidates(keys, order, eligible, threads, 0).value());
}

Result<std::vector<CandidatePair>> LshBanding::Candidates(std::span<const uint32_t> keys,
                                                          std::span<const uint32_t> order,
                                                          const std::vector<bool>& eligible,
                                                          int threads, size_t max_entries,
                                                          std::span<const int64_t> times) const {
  const size_t count = eligible.size();
  const size_t bands = count == 0 ? 0 : keys.size() / count;  // columns
  assert(keys.size() == count * bands);
  assert(order.size() == count);
  threads = std::max(1, threads);
  std::vector<uint32_t> doc_of_rank(count);
  for (uint32_t d = 0; d < count; ++d) doc_of_rank[order[d]] = d;
  std::vector<int64_t> time_of_rank;
  if (!times.empty()) {
    assert(times.size() == count);
    time_of_rank.resize(count);
    for (uint32_t d = 0; d < count; ++d) time_of_rank[order[d]] = times[d];
  }
  const size_t window = static_cast<size_t>(options_.bucket_window);
  // Bands are independent: each thread sorts its bands' keys (one band at a time, so memory is
  // one band's entries per thread, or one sorted run of them when `max_entries` is set) and
  // collects their pairs; the union is sorted at the end, so the result does not depend on the
  // thread count or on the budget.
  const size_t run_size = max_entries == 0 ? 0 : std::max<size_t>(1024, max_entries / threads);
  // Each thread gathers its bands' pairs (as 64-bit keys) and folds them, sorted and distinct,
  // into its list whenever they outgrow it: a pair found in many bands (copies agree on most)
  // is held about once, and each pair is copied a logarithmic number of times, not once a band.
  std::vector<std::vector<uint64_t>> per_thread(static_cast<size_t>(threads));
  std::vector<Status> errors(bands);
  auto fold = [](std::vector<uint64_t>* pending, std::vector<uint64_t>* mine,
                 std::vector<uint64_t>* merged) {
    std::sort(pending->begin(), pending->end());
    pending->erase(std::unique(pending->begin(), pending->end()), pending->end());
    merged->clear();
    merged->reserve(mine->size() + pending->size());
    std::set_union(mine->begin(), mine->end(), pending->begin(), pending->end(),
                   std::back_inserter(*merged));
    mine->swap(*merged);
    pending->clear();
  };
#pragma omp parallel num_threads(threads)
  {
    std::vector<Entry> entries, scratch;
    std::vector<uint64_t> pending, merged;
    std::vector<uint64_t>& mine = per_thread[static_cast<size_t>(omp_get_thread_num())];
#pragma omp for schedule(dynamic, 1)
    for (int64_t band = 0; band < static_cast<int64_t>(bands); ++band) {
      auto emit = [&](const Entry* b, const Entry* e) {
        EmitBucket(b, e, window, doc_of_rank, time_of_rank, options_.max_gap, &pending);
      };
      // Entries come in rank order, so a stable sort by key leaves them in (key, rank) order.
      size_t r = 0;
      auto next = [&](Entry* e) {
        for (; r < count; ++r) {
          const uint32_t d = doc_of_rank[r];
          if (!eligible[d]) continue;
          const uint32_t key = keys[d * bands + static_cast<size_t>(band)];
          if (key == 0) continue;  // no key in this column
          *e = {key, static_cast<uint32_t>(r)};
          ++r;
          return true;
        }
        return false;
      };
      if (run_size > 0 && count > run_size) {
        errors[static_cast<size_t>(band)] = SortExternally(next, run_size, emit);
      } else {
        entries.clear();
        entries.reserve(count);
        for (Entry e; next(&e);) entries.push_back(e);
        SortByKey(&entries, &scratch);
        ForEachBucket(entries, emit);
      }
      if (pending.size() > std::max<size_t>(size_t{1} << 16, 2 * mine.size())) {
        fold(&pending, &mine, &merged);
      }
    }
    fold(&pending, &mine, &merged);
  }
  for (const Status& s : errors) {
    if (!s.ok()) return s;
  }
  std::vector<uint64_t> all = std::move(per_thread[0]);
  for (size_t t = 1; t < per_thread.size(); ++t) {
    std::vector<uint64_t> merged;
    merged.reserve(all.size() + per_thread[t].size());
    std::set_union(all.begin(), all.end(), per_thread[t].begin(), per_thread[t].end(),
                   std::back_inserter(merged));
    all.swap(merged);
    std::vector<uint64_t>().swap(per_thread[t]);
  }
  std::vector<CandidatePair> pairs(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    pairs[i] = {static_cast<uint32_t>(all[i] >> 32), static_cast<uint32_t>(all[i])};
  }
  return pairs;
}

}  // namespace samestory
