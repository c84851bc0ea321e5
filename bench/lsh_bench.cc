// LSH and grouping benchmark over the corpus's fingerprints (word 5-shingles, num_perm 128, as the
// pipeline makes them by default, computed once before timing):
//   BM_Candidates  LshBanding::Candidates over all signatures, threshold in {0.5, 0.8, 0.9};
//   BM_Finish      DuplicateFinder::Finish at threshold 0.8, DedupMode::kLsh vs kExact (the
//                  exact all-pairs reference). Finish may be called once per finder, so every
//                  iteration refills a new finder with the timer paused; only Finish is timed.
// Reports docs/s and bytes/s (of the article text behind the documents, so stages compare).
//
// Before timing: Candidates equals a naive reference (documents grouped by the exact contents of
// each band of `rows` values, all pairs within a group); every kExact pair has exact Jaccard >= t
// recomputed here from the sets; kLsh finds >= 95% of the kExact pairs (both documents in one
// group) and is subset-consistent with kExact (every kLsh group lies inside one kExact group). On a
// failure the benchmark is skipped with an error and the binary exits 1.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "bench/bench_corpus.h"
#include "samestory/dedup.h"
#include "samestory/lsh.h"
#include "samestory/minhash.h"
#include "samestory/shingle.h"
#include "samestory/status.h"
#include "samestory/text.h"

namespace samestory::bench {
namespace {

// ---- Inputs ------------------------------------------------------------------------------------

constexpr int kNumPerm = 128;

// Per corpus document: full (shingled and signed) or short (too short to shingle: a sequence
// hash), as the pipeline fingerprints a body.
struct Fingerprints {
  std::vector<bool> full;
  std::vector<uint64_t> sequence_hash;  // short documents; 0 for full ones
  std::vector<uint64_t> shingles;       // document d's: [begin[d], begin[d + 1]), repeats kept
  std::vector<size_t> begin{0};
  std::vector<uint32_t> signatures;  // (documents, kNumPerm) row-major; zeros for short ones
  std::string error;

