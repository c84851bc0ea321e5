// Pipelines: whole runs, the only place that knows the order of the stages. Dedup: read ->
// tokenize -> fingerprint -> LSH -> copy rule -> duplicate groups, records in (a JsonlReader over
// a file, stdin, or records the caller supplies) and a DedupResult out (per record, in input
// order). Cluster adds TF-IDF -> kNN graph -> story clusters. RunDedup and RunCluster are the
// file-to-file forms: the same run, written as JSON Lines, one output line per input record.
//
// Texts are read and fingerprinted in batches and dropped; until grouping, only ids, dates and LSH
// band keys stay in memory (shingle sets and signatures go to temporary files). Output is a pure function of (input, options): identical at any thread
// count. Thread-safety: RunDedup may be called from several threads on different inputs.
#ifndef SAMESTORY_PIPELINE_H_
#define SAMESTORY_PIPELINE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "samestory/cluster.h"
#include "samestory/dedup.h"
#include "samestory/document.h"
#include "samestory/fingerprint.h"
#include "samestory/reader.h"
#include "samestory/status.h"
#include "samestory/text.h"
#include "samestory/tfidf.h"

namespace samestory {

struct DedupPipelineOptions {
  // Output-affecting.
  ReaderOptions reader;
  TextOptions text;
  FingerprintOptions fingerprint;
  DedupOptions dedup;
  // Performance only.
  int threads = 0;            // worker threads; 0 = all cores
  size_t batch_size = 4096;   // records read and fingerprinted at a time; 1..1,000,000
  // Memory budget in bytes; 0 = half of the machine's RAM. A quarter of it may hold LSH band keys
  // at once (beyond that they are sorted externally, in runs on disk). Fingerprints' evidence
  // (samples, facts, titles) always goes to a temporary file; band keys (bands x 4 bytes an
  // article) and per-record output data stay in memory, and the summary says how much they took.
  uint64_t memory_limit = 0;

  Status Validate() const;
};

// Where time went, in seconds. Wall time for reading, grouping and writing; thread CPU time summed
// over workers for the per-document stages.
struct StageSeconds {
  double read = 0;          // decompress + JSON parse (wall; with 2+ threads, only the time
                            // reading outlasted fingerprinting, as it overlaps)
  double tokenize_cpu = 0;     // text stage
  double fingerprint_cpu = 0;  // grams, sketch, sample, facts
  double terms_cpu = 0;        // TF-IDF terms (cluster only)
  double fingerprint = 0;      // wall time of the per-document stages
  double group = 0;            // LSH, the copy rule, union-find (wall)
  double write = 0;         // output (wall)
  double total = 0;         // the whole run (wall)
};

struct DedupSummary {
  uint64_t articles = 0;        // records read (blank lines excluded)
  uint64_t input_bytes = 0;     // uncompressed
  uint64_t bad_records = 0;     // records in the output with an error
  uint64_t warnings = 0;
  uint64_t short_articles = 0;  // too short to shingle
  uint64_t groups = 0;          // duplicate groups of 2+ articles
  uint64_t articles_in_groups = 0;
  uint64_t candidates = 0;  // candidate pairs judged by the copy rule
  uint64_t accepted = 0;    // ... and judged copies
  std::vector<size_t> rejected;  // candidates rejected, by CopyReason
  LshParams lsh;
  int threads = 1;
  StageSeconds seconds;
  // Where memory went, in bytes.
  struct Memory {
    uint64_t band_keys = 0;         // LSH band keys (bands x 4 bytes an article)
    uint64_t records = 0;           // what the output needs of each record (ids, errors, dates)
    uint64_t spilled_evidence = 0;  // fingerprints' evidence in a temporary file (not in memory)
    uint64_t peak_rss = 0;          // the process's peak resident set at the end of the run
    uint64_t limit = 0;             // the budget used (memory_limit, or half the RAM)
  } memory;
};

// Called for every record with an error or a warning, in input order, from the calling thread.
using RecordReporter = std::function<void(const Document&)>;
// Called after each batch with the records and uncompressed bytes read so far.
using ProgressReporter = std::function<void(uint64_t records, uint64_t bytes)>;

// What a caller hears of a run, and how it stops one. Every member may be empty. All are called
// from the thread that called Dedup/Cluster.
struct RunHooks {
  RecordReporter reporter;  // every record with an error or a warning, in input order
  ProgressReporter progress;
  // Asked after every batch read and between stages: true stops the run with Status::Cancelled
  // (a binding's Ctrl-C). A stage under way (grouping, clustering) finishes first.
  std::function<bool()> cancelled;
};

// A run's answer, one entry per record in input order (the output's fields as arrays).
struct DedupResult {
  std::vector<std::string> ids;       // "" when the record had none (then `errors` says so)
  std::vector<uint64_t> lines;        // 1-based line (or supplied record) number
  std::vector<std::string> errors;    // "" = none; a record with an error takes no part
  std::vector<std::string> warnings;  // "" = none
  // The record's duplicate group: its representative (the group's earliest member, a record
  // index; itself when it has no copy, and for a record with an error), how it relates to it
  // (DupKind::kNone when alone or the representative) and their sampled containment (1 for the
  // representative itself).
  std::vector<uint32_t> representative;
  std::vector<DupKind> kind;
  std::vector<float> score;
  std::vector<uint8_t> is_short;  // 1: too few words to fingerprint (compared whole)
  // Every candidate pair judged, when DedupOptions::collect_pairs (record indices).
  std::vector<JudgedPair> pairs;
  DedupSummary summary;
  // OK, or what ended the input early (a truncated gzip stream, an error of the caller's
  // supplier): the records read before it are in the result.
  Status input_status;

