#include "common.h"

#include <sys/resource.h>

namespace samestory::cli {

void PipelineArgs::AddFlags(CLI::App* cmd) {
  DedupPipelineOptions& o = options;
  cmd->add_option("input", input, "JSON Lines input (.jsonl, .jsonl.gz, or - for stdin)")
      ->required();
  CopyRuleOptions& rule = o.dedup.rule;
  cmd->add_option("--threshold", rule.threshold,
                  "Copies: share of the shorter text's character grams the longer must hold")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--short-threshold", rule.short_threshold,
                  "Copies: the threshold for short texts (--short-words)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--window-hours", rule.window_hours,
                  "Copies: dated articles further apart are never copies (0 = no limit)")
      ->capture_default_str();
  cmd->add_option("--short-words", rule.short_words,
                  "Copies: texts of fewer words are short (shorter window, titles must agree)")
      ->capture_default_str();
  cmd->add_option("--short-window-hours", rule.short_window_hours,
                  "Copies: the window for short texts (0 = no limit)")
      ->capture_default_str();
  cmd->add_option("--correction-hours", rule.correction_hours,
                  "Copies: a changed figure or name is a correction only within this many hours")
      ->capture_default_str();
  cmd->add_option("--correction-ratio", rule.correction_ratio,
                  "Copies: within --correction-hours, agreeing facts needed per changed one")
      ->capture_default_str();
  cmd->add_option("--name-ratio", rule.name_ratio,
                  "Copies: agreeing facts needed per changed name")
      ->capture_default_str();
  cmd->add_option("--min-compared", rule.min_compared,
                  "Copies: fewest sampled grams of the shorter text a pair is judged on")
      ->capture_default_str();
  cmd->add_flag("!--no-facts", rule.check_facts,
                "Copies: do not judge changed figures and names (for studies)");
  cmd->add_flag("!--no-titles", rule.check_titles,
                "Copies: do not compare the titles of short texts (for studies)");
  cmd->add_option("--gram", o.fingerprint.gram_bytes, "Bytes per character gram (4..8)")
      ->capture_default_str();
  cmd->add_option("--sketch-bins", o.fingerprint.sketch_bins,
                  "Values of the one-permutation MinHash sketch")
      ->capture_default_str();
  cmd->add_option("--anchors", o.fingerprint.anchors,
                  "Sentence anchors keyed for LSH (the first sentences' opening words)")
      ->capture_default_str();
  cmd->add_option("--sample-rate", o.fingerprint.sample_rate,
                  "1 in this many grams is kept to compare candidate pairs (a power of two)")
      ->capture_default_str();
  cmd->add_option("--threads", o.threads, "Worker threads (0 = all cores)")->capture_default_str();
  cmd->add_flag("--exact", exact,
                "Judge every pair that can reach the threshold (inverted index), not LSH candidates: "
                "the reference for LSH recall");
  cmd->add_option("--lsh-threshold", o.dedup.lsh_threshold,
                  "Jaccard similarity of the sketches the LSH bands are tuned for")
      ->capture_default_str();
  cmd->add_option("--bands", o.dedup.bands, "LSH bands (0 = chosen from --lsh-threshold)")
      ->capture_default_str();
  cmd->add_option("--rows", o.dedup.rows, "LSH rows per band (0 = chosen)")->capture_default_str();
  cmd->add_option("--seed", o.fingerprint.seed, "Seed of the gram hashes")->capture_default_str();
  cmd->add_flag("--fold-accents", fold_accents, "Fold accents (été = ete)");
  cmd->add_flag("--keep-elisions", keep_elisions, "Do not split l'/d'/qu' elisions");
  cmd->add_option("--id-field", o.reader.id_field, "Field holding the article id")
      ->capture_default_str();
  cmd->add_option("--max-record-bytes", o.reader.max_record_bytes,
                  "Longer input lines are reported as errors, not parsed")
      ->capture_default_str();
  cmd->add_option("--batch-size", o.batch_size, "Records fingerprinted at a time")
      ->capture_default_str();
  cmd->add_option("--memory-limit", o.memory_limit,
                  "Memory budget (e.g. 8G, 512M; default: half the RAM): LSH band keys beyond a "
                  "quarter of it are sorted on disk; per-article data is not bounded by it, and "
                  "the run warns when its peak exceeds it (README \"Memory\")")
      ->transform(CLI::AsSizeValue(false));
  cmd->add_flag("-q,--quiet", quiet, "No progress line");
}

void PipelineArgs::Apply() {
  options.dedup.mode = exact ? DedupMode::kExact : DedupMode::kLsh;
  options.text.accents = fold_accents ? AccentFolding::kFold : AccentFolding::kKeep;
  options.text.elisions = keep_elisions ? Elisions::kKeep : Elisions::kSplit;
}

void BadRecordPrinter::operator()(const Document& d) {
  if (++reported_ > kMaxReported) return;
  const char* kind = d.error.empty() ? "warning" : "error";
  std::fprintf(stderr, "samestory %s: line %llu%s%s%s: %s: %s\n", command_.c_str(),
               static_cast<unsigned long long>(d.line), d.id.empty() ? "" : " (id \"",
               d.id.c_str(), d.id.empty() ? "" : "\")", kind,
               d.error.empty() ? d.warning.c_str() : d.error.c_str());
}

