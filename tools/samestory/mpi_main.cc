// samestory-mpi: `dedup` and `cluster` over MPI ranks, with the flags of `samestory dedup` and
// `samestory cluster` (the same command files) and the same output, byte for byte.
//   mpirun -n 4 samestory-mpi dedup big.jsonl.gz -o dups.jsonl
// A binary of its own rather than a mode of `samestory`: the single-machine tool stays free of
// Open MPI (no MPI libraries to load, no MPI runtime to start for a plain run).
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "commands.h"
#include "common.h"
#include "samestory/mpi.h"

int main(int argc, char** argv) {
  setenv("OPENBLAS_NUM_THREADS", "1", /*overwrite=*/0);  // see main.cc: our threads do the work
  setenv("OMP_WAIT_POLICY", "PASSIVE", /*overwrite=*/0);
  auto session = samestory::MpiSession::Init(&argc, &argv);
  if (!session.ok()) {
    std::fprintf(stderr, "samestory-mpi: %s\n", session.status().ToString().c_str());
    return samestory::cli::kExitFailed;
  }
  samestory::Communicator& world = session.value()->world();
  CLI::App app{"samestory-mpi: samestory dedup and cluster over MPI ranks (mpirun, srun)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(SAMESTORY_VERSION));
  int exit_code = 0;
  samestory::cli::AddDedupCommand(app, &exit_code, &world);
  samestory::cli::AddClusterCommand(app, &exit_code, &world);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Every rank parses the same flags; only rank 0 prints the message.
    const int code = world.rank() == 0 ? app.exit(e) : (e.get_exit_code() == 0 ? 0 : 1);
    exit_code = code == 0 ? samestory::cli::kExitOk : samestory::cli::kExitUsage;
  }
  session.value().reset();  // MPI_Finalize
  return exit_code;
}
