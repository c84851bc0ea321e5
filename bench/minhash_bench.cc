// MinHasher benchmark: MinHasher::Sign over the word 5-shingles of every document of the corpus,
// sweeping the signature length num_perm in {64, 128, 256}. Reports shingles/s, docs/s and bytes/s
// (of the article text behind the signed documents, so stages compare). Shingles are computed
// once before timing, as the pipeline passes them: ShingleUnordered(), repeats kept.
//
// Before timing, for each num_perm: (1) the estimate is close to the truth: over 200 pairs with
// exact Jaccard spread over [0, 1] (a corpus document's shingle set and a copy with a random share
// of its shingles replaced, fixed seed), the mean |EstimateJaccard - exact| is below 0.05 (the
// expected value is ~0.39 * 0.8 / sqrt(num_perm): 0.039 at 64, 0.020 at 256), with both computed
// here from first principles; (2) Sign is deterministic (twice, and by a second MinHasher of the
// same options), insensitive to order and repeats (the unordered shingles sign as the sorted set),
// and depends on the seed; (3) the empty set signs as all 0xFFFFFFFF. The coefficients a_i, b_i
// are private, so the signature cannot be recomputed exactly here. On a failure the benchmark is
// skipped with an error and the binary exits 1.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "bench/bench_corpus.h"
#include "samestory/minhash.h"
#include "samestory/shingle.h"
#include "samestory/text.h"

namespace samestory::bench {
namespace {

// ---- Inputs ------------------------------------------------------------------------------------

// Word 5-shingles (default options) of every corpus document long enough to have one, in text
// order with repeats (as the pipeline signs them), flattened: document i's are
// shingles[begin[i], begin[i + 1]).
struct Shingles {
  std::vector<uint64_t> shingles;
  std::vector<size_t> begin{0};
  size_t bytes = 0;  // text bytes of these documents
  std::string error;

