// Text stage: ICU normalization and word segmentation, with an ASCII fast path.
//
// Why a fast path: ICU's word BreakIterator runs at ~40 MB/s over UTF-8 and NFKC case folding at
// ~110 MB/s (measured on Reuters-21578, issue #2), most of the dedup time budget. Boundaries of
// UAX #29 always fall on both sides of an ASCII whitespace character that is followed by anything
// but Extend/Format/ZWJ (rules WB3a-WB4, WB999), and those three are non-ASCII, so a text can be cut
// at ASCII whitespace into runs tokenized independently. A run of ASCII bytes only needs the
// handful of UAX #29 rules that involve ASCII classes (WB5-WB13b), and NFKC_Casefold of ASCII is
// lowercasing. Runs holding any other byte go to ICU. tests/text/tokenizer_test.cc checks that
// both paths give the same tokens on every corpus in ../shared/datasets and on fuzzed input.
#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <unicode/unistr.h>

#include <array>
#include <string>

#include "samestory/text.h"

namespace samestory {

struct TokenizerScratch::Impl {
  std::unique_ptr<icu::BreakIterator> words;
  icu::UnicodeString input, normalized, decomposed, stripped, check;
  std::string token, original;
};

TokenizerScratch::TokenizerScratch(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TokenizerScratch::~TokenizerScratch() = default;
TokenizerScratch::TokenizerScratch(TokenizerScratch&&) noexcept = default;
TokenizerScratch& TokenizerScratch::operator=(TokenizerScratch&&) noexcept = default;

Status TextOptions::Validate() const { return Status::OK(); }

namespace {

// UAX #29 Word_Break classes of ASCII characters (UCD WordBreakProperty.txt, as tailored by ICU's
// word.txt: ':' is not MidLetter, and '@' is ALetter so that e-mail addresses stay whole).
enum WordClass : uint8_t {
  kOther,
  kLetter,        // ALetter: A-Z a-z @
  kDigit,         // Numeric: 0-9
  kMidNumLet,     // '.'
  kMidNum,        // ',' ';'
  kSingleQuote,   // '\''
  kExtendNumLet,  // '_'
  kSpace,         // ASCII whitespace: run separators
};

constexpr std::array<uint8_t, 128> MakeClassTable() {
  std::array<uint8_t, 128> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kLetter;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kLetter;
  t['@'] = kLetter;
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit;
  t['.'] = kMidNumLet;
  t[','] = kMidNum;
  t[';'] = kMidNum;
  t['\''] = kSingleQuote;
  t['_'] = kExtendNumLet;
  for (char c : {' ', '\t', '\n', '\r', '\v', '\f'}) t[static_cast<unsigned char>(c)] = kSpace;
  return t;
}
constexpr std::array<uint8_t, 128> kClass = MakeClassTable();

bool IsWordish(uint8_t c) { return c == kLetter || c == kDigit || c == kExtendNumLet; }
bool IsMidForLetters(uint8_t c) { return c == kMidNumLet || c == kSingleQuote; }
bool IsMidForDigits(uint8_t c) { return c == kMidNum || c == kMidNumLet || c == kSingleQuote; }

// Elided articles, pronouns and conjunctions of French and Italian, split from the word they
// precede ("l'homme", "qu'il", "jusqu'à", "dell'anno"). Lowercase; the apostrophe excluded.
constexpr std::array<std::string_view, 27> kElisions = {
    "c",     "d",      "j",     "l",      "m",      "n",     "s",     "t",     "qu",
    "jusqu", "lorsqu", "puisqu", "quoiqu", "quelqu", "presqu", "un",   "dell", "all",
    "dall",  "nell",   "sull",  "coll",   "quell",  "bell",   "sant",  "tutt", "nessun"};

bool IsElision(std::string_view prefix) {
  for (std::string_view e : kElisions) {
    if (prefix == e) return true;
  }
  return false;
}

// True when the code point starting at s[0] is an upper-case letter.
bool StartsUpper(std::string_view s) {
  if (s.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(s[0]);
  if (c < 0x80) return static_cast<unsigned>(c - 'A') < 26u;
  int32_t i = 0;
  UChar32 cp;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, static_cast<int32_t>(s.size()), cp);
  return cp >= 0 && u_isupper(cp);
}

// Sentence tracking for the "capitalized" bit: a sentence opens at the start of the text and after
// '.', '!', '?', '…', '。' or a line break.
struct SentenceState {
  bool at_start = true;
};

// Adds one word token (lowercase UTF-8, apostrophes already ASCII), splitting elisions.
// `original`: the same word before case folding when it has the same byte length, else empty
// (then no part is marked capitalized).
void EmitWord(std::string_view word, std::string_view original, Elisions elisions,
              SentenceState* sentence, TokenList* out) {
  const bool known = original.size() == word.size();
  size_t offset = 0;
  auto upper = [&] { return known && StartsUpper(original.substr(offset)); };
  auto capitalized = [&] { return upper() && !(offset == 0 && sentence->at_start); };
  if (elisions == Elisions::kSplit) {
    while (true) {
      size_t q = word.find('\'');
      if (q == std::string_view::npos || q == 0 || q + 1 >= word.size()) break;
      if (!IsElision(word.substr(0, q))) break;
      out->Add(word.substr(0, q), capitalized(), upper());
      word.remove_prefix(q + 1);
      offset += q + 1;
    }
  }
  out->Add(word, capitalized(), upper());
  sentence->at_start = false;
}

bool EndsSentence(unsigned char c) { return c == '.' || c == '!' || c == '?'; }

// One run of ASCII non-space bytes: UAX #29 rules WB5-WB13b, the only ones ASCII classes reach.
// A segment starts at a letter, digit or '_' and grows through letters, digits and '_' (WB5,
// WB8-WB10, WB13a/b) and through one middle character between two letters (WB6/7: '.' '\'') or
// two digits (WB11/12: '.' ',' ';' '\''). Segments with a letter ('@' included) or a digit are
// words, and so are runs of two or more '_'; a lone '_' and punctuation are not.
void TokenizeAsciiRun(std::string_view run, Elisions elisions, std::string* buf,
                      SentenceState* sentence, TokenList* out) {
  const size_t n = run.size();
  const unsigned char* p = reinterpret_cast<const unsigned char*>(run.data());
  size_t i = 0;
  while (i < n) {
    if (!IsWordish(kClass[p[i]])) {
      if (EndsSentence(p[i])) sentence->at_start = true;
      ++i;
      continue;
    }
    const size_t start = i;
    bool has_alnum = false, has_quote = false;
    while (true) {
      while (i < n && IsWordish(kClass[p[i]])) {
        has_alnum |= kClass[p[i]] != kExtendNumLet;
        ++i;
      }
      if (i + 1 < n) {
        const uint8_t prev = kClass[p[i - 1]], mid = kClass[p[i]], next = kClass[p[i + 1]];
        if ((prev == kLetter && next == kLetter && IsMidForLetters(mid)) ||
            (prev == kDigit && next == kDigit && IsMidForDigits(mid))) {
          has_quote |= p[i] == '\'';
          ++i;
          continue;
        }
      }
      break;
    }
    // ICU gives "__" the word status (word.txt "$ExtendNumLet $ExFm* $ExtendNumLet {200}", WB13a);
    // a lone '_' matches only the catch-all rule (status 0).
    if (!has_alnum && i - start < 2) continue;
    buf->resize(i - start);
    char* w = buf->data();
    for (size_t k = start; k < i; ++k) {
      const unsigned char c = p[k];
      w[k - start] = static_cast<char>(static_cast<unsigned>(c - 'A') < 26u ? c + 32 : c);
    }
    if (has_quote) {
      EmitWord(*buf, run.substr(start, i - start), elisions, sentence, out);
    } else {
      const bool upper = static_cast<unsigned>(p[start] - 'A') < 26u;
      out->Add(*buf, upper && !sentence->at_start, upper);
      sentence->at_start = false;
    }
  }
}

struct IcuStatics {
  const icu::Normalizer2* nfkc_cf = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  const icu::Normalizer2* nfc = nullptr;
  UErrorCode status = U_ZERO_ERROR;
};

const IcuStatics& Icu() {
  static const IcuStatics statics = [] {
    IcuStatics s;
    s.nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(s.status);
    if (U_SUCCESS(s.status)) s.nfd = icu::Normalizer2::getNFDInstance(s.status);
    if (U_SUCCESS(s.status)) s.nfc = icu::Normalizer2::getNFCInstance(s.status);
    return s;
  }();
  return statics;
}

Status IcuError(const char* what, UErrorCode code) {
  return Status::Internal(std::string("ICU ") + what + ": " + u_errorName(code));
}

}  // namespace

Result<Tokenizer> Tokenizer::Create(const TextOptions& options) {
  if (Status s = options.Validate(); !s.ok()) return s;
  if (U_FAILURE(Icu().status)) return IcuError("normalizer data", Icu().status);
  return Tokenizer(options);
}

Result<TokenizerScratch> Tokenizer::NewScratch() const {
  auto impl = std::make_unique<TokenizerScratch::Impl>();
  UErrorCode status = U_ZERO_ERROR;
  impl->words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || !impl->words) return IcuError("word break iterator", status);
  return TokenizerScratch(std::move(impl));
}

namespace {

// U+2019 RIGHT SINGLE QUOTATION MARK, the typographic apostrophe, becomes '.
void NormalizeApostrophes(std::string* t) {
  if (t->find("\xE2\x80\x99") == std::string::npos) return;
  size_t w = 0;
  for (size_t r = 0; r < t->size();) {
    if (t->compare(r, 3, "\xE2\x80\x99") == 0) {
      (*t)[w++] = '\'';
      r += 3;
    } else {
      (*t)[w++] = (*t)[r++];
    }
  }
  t->resize(w);
}

// NFKC_Casefold, then (with AccentFolding::kFold) NFD, nonspacing marks dropped, NFC.
Status Normalize(const icu::UnicodeString& in, const TextOptions& options,
                 TokenizerScratch::Impl* s, icu::UnicodeString* out) {
  const IcuStatics& icu = Icu();
  UErrorCode status = U_ZERO_ERROR;
  icu.nfkc_cf->normalize(in, *out, status);
  if (U_FAILURE(status)) return IcuError("NFKC_Casefold", status);
  if (options.accents == AccentFolding::kFold) {
    icu.nfd->normalize(*out, s->decomposed, status);
    if (U_FAILURE(status)) return IcuError("NFD", status);
    s->stripped.remove();
    for (int32_t i = 0; i < s->decomposed.length();) {
      UChar32 c = s->decomposed.char32At(i);
      if (u_charType(c) != U_NON_SPACING_MARK) s->stripped.append(c);
      i += U16_LENGTH(c);
    }
    icu.nfc->normalize(s->stripped, *out, status);
    if (U_FAILURE(status)) return IcuError("NFC", status);
  }
  return Status::OK();
}

Status TokenizeWithIcu(std::string_view utf8, const TextOptions& options,
                       TokenizerScratch::Impl* s, SentenceState* sentence, TokenList* out) {
  s->input = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(),
                                                           static_cast<int32_t>(utf8.size())));
  if (Status st = Normalize(s->input, options, s, &s->normalized); !st.ok()) return st;
  // Where normalization kept the UTF-16 length, offsets map back to the source text, which still
  // has its capitals (true of almost all Latin, Greek and Cyrillic text).
  const bool aligned = s->input.length() == s->normalized.length();
  icu::BreakIterator& words = *s->words;
  words.setText(s->normalized);
  int32_t start = words.first();
  for (int32_t end = words.next(); end != icu::BreakIterator::DONE; start = end, end = words.next()) {
    if (words.getRuleStatus() < UBRK_WORD_NONE_LIMIT) {  // spaces, punctuation, symbols
      for (int32_t i = start; i < end; ++i) {
        const char16_t c = s->normalized.charAt(i);
        if (c == u'.' || c == u'!' || c == u'?' || c == u'\n' || c == u'\u2026' || c == u'\u3002') {
          sentence->at_start = true;
        }
      }
      continue;
    }
    s->token.clear();
    s->normalized.tempSubStringBetween(start, end).toUTF8String(s->token);
    NormalizeApostrophes(&s->token);
    s->original.clear();
    if (aligned) {
      // The same offsets in the source hold this word only if they normalize to it: two length
      // changes that cancel out would otherwise lend the word another word's capitals.
      const icu::UnicodeString source = s->input.tempSubStringBetween(start, end);
      if (Status st = Normalize(source, options, s, &s->check); !st.ok()) return st;
      if (s->check == s->normalized.tempSubStringBetween(start, end)) {
        source.toUTF8String(s->original);
        NormalizeApostrophes(&s->original);
      }
    }
    EmitWord(s->token, s->original, options.elisions, sentence, out);
  }
  return Status::OK();
}

}  // namespace

