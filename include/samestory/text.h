// Tokenizer: the text stage, Unicode text -> normalized word tokens.
//
// Second stage of every pipeline (after the reader; before shingles and TF-IDF). NFKC case folding
// (Unicode NFKC_Casefold), optional accent folding, Unicode word segmentation (UAX #29, ICU's
// word BreakIterator) keeping letter and number words, and French/Italian elisions split
// ("l’intégration" -> "l", "intégration"; ’ and ' alike). A fast path gives exactly ICU's answer
// for ASCII whitespace-delimited runs (checked by a differential test), ICU does the rest.
// Thread-safety: a Tokenizer is immutable and shared; each thread needs its own TokenizerScratch.
#ifndef SAMESTORY_TEXT_H_
#define SAMESTORY_TEXT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "samestory/status.h"

namespace samestory {

enum class AccentFolding {
  kKeep,  // "été" stays "été" (default: accents carry meaning in French)
  kFold,  // "été" -> "ete": NFD, drop nonspacing marks, NFC
};

enum class Elisions {
  kSplit,  // "l’homme" -> "l", "homme"; "qu'il" -> "qu", "il" (default)
  kKeep,   // "l’homme" stays one token, apostrophe normalized to '
};

enum class TokenizerPath {
  kFast,     // ASCII runs by the built-in UAX #29 rules, others by ICU (default; same output)
  kIcuOnly,  // every run of non-space characters through ICU; for differential tests and debugging
};

struct TextOptions {
  // Output-affecting.
  AccentFolding accents = AccentFolding::kKeep;  // accent folding; default kKeep
  Elisions elisions = Elisions::kSplit;          // elision splitting; default kSplit
  // Performance only: both paths give identical tokens.
  TokenizerPath path = TokenizerPath::kFast;

  Status Validate() const;
};

// The tokens of one text, in order. Owns their bytes; views stay valid until the next Clear().
// Each token also carries two bits of what case folding removed: "upper", set when its first
// letter was upper case in the source, and "capitalized", set when it was upper and the token did
// not open a sentence (a name, most likely).
class TokenList {
 public:
  size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  std::string_view operator[](size_t i) const {
    uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(bytes_).substr(begin, ends_[i] - begin);
  }
  bool capitalized(size_t i) const { return (flags_[i] & kCapitalized) != 0; }
  bool upper(size_t i) const { return (flags_[i] & kUpper) != 0; }
  void Clear() {
    bytes_.clear();
    ends_.clear();
    flags_.clear();
  }
  // `capitalized` implies `upper`.
  void Add(std::string_view token, bool capitalized = false, bool upper = false) {
    bytes_.append(token);
    ends_.push_back(static_cast<uint32_t>(bytes_.size()));
    flags_.push_back(static_cast<uint8_t>((capitalized ? kCapitalized | kUpper : 0) |
                                          (upper ? kUpper : 0)));
  }
  // All token bytes back to back (no separators).
  std::string_view bytes() const { return bytes_; }

 private:
  std::string bytes_;
  std::vector<uint32_t> ends_;  // end offset of each token in bytes_
  static constexpr uint8_t kCapitalized = 1, kUpper = 2;
  std::vector<uint8_t> flags_;
};

// Per-thread working memory of a Tokenizer (ICU iterators and buffers). Not thread-safe.
class TokenizerScratch {
 public:
  ~TokenizerScratch();
  TokenizerScratch(TokenizerScratch&&) noexcept;
  TokenizerScratch& operator=(TokenizerScratch&&) noexcept;
  struct Impl;

 private:
  friend class Tokenizer;
  explicit TokenizerScratch(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class Tokenizer {
 public:
  // Errors: InvalidArgument for bad options; Internal when ICU's data cannot be loaded.
  static Result<Tokenizer> Create(const TextOptions& options);

  // A fresh scratch for one thread. Errors: Internal when ICU cannot clone its iterator.
  Result<TokenizerScratch> NewScratch() const;

  // Appends the tokens of `utf8` to *out. Invalid UTF-8 sequences count as U+FFFD (not a word).
  // Errors: Internal on an ICU failure (then *out holds the tokens found before it).
  Status Tokenize(std::string_view utf8, TokenizerScratch* scratch, TokenList* out) const;

  const TextOptions& options() const { return options_; }

 private:
  explicit Tokenizer(const TextOptions& options) : options_(options) {}
  TextOptions options_;
};

// Guesses the language of a token list from stop-word hits: the ISO 639-1 code ("en", "fr", "es",
// "de", "it", "pt", "nl") whose short list of very common words covers the most tokens, or "" when
// fewer than 3 tokens (or under 5% of them) hit any list. Cheap: one hash lookup a token. For TF-IDF
// stemming when an article has no `lang`; not a general language identifier.
std::string_view DetectLanguage(const TokenList& tokens);

// The ISO 639-1 code of a `lang` field: "fr-FR", "FR", "fr_CA" -> "fr"; "" when empty.
std::string NormalizeLanguageTag(std::string_view lang);

// Stemmer: Snowball stemming (libstemmer) for one language. Not thread-safe: one per thread.
class Stemmer {
 public:
  // `language`: an ISO 639-1/2 code or a Snowball name ("en", "fra", "french"). Errors: NotFound
  // when Snowball has no stemmer for it.
  static Result<Stemmer> Create(std::string_view language);
  ~Stemmer();
  Stemmer(Stemmer&&) noexcept;
  Stemmer& operator=(Stemmer&&) noexcept;

  // The stem of one lowercase UTF-8 token; valid until the next call.
  std::string_view Stem(std::string_view token);

 private:
  struct Impl;
  explicit Stemmer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace samestory

#endif  // SAMESTORY_TEXT_H_
