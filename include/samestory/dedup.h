// Copies: the copy rule (is this pair of articles one article?) and DuplicateFinder (fingerprints
// -> groups of copies).
//
// Last stage of the dedup pipeline (after the fingerprints). A copy is the same report published
// again: re-headlined, truncated (its lead kept), extended, wrapped in boilerplate, lightly edited,
// corrected, reordered, OCR-noised, or several of these, within days. Another instance of a
// recurring report (another company's dividend notice, another day's figures, another meeting's
// identical notice) is not a copy, however alike the words; nor is another outlet's own report of
// the same event (that is a story). The rule (JudgeCopy) decides a pair on several kinds of
// evidence, each with the case that motivated it in bench/research/COPY_STUDY.md:
//   1. text: the share of the shorter text's character grams the longer one holds (containment:
//      truncation, extension and wrapping keep it high; edits and OCR noise lower it only a little);
//   2. dates: dated articles too far apart are not copies, and short texts must be closer still
//      (recurring notices come back every day with the same words);
//   3. facts: a figure or a name that changes in the same words (another company, another day's
//      figure) makes two texts different reports, unless a correction follows within hours;
//   4. titles, for short texts only: two titles that each name something the other does not
//      (another company, another city, another hour) are two notices.
// DuplicateFinder finds candidate pairs by LSH over the fingerprints' sketches (or, in exact mode,
// by an inverted index over every pair that can reach the containment threshold), judges them, and
// joins copies by union-find; a group's representative is its earliest member (by date, undated
// last, then input order). Thread-safety: JudgeCopy is a pure function; a DuplicateFinder is a
// builder used from one thread.
#ifndef SAMESTORY_DEDUP_H_
#define SAMESTORY_DEDUP_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "samestory/document.h"
#include "samestory/fingerprint.h"
#include "samestory/lsh.h"
#include "samestory/status.h"

namespace samestory {

enum class DedupMode {
  kLsh,    // LSH candidates over the sketches (default)
  kExact,  // every pair that can reach the containment threshold; slower, the recall reference
};

// How two articles relate.
enum class DupKind : uint8_t {
  kNone,     // two different articles
  kCopy,     // the same article, about the same length
  kPartial,  // the same article, one much shorter: truncated, or extended by the other
};
// "copy", "partial", or "" for kNone: the output's `dup_kind`.
std::string_view DupKindName(DupKind kind);

// Why a pair was judged as it was, for summaries and the --pairs output.
enum class CopyReason : uint8_t {
  kCopy,           // every rule passed
  kTooDifferent,   // containment below the threshold (or too little text to compare)
  kTooFarApart,    // dated further apart than the window
  kFactsDiffer,    // a figure or a name changed in the same words
  kTitlesDiffer,   // short texts whose titles name different things
  kShortMismatch,  // a short text (too few words to fingerprint) that is not identical
};
std::string_view CopyReasonName(CopyReason reason);

struct CopyRuleOptions {
  // Share of the shorter text's sampled grams that the longer must hold; (0, 1]; default 0.7.
  // Below it, a long text is more likely another outlet's own report built on the same wire
  // sentences than a copy (ECB+, COPY_STUDY.md).
  double threshold = 0.7;
  // The same for short texts (short_words): tables and notices are reformatted more, relative to
  // their size, and are too short to be an outlet's own report; default 0.6.
  double short_threshold = 0.6;
  // A pair is compared on the grams both samples can hold (those under the lower of the two
  // sample limits). When the smaller text has fewer of them than this, containment cannot be told
  // from chance (a 10-word headline has 7 of a long report's sampled grams), and the pair is
  // not a copy; default 16.
  int min_compared = 16;
  // A copy whose shorter text has fewer grams than this share of the longer's is "partial": one
  // text is contained in the other, which is much longer (a truncation, an extension, a brief of
  // a longer report, heavy wrapping); else "copy" (about the same length: re-headlined, edited,
  // noisy, lightly wrapped). [0, 1]; default 0.85.
  double partial_below = 0.85;
  // Dated articles more than this many hours apart are never copies; 0 = no limit; default 96.
  double window_hours = 96;
  // Texts of fewer words than this (the shorter of the two) are "short": the window is
  // short_window_hours, and their titles must not name different things; default 60.
  int short_words = 60;
  double short_window_hours = 20;  // default 20; 0 = no limit
  // Changed figures and names (hard fact conflicts, see CompareFacts). A correction may change a
  // figure within correction_hours (one for every correction_ratio facts that agree, and one
  // plus one for every four figures that stay); a figure changed later is another day's. A
  // changed name is another entity, unless it is one among many that agree (one for every
  // name_ratio agreeing facts: an edited copy). Defaults 20 hours, 2 and 4.
  double correction_hours = 20;
  double correction_ratio = 2;
  double name_ratio = 4;
  // Rules 3 and 4 can be switched off, for studies of what each buys (bench/research/
  // copy_ablation.sh). Default true.
  bool check_facts = true;
  bool check_titles = true;

