// Fuzz target for Tokenizer (samestory/text.h): the fast path against ICU alone.
//
// Input: byte 0 picks the options, bit 0 the accent folding (0 keep, 1 fold) and bit 1 the
// elisions (0 split, 1 keep); the other bytes are the text, any bytes (invalid UTF-8 included).
// Properties, besides no crash, leak, UB, hang or unbounded allocation: TokenizerPath::kFast and
// kIcuOnly both succeed and give identical tokens with identical flags (TokenList operator[],
// capitalized(), upper()); every token is non-empty valid UTF-8, and capitalized implies upper.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "samestory/text.h"

namespace samestory::fuzz {
namespace {

// A tokenizer, its scratch and its output list, made once per options and reused.
struct Path {
  explicit Path(const TextOptions& options)
      : tokenizer(Create(options)), scratch(NewScratch(tokenizer)) {}

  static Tokenizer Create(const TextOptions& options) {
    auto t = Tokenizer::Create(options);
    FUZZ_CHECK(t.ok(), "Tokenizer::Create: %s", t.status().ToString().c_str());
    return std::move(t.value());
  }
  static TokenizerScratch NewScratch(const Tokenizer& t) {
    auto s = t.NewScratch();
    FUZZ_CHECK(s.ok(), "NewScratch: %s", s.status().ToString().c_str());
    return std::move(s.value());
  }

  Tokenizer tokenizer;
  TokenizerScratch scratch;
  TokenList tokens;
};

// A pair of paths for one setting of the output-affecting options.
struct Pair {
  explicit Pair(int bits) : fast(Options(bits, TokenizerPath::kFast)),
                            icu(Options(bits, TokenizerPath::kIcuOnly)) {}
  static TextOptions Options(int bits, TokenizerPath path) {
    TextOptions o;
    o.accents = (bits & 1) != 0 ? AccentFolding::kFold : AccentFolding::kKeep;
    o.elisions = (bits & 2) != 0 ? Elisions::kKeep : Elisions::kSplit;
    o.path = path;
    return o;
  }
  Path fast;
  Path icu;
};

// Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (s.size() - i <= n) return false;
    for (size_t k = 1; k <= n; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::string Hex(std::string_view s) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
  }
  return out;
}

}  // namespace
}  // namespace samestory::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samestory::fuzz;  // NOLINT
  using samestory::Status;
  using samestory::TokenList;
  if (size == 0) return 0;
  static Pair pairs[4] = {Pair(0), Pair(1), Pair(2), Pair(3)};
  Pair& pair = pairs[data[0] & 3];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  pair.fast.tokens.Clear();
  pair.icu.tokens.Clear();
  const Status fast = pair.fast.tokenizer.Tokenize(text, &pair.fast.scratch, &pair.fast.tokens);
  const Status icu = pair.icu.tokenizer.Tokenize(text, &pair.icu.scratch, &pair.icu.tokens);
  FUZZ_CHECK(fast.ok(), "fast path: %s", fast.ToString().c_str());
  FUZZ_CHECK(icu.ok(), "ICU path: %s", icu.ToString().c_str());

  const TokenList& a = pair.fast.tokens;
  const TokenList& b = pair.icu.tokens;
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    FUZZ_CHECK(a[i] == b[i] && a.capitalized(i) == b.capitalized(i) && a.upper(i) == b.upper(i),
               "options %d, token %zu: fast \"%s\" (capitalized %d, upper %d), ICU \"%s\" "
               "(capitalized %d, upper %d)",
               data[0] & 3, i, Hex(a[i]).c_str(), a.capitalized(i), a.upper(i), Hex(b[i]).c_str(),
               b.capitalized(i), b.upper(i));
  }
  FUZZ_CHECK(a.size() == b.size(), "options %d: fast path %zu tokens, ICU %zu; first extra \"%s\"",
             data[0] & 3, a.size(), b.size(),
             Hex(a.size() > n ? a[n] : b[n]).c_str());
  for (size_t i = 0; i < a.size(); ++i) {
    FUZZ_CHECK(!a[i].empty() && IsValidUtf8(a[i]), "token %zu \"%s\" is empty or not UTF-8", i,
               Hex(a[i]).c_str());
    FUZZ_CHECK(!a.capitalized(i) || a.upper(i), "token %zu capitalized but not upper", i);
  }
  return 0;
}
