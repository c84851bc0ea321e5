// CorpusGenerator: a base corpus of real articles -> a labeled synthetic news corpus of any size.
//
// Not a pipeline stage but the source of benchmark inputs (issue 5): it writes what `dedup` and
// `cluster` read, with gold labels `dup` (duplicate group) and `story` (event) on every article.
// Events get several distinct reports (sentences sampled from the event's base articles and
// rewritten, shared made-up entities, dates spread over days; 3-6 of them, or a heavy-tailed
// number, most events a few and some hundreds to thousands), and some follow up an earlier event
// of the same thread (same names, another story) or are sub-events of a big one (its names and
// key term, another story); reports get wire copies with the edits outlets make (new headline,
// truncation, reordered paragraphs, boilerplate, word edits, OCR-like noise, added paragraphs, a
// corrected figure). Templated articles reuse another report's wording with other names, figures
// or dates: they look like copies and are not (hard negatives). Texts may be left out (titles
// only). Generation streams: memory holds the base corpus and a few weeks of pending article
// plans, never the output (the heavy-tailed mode first counts its events in a planning-only
// pass). Output is a pure function of (base, options): integer arithmetic on SplitMix64 draws, no
// std:: distributions, so it is byte-identical on any machine.
// Thread-safety: a CorpusGenerator is immutable; Generate() is const and may run concurrently.
#ifndef SAMESTORY_GENERATE_H_
#define SAMESTORY_GENERATE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "samestory/document.h"
#include "samestory/status.h"

