// Shingler benchmark: tokens -> hashed k-shingles over every text of the corpus. Sweeps the
// shingle size (word k in {3, 5, 9}; char k = 5) and both calls: ShingleUnordered(), the one the
// pipeline uses, and Shingle(), which sorts and deduplicates. Reports shingles/s, docs/s and
// bytes/s (of the article text the tokens came from, so stages compare). Tokenizing is done once
// before timing and is not measured here (tokenize_bench does that).
//
// Before timing, for each (kind, k) and every document: ShingleUnordered() yields exactly one
// hash per window (units - k + 1, or none when units < k, units being tokens or code points of
// the tokens joined by single spaces), Shingle() is strictly increasing and equals the sorted set
// of ShingleUnordered(). On a failure the benchmark is skipped with an error and the binary exits
// 1. Corpus: Reuters-21578 from shared/datasets when present, else datasets/sample.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bench/bench_corpus.h"
#include "samestory/shingle.h"
#include "samestory/text.h"

namespace samestory::bench {
namespace {

// ---- Reference check ---------------------------------------------------------------------------

// Units a shingler of `kind` slides over: tokens, or code points of the tokens joined by spaces.
size_t Units(const TokenList& tokens, ShingleKind kind) {
  if (kind == ShingleKind::kWord) return tokens.size();
  if (tokens.empty()) return 0;
  size_t code_points = tokens.size() - 1;  // the separating spaces
  for (unsigned char c : tokens.bytes()) code_points += (c & 0xC0) != 0x80;
  return code_points;
}

std::string CheckShingler(const Shingler& shingler, const CorpusTokens& tokens) {
  const size_t k = static_cast<size_t>(shingler.options().size);
  std::vector<uint64_t> sorted, unordered, reference;
  for (size_t d = 0; d < tokens.docs.size(); ++d) {
    const std::string doc = "doc " + std::to_string(d) + ": ";
    shingler.Shingle(tokens.docs[d], &sorted);
    shingler.ShingleUnordered(tokens.docs[d], &unordered);
    const size_t units = Units(tokens.docs[d], shingler.options().kind);
    const size_t windows = units >= k ? units - k + 1 : 0;
    if (unordered.size() != windows) {
      return doc + "ShingleUnordered gave " + std::to_string(unordered.size()) + " hashes for " +
             std::to_string(windows) + " windows";
    }
    if (std::adjacent_find(sorted.begin(), sorted.end(), std::greater_equal<uint64_t>()) !=
        sorted.end()) {
      return doc + "Shingle() output is not strictly increasing (sorted, distinct)";
    }
    reference = unordered;
    std::sort(reference.begin(), reference.end());
    reference.erase(std::unique(reference.begin(), reference.end()), reference.end());
    if (reference != sorted) return doc + "Shingle() != the set of ShingleUnordered()";
  }
  return "";
}

// Checked once per (kind, k), before the first benchmark of that shingler is timed.
const std::string& ShinglerError(const Shingler& shingler) {
  static std::map<std::pair<int, int>, std::string> errors;
  const auto key =
      std::make_pair(static_cast<int>(shingler.options().kind), shingler.options().size);
  auto it = errors.find(key);
  if (it == errors.end()) {
    it = errors.emplace(key, CheckShingler(shingler, GetCorpusTokens())).first;
  }
  return it->second;
}

// ---- Benchmark ---------------------------------------------------------------------------------

// Args: char (0 = ShingleKind::kWord, 1 = kChar), k, sorted (0 = ShingleUnordered, 1 = Shingle).
void BM_Shingle(benchmark::State& state) {
  const Corpus& corpus = GetCorpus();
  if (!corpus.error.empty()) return FailCheck(state, corpus.error);
  const CorpusTokens& tokens = GetCorpusTokens();
  if (!tokens.error.empty()) return FailCheck(state, tokens.error);
  ShingleOptions options;
  options.kind = state.range(0) == 0 ? ShingleKind::kWord : ShingleKind::kChar;
  options.size = static_cast<int>(state.range(1));
  const bool sorted = state.range(2) != 0;
  auto shingler = Shingler::Create(options);
  if (!shingler.ok()) return FailCheck(state, shingler.status().ToString());
  if (const std::string& error = ShinglerError(shingler.value()); !error.empty()) {
    return FailCheck(state, error);
  }
  std::vector<uint64_t> out;
  size_t shingle_count = 0;
  for (auto _ : state) {
    for (const TokenList& doc : tokens.docs) {
      if (sorted) {
        shingler->Shingle(doc, &out);
      } else {
        shingler->ShingleUnordered(doc, &out);
      }
      shingle_count += out.size();
    }
    benchmark::DoNotOptimize(shingle_count);
  }
  SetTextRates(state, corpus.bytes, tokens.docs.size());
  state.counters["shingles"] =
      benchmark::Counter(static_cast<double>(shingle_count), benchmark::Counter::kIsRate);
  state.SetLabel(corpus.label + (options.kind == ShingleKind::kWord ? ", word " : ", char ") +
                 std::to_string(options.size) + "-shingles" +
                 (sorted ? ", Shingle (sorted)" : ", ShingleUnordered"));
}
BENCHMARK(BM_Shingle)
    ->ArgNames({"char", "k", "sorted"})
    ->Args({0, 3, 0})
    ->Args({0, 5, 0})
    ->Args({0, 9, 0})
    ->Args({1, 5, 0})
    ->Args({0, 3, 1})
    ->Args({0, 5, 1})
    ->Args({0, 9, 1})
    ->Args({1, 5, 1})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);

}  // namespace
}  // namespace samestory::bench

int main(int argc, char** argv) {
  return samestory::bench::RunBenchmarks(argc, argv, "shingle_bench");
}
