// `samestory dedup`: near-duplicate groups of a JSON Lines corpus.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "commands.h"
#include "progress.h"
#include "samestory/pipeline.h"

namespace samestory::cli {
namespace {

struct DedupArgs {
  std::string input;
  DedupOutputs outputs;
  DedupPipelineOptions options;
  bool exact = false;
  bool char_shingles = false;
  bool fold_accents = false;
  bool keep_elisions = false;
  bool quiet = false;
};

void PrintSummary(const DedupSummary& s, bool exact, std::FILE* f) {
  const double total = s.seconds.total > 0 ? s.seconds.total : 1e-9;
  std::fprintf(f,
               "samestory dedup: %llu articles, %llu duplicate groups holding %llu articles, "
               "%llu short, %llu bad records, %llu warnings\n",
               static_cast<unsigned long long>(s.articles),
               static_cast<unsigned long long>(s.groups),
               static_cast<unsigned long long>(s.articles_in_groups),
               static_cast<unsigned long long>(s.short_articles),
               static_cast<unsigned long long>(s.bad_records),
               static_cast<unsigned long long>(s.warnings));
  if (exact) {
    std::fprintf(f, "  exact: %llu candidate pairs (prefix filter), %llu exact checks; threads %d\n",
                 static_cast<unsigned long long>(s.candidates),
                 static_cast<unsigned long long>(s.exact_checks), s.threads);
  } else {
    std::fprintf(f,
                 "  lsh: %d bands x %d rows, %llu candidate pairs, %llu exact checks; threads %d\n",
                 s.lsh.bands, s.lsh.rows, static_cast<unsigned long long>(s.candidates),
                 static_cast<unsigned long long>(s.exact_checks), s.threads);
  }
  std::fprintf(f,
               "  seconds: read %.3f, fingerprint %.3f (cpu: tokenize %.3f, shingle %.3f, "
               "minhash %.3f), group %.3f, write %.3f, total %.3f\n",
               s.seconds.read, s.seconds.fingerprint, s.seconds.tokenize_cpu,
               s.seconds.shingle_cpu, s.seconds.minhash_cpu, s.seconds.group, s.seconds.write,
               s.seconds.total);
  std::fprintf(f, "  throughput: %.0f articles/s, %.1f MB/s\n",
               static_cast<double>(s.articles) / total,
               static_cast<double>(s.input_bytes) / 1e6 / total);
}

int RunDedupCommand(DedupArgs& a) {
  DedupPipelineOptions& o = a.options;
  o.dedup.mode = a.exact ? DedupMode::kExact : DedupMode::kLsh;
  o.shingle.kind = a.char_shingles ? ShingleKind::kChar : ShingleKind::kWord;
  o.text.accents = a.fold_accents ? AccentFolding::kFold : AccentFolding::kKeep;
  o.text.elisions = a.keep_elisions ? Elisions::kKeep : Elisions::kSplit;
  // The first few bad records are named on stderr; all of them carry an "error" field in the
  // output, and the summary counts them.
  constexpr int kMaxReported = 10;
  int reported = 0;
  auto reporter = [&](const Document& d) {
    if (++reported > kMaxReported) return;
    const char* kind = d.error.empty() ? "warning" : "error";
    std::fprintf(stderr, "samestory dedup: line %llu%s%s%s: %s: %s\n",
                 static_cast<unsigned long long>(d.line), d.id.empty() ? "" : " (id \"",
                 d.id.c_str(), d.id.empty() ? "" : "\")", kind,
                 d.error.empty() ? d.warning.c_str() : d.error.c_str());
  };
  ProgressLine progress("dedup", a.quiet);
  auto result = RunDedup(a.input, a.outputs, o, reporter,
                         [&](uint64_t records, uint64_t bytes) { progress.Update(records, bytes); });
  progress.Done();
  if (reported > kMaxReported) {
    std::fprintf(stderr, "samestory dedup: ... and %d more records with an error or warning\n",
                 reported - kMaxReported);
  }
  if (!result.ok()) {
    std::fprintf(stderr, "samestory dedup: %s\n", result.status().ToString().c_str());
    // Records read before a broken stream were written: that is a partial success.
    return result.status().code() == Status::Code::kCorruption ? 3 : 1;
  }
  PrintSummary(result.value(), a.exact, stderr);
  return 0;
}

}  // namespace

void AddDedupCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<DedupArgs>();
  CLI::App* cmd = app.add_subcommand(
      "dedup", "Group near-duplicate articles (wire copies) with MinHash LSH");
  DedupPipelineOptions& o = args->options;
  cmd->add_option("input", args->input, "JSON Lines input (.jsonl, .jsonl.gz, or - for stdin)")
      ->required();
  cmd->add_option("-o,--output", args->outputs.output, "Output JSON Lines file (default stdout)");
  cmd->add_option("--threshold", o.dedup.threshold,
                  "Jaccard similarity of shingle sets for a near-duplicate")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--num-perm", o.minhash.num_perm, "MinHash signature length")
      ->capture_default_str();
  cmd->add_option("--shingle", o.shingle.size, "Words (or characters with --char) per shingle")
      ->capture_default_str();
  cmd->add_flag("--char", args->char_shingles, "Character n-gram shingles instead of words");
  cmd->add_option("--threads", o.threads, "Worker threads (0 = all cores)")->capture_default_str();
  cmd->add_flag("--exact", args->exact,
                "Exact Jaccard over all pairs (prefix-filtered inverted index) instead of LSH");
  cmd->add_option("--pairs", args->outputs.pairs,
                  "Also write accepted pairs as TSV: id_a, id_b, jaccard");
  cmd->add_option("--bands", o.dedup.bands, "LSH bands (0 = chosen from the threshold)")
      ->capture_default_str();
  cmd->add_option("--rows", o.dedup.rows, "LSH rows per band (0 = chosen)")->capture_default_str();
  cmd->add_option("--seed", o.minhash.seed, "MinHash seed")->capture_default_str();
  cmd->add_flag("--fold-accents", args->fold_accents, "Fold accents (été = ete)");
  cmd->add_flag("--keep-elisions", args->keep_elisions, "Do not split l'/d'/qu' elisions");
  cmd->add_option("--id-field", o.reader.id_field, "Field holding the article id")
      ->capture_default_str();
  cmd->add_option("--max-record-bytes", o.reader.max_record_bytes,
                  "Longer input lines are reported as errors, not parsed")
      ->capture_default_str();
  cmd->add_option("--batch-size", o.batch_size, "Records fingerprinted at a time")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", args->quiet, "No progress line");
  cmd->callback([args, exit_code] { *exit_code = RunDedupCommand(*args); });
}

}  // namespace samestory::cli