namespace samestory {

namespace gen {
struct BaseCorpus;  // the sentence store (src/gen/base_corpus.h)
}  // namespace gen

// How a generated article relates to the report it derives from. A copy with one edit is named
// after it; a copy with two or more is kCombined (GeneratedArticle::edits lists them).
enum class CopyKind {
  kOriginal,     // a report: the first article of its duplicate group
  kExact,        // the report's title and text unchanged, another outlet and a later date
  kReheadlined,  // a new headline, the text unchanged
  kTruncated,    // the lead and following paragraphs, 60-90% of them (sentences if < 3 paragraphs)
  kReordered,    // two paragraphs after the lead swapped (two sentences if < 3 paragraphs)
  kBoilerplate,  // 1-4 inserted lines: newsletter and ad text, credits, copyright
  kEdited,       // ~3% of the words substituted, deleted or inserted
  kNoisy,        // OCR-like confusions of ~2% of the characters, lost and added spaces among them
  kExtended,     // 1-3 paragraphs of further text (background of the thread) after the report's
  kCorrected,    // one figure changed, the title sometimes marked "CORRECTED-"
  kCombined,     // two or more of the above edits
  // Not a copy: another report (its own `dup` and `story`) in the wording of the report named by
  // GeneratedArticle::template_of, with other names, figures or dates.
  kTemplated,
};
inline constexpr int kCopyKinds = 12;

// "original", "exact", "reheadlined", "truncated", "reordered", "boilerplate", "edited", "noisy",
// "extended", "corrected", "combined", "templated": the `copy_kind` field.
std::string_view CopyKindName(CopyKind kind);

// How many distinct reports an event gets (GeneratorOptions::story_sizes).
enum class StorySizes {
  kUniform,  // uniformly in [min_reports, max_reports]: every event about the same size
  // A truncated discrete power law (Zipf's law of story sizes): P(K = k) proportional to k^-a for
  // k = 1 .. max_story_reports, a = story_size_exponent. At a = 2 and the cap 2000: E[K] = 4.97,
  // 61% of the events have one report, 94% 1-10, 0.6% over 100, 0.03% over 1000 (at 100,000
  // articles and copy_rate 0.5: ~10,000 events, ~58 of over 100 reports, ~3 of over 1000).
  kHeavyTailed,
};

// An event with at least this many distinct reports is big: it can have sub-events.
inline constexpr int kBigEventReports = 50;
// A sub-event joins a big event of at most this many days before it ("the same month").
inline constexpr int kSubEventDays = 30;

struct GeneratorOptions {
  // Output-affecting.
  uint64_t articles = 1000;  // N, articles written, exactly; 1 .. 10^10; default 1000
  uint64_t seed = 1;         // seed of every random choice; default 1
  // ISO 8601 date of the first event (UTC unless given); every generated date must stay in years
  // 0000-9999, so start + days + report spread + the later of copy delay and 28 days (templated
  // articles) must end by 9999-12-31. Default 2024-01-01.
  std::string start = "2024-01-01";
  int days = 365;  // events are spread evenly over this many days; 1..36500
  // Distinct reports per event with kUniform, drawn uniformly in [min_reports, max_reports];
  // 1..32; default 3..6. Every event has at least min(min_reports, 2) reports when N >= 2 (the
  // last event is trimmed to land on N exactly, never to a single report), except notice events
  // (one report, the templates of templated articles). Not used by kHeavyTailed.
  int min_reports = 3;
  int max_reports = 6;
  // How the number K of distinct reports per event is drawn (StorySizes); default kUniform. With
  // kHeavyTailed, events are dated evenly by their index instead of by their share of the
  // articles (a big story is news among the others, not alone in a long gap), a story of K
  // reports spreads them over report_spread_days x bit_width(K) / bit_width(max_story_reports)
  // (13 hours for 2 reports .. 3 days at the cap, by default), and headlines are varied as with
  // titles_only.
  StorySizes story_sizes = StorySizes::kUniform;
  // kHeavyTailed: the exponent a of P(K = k) ~ k^-a; [1, 4], used to the nearest 1/1024 (so that
  // k^-a needs only square roots and products, exact in IEEE arithmetic); default 2.
  double story_size_exponent = 2;
  int max_story_reports = 2000;  // kHeavyTailed: K's cap (max_reports does not apply); 1..50000
  // kHeavyTailed: share of story events that are sub-events of a big event (kBigEventReports or
  // more reports) of the last kSubEventDays days, when there is one: its thread (organisation,
  // place, lead person, background text, like a follow-up) and its key term, but another story
  // (a follow-up a week later, another crash the same month). [0, 1]; default 0.1.
  double sub_event_rate = 0.1;
  double report_spread_days = 3;  // a report's date is up to this long after its event's; [0, 60]
  // Share of events that follow up a recent event (one of the last thread_days): same thread,
  // so same organisation, place and lead person and a few shared background sentences, but a
  // separate story with its own main text, term and dates. The hard negatives of story
  // clustering. [0, 1]; default 0.3.
  double follow_up_rate = 0.3;
  double thread_days = 14;  // how far back a follow-up reaches; (0, 365]
  // Share of articles that are wire copies; [0, 0.95]; default 0.5. A report gets k copies with
  // probability (1 - r) r^k (geometric, mean r / (1 - r)), at most 255.
  double copy_rate = 0.5;
  double copy_delay_hours = 12;  // a copy is dated 1 minute .. this long after its report; [0, 720]
  // Independent probability of each edit on a copy; [0, 1]. No edit makes an exact copy.
  double reheadline_rate = 0.3;   // a new headline; default 0.3
  double truncate_rate = 0.15;    // the text cut after some paragraphs; default 0.15
  double reorder_rate = 0.15;     // two paragraphs swapped; default 0.15
  double boilerplate_rate = 0.3;  // newsletter, ad and credit lines added; default 0.3
  double word_edit_rate = 0.2;    // word substitutions, deletions and insertions; default 0.2
  double noise_rate = 0.1;        // OCR-like character noise; default 0.1
  double extend_rate = 0.1;       // further paragraphs added after the report's; default 0.1
  double correct_rate = 0.05;     // one figure corrected; default 0.05
  // How strong each edit is.
  double truncate_min_keep = 0.6;  // least share of paragraphs a truncated copy keeps; [0.1, 1]
  double truncate_max_keep = 0.9;  // most share kept (one is always cut); [min_keep, 1]; 0.9
  int boilerplate_max_lines = 4;   // boilerplate lines added, 1 .. this; 1..6; default 4
  double word_edit_share = 0.03;   // share of words an edited copy changes (1 at least); (0, 0.2]
  double noise_chars = 0.02;       // share of characters a noisy copy garbles; [0, 0.1]; 0.02
  int extend_max_paragraphs = 3;   // paragraphs an extended copy adds, 1 .. this; 1..10; 3
  double correction_mark_rate = 0.5;  // share of corrected copies marked in the title; [0, 1]
  // Share of articles that are templated (CopyKind::kTemplated): another report's or notice's
  // wording about other entities, with other figures, or a week or more later; [0, 0.2]; 0.05.
  double templated_rate = 0.05;
  // Every article written with its title and an empty text ("text": ""): a corpus of headlines.
  // The articles, their edits and their gold labels are those of the full corpus (a copy whose
  // edits were in the text has its report's headline; a reheadlined copy is another headline of
  // the same report, the same `dup`; a templated article with other figures has them in its
  // headline, else other names). Headlines are varied: the base headline reworded with a name of
  // the event, a headline naming the event's entities (28 English forms, 8-10 in French, Spanish,
  // German), or the lead sentence's first 6-11 words, so that one event's headlines share some
  // words, not all. Default false.
  bool titles_only = false;

