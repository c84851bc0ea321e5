// News-feed mode: each article is deduplicated and placed in a story as it arrives, against the
// state of the recent past, and the state survives restarts.
//
// The same text stage, signatures and TF-IDF terms as the batch pipelines. Per article:
//   1. near-duplicate: LSH buckets of the articles of the last `dup_window_days`, candidates
//      verified like the batch (signature estimate, exact Jaccard near the threshold); the best
//      match's group representative is the article's `dup`;
//   2. story (articles that are not copies): the article's TF-IDF vector, projected, is searched in
//      a FAISS IndexIDMap2 over a flat inner-product index of the articles of the last
//      `story_window_days` (removable, unlike HNSW); candidates are re-scored with the exact sparse
//      cosine under the current document frequencies, damped by date as in the batch; its best
//      `knn` edges go into the batch's story rule (internal::StoryLinkage: graph average linkage,
//      best pair first, then the join of big stories), which merges what they make mergeable.
//      The article is answered at once with the story it is in then. When its edges make two
//      stories answered before one, the answer is followed by merge records, one a line:
//      {"merge": absorbed story id, "into": surviving story id, "score": link}; the surviving id
//      is the story whose earliest article (by date, then arrival) is earliest. Stories never
//      split; a reader applying the merges in order has the feed's current partition.
// Document frequencies count the non-copy articles inside the story window: they rise as articles
// arrive and fall as they are evicted. Exact re-scoring always uses the current frequencies (no
// stale vectors); only the projected vectors in the index keep the weights of their arrival time.
// Time is the feed's own clock: the latest article date seen (an undated article gets the clock),
// so decisions never depend on the wall clock and a replay is byte-identical.
//
// State directory: `options` (the output-affecting options; a state written with other options is
// refused), `snapshot` (the articles still inside a window, with their decisions), and `log` (an
// append-only log of every record and its decision since the snapshot, each entry with a CRC-32).
// A decision is in the log before it is returned. Opening a state replays the log after the
// snapshot (re-deciding each record and checking it matches the logged decision); a torn last
// entry (a kill mid-write) is dropped. Snapshots are written to a temporary file, fsynced and
// renamed, then the log is emptied.
// Thread-safety: one Feed per state directory, used from one thread (it locks the directory).
#ifndef SAMESTORY_FEED_H_
#define SAMESTORY_FEED_H_

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "samestory/cluster.h"
#include "samestory/pipeline.h"
#include "samestory/reader.h"
#include "samestory/status.h"
#include "samestory/tfidf.h"

namespace samestory {

struct FeedOptions {
  // Output-affecting (recorded in the state): reading, text, shingles, MinHash, dedup threshold.
  DedupPipelineOptions dedup;
  TfidfOptions tfidf;
  // The batch's story options: threshold, join_threshold, join_min_size, candidates, knn,
  // edge_floor, dim, window_days, date_slack_days, seed are used; index and threads are not (the
  // feed's index is always IndexIDMap2 over IndexFlatIP). The batch's defaults but the threshold:
  // an article is placed when it arrives, before the later reports of its own event exist, so
  // its best links are often to other stories; the batch merges best pairs first over the whole
  // corpus, where those links come last. The feed needs a stricter link: 0.12, not 0.04. Story
  // B-cubed F1 of the final partition on ECB+,
  // RPM2 and the sample at 0.04: 0.802/0.623/0.772; 0.07: 0.846/0.675/0.856; 0.10:
  // 0.866/0.727/0.856; 0.12: 0.895/0.740/0.856; 0.13: 0.881/0.750/0.845; 0.16: 0.876/0.690/0.845
  // (the batch: 0.964/0.755/0.856).
  ClusterOptions cluster = [] {
    ClusterOptions c;
    c.threshold = 0.12;
    return c;
  }();
  double dup_window_days = 4;     // articles this much older than the clock are no longer copies' originals (the copy rule's 96 hours)
  double story_window_days = 14;  // articles (and stories) this much older no longer attract others
  // Merge passes run every this many originals (1: on each, so an article's answer already
  // holds the merges it causes; more: answers come before merges, merge records later; Flush
  // runs the pending ones).
  uint64_t merge_every = 1;
  // Performance and durability only.
  uint64_t snapshot_every = 50000;  // articles between snapshots (then the log is emptied)
  uint64_t sync_every = 1000;       // log entries between fdatasync calls; 1 = every entry
  // Answer against the state without changing it: nothing is written (no log, no snapshot), the
  // directory is locked shared, and the answers build on each other only in memory. A batch placed
  // against a saved corpus: `samestory feed --state DIR --read-only NEW.jsonl`.
  bool read_only = false;
  Status Validate() const;
};

struct FeedStats {
  uint64_t records = 0;      // records answered (bad ones included)
  uint64_t bad_records = 0;
  uint64_t duplicates = 0;   // answered as a copy
  // Candidate pairs the copy rule judged: at most bucket_window per article and key column, so
  // linear in the articles even when thousands share a bucket (issue 14).
  uint64_t copy_candidates = 0;
  uint64_t new_stories = 0;
  uint64_t merges = 0;       // merge records written
  uint64_t replayed = 0;     // records identical to one in the window: its answer repeated
  uint64_t recovered = 0;    // log entries replayed when the state was opened
  uint64_t dup_window_articles = 0;    // now in the duplicate window
  uint64_t story_window_articles = 0;  // now in the story window
  uint64_t snapshots = 0;
};

// A record read and turned into what the decision needs (parsed, tokenized, shingled, signed,
// terms extracted): the part of the work that does not depend on the feed's state.
class PreparedRecord {
 public:
  PreparedRecord();
  ~PreparedRecord();
  PreparedRecord(PreparedRecord&&) noexcept;
  PreparedRecord& operator=(PreparedRecord&&) noexcept;
  // Why the record cannot be an article ("" when it can): the error its answer will carry.
  std::string_view error() const;
  struct Impl;