  size_t size() const { return begin.size() - 1; }
  std::span<const uint64_t> doc(size_t i) const {
    return {shingles.data() + begin[i], begin[i + 1] - begin[i]};
  }
};

Shingles ShingleCorpus(const Corpus& corpus, const CorpusTokens& tokens) {
  Shingles out;
  if (!tokens.error.empty()) {
    out.error = tokens.error;
    return out;
  }
  auto shingler = samestory::Shingler::Create(samestory::ShingleOptions{});
  if (!shingler.ok()) {
    out.error = "Shingler::Create: " + shingler.status().ToString();
    return out;
  }
  std::vector<uint64_t> doc;
  for (size_t d = 0; d < corpus.texts.size(); ++d) {
    shingler->ShingleUnordered(tokens.docs[d], &doc);
    if (doc.empty()) continue;
    out.shingles.insert(out.shingles.end(), doc.begin(), doc.end());
    out.begin.push_back(out.shingles.size());
    out.bytes += corpus.texts[d].size();
  }
  return out;
}

const Shingles& GetShingles() {
  static const Shingles shingles = ShingleCorpus(GetCorpus(), GetCorpusTokens());
  return shingles;
}

// ---- Reference check ---------------------------------------------------------------------------

constexpr int kCheckPairs = 200;
constexpr double kMaxMeanAbsError = 0.05;

struct MinHashCheck {
  std::string error;          // "" when every check passed
  double mean_abs_error = 0;  // over kCheckPairs pairs
};

MinHashCheck CheckMinHasher(const MinHasher& hasher, const Shingles& corpus) {
  MinHashCheck check;
  const size_t k = static_cast<size_t>(hasher.num_perm());
  std::vector<uint32_t> sig_a(k), sig_b(k), again(k);

  // The empty set.
  hasher.Sign({}, sig_a.data());
  if (std::any_of(sig_a.begin(), sig_a.end(), [](uint32_t v) { return v != 0xFFFFFFFFu; })) {
    check.error = "Sign of the empty set is not all 0xFFFFFFFF";
    return check;
  }

  // Documents with enough distinct shingles for a spread of Jaccard values.
  std::vector<size_t> eligible;
  for (size_t d = 0; d < corpus.size(); ++d) {
    if (corpus.doc(d).size() >= 50) eligible.push_back(d);
  }
  if (eligible.empty()) {
    check.error = "no document has 50 shingles to build check pairs from";
    return check;
  }

  auto other = MinHasher::Create(hasher.options());
  MinHashOptions reseeded = hasher.options();
  reseeded.seed ^= 0x9E3779B97F4A7C15ULL;
  auto different = MinHasher::Create(reseeded);
  if (!other.ok() || !different.ok()) {
    check.error = "MinHasher::Create failed for an option set that was valid once";
    return check;
  }

  std::mt19937_64 rng(20240229);  // fixed: the check is the same on every run
  double sum_abs_error = 0;
  for (int p = 0; p < kCheckPairs; ++p) {
    const size_t d = eligible[rng() % eligible.size()];
    const std::vector<uint64_t> a = SortedSet(corpus.doc(d));
    // b: a with a share `replace` of its elements swapped for fresh random hashes, the share
    // stepping over [0, 1] so that exact Jaccard covers the whole range.
    const double replace = static_cast<double>(p) / (kCheckPairs - 1);
    std::vector<uint64_t> b;
    std::bernoulli_distribution swap(replace);
    for (uint64_t x : a) b.push_back(swap(rng) ? rng() : x);
    b = SortedSet(b);
    const double exact = NaiveJaccard(a, b);
    if (std::abs(samestory::ExactJaccard(a, b) - exact) > 1e-12) {
      check.error = "ExactJaccard disagrees with the definition on check pair " + std::to_string(p);
      return check;
    }

    hasher.Sign(a, sig_a.data());
    hasher.Sign(b, sig_b.data());
    size_t equal = 0;
    for (size_t i = 0; i < k; ++i) equal += sig_a[i] == sig_b[i];
    const double estimate = static_cast<double>(equal) / static_cast<double>(k);
    if (samestory::EstimateJaccard(sig_a, sig_b) != estimate) {
      check.error = "EstimateJaccard is not the fraction of equal positions";
      return check;
    }
    sum_abs_error += std::abs(estimate - exact);

    // Determinism, and insensitivity to order and repeats.
    hasher.Sign(a, again.data());
    if (again != sig_a) {
      check.error = "Sign is not deterministic (two calls, same input)";
      return check;
    }
    other->Sign(a, again.data());
    if (again != sig_a) {
      check.error = "two MinHashers of the same options sign differently";
      return check;
    }
    hasher.Sign(corpus.doc(d), again.data());
    if (again != sig_a) {
      check.error = "Sign of the unordered shingles (repeats kept) != Sign of the sorted set";
      return check;
    }
    different->Sign(a, again.data());
    if (again == sig_a) {
      check.error = "Sign does not depend on the seed";
      return check;
    }
  }
  check.mean_abs_error = sum_abs_error / kCheckPairs;
  if (!(check.mean_abs_error < kMaxMeanAbsError)) {
    char msg[160];
    std::snprintf(msg, sizeof msg,
                  "mean |estimate - exact Jaccard| over %d pairs is %.4f, not below %.2f",
                  kCheckPairs, check.mean_abs_error, kMaxMeanAbsError);
    check.error = msg;
  }
  return check;
}

// Checked once per num_perm, before the first benchmark of that MinHasher is timed.
const MinHashCheck& CheckFor(const MinHasher& hasher) {
  static std::map<int, MinHashCheck> checks;
  auto it = checks.find(hasher.num_perm());
  if (it == checks.end()) {
    it = checks.emplace(hasher.num_perm(), CheckMinHasher(hasher, GetShingles())).first;
  }
  return it->second;
}

// ---- Benchmark ---------------------------------------------------------------------------------

// Arg 0: num_perm.
void BM_Sign(benchmark::State& state) {
  const Corpus& corpus = GetCorpus();
  if (!corpus.error.empty()) return FailCheck(state, corpus.error);
  const Shingles& shingles = GetShingles();
  if (!shingles.error.empty()) return FailCheck(state, shingles.error);
  MinHashOptions options;
  options.num_perm = static_cast<int>(state.range(0));
  auto hasher = MinHasher::Create(options);
  if (!hasher.ok()) return FailCheck(state, hasher.status().ToString());
  const MinHashCheck& check = CheckFor(hasher.value());
  if (!check.error.empty()) return FailCheck(state, check.error);

  // Signatures of all documents, (count, num_perm) row-major, as LSH banding consumes them.
  const size_t k = static_cast<size_t>(options.num_perm);
  std::vector<uint32_t> signatures(shingles.size() * k);
  for (auto _ : state) {
    for (size_t d = 0; d < shingles.size(); ++d) {
      hasher->Sign(shingles.doc(d), signatures.data() + d * k);
    }
    benchmark::ClobberMemory();
  }
  SetTextRates(state, shingles.bytes, shingles.size());
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["shingles"] = benchmark::Counter(
      static_cast<double>(shingles.shingles.size()) * iterations, benchmark::Counter::kIsRate);
  state.counters["mean_abs_err"] = check.mean_abs_error;
  state.SetLabel(corpus.label + ", word 5-shingles, num_perm " + std::to_string(k));
}
BENCHMARK(BM_Sign)
    ->ArgName("num_perm")
    ->Arg(64)
    ->Arg(128)
    ->Arg(256)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);

}  // namespace
}  // namespace samestory::bench

int main(int argc, char** argv) {
  return samestory::bench::RunBenchmarks(argc, argv, "minhash_bench");
}
