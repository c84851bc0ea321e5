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
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "samestory/document.h"
#include "samestory/reader.h"
#include "samestory/shingle.h"
#include "samestory/status.h"
#include "samestory/text.h"

namespace {

using samestory::ShingleKind;
using samestory::ShingleOptions;
using samestory::Shingler;
using samestory::Status;
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

// ---- Inputs ------------------------------------------------------------------------------------

// The tokens of every corpus text (default TextOptions), computed once before any timing.
struct Tokens {
  std::vector<TokenList> docs;
  std::string error;
};

Tokens TokenizeCorpus(const Corpus& corpus) {
  Tokens t;
  auto tokenizer = samestory::Tokenizer::Create(samestory::TextOptions{});
  if (!tokenizer.ok()) {
    t.error = "Tokenizer::Create: " + tokenizer.status().ToString();
    return t;
  }
  auto scratch = tokenizer->NewScratch();
  if (!scratch.ok()) {
    t.error = "NewScratch: " + scratch.status().ToString();
    return t;
  }
  t.docs.resize(corpus.texts.size());
  for (size_t d = 0; d < corpus.texts.size(); ++d) {
    if (Status s = tokenizer->Tokenize(corpus.texts[d], &scratch.value(), &t.docs[d]); !s.ok()) {
      t.error = "Tokenize of doc " + std::to_string(d) + ": " + s.ToString();
      return t;
    }
  }
  return t;
}

const Tokens& GetTokens() {
  static const Tokens tokens = TokenizeCorpus(GetCorpus());
  return tokens;
}

// ---- Reference check ---------------------------------------------------------------------------

// Units a shingler of `kind` slides over: tokens, or code points of the tokens joined by spaces.
size_t Units(const TokenList& tokens, ShingleKind kind) {
  if (kind == ShingleKind::kWord) return tokens.size();
  if (tokens.empty()) return 0;
  size_t code_points = tokens.size() - 1;  // the separating spaces
  for (unsigned char c : tokens.bytes()) code_points += (c & 0xC0) != 0x80;
  return code_points;
}

std::string CheckShingler(const Shingler& shingler, const Tokens& tokens) {
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
  if (it == errors.end()) it = errors.emplace(key, CheckShingler(shingler, GetTokens())).first;
  return it->second;
}

// ---- Benchmark ---------------------------------------------------------------------------------

// Args: char (0 = ShingleKind::kWord, 1 = kChar), k, sorted (0 = ShingleUnordered, 1 = Shingle).
void BM_Shingle(benchmark::State& state) {
  const Corpus& corpus = GetCorpus();
  if (!corpus.error.empty()) return FailCheck(state, corpus.error);
  const Tokens& tokens = GetTokens();
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
  const auto iterations = static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(corpus.bytes * state.iterations()));
  state.counters["docs"] = benchmark::Counter(static_cast<double>(tokens.docs.size()) * iterations,
                                              benchmark::Counter::kIsRate);
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

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_check_failed) {
    std::fprintf(stderr, "shingle_bench: a correctness check failed; timings are not valid\n");
    return 1;
  }
  return 0;
}