Status Tokenizer::Tokenize(std::string_view utf8, TokenizerScratch* scratch, TokenList* out) const {
  TokenizerScratch::Impl* s = scratch->impl_.get();
  SentenceState sentence;
  // Both paths go run by run (a run: bytes between ASCII white space, which no word crosses), so
  // that the case flags, read from the source where normalization keeps a run's length, are
  // decided per run in both (fuzz_tokenizer: ICU over the whole text lost every flag to one
  // "…" anywhere, and two length changes that cancelled out read flags from the wrong letters).
  const bool fast = options_.path == TokenizerPath::kFast;
  const size_t n = utf8.size();
  size_t i = 0;
  while (i < n) {
    while (i < n && static_cast<unsigned char>(utf8[i]) < 128 &&
           kClass[static_cast<unsigned char>(utf8[i])] == kSpace) {
      if (utf8[i] == '\n') sentence.at_start = true;
      ++i;
    }
    size_t start = i;
    bool ascii = true;
    while (i < n) {
      unsigned char c = static_cast<unsigned char>(utf8[i]);
      if (c < 128) {
        if (kClass[c] == kSpace) break;
      } else {
        ascii = false;
      }
      ++i;
    }
    if (i == start) break;
    std::string_view run = utf8.substr(start, i - start);
    if (ascii && fast) {
      TokenizeAsciiRun(run, options_.elisions, &s->token, &sentence, out);
    } else if (Status st = TokenizeWithIcu(run, options_, s, &sentence, out); !st.ok()) {
      return st;
    }
  }
  return Status::OK();
}

}  // namespace samestory
