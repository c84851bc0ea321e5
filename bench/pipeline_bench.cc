// Pipeline benchmark: RunDedup end to end (read + gunzip + JSON parse -> tokenize -> fingerprint ->
// LSH -> the copy rule, grouping -> JSON Lines to /dev/null) on the corpus file, with default
// options and threads in {1, 2}. Reports articles/s and bytes/s of uncompressed input, in wall
// time (the work is spread over threads).
//
// Before timing, the pipeline runs once per thread count with its output to a temp file: the
// summary's `articles` must equal the input's non-blank lines, counted here with zlib rather than
// the library's reader; the output must hold one line per article; and the output must be byte-
// identical at every thread count (output is a pure function of input and options). On a failure
// the benchmark is skipped with an error and the binary exits 1. Corpus: Reuters-21578 from
// shared/datasets when present, else datasets/sample; the label says which.
#include <benchmark/benchmark.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "bench/bench_corpus.h"
#include "samestory/pipeline.h"
#include "samestory/status.h"

namespace samestory::bench {
namespace {

// ---- Input -------------------------------------------------------------------------------------

// The input file, and what the benchmark knows of it without the library's reader.
struct Input {
  std::string path;
  std::string label;
  uint64_t records = 0;  // non-blank lines
  uint64_t bytes = 0;    // uncompressed
  std::string error;
};

bool IsBlank(const std::string& line) {
  return line.find_first_not_of(" \t\r\f\v") == std::string::npos;
}

Input CountInput() {
  const CorpusFile file = ChooseCorpusFile();
  Input in;
  in.path = file.path;
  // gzread reads plain files as they are.
  gzFile f = gzopen(in.path.c_str(), "rb");
  if (f == nullptr) {
    in.error = in.path + ": cannot open";
    return in;
  }
  char buf[1 << 16];
  std::string line;
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) {
    in.bytes += static_cast<uint64_t>(n);
    for (int i = 0; i < n; ++i) {
      if (buf[i] == '\n') {
        in.records += !IsBlank(line);
        line.clear();
      } else if (line.size() < 64) {  // enough to tell a blank line
        line.push_back(buf[i]);
      }
    }
  }
  in.records += !IsBlank(line);
  if (n < 0) in.error = in.path + ": gzread failed";
  gzclose(f);
  char label[200];
  std::snprintf(label, sizeof label, "%s: %llu records, %.1f MB", file.name.c_str(),
                static_cast<unsigned long long>(in.records), static_cast<double>(in.bytes) / 1e6);
  in.label = label;
  return in;
}

const Input& GetInput() {
  static const Input input = CountInput();
  return input;
}

// ---- Reference check ---------------------------------------------------------------------------

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// "" when a run with `threads` passes every check. The output of the first thread count checked
// is kept to compare the others with.
std::string CheckPipeline(const Input& input, int threads) {
  static std::string reference_output;
  static int reference_threads = 0;
  const std::string out_path = (std::filesystem::temp_directory_path() /
                                ("samestory_pipeline_bench_" + std::to_string(getpid()) + "_" +
                                 std::to_string(threads) + ".jsonl"))
                                   .string();
  DedupPipelineOptions options;
  options.threads = threads;
  DedupOutputs outputs;
  outputs.output = out_path;
  auto summary = RunDedup(input.path, outputs, options);
  std::string output = ReadFile(out_path);
  std::filesystem::remove(out_path);
  if (!summary.ok()) return "RunDedup: " + summary.status().ToString();
  if (summary->articles != input.records) {
    return "summary.articles = " + std::to_string(summary->articles) + " but the input has " +
           std::to_string(input.records) + " non-blank lines";
  }
  if (summary->input_bytes != input.bytes) {
    return "summary.input_bytes = " + std::to_string(summary->input_bytes) + " but the input has " +
           std::to_string(input.bytes) + " bytes";
  }
  const auto lines = static_cast<uint64_t>(std::count(output.begin(), output.end(), '\n'));
  if (lines != input.records) {
    return "the output has " + std::to_string(lines) + " lines for " +
           std::to_string(input.records) + " records";
  }
  if (reference_threads == 0) {
    reference_output = std::move(output);
    reference_threads = threads;
  } else if (output != reference_output) {
    return "the output with " + std::to_string(threads) + " threads differs from the output with " +
           std::to_string(reference_threads);
  }
  return "";
}

// ---- Benchmark ---------------------------------------------------------------------------------

// Arg 0: threads.
void BM_RunDedup(benchmark::State& state) {
  const Input& input = GetInput();
  if (!input.error.empty()) return FailCheck(state, input.error);
  const int threads = static_cast<int>(state.range(0));
  static std::map<int, std::string> errors;  // checked once per thread count
  auto it = errors.find(threads);
  if (it == errors.end()) it = errors.emplace(threads, CheckPipeline(input, threads)).first;
  if (!it->second.empty()) return FailCheck(state, it->second);

  DedupPipelineOptions options;
  options.threads = threads;
  DedupOutputs outputs;
  outputs.output = "/dev/null";
  DedupSummary last;
  for (auto _ : state) {
    auto summary = RunDedup(input.path, outputs, options);
    if (!summary.ok()) return FailCheck(state, "RunDedup: " + summary.status().ToString());
    last = summary.value();
  }
  const auto iterations = static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(input.bytes * state.iterations()));
  state.counters["articles"] = benchmark::Counter(static_cast<double>(input.records) * iterations,
                                                  benchmark::Counter::kIsRate);
  state.counters["MB"] = benchmark::Counter(static_cast<double>(input.bytes) / 1e6 * iterations,
                                            benchmark::Counter::kIsRate);
  // Where the last run's time went (seconds; *_cpu summed over threads).
  state.counters["read_s"] = last.seconds.read;
  state.counters["tok_cpu_s"] = last.seconds.tokenize_cpu;
  state.counters["fingerprint_cpu_s"] = last.seconds.fingerprint_cpu;
  state.counters["group_s"] = last.seconds.group;
  state.counters["groups"] = static_cast<double>(last.groups);
  state.SetLabel(input.label + ", threads " + std::to_string(threads));
}
BENCHMARK(BM_RunDedup)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace
}  // namespace samestory::bench

int main(int argc, char** argv) {
  return samestory::bench::RunBenchmarks(argc, argv, "pipeline_bench");
}
