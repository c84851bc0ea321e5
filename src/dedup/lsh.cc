#include "samestory/lsh.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <string>

#include "io/temp_file.h"

namespace samestory {

double CandidateProbability(double s, LshParams p) {
  return 1.0 - std::pow(1.0 - std::pow(s, p.rows), p.bands);
}

Result<LshParams> ChooseLshParams(double threshold, int num_perm, double recall_at_threshold) {
  if (!(threshold > 0.0 && threshold <= 1.0)) {
    return Status::InvalidArgument("threshold must be in (0, 1]");
  }
  LshParams best;
  double best_area = 0.0;
  for (int rows = 1; rows <= num_perm; ++rows) {
    for (int bands = 1; bands * rows <= num_perm; ++bands) {
      LshParams p{bands, rows};
      if (CandidateProbability(threshold, p) < recall_at_threshold) continue;
      // False-positive area: integral of P(s) over [0, t], midpoint rule.
      constexpr int kSteps = 400;
      double area = 0.0;
      for (int i = 0; i < kSteps; ++i) {
        area += CandidateProbability(threshold * (i + 0.5) / kSteps, p);
      }
      area *= threshold / kSteps;
      if (best.bands == 0 || area < best_area) {
        best = p;
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

struct Entry {
  uint64_t key;
  uint32_t doc;
  bool operator<(const Entry& o) const { return key != o.key ? key < o.key : doc < o.doc; }
};

// Appends the pairs within each run of equal keys of sorted `entries` [begin, end).
void EmitGroup(const Entry* begin, const Entry* end, std::vector<CandidatePair>* pairs) {
  for (const Entry* x = begin; x != end; ++x) {
    for (const Entry* y = x + 1; y != end; ++y) pairs->push_back({x->doc, y->doc});
  }
}

void EmitSorted(const std::vector<Entry>& entries, std::vector<CandidatePair>* pairs) {
  for (size_t i = 0; i < entries.size();) {
    size_t j = i + 1;
    while (j < entries.size() && entries[j].key == entries[i].key) ++j;
    EmitGroup(entries.data() + i, entries.data() + j, pairs);
    i = j;
  }
}

// External sort of one band's entries: sorted runs of `run_size` entries are written to a
// temporary file, then merged (a heap over the runs, one small buffer each), and equal keys are
// grouped as they come out. The same pairs as an in-memory sort, in memory O(runs x buffer).
Status EmitExternal(const std::function<bool(Entry*)>& next, size_t run_size,
                    std::vector<CandidatePair>* pairs) {
  auto file = internal::TempFile::Create("LSH band keys");
  if (!file.ok()) return file.status();
  internal::TempFile& f = *file.value();
  struct Run {
    uint64_t offset, count, read = 0;
    std::vector<Entry> buffer;
    size_t pos = 0;
  };
  std::vector<Run> runs;
  std::vector<Entry> chunk;
  chunk.reserve(run_size);
  Entry e;
  bool more = true;
  while (more) {
    chunk.clear();
    while (chunk.size() < run_size && (more = next(&e))) chunk.push_back(e);
    if (chunk.empty()) break;
    std::sort(chunk.begin(), chunk.end());
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
  std::vector<Entry> group;
  while (!heap.empty()) {
    const auto [top, i] = heap.top();
    heap.pop();
    if (!group.empty() && group.front().key != top.key) {
      EmitGroup(group.data(), group.data() + group.size(), pairs);
      group.clear();
    }
    group.push_back(top);
    Run& r = runs[i];
    if (++r.pos == r.buffer.size()) {
      if (Status s = refill(r); !s.ok()) return s;
    }
    if (r.pos < r.buffer.size()) heap.push({r.buffer[r.pos], i});
  }
  EmitGroup(group.data(), group.data() + group.size(), pairs);
  return Status::OK();
}

}  // namespace

std::vector<CandidatePair> LshBanding::Candidates(std::span<const uint32_t> signatures,
                                                  size_t count, const std::vector<bool>& eligible,
                                                  int threads) const {
  auto pairs = Candidates(signatures, count, eligible, threads, 0);
  // Without a memory budget nothing touches the disk, so nothing can fail.
  return std::move(pairs.value());
}

Result<std::vector<CandidatePair>> LshBanding::Candidates(std::span<const uint32_t> signatures,
                                                          size_t count,
                                                          const std::vector<bool>& eligible,
                                                          int threads,
                                                          size_t max_entries) const {
  assert(signatures.size() == count * static_cast<size_t>(num_perm_));
  return CandidatesOf(
      [&](size_t d, int band) {
        return BandKey(signatures.subspan(d * static_cast<size_t>(num_perm_),
                                          static_cast<size_t>(num_perm_)),
                       band);
      },
      count, eligible, threads, max_entries);
}

Result<std::vector<CandidatePair>> LshBanding::CandidatesFromKeys(std::span<const uint64_t> keys,
                                                                  size_t count,
                                                                  const std::vector<bool>& eligible,
                                                                  int threads,
                                                                  size_t max_entries) const {
  assert(keys.size() == count * static_cast<size_t>(params_.bands));
  return CandidatesOf([&](size_t d, int band) { return keys[d * params_.bands + band]; }, count,
                      eligible, threads, max_entries);
}

uint64_t LshBanding::BandKey(std::span<const uint32_t> signature, int band) const {
  const size_t rows = static_cast<size_t>(params_.rows);
  return XXH3_64bits_withSeed(signature.data() + static_cast<size_t>(band) * rows,
                              rows * sizeof(uint32_t),
                              options_.seed + static_cast<uint64_t>(band));
}

void LshBanding::BandKeys(std::span<const uint32_t> signature, uint64_t* keys) const {
  for (int band = 0; band < params_.bands; ++band) keys[band] = BandKey(signature, band);
}

template <typename KeyOf>
Result<std::vector<CandidatePair>> LshBanding::CandidatesOf(const KeyOf& key_of, size_t count,
                                                            const std::vector<bool>& eligible,
                                                            int threads,
                                                            size_t max_entries) const {
  assert(eligible.size() == count);
  threads = std::max(1, threads);
  // Bands are independent: each thread sorts its bands' keys (one band at a time, so memory is
  // one band's entries per thread, or one sorted run of them when `max_entries` is set) and
  // collects their pairs; the union is sorted at the end, so the result does not depend on the
  // thread count or on the budget.
  const size_t run_size = max_entries == 0 ? 0 : std::max<size_t>(1024, max_entries / threads);
  std::vector<std::vector<CandidatePair>> per_band(static_cast<size_t>(params_.bands));
  std::vector<Status> errors(static_cast<size_t>(params_.bands));
#pragma omp parallel num_threads(threads)
  {
    std::vector<Entry> entries;
#pragma omp for schedule(dynamic, 1)
    for (int band = 0; band < params_.bands; ++band) {
      std::vector<CandidatePair>& pairs = per_band[static_cast<size_t>(band)];
      size_t d = 0;
      auto next = [&](Entry* e) {
        for (; d < count; ++d) {
          if (!eligible[d]) continue;
          *e = {key_of(d, band), static_cast<uint32_t>(d)};
          ++d;
          return true;
        }
        return false;
      };
      if (run_size > 0 && count > run_size) {
        errors[static_cast<size_t>(band)] = EmitExternal(next, run_size, &pairs);
        continue;
      }
      entries.clear();
      entries.reserve(count);
      for (Entry e; next(&e);) entries.push_back(e);
      std::sort(entries.begin(), entries.end());
      EmitSorted(entries, &pairs);
    }
  }
  for (const Status& s : errors) {
    if (!s.ok()) return s;
  }
  std::vector<CandidatePair> pairs;
  for (std::vector<CandidatePair>& band : per_band) {
    pairs.insert(pairs.end(), band.begin(), band.end());
    std::vector<CandidatePair>().swap(band);
  }
  std::sort(pairs.begin(), pairs.end(), [](const CandidatePair& l, const CandidatePair& r) {
    return l.a != r.a ? l.a < r.a : l.b < r.b;
  });
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

}  // namespace samestory
