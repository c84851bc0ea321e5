// The distributed LSH dedup's state on a rank (dedup_shuffle.cc) and its candidate stage
// (shuffle_candidates.cc). Internal.
#ifndef SAMESTORY_DISTRIBUTED_SHUFFLE_SHARE_H_
#define SAMESTORY_DISTRIBUTED_SHUFFLE_SHARE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dedup/bucket_pairs.h"
#include "cluster/term_spill.h"
#include "dedup/evidence.h"
#include "distributed/group.h"
#include "distributed/ordered_output.h"
#include "io/temp_file.h"
#include "pipeline/fingerprint_pass.h"
#include "samestory/dedup.h"
#include "samestory/lsh.h"

namespace samestory::internal {

// A record's kind in the shuffle: excluded (no evidence), a short text (paired by identity), or
// banded.
constexpr uint8_t kExcluded = 0, kShort = 1, kFull = 2;
constexpr int64_t kUndated = kNoBucketTime;

// This rank's share of the run, in input order: what the stages of DedupShuffled keep.
struct ShuffleShare {
  std::optional<Layout> layout;  // which rank holds which record
  int size = 1, rank = 0;
  size_t columns = 0;
  DedupResult out;  // ids, lines, errors, warnings, is_short; the groups once known
  std::vector<uint8_t> kind;
  std::vector<int64_t> date;  // kUndated when undated
  std::vector<uint32_t> words;
  std::vector<uint64_t> text_hash;  // short documents' identity
  std::vector<uint32_t> keys;       // (records, columns): band keys then anchors; 0 = no key
  std::vector<uint32_t> title;      // title words (token & kTitleWord) of record i:
  std::vector<uint64_t> title_end;  //   [title_end[i - 1], title_end[i])
  std::vector<uint64_t> offset;     // evidence in `spill`
  std::vector<uint32_t> bytes;
  std::unique_ptr<TempFile> spill;
  std::unordered_map<uint32_t, uint32_t> title_df;  // the run's, for this rank's title words

  // The run's document frequency of each of record i's title words (what JudgeCopy reads).
  void TitleDf(size_t i, std::vector<uint32_t>* out) const {
    out->clear();
    for (uint64_t t = i == 0 ? 0 : title_end[i - 1]; t < title_end[i]; ++t) {
      const auto it = title_df.find(title[t]);
      out->push_back(it == title_df.end() ? 0 : it->second);
    }
  }
  uint64_t input_records = 0;                       // the whole input's
  PassTimes times;
  // When terms are extracted (clustering), per record: its terms (spilled), title (when
  // keep_titles: the run summarizes its stories) and date.
  bool keep_titles = false;
  TermSpill terms;
  std::vector<std::string> titles;
  std::vector<std::optional<UnixSeconds>> dates;
  std::unordered_map<uint64_t, std::string> spellings;  // term hash -> a stem's spelling

