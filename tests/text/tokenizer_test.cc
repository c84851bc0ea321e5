// Tests for the Tokenizer (include/samestory/text.h).
//
// 1. Unit cases with exact token lists. Each case runs through both paths (TokenizerPath::kFast
//    and kIcuOnly), so an expected list states ICU's answer and the fast path must give it too.
//    Where the answer is ICU's choice rather than ours (URLs, e-mail addresses, NBSP, CJK) the
//    comment says which ICU rule gives it (ICU 72 word.txt, dumped with
//    RuleBasedBreakIterator::getRules()).
// 2. The differential test that proves the fast path: kFast and kIcuOnly must give the same tokens
//    for every AccentFolding x Elisions combination, on every corpus in ../shared/datasets, on the
//    repository's sample corpus, on every short printable-ASCII string, and on fuzzed strings
//    (fixed seed). A mismatch is reported with the document, the first differing token, and the
//    input cut down to a minimal C++ literal that still shows the difference.
// 3. TokenList basics.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "samestory/document.h"
#include "samestory/reader.h"
#include "samestory/status.h"
#include "samestory/text.h"

namespace samestory {
namespace {

using Tokens = std::vector<std::string>;

constexpr std::array<AccentFolding, 2> kAllAccents = {AccentFolding::kKeep, AccentFolding::kFold};
constexpr std::array<Elisions, 2> kAllElisions = {Elisions::kSplit, Elisions::kKeep};

const char* Name(AccentFolding a) { return a == AccentFolding::kKeep ? "kKeep" : "kFold"; }
const char* Name(Elisions e) { return e == Elisions::kSplit ? "kSplit" : "kKeep"; }
const char* Name(TokenizerPath p) { return p == TokenizerPath::kFast ? "kFast" : "kIcuOnly"; }

std::string Describe(const TextOptions& o) {
  return std::string("accents=") + Name(o.accents) + " elisions=" + Name(o.elisions) +
         " path=" + Name(o.path);
}

// `s` as a C++ string literal that can be pasted into a test: printable ASCII as is, every other
// byte as \xNN (a following hex digit starts a new literal piece so the escape stays two digits).
std::string CppLiteral(std::string_view s) {
  std::string out = "\"";
  bool after_hex = false;
  for (unsigned char c : s) {
    const bool hex_digit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (after_hex && hex_digit) out += "\" \"";
    after_hex = false;
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c >= 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02X", c);
          out += buf;
          after_hex = true;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string Join(const Tokens& tokens) {
  std::string out = "{";
  for (size_t i = 0; i < tokens.size(); ++i) out += (i ? ", " : "") + CppLiteral(tokens[i]);
  return out + "}";
}

Tokens ToVector(const TokenList& list) {
  Tokens out;
  for (size_t i = 0; i < list.size(); ++i) out.emplace_back(list[i]);
  return out;
}

// Tokens of `text` under `options`; a failed Status is a test failure.
Tokens Tokenize(std::string_view text, const TextOptions& options) {
  Result<Tokenizer> tokenizer = Tokenizer::Create(options);
  EXPECT_TRUE(tokenizer.ok()) << tokenizer.status().ToString();
  if (!tokenizer.ok()) return {};
  Result<TokenizerScratch> scratch = tokenizer->NewScratch();
  EXPECT_TRUE(scratch.ok()) << scratch.status().ToString();
  if (!scratch.ok()) return {};
  TokenList list;
  Status s = tokenizer->Tokenize(text, &scratch.value(), &list);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return ToVector(list);
}

// Checks that both paths give exactly `expected` for `text` under `options` (path ignored).
void ExpectTokens(std::string_view text, const Tokens& expected, TextOptions options = {}) {
  for (TokenizerPath path : {TokenizerPath::kFast, TokenizerPath::kIcuOnly}) {
    options.path = path;
    EXPECT_EQ(Tokenize(text, options), expected)
        << "input " << CppLiteral(text) << " with " << Describe(options);
  }
}

TextOptions Fold() {
  TextOptions o;
  o.accents = AccentFolding::kFold;
  return o;
}

TextOptions KeepElisions() {
  TextOptions o;
  o.elisions = Elisions::kKeep;
  return o;
}

// ---------------------------------------------------------------------------------------------
// 1. Unit cases.

TEST(TextOptionsTest, DefaultsAreValidAndDocumented) {
  TextOptions o;
  EXPECT_TRUE(o.Validate().ok());
  EXPECT_EQ(o.accents, AccentFolding::kKeep);
  EXPECT_EQ(o.elisions, Elisions::kSplit);
  EXPECT_EQ(o.path, TokenizerPath::kFast);
  for (AccentFolding a : kAllAccents) {
    for (Elisions e : kAllElisions) {
      for (TokenizerPath p : {TokenizerPath::kFast, TokenizerPath::kIcuOnly}) {
        TextOptions options{a, e, p};
        Result<Tokenizer> t = Tokenizer::Create(options);
        ASSERT_TRUE(t.ok()) << t.status().ToString();
        EXPECT_EQ(t->options().accents, a);
        EXPECT_EQ(t->options().elisions, e);
        EXPECT_EQ(t->options().path, p);
      }
    }
  }
}

TEST(TokenizerTest, NfkcCaseFolding) {
  ExpectTokens("ÉTÉ", {"été"});
  ExpectTokens("ＡＢＣ", {"abc"});           // fullwidth letters: NFKC compatibility mapping
  ExpectTokens("ß", {"ss"});                   // full case folding
  ExpectTokens("Straße", {"strasse"});
  ExpectTokens("ﬁn", {"fin"});                 // U+FB01 LATIN SMALL LIGATURE FI
  ExpectTokens("ﬁ", {"fi"});
  ExpectTokens("e\xCC\x81t\xC3\xA9", {"été"});  // decomposed e + U+0301 is composed (NFC part)
  ExpectTokens("Hello WORLD", {"hello", "world"});
  ExpectTokens("\xE2\x84\xAA", {"k"});          // U+212A KELVIN SIGN
}

TEST(TokenizerTest, AccentFolding) {
  ExpectTokens("été", {"ete"}, Fold());
  ExpectTokens("ÉTÉ", {"ete"}, Fold());
  ExpectTokens("Zürich", {"zurich"}, Fold());
  ExpectTokens("e\xCC\x81t\xC3\xA9", {"ete"}, Fold());
  ExpectTokens("Ça coûte", {"ca", "coute"}, Fold());
  // Folding removes nonspacing marks after NFD; letters without a decomposition stay.
  ExpectTokens("Øresund", {"øresund"}, Fold());
  ExpectTokens("Straße", {"strasse"}, Fold());
  // Default kKeep: accents stay.
  ExpectTokens("Zürich", {"zürich"});
  ExpectTokens("été", {"été"});
}

TEST(TokenizerTest, FrenchElisionsAreSplitWithBothApostrophes) {
  ExpectTokens("l’intégration", {"l", "intégration"});
  ExpectTokens("l'intégration", {"l", "intégration"});
  ExpectTokens("L’État", {"l", "état"});
  ExpectTokens("qu'il", {"qu", "il"});
  ExpectTokens("qu’il", {"qu", "il"});
  ExpectTokens("jusqu’à", {"jusqu", "à"});
  ExpectTokens("jusqu'à", {"jusqu", "à"});
  ExpectTokens("d'abord", {"d", "abord"});
  ExpectTokens("dell'anno", {"dell", "anno"});  // Italian
  // Not elisions: the prefix is not an elided word.
  ExpectTokens("aujourd'hui", {"aujourd'hui"});
  ExpectTokens("aujourd’hui", {"aujourd'hui"});  // typographic apostrophe becomes '
  ExpectTokens("don't", {"don't"});
  ExpectTokens("Don’t", {"don't"});
  // An apostrophe at either end of a word is not part of it (WB6/WB7 need letters both sides).
  ExpectTokens("l' homme", {"l", "homme"});
  ExpectTokens("'quoted'", {"quoted"});
}

TEST(TokenizerTest, ElisionsKeptAsOneToken) {
  ExpectTokens("l'intégration", {"l'intégration"}, KeepElisions());
  ExpectTokens("l’intégration", {"l'intégration"}, KeepElisions());
  ExpectTokens("qu’il jusqu'à", {"qu'il", "jusqu'à"}, KeepElisions());
}

TEST(TokenizerTest, NumbersAreKept) {
  ExpectTokens("1,000", {"1,000"});  // WB11/WB12: MidNum between digits
  ExpectTokens("3.14", {"3.14"});    // MidNumLet between digits
  ExpectTokens("3,5", {"3,5"});
  ExpectTokens("2026", {"2026"});
  ExpectTokens("1'000", {"1'000"});  // Single_Quote between digits
  ExpectTokens("1.000.000,50 €", {"1.000.000,50"});
  ExpectTokens("3.", {"3"});
  ExpectTokens("12:30", {"12", "30"});  // ':' is not MidNum
  ExpectTokens("A380 B-52 4x4", {"a380", "b", "52", "4x4"});
}

TEST(TokenizerTest, NumberGroupedWithNoBreakSpaces) {
  // NFKC maps U+00A0 NO-BREAK SPACE and U+202F NARROW NO-BREAK SPACE to U+0020 (compatibility
  // <noBreak> decompositions), and UAX #29 never joins digits across a space (WB11/WB12 only
  // bridge MidNum, MidNumLet and Single_Quote; even unnormalized, NBSP is Word_Break=Other). So
  // French "1 250" gives two tokens on both paths.
  ExpectTokens("1\xC2\xA0" "250", {"1", "250"});
  ExpectTokens("1\xE2\x80\xAF" "250", {"1", "250"});
  ExpectTokens("1 250", {"1", "250"});
}

TEST(TokenizerTest, PunctuationAndSymbolsAreDropped) {
  ExpectTokens("Hello, world! (test) [x] {y} ... ?!", {"hello", "world", "test", "x", "y"});
  ExpectTokens("« Bonjour » — dit-il… 100 % € $ + = # & * ~ ^ | \\ / < >",
               {"bonjour", "dit", "il", "100"});
  ExpectTokens("\"quoted\" -- 'single'", {"quoted", "single"});
  ExpectTokens("... --- ;;; ,,, ::: '''", {});
  ExpectTokens("😀 ★ ♥ © ®", {});
  ExpectTokens("_", {});  // a lone ExtendNumLet matches no word rule (status 0)
}

TEST(TokenizerTest, HyphenatedAndMixed) {
  ExpectTokens("COVID-19", {"covid", "19"});
  ExpectTokens("Jean-Pierre", {"jean", "pierre"});
  ExpectTokens("snake_case_name", {"snake_case_name"});  // WB13a/b: ExtendNumLet joins
  ExpectTokens("e.g. U.S.A.", {"e.g", "u.s.a"});          // WB6/WB7: '.' between letters
}

TEST(TokenizerTest, UnderscoreRunsAreWordsForIcu) {
  // ICU 72 word.txt: "$ExtendNumLet$ExFm*$ExtendNumLet{200}" (WB13a) gives two or more
  // underscores the letter status (200), so ICU reports "__" as a word; a lone "_" matches only
  // the catch-all rule (status 0) and is not one.
  ExpectTokens("__", {"__"});
  ExpectTokens("a __ b", {"a", "__", "b"});
  ExpectTokens("___init___", {"___init___"});
}

TEST(TokenizerTest, UrlsAndEmails) {
  // ':' is not MidLetter in ICU (word.txt removes it), '/' '?' '=' '&' are Other; '.' between
  // letters joins (WB6/WB7). So a URL falls apart into its host and path words.
  ExpectTokens("https://www.example.com/path?q=1&r=2",
               {"https", "www.example.com", "path", "q", "1", "r", "2"});
  ExpectTokens("www.lemonde.fr", {"www.lemonde.fr"});
  // ICU tailors UAX #29 with "$ALetter=[\p{Word_Break=ALetter}@]": '@' is a letter for ICU,
  // so an e-mail address is one word, and so is a handle or a lone '@'.
  ExpectTokens("user@example.com", {"user@example.com"});
  ExpectTokens("Jean.Dupont@exemple.fr", {"jean.dupont@exemple.fr"});
  ExpectTokens("@AFP", {"@afp"});
  ExpectTokens("a @ b", {"a", "@", "b"});
}

TEST(TokenizerTest, OtherScripts) {
  ExpectTokens("¿Dónde está el niño? ¡Señor Muñoz!",
               {"dónde", "está", "el", "niño", "señor", "muñoz"});
  ExpectTokens("Größe Äpfel Öl Übermäßig", {"grösse", "äpfel", "öl", "übermässig"});
  ExpectTokens("Größe Äpfel Öl Übermäßig", {"grosse", "apfel", "ol", "ubermassig"}, Fold());
  ExpectTokens("Москва, Россия — 2026 год", {"москва", "россия", "2026", "год"});
  ExpectTokens("Ёлка", {"ёлка"});
  ExpectTokens("Ёлка", {"елка"}, Fold());  // Ё = Е + U+0308
  ExpectTokens("שלום", {"שלום"});
  ExpectTokens("カタカナ", {"カタカナ"});
}

TEST(TokenizerTest, CjkIdeographsAreWords) {
  // ICU gives ideographs the status UBRK_WORD_IDEO (400) and splits runs of them with its
  // dictionary; they are kept.
  ExpectTokens("中", {"中"});
  ExpectTokens("a 中 b", {"a", "中", "b"});
  for (TokenizerPath path : {TokenizerPath::kFast, TokenizerPath::kIcuOnly}) {
    TextOptions o;
    o.path = path;
    Tokens t = Tokenize("中国人民 2026", o);
    ASSERT_GE(t.size(), 2u) << Join(t);
    std::string han;
    for (size_t i = 0; i + 1 < t.size(); ++i) han += t[i];
    EXPECT_EQ(han, "中国人民") << Join(t);  // dictionary segments, whatever they are, cover it all
    EXPECT_EQ(t.back(), "2026");
  }
}

TEST(TokenizerTest, EmptyAndBlankInputs) {
  ExpectTokens("", {});
  ExpectTokens(" \t\r\n\v\f ", {});
  ExpectTokens("\xC2\xA0\xE2\x80\xAF", {});
}

TEST(TokenizerTest, InvalidUtf8DoesNotCrash) {
  ExpectTokens("\xff\xfe abc", {"abc"});
  ExpectTokens("abc\xff", {"abc"});
  ExpectTokens("a\xff" "b", {"a", "b"});  // U+FFFD is Word_Break=Other: it splits
  ExpectTokens("\xE2\x80", {});            // truncated sequence
  ExpectTokens("\xC0\xA0x", {"x"});        // overlong encoding of a space
  ExpectTokens(std::string_view("a\0b", 3), {"a", "b"});
}

TEST(TokenizerTest, CombiningMarksAfterSpaces) {
  // A mark after a space sticks to the space (WB4), never to the next word.
  ExpectTokens("a \xCC\x81" "b", {"a", "b"});
  ExpectTokens("\xCC\x81" "b", {"b"});
  ExpectTokens("a\xCC\x81", {"\xC3\xA1"});  // composed to á
}

TEST(TokenizerTest, FormatCharactersAreRemovedByNormalization) {
  // NFKC_Casefold maps Default_Ignorable_Code_Point characters (soft hyphen, ZWJ, ZWSP) to "".
  ExpectTokens("inter\xC2\xAD" "national", {"international"});
  ExpectTokens("a\xE2\x80\x8D" "b", {"ab"});
  ExpectTokens("a\xE2\x80\x8B" "b", {"ab"});
}

// Each token's case flags as "token:flags" (U upper, C capitalized), for both paths.
std::string Flags(std::string_view text, TokenizerPath path) {
  TextOptions options;
  options.path = path;
  Result<Tokenizer> tokenizer = Tokenizer::Create(options);
  Result<TokenizerScratch> scratch = tokenizer->NewScratch();
  TokenList list;
  EXPECT_TRUE(tokenizer->Tokenize(text, &scratch.value(), &list).ok());
  std::string out;
  for (size_t i = 0; i < list.size(); ++i) {
    out += std::string(list[i]) + ":" + (list.upper(i) ? "U" : "") + (list.capitalized(i) ? "C" : "") + " ";
  }
  return out;
}

// Regression (fuzz_tokenizer, tests/fuzz/corpus/tokenizer/regression-upper-flags-*): the ICU-only path
// aligned the whole text, so one length-changing character anywhere ("…" becomes "...") dropped
// every flag, and two length changes that cancelled out lent a word another word's capitals. Now
// both paths decide per run of non-space characters, and a word keeps flags only when its source
// characters normalize to it.
TEST(TokenizerTest, Regression_CaseFlagsAgreeBetweenPathsAndBelongToTheWord) {
  for (TokenizerPath path : {TokenizerPath::kFast, TokenizerPath::kIcuOnly}) {
    EXPECT_EQ(Flags("Stocks fell\u2026 in Paris", path), "stocks:U fell: in: paris:UC ")
        << Name(path);
    // Source "\u01C5-aBc\u0301" (7 UTF-16 units) normalizes to "d\u017E-abc\u0301"... the
    // same length, but "ab\u0107" does not start where "B" is.
    EXPECT_EQ(Flags("x \u01C5-aBc\u0301", path), "x: d\u017E: ab\u0107: ") << Name(path);
    EXPECT_EQ(Flags("C\u0301 \u01C5", path), Flags("C\u0301 \u01C5", TokenizerPath::kFast))
        << Name(path);
  }
}

TEST(TokenizerTest, TokenizeAppendsAndReusesScratch) {
  Result<Tokenizer> t = Tokenizer::Create(TextOptions{});
  ASSERT_TRUE(t.ok());
  Result<TokenizerScratch> scratch = t->NewScratch();
  ASSERT_TRUE(scratch.ok());
  TokenList list;
  ASSERT_TRUE(t->Tokenize("Un été", &scratch.value(), &list).ok());
  ASSERT_TRUE(t->Tokenize("l’hiver 2026", &scratch.value(), &list).ok());
  EXPECT_EQ(ToVector(list), (Tokens{"un", "été", "l", "hiver", "2026"}));
}

// ---------------------------------------------------------------------------------------------
// 2. Differential: the fast path against ICU alone.

// Two tokenizers with the same output options, one per path, and their scratch.
class PathPair {
 public:
  explicit PathPair(TextOptions options) : options_(options) {
    options.path = TokenizerPath::kFast;
    Init(options, &fast_, &fast_scratch_);
    options.path = TokenizerPath::kIcuOnly;
    Init(options, &icu_, &icu_scratch_);
  }
  // For testing the harness itself: "fast" and "icu" built from any two option sets.
  PathPair(const TextOptions& fast, const TextOptions& icu) : options_(fast) {
    Init(fast, &fast_, &fast_scratch_);
    Init(icu, &icu_, &icu_scratch_);
  }

  bool ok() const { return fast_ && icu_ && fast_scratch_ && icu_scratch_; }
  const TextOptions& options() const { return options_; }

  // Tokenizes `text` on both paths into *fast and *icu (cleared first); true when they agree.
  bool Agree(std::string_view text, TokenList* fast, TokenList* icu) {
    fast->Clear();
    icu->Clear();
    Status a = fast_->Tokenize(text, &*fast_scratch_, fast);
    Status b = icu_->Tokenize(text, &*icu_scratch_, icu);
    if (!a.ok() || !b.ok()) return a.ok() == b.ok() && a.code() == b.code();
    if (fast->size() != icu->size()) return false;
    for (size_t i = 0; i < fast->size(); ++i) {
      if ((*fast)[i] != (*icu)[i]) return false;
    }
    return true;
  }

  bool Agree(std::string_view text) { return Agree(text, &fast_tmp_, &icu_tmp_); }

  struct Mismatch {
    std::string report;   // for a test failure message
    std::string minimal;  // the smallest input found that still disagrees
  };

  // A report of a disagreement on `text` (REQUIRES: !Agree(text)): the first differing token with
  // context on both sides, the smallest span between ASCII-whitespace cuts that still disagrees
  // (raw bytes, as a C++ literal), and that span minimized code point by code point.
  Mismatch Explain(std::string_view text) {
    TokenList fast, icu;
    Agree(text, &fast, &icu);
    const Tokens f = ToVector(fast), c = ToVector(icu);
    size_t k = 0;
    while (k < f.size() && k < c.size() && f[k] == c[k]) ++k;
    auto context = [k](const Tokens& t) {
      const size_t from = k >= 3 ? k - 3 : 0, to = std::min(t.size(), k + 4);
      return "#" + std::to_string(from) + ".. " + Join(Tokens(t.begin() + from, t.begin() + to));
    };
    std::string out = "  options: " + Describe(options_) + "\n";
    out += "  first difference at token #" + std::to_string(k) + " (fast has " +
           std::to_string(f.size()) + " tokens, ICU " + std::to_string(c.size()) + ")\n";
    out += "    fast: " + context(f) + "\n    icu:  " + context(c) + "\n";
    const std::string_view span = NarrowSpan(text);
    out += "  raw bytes of the smallest disagreeing span (" + std::to_string(span.size()) +
           " of " + std::to_string(text.size()) + " bytes, at offset " +
           std::to_string(span.data() - text.data()) + "):\n    " +
           CppLiteral(span.substr(0, 600)) + (span.size() > 600 ? " ..." : "") + "\n";
    std::string minimal(span);
    if (span.size() <= 2000) {
      minimal = Minimize(std::move(minimal));
      Agree(minimal, &fast, &icu);
      out += "  minimal input: " + CppLiteral(minimal) + "\n    fast: " + Join(ToVector(fast)) +
             "\n    icu:  " + Join(ToVector(icu)) + "\n";
    }
    return {std::move(out), std::move(minimal)};
  }

  // Removes code points (or invalid bytes) one at a time while the paths still disagree.
  std::string Minimize(std::string s) {
    bool changed = true;
    while (changed) {
      changed = false;
      for (size_t i = 0; i < s.size();) {
        size_t len = 1;
        if (static_cast<unsigned char>(s[i]) >= 0xC0) {
          while (i + len < s.size() && (static_cast<unsigned char>(s[i + len]) & 0xC0) == 0x80) {
            ++len;
          }
        }
        std::string shorter = s.substr(0, i) + s.substr(i + len);
        if (!Agree(shorter)) {
          s = std::move(shorter);
          changed = true;
        } else {
          i += len;
        }
      }
    }
    return s;
  }

 private:
  static void Init(const TextOptions& options, std::optional<Tokenizer>* t,
                   std::optional<TokenizerScratch>* scratch) {
    Result<Tokenizer> made = Tokenizer::Create(options);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    t->emplace(std::move(made).value());
    Result<TokenizerScratch> s = (*t)->NewScratch();
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    scratch->emplace(std::move(s).value());
  }

  // The shortest span of `text` between ASCII-whitespace cut points on which the paths disagree
  // (by bisection: first the end, then the start), or `text` itself.
  std::string_view NarrowSpan(std::string_view text) {
    std::vector<size_t> cuts = {0};
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') cuts.push_back(i);
    }
    cuts.push_back(text.size());
    size_t lo = 0, hi = cuts.size() - 1;  // text[0, cuts[hi]) disagrees
    while (lo + 1 < hi) {
      const size_t mid = (lo + hi) / 2;
      if (Agree(text.substr(0, cuts[mid]))) lo = mid; else hi = mid;
    }
    const size_t end = cuts[hi];
    size_t first = 0, last = hi;  // text[cuts[first], end) disagrees
    while (first + 1 < last) {
      const size_t mid = (first + last) / 2;
      if (Agree(text.substr(cuts[mid], end - cuts[mid]))) last = mid; else first = mid;
    }
    const std::string_view span = text.substr(cuts[first], end - cuts[first]);
    return Agree(span) ? text : span;
  }

  TextOptions options_;
  std::optional<Tokenizer> fast_, icu_;
  std::optional<TokenizerScratch> fast_scratch_, icu_scratch_;
  TokenList fast_tmp_, icu_tmp_;
};

// One PathPair per AccentFolding x Elisions combination.
std::vector<std::unique_ptr<PathPair>> AllCombinations() {
  std::vector<std::unique_ptr<PathPair>> pairs;
  for (AccentFolding a : kAllAccents) {
    for (Elisions e : kAllElisions) pairs.push_back(std::make_unique<PathPair>(TextOptions{a, e}));
  }
  return pairs;
}

// A failing differential test reports each distinct minimal input once (one bug tends to show up
// thousands of times and would hide the others), up to kMaxReports of them, looking at the first
// kMaxExplained mismatches.
constexpr size_t kMaxReports = 8;
constexpr uint64_t kMaxExplained = 300;

// Counts texts and mismatches between the two paths and reports them.
struct DiffStats {
  uint64_t texts = 0, bytes = 0, mismatches = 0;
  std::map<std::string, uint64_t> minimal_inputs;  // among the first kMaxExplained mismatches

  // Checks one text; `where()` names it (called only on a mismatch).
  template <typename Where>
  void Check(PathPair& pair, std::string_view text, Where&& where) {
    ++texts;
    bytes += text.size();
    if (pair.Agree(text)) return;
    if (++mismatches > kMaxExplained) return;
    PathPair::Mismatch m = pair.Explain(text);
    if (++minimal_inputs[m.minimal] == 1 && minimal_inputs.size() <= kMaxReports) {
      ADD_FAILURE() << "fast path != ICU on " << where() << "\n" << m.report;
    }
  }

  // "N of M texts differ" and the distinct minimal inputs with how often each was seen.
  std::string Summary() const {
    std::string out = std::to_string(mismatches) + " of " + std::to_string(texts) +
                      " texts differ between the fast path and ICU; distinct minimal inputs among"
                      " the first " + std::to_string(std::min(mismatches, kMaxExplained)) + ":";
    for (const auto& [input, count] : minimal_inputs) {
      out += "\n  " + CppLiteral(input) + " x" + std::to_string(count);
    }
    return out;
  }
};

// Runs every document of the JSON Lines file at `path` through `pairs[i]` for i < `all_until`
// documents and through pairs[0] only afterwards (pairs[0] holds the default options). Returns the
// number of documents read.
uint64_t DiffCorpus(const std::string& path, const ReaderOptions& reader_options,
                    std::vector<std::unique_ptr<PathPair>>& pairs, uint64_t all_until,
                    DiffStats* stats, uint64_t* bad_records) {
  Result<std::unique_ptr<JsonlReader>> reader = JsonlReader::Open(path, reader_options);
  EXPECT_TRUE(reader.ok()) << path << ": " << reader.status().ToString();
  if (!reader.ok()) return 0;
  std::vector<Document> docs;
  uint64_t n = 0;
  while (true) {
    Status s = (*reader)->ReadBatch(256, &docs);
    EXPECT_TRUE(s.ok()) << path << ": " << s.ToString();
    if (!s.ok() || docs.empty()) break;
    for (const Document& doc : docs) {
      const size_t combos = n < all_until ? pairs.size() : 1;
      for (size_t c = 0; c < combos; ++c) {
        auto where = [&](const char* field) {
          return [&, field] {
            return path + " line " + std::to_string(doc.line) + " id " + CppLiteral(doc.id) + " " +
                   field;
          };
        };
        stats->Check(*pairs[c], doc.title, where("title"));
        stats->Check(*pairs[c], doc.text, where("text"));
      }
      ++n;
    }
  }
  *bad_records = (*reader)->stats().bad_records;
  return n;
}

std::string SharedDatasets() { return SAMESTORY_SHARED_DATASETS; }

struct Corpus {
  const char* file;           // under SAMESTORY_SHARED_DATASETS
  const char* id_field;       // ReaderOptions.id_field
  uint64_t documents;         // records in the file (its SOURCE.md)
  uint64_t bad_records;       // records the reader rejects (no title and no text)
  uint64_t all_combinations;  // documents checked under all 4 combinations; the rest, default only
};

void DiffSharedCorpus(const Corpus& corpus) {
  const std::string dir = SharedDatasets();
  if (!std::filesystem::is_directory(dir)) {
    GTEST_SKIP() << "shared datasets directory " << dir << " is missing: the differential test "
                 << "on real corpora did not run (the fuzzed and sample-corpus tests still do)";
  }
  const std::string path = dir + "/" + corpus.file;
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << path << " is missing: this corpus was not checked";
  }
  auto pairs = AllCombinations();
  for (auto& p : pairs) ASSERT_TRUE(p->ok());
  ReaderOptions reader_options;
  reader_options.id_field = corpus.id_field;
  DiffStats stats;
  const auto t0 = std::chrono::steady_clock::now();
  uint64_t bad_records = 0;
  const uint64_t n =
      DiffCorpus(path, reader_options, pairs, corpus.all_combinations, &stats, &bad_records);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // A corpus that silently yielded nothing would prove nothing.
  EXPECT_EQ(n, corpus.documents) << path;
  EXPECT_EQ(bad_records, corpus.bad_records) << path;
  EXPECT_EQ(stats.mismatches, 0u) << path << ": " << stats.Summary();
  ::testing::Test::RecordProperty("documents", static_cast<int>(n));
  std::printf("  %s: %llu documents, %llu texts, %.1f MB tokenized by each path in %.2f s\n",
              corpus.file, static_cast<unsigned long long>(n),
              static_cast<unsigned long long>(stats.texts), stats.bytes / 1e6, seconds);
}

constexpr uint64_t kAll = UINT64_MAX;

TEST(TokenizerDifferentialTest, SeedsFr) {
  DiffSharedCorpus({"seeds_fr/seeds.jsonl", "id", 5, 0, kAll});
}

TEST(TokenizerDifferentialTest, Rpm2Fr) {
  DiffSharedCorpus({"rpm2_fr/rpm2_documents.jsonl.gz", "id", 200, 0, kAll});
}

TEST(TokenizerDifferentialTest, EcbPlus) {
  DiffSharedCorpus({"ecbplus/ecbplus_documents.jsonl.gz", "doc_id", 772, 0, kAll});
}

TEST(TokenizerDifferentialTest, Reuters21578) {
  // 737 Reuters records have neither title nor text (their body is only in "unproc_text").
  DiffSharedCorpus({"reuters21578/reuters21578.jsonl.gz", "id", 21578, 737, kAll});
}

TEST(TokenizerDifferentialTest, SampleCorpus) {
  const std::string path = std::string(SAMESTORY_SOURCE_DIR) + "/datasets/sample/articles.jsonl";
  ASSERT_TRUE(std::filesystem::exists(path)) << path;
  auto pairs = AllCombinations();
  for (auto& p : pairs) ASSERT_TRUE(p->ok());
  DiffStats stats;
  uint64_t bad_records = 0;
  const uint64_t n = DiffCorpus(path, ReaderOptions{}, pairs, kAll, &stats, &bad_records);
  EXPECT_GT(n, 0u);
  EXPECT_EQ(bad_records, 0u);
  EXPECT_EQ(stats.mismatches, 0u) << stats.Summary();
}

// Calls check(s) for every string s of length 1..max_length over `alphabet`.
template <typename Check>
void ForEveryString(std::string_view alphabet, size_t max_length, Check&& check) {
  std::vector<size_t> digits;  // s in base alphabet.size(), first character most significant
  std::string s;
  for (size_t length = 1; length <= max_length; ++length) {
    digits.assign(length, 0);
    while (true) {
      s.resize(length);
      for (size_t k = 0; k < length; ++k) s[k] = alphabet[digits[k]];
      check(s);
      size_t k = length;
      while (k > 0 && ++digits[k - 1] == alphabet.size()) digits[--k] = 0;
      if (k == 0) break;
    }
  }
}

// Every string of 1..3 bytes below 0x80 (controls, NUL and DEL included): every pair and triple of
// ASCII characters, so each UAX #29 rule the ASCII fast path implements, and any ASCII character
// ICU classes differently from the fast path, meets every neighbour. ASCII has no accents, so only
// the elision option can matter here.
TEST(TokenizerDifferentialTest, EveryShortAsciiString) {
  std::string alphabet;
  for (int c = 0; c < 0x80; ++c) alphabet += static_cast<char>(c);
  for (Elisions e : kAllElisions) {
    PathPair pair(TextOptions{AccentFolding::kKeep, e});
    ASSERT_TRUE(pair.ok());
    DiffStats stats;
    ForEveryString(alphabet, 3, [&](const std::string& s) {
      stats.Check(pair, s, [&s] { return "the short ASCII string " + CppLiteral(s); });
    });
    EXPECT_EQ(stats.texts, 128u + 128u * 128u + 128u * 128u * 128u);
    EXPECT_EQ(stats.mismatches, 0u) << "elisions=" << Name(e) << ": " << stats.Summary();
  }
}

// Every string of 1..5 characters over one or two representatives of each ASCII word-break class
// (ALetter, Numeric, MidNumLet, MidNum, MidLetter for UAX #29 but not for ICU, Single_Quote,
// ExtendNumLet, Double_Quote, Other, a space, and ICU's extra letter '@'): the chains of rules
// (WB6/WB7 then WB11/WB12, WB13a/b) that three characters cannot show.
TEST(TokenizerDifferentialTest, EveryAsciiClassSequence) {
  const std::string alphabet = "aZ1.,;:'_\"-@ ";  // 13 characters
  for (Elisions e : kAllElisions) {
    PathPair pair(TextOptions{AccentFolding::kKeep, e});
    ASSERT_TRUE(pair.ok());
    DiffStats stats;
    ForEveryString(alphabet, 5, [&](const std::string& s) {
      stats.Check(pair, s, [&s] { return "the ASCII class sequence " + CppLiteral(s); });
    });
    EXPECT_EQ(stats.texts, 13u + 13u * 13u + 13u * 13u * 13u + 13u * 13u * 13u * 13u +
                               13u * 13u * 13u * 13u * 13u);
    EXPECT_EQ(stats.mismatches, 0u) << "elisions=" << Name(e) << ": " << stats.Summary();
  }
}

// Random strings from an alphabet weighted toward the characters the fast path must get right:
// the ASCII classes of its rules, ASCII whitespace (its run separators), and the non-ASCII
// characters that interact with a separator or with normalization.
class FuzzAlphabet {
 public:
  FuzzAlphabet() {
    Add("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 24);
    Add("0123456789", 12);
    Add(".", 6);
    Add(",", 5);
    Add(";", 3);
    Add(":", 3);
    Add("'", 6);
    Add("_", 5);
    Add("-", 3);
    Add("\"", 3);
    Add("@", 2);
    Add(" ", 10);
    Add("\t", 2);
    Add("\n", 2);
    Add("\r", 2);
    Add("\v\f", 1);
    AddOne("\xE2\x80\x99", 4);           // ’ U+2019
    AddOne("\xC3\xA9", 2);               // é
    AddOne("\xC3\x89", 2);               // É
    AddOne("\xCC\x81", 3);               // U+0301 COMBINING ACUTE ACCENT
    AddOne(" \xCC\x81", 2);              // ... right after a space
    AddOne("\xC2\xA0", 2);               // U+00A0 NO-BREAK SPACE
    AddOne("\xE2\x80\xAF", 2);           // U+202F NARROW NO-BREAK SPACE
    AddOne("\xC2\xAD", 2);               // U+00AD SOFT HYPHEN
    AddOne("\xE2\x80\x8D", 2);           // U+200D ZERO WIDTH JOINER
    AddOne("\xC3\x9F", 1);               // ß
    AddOne("\xEF\xAC\x81", 1);           // U+FB01 ﬁ
    AddOne("\xEF\xBC\xA1", 1);           // U+FF21 fullwidth A
    AddOne("\xEF\xBD\x82", 1);           // U+FF42 fullwidth b
    AddOne("\xEF\xBC\x91", 1);           // U+FF11 fullwidth 1
    AddOne("\xE4\xB8\xAD", 1);           // U+4E2D 中
    AddOne("\xF0\x9F\x98\x80", 1);       // U+1F600 emoji
    AddOne("\xD7\x90", 1);               // U+05D0 Hebrew alef
    AddOne("\xE3\x82\xAB", 1);           // U+30AB Katakana ka
    AddOne("\xC2\xB4", 1);               // U+00B4 ACUTE ACCENT: NFKC gives space + U+0301
    AddOne("\xD8\x80", 1);               // U+0600 ARABIC NUMBER SIGN: Format, kept by NFKC_CF
    AddOne("\xEF\xBE\x9E", 1);           // U+FF9E halfwidth voiced mark: NFKC gives Extend U+3099
    AddOne("\xEF\xB8\x8F", 1);           // U+FE0F VARIATION SELECTOR-16 (Extend, ignorable)
    AddOne("\xE2\x80\xA8", 1);           // U+2028 LINE SEPARATOR (Word_Break=Newline)
    AddOne("\xC2\x85", 1);               // U+0085 NEXT LINE (Word_Break=Newline)
    AddOne("\xE3\x80\x80", 1);           // U+3000 IDEOGRAPHIC SPACE (WSegSpace)
    AddOne("\xE0\xB8\x81", 1);           // U+0E01 Thai ko kai (dictionary segmentation)
    AddOne("\xED\x95\x9C", 1);           // U+D55C Hangul syllable han
    AddOne("\xF0\x9F\x87\xAB", 1);       // U+1F1EB regional indicator F
    AddOne("\xFF", 1);                   // invalid byte
    AddOne("\xC3", 1);                   // truncated 2-byte sequence
  }

  // Appends one random piece to *s. Uses only the engine's raw output, whose sequence the C++
  // standard fixes, so the strings are the same with every standard library.
  void Append(std::mt19937_64& rng, bool ascii_only, std::string* s) const {
    const uint64_t total = ascii_only ? ascii_weight_ : total_weight_;
    uint64_t r = rng() % total;
    for (const Piece& p : pieces_) {
      if (r < p.weight) {
        if (p.chars.size() > 1 && p.one_piece == false) {
          s->push_back(p.chars[rng() % p.chars.size()]);
        } else {
          s->append(p.chars);
        }
        return;
      }
      r -= p.weight;
    }
  }

 private:
  struct Piece {
    std::string chars;
    uint64_t weight;
    bool one_piece;  // chars is one multi-byte piece, not a set of single characters
  };
  // A set of single ASCII characters, one of which is drawn (ASCII pieces come first).
  void Add(std::string chars, uint64_t weight) {
    pieces_.push_back({std::move(chars), weight, false});
    ascii_weight_ += weight;
    total_weight_ += weight;
  }
  void AddOne(std::string piece, uint64_t weight) {
    pieces_.push_back({std::move(piece), weight, true});
    total_weight_ += weight;
  }
  std::vector<Piece> pieces_;
  uint64_t ascii_weight_ = 0, total_weight_ = 0;
};

TEST(TokenizerDifferentialTest, FuzzedStrings) {
  constexpr int kStrings = 200000;
  constexpr size_t kMaxLength = 60;  // bytes per string: 0..60 (+3 when the last piece overshoots)
  const FuzzAlphabet alphabet;
  auto pairs = AllCombinations();
  for (auto& p : pairs) ASSERT_TRUE(p->ok());
  std::mt19937_64 rng(20260221);
  DiffStats stats;
  std::string s;
  for (int i = 0; i < kStrings; ++i) {
    s.clear();
    const size_t length = rng() % (kMaxLength + 1);
    const bool ascii_only = rng() % 4 == 0;  // a quarter of the strings stay on the fast path
    if (!ascii_only && rng() % 16 == 0) s += "\xCC\x81";  // a combining mark at string start
    while (s.size() < length) alphabet.Append(rng, ascii_only, &s);
    for (auto& pair : pairs) {
      stats.Check(*pair, s, [&] { return "fuzzed string #" + std::to_string(i) + " " + CppLiteral(s); });
    }
  }
  EXPECT_EQ(stats.mismatches, 0u) << "(string, options) pairs: " << stats.Summary();
}

// The differential harness must be able to fail: two tokenizers that really differ (accent
// folding on one side only) are caught, and the report narrows the input down to the accent.
TEST(TokenizerDifferentialTest, HarnessDetectsAndMinimizesADifference) {
  PathPair same{TextOptions{}};
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same.Agree("Le président de l’Assemblée"));
  PathPair differ{Fold(), TextOptions{AccentFolding::kKeep, Elisions::kSplit,
                                      TokenizerPath::kIcuOnly}};
  ASSERT_TRUE(differ.ok());
  const std::string text = "Le président de l’Assemblée nationale";
  ASSERT_FALSE(differ.Agree(text));
  EXPECT_EQ(differ.Minimize(text), "\xC3\xA9");
  const std::string report = differ.Explain(text).report;
  EXPECT_NE(report.find("first difference at token #1"), std::string::npos) << report;
  EXPECT_NE(report.find("\"pr\\xC3\\xA9sident\""), std::string::npos) << report;
  EXPECT_NE(report.find("minimal input: \"\\xC3\\xA9\""), std::string::npos) << report;
  EXPECT_EQ(CppLiteral("a\xC3\xA9" "b\n\"1\\"), "\"a\\xC3\\xA9\" \"b\\n\\\"1\\\\\"");
}

// ---------------------------------------------------------------------------------------------
// 3. TokenList.

TEST(TokenListTest, Basics) {
  TokenList list;
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.size(), 0u);
  EXPECT_EQ(list.bytes(), "");
  list.Add("été");
  list.Add("");
  list.Add("2026");
  EXPECT_FALSE(list.empty());
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0], "été");
  EXPECT_EQ(list[1], "");
  EXPECT_EQ(list[2], "2026");
  EXPECT_EQ(list.bytes(), "été2026");
  list.Clear();
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.bytes(), "");
  list.Add("x");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0], "x");
}

TEST(TokenListTest, ViewsStayValidWhileAdding) {
  // operator[] computes the view from stored offsets each time, so growing the list is fine as
  // long as one re-reads the view after Add.
  TokenList list;
  for (int i = 0; i < 1000; ++i) list.Add(std::to_string(i));
  ASSERT_EQ(list.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(list[i], std::to_string(i));
}

}  // namespace
}  // namespace samestory
