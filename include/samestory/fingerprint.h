// CopyFingerprinter: one document's tokens -> the fingerprint the copy detector works on.
//
// Third stage of the dedup pipeline (after the tokenizer; before LSH banding and verification).
// The body's normalized tokens, joined without separators, are cut into overlapping n-byte grams:
// an OCR error or an edited word breaks only the n grams around it, and a lost or added space
// none, where it breaks up to k word k-shingles. From the gram hashes:
//   - a one-permutation MinHash sketch (Li, Owen, Zhang, "One permutation hashing", NIPS 2012):
//     each gram goes to one of K bins by its hash, the bin keeps the minimum, and empty bins are
//     filled by optimal densification (Shrivastava, ICML 2017); its bands are the LSH keys. One
//     hash a gram instead of K, so character grams cost about what word shingles did;
//   - a consistent sample of the grams (Broder's "mod-m" sample, bounded below): every gram whose
//     sample key falls under a threshold shared by all documents, or the document's smallest
//     `min_sample` keys when it has too few; two samples restricted to the lower of their
//     thresholds estimate containment and resemblance, whatever the documents' sizes;
//   - facts: runs of tokens that hold a digit or start upper case, each with the two words on
//     either side, so that two texts that say the same thing with another figure or name (two
//     companies' dividend notices, another day's figures) can be told apart (issue 12);
//   - the title's token hashes, and the body's word count.
// Thread-safety: a CopyFingerprinter is immutable; Fingerprint() is const and thread-safe.
#ifndef SAMESTORY_FINGERPRINT_H_
#define SAMESTORY_FINGERPRINT_H_

#include <cstdint>
#include <span>
#include <vector>

#include "samestory/status.h"
#include "samestory/text.h"

namespace samestory {

struct FingerprintOptions {
  // Output-affecting.
  int gram_bytes = 8;     // n, bytes per gram of the joined tokens; 4..8; default 8
  int sketch_bins = 256;  // K, values of the one-permutation sketch; 64..1024, a multiple of 8
  // 1/m of the grams is sampled for verification: m is a power of two, 1..64; default 8.
  int sample_rate = 8;
  int min_sample = 64;  // a document keeps at least this many grams (all when it has fewer); 8..4096
  int short_words = 5;  // a body (or title, when there is no body) of fewer words is "short"; 1..64
  int max_facts = 128;  // facts kept per document, the first in text order; 0..4096
  // Sentence anchors (CopyFingerprint::anchors): the first `anchors` sentences' first
  // `anchor_words` tokens; 0..16 and 1..64; defaults 8 and 6.
  int anchors = 8;
  int anchor_words = 6;
  uint64_t seed = 0;    // seed of the gram hashes; default 0

