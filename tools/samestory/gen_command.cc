// `samestory gen`: writes a labeled synthetic news corpus (issue 5). All the work is
// samestory::ReadBaseCorpus, CorpusGenerator and WriteCorpus; this file maps flags onto
// GeneratorOptions and prints a summary on stderr.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "common.h"
#include "samestory/generate.h"

namespace samestory::cli {
namespace {

// Relative to the current directory: run from the repository root, or give --base.
constexpr const char* kDefaultBase = "datasets/sample/articles.jsonl";

struct GenArgs {
  GeneratorOptions options;
  std::string base = kDefaultBase;
  std::string output = "-";
  std::vector<int> reports_per_event;  // MIN or MIN,MAX
  bool quiet = false;
};

int Fail(const Status& status) { return ReportFailure("gen", status); }

int RunGen(GenArgs& a) {
  if (!a.reports_per_event.empty()) {
    a.options.min_reports = a.reports_per_event.front();
    a.options.max_reports = a.reports_per_event.back();
  }
  if (Status s = a.options.Validate(); !s.ok()) return Fail(s);
  std::error_code ec;
  if (a.base != "-" && !std::filesystem::exists(a.base, ec)) {
    std::string message = "base corpus " + a.base + " not found";
    if (a.base == kDefaultBase) {
      message +=
          " (the default is relative to the current directory: run from the samestory "
          "repository root, or give --base FILE.jsonl[.gz])";
    }
    return Fail(Status::NotFound(message));
  }
  const auto start = std::chrono::steady_clock::now();
  uint64_t skipped = 0;
  auto docs = ReadBaseCorpus(a.base, &skipped);
  if (!docs.ok()) return Fail(docs.status());
  auto generator = CorpusGenerator::Create(a.options, docs.value());
  if (!generator.ok()) return Fail(generator.status());
  const size_t base_records = docs->size();
  docs.value() = std::vector<Document>();  // the generator keeps what it needs
  const auto read_done = std::chrono::steady_clock::now();

  GeneratorSummary s;
  if (Status st = WriteCorpus(generator.value(), a.output, &s); !st.ok()) return Fail(st);
  const auto end = std::chrono::steady_clock::now();
  if (a.quiet) return 0;
  const double read_seconds = std::chrono::duration<double>(read_done - start).count();
  const double gen_seconds = std::chrono::duration<double>(end - read_done).count();
  const uint64_t templated = s.by_kind[static_cast<int>(CopyKind::kTemplated)];
  std::fprintf(
      stderr,
      "gen: %llu articles, %llu stories (%llu follow-ups, %llu of them sub-events; %llu of %d+ "
      "reports, the largest %llu), %llu reports (%llu notices), %llu copies, %llu templated; "
      "%.1f MB written\n",
      static_cast<unsigned long long>(s.articles), static_cast<unsigned long long>(s.events),
      static_cast<unsigned long long>(s.follow_ups), static_cast<unsigned long long>(s.sub_events),
      static_cast<unsigned long long>(s.big_events), kBigEventReports,
      static_cast<unsigned long long>(s.max_reports), static_cast<unsigned long long>(s.reports),
      static_cast<unsigned long long>(s.notices),
      static_cast<unsigned long long>(s.articles - s.reports - templated),
      static_cast<unsigned long long>(templated), static_cast<double>(s.bytes) / 1e6);
  std::fprintf(stderr, "  articles per copy kind:");
  for (int k = 0; k < kCopyKinds; ++k) {
    std::fprintf(stderr, " %s %llu", std::string(CopyKindName(static_cast<CopyKind>(k))).c_str(),
                 static_cast<unsigned long long>(s.by_kind[k]));
  }
  std::fprintf(stderr,
               "\n  base: %s, %zu records (%llu skipped without text), %llu can seed events, "
               "%llu usable sentences; read in %.1f s\n",
               a.base.c_str(), base_records, static_cast<unsigned long long>(skipped),
               static_cast<unsigned long long>(s.base_articles),
               static_cast<unsigned long long>(s.base_sentences), read_seconds);
  std::fprintf(stderr,
               "  generated in %.1f s: %.0f articles/s; at most %llu articles waiting for their "
               "date\n",
               gen_seconds, gen_seconds > 0 ? static_cast<double>(s.articles) / gen_seconds : 0.0,
               static_cast<unsigned long long>(s.max_pending));
  return 0;
}

}  // namespace

void AddGenCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<GenArgs>();
  GeneratorOptions& o = a->options;
  CLI::App* cmd = app.add_subcommand(
      "gen", "Generate a labeled synthetic news corpus (gold fields dup and story) as JSON Lines");
  cmd->add_option("--articles", o.articles, "Articles to write, exactly")->required();
  cmd->add_option("--base", a->base,
                  "Base corpus of real articles, JSON Lines (.gz ok): fields title and "
                  "text/body/content, optional lang")
      ->capture_default_str();
  cmd->add_option("--seed", o.seed, "Seed of every random choice")->capture_default_str();
  cmd->add_option("-o,--output", a->output,
                  "Output JSON Lines file; .gz is gzip-compressed (default stdout)");
  cmd->add_option("--start", o.start,
                  "Date of the first event (ISO 8601); every article must be dated by 9999-12-31")
      ->capture_default_str();
  cmd->add_option("--days", o.days, "Days the events are spread over")->capture_default_str();
  cmd->add_option("--reports-per-event", a->reports_per_event,
                  "uniform sizes: distinct reports per event, K or MIN,MAX drawn uniformly "
                  "(default 3,6; at most 32)")
      ->delimiter(',')
      ->expected(1, 2);
  const std::map<std::string, StorySizes> sizes = {{"uniform", StorySizes::kUniform},
                                                   {"heavy-tailed", StorySizes::kHeavyTailed}};
  cmd->add_option("--story-sizes", o.story_sizes,
                  "Distinct reports per event: uniform (--reports-per-event) or heavy-tailed (a "
                  "power law: most events a few reports, some hundreds to thousands; events dated "
                  "evenly, big ones spread longer, varied headlines)")
      ->transform(CLI::CheckedTransformer(sizes, CLI::ignore_case))
      ->option_text("uniform|heavy-tailed=uniform");
  cmd->add_option("--story-size-exponent", o.story_size_exponent,
                  "heavy-tailed: exponent a of P(K = k) ~ k^-a, k = 1 .. --max-story-reports "
                  "(1..4, to the nearest 1/1024)")
      ->capture_default_str();
  cmd->add_option("--max-story-reports", o.max_story_reports,
                  "heavy-tailed: most distinct reports of one event (1..50000)")
      ->capture_default_str();
  cmd->add_option("--sub-event-rate", o.sub_event_rate,
                  "heavy-tailed: share of events that are sub-events of a big event (50+ reports) "
                  "of the last 30 days: its names and key term, another story")
      ->capture_default_str();
  cmd->add_option("--report-spread-days", o.report_spread_days,
                  "A report is dated up to this many days after its event")
      ->capture_default_str();
  cmd->add_option("--follow-up-rate", o.follow_up_rate,
                  "Share of events that follow up a recent event of the same thread (same names, "
                  "another story)")
      ->capture_default_str();
  cmd->add_option("--thread-days", o.thread_days, "How many days back a follow-up reaches")
      ->capture_default_str();
  cmd->add_option("--copy-rate", o.copy_rate,
                  "Share of articles that are wire copies of a report (0 .. 0.95)")
      ->capture_default_str();
  cmd->add_option("--copy-delay-hours", o.copy_delay_hours,
                  "A copy is dated up to this many hours after its report")
      ->capture_default_str();
  cmd->add_option("--reheadline-rate", o.reheadline_rate, "Chance a copy gets a new headline")
      ->capture_default_str();
  cmd->add_option("--truncate-rate", o.truncate_rate,
                  "Chance a copy is cut after some paragraphs (the lead kept)")
      ->capture_default_str();
  cmd->add_option("--truncate-min-keep", o.truncate_min_keep,
                  "Least share of paragraphs a truncated copy keeps (sentences under 3 paragraphs)")
      ->capture_default_str();
  cmd->add_option("--truncate-max-keep", o.truncate_max_keep,
                  "Most share of paragraphs a truncated copy keeps (one is always cut)")
      ->capture_default_str();
  cmd->add_option("--reorder-rate", o.reorder_rate,
                  "Chance a copy swaps two paragraphs after the lead")
      ->capture_default_str();
  cmd->add_option("--boilerplate-rate", o.boilerplate_rate,
                  "Chance a copy gets newsletter/ad/credit lines")
      ->capture_default_str();
  cmd->add_option("--boilerplate-max-lines", o.boilerplate_max_lines,
                  "Boilerplate lines a copy gets, 1 to this (1..6)")
      ->capture_default_str();
  cmd->add_option("--word-edit-rate", o.word_edit_rate,
                  "Chance a copy gets word substitutions/deletions/insertions")
      ->capture_default_str();
  cmd->add_option("--word-edit-share", o.word_edit_share,
                  "Share of words an edited copy changes (at least one)")
      ->capture_default_str();
  cmd->add_option("--noise-rate", o.noise_rate, "Chance a copy gets OCR-like character noise")
      ->capture_default_str();
  cmd->add_option("--noise-chars", o.noise_chars,
                  "Share of characters a noisy copy garbles (look-alikes, lost and added spaces)")
      ->capture_default_str();
  cmd->add_option("--extend-rate", o.extend_rate,
                  "Chance a copy adds paragraphs of further text after the report's")
      ->capture_default_str();
  cmd->add_option("--extend-max-paragraphs", o.extend_max_paragraphs,
                  "Paragraphs an extended copy adds, 1 to this (1..10)")
      ->capture_default_str();
  cmd->add_option("--correct-rate", o.correct_rate, "Chance a copy corrects one figure of the text")
      ->capture_default_str();
  cmd->add_option("--correction-mark-rate", o.correction_mark_rate,
                  "Share of corrected copies whose title opens with CORRECTED-")
      ->capture_default_str();
  cmd->add_option("--templated-rate", o.templated_rate,
                  "Share of articles that reuse another report's or notice's wording with other "
                  "names, figures or dates: not copies (0 .. 0.2)")
      ->capture_default_str();
  cmd->add_flag("--titles-only", o.titles_only,
                "Write every article with its title and an empty text (varied headlines; the "
                "labels of the full corpus)");
  cmd->add_flag("-q,--quiet", a->quiet, "No summary on stderr");
  cmd->callback([a, exit_code] { *exit_code = RunGen(*a); });
}

}  // namespace samestory::cli