void BadRecordPrinter::Finish() const {
  if (reported_ > kMaxReported) {
    std::fprintf(stderr, "samestory %s: ... and %d more records with an error or warning\n",
                 command_.c_str(), reported_ - kMaxReported);
  }
}

void PrintDedupSummary(const char* command, const DedupSummary& s, bool exact, std::FILE* f) {
  const double total = s.seconds.total > 0 ? s.seconds.total : 1e-9;
  std::fprintf(f,
               "samestory %s: %llu articles, %llu duplicate groups holding %llu articles, "
               "%llu short, %llu bad records, %llu warnings\n",
               command, static_cast<unsigned long long>(s.articles),
               static_cast<unsigned long long>(s.groups),
               static_cast<unsigned long long>(s.articles_in_groups),
               static_cast<unsigned long long>(s.short_articles),
               static_cast<unsigned long long>(s.bad_records),
               static_cast<unsigned long long>(s.warnings));
  std::string rejected;
  for (size_t r = 0; r < s.rejected.size(); ++r) {
    if (s.rejected[r] == 0) continue;
    rejected += (rejected.empty() ? "" : ", ") + std::to_string(s.rejected[r]) + " " +
                std::string(CopyReasonName(static_cast<CopyReason>(r)));
  }
  if (exact) {
    std::fprintf(f, "  exact: %llu candidate pairs (prefix filter), %llu copies",
                 static_cast<unsigned long long>(s.candidates),
                 static_cast<unsigned long long>(s.accepted));
  } else {
    std::fprintf(f, "  lsh: %d bands x %d rows, %llu candidate pairs, %llu copies", s.lsh.bands,
                 s.lsh.rows, static_cast<unsigned long long>(s.candidates),
                 static_cast<unsigned long long>(s.accepted));
  }
  std::fprintf(f, "%s%s%s; threads %d\n", rejected.empty() ? "" : " (rejected: ", rejected.c_str(),
               rejected.empty() ? "" : ")", s.threads);
  std::fprintf(f,
               "  seconds: read %.3f, fingerprint %.3f (cpu: tokenize %.3f, fingerprint %.3f%s), "
               "group %.3f, write %.3f, total %.3f\n",
               s.seconds.read, s.seconds.fingerprint, s.seconds.tokenize_cpu,
               s.seconds.fingerprint_cpu,
               s.seconds.terms_cpu > 0
                   ? (", terms " + std::to_string(s.seconds.terms_cpu).substr(0, 5)).c_str()
                   : "",
               s.seconds.group, s.seconds.write, s.seconds.total);
  std::fprintf(f, "  throughput: %.0f articles/s, %.1f MB/s\n",
               static_cast<double>(s.articles) / total,
               static_cast<double>(s.input_bytes) / 1e6 / total);
  std::fprintf(f,
               "  memory: peak RSS %.1f MB (budget %.1f MB); band keys %.1f MB, records %.1f MB "
               "in memory; fingerprints %.1f MB in a temporary file\n",
               static_cast<double>(s.memory.peak_rss) / 1e6,
               static_cast<double>(s.memory.limit) / 1e6,
               static_cast<double>(s.memory.band_keys) / 1e6,
               static_cast<double>(s.memory.records) / 1e6,
               static_cast<double>(s.memory.spilled_evidence) / 1e6);
}

void WarnIfOverMemoryLimit(const char* command, const DedupSummary& s, std::FILE* f) {
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0) return;
  const uint64_t peak = static_cast<uint64_t>(usage.ru_maxrss) * 1024;  // Linux: kilobytes
  if (s.memory.limit == 0 || peak <= s.memory.limit) return;
  const double per_article =
      s.articles > 0 ? static_cast<double>(s.memory.records + s.memory.band_keys) /
                           static_cast<double>(s.articles)
                     : 0.0;
  std::fprintf(f,
               "samestory %s: warning: peak memory %.1f MB exceeded the memory limit of %.1f MB. "
               "The limit bounds the LSH band keys held at once (a quarter of it; beyond that "
               "they are sorted on disk); what every article keeps until the output is written "
               "(its id, date, band keys: %.0f bytes an article here), the candidate pairs, the "
               "clustering window and the libraries (about 15 MB) are not bounded by it (README \"Memory\")\n",
               command, static_cast<double>(peak) / 1e6,
               static_cast<double>(s.memory.limit) / 1e6, per_article);
}

int ExitCode(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk: return kExitOk;
    case Status::Code::kInvalidArgument: return kExitUsage;
    case Status::Code::kCorruption: return kExitCorrupt;
    default: return kExitFailed;
  }
}

int ReportFailure(const char* command, const Status& status) {
  std::fprintf(stderr, "samestory %s: %s\n", command, status.ToString().c_str());
  return ExitCode(status);
}

}  // namespace samestory::cli

namespace samestory::cli {

void PrintRankSummaries(const char* command, const std::vector<RankSummary>& ranks,
                        std::FILE* f) {
  for (const RankSummary& r : ranks) {
    std::fprintf(f,
                 "  rank %d: %llu records; sent %.1f MB, received %.1f MB; seconds: fingerprint "
                 "%.3f, exchange %.3f, rest %.3f; peak RSS %.1f MB\n",
                 r.rank, static_cast<unsigned long long>(r.records), r.bytes_sent / 1e6,
                 r.bytes_received / 1e6, r.fingerprint_seconds, r.exchange_seconds,
                 r.rest_seconds, r.peak_rss / 1e6);
  }
  (void)command;
}

}  // namespace samestory::cli
