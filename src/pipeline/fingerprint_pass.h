// The read-and-fingerprint pass of both pipelines: records are read in batches, tokenized,
// fingerprinted (and their TF-IDF terms extracted, for clustering) in parallel, texts dropped
// batch by batch; then the copies are grouped. What it leaves is all the later stages need.
// Thread-safety: one pass per call; uses OpenMP workers inside.
#ifndef SAMESTORY_PIPELINE_FINGERPRINT_PASS_H_
#define SAMESTORY_PIPELINE_FINGERPRINT_PASS_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cluster/term_spill.h"
#include "samestory/pipeline.h"

namespace samestory::internal {

struct Pass {
  DedupResult result;  // per record: ids, lines, errors, warnings, groups; and the summary
  // Set before the pass: keep the titles (a cluster run that summarizes its stories).
  bool keep_titles = false;
  // When terms are extracted (clustering), per record:
  std::vector<std::string> titles;                   // for story summaries (keep_titles)
  std::vector<std::optional<UnixSeconds>> dates;     // for story naming and date reach
  TermSpill terms;
  std::unordered_map<uint64_t, std::string> spellings;  // term hash -> a stem's spelling
  // A distributed run's TF-IDF model, fitted on the representatives' document frequencies summed
  // across its ranks, and the seconds that took; null when the cluster stage fits it from `terms`.
  std::shared_ptr<const TfidfModel> model;
  double model_seconds = 0;
};

// What the per-document pass measured, for the summary.
struct PassTimes {
  int threads = 1;
  StageSeconds seconds;  // read, fingerprint and the CPU times
  uint64_t input_bytes = 0;
  Status input_status;  // OK, or what ended the input early
};

// Receives every record in input order with its fingerprint (null for a record with an error)
// and, when terms are extracted, its terms. A non-OK Status stops the pass with it.
using RecordSink = std::function<Status(Document& doc, const CopyFingerprint* fp,
                                        const std::vector<TermCount>* terms)>;

// The per-document stages over `input` in batches: tokenize, fingerprint, and (with `extractor`,
// may be null) extract TF-IDF terms, in parallel; then `sink` gets each record in order. Term
// spellings go to *spellings (may be null). Errors: as Dedup.
Status FingerprintRecords(JsonlReader& input, const DedupPipelineOptions& options,
                          const TermExtractor* extractor, const RunHooks& hooks,
                          const RecordSink& sink, PassTimes* times,
                          std::unordered_map<uint64_t, std::string>* spellings);

// The group stage: records in input order (Add) -> the result's columns, the term file, the
// duplicate groups (Finish). With an IdRegistry, ids are checked here (a distributed run, whose
// shards do not see each other's ids).
class GroupBuilder {
 public:
  Status Start(const DedupPipelineOptions& options, bool terms, const RunHooks& hooks,
               IdRegistry* ids, Pass* pass);
  Status Add(Document& doc, const CopyFingerprint* fp, const std::vector<TermCount>* terms);
  Status Finish(const PassTimes& times);

 private:
  std::optional<DuplicateFinder> finder_;
  DedupPipelineOptions options_;
  bool terms_ = false;
  RunHooks hooks_;
  IdRegistry* ids_ = nullptr;
  Pass* pass_ = nullptr;
};

// Runs FingerprintRecords into a GroupBuilder: the whole pass over `input` into *pass. An input
// that breaks off ends the pass (pass->result.input_status). Errors: as Dedup.
Status ReadAndFingerprint(JsonlReader& input, const DedupPipelineOptions& options,
                          const TermExtractor* extractor, const RunHooks& hooks, Pass* pass);

// What the output needs of records [0, records) once their texts are gone (the summary's
// memory.records): their ids, errors, warnings and groups (the columns the result has: a
// distributed cluster run's rank 0 holds no lines, warnings, scores or short flags).
uint64_t RecordBytes(const DedupResult& result, size_t records);
// What a pass holds of its records: RecordBytes, and the titles and dates kept for clustering.
uint64_t PassRecordBytes(const Pass& pass);

// The run's clock and the process's memory, for summaries.
double ThreadCpuSeconds();
uint64_t PeakRssBytes();  // the process's peak resident set (VmHWM); 0 where /proc is not there
uint64_t PhysicalMemory();  // physical RAM in bytes (0 if unknown)

}  // namespace samestory::internal

#endif  // SAMESTORY_PIPELINE_FINGERPRINT_PASS_H_
