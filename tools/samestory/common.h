// Flags, reporting and summaries shared by the subcommands that run a pipeline.
#ifndef SAMESTORY_TOOLS_COMMON_H_
#define SAMESTORY_TOOLS_COMMON_H_

#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "samestory/distributed.h"
#include "samestory/pipeline.h"

namespace samestory::cli {

// The reading, text and near-duplicate flags, mapped onto `options`.
struct PipelineArgs {
  std::string input;
  DedupPipelineOptions options;
  bool exact = false;
  bool fold_accents = false;
  bool keep_elisions = false;
  bool quiet = false;

  // Registers the flags on `cmd`. `what` names the command in help texts.
  void AddFlags(CLI::App* cmd);
  // Copies the flag-only switches into `options`.
  void Apply();
};

// Names the first few bad records on stderr, then counts the rest.
class BadRecordPrinter {
 public:
  explicit BadRecordPrinter(std::string command) : command_(std::move(command)) {}
  void operator()(const Document& d);
  void Finish() const;

 private:
  static constexpr int kMaxReported = 10;
  std::string command_;
  int reported_ = 0;
};

void PrintDedupSummary(const char* command, const DedupSummary& s, bool exact, std::FILE* f);

// After a run: a warning on `f` when the process's peak resident memory exceeded the run's memory
// limit (DedupSummary::memory.limit), saying what the limit bounds and what it does not.
void WarnIfOverMemoryLimit(const char* command, const DedupSummary& s, std::FILE* f);

// Exit codes, the same for every command (README "Exit codes").
inline constexpr int kExitOk = 0;       // done; bad records included (they are in the output)
inline constexpr int kExitFailed = 1;   // the run failed: an input that cannot be opened, an
                                        // output that cannot be written, memory ran out
inline constexpr int kExitUsage = 2;    // a bad flag, option value or choice of files (an output
                                        // that is the input): nothing was read or written
inline constexpr int kExitCorrupt = 3;  // corrupted data: the input broke off (what was read is
                                        // written), or a saved model or feed state is damaged

// The exit code for a failed Status: InvalidArgument is kExitUsage, Corruption kExitCorrupt,
// anything else kExitFailed.
int ExitCode(const Status& status);

// Prints a failed run's status ("samestory <command>: <status>"); returns ExitCode(status).
int ReportFailure(const char* command, const Status& status);

// What each rank of a distributed run did, one line a rank.
void PrintRankSummaries(const char* command, const std::vector<RankSummary>& ranks,
                        std::FILE* f);

}  // namespace samestory::cli

#endif  // SAMESTORY_TOOLS_COMMON_H_