  size_t size() const { return ids.size(); }
};

// Fingerprints for callers that find candidates themselves (a Spark, Dask or Ray shuffle): per
// record, the copy fingerprint's sketch and the LSH keys the batch buckets it by. Records that
// share a key in a column are candidates; the copy rule then decides (Dedup does all of it).
struct FingerprintResult {
  std::vector<std::string> ids;     // per record, input order
  std::vector<std::string> errors;  // "" = none
  int sketch_bins = 0;              // K: sketch values per record
  int bands = 0;                    // LSH bands among the key columns
  size_t key_columns = 0;           // bands, then sentence anchors (CandidateKeys)
  // (n, sketch_bins) row-major: the one-permutation sketch; zeros for a short record (compared
  // whole, by text_hash) and for a record with an error.
  std::vector<uint32_t> sketches;
  // (n, key_columns) row-major: 32-bit keys, 0 = no key (short records, errors).
  std::vector<uint32_t> keys;
  std::vector<uint64_t> text_hash;  // short records: the hash of their tokens; else 0
  std::vector<uint8_t> is_short;
  DedupSummary summary;             // reading and fingerprinting only
  Status input_status;              // as DedupResult::input_status
};

// Errors: as Dedup; InvalidArgument when the LSH banding cannot be made.
Result<FingerprintResult> Fingerprint(JsonlReader& input, const DedupPipelineOptions& options,
                                      const RunHooks& hooks = {});

// Runs near-duplicate detection over the records of `input`. Bad records come back with an
// error (reported to hooks.reporter); they do not fail the run.
// Errors: InvalidArgument for bad options; IOError when a temporary file cannot be written;
// Cancelled when hooks.cancelled said so; Internal on an ICU failure or when memory runs out.
// An input that breaks off is not an error here: see DedupResult::input_status.
Result<DedupResult> Dedup(JsonlReader& input, const DedupPipelineOptions& options,
                          const RunHooks& hooks = {});

struct DedupOutputs {
  std::string output = "-";  // JSON Lines path; "-" is standard output
  // When set: TSV of every candidate pair judged, with the rule's evidence and verdict
  // (id_a, id_b, verdict, reason, containment, resemblance, fact_agree, fact_conflict).
  std::string pairs;
};

// Runs near-duplicate detection over `input` ("-" is stdin; .gz recognised). Bad records are
// reported and written with an "error" field; they do not fail the run.
// Errors: InvalidArgument for bad options; NotFound/IOError when the input cannot be opened or an
// output not written; Corruption when the input stream breaks off (records read before that are
// written); Internal on an ICU failure or when memory runs out.
Result<DedupSummary> RunDedup(std::string_view input, const DedupOutputs& outputs,
                              const DedupPipelineOptions& options,
                              const RecordReporter& reporter = nullptr,
                              const ProgressReporter& progress = nullptr);

// RunCluster: the dedup pipeline, then TF-IDF -> kNN graph -> story clusters over the groups'
// representatives (a wire copy is always in its original's story), expanded back to every article.
// Each article's terms go to a temporary file as it is read; document frequencies are fitted from
// it, and clustering loads vectors from it window by window (in date order), so for a dated corpus
// memory follows the articles within date reach, not the corpus.
struct ClusterPipelineOptions {
  DedupPipelineOptions dedup;  // reading, text, near-duplicates, threads
  TfidfOptions tfidf;
  ClusterOptions cluster;
  // When set: a TF-IDF model saved by an earlier run (ClusterOutputs::model) whose document
  // frequencies are used instead of fitting them on the input; the input's terms it does not
  // know are ignored. Its term options (text, stemming, term weights) must equal these; max_df
  // and min_df were applied when it was fitted.
  std::string model;
  // Summarize every story (ClusterResult::stories): one more pass over the TF-IDF vectors.
  bool summarize_stories = false;

