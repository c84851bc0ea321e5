// The samestory subcommands. Each Add*Command registers its subcommand and flags on `app`; when the
// subcommand runs, its callback stores the process exit code in *exit_code. No algorithm code
// lives here: flags map one-to-one onto library option fields.
#ifndef SAMESTORY_TOOLS_COMMANDS_H_
#define SAMESTORY_TOOLS_COMMANDS_H_

#include <CLI/CLI.hpp>

#include "samestory/distributed.h"

namespace samestory::cli {

// With `comm` (samestory-mpi), dedup and cluster run distributed over its ranks: rank 0 writes
// the output and prints the summary.
void AddDedupCommand(CLI::App& app, int* exit_code, Communicator* comm = nullptr);
void AddEvalCommand(CLI::App& app, int* exit_code);
void AddClusterCommand(CLI::App& app, int* exit_code, Communicator* comm = nullptr);
void AddFeedCommand(CLI::App& app, int* exit_code);
void AddGenCommand(CLI::App& app, int* exit_code);

}  // namespace samestory::cli

#endif  // SAMESTORY_TOOLS_COMMANDS_H_
