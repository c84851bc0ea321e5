// TF-IDF: an article's tokens -> a sparse, L2-normalized term-weight vector.
//
// First stage of story clustering, after the text stage (the same Tokenizer as dedup). Terms are
// tokens stemmed by the Snowball stemmer of the article's language (its `lang`, else a guess from
// stop-word hits, else no stemming), numbers split between digits ("4,9" -> "4", "9"), title
// tokens counted `title_weight` times. Weights follow scikit-learn's TfidfVectorizer(
// sublinear_tf=True, smooth_idf=True, norm="l2"): (1 + ln tf) * (1 + ln((1 + n) / (1 + df))), and
// terms in more than max_df of the documents are dropped instead of hand-made stop-word lists.
// Fit (TfidfBuilder) and transform (TfidfModel) are separate.
// Thread-safety: TermExtractor and TfidfModel are immutable and shared; TermScratch per thread.
#ifndef SAMESTORY_TFIDF_H_
#define SAMESTORY_TFIDF_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "samestory/status.h"
#include "samestory/text.h"

namespace samestory {

enum class Stemming {
  kByLanguage,  // Snowball stemmer of `lang`, else of the detected language (default)
  kNone,
};

struct TfidfOptions {
  Stemming stemming = Stemming::kByLanguage;
  double title_weight = 2.0;  // a title token counts this many times; [0, 100]; default 2
  // A capitalized token not opening a sentence (TokenList::capitalized, most often part of a
  // name) counts this many times, multiplied with the title weight; [0, 100]; default 2.
  double capital_weight = 2.0;
  bool sublinear_tf = true;   // tf -> 1 + ln(tf); default true
  // Drop terms in more than this share of documents; (0, 1]; default 0.4. Applied only to corpora
  // of at least max_df_min_documents (>= 0; default 50), where a share means something.
  double max_df = 0.4;
  int max_df_min_documents = 50;
  int min_df = 1;             // drop terms in fewer documents; >= 1; default 1
  int min_term_bytes = 2;     // shorter tokens ("l", "d", "a") are not terms, unless they hold a
                              // digit ("2 juillet"); default 2

  Status Validate() const;
};

// One term of a document: the 64-bit hash of its stem and its (title-weighted) count.
struct TermCount {
  uint64_t term = 0;
  float count = 0;
};

// Per-thread stemmers and buffers.
class TermScratch {
 public:
  TermScratch();
  ~TermScratch();
  TermScratch(TermScratch&&) noexcept;
  TermScratch& operator=(TermScratch&&) noexcept;
  struct Impl;

 private:
  friend class TermExtractor;
  std::unique_ptr<Impl> impl_;
};

class TermExtractor {
 public:
  static Result<TermExtractor> Create(const TfidfOptions& options);

  // Replaces *out with the document's terms sorted by hash, and returns the language used for
  // stemming ("" when none). When `spellings` is not null, adds hash -> stem for every term this
  // scratch meets for the first time (pass the same map with the same scratch every call).
  std::string_view Extract(const TokenList& title, const TokenList& body, std::string_view lang,
                           TermScratch* scratch, std::vector<TermCount>* out,
                           std::unordered_map<uint64_t, std::string>* spellings) const;

 private:
  explicit TermExtractor(const TfidfOptions& options) : options_(options) {}
  TfidfOptions options_;
};

// A sparse vector: term ids ascending and their weights; L2 norm 1 (or empty).
struct SparseVector {
  std::vector<uint32_t> ids;
  std::vector<float> weights;
};

// Cosine similarity of two L2-normalized sparse vectors (their dot product).
double SparseDot(const SparseVector& a, const SparseVector& b);

class TfidfModel {
 public:
  // Terms kept: id -> term hash, and idf.
  size_t num_terms() const { return hashes_.size(); }
  uint64_t term_hash(uint32_t id) const { return hashes_[id]; }
  float idf(uint32_t id) const { return idf_[id]; }
  size_t num_documents() const { return documents_; }

  // The document's TF-IDF vector, L2-normalized; terms unknown to the model are ignored.
  SparseVector Transform(std::span<const TermCount> terms) const;
  // The options it was fitted with (Transform uses sublinear_tf).
  const TfidfOptions& options() const { return options_; }

  // Saves the model to `path` atomically (a new temporary file renamed over it) with a checksum,
  // so a model fitted on one corpus can be reused on others. `note` is stored with it: the
  // caller's description of what makes a term (tokenizer and extractor options), which whoever
  // loads the model should compare with its own. Errors: IOError.
  Status Save(const std::string& path, std::string_view note) const;
  // Reads a model written by Save, and its note into *note (may be null). Errors: NotFound (no
  // such file), IOError, InvalidArgument (not a regular file, larger than the format allows, not
  // a model file, another format version), Corruption (checksum, sizes or contents wrong, e.g. an
  // idf no fitted model has; the message says which).
  static Result<TfidfModel> Load(const std::string& path, std::string* note);

 private:
  friend class TfidfBuilder;
  TfidfOptions options_;
  size_t documents_ = 0;
  std::vector<uint64_t> hashes_;                 // id -> hash (ascending)
  std::vector<float> idf_;                       // id -> idf
  std::unordered_map<uint64_t, uint32_t> ids_;   // hash -> id
};

// Fits document frequencies: Add every document's terms, then Finish.
class TfidfBuilder {
 public:
  explicit TfidfBuilder(const TfidfOptions& options) : options_(options) {}
  void Add(std::span<const TermCount> terms);
  // Counts `documents` documents whose terms had these document frequencies (term hash, df):
  // another builder's counts (a shard's, summed across machines) added to this one's. Finish then
  // fits as if every document had been added here.
  void AddFrequencies(size_t documents, std::span<const std::pair<uint64_t, uint32_t>> df);
  // The counts so far (documents added, and term hash -> documents containing it): what a shard
  // sends to be summed with the others' (AddFrequencies).
  size_t documents() const { return documents_; }
  const std::unordered_map<uint64_t, uint32_t>& frequencies() const { return df_; }
  // REQUIRES: called once, after the last Add.
  TfidfModel Finish();

 private:
  TfidfOptions options_;
  size_t documents_ = 0;
  std::unordered_map<uint64_t, uint32_t> df_;
};

}  // namespace samestory

#endif  // SAMESTORY_TFIDF_H_
