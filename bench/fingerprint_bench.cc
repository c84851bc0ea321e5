// CopyFingerprinter benchmark: tokens -> copy fingerprints (grams, one-permutation sketch, sample,
// facts, anchors) over every text of the corpus. Sweeps the gram size (6, 8), the sketch size
// (128, 256, 512) and the parts that can be switched off (facts, anchors), so their costs can be
// told apart. Reports docs/s and bytes/s of article text (tokenizing is done once before timing;
// tokenize_bench measures it).
//
// Before timing, for each configuration and every document: the sketch has sketch_bins values;
// the sample is sorted, distinct, and holds only keys <= sample_limit; a second fingerprinter of
// the same options gives the same fingerprint; a document compared with itself has containment 1
// and no fact conflict; facts are sorted by context. On a failure the benchmark is skipped with
// an error and the binary exits 1. Corpus: Reuters-21578 from shared/datasets when present, else
// datasets/sample.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "bench/bench_corpus.h"
#include "samestory/fingerprint.h"
#include "samestory/text.h"

namespace samestory::bench {
namespace {

std::string CheckFingerprinter(const CopyFingerprinter& f, const CorpusTokens& tokens) {
  auto twin = CopyFingerprinter::Create(f.options());
  if (!twin.ok()) return "Create failed for valid options";
  const TokenList empty;
  CopyFingerprint a, b;
  for (size_t d = 0; d < tokens.docs.size(); ++d) {
    const std::string doc = "doc " + std::to_string(d) + ": ";
    f.Fingerprint(empty, tokens.docs[d], &a);
    twin->Fingerprint(empty, tokens.docs[d], &b);
    if (a.sample != b.sample || a.sketch != b.sketch || a.facts != b.facts ||
        a.anchors != b.anchors) {
      return doc + "two fingerprinters of the same options disagree";
    }
    if (a.kind == CopyFingerprint::Kind::kShort) continue;
    if (a.sketch.size() != static_cast<size_t>(f.options().sketch_bins)) {
      return doc + "sketch has " + std::to_string(a.sketch.size()) + " values";
    }
    if (std::adjacent_find(a.sample.begin(), a.sample.end(), std::greater_equal<uint32_t>()) !=
        a.sample.end()) {
      return doc + "sample not strictly increasing";
    }
    if (!a.sample.empty() && a.sample.back() > a.sample_limit) {
      return doc + "sample holds a key above its limit";
    }
    const SampleOverlap o = CompareSamples(a, a);
    if (o.containment() != 1.0 || CompareFacts(a.facts, a.facts).conflict != 0) {
      return doc + "a text compared with itself is not identical";
    }
    for (size_t i = 1; i < a.facts.size(); ++i) {
      if (a.facts[i].context < a.facts[i - 1].context) return doc + "facts not sorted";
    }
  }
  return "";
}

void BM_Fingerprint(benchmark::State& state) {
  FingerprintOptions options;
  options.gram_bytes = static_cast<int>(state.range(0));
  options.sketch_bins = static_cast<int>(state.range(1));
  if (state.range(2) == 0) options.max_facts = 0;
  if (state.range(3) == 0) options.anchors = 0;
  auto fingerprinter = CopyFingerprinter::Create(options);
  const Corpus& corpus = GetCorpus();
  const CorpusTokens& tokens = GetCorpusTokens();
  if (!fingerprinter.ok() || !corpus.error.empty() || !tokens.error.empty()) {
    FailCheck(state, "setup: " + corpus.error + tokens.error);
    return;
  }
  static std::map<std::tuple<int64_t, int64_t, int64_t, int64_t>, std::string> errors;
  const auto key = std::make_tuple(state.range(0), state.range(1), state.range(2), state.range(3));
  if (!errors.count(key)) errors[key] = CheckFingerprinter(fingerprinter.value(), tokens);
  if (!errors[key].empty()) {
    FailCheck(state, errors[key]);
    return;
  }
  const TokenList empty;
  CopyFingerprint fp;
  for (auto _ : state) {
    for (const TokenList& doc : tokens.docs) {
      fingerprinter->Fingerprint(empty, doc, &fp);
      benchmark::DoNotOptimize(fp.sketch.data());
    }
  }
  state.SetLabel(corpus.label);
  SetTextRates(state, corpus.bytes, tokens.docs.size());
}
// Args: gram bytes, sketch bins, facts on, anchors on.
BENCHMARK(BM_Fingerprint)
    ->ArgNames({"gram", "bins", "facts", "anchors"})
    ->Args({8, 256, 1, 1})
    ->Args({8, 256, 0, 1})
    ->Args({8, 256, 1, 0})
    ->Args({8, 256, 0, 0})
    ->Args({6, 256, 1, 1})
    ->Args({8, 128, 1, 1})
    ->Args({8, 512, 1, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace samestory::bench

int main(int argc, char** argv) {
  return samestory::bench::RunBenchmarks(argc, argv, "fingerprint_bench");
}
