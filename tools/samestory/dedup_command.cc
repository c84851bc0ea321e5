// `samestory dedup`: near-duplicate groups of a JSON Lines corpus.
#include <memory>
#include <string>

#include "commands.h"
#include "common.h"
#include "progress.h"

namespace samestory::cli {
namespace {

struct DedupArgs {
  PipelineArgs pipeline;
  DedupOutputs outputs;
  Communicator* comm = nullptr;
};

int RunDistributedDedup(DedupArgs& a) {
  const bool root = a.comm->rank() == 0;
  BadRecordPrinter bad("dedup");
  auto result = RunDedupDistributed(*a.comm, a.pipeline.input, a.outputs, a.pipeline.options,
                                    [&](const Document& d) { bad(d); });
  if (!result.ok()) {
    return root ? ReportFailure("dedup", result.status())
                : ExitCode(result.status());
  }
  bad.Finish();  // each rank reports the bad records of its share
  if (root) {
    PrintDedupSummary("dedup", result.value().run, a.pipeline.exact, stderr);
    PrintRankSummaries("dedup", result.value().ranks, stderr);
  }
  return 0;
}

int RunDedupCommand(DedupArgs& a) {
  a.pipeline.Apply();
  if (a.comm != nullptr) return RunDistributedDedup(a);
  BadRecordPrinter bad("dedup");
  ProgressLine progress("dedup", a.pipeline.quiet);
  auto result = RunDedup(a.pipeline.input, a.outputs, a.pipeline.options,
                         [&](const Document& d) { bad(d); },
                         [&](uint64_t records, uint64_t bytes) { progress.Update(records, bytes); });
  progress.Done();
  bad.Finish();
  if (!result.ok()) return ReportFailure("dedup", result.status());
  PrintDedupSummary("dedup", result.value(), a.pipeline.exact, stderr);
  WarnIfOverMemoryLimit("dedup", result.value(), stderr);
  return 0;
}

}  // namespace

void AddDedupCommand(CLI::App& app, int* exit_code, Communicator* comm) {
  auto args = std::make_shared<DedupArgs>();
  args->comm = comm;
  CLI::App* cmd = app.add_subcommand(
      "dedup", "Group copies of one article (wire copies: re-headlined, truncated, edited, noisy)");
  args->pipeline.AddFlags(cmd);
  cmd->add_option("-o,--output", args->outputs.output, "Output JSON Lines file (default stdout)");
  cmd->add_option("--pairs", args->outputs.pairs,
                  "Also write every candidate pair judged, with the rule's evidence and verdict, as TSV");
  cmd->callback([args, exit_code] { *exit_code = RunDedupCommand(*args); });
}

}  // namespace samestory::cli
