// Random draws of the corpus generator: SplitMix64 streams keyed by (seed, purpose, indices), and
// integer-only draws from them (uniform below n, a range, a chance, a pick from a list). Every
// choice the generator makes comes from here, so its output is the same on every machine: no libm,
// no std:: distributions. Internal. An Rng is a small value; not shared between threads.
#ifndef SAMESTORY_GEN_RANDOM_H_
#define SAMESTORY_GEN_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <span>

namespace samestory::gen {

// 128-bit products: GCC and Clang have them on every 64-bit target.
__extension__ using Uint128 = unsigned __int128;

// SplitMix64's output function (Steele, Lea, Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014).
inline uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// What a random stream is for: streams of different purposes never share draws.
enum Stream : uint64_t {
  kEventStream = 1,
  kEntityStream,
  kReportStream,
  kCopyStream,
  kThreadStream,
  kRemapStream,
  kTemplateStream,  // whether an event is the template of templated articles, and of which kind
  kNoticeStream,    // a notice's template and outlet
  kFigureStream,    // a notice's figures and dates
  kTwinStream,      // what a templated article changes
  kSizeStream,      // kHeavyTailed: an event's reports, their copies and its date
  kSubEventStream,  // kHeavyTailed: whether an event is a sub-event, and of which big event
};

// The seed of the stream for `what` and up to three indices (event, report, copy, ...).
inline uint64_t StreamSeed(uint64_t seed, Stream what, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
  uint64_t h = Mix64(seed + 0x9E3779B97F4A7C15ULL);
  for (uint64_t x : {static_cast<uint64_t>(what), a, b, c}) h = Mix64(h ^ Mix64(x + 0x632BE5AB));
  return h;
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return Mix64(state_ += 0x9E3779B97F4A7C15ULL); }
  // Uniform in [0, n) by multiply-shift (Lemire 2019); the bias of at most n / 2^64 is the same
  // everywhere, which is what matters here. REQUIRES: n > 0.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<Uint128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  // True with probability p: a 53-bit draw compared with p, exact in IEEE arithmetic.
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }

 private:
  uint64_t state_;
};

// One item of a list, uniformly. REQUIRES: the list is not empty.
template <typename T>
const T& Pick(Rng& rng, std::span<const T> items) {
  return items[rng.Below(items.size())];
}
template <typename T, size_t N>
const T& Pick(Rng& rng, const T (&items)[N]) {
  return items[rng.Below(N)];
}

}  // namespace samestory::gen

#endif  // SAMESTORY_GEN_RANDOM_H_
