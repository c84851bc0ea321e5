// Pipelines: whole runs from an input file to an output file, the only place that knows the order
// of the stages. RunDedup: read -> tokenize -> shingle -> MinHash -> LSH -> duplicate groups ->
// JSON Lines, one output line per input record, in input order. RunCluster adds TF-IDF -> kNN
// graph -> story clusters.
//
// Texts are read and fingerprinted in batches and dropped; until grouping, only ids, dates and LSH
// band keys stay in memory (shingle sets and signatures go to temporary files). Output is a pure function of (input, options): identical at any thread
// count. Thread-safety: RunDedup may be called from several threads on different inputs.
#ifndef SAMESTORY_PIPELINE_H_
#define SAMESTORY_PIPELINE_H_

#include <cstdint>
#include <functional>
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