  size_t size_local() const { return kind.size(); }
  uint64_t Global(size_t i) const { return layout->Global(i); }
  size_t LocalOf(uint64_t k) const { return static_cast<size_t>(layout->LocalOf(k)); }
  int Holder(uint64_t k) const { return layout->Holder(k); }
  std::optional<UnixSeconds> Date(size_t i) const {
    return date[i] == kUndated ? std::nullopt : std::optional<UnixSeconds>(date[i]);
  }
  Status Load(size_t i, std::string* buffer) const {
    buffer->resize(bytes[i]);
    return spill->Read(offset[i], bytes[i], buffer->data());
  }
  // Record i's evidence (read back from the spill file) into *e.
  Status LoadEvidence(size_t i, std::string* buffer, Evidence* e) const {
    if (Status s = Load(i, buffer); !s.ok()) return s;
    if (!DecodeEvidence(*buffer, &e->fingerprint)) {
      return Status::Internal("a fingerprint read back from the temporary file is damaged");
    }
    TitleDf(i, &e->title_df);
    return Status::OK();
  }
};

// Stage 4: candidates. Band keys (and short texts' identities) go to owner ranks by hash; each
// owner applies the bucket rule to its buckets in the windowing order; each pair (a < b, global
// input positions) goes to the holder of a, which keeps it once. Sorted, distinct. Takes
// `columns_per_round` key columns a round (short texts in the first), so that a rank's entries
// in flight stay bounded however many documents it holds; frees m->keys. Collective.
Result<std::vector<std::pair<uint64_t, uint64_t>>> FindCandidates(Counted& group,
                                                                  const LshBanding& banding,
                                                                  size_t columns_per_round,
                                                                  ShuffleShare* m);

// What stages 1-7 leave on a rank: its share with each record's duplicate group (m.out's
// representative: a local index, or one of the ids appended for representatives held elsewhere;
// kind, score), and what the summary sums.
struct FoundCopies {
  ShuffleShare m;
  std::unordered_map<uint64_t, uint64_t> representative;  // grouped record -> its representative
  uint64_t bad = 0, warnings = 0, shorts = 0;  // this rank's records'
  uint64_t candidates = 0, accepted = 0;       // this rank's judged candidates
  std::vector<size_t> rejected;                // by reason, this rank's
  uint64_t groups = 0, in_groups = 0;          // the run's (rank 0)
  LshParams lsh;
  uint64_t limit = 0;  // the memory budget
  int threads = 1;
  double group_seconds = 0;
};

// Stages 1-7 of the distributed LSH dedup over `input`: each rank fingerprints its share (and,
// with `extractor`, extracts its records' terms into m.terms, titles and dates), then ids, title
// frequencies, candidates, judging, groups and members. Errors and warnings go to `reporter` on
// the rank that holds the record. Sets group.me()'s records and seconds. Collective.
Status FindCopies(Counted& group, std::string_view input, const DedupPipelineOptions& options,
                  const TermExtractor* extractor, const RecordReporter& reporter,
                  FoundCopies* found);

// Rank 0's DedupSummary of a run FindCopies grouped, every rank's counts summed (no write or total
// seconds, no peak RSS). Collective.
Result<DedupSummary> SumCopies(Counted& group, const FoundCopies& found);

// A cluster run's records as their holders keep them after ShuffledPass, to write them.
struct HeldRecords {
  std::optional<Layout> layout;
  DedupResult out;  // as ShuffleShare's (ids of representatives held elsewhere appended)
  size_t size = 0;  // records held
  Status input_status;  // the run's: OK, or what ended an input early on some rank
};

// A cluster run's pass (pipeline/fingerprint_pass.h) on rank 0 from the shuffled dedup
// (copies_pass.cc): FindCopies groups the copies across the ranks; rank 0 then receives, in
// input order, what the clustering needs of every record (id, error, group, date, and its title
// when pass->keep_titles, set on every rank) and, when it gets a vector (a representative or a
// partial copy), its terms; not the lines, warnings, scores or short flags: the holders write the
// records (rank 0's pass->result has no such columns). With `fit` (no saved model), the document
// frequencies of those terms are summed across the ranks and rank 0's pass->model is fitted on
// them with `fit`. Every rank keeps its records in *held, for WriteHeldRecords. Returns a failure
// every rank shares (the first by rank). REQUIRES: extractor. Collective.
Status ShuffledPass(Counted& group, std::string_view input, const DedupPipelineOptions& options,
                    const TermExtractor* extractor, const TfidfOptions* fit,
                    const RecordReporter& reporter, Pass* pass, HeldRecords* held);

// A cluster run's record lines, written by the ranks that hold the records, each at its offsets
// in `output` (not committed): rank 0 sends every rank its records' stories (`story`: rank 0's
// ClusterResult::story, by global record; `ids`: its records' ids, for the stories named by a
// record held on another rank). `story` and `ids` are read on rank 0 only. Returns a failure
// every rank shares. Collective.
Status WriteHeldRecords(Counted& group, const std::vector<uint32_t>& story,
                        const std::vector<std::string>& ids, size_t batch, HeldRecords* held,
                        OrderedOutput* output);

}  // namespace samestory::internal

#endif  // SAMESTORY_DISTRIBUTED_SHUFFLE_SHARE_H_