 private:
  friend class Feed;
  friend class FeedPreparer;
  std::unique_ptr<Impl> impl_;
};

// Prepares records, e.g. on a reading thread while the feed decides the previous one. One
// preparer per thread; get one from Feed::NewPreparer (the feed's options).
class FeedPreparer {
 public:
  static Result<FeedPreparer> Create(const FeedOptions& options);
  ~FeedPreparer();
  FeedPreparer(FeedPreparer&&) noexcept;
  FeedPreparer& operator=(FeedPreparer&&) noexcept;
  FeedPreparer Clone() const;
  // `line`: one input line (no newline); `line_no` for messages.
  PreparedRecord Prepare(std::string_view line, uint64_t line_no);
  // A line longer than the reader's max_record_bytes, whose bytes were dropped unread
  // (LineSource::Line::too_large): answered as "record too large", logged by its length.
  PreparedRecord PrepareTooLarge(uint64_t line_no, uint64_t bytes);

 private:
  struct Impl;
  explicit FeedPreparer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class Feed {
 public:
  // Opens (creating it if needed) the state in directory `dir` and recovers it. Errors:
  // InvalidArgument for bad options or a state written with other output-affecting options;
  // IOError when the directory cannot be used or is locked by another feed; Corruption when the
  // snapshot is damaged or the log replays to other decisions.
  static Result<std::unique_ptr<Feed>> Open(const std::string& dir, const FeedOptions& options);
  ~Feed();

  // Answers one input line (a JSON record, no newline): returns the decision as one JSON object,
  // followed by the merge records it caused, each after a newline (no final newline), already in
  // the log. A bad record is answered with {"id", "line", "error"}; a
  // record identical to one still inside the story window is answered as it was then (and changes
  // nothing); a blank line returns "" and is not logged. `line_no` is for messages only. Errors:
  // IOError when the log cannot be written (the record is then not answered, and every later
  // call fails the same way: reopen the state, which recovers it from the log); Internal for an
  // unexpected failure (the same). No exception escapes.
  Result<std::string> Process(std::string_view line, uint64_t line_no);
  // The same for a record prepared by a FeedPreparer of this feed's options.
  Result<std::string> Process(PreparedRecord record);
  // A preparer for another thread.
  FeedPreparer NewPreparer() const;

  // Runs the story merges still pending (merge_every > 1: they wait for the next pass) now, at
  // the end of an input or when a stream goes quiet. Returns their merge records, one a line (no
  // final newline; "" when none), already in the log (a restart replays the pass). Errors as
  // Process.
  Result<std::string> Flush();
  // Writes a snapshot (and empties the log) when snapshot_every records were answered since the
  // last one. Call after the answer has been delivered: the log keeps the last answer until then.
  Status Checkpoint();
  // Writes a snapshot now and empties the log.
  Status Snapshot();
  // Syncs the log to disk; call before exiting.
  Status Close();

  // Records answered over the state's whole life (blank lines excluded): a restarted replay of
  // the same input skips this many records.
  uint64_t answered() const;
  // A digest of every record the state answered, in order: ChainDigest over their lines (a line
  // too large by its length). A caller resuming a stream (skipping answered() records) checks
  // that the records it skips chain to the same digest: the same input, not another.
  uint64_t input_digest() const;
  static uint64_t ChainDigest(uint64_t digest, std::string_view line, uint64_t too_large_bytes);
  // The decision of the last record answered, with its merge records ("" before the first).
  const std::string& last_answer() const;

  const FeedStats& stats() const;

 private:
  struct Impl;
  explicit Feed(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The files of a watched directory the feed has fully answered: a manifest in the state
// directory ("watched.tsv": one line per file, its name and its records, tab-separated; names
// escaped as TSV fields, so any name, a newline in it included, reads back as it was written).
// A torn last line (a kill while it was appended) is cut when loaded: that file is not done.
// Not thread-safe.
class WatchedManifest {
 public:
  // Reads the manifest of state directory `state_dir` (none yet: nothing done). Errors: IOError;
  // Corruption for a line that is not "name<TAB>records".
  static Result<WatchedManifest> Load(const std::string& state_dir);
  bool Done(std::string_view name) const { return done_.count(std::string(name)) > 0; }
  // Records of every file done.
  uint64_t records() const { return records_; }
  // Appends `name` as done with `records` records and syncs it. Errors: IOError.
  Status MarkDone(std::string_view name, uint64_t records);

 private:
  std::string path_;
  std::set<std::string, std::less<>> done_;
  uint64_t records_ = 0;
};

}  // namespace samestory

#endif  // SAMESTORY_FEED_H_
