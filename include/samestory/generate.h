// CorpusGenerator: a base corpus of real articles -> a labeled synthetic news corpus of any size.
//
// Not a pipeline stage but the source of benchmark inputs (issue 5): it writes what `dedup` and
// `cluster` read, with gold labels `dup` (duplicate group) and `story` (event) on every article.
// Events get several distinct reports (sentences sampled from the event's base articles and
// rewritten, shared made-up entities, dates spread over days), and some follow up an earlier
// event of the same thread (same names, another story); reports get wire copies with the
// edits outlets make (new headline, truncation, dropped or reordered paragraphs, boilerplate, word
// edits, OCR-like noise). Generation streams: memory holds the base corpus and a few days of
// pending article plans, never the output. Output is a pure function of (base, options): integer
// arithmetic on SplitMix64 draws, no std:: distributions, so it is byte-identical on any machine.
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
  kTruncated,    // cut at a sentence boundary after 40-90% of the text (Jaccard often < 0.8)
  kReordered,    // two paragraphs swapped or a sentence dropped
  kBoilerplate,  // 1-2 inserted lines: newsletter and ad text, credits, copyright
  kEdited,       // 1 .. words/60 word substitutions, deletions and insertions
  kNoisy,        // OCR-like character confusions at `noise_chars` per letter or digit
  kCombined,     // two or more of the above edits
};
inline constexpr int kCopyKinds = 9;

// "original", "exact", "reheadlined", "truncated", "reordered", "boilerplate", "edited", "noisy",
// "combined": the `copy_kind` field.
std::string_view CopyKindName(CopyKind kind);

struct GeneratorOptions {
  // Output-affecting.
  uint64_t articles = 1000;          // N, articles written, exactly; 1 .. 10^10; default 1000
  uint64_t seed = 1;                 // seed of every random choice; default 1
  std::string start = "2024-01-01";  // ISO 8601 date of the first event (UTC unless given)
  int days = 365;                    // events are spread evenly over this many days; 1..36500
  // Distinct reports per event, drawn uniformly in [min_reports, max_reports]; 1..32; default
  // 3..6. Every event has at least min(min_reports, 2) reports when N >= 2 (the last event is
  // trimmed to land on N exactly, never to a single report).
  int min_reports = 3;
  int max_reports = 6;
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
  double reheadline_rate = 0.3;   // a new headline
  double truncate_rate = 0.1;     // cut at a sentence boundary
  double reorder_rate = 0.15;     // two paragraphs swapped or a sentence dropped
  double boilerplate_rate = 0.3;  // 1-2 newsletter, ad and credit lines inserted
  double word_edit_rate = 0.2;    // 1 .. words/60 word substitutions, deletions, insertions
  double noise_rate = 0.1;        // OCR-like character noise
  double noise_chars = 0.002;     // per letter or digit of a noisy copy; [0, 0.1]

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
  std::string_view edits;  // for kCombined: the edits joined by '+'; else ""
  UnixSeconds time = 0;    // `date` as a number
};

// Appends `a` as one JSON Lines record (newline included) with fields id, title, text, date,
// lang (only when not empty), source, dup, story, copy_kind, and edits (only when not empty).
void AppendJsonLine(const GeneratedArticle& a, std::string* out);

// Receives the articles in output order: by date, ties in generation order (an original before
// its copies). A non-OK Status stops generation and is returned by Generate().
using ArticleSink = std::function<Status(const GeneratedArticle&)>;

struct GeneratorSummary {
  uint64_t articles = 0;
  uint64_t events = 0;
  uint64_t follow_ups = 0;                     // events that joined an earlier event's thread
  uint64_t reports = 0;                        // originals
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
