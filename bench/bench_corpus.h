// What the stage benchmarks (bench/*_bench.cc) share: the corpus they run on, read once and kept
// in memory before any timing; its tokens; reference helpers for their checks; and the plumbing
// that makes a failed check fail the run (STYLE.md: "a fast wrong answer must fail loudly"). A
// benchmark that finds a wrong answer calls FailCheck(); main() returns RunBenchmarks(), which
// exits 1 when any check failed.
//
// Corpus: Reuters-21578 from shared/datasets (SAMESTORY_SHARED_DATASETS) when present, else the
// repo's datasets/sample (SAMESTORY_SOURCE_DIR); every label names it. Not thread-safe: call from
// the benchmark thread (Google Benchmark runs one benchmark at a time).
#ifndef SAMESTORY_BENCH_BENCH_CORPUS_H_
#define SAMESTORY_BENCH_BENCH_CORPUS_H_

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "samestory/document.h"
#include "samestory/text.h"

namespace samestory::bench {

// ---- Corpus ------------------------------------------------------------------------------------

// The corpus file and its name, without reading it.
struct CorpusFile {
  std::string path;
  std::string name;  // "reuters21578" or "datasets/sample (reuters21578 absent)", for labels
};

// Reuters-21578 when the shared dataset exists, else the sample corpus.
CorpusFile ChooseCorpusFile();

// The texts every benchmark runs on, read with JsonlReader (default ReaderOptions).
struct Corpus {
  std::string path;
  std::string label;               // names the corpus in every benchmark's label
  std::vector<std::string> texts;  // per good record: its body, or its title when it has none
  std::vector<std::string> ids;    // per text: its record's id, for messages
  // Per text: its record's date, if valid.
  std::vector<std::optional<UnixSeconds>> dates;
  size_t bytes = 0;   // sum of the texts' sizes
  std::string error;  // non-empty when the corpus could not be read
};

// Read on the first call (not timed); the same object afterwards.
const Corpus& GetCorpus();

// The tokens of every corpus text (default TextOptions): docs[i] of GetCorpus().texts[i].
struct CorpusTokens {
  std::vector<TokenList> docs;
  std::string error;  // non-empty when the corpus could not be read or tokenized
};

// Computed on the first call (not timed); the same object afterwards.
const CorpusTokens& GetCorpusTokens();

// ---- Reference helpers -------------------------------------------------------------------------

// v sorted, repeats removed.
std::vector<uint64_t> SortedSet(std::span<const uint64_t> v);

// |a ∩ b| / |a ∪ b| of sorted, distinct sets, by the definition; 0 when both are empty.
double NaiveJaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

// ---- Reporting ---------------------------------------------------------------------------------

// Sets bytes/s (of article text) and the "docs" rate counter of a finished benchmark that went
// over `docs` documents holding `bytes` bytes of text per iteration.
void SetTextRates(benchmark::State& state, size_t bytes, size_t docs);

// Records a failed correctness check: prints "CHECK FAILED: <what>" to stderr, skips the benchmark
// with that error, and makes RunBenchmarks() return 1.
void FailCheck(benchmark::State& state, const std::string& what);

// The whole of a benchmark's main(): runs the benchmarks the flags select. Returns 1 (after saying
// so on stderr, naming the binary `name`) when any FailCheck() was called or a flag is unknown,
// else 0.
int RunBenchmarks(int argc, char** argv, const char* name);

}  // namespace samestory::bench

#endif  // SAMESTORY_BENCH_BENCH_CORPUS_H_
