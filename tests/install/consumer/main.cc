// Runs a dedup through the installed library: consumer <input.jsonl> <output.jsonl>. Prints the
// number of articles and duplicate groups; exits 1 on a failed run.
#include <samestory/pipeline.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: consumer <input.jsonl> <output.jsonl>\n");
    return 2;
  }
  samestory::DedupOutputs outputs;
  outputs.output = argv[2];
  samestory::DedupPipelineOptions options;
  options.threads = 1;
  auto summary = samestory::RunDedup(argv[1], outputs, options);
  if (!summary.ok()) {
    std::fprintf(stderr, "consumer: %s\n", summary.status().ToString().c_str());
    return 1;
  }
  std::printf("%llu articles, %llu groups\n",
              static_cast<unsigned long long>(summary.value().articles),
              static_cast<unsigned long long>(summary.value().groups));
  return 0;
}
