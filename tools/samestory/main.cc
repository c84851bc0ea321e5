// samestory: finds the same news story twice. Dispatches to one file per subcommand.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdlib>

#include "commands.h"
#include "common.h"

int main(int argc, char** argv) {
  // OpenBLAS starts its worker threads when it is loaded, before main, and they spin (sched_yield)
  // after start and after every call: a tenth of a second of a core on every run, and 1.4 cores
  // for `cluster --threads 1` (issue 14 #21). Our own threads do the parallel work, each BLAS
  // call inside one of them, so the tool runs itself again, once, with OpenBLAS told to start no
  // threads, unless the user chose a number. (The library also sets one BLAS thread while it
  // clusters, for programs that link it.) If the re-execution fails, the run goes on as it is.
  if (std::getenv("OPENBLAS_NUM_THREADS") == nullptr) {
    setenv("OPENBLAS_NUM_THREADS", "1", /*overwrite=*/1);
    execv("/proc/self/exe", argv);
  }
  // Worker threads sleep between batches instead of spinning (unless the user says otherwise):
  // spinning workers steal the core the reading thread needs when threads >= cores.
  setenv("OMP_WAIT_POLICY", "PASSIVE", /*overwrite=*/0);
  CLI::App app{"samestory: near-duplicate articles and same-event stories in news corpora"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(SAMESTORY_VERSION));
  int exit_code = 0;
  samestory::cli::AddDedupCommand(app, &exit_code);
  samestory::cli::AddClusterCommand(app, &exit_code);
  samestory::cli::AddFeedCommand(app, &exit_code);
  samestory::cli::AddEvalCommand(app, &exit_code);
  samestory::cli::AddGenCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with code 0; every real one is a usage error.
    return app.exit(e) == 0 ? samestory::cli::kExitOk : samestory::cli::kExitUsage;
  }
  return exit_code;
}