  Status Validate() const;
};

// A fact: a run of tokens that hold a digit or start upper case, and the words around it.
struct Fact {
  static constexpr uint32_t kStrong = 0x80000000u;  // in `value`
  static constexpr uint32_t kClean = 0x40000000u;   // in `value`
  static constexpr int kLengthShift = 24;           // bits 24..29 of `value`: the run's bytes
  uint32_t context = 0;  // hash of up to two tokens before the run and two after it
  // Hash of the run's tokens. The top bit (kStrong) is set when the run holds a digit or a
  // capitalized word, not only sentence-initial words; the next (kClean) when every token of the
  // run is all letters or a well-formed number (digits and . , separators): OCR noise makes
  // tokens like "l.50" or "Kl1tschko", which are not clean. Bits 24..29 hold the run's length in
  // bytes (at most 63), the low 24 bits a hash of its tokens.
  uint32_t value = 0;
  // The run's character bigrams (with start and end marks), each hashed to one of 64 bits: a
  // typo or an OCR error keeps most of them, another name keeps few.
  uint64_t shape = 0;
  bool strong() const { return (value & kStrong) != 0; }
  bool clean() const { return (value & kClean) != 0; }
  int length() const { return static_cast<int>((value >> kLengthShift) & 63); }
  bool numeric() const { return (shape & 1) != 0; }  // bit 0: the run holds a digit
  friend bool operator==(const Fact&, const Fact&) = default;
  friend auto operator<=>(const Fact&, const Fact&) = default;
};

struct CopyFingerprint {
  enum class Kind : uint8_t {
    kShort,  // fewer than short_words words: only an identical title and text is a copy
    kFull,
  };
  Kind kind = Kind::kShort;
  uint32_t words = 0;  // tokens of the fingerprinted text (the body, or the title without one)
  // Every gram whose sample key is <= sample_limit, sorted and distinct (0xFFFFFFFF: all grams).
  uint32_t sample_limit = 0;
  std::vector<uint32_t> sample;
  std::vector<Fact> facts;        // sorted by (context, value), distinct
  // Title words: a 30-bit hash of the word (kTitleWord) with two flags, kTitleDigit (the word
  // holds a digit) and kTitleInBody (the word also occurs in the first 1,000 words of the body: a
  // headline says what its text says). Sorted by the word's hash, distinct, at most 64. Compare
  // and count words by `& kTitleWord`.
  static constexpr uint32_t kTitleDigit = 0x80000000u;
  static constexpr uint32_t kTitleInBody = 0x40000000u;
  static constexpr uint32_t kTitleWord = 0x3FFFFFFFu;
  std::vector<uint32_t> title;
  uint64_t text_hash = 0;         // kShort: of the title's and the text's tokens (0 for kFull)
  // Hashes of the opening words of the text's first sentences (the text's start, then each token
  // that opens a sentence upper case), never 0, then 0s up to `anchors` values. A truncated copy,
  // an extension or a brief of a long report shares whole sentences with it even when it shares
  // little else (a low resemblance that LSH over the sketch misses), so each anchor is one more
  // LSH key.
  std::vector<uint32_t> anchors;
  std::vector<uint32_t> sketch;   // K values (kFull only; empty for kShort)
};

class CopyFingerprinter {
 public:
  // Errors: InvalidArgument for bad options.
  static Result<CopyFingerprinter> Create(const FingerprintOptions& options);

  // Replaces *out with the fingerprint of a document whose title tokens are `title` and body
  // tokens `body`. The body is fingerprinted; a document without a body is fingerprinted by its
  // title (copies are often re-headlined, so a title never enters a body's fingerprint).
  void Fingerprint(const TokenList& title, const TokenList& body, CopyFingerprint* out) const;

  const FingerprintOptions& options() const { return options_; }

 private:
  explicit CopyFingerprinter(const FingerprintOptions& options) : options_(options) {}
  FingerprintOptions options_;
};

// The two fingerprints' samples restricted to the lower of their limits: what both can see.
struct SampleOverlap {
  uint32_t a = 0, b = 0;  // sampled grams of each under the common limit
  uint32_t common = 0;    // grams in both (with `stopped`, those found before the stop)
  bool stopped = false;   // stopped early: the containment is below stop_below
  // |A n B| / min(|A|, |B|): how much of the smaller text the other holds.
  double containment() const;
  // |A n B| / |A u B| (Jaccard).
  double resemblance() const;
};
// With stop_below > 0 the comparison may stop as soon as the containment cannot reach it (most
// candidate pairs are far below): then `stopped` is set and `common` is a lower bound.
SampleOverlap CompareSamples(const CopyFingerprint& x, const CopyFingerprint& y,
                             double stop_below = 0);

// Facts of x and y compared context by context. In a context both texts have: the same run, or
// one run's shape inside the other's (a dropped ticker, an added first name), agrees; two clean
// runs that differ in a figure (but for one character dropped or doubled: "4.40" and "440"), or
// in a word (another company, another city: more than 6 of their character bigrams), are a hard
// conflict; anything else (a typo, an OCR error) is soft and counts for nothing.
struct FactComparison {
  uint32_t agree = 0;     // contexts in both that agree (strong runs only)
  uint32_t conflict = 0;  // contexts in both with a hard conflict: another figure or name
  uint32_t figure_agree = 0;     // of those agreeing: figures (runs with a digit)
  uint32_t figure_conflict = 0;  // of those conflicting: figures
};
FactComparison CompareFacts(std::span<const Fact> x, std::span<const Fact> y);

}  // namespace samestory

#endif  // SAMESTORY_FINGERPRINT_H_
