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

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "samestory/document.h"
#include "samestory/reader.h"
#include "samestory/status.h"
#include "samestory/text.h"

namespace {

using samestory::Status;
using samestory::TextOptions;
using samestory::Tokenizer;
using samestory::TokenizerPath;
using samestory::TokenizerScratch;
using samestory::TokenList;

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
  const auto iterations = static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(corpus.bytes * state.iterations()));
  state.counters["docs"] = benchmark::Counter(static_cast<double>(corpus.texts.size()) * iterations,
                                              benchmark::Counter::kIsRate);
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

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_check_failed) {
    std::fprintf(stderr, "tokenize_bench: a correctness check failed; timings are not valid\n");
    return 1;
  }
  return 0;
}
