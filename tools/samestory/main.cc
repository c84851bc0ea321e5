// samestory: finds the same news story twice. Dispatches to one file per subcommand.
#include <CLI/CLI.hpp>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"samestory: near-duplicate articles and same-event stories in news corpora"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(SAMESTORY_VERSION));
  int exit_code = 0;
  samestory::cli::AddDedupCommand(app, &exit_code);
  samestory::cli::AddEvalCommand(app, &exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
