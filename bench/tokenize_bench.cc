// Tokenizer benchmark: Tokenizer::Tokenize over every text of the corpus, by the fast path
// (TokenizerPath::kFast, ASCII runs by built-in UAX #29 rules) and by ICU alone (kIcuOnly). The
// ratio of the two is the point: what the fast path buys. Reports bytes/s of article text,
// docs/s and tokens/s.
//
// Before timing, both paths tokenize every text and must give identical tokens (the fast path's
// contract in text.h); on a mismatch the benchmarks are skipped with an error and the binary
// exits 1. Corpus: Reuters-21578 from shared/datasets when present, else datasets/sample; the
// label says which.
#include <benchmark/benchmark.h>

#include <string>

#include "bench/bench_corpus.h"
#include "samestory/status.h"
#include "samestory/text.h"

namespace samestory::bench {
namespace {

// ---- Reference check ---------------------------------------------------------------------------

samestory::Result<Tokenizer> MakeTokenizer(TokenizerPath path) {
  TextOptions options;
  options.path = path;
  return Tokenizer::Create(options);
}

// "" when kFast and kIcuOnly give identical tokens for every text, else what differs first.
std::string CheckFastEqualsIcu(const Corpus& corpus) {
  auto fast_tokenizer = MakeTokenizer(TokenizerPath::kFast);
  auto icu_tokenizer = MakeTokenizer(TokenizerPath::kIcuOnly);
  if (!fast_tokenizer.ok()) return "Tokenizer::Create: " + fast_tokenizer.status().ToString();
  if (!icu_tokenizer.ok()) return "Tokenizer::Create: " + icu_tokenizer.status().ToString();
  const Tokenizer& fast = fast_tokenizer.value();
  const Tokenizer& icu = icu_tokenizer.value();
  auto fast_scratch = fast.NewScratch();
  auto icu_scratch = icu.NewScratch();
  if (!fast_scratch.ok()) return "NewScratch: " + fast_scratch.status().ToString();
  if (!icu_scratch.ok()) return "NewScratch: " + icu_scratch.status().ToString();
  TokenList a, b;
  size_t mismatched = 0;
  std::string first;
  for (size_t d = 0; d < corpus.texts.size(); ++d) {
    a.Clear();
    b.Clear();
    if (Status s = fast.Tokenize(corpus.texts[d], &fast_scratch.value(), &a); !s.ok()) {
      return "kFast Tokenize of doc " + std::to_string(d) + ": " + s.ToString();
    }
    if (Status s = icu.Tokenize(corpus.texts[d], &icu_scratch.value(), &b); !s.ok()) {
      return "kIcuOnly Tokenize of doc " + std::to_string(d) + ": " + s.ToString();
    }
    size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    if (i == a.size() && i == b.size()) continue;
    if (mismatched++ == 0) {
      first = "doc id " + corpus.ids[d] + " token " + std::to_string(i) + ": kFast \"" +
              (i < a.size() ? std::string(a[i]) : "<end>") + "\" vs kIcuOnly \"" +
              (i < b.size() ? std::string(b[i]) : "<end>") + "\"";
    }
  }
  if (mismatched == 0) return "";
  return "kFast != kIcuOnly tokens in " + std::to_string(mismatched) + " of " +
         std::to_string(corpus.texts.size()) + " docs; first: " + first;
}

// Computed once, on the first benchmark that needs it, before that benchmark's timing.
const std::string& FastEqualsIcuError() {
  static const std::string error = CheckFastEqualsIcu(GetCorpus());
  return error;
}

// ---- Benchmark ---------------------------------------------------------------------------------

// Arg 0: the TokenizerPath (0 = kFast, 1 = kIcuOnly).
void BM_Tokenize(benchmark::State& state) {
  const Corpus& corpus = GetCorpus();
  if (!corpus.error.empty()) return FailCheck(state, corpus.error);
  if (const std::string& error = FastEqualsIcuError(); !error.empty()) {
    return FailCheck(state, error);
  }
  const TokenizerPath path = state.range(0) == 0 ? TokenizerPath::kFast : TokenizerPath::kIcuOnly;
  auto created = MakeTokenizer(path);
  if (!created.ok()) return FailCheck(state, created.status().ToString());
  const Tokenizer& tokenizer = created.value();
  auto scratch = tokenizer.NewScratch();
  if (!scratch.ok()) return FailCheck(state, scratch.status().ToString());
  TokenList tokens;
  size_t token_count = 0;
  bool failed = false;
  for (auto _ : state) {
    for (const std::string& text : corpus.texts) {
      tokens.Clear();
      failed |= !tokenizer.Tokenize(text, &scratch.value(), &tokens).ok();
      token_count += tokens.size();
    }
    benchmark::DoNotOptimize(token_count);
  }
  if (failed) return FailCheck(state, "Tokenize failed inside the timed loop");
  SetTextRates(state, corpus.bytes, corpus.texts.size());
  state.counters["tokens"] =
      benchmark::Counter(static_cast<double>(token_count), benchmark::Counter::kIsRate);
  state.SetLabel(corpus.label + (path == TokenizerPath::kFast ? ", kFast" : ", kIcuOnly"));
}
BENCHMARK(BM_Tokenize)
    ->ArgName("icu_only")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);

}  // namespace
}  // namespace samestory::bench

int main(int argc, char** argv) {
  return samestory::bench::RunBenchmarks(argc, argv, "tokenize_bench");
}
