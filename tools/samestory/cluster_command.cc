// `samestory cluster`: near-duplicate groups and same-event stories of a JSON Lines corpus.
#include <memory>
#include <string>

#include "commands.h"
#include "common.h"
#include "progress.h"

namespace samestory::cli {
namespace {

struct ClusterArgs {
  PipelineArgs pipeline;
  ClusterPipelineOptions options;
  ClusterOutputs outputs;
  bool no_stemming = false;
  Communicator* comm = nullptr;
};

// The cluster summary after the dedup one's lines (one machine's, or rank 0's of a distributed
// run, whose graph search the ranks shared).
void PrintClusterSummary(const ClusterArgs& a, const ClusterSummary& s) {
  PrintDedupSummary("cluster", s.dedup, a.pipeline.exact, stderr);
  if (s.model_loaded) {
    std::fprintf(stderr, "  tfidf: document frequencies from %s (%llu documents)\n",
                 a.options.model.c_str(), static_cast<unsigned long long>(s.model_documents));
  }
  if (!a.outputs.model.empty()) {
    std::fprintf(stderr, "  tfidf: model saved to %s (%llu terms, %llu documents)\n",
                 a.outputs.model.c_str(), static_cast<unsigned long long>(s.terms),
                 static_cast<unsigned long long>(s.model_documents));
  }
  std::fprintf(stderr,
               "  stories: %llu of two or more articles holding %llu articles; %llu terms, "
               "%llu kNN edges (largest connected component %llu of %llu vectors), index \"%s\"; "
               "seconds: tfidf %.3f, cluster %.3f "
               "(load+project %.3f, search %.3f, rescore %.3f, link %.3f)\n"
               "  window: at most %llu article vectors held at once; terms %.1f MB in a temporary "
               "file\n",
               static_cast<unsigned long long>(s.stories),
               static_cast<unsigned long long>(s.articles_in_stories),
               static_cast<unsigned long long>(s.terms), static_cast<unsigned long long>(s.edges),
               static_cast<unsigned long long>(s.cluster.largest_component),
               static_cast<unsigned long long>(s.cluster.documents), s.index.c_str(), s.tfidf_seconds, s.cluster_seconds, s.cluster.project_seconds,
               s.cluster.search_seconds, s.cluster.rescore_seconds, s.cluster.link_seconds,
               static_cast<unsigned long long>(s.cluster.peak_window), s.spilled_terms / 1e6);
}

int RunDistributedCluster(ClusterArgs& a) {
  const bool root = a.comm->rank() == 0;
  BadRecordPrinter bad("cluster");
  auto result = RunClusterDistributed(*a.comm, a.pipeline.input, a.outputs, a.options,
                                      [&](const Document& d) { bad(d); });
  if (!result.ok()) {
    return root ? ReportFailure("cluster", result.status()) : ExitCode(result.status());
  }
  if (root) {
    bad.Finish();
    PrintClusterSummary(a, result.value().run);
    PrintRankSummaries("cluster", result.value().ranks, stderr);
  }
  return 0;
}

int RunClusterCommand(ClusterArgs& a) {
  a.pipeline.Apply();
  a.options.dedup = a.pipeline.options;
  a.options.tfidf.stemming = a.no_stemming ? Stemming::kNone : Stemming::kByLanguage;
  if (a.comm != nullptr) return RunDistributedCluster(a);
  BadRecordPrinter bad("cluster");
  ProgressLine progress("cluster", a.pipeline.quiet);
  auto result = RunCluster(a.pipeline.input, a.outputs, a.options,
                           [&](const Document& d) { bad(d); },
                           [&](uint64_t records, uint64_t bytes) { progress.Update(records, bytes); });
  progress.Done();
  bad.Finish();
  if (!result.ok()) return ReportFailure("cluster", result.status());
  const ClusterSummary& s = result.value();
  PrintClusterSummary(a, s);
  WarnIfOverMemoryLimit("cluster", s.dedup, stderr);
  return 0;
}

}  // namespace

void AddClusterCommand(CLI::App& app, int* exit_code, Communicator* comm) {
  auto args = std::make_shared<ClusterArgs>();
  args->comm = comm;
  CLI::App* cmd = app.add_subcommand(
      "cluster", "Group articles into stories (same event), on top of near-duplicate groups");
  args->pipeline.AddFlags(cmd);
  ClusterOptions& c = args->options.cluster;
  TfidfOptions& t = args->options.tfidf;
  cmd->add_option("-o,--output", args->outputs.output, "Output JSON Lines file (default stdout)");
  cmd->add_option("--stories", args->outputs.stories, "Also write one JSON line per story");
  cmd->add_option("--story-threshold", c.threshold,
                  "Minimum average cosine similarity for two stories to merge")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--index", c.index,
                  "FAISS index factory string (default: exact all pairs up to 1,024 articles, else Flat)");
  cmd->add_option("--knn", c.knn, "Best re-scored neighbours kept per article")
      ->capture_default_str();
  cmd->add_option("--candidates", c.candidates, "Neighbours searched per article in the index")
      ->capture_default_str();
  cmd->add_option("--join-threshold", c.join_threshold,
                  "Join clusters whose mean cross-pair cosine reaches this (0 = no join)")
      ->capture_default_str();
  cmd->add_option("--join-min-size", c.join_min_size, "Smallest cluster the join compares")
      ->capture_default_str();
  cmd->add_option("--edge-floor", c.edge_floor, "Similarities below this are no edge")
      ->capture_default_str();
  cmd->add_option("--dim", c.dim, "Dense projection dimensions")->capture_default_str();
  cmd->add_option("--projection-seed", c.seed, "Seed of the random projection")
      ->capture_default_str();
  cmd->add_option("--window-days", c.window_days,
                  "Similarity of dated articles decays as exp(-(gap - slack) / window)")
      ->capture_default_str();
  cmd->add_option("--date-slack-days", c.date_slack_days, "Date gaps up to this are not damped")
      ->capture_default_str();
  cmd->add_option("--title-weight", t.title_weight, "Weight of title words")->capture_default_str();
  cmd->add_option("--capital-weight", t.capital_weight,
                  "Weight of capitalized words that do not open a sentence")
      ->capture_default_str();
  cmd->add_option("--max-df", t.max_df, "Drop terms in more than this share of articles")
      ->capture_default_str();
  cmd->add_option("--min-df", t.min_df, "Drop terms in fewer articles")->capture_default_str();
  cmd->add_flag("--no-stemming", args->no_stemming, "Do not stem (default: Snowball by language)");
  cmd->add_option("--save-model", args->outputs.model,
                  "Save the TF-IDF model (document frequencies) to this file, for --model");
  CLI::Option* model =
      cmd->add_option("--model", args->options.model,
                      "Use the document frequencies of a model saved with --save-model instead of "
                      "fitting them on the input (small batches against a large reference corpus)");
  model->excludes(cmd->get_option("--max-df"));
  model->excludes(cmd->get_option("--min-df"));
  cmd->callback([args, exit_code] { *exit_code = RunClusterCommand(*args); });
}

}  // namespace samestory::cli