  Status Validate() const;
};

struct ClusterSummary {
  DedupSummary dedup;          // everything up to the duplicate groups
  uint64_t stories = 0;        // stories of two or more articles
  uint64_t articles_in_stories = 0;
  uint64_t terms = 0;          // TF-IDF vocabulary after max_df/min_df pruning
  uint64_t edges = 0;          // kNN edges kept after re-scoring
  std::string index;           // FAISS factory string used
  bool model_loaded = false;   // document frequencies came from ClusterPipelineOptions::model
  uint64_t model_documents = 0;  // documents the model's frequencies were counted over
  double tfidf_seconds = 0;    // fitting document frequencies (wall); vectors are transformed
                               // when clustering loads them (ClusterStats::project_seconds)
  uint64_t spilled_terms = 0;  // bytes of TF-IDF terms in a temporary file (not in memory)
  double cluster_seconds = 0;  // projection, kNN search, re-scoring, linkage (wall)
  ClusterStats cluster;        // the clustering step's own counts and times
};

// One story, as the --stories file writes it.
struct StorySummary {
  uint32_t story = 0;  // its name: the record index of its earliest article
  uint32_t size = 0;   // articles, copies included
  std::optional<UnixSeconds> first_date, last_date;  // of its dated articles
  std::string title;   // its earliest article's
  std::vector<std::string> top_terms;  // up to 8: the largest weights of its vectors' sum
};

struct ClusterResult {
  DedupResult records;  // the duplicate groups, per record (records.summary == summary.dedup)
  // Per record: its story, named by the record index of the story's earliest article (by date,
  // undated last, then input order; copies included); UINT32_MAX for a record with an error.
  std::vector<uint32_t> story;
  // When ClusterPipelineOptions::summarize_stories: every story, by its name.
  std::vector<StorySummary> stories;
  ClusterSummary summary;
  // The TF-IDF model the run used (fitted, or loaded from ClusterPipelineOptions::model).
  std::shared_ptr<const TfidfModel> model;
};

// Dedup, then stories. Errors: as Dedup, InvalidArgument for a bad FAISS factory string or a
// saved model of other term options, NotFound/Corruption for an unreadable saved model.
Result<ClusterResult> Cluster(JsonlReader& input, const ClusterPipelineOptions& options,
                              const RunHooks& hooks = {});

// The output's JSON Lines for a result: what RunDedup / RunCluster write, byte for byte.
std::string ToJsonLines(const DedupResult& result);
std::string ToJsonLines(const ClusterResult& result);

struct ClusterOutputs {
  std::string output = "-";  // JSON Lines, one line per input record
  std::string stories;       // when set: one JSON line per story (size >= 1)
  std::string model;         // when set: the TF-IDF model used is saved here (TfidfModel::Save)
};

// Errors: as RunDedup, and InvalidArgument for a bad FAISS factory string.
Result<ClusterSummary> RunCluster(std::string_view input, const ClusterOutputs& outputs,
                                  const ClusterPipelineOptions& options,
                                  const RecordReporter& reporter = nullptr,
                                  const ProgressReporter& progress = nullptr);

}  // namespace samestory

#endif  // SAMESTORY_PIPELINE_H_