  size_t size() const { return full.size(); }
  std::span<const uint64_t> doc_shingles(size_t d) const {
    return {shingles.data() + begin[d], begin[d + 1] - begin[d]};
  }
  std::span<const uint32_t> signature(size_t d) const {
    return {signatures.data() + d * kNumPerm, static_cast<size_t>(kNumPerm)};
  }
};

Fingerprints FingerprintCorpus(const CorpusTokens& tokens) {
  Fingerprints f;
  if (!tokens.error.empty()) {
    f.error = tokens.error;
    return f;
  }
  auto shingler = samestory::Shingler::Create(samestory::ShingleOptions{});
  samestory::MinHashOptions minhash_options;
  minhash_options.num_perm = kNumPerm;
  auto hasher = samestory::MinHasher::Create(minhash_options);
  if (!shingler.ok() || !hasher.ok()) {
    f.error = "Create: " + shingler.status().ToString() + ", " + hasher.status().ToString();
    return f;
  }
  std::vector<uint64_t> doc;
  f.signatures.assign(tokens.docs.size() * kNumPerm, 0);
  for (size_t d = 0; d < tokens.docs.size(); ++d) {
    shingler->ShingleUnordered(tokens.docs[d], &doc);
    f.full.push_back(!doc.empty());
    f.sequence_hash.push_back(doc.empty() ? shingler->SequenceHash(tokens.docs[d]) : 0);
    f.shingles.insert(f.shingles.end(), doc.begin(), doc.end());
    f.begin.push_back(f.shingles.size());
    if (!doc.empty()) hasher->Sign(doc, f.signatures.data() + d * kNumPerm);
  }
  return f;
}

const Fingerprints& GetFingerprints() {
  static const Fingerprints fingerprints = FingerprintCorpus(GetCorpusTokens());
  return fingerprints;
}

// Adds every document to a new finder, as the pipeline does.
samestory::Result<DuplicateFinder> FillFinder(const DedupOptions& options, const Corpus& corpus,
                                              const Fingerprints& f) {
  auto finder = DuplicateFinder::Create(options, kNumPerm);
  if (!finder.ok()) return finder;
  const bool signatures = options.mode == DedupMode::kLsh;
  for (size_t d = 0; d < f.size(); ++d) {
    if (f.full[d]) {
      finder->Add(corpus.dates[d], f.doc_shingles(d),
                  signatures ? f.signature(d) : std::span<const uint32_t>());
    } else {
      finder->AddShort(corpus.dates[d], f.sequence_hash[d]);
    }
  }
  return finder;
}

// ---- Reference checks --------------------------------------------------------------------------

// Candidate pairs by the definition: documents whose signatures agree on a whole band.
std::vector<CandidatePair> NaiveCandidates(const Fingerprints& f, samestory::LshParams params) {
  std::vector<CandidatePair> pairs;
  std::vector<uint32_t> docs;
  for (int band = 0; band < params.bands; ++band) {
    const size_t offset = static_cast<size_t>(band) * params.rows;
    auto band_of = [&](uint32_t d) { return f.signature(d).subspan(offset, params.rows); };
    docs.clear();
    for (uint32_t d = 0; d < f.size(); ++d) {
      if (f.full[d]) docs.push_back(d);
    }
    std::stable_sort(docs.begin(), docs.end(), [&](uint32_t x, uint32_t y) {
      auto bx = band_of(x), by = band_of(y);
      return std::lexicographical_compare(bx.begin(), bx.end(), by.begin(), by.end());
    });
    for (size_t i = 0; i < docs.size();) {
      size_t j = i + 1;
      while (j < docs.size() && std::ranges::equal(band_of(docs[i]), band_of(docs[j]))) ++j;
      for (size_t x = i; x < j; ++x) {
        for (size_t y = x + 1; y < j; ++y) {
          pairs.push_back({std::min(docs[x], docs[y]), std::max(docs[x], docs[y])});
        }
      }
      i = j;
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const CandidatePair& l, const CandidatePair& r) {
    return l.a != r.a ? l.a < r.a : l.b < r.b;
  });
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

std::string CheckCandidates(const LshBanding& banding, const Fingerprints& f) {
  const std::vector<CandidatePair> got = banding.Candidates(f.signatures, f.size(), f.full);
  const std::vector<CandidatePair> want = NaiveCandidates(f, banding.params());
  if (got == want) return "";
  return "Candidates gave " + std::to_string(got.size()) + " pairs, the naive banding " +
         std::to_string(want.size()) + " (b=" + std::to_string(banding.params().bands) +
         ", r=" + std::to_string(banding.params().rows) + ")";
}

constexpr double kThreshold = 0.8;
constexpr double kMinRecall = 0.95;

struct FinishCheck {
  std::string error;
  double recall = 0;  // share of kExact pairs whose documents share a kLsh group
  size_t exact_pairs = 0;
};

FinishCheck CheckFinish(const Corpus& corpus, const Fingerprints& f) {
  FinishCheck check;
  DedupOptions options;
  options.threshold = kThreshold;
  options.collect_pairs = true;
  options.mode = DedupMode::kExact;
  auto exact_finder = FillFinder(options, corpus, f);
  options.mode = DedupMode::kLsh;
  auto lsh_finder = FillFinder(options, corpus, f);
  if (!exact_finder.ok() || !lsh_finder.ok()) {
    check.error = "DuplicateFinder::Create: " + exact_finder.status().ToString() + ", " +
                  lsh_finder.status().ToString();
    return check;
  }
  const DuplicateGroups exact = exact_finder->Finish();
  const DuplicateGroups lsh = lsh_finder->Finish();
  if (exact.representative.size() != f.size() || lsh.representative.size() != f.size()) {
    check.error = "Finish did not give one representative per document";
    return check;
  }
  // kExact's pairs are what they claim.
  for (const samestory::ScoredPair& p : exact.pairs) {
    // Documents too short to shingle pair up only on identical text (dedup.h), scored 1.
    if (f.doc_shingles(p.a).empty() && f.doc_shingles(p.b).empty() && p.jaccard == 1.0f) continue;
    const double j = NaiveJaccard(SortedSet(f.doc_shingles(p.a)), SortedSet(f.doc_shingles(p.b)));
    if (!(p.a < p.b) || j < kThreshold) {
      check.error = "kExact pair (" + std::to_string(p.a) + ", " + std::to_string(p.b) +
                    ") has exact Jaccard " + std::to_string(j) + " < " + std::to_string(kThreshold);
      return check;
    }
  }
  // Recall of kLsh against kExact.
  size_t found = 0;
  for (const samestory::ScoredPair& p : exact.pairs) {
    found += lsh.representative[p.a] == lsh.representative[p.b];
  }
  check.exact_pairs = exact.pairs.size();
  check.recall = exact.pairs.empty() ? 1.0 : static_cast<double>(found) / exact.pairs.size();
  if (check.recall < kMinRecall) {
    check.error = "kLsh recall " + std::to_string(check.recall) + " of " +
                  std::to_string(exact.pairs.size()) + " kExact pairs is below " +
                  std::to_string(kMinRecall);
    return check;
  }
  // Subset consistency: all members of a kLsh group have one kExact group.
  std::map<uint32_t, uint32_t> exact_group_of_lsh_group;
  size_t split = 0;
  for (uint32_t d = 0; d < f.size(); ++d) {
    auto [it, inserted] =
        exact_group_of_lsh_group.try_emplace(lsh.representative[d], exact.representative[d]);
    split += !inserted && it->second != exact.representative[d];
  }
  if (split > 0) {
    check.error = std::to_string(split) + " documents are in a kLsh group that spans more than " +
                  "one kExact group";
  }
  return check;
}

const FinishCheck& GetFinishCheck() {
  static const FinishCheck check = CheckFinish(GetCorpus(), GetFingerprints());
  return check;
}

// ---- Benchmarks --------------------------------------------------------------------------------

// Arg 0: the Jaccard threshold the bands are tuned for, in hundredths.
void BM_Candidates(benchmark::State& state) {
  const Corpus& corpus = GetCorpus();
  if (!corpus.error.empty()) return FailCheck(state, corpus.error);
  const Fingerprints& f = GetFingerprints();
  if (!f.error.empty()) return FailCheck(state, f.error);
  LshOptions options;
  options.threshold = static_cast<double>(state.range(0)) / 100.0;
  auto banding = LshBanding::Create(options, kNumPerm);
  if (!banding.ok()) return FailCheck(state, banding.status().ToString());
  static std::map<int64_t, std::string> errors;  // checked once per threshold
  auto it = errors.find(state.range(0));
  if (it == errors.end()) {
    it = errors.emplace(state.range(0), CheckCandidates(banding.value(), f)).first;
  }
  if (!it->second.empty()) return FailCheck(state, it->second);

  size_t pairs = 0;
  for (auto _ : state) {
    std::vector<CandidatePair> candidates = banding->Candidates(f.signatures, f.size(), f.full);
    pairs = candidates.size();
    benchmark::DoNotOptimize(candidates.data());
  }
  SetTextRates(state, corpus.bytes, f.size());
  state.counters["candidates"] = static_cast<double>(pairs);
  const samestory::LshParams p = banding->params();
  state.SetLabel(corpus.label + ", num_perm " + std::to_string(kNumPerm) +
                 ", b=" + std::to_string(p.bands) + " r=" + std::to_string(p.rows));
}
BENCHMARK(BM_Candidates)
    ->ArgName("threshold_pct")
    ->Arg(50)
    ->Arg(80)
    ->Arg(90)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);

// Arg 0: the DedupMode (0 = kLsh, 1 = kExact).
void BM_Finish(benchmark::State& state) {
  const Corpus& corpus = GetCorpus();
  if (!corpus.error.empty()) return FailCheck(state, corpus.error);
  const Fingerprints& f = GetFingerprints();
  if (!f.error.empty()) return FailCheck(state, f.error);
  const FinishCheck& check = GetFinishCheck();
  if (!check.error.empty()) return FailCheck(state, check.error);
  DedupOptions options;
  options.threshold = kThreshold;
  options.mode = state.range(0) == 0 ? DedupMode::kLsh : DedupMode::kExact;

  size_t groups = 0, candidates = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto finder = FillFinder(options, corpus, f);
    if (!finder.ok()) {
      state.ResumeTiming();
      return FailCheck(state, finder.status().ToString());
    }
    state.ResumeTiming();
    const DuplicateGroups result = finder->Finish();
    groups = result.groups;
    candidates = result.candidates;
  }
  SetTextRates(state, corpus.bytes, f.size());
  state.counters["groups"] = static_cast<double>(groups);
  state.counters["candidates"] = static_cast<double>(candidates);
  state.counters["recall"] = check.recall;
  state.SetLabel(corpus.label + ", t=0.8, " +
                 (options.mode == DedupMode::kLsh ? "kLsh" : "kExact") + ", recall vs kExact " +
                 std::to_string(check.recall).substr(0, 5) + " of " +
                 std::to_string(check.exact_pairs) + " pairs");
}
BENCHMARK(BM_Finish)->ArgName("exact")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(0.5);

}  // namespace
}  // namespace samestory::bench

int main(int argc, char** argv) { return samestory::bench::RunBenchmarks(argc, argv, "lsh_bench"); }
