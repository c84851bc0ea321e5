#include "samestory/fingerprint.h"

// Inlined: tokens are short, and a call into the shared library costs more than hashing them.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cstring>

#include "dedup/mix.h"

namespace samestory {

Status FingerprintOptions::Validate() const {
  if (gram_bytes < 4 || gram_bytes > 8) return Status::InvalidArgument("gram_bytes must be in [4, 8]");
  if (sketch_bins < 64 || sketch_bins > 1024 || sketch_bins % 8 != 0) {
    return Status::InvalidArgument("sketch_bins must be a multiple of 8 in [64, 1024]");
  }
  if (sample_rate < 1 || sample_rate > 64 || !std::has_single_bit(static_cast<unsigned>(sample_rate))) {
    return Status::InvalidArgument("sample_rate must be a power of two in [1, 64]");
  }
  if (min_sample < 8 || min_sample > 4096) return Status::InvalidArgument("min_sample must be in [8, 4096]");
  if (short_words < 1 || short_words > 64) return Status::InvalidArgument("short_words must be in [1, 64]");
  if (max_facts < 0 || max_facts > 4096) return Status::InvalidArgument("max_facts must be in [0, 4096]");
  if (anchors < 0 || anchors > 16) return Status::InvalidArgument("anchors must be in [0, 16]");
  if (anchor_words < 1 || anchor_words > 64) {
    return Status::InvalidArgument("anchor_words must be in [1, 64]");
  }
  return Status::OK();
}

Result<CopyFingerprinter> CopyFingerprinter::Create(const FingerprintOptions& options) {
  if (Status s = options.Validate(); !s.ok()) return s;
  return CopyFingerprinter(options);
}

namespace {

uint32_t TokenHash(std::string_view t, uint64_t seed) {
  return static_cast<uint32_t>(XXH3_64bits_withSeed(t.data(), t.size(), seed));
}

bool HasDigit(std::string_view t) {
  for (char c : t) {
    if (c >= '0' && c <= '9') return true;
  }
  return false;
}

// A token of only letters, or a well-formed number (digits with single '.' or ',' between them).
bool CleanToken(std::string_view t) {
  bool digits = false, letters = false;
  for (size_t i = 0; i < t.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(t[i]);
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' || c == ',') {
      if (i == 0 || i + 1 == t.size()) return false;
    } else if (c == '\'' || c >= 0x80 || (c >= 'a' && c <= 'z')) {
      letters = true;  // ASCII or not: case folding left no upper case
    } else {
      return false;
    }
  }
  return !(digits && letters);
}

// Bit 0: the run holds a digit; bits 1..63: its character bigrams, with ^ and $ marks and a
// space between tokens.
uint64_t Shape(const TokenList& tokens, size_t begin, size_t end) {
  uint64_t shape = 0;
  uint32_t prev = '^';
  auto add = [&](unsigned char c) {
    // A multiplicative hash of the bigram onto bits 1..63.
    const uint32_t h = ((prev << 8) | c) * 0x9E3779B1u;
    shape |= uint64_t{2} << ((uint64_t{h} * 63) >> 32);
    prev = c;
  };
  for (size_t k = begin; k < end; ++k) {
    if (k > begin) add(' ');
    for (char c : tokens[k]) {
      if (c >= '0' && c <= '9') shape |= 1;
      add(static_cast<unsigned char>(c));
    }
  }
  add('$');
  return shape;
}

// Facts: maximal runs of tokens that hold a digit or start upper case, each keyed by the two
// words before it and the two after it that are not facts ("at [6 3 16] pct when"), so that a
// figure or a name said in the same words is compared with its counterpart. A run holding a digit or a capitalized word
// (upper case inside a sentence) is strong; a run of sentence-initial words only ("[Chase] raised
// its prime rate", but also "[The] company said") is weak: it can conflict, never agree. The first
// `max_facts` runs in text order.
void ExtractFacts(const TokenList& tokens, std::span<const uint32_t> hashes, int max_facts,
                  uint64_t seed, std::vector<Fact>* out) {
  out->clear();
  const size_t n = tokens.size();
  auto strong = [&](size_t i) { return tokens.capitalized(i) || HasDigit(tokens[i]); };
  auto is_fact = [&](size_t i) { return tokens.upper(i) || strong(i); };
  for (size_t i = 0; i < n && out->size() < static_cast<size_t>(max_facts);) {
    if (!is_fact(i)) {
      ++i;
      continue;
    }
    size_t j = i;
    bool is_strong = false, clean = true;
    while (j < n && is_fact(j)) {
      is_strong |= strong(j);
      clean &= CleanToken(tokens[j]);
      ++j;
    }
    // The two nearest words before and after that are not facts themselves, so that two figures
    // side by side ("8,666 and 86,666 dlrs") are each compared even when both change.
    uint64_t context[4] = {0, 0, 0, 0};  // 0: no word there (text start or end)
    for (size_t k = i, found = 0; k > 0 && found < 2;) {
      if (!is_fact(--k)) context[1 - found++] = hashes[k];
    }
    for (size_t k = j, found = 0; k < n && found < 2; ++k) {
      if (!is_fact(k)) context[2 + found++] = hashes[k];
    }
    uint64_t value = seed ^ 0xfac7;
    for (size_t k = i; k < j; ++k) value = internal::Mix64(value ^ hashes[k]);
    size_t bytes = 0;
    for (size_t k = i; k < j; ++k) bytes += tokens[k].size() + (k > i ? 1 : 0);
    uint32_t v = static_cast<uint32_t>(value) & 0x00FFFFFFu;
    v |= static_cast<uint32_t>(std::min<size_t>(bytes, 63)) << Fact::kLengthShift;
    if (is_strong) v |= Fact::kStrong;
    if (clean) v |= Fact::kClean;
    out->push_back({static_cast<uint32_t>(XXH3_64bits_withSeed(context, sizeof(context), seed)), v,
                    Shape(tokens, i, j)});
    i = j;
  }
  // Sorted by (context, value): the order CompareFacts merges in.
  std::sort(out->begin(), out->end(), [](const Fact& a, const Fact& b) {
    return ((uint64_t{a.context} << 32) | a.value) < ((uint64_t{b.context} << 32) | b.value);
  });
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

// An empty bin of the sketch; a gram's value has 31 bits, so it is never this.
constexpr uint32_t kEmptyBin = UINT32_MAX;

// The hot loop, one pass over the grams of `bytes` (n bytes each; one gram of all of them when
// there are no more): each gram's hash h = ((g ^ seed) * phi) ^ (that >> 32), a bijection whose
// top bits depend on every byte of the gram. Its top bits choose the sketch bin (multiply-shift
// onto [0, k) when k is not a power of two) and the 31 bits below them are the value whose minimum
// the bin keeps; its low 32 bits are the sample key, written to keys[] when at most `limit`.
// Returns the number of keys written. REQUIRES: keys has room for one key a gram.
template <bool kPow2>
size_t HashGrams(std::string_view bytes, size_t n, uint64_t mask, uint64_t seed, size_t k,
                 uint32_t limit, uint32_t* __restrict sketch, uint32_t* __restrict keys) {
  const int bin_shift = 64 - std::countr_zero(std::bit_ceil(k));
  size_t written = 0;
  auto visit = [&](uint64_t gram) {
    uint64_t h = (gram ^ seed) * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 32;
    const size_t bin = kPow2 ? static_cast<size_t>(h >> bin_shift)
                             : static_cast<size_t>(internal::Reduce(h, k));
    const uint32_t value = static_cast<uint32_t>(h >> 25) & 0x7fffffffu;
    sketch[bin] = std::min(sketch[bin], value);
    const uint32_t key = static_cast<uint32_t>(h);
    keys[written] = key;  // kept only when under the limit: no branch to mispredict
    written += key <= limit ? 1 : 0;
  };
  const char* p = bytes.data();
  if (bytes.size() <= n) {
    uint64_t g = 0;
    std::memcpy(&g, p, bytes.size());
    visit(g);
    return written;
  }
  const size_t last = bytes.size() - n;
  const size_t fast_end = bytes.size() >= 8 ? bytes.size() - 8 : 0;  // 8-byte loads in range
  size_t i = 0;
  for (; i <= last && i <= fast_end; ++i) {
    uint64_t g;
    std::memcpy(&g, p + i, 8);
    visit(g & mask);
  }
  for (; i <= last; ++i) {
    uint64_t g = 0;
    std::memcpy(&g, p + i, bytes.size() - i);
    visit(g & mask);
  }
  return written;
}

uint64_t SequenceHash(const TokenList& tokens, uint64_t seed) {
  uint64_t h = seed ^ 0x5eb0e5ce5eb0e5ceULL;
  for (size_t i = 0; i < tokens.size(); ++i) {
    h = internal::Mix64(h ^ XXH3_64bits_withSeed(tokens[i].data(), tokens[i].size(), seed));
  }
  return internal::Mix64(h ^ tokens.size());
}

}  // namespace

void CopyFingerprinter::Fingerprint(const TokenList& title, const TokenList& body,
                                    CopyFingerprint* out) const {
  const TokenList& text = body.empty() ? title : body;
  out->words = static_cast<uint32_t>(text.size());
  // Each token hashed once, for the facts and the anchors.
  thread_local std::vector<uint32_t> hashes;
  hashes.resize(text.size());
  for (size_t i = 0; i < text.size(); ++i) hashes[i] = TokenHash(text[i], options_.seed);
  out->title.clear();
  const size_t scanned = std::min<size_t>(hashes.size(), 1000);
  for (size_t i = 0; i < title.size() && out->title.size() < 64; ++i) {
    const uint32_t h = TokenHash(title[i], options_.seed);
    uint32_t word = h & CopyFingerprint::kTitleWord;
    if (HasDigit(title[i])) word |= CopyFingerprint::kTitleDigit;
    if (&text != &title && std::find(hashes.begin(), hashes.begin() + static_cast<ptrdiff_t>(scanned), h) !=
                               hashes.begin() + static_cast<ptrdiff_t>(scanned)) {
      word |= CopyFingerprint::kTitleInBody;
    }
    out->title.push_back(word);
  }
  auto by_word = [](uint32_t a, uint32_t b) {
    return (a & CopyFingerprint::kTitleWord) < (b & CopyFingerprint::kTitleWord);
  };
  std::sort(out->title.begin(), out->title.end(), by_word);
  out->title.erase(std::unique(out->title.begin(), out->title.end(),
                               [](uint32_t a, uint32_t b) {
                                 return ((a ^ b) & CopyFingerprint::kTitleWord) == 0;
                               }),
                   out->title.end());
  ExtractFacts(text, hashes, options_.max_facts, options_.seed, &out->facts);
  out->anchors.assign(static_cast<size_t>(options_.anchors), 0);
  {
    const size_t words = static_cast<size_t>(options_.anchor_words);
    size_t found = 0;
    for (size_t i = 0; i + words <= text.size() && found < out->anchors.size(); ++i) {
      if (i > 0 && !(text.upper(i) && !text.capitalized(i))) continue;  // not a sentence start
      uint64_t h = options_.seed ^ 0xa9c0;
      for (size_t w = i; w < i + words; ++w) h = internal::Mix64(h ^ hashes[w]);
      out->anchors[found++] = static_cast<uint32_t>(h >> 32) | 1;
    }
  }
  out->sample.clear();
  out->sketch.clear();
  if (text.size() < static_cast<size_t>(options_.short_words)) {
    out->kind = CopyFingerprint::Kind::kShort;
    out->sample_limit = 0;
    out->text_hash =
        SequenceHash(title, options_.seed) ^ (SequenceHash(body, options_.seed) * 31);
    return;
  }
  out->text_hash = 0;  // only short texts are matched by their whole text
  out->kind = CopyFingerprint::Kind::kFull;

  // Grams: n bytes of the joined tokens read as a little-endian integer (a shorter text is one
  // gram of all its bytes), hashed bijectively, so distinct grams never collide.
  const std::string_view bytes = text.bytes();
  const size_t n = static_cast<size_t>(options_.gram_bytes);
  const uint64_t mask = n == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1;
  const size_t k = static_cast<size_t>(options_.sketch_bins);
  const uint32_t fixed_limit =
      options_.sample_rate == 1
          ? UINT32_MAX
          : (uint32_t{1} << (32 - std::countr_zero(static_cast<unsigned>(options_.sample_rate)))) - 1;
  const uint64_t seed = internal::Mix64(options_.seed ^ 0x9e3779b97f4a7c15ULL);
  out->sketch.assign(k, kEmptyBin);
  const size_t grams = bytes.size() <= n ? 1 : bytes.size() - n + 1;
  // Keys go to a scratch buffer with room for one a gram (grown, never shrunk), then the distinct
  // ones, sorted, to the sample.
  thread_local std::vector<uint32_t> keys;
  if (keys.size() < grams) keys.resize(grams);
  auto hash_grams = [&](uint32_t limit, uint32_t* sketch) {
    return std::has_single_bit(k)
               ? HashGrams<true>(bytes, n, mask, seed, k, limit, sketch, keys.data())
               : HashGrams<false>(bytes, n, mask, seed, k, limit, sketch, keys.data());
  };
  size_t kept = hash_grams(fixed_limit, out->sketch.data());
  std::sort(keys.begin(), keys.begin() + static_cast<ptrdiff_t>(kept));
  kept = static_cast<size_t>(std::unique(keys.begin(), keys.begin() + static_cast<ptrdiff_t>(kept)) -
                             keys.begin());
  out->sample_limit = fixed_limit;
  const size_t min_sample = static_cast<size_t>(options_.min_sample);
  if (kept < min_sample && fixed_limit != UINT32_MAX) {
    // Too few under the shared limit: the document's own smallest keys, with its own (higher)
    // limit; a pair then compares under the lower limit of the two.
    thread_local std::vector<uint32_t> unused_sketch;
    unused_sketch.assign(k, kEmptyBin);
    kept = hash_grams(UINT32_MAX, unused_sketch.data());
    // The min_sample smallest keys (selected, then sorted: the rest never is), distinct. Every
    // distinct key up to the largest kept is kept, which is what a sample limit promises.
    const bool all = kept <= min_sample;
    if (!all) {
      std::nth_element(keys.begin(), keys.begin() + static_cast<ptrdiff_t>(min_sample - 1),
                       keys.begin() + static_cast<ptrdiff_t>(kept));
      kept = min_sample;
    }
    std::sort(keys.begin(), keys.begin() + static_cast<ptrdiff_t>(kept));
    kept = static_cast<size_t>(
        std::unique(keys.begin(), keys.begin() + static_cast<ptrdiff_t>(kept)) - keys.begin());
    out->sample_limit = all ? UINT32_MAX : keys[kept - 1];
  }
  out->sample.assign(keys.begin(), keys.begin() + static_cast<ptrdiff_t>(kept));
  // Optimal densification: an empty bin takes the value of the first filled bin on its own
  // pseudo-random probe sequence (the same sequence for every document, so two documents that
  // agree on the probed bin agree on the empty one).
  uint32_t* sketch = out->sketch.data();
  size_t empty = 0;
  for (size_t b = 0; b < k; ++b) empty += sketch[b] == kEmptyBin ? 1 : 0;
  if (empty > 0) {
    thread_local std::vector<uint32_t> filled;
    filled.assign(sketch, sketch + k);
    for (size_t b = 0; b < k; ++b) {
      if (filled[b] != kEmptyBin) continue;
      for (uint64_t attempt = 1;; ++attempt) {
        const uint64_t probe = internal::Mix64(seed ^ (uint64_t{b} << 32) ^ attempt);
        const size_t from = static_cast<size_t>(internal::Reduce(probe, k));
        if (filled[from] != kEmptyBin) {
          sketch[b] = filled[from];
          break;
        }
      }
    }
  }
}

double SampleOverlap::containment() const {
  const uint32_t m = std::min(a, b);
  return m == 0 ? 0.0 : static_cast<double>(common) / m;
}

double SampleOverlap::resemblance() const {
  const uint32_t u = a + b - common;
  return u == 0 ? 0.0 : static_cast<double>(common) / u;
}

SampleOverlap CompareSamples(const CopyFingerprint& x, const CopyFingerprint& y,
                             double stop_below) {
  const uint32_t limit = std::min(x.sample_limit, y.sample_limit);
  auto end_of = [limit](const std::vector<uint32_t>& s) {
    return std::upper_bound(s.begin(), s.end(), limit);
  };
  auto xi = x.sample.begin(), xe = end_of(x.sample);
  auto yi = y.sample.begin(), ye = end_of(y.sample);
  SampleOverlap o;
  o.a = static_cast<uint32_t>(xe - xi);
  o.b = static_cast<uint32_t>(ye - yi);
  // Branch-free merge: which side advances is data, not a branch the CPU must guess (the
  // samples interleave at random, so a guess fails half the time): 2.6x faster on long samples.
  const uint32_t* p = std::to_address(xi);
  const uint32_t* const pe = std::to_address(xe);
  const uint32_t* q = std::to_address(yi);
  const uint32_t* const qe = std::to_address(ye);
  uint32_t common = 0;
  // Grams in common the containment needs to reach stop_below: once even every gram left on the
  // shorter side could not make them up, the pair is decided (checked every 64 steps).
  const double needed = stop_below * std::min(o.a, o.b);
  while (p != pe && q != qe) {
    for (int step = 0; step < 64 && p != pe && q != qe; ++step) {
      const uint32_t u = *p, w = *q;
      common += u == w;
      p += u <= w;
      q += w <= u;
    }
    if (common + std::min(pe - p, qe - q) < needed) {
      o.stopped = true;
      break;
    }
  }
  o.common = common;
  return o;
}

namespace {

enum class FactMatch { kAgree, kWeakAgree, kSoft, kHard };

FactMatch MatchFacts(const Fact& a, const Fact& b) {
  if (a.value == b.value || (a.shape & ~b.shape) == 0 || (b.shape & ~a.shape) == 0) {
    return a.strong() || b.strong() ? FactMatch::kAgree : FactMatch::kWeakAgree;
  }
  if (!a.clean() || !b.clean()) return FactMatch::kSoft;
  const uint64_t only_a = a.shape & ~b.shape & ~uint64_t{1};
  const uint64_t only_b = b.shape & ~a.shape & ~uint64_t{1};
  if (a.numeric() || b.numeric()) {
    // One character dropped (or doubled: then one run's shape holds the other's, above): the
    // shorter run loses no bigram but at most the one joining across the gap, the longer keeps
    // at most two of its own. An OCR slip ("4.40" as "440", "1985" as "195"), not a new figure.
    const Fact& shorter = a.length() < b.length() ? a : b;
    const int lost = std::popcount(&shorter == &a ? only_a : only_b);
    const int kept = std::popcount(&shorter == &a ? only_b : only_a);
    if (std::abs(a.length() - b.length()) == 1 && lost <= 1 && kept <= 2) return FactMatch::kSoft;
    return FactMatch::kHard;  // another figure
  }
  // Words: a typo or an OCR slip (one or two characters: "Tbe" for "The", "Bumham" for
  // "Burnham") changes at most 6 bigrams; another word in the name changes more ("Franklin
  // Massachusetts Fund" and "Franklin California Fund", "Sioux City" and "Sioux Falls").
  return std::popcount(only_a | only_b) <= 6 ? FactMatch::kSoft : FactMatch::kHard;
}

}  // namespace

FactComparison CompareFacts(std::span<const Fact> x, std::span<const Fact> y) {
  FactComparison c;
  size_t i = 0, j = 0;
  while (i < x.size() && j < y.size()) {
    if (x[i].context < y[j].context) {
      ++i;
    } else if (y[j].context < x[i].context) {
      ++j;
    } else {
      // One context in both: its runs in x are [i, ie), in y [j, je). The best match between
      // them decides the context: agreement over a soft conflict over a hard one.
      const uint32_t context = x[i].context;
      size_t ie = i, je = j;
      while (ie < x.size() && x[ie].context == context) ++ie;
      while (je < y.size() && y[je].context == context) ++je;
      FactMatch best = FactMatch::kHard;
      bool figure = false;
      for (size_t p = i; p < ie; ++p) {
        for (size_t q = j; q < je; ++q) {
          best = std::min(best, MatchFacts(x[p], y[q]));
          figure |= x[p].numeric() || y[q].numeric();
        }
      }
      if (best == FactMatch::kAgree) {
        ++c.agree;
        c.figure_agree += figure ? 1 : 0;
      }
      if (best == FactMatch::kHard) {
        ++c.conflict;
        c.figure_conflict += figure ? 1 : 0;
      }
      i = ie;
      j = je;
    }
  }
  return c;
}

}  // namespace samestory
