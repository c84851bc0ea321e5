#include "bench/bench_corpus.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <utility>

#include "samestory/reader.h"
#include "samestory/status.h"

namespace samestory::bench {
namespace {

// Set when any correctness check fails: RunBenchmarks() then returns 1, so that a fast wrong
// answer cannot pass for a result.
bool g_check_failed = false;

Corpus LoadCorpus() {
  const CorpusFile file = ChooseCorpusFile();
  Corpus c;
  c.path = file.path;
  auto reader = JsonlReader::Open(c.path, ReaderOptions{});
  if (!reader.ok()) {
    c.error = c.path + ": " + reader.status().ToString();
    return c;
  }
  std::vector<Document> batch;
  while (true) {
    if (Status s = reader.value()->ReadBatch(4096, &batch); !s.ok()) {
      c.error = c.path + ": " + s.ToString();
      return c;
    }
    if (batch.empty()) break;
    for (Document& doc : batch) {
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
  std::snprintf(label, sizeof label, "%s: %zu docs, %.1f MB", file.name.c_str(), c.texts.size(),
                static_cast<double>(c.bytes) / 1e6);
  c.label = label;
  return c;
}

CorpusTokens TokenizeCorpus(const Corpus& corpus) {
  CorpusTokens t;
  if (!corpus.error.empty()) {
    t.error = corpus.error;
    return t;
  }
  auto tokenizer = Tokenizer::Create(TextOptions{});
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

}  // namespace

CorpusFile ChooseCorpusFile() {
  const std::string reuters =
      std::string(SAMESTORY_SHARED_DATASETS) + "/reuters21578/reuters21578.jsonl.gz";
  if (std::filesystem::exists(reuters)) return {reuters, "reuters21578"};
  return {std::string(SAMESTORY_SOURCE_DIR) + "/datasets/sample/articles.jsonl",
          "datasets/sample (reuters21578 absent)"};
}

const Corpus& GetCorpus() {
  static const Corpus corpus = LoadCorpus();
  return corpus;
}

const CorpusTokens& GetCorpusTokens() {
  static const CorpusTokens tokens = TokenizeCorpus(GetCorpus());
  return tokens;
}

std::vector<uint64_t> SortedSet(std::span<const uint64_t> v) {
  std::vector<uint64_t> s(v.begin(), v.end());
  std::sort(s.begin(), s.end());
  s.erase(std::unique(s.begin(), s.end()), s.end());
  return s;
}

double NaiveJaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  std::vector<uint64_t> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  const size_t union_size = a.size() + b.size() - common.size();
  return union_size == 0 ? 0.0 : static_cast<double>(common.size()) / union_size;
}

void SetTextRates(benchmark::State& state, size_t bytes, size_t docs) {
  state.SetBytesProcessed(static_cast<int64_t>(bytes * state.iterations()));
  state.counters["docs"] =
      benchmark::Counter(static_cast<double>(docs) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

void FailCheck(benchmark::State& state, const std::string& what) {
  g_check_failed = true;
  std::fprintf(stderr, "CHECK FAILED: %s\n", what.c_str());
  state.SkipWithError(what.c_str());
}

int RunBenchmarks(int argc, char** argv, const char* name) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_check_failed) {
    std::fprintf(stderr, "%s: a correctness check failed; timings are not valid\n", name);
    return 1;
  }
  return 0;
}

}  // namespace samestory::bench
