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
#include <filesystem>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "samestory/document.h"
#include "samestory/minhash.h"
#include "samestory/reader.h"
#include "samestory/shingle.h"
#include "samestory/status.h"
#include "samestory/text.h"

namespace {

using samestory::MinHasher;
using samestory::MinHashOptions;
using samestory::Status;

// ---- Corpus (the same block opens every bench/*_bench.cc) --------------------------------------

// The texts every benchmark runs on, read once and kept in memory before any timing.
struct Corpus {
  std::string path;
  std::string label;               // names the corpus in every benchmark's label
  std::vector<std::string> texts;  // per good record: its body, or its title when it has none
  std::vector<std::string> ids;    // per text: its record's id, for messages
  // Per text: its record's date, if valid.
  std::vector<std::optional<samestory::UnixSeconds>> dates;
  size_t bytes = 0;   // sum of the texts' sizes
  std::string error;  // non-empty when the corpus could not be read
};

Corpus LoadCorpus() {
  Corpus c;
  const std::string reuters =
      std::string(SAMESTORY_SHARED_DATASETS) + "/reuters21578/reuters21578.jsonl.gz";
  const bool have_reuters = std::filesystem::exists(reuters);
  c.path = have_reuters ? reuters
                        : std::string(SAMESTORY_SOURCE_DIR) + "/datasets/sample/articles.jsonl";
  auto reader = samestory::JsonlReader::Open(c.path, samestory::ReaderOptions{});
  if (!reader.ok()) {
    c.error = c.path + ": " + reader.status().ToString();
    return c;
  }
  std::vector<samestory::Document> batch;
  while (true) {
    if (Status s = reader.value()->ReadBatch(4096, &batch); !s.ok()) {
      c.error = c.path + ": " + s.ToString();
      return c;
    }
    if (batch.empty()) break;
    for (samestory::Document& doc : batch) {
      if (!doc.error.empty()) continue;
      std::string& text = doc.text.empty() ? doc.title : doc.text;
      if (text.empty()) continue;
      c.bytes += text.size();
      c.texts.push_back(std::move(text));
      c.ids.push_back(doc.id);
      c.dates.push_back(doc.date);
    }
  }
  char label[160];
  std::snprintf(label, sizeof label, "%s: %zu docs, %.1f MB",
                have_reuters ? "reuters21578" : "datasets/sample (reuters21578 absent)",
                c.texts.size(), static_cast<double>(c.bytes) / 1e6);
  c.label = label;
  return c;
}

const Corpus& GetCorpus() {
  static const Corpus corpus = LoadCorpus();
  return corpus;
}

// Set when any correctness check fails: main() then exits 1, so that a fast wrong answer cannot
// pass for a result.
bool g_check_failed = false;

void FailCheck(benchmark::State& state, const std::string& what) {
  g_check_failed = true;
  std::fprintf(stderr, "CHECK FAILED: %s\n", what.c_str());
  state.SkipWithError(what.c_str());
}

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

Shingles ShingleCorpus(const Corpus& corpus) {
  Shingles out;
  auto tokenizer = samestory::Tokenizer::Create(samestory::TextOptions{});
  auto shingler = samestory::Shingler::Create(samestory::ShingleOptions{});
  if (!tokenizer.ok() || !shingler.ok()) {
    out.error = "Create: " + tokenizer.status().ToString() + ", " + shingler.status().ToString();
    return out;
  }
  auto scratch = tokenizer->NewScratch();
  if (!scratch.ok()) {
    out.error = "NewScratch: " + scratch.status().ToString();
    return out;
  }
  samestory::TokenList tokens;
  std::vector<uint64_t> doc;
  for (size_t d = 0; d < corpus.texts.size(); ++d) {
    tokens.Clear();
    if (Status s = tokenizer->Tokenize(corpus.texts[d], &scratch.value(), &tokens); !s.ok()) {
      out.error = "Tokenize of doc " + std::to_string(d) + ": " + s.ToString();
      return out;
    }
    shingler->ShingleUnordered(tokens, &doc);
    if (doc.empty()) continue;
    out.shingles.insert(out.shingles.end(), doc.begin(), doc.end());
    out.begin.push_back(out.shingles.size());
    out.bytes += corpus.texts[d].size();
  }
  return out;
}

const Shingles& GetShingles() {
  static const Shingles shingles = ShingleCorpus(GetCorpus());
  return shingles;
}

// ---- Reference check ---------------------------------------------------------------------------

constexpr int kCheckPairs = 200;
constexpr double kMaxMeanAbsError = 0.05;

std::vector<uint64_t> SortedSet(std::span<const uint64_t> v) {
  std::vector<uint64_t> s(v.begin(), v.end());
  std::sort(s.begin(), s.end());
  s.erase(std::unique(s.begin(), s.end()), s.end());
  return s;
}

// |a ∩ b| / |a ∪ b| of sorted, distinct sets, by the definition.
double NaiveJaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  std::vector<uint64_t> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  const size_t union_size = a.size() + b.size() - common.size();
  return union_size == 0 ? 0.0 : static_cast<double>(common.size()) / union_size;
}

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
  const auto iterations = static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(shingles.bytes * state.iterations()));
  state.counters["docs"] = benchmark::Counter(static_cast<double>(shingles.size()) * iterations,
                                              benchmark::Counter::kIsRate);
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

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_check_failed) {
    std::fprintf(stderr, "minhash_bench: a correctness check failed; timings are not valid\n");
    return 1;
  }
  return 0;
}