  Status Validate() const;
};

// One generated article. Views stay valid only during the sink call that receives it.
struct GeneratedArticle {
  std::string_view id;  // "g<n>", unique; n counts articles in generation order from 1
  std::string_view title;
  std::string_view text;    // paragraphs separated by "\n\n"
  std::string_view date;    // "YYYY-MM-DDTHH:MM:SSZ"
  std::string_view lang;    // the base article's `lang`; "" when it had none
  std::string_view source;  // a made-up outlet name
  std::string_view dup;     // gold duplicate group: the id of the report this derives from
  std::string_view story;   // gold story: "e<n>", the event
  CopyKind copy_kind = CopyKind::kOriginal;
  std::string_view edits;        // for kCombined: the edits joined by '+'; else ""
  std::string_view template_of;  // for kTemplated: the id of the report whose wording it has
  // For kTemplated, what differs from that report: "names" (organisation, people, place; maybe
  // the figures), "figures" (the numbers only), "date" (only the date, a week or more later).
  std::string_view template_change;
  UnixSeconds time = 0;  // `date` as a number
};

// Appends `a` as one JSON Lines record (newline included) with fields id, title, text, date,
// lang (only when not empty), source, dup, story, copy_kind, and edits, template_of and
// template_change (only when not empty).
void AppendJsonLine(const GeneratedArticle& a, std::string* out);

// Receives the articles in output order: by date, ties in generation order (an original before
// its copies). A non-OK Status stops generation and is returned by Generate().
using ArticleSink = std::function<Status(const GeneratedArticle&)>;

struct GeneratorSummary {
  uint64_t articles = 0;
  uint64_t events = 0;                         // stories: events, notices, templated articles
  uint64_t follow_ups = 0;                     // events that joined an earlier event's thread
  uint64_t sub_events = 0;                     // of which sub-events of a big event
  uint64_t big_events = 0;                     // events of kBigEventReports or more reports
  uint64_t max_reports = 0;                    // most distinct reports of one event
  uint64_t reports = 0;                        // originals
  uint64_t notices = 0;                        // of which short notices (templates)
  std::array<uint64_t, kCopyKinds> by_kind{};  // articles per CopyKind
  uint64_t base_articles = 0;   // base records with enough sentences to seed an event
  uint64_t base_sentences = 0;  // usable sentences in the whole base corpus
  uint64_t max_pending = 0;     // largest number of article plans waiting for their date
  uint64_t bytes = 0;           // bytes written (WriteCorpus only; uncompressed)
};

// Reads a base corpus: JSON Lines with a title and a body (field text, body or content), as any
// samestory input. Records that are bad or have no body are skipped and counted in *skipped (may
// be null). Errors: NotFound/IOError when the file cannot be read, Corruption when it breaks off.
Result<std::vector<Document>> ReadBaseCorpus(std::string_view path, uint64_t* skipped);

class CorpusGenerator {
 public:
  // Splits the base articles into sentences and keeps the usable ones (6..80 words, mostly words
  // rather than numbers, ending like a sentence); `base` may be dropped afterwards. An article
  // with 3+ usable sentences can seed events; every usable sentence can fill in as background.
  // Errors: InvalidArgument for bad options, or when no base article has 3 usable sentences.
  static Result<CorpusGenerator> Create(const GeneratorOptions& options,
                                        std::span<const Document> base);

  // Generates options().articles articles into `sink`. Fills *summary (may be null) as it goes.
  // Errors: whatever the sink returns.
  Status Generate(const ArticleSink& sink, GeneratorSummary* summary) const;

  const GeneratorOptions& options() const { return options_; }

 private:
  CorpusGenerator(const GeneratorOptions& options, std::shared_ptr<const gen::BaseCorpus> base)
      : options_(options), base_(std::move(base)) {}
  GeneratorOptions options_;
  std::shared_ptr<const gen::BaseCorpus> base_;
};

// Generates into a file as JSON Lines: "-" is standard output; a name ending in ".gz" is written
// gzip-compressed (zlib level 1). Errors: IOError when the file cannot be written.
Status WriteCorpus(const CorpusGenerator& generator, const std::string& path,
                   GeneratorSummary* summary);

}  // namespace samestory

#endif  // SAMESTORY_GENERATE_H_