  Status Validate() const;
};

// What JudgeCopy knows of one article beyond its fingerprint.
struct CopyContext {
  std::optional<UnixSeconds> date;
  // Document frequency of each of the article's title tokens (parallel to fingerprint.title)
  // among the articles of the run, for the title rule; empty = every token counts as rare.
  std::span<const uint32_t> title_df;
};

struct CopyVerdict {
  DupKind kind = DupKind::kNone;
  CopyReason reason = CopyReason::kTooDifferent;
  float containment = 0;  // sampled |A n B| / min(|A|, |B|)
  float resemblance = 0;  // sampled |A n B| / |A u B|
  FactComparison facts;
};

// How much of a rejected pair's evidence JudgeCopy measures.
enum class CopyScores {
  kExact,     // containment and resemblance measured in full for every pair (for --pairs)
  kDecision,  // a pair too different may stop early: its two scores are then lower bounds
              // (the verdict is the same; 2-3x faster on corpora of many different candidates)
};

// The date rule alone (JudgeCopy's first test): true when articles of these dates and word counts
// are too far apart to be copies. Needs no fingerprint, so a caller can skip reading one.
bool TooFarApart(const CopyRuleOptions& options, std::optional<UnixSeconds> x_date,
                 uint32_t x_words, std::optional<UnixSeconds> y_date, uint32_t y_words);

// The copy rule: are x and y the same article? `rare_title_df`: a title word of at most this
// document frequency is rare (names a thing; the batch takes one in 1,000 of its articles); see
// CopyContext::title_df.
CopyVerdict JudgeCopy(const CopyFingerprint& x, const CopyContext& cx, const CopyFingerprint& y,
                      const CopyContext& cy, const CopyRuleOptions& options,
                      uint32_t rare_title_df, CopyScores scores = CopyScores::kExact);

// The LSH keys of a fingerprinted document (kFull): its sketch's band keys, then its sentence
// anchors (CopyFingerprint::anchors), keys[0, CandidateKeyCount(...)); 0 is no key. Documents
// that share a key in one column are candidates. The batch (DuplicateFinder) and the feed both key
// documents so.
size_t CandidateKeyCount(const LshBanding& banding, const FingerprintOptions& fingerprint);
void CandidateKeys(const LshBanding& banding, const CopyFingerprint& fp, uint32_t* keys);

struct DedupOptions {
  // Output-affecting.
  CopyRuleOptions rule;
  DedupMode mode = DedupMode::kLsh;
  // LSH over the sketches: the Jaccard similarity the banding is tuned for and the candidate
  // probability there (see lsh.h); bands and rows 0 = chosen from them.
  double lsh_threshold = 0.45;
  double recall_at_threshold = 0.99;
  int bands = 0;
  int rows = 0;
  int bucket_window = 32;  // see LshOptions::bucket_window
  // Keep the judged pairs in DuplicateGroups::pairs (for `--pairs`). Default false.
  bool collect_pairs = false;

  Status Validate() const;
};

// The LSH banding DedupOptions (kLsh mode) make for sketches of `fingerprint.sketch_bins` values:
// the batch's, the feed's and a binding's band keys all come from it. Errors: InvalidArgument.
Result<LshBanding> DedupBanding(const DedupOptions& options, const FingerprintOptions& fingerprint);

struct JudgedPair {
  uint32_t a = 0, b = 0;  // document indices, a < b
  CopyVerdict verdict;
};

struct DuplicateGroups {
  // Per document, in the order added: its group's representative (itself when alone).
  std::vector<uint32_t> representative;
  // Per document: how it relates to its representative (kNone when alone or the representative)
  // and the sampled containment of the two (1 for the representative itself).
  std::vector<DupKind> kind;
  std::vector<float> score;
  // When collect_pairs: every pair judged (accepted or not), sorted by (a, b); short documents'
  // identical pairs included.
  std::vector<JudgedPair> pairs;
  size_t groups = 0;              // groups of two or more documents
  size_t documents_in_groups = 0;
  size_t candidates = 0;    // candidate pairs judged
  size_t accepted = 0;      // candidate pairs judged copies
  // Candidates rejected, by reason (indexed by CopyReason).
  std::vector<size_t> rejected = std::vector<size_t>(6, 0);
  LshParams lsh;            // bands and rows used (LSH mode)
  // Where memory went (bytes): band keys in memory (bands x 4 bytes a document), fingerprints'
  // evidence in a temporary file (read back for candidate pairs and group members).
  uint64_t band_key_bytes = 0;
  uint64_t spilled_evidence_bytes = 0;
  // Not OK when the spill file could not be written or read back: the groups are then incomplete.
  Status status;
};

class DuplicateFinder {
 public:
  // Errors: InvalidArgument for bad options or, in LSH mode, an impossible banding for the
  // fingerprints' sketch_bins; IOError when the temporary file for the evidence cannot be created
  // ($TMPDIR, else /tmp).
  static Result<DuplicateFinder> Create(const DedupOptions& options,
                                        const FingerprintOptions& fingerprint);
  ~DuplicateFinder();
  DuplicateFinder(DuplicateFinder&&) noexcept;
  DuplicateFinder& operator=(DuplicateFinder&&) noexcept;

  // Each Add* appends the next document (its index is the number added before it).
  // A document that takes no part (a bad record): alone in its group.
  void AddExcluded();
  // A fingerprinted document, by a fingerprinter of the options given to Create.
  void Add(std::optional<UnixSeconds> date, const CopyFingerprint& fingerprint);

  size_t size() const;

  // Groups every document added. REQUIRES: called once, after the last Add*.
  // `threads`: for the LSH band sorting and judging; `memory_budget`: bytes the band keys may
  // take at once (0 = no limit; above it they are sorted externally). The result depends on
  // neither.
  DuplicateGroups Finish(int threads = 1, uint64_t memory_budget = 0);

 private:
  struct Impl;
  explicit DuplicateFinder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::vector<uint8_t> kinds_;  // per document: 0 excluded, 1 short, 2 full
};

}  // namespace samestory

#endif  // SAMESTORY_DEDUP_H_
