#include "samestory/lsh.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <unordered_set>
#include <utility>
#include <vector>


namespace samestory {
namespace {

LshBanding MustBanding(const LshOptions& options, int num_perm) {
  Result<LshBanding> r = LshBanding::Create(options, num_perm);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

LshOptions Explicit(int bands, int rows, uint64_t seed = 0) {
  LshOptions o;
  o.bands = bands;
  o.rows = rows;
  o.seed = seed;
  return o;
}

// The false-positive area of the contract: integral of P(s) over [0, t]. Composite Simpson with
// 4000 intervals: P is a polynomial of degree b * r <= 1024, smooth; the error is far below the
// 1e-4 relative tolerance the tests allow.
double FalsePositiveArea(double t, LshParams p) {
  constexpr int kIntervals = 4000;
  const double h = t / kIntervals;
  double sum = CandidateProbability(0.0, p) + CandidateProbability(t, p);
  for (int i = 1; i < kIntervals; ++i) sum += (i % 2 ? 4 : 2) * CandidateProbability(i * h, p);
  return sum * h / 3;
}

void ExpectSortedDistinct(const std::vector<CandidatePair>& pairs) {
  for (size_t i = 0; i < pairs.size(); ++i) {
    EXPECT_LT(pairs[i].a, pairs[i].b);
    if (i > 0) {
      EXPECT_TRUE(std::make_pair(pairs[i - 1].a, pairs[i - 1].b) <
                  std::make_pair(pairs[i].a, pairs[i].b))
          << "pairs " << i - 1 << " and " << i << " out of order or repeated";
    }
  }
}

// --- CandidateProbability ------------------------------------------------------------------------

TEST(LshTest, CandidateProbabilitySpotValues) {
  // Exact values (rational arithmetic, rounded to double).
  EXPECT_NEAR(CandidateProbability(0.5, {20, 5}), 0.47005071531687653, 1e-14);  // 1-(31/32)^20
  EXPECT_NEAR(CandidateProbability(0.8, {20, 5}), 0.9996439421094793, 1e-14);
  EXPECT_NEAR(CandidateProbability(0.8, {18, 6}), 0.9957976808045048, 1e-14);
  EXPECT_NEAR(CandidateProbability(0.3, {16, 8}), 0.0010492435974748208, 1e-15);
  EXPECT_NEAR(CandidateProbability(0.9, {16, 8}), 0.9998774538341496, 1e-14);
  EXPECT_DOUBLE_EQ(CandidateProbability(0.5, {2, 1}), 0.75);
  EXPECT_DOUBLE_EQ(CandidateProbability(0.5, {1, 2}), 0.25);
  for (double s : {0.0, 0.25, 0.6, 1.0}) EXPECT_DOUBLE_EQ(CandidateProbability(s, {1, 1}), s);
  for (LshParams p : {LshParams{20, 5}, LshParams{1, 128}, LshParams{128, 1}}) {
    EXPECT_EQ(CandidateProbability(0.0, p), 0.0);
    EXPECT_EQ(CandidateProbability(1.0, p), 1.0);
  }
  // Strictly increasing in s (below 0.9, where it has not yet rounded to 1.0 in double).
  double prev = -1;
  for (int i = 0; i <= 90; ++i) {
    const double p = CandidateProbability(i / 100.0, {20, 5});
    EXPECT_GT(p, prev);
    prev = p;
  }
}

// --- ChooseLshParams -----------------------------------------------------------------------------

// The contract: among ALL (b, r) with b * r <= num_perm and P(t) >= recall, the least
// false-positive area. Checked by brute force over every (b, r), not only b = num_perm / r.
void ExpectMinimumAreaChoice(double t, int num_perm, double recall) {
  Result<LshParams> chosen = ChooseLshParams(t, num_perm, recall);
  ASSERT_TRUE(chosen.ok()) << chosen.status().ToString();
  const LshParams c = chosen.value();
  EXPECT_GE(c.bands, 1);
  EXPECT_GE(c.rows, 1);
  EXPECT_LE(c.bands * c.rows, num_perm);
  EXPECT_GE(CandidateProbability(t, c), recall);
  LshParams best;
  double best_area = std::numeric_limits<double>::infinity();
  for (int r = 1; r <= num_perm; ++r) {
    for (int b = 1; b * r <= num_perm; ++b) {
      if (CandidateProbability(t, {b, r}) < recall) continue;
      const double area = FalsePositiveArea(t, {b, r});
      if (area < best_area) best = {b, r}, best_area = area;
    }
  }
  // 1e-4 relative: room for the library's own quadrature, far below the gap between neighbours
  // (about 2% between (18, 6) and (19, 6) at t = 0.8, K = 128).
  EXPECT_LE(FalsePositiveArea(t, c), best_area * (1 + 1e-4))
      << "t=" << t << " K=" << num_perm << " recall=" << recall << ": chose (b=" << c.bands
      << ", r=" << c.rows << ") with area " << FalsePositiveArea(t, c) << ", but (b=" << best.bands
      << ", r=" << best.rows << ") reaches the recall with area " << best_area;
}

TEST(LshTest, ChooseLshParamsDefaultIsMinimumFalsePositiveArea) {
  ExpectMinimumAreaChoice(0.8, 128, 0.995);
}

TEST(LshTest, ChooseLshParamsMinimumAreaAcrossSettings) {
  for (double t : {0.5, 0.7, 0.9}) {
    for (int k : {64, 256}) ExpectMinimumAreaChoice(t, k, 0.995);
  }
  ExpectMinimumAreaChoice(0.8, 128, 0.9);
  ExpectMinimumAreaChoice(1.0, 8, 0.995);
}

TEST(LshTest, ChooseLshParamsErrors) {
  for (double t : {0.0, 1.5, -0.2, std::nan("")}) {
    Result<LshParams> r = ChooseLshParams(t, 128, 0.995);
    ASSERT_FALSE(r.ok()) << t;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << t;
  }
  // Unreachable recall: with 8 values, the best at t = 0.1 is (8, 1): P = 1 - 0.9^8 = 0.57.
  Result<LshParams> r = ChooseLshParams(0.1, 8, 0.995);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(r.status().message().empty());
}

// --- LshOptions and LshBanding::Create -----------------------------------------------------------

TEST(LshTest, ValidateAcceptsDefaultsAndExplicitBanding) {
  EXPECT_TRUE(LshOptions{}.Validate(128).ok());
  EXPECT_TRUE(Explicit(16, 8).Validate(128).ok());
  EXPECT_TRUE(Explicit(10, 12).Validate(128).ok());  // b * r < num_perm: the tail is unused
  LshOptions t1;
  t1.threshold = 1.0;
  EXPECT_TRUE(t1.Validate(128).ok());
  EXPECT_EQ(MustBanding(Explicit(16, 8), 128).params().bands, 16);
  EXPECT_EQ(MustBanding(Explicit(16, 8), 128).params().rows, 8);
  // bands = rows = 0: chosen by ChooseLshParams.
  Result<LshParams> chosen = ChooseLshParams(0.8, 128, 0.995);
  ASSERT_TRUE(chosen.ok());
  const LshParams got = MustBanding(LshOptions{}, 128).params();
  EXPECT_EQ(got.bands, chosen->bands);
  EXPECT_EQ(got.rows, chosen->rows);
}

TEST(LshTest, ValidateAndCreateErrors) {
  std::vector<std::pair<const char*, LshOptions>> bad;
  for (double t : {0.0, 1.5, -1.0, std::nan("")}) {
    LshOptions o;
    o.threshold = t;
    bad.emplace_back("threshold", o);
  }
  for (double recall : {1.0, 0.0, 1.5, std::nan("")}) {
    LshOptions o;
    o.recall_at_threshold = recall;
    bad.emplace_back("recall_at_threshold", o);
  }
  bad.emplace_back("bands without rows", Explicit(16, 0));
  bad.emplace_back("rows without bands", Explicit(0, 8));
  bad.emplace_back("b * r > num_perm", Explicit(17, 8));
  bad.emplace_back("b * r > num_perm", Explicit(1, 129));
  bad.emplace_back("negative bands", Explicit(-16, -8));
  for (const auto& [what, o] : bad) {
    Status s = o.Validate(128);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << what;
    EXPECT_FALSE(s.message().empty()) << what;
    Result<LshBanding> r = LshBanding::Create(o, 128);
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << what;
  }
  // Valid options, but no banding of 8 values reaches 0.995 at t = 0.1.
  LshOptions low;
  low.threshold = 0.1;
  EXPECT_TRUE(low.Validate(8).ok());
  Result<LshBanding> r = LshBanding::Create(low, 8);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
}

// --- Candidates: exact behaviour on constructed signatures ---------------------------------------

TEST(LshTest, PairIsCandidateIffSomeBandAgreesEntirely) {
  constexpr int kNumPerm = 128;
  LshBanding banding = MustBanding(Explicit(10, 12), kNumPerm);  // uses values [0, 120)
  std::mt19937_64 rng(1);
  std::vector<uint32_t> a(kNumPerm);
  for (auto& v : a) v = static_cast<uint32_t>(rng());
  auto with_changes = [&](const std::vector<int>& positions) {
    std::vector<uint32_t> b = a;
    for (int p : positions) b[p] ^= 0x80000000u;
    return b;
  };
  auto candidates = [&](const std::vector<uint32_t>& b) {
    std::vector<uint32_t> sigs = a;
    sigs.insert(sigs.end(), b.begin(), b.end());
    return banding.CandidatesOfSignatures(sigs, 2, {true, true});
  };
  // One changed value in every band: no band agrees.
  std::vector<int> every_band;
  for (int band = 0; band < 10; ++band) every_band.push_back(band * 12 + band % 12);
  EXPECT_TRUE(candidates(with_changes(every_band)).empty());
  // Every band but one (each in turn): a candidate.
  for (int keep = 0; keep < 10; ++keep) {
    std::vector<int> changes;
    for (int band = 0; band < 10; ++band) {
      if (band != keep) changes.push_back(band * 12 + 11);
    }
    const auto pairs = candidates(with_changes(changes));
    ASSERT_EQ(pairs.size(), 1u) << "band " << keep;
    EXPECT_EQ(pairs[0], (CandidatePair{0, 1}));
  }
  // Differences only in the unused tail [120, 128): still identical bands.
  EXPECT_EQ(candidates(with_changes({120, 125, 127})).size(), 1u);
  // Everything changed but the tail: not a candidate.
  std::vector<int> all_used;
  for (int i = 0; i < 120; ++i) all_used.push_back(i);
  EXPECT_TRUE(candidates(with_changes(all_used)).empty());
}

TEST(LshTest, CandidatesSortedDistinctAndRespectEligible) {
  constexpr int kNumPerm = 64;
  constexpr size_t kCount = 12;
  LshBanding banding = MustBanding(Explicit(8, 8), kNumPerm);
  // Docs 0..5 share one signature, 6..11 another: every band matches within each half, so a
  // naive banding reports each pair 8 times.
  std::vector<uint32_t> sigs(kCount * kNumPerm);
  for (size_t d = 0; d < kCount; ++d) {
    for (int i = 0; i < kNumPerm; ++i) sigs[d * kNumPerm + i] = (d < 6 ? 1000 : 2000) + i;
  }
  std::vector<bool> all(kCount, true);
  std::vector<CandidatePair> pairs = banding.CandidatesOfSignatures(sigs, kCount, all);
  ExpectSortedDistinct(pairs);
  std::vector<CandidatePair> expected;
  for (uint32_t x = 0; x < kCount; ++x) {
    for (uint32_t y = x + 1; y < kCount; ++y) {
      if ((x < 6) == (y < 6)) expected.push_back({x, y});
    }
  }
  EXPECT_EQ(pairs, expected);
  for (int threads : {2, 3, 8}) {  // bands sorted in parallel: the same pairs
    EXPECT_EQ(banding.CandidatesOfSignatures(sigs, kCount, all, threads), expected) << threads << " threads";
  }

  std::vector<bool> eligible(kCount, true);
  for (size_t d : {0, 3, 7, 8, 9, 10, 11}) eligible[d] = false;
  pairs = banding.CandidatesOfSignatures(sigs, kCount, eligible);
  ExpectSortedDistinct(pairs);
  // Left: {1, 2, 4, 5} in one half, {6} alone in the other.
  EXPECT_EQ(pairs, (std::vector<CandidatePair>{{1, 2}, {1, 4}, {1, 5}, {2, 4}, {2, 5}, {4, 5}}));
  for (const CandidatePair& p : pairs) {
    EXPECT_TRUE(eligible[p.a]);
    EXPECT_TRUE(eligible[p.b]);
  }
  EXPECT_TRUE(banding.CandidatesOfSignatures(sigs, kCount, std::vector<bool>(kCount, false)).empty());
  EXPECT_TRUE(banding.CandidatesOfSignatures({}, 0, {}).empty());
}

// --- Statistical property: the S-curve -----------------------------------------------------------

// For s in {0.3, 0.5, 0.7, 0.8, 0.9}: 500 pairs of signatures of K = 128 values whose positions
// agree independently with probability s (the model of a MinHash sketch of sets of Jaccard
// similarity s), all in one call. The fraction of pairs (2i, 2i + 1) that are candidates must
// follow P(s) = 1 - (1 - s^r)^b within 3 binomial standard errors sqrt(P (1 - P) / 500) plus 0.01.
// Signatures of different pairs share no value and must never be candidates.
TEST(LshTest, CandidateRateFollowsTheSCurve) {
  constexpr int kNumPerm = 128;
  constexpr int kPairs = 500;
  const double kSimilarities[] = {0.3, 0.5, 0.7, 0.8, 0.9};
  std::mt19937_64 rng(0xC0FFEE);
  std::vector<uint32_t> sigs;  // (std::size(kSimilarities) * 2 * kPairs, kNumPerm)
  uint32_t next = 0;           // every value fresh unless shared within a pair
  for (double s : kSimilarities) {
    for (int i = 0; i < kPairs; ++i) {
      std::vector<uint32_t> a(kNumPerm), b(kNumPerm);
      for (int k = 0; k < kNumPerm; ++k) {
        a[k] = next++;
        b[k] = static_cast<double>(rng() % 1000000) / 1e6 < s ? a[k] : next++;
      }
      sigs.insert(sigs.end(), a.begin(), a.end());
      sigs.insert(sigs.end(), b.begin(), b.end());
    }
  }
  const size_t count = sigs.size() / kNumPerm;
  const std::vector<bool> eligible(count, true);
  LshOptions chosen;  // t = 0.8, recall 0.995: whatever ChooseLshParams picks
  for (const LshOptions& options :
       {Explicit(20, 5), Explicit(16, 8), Explicit(32, 4, 77), chosen}) {
    LshBanding banding = MustBanding(options, kNumPerm);
    const LshParams p = banding.params();
    const std::vector<CandidatePair> pairs = banding.CandidatesOfSignatures(sigs, count, eligible);
    ExpectSortedDistinct(pairs);
    std::vector<int> hits(std::size(kSimilarities), 0);
    size_t cross = 0;
    for (const CandidatePair& c : pairs) {
      if (c.a % 2 == 0 && c.b == c.a + 1) {
        ++hits[c.a / (2 * kPairs)];
      } else {
        ++cross;
      }
    }
    EXPECT_EQ(cross, 0u) << "b=" << p.bands << " r=" << p.rows;
    for (size_t i = 0; i < std::size(kSimilarities); ++i) {
      const double s = kSimilarities[i];
      const double expected = CandidateProbability(s, p);
      const double rate = static_cast<double>(hits[i]) / kPairs;
      const double tolerance = 3 * std::sqrt(expected * (1 - expected) / kPairs) + 0.01;
      EXPECT_NEAR(rate, expected, tolerance) << "b=" << p.bands << " r=" << p.rows << " s=" << s
                                             << " (" << hits[i] << "/" << kPairs << " candidates)";
    }
  }
}

TEST(LshTest, BandSeedDoesNotChangeCandidates) {
  // The seed only salts the band keys: candidates are the same (up to 32-bit key collisions).
  constexpr int kNumPerm = 64;
  std::mt19937_64 rng(5);
  constexpr size_t kCount = 200;
  std::vector<uint32_t> sigs(kCount * kNumPerm);
  // Values from a tiny alphabet so that many bands collide.
  for (auto& v : sigs) v = static_cast<uint32_t>(rng() % 2);
  const std::vector<bool> eligible(kCount, true);
  const auto p0 =
      MustBanding(Explicit(16, 4, 0), kNumPerm).CandidatesOfSignatures(sigs, kCount, eligible);
  const auto p1 =
      MustBanding(Explicit(16, 4, 12345), kNumPerm).CandidatesOfSignatures(sigs, kCount, eligible);
  EXPECT_FALSE(p0.empty());
  EXPECT_EQ(p0, p1);
  // And they are exactly the pairs that agree on some whole band.
  std::vector<CandidatePair> brute;
  for (uint32_t x = 0; x < kCount; ++x) {
    for (uint32_t y = x + 1; y < kCount; ++y) {
      for (int band = 0; band < 16; ++band) {
        if (std::equal(sigs.begin() + x * kNumPerm + band * 4,
                       sigs.begin() + x * kNumPerm + band * 4 + 4,
                       sigs.begin() + y * kNumPerm + band * 4)) {
          brute.push_back({x, y});
          break;
        }
      }
    }
  }
  EXPECT_EQ(p0, brute);
}


// Keys (count, bands) of row-major signatures, and the identity order.
std::vector<uint32_t> KeysOf(const LshBanding& banding, const std::vector<uint32_t>& sigs,
                             int num_perm) {
  const size_t count = sigs.size() / static_cast<size_t>(num_perm);
  const size_t bands = static_cast<size_t>(banding.params().bands);
  std::vector<uint32_t> keys(count * bands);
  for (size_t d = 0; d < count; ++d) {
    banding.BandKeys(std::span<const uint32_t>(sigs).subspan(d * num_perm, num_perm),
                     keys.data() + d * bands);
  }
  return keys;
}

std::vector<uint32_t> Identity(size_t count) {
  std::vector<uint32_t> order(count);
  for (uint32_t d = 0; d < count; ++d) order[d] = d;
  return order;
}

TEST(LshBandingTest, ExternalSortOfBandKeysGivesTheSamePairs) {
  // 6,000 signatures in 300 groups of 20 identical ones plus noise: every band has more keys than
  // a run holds, so each band is sorted in runs on disk and merged.
  constexpr size_t kCount = 6000;
  constexpr int kNumPerm = 128;
  LshBanding banding = MustBanding(LshOptions{}, kNumPerm);
  std::mt19937_64 rng(5);
  std::vector<uint32_t> sigs(kCount * kNumPerm);
  for (size_t d = 0; d < kCount; ++d) {
    for (int i = 0; i < kNumPerm; ++i) {
      // Two thirds of the documents share their group's values in the first half of the bands.
      const bool shared = d % 3 != 0 && i < kNumPerm / 2;
      sigs[d * kNumPerm + i] = shared ? static_cast<uint32_t>((d % 300) * 1000 + i)
                                      : static_cast<uint32_t>(rng());
    }
  }
  std::vector<bool> eligible(kCount, true);
  eligible[7] = false;
  const std::vector<CandidatePair> in_memory =
      banding.CandidatesOfSignatures(sigs, kCount, eligible, 1);
  ASSERT_GT(in_memory.size(), 1000u);
  const std::vector<uint32_t> keys = KeysOf(banding, sigs, kNumPerm);
  for (int threads : {1, 2}) {
    for (size_t max_entries : {size_t{1}, size_t{2048}, size_t{5000}}) {
      auto external = banding.Candidates(keys, Identity(kCount), eligible, threads, max_entries);
      ASSERT_TRUE(external.ok()) << external.status().ToString();
      EXPECT_EQ(external.value(), in_memory) << threads << " threads, " << max_entries;
    }
  }
}

// Issue 14: a bucket of m documents gave m^2 / 2 pairs (8,000 identical articles ran out of
// memory). A bucket larger than bucket_window + 1 is joined in a window of its order: at most
// m x window pairs, which still chain every member to the next.
TEST(LshBandingTest, BigBucketsAreJoinedInAWindowNotAllPairs) {
  constexpr int kNumPerm = 16;
  LshOptions o = Explicit(4, 4);
  o.bucket_window = 8;
  LshBanding banding = MustBanding(o, kNumPerm);
  for (size_t m : {size_t{5}, size_t{9}, size_t{10}, size_t{2000}}) {
    std::vector<uint32_t> sigs(m * kNumPerm, 7);  // m identical signatures
    const std::vector<bool> eligible(m, true);
    const std::vector<uint32_t> keys = KeysOf(banding, sigs, kNumPerm);
    // The order: reversed, so the window follows it, not the index.
    std::vector<uint32_t> order(m);
    for (uint32_t d = 0; d < m; ++d) order[d] = static_cast<uint32_t>(m - 1 - d);
    auto found = banding.Candidates(keys, order, eligible, 2);
    ASSERT_TRUE(found.ok());
    const std::vector<CandidatePair>& pairs = found.value();
    ExpectSortedDistinct(pairs);
    if (m <= 9) {
      EXPECT_EQ(pairs.size(), m * (m - 1) / 2) << "a small bucket gives all pairs";
      continue;
    }
    // Each member with the next 8 in the order (by rank: m - 1 - d), so d with d - 1 .. d - 8.
    EXPECT_EQ(pairs.size(), (m - 8) * 8 + 8 * 7 / 2) << m;
    for (const CandidatePair& c : pairs) EXPECT_LE(c.b - c.a, 8u);
  }
}

TEST(LshBandingTest, ZeroKeysJoinNothingAndExtraColumnsJoin) {
  // Three documents, two key columns: document 0 and 1 share column 1; column 0 is 0 ("no key")
  // for all of them, which must not make them candidates.
  const std::vector<uint32_t> keys = {0, 5, 0, 5, 0, 6};
  LshBanding banding = MustBanding(Explicit(2, 1), 2);
  auto found = banding.Candidates(keys, Identity(3), {true, true, true}, 1);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found.value(), (std::vector<CandidatePair>{{0, 1}}));
}

}  // namespace
}  // namespace samestory
