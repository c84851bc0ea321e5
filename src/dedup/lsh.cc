#include "samestory/lsh.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <string>

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

std::vector<CandidatePair> LshBanding::Candidates(std::span<const uint32_t> signatures,
                                                  size_t count, const std::vector<bool>& eligible,
                                                  int threads) const {
  assert(signatures.size() == count * static_cast<size_t>(num_perm_));
  assert(eligible.size() == count);
  struct Entry {
    uint64_t key;
    uint32_t doc;
    bool operator<(const Entry& o) const { return key != o.key ? key < o.key : doc < o.doc; }
  };
  const size_t rows = static_cast<size_t>(params_.rows);
  // Bands are independent: each thread sorts its bands' keys (one band at a time, so memory is
  // one band's entries per thread) and collects their pairs; the union is sorted at the end, so
  // the result does not depend on the thread count.
  std::vector<std::vector<CandidatePair>> per_band(static_cast<size_t>(params_.bands));
#pragma omp parallel num_threads(std::max(1, threads))
  {
    std::vector<Entry> entries;
#pragma omp for schedule(dynamic, 1)
    for (int band = 0; band < params_.bands; ++band) {
      entries.clear();
      entries.reserve(count);
      std::vector<CandidatePair>& pairs = per_band[static_cast<size_t>(band)];
      const uint64_t seed = options_.seed + static_cast<uint64_t>(band);
      for (size_t d = 0; d < count; ++d) {
        if (!eligible[d]) continue;
        const uint32_t* v = signatures.data() + d * num_perm_ + band * rows;
        entries.push_back(
            {XXH3_64bits_withSeed(v, rows * sizeof(uint32_t), seed), static_cast<uint32_t>(d)});
      }
      std::sort(entries.begin(), entries.end());
      for (size_t i = 0; i < entries.size();) {
        size_t j = i + 1;
        while (j < entries.size() && entries[j].key == entries[i].key) ++j;
        for (size_t x = i; x < j; ++x) {
          for (size_t y = x + 1; y < j; ++y) pairs.push_back({entries[x].doc, entries[y].doc});
        }
        i = j;
      }
    }
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
