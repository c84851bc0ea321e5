// `samestory eval`: scores a predicted clustering (JSON Lines) against gold labels and prints the
// scores as one JSON object on stdout. All the work is samestory::ReadLabels and ScoreLabeled.
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"
#include "common.h"
#include "samestory/eval.h"

namespace samestory::cli {
namespace {

struct EvalFlags {
  std::string gold;
  std::string gold_field;
  std::string gold_id_field = "id";
  std::string pred;
  std::string pred_field = "story";
  std::string pred_id_field = "id";
};

void PrintScores(const ClusteringScores& s) {
  std::printf(
      "{\"documents\":%zu,\"gold_clusters\":%zu,\"pred_clusters\":%zu,\"missing_in_pred\":%zu,"
      "\"pair_p\":%.4f,\"pair_r\":%.4f,\"pair_f1\":%.4f,"
      "\"bcubed_p\":%.4f,\"bcubed_r\":%.4f,\"bcubed_f1\":%.4f,\"ari\":%.4f,\"nmi\":%.4f}\n",
      s.documents, s.gold_clusters, s.pred_clusters, s.missing_in_pred, s.pair_p, s.pair_r,
      s.pair_f1, s.bcubed_p, s.bcubed_r, s.bcubed_f1, s.ari, s.nmi);
  std::fflush(stdout);
}

int Fail(const Status& status) { return ReportFailure("eval", status); }

int RunEval(const EvalFlags& flags) {
  Result<std::vector<LabeledId>> gold =
      ReadLabels(flags.gold, flags.gold_id_field, flags.gold_field, nullptr);
  if (!gold.ok()) return Fail(gold.status());
  Result<std::vector<LabeledId>> pred =
      ReadLabels(flags.pred, flags.pred_id_field, flags.pred_field, nullptr);
  if (!pred.ok()) return Fail(pred.status());
  Result<ClusteringScores> scores = ScoreLabeled(gold.value(), pred.value());
  if (!scores.ok()) return Fail(scores.status());
  if (scores->documents == 0) {
    // Perfect scores over nothing would hide a mistyped field name.
    return Fail(Status::InvalidArgument("no gold labels read: no record of " + flags.gold +
                                        " has both \"" + flags.gold_id_field + "\" and \"" +
                                        flags.gold_field + "\""));
  }

  PrintScores(scores.value());
  if (scores->missing_in_pred > 0) {
    std::fprintf(stderr,
                 "eval: %zu gold documents missing from the prediction, scored as singletons "
                 "(first: %s)\n",
                 scores->missing_in_pred, scores->first_missing_id.c_str());
  }
  return 0;
}

}  // namespace

void AddEvalCommand(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "eval", "Score predicted story clusters against gold labels (pairwise, B-cubed, ARI, NMI)");
  // Owned by the callback, which lives as long as `app`; CLI11 writes the parsed values here.
  auto flags = std::make_shared<EvalFlags>();
  cmd->add_option("--gold", flags->gold, "Gold labels, JSON Lines (.gz ok, - for stdin)")
      ->required();
  cmd->add_option("--gold-field", flags->gold_field, "Field of --gold holding the gold label")
      ->required();
  cmd->add_option("--pred", flags->pred, "Predicted clusters, JSON Lines (.gz ok, - for stdin)")
      ->required();
  cmd->add_option("--pred-field", flags->pred_field, "Field of --pred holding the cluster label")
      ->capture_default_str();
  cmd->add_option("--gold-id-field", flags->gold_id_field, "Field of --gold holding the id")
      ->capture_default_str();
  cmd->add_option("--pred-id-field", flags->pred_id_field, "Field of --pred holding the id")
      ->capture_default_str();
  cmd->callback([flags, exit_code] {
    if (flags->gold == "-" && flags->pred == "-") {
      // Thrown to CLI11, which reports it like any other bad argument.
      throw CLI::ValidationError("--pred", "--gold and --pred cannot both read standard input");
    }
    *exit_code = RunEval(*flags);
  });
}

}  // namespace samestory::cli
