// Tests for the exact band join's pieces (src/cluster/band_join.h): best-k lists and the sgemm
// wrapper, against brute force on random data with fixed seeds, and for the band join itself
// through ClusterStories: its "Flat" graph matches FAISS's exhaustive index when every document
// within reach is a candidate, at any thread count.
#include "cluster/band_join.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <vector>

#include "samestory/cluster.h"
#include "samestory/tfidf.h"

namespace samestory::internal {
namespace {

std::vector<Scored> BestK(std::vector<Scored> all, size_t k) {
  std::sort(all.begin(), all.end(), Better);
  all.resize(std::min(k, all.size()));
  return all;
}

std::vector<Scored> Merge(std::vector<TopKLists>& lists, uint32_t slot, size_t k) {
  std::vector<Scored> merged;
  for (TopKLists& l : lists) l.Drain(slot, &merged);
  return BestK(merged, k);
}

bool Same(const std::vector<Scored>& a, const std::vector<Scored>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].score != b[i].score || a[i].pos != b[i].pos) return false;
  }
  return true;
}

// Offers in any order, split over any number of lists, give the best k of the whole set, ties
// broken by the smaller position; a drained list starts empty.
TEST(TopKListsTest, KeepsTheBestKWhateverTheOrderAndSplit) {
  std::mt19937_64 rng(3);
  for (size_t k : {1u, 5u, 40u}) {
    for (size_t n : {0u, 3u, 40u, 41u, 1000u}) {
      std::vector<Scored> offers;
      for (uint32_t p = 0; p < n; ++p) {
        // Scores on a coarse grid, so many tie.
        offers.push_back({static_cast<float>(rng() % 50) / 50.0f - 0.3f, p});
      }
      const std::vector<Scored> expected = BestK(offers, k);
      for (size_t split : {1u, 2u, 3u}) {
        std::shuffle(offers.begin(), offers.end(), rng);
        std::vector<TopKLists> lists(split, TopKLists(static_cast<int>(k)));
        for (TopKLists& l : lists) l.Resize(4);
        for (size_t i = 0; i < offers.size(); ++i) {
          lists[i % split].Offer(2, offers[i].score, offers[i].pos);
        }
        EXPECT_TRUE(Same(Merge(lists, 2, k), expected)) << "k " << k << " n " << n << " split " << split;
        EXPECT_TRUE(Merge(lists, 2, k).empty()) << "drained lists are empty";
        EXPECT_TRUE(Merge(lists, 1, k).empty()) << "other slots untouched";
      }
    }
  }
}

// The integer keys order as Better does, negative scores and -0 included, and decode back.
TEST(TopKListsTest, KeysOrderAsBetter) {
  const std::vector<float> scores = {-1.5f, -0.25f, -0.0f, 0.0f, 1e-30f, 0.3f, 0.3f, 1.0f, 2.0f};
  std::vector<Scored> all;
  for (uint32_t p = 0; p < 3; ++p) {
    for (float s : scores) all.push_back({s, p * 7});
  }
  for (const Scored& a : all) {
    const Scored back = FromKey(ScoredKey(a.score, a.pos));
    EXPECT_EQ(back.score, a.score);
    EXPECT_EQ(back.pos, a.pos);
    for (const Scored& b : all) {
      EXPECT_EQ(Better(a, b), ScoredKey(a.score, a.pos) > ScoredKey(b.score, b.pos))
          << a.score << "@" << a.pos << " vs " << b.score << "@" << b.pos;
    }
  }
}

// The selection keeps the k largest keys, repeated keys included, for every k.
TEST(TopKListsTest, SelectLargestMatchesSorting) {
  std::mt19937_64 rng(5);
  for (size_t n : {1u, 2u, 7u, 80u, 300u}) {
    for (uint64_t range : {3u, 1000000u}) {
      std::vector<uint64_t> keys(n);
      for (uint64_t& key : keys) key = rng() % range;
      std::vector<uint64_t> sorted = keys;
      std::sort(sorted.begin(), sorted.end(), std::greater<>());
      std::vector<uint64_t> scratch(2 * n);
      for (size_t k = 1; k <= n; ++k) {
        std::vector<uint64_t> a = keys;
        std::shuffle(a.begin(), a.end(), rng);
        SelectLargest(a.data(), n, k, scratch.data());
        EXPECT_EQ(a[k - 1], sorted[k - 1]) << "n " << n << " k " << k;
        std::sort(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(k), std::greater<>());
        EXPECT_TRUE(std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(k), sorted.begin()))
            << "n " << n << " k " << k;
      }
    }
  }
}

// A tile of offers given row by row through OfferRow (whose column floors are snapshots) fills
// the same lists as offering each pair to both sides one at a time.
TEST(TopKListsTest, OfferRowMatchesPairByPairOffers) {
  std::mt19937_64 rng(7);
  const size_t rows = 37, cols = 53, k = 4;
  std::vector<float> scores(rows * cols);
  for (float& v : scores) v = static_cast<float>(rng() % 200) / 100.0f - 1.0f;  // many ties
  std::vector<uint32_t> col_slots(cols);
  for (uint32_t c = 0; c < cols; ++c) col_slots[c] = rows + c;
  TopKLists by_row(static_cast<int>(k)), by_pair(static_cast<int>(k));
  by_row.Resize(rows + cols);
  by_pair.Resize(rows + cols);
  std::vector<float> col_floor(cols);
  for (size_t c = 0; c < cols; ++c) col_floor[c] = by_row.floor(col_slots[c]);
  for (uint32_t r = 0; r < rows; ++r) {
    const size_t c0 = r % 5, c1 = cols - r % 3;  // ragged ranges, as date reach makes them
    by_row.OfferRow(scores.data() + r * cols, c0, c1, r, 1000 + r, col_slots.data(), 2000,
                    col_floor.data());
    for (size_t c = c0; c < c1; ++c) {
      by_pair.Offer(r, scores[r * cols + c], 2000 + static_cast<uint32_t>(c));
      by_pair.Offer(col_slots[c], scores[r * cols + c], 1000 + r);
    }
  }
  for (uint32_t slot = 0; slot < rows + cols; ++slot) {
    std::vector<TopKLists> one_row(1, by_row), one_pair(1, by_pair);
    const std::vector<Scored> got = Merge(one_row, slot, k), want = Merge(one_pair, slot, k);
    EXPECT_FALSE(want.empty());
    EXPECT_TRUE(Same(got, want)) << "slot " << slot;
  }
}

TEST(TopKListsTest, FloorRisesOnceFullAndResizeKeepsLists) {
  TopKLists l(2);
  l.Resize(1);
  EXPECT_EQ(l.floor(0), std::numeric_limits<float>::lowest());
  for (uint32_t p = 0; p < 4; ++p) l.Offer(0, 0.1f * static_cast<float>(p + 1), p);
  EXPECT_FLOAT_EQ(l.floor(0), 0.3f) << "a full buffer keeps the best 2: 0.4 and 0.3";
  l.Resize(10);
  std::vector<Scored> out;
  l.Drain(0, &out);
  EXPECT_TRUE(Same(BestK(out, 2), {{0.4f, 3}, {0.3f, 2}}));
}

TEST(InnerProductsTest, MatchesNaiveProducts) {
  std::mt19937_64 rng(8);
  std::normal_distribution<float> g;
  for (auto [na, nb, dim] : {std::tuple{1, 1, 16}, std::tuple{7, 13, 32}, std::tuple{64, 5, 256}}) {
    std::vector<float> a(static_cast<size_t>(na * dim)), b(static_cast<size_t>(nb * dim));
    for (float& x : a) x = g(rng);
    for (float& x : b) x = g(rng);
    std::vector<float> s(static_cast<size_t>(na * nb));
    InnerProducts(a.data(), static_cast<size_t>(na), b.data(), static_cast<size_t>(nb), dim, s.data());
    for (int i = 0; i < na; ++i) {
      for (int j = 0; j < nb; ++j) {
        double dot = 0;
        for (int d = 0; d < dim; ++d) dot += static_cast<double>(a[i * dim + d]) * b[j * dim + d];
        EXPECT_NEAR(s[static_cast<size_t>(i * nb + j)], dot, 1e-3 * (1 + std::abs(dot)))
            << i << "," << j;
      }
    }
  }
}

}  // namespace
}  // namespace samestory::internal

namespace samestory {
namespace {

// With as many candidates as documents, both searches are exhaustive: the band join ("Flat",
// each pair within reach once) and FAISS's inverted file with one list ("IVF1,Flat", every pair)
// must give the same graph, so the same labels and edge count, at 1 and 2 threads. The dated
// documents span three tiles and more than the reach, and a few undated ones pair with all.
TEST(BandJoinTest, FlatMatchesFaissExhaustiveSearch) {
  std::mt19937_64 rng(21);
  std::vector<SparseVector> vectors;
  std::vector<std::optional<UnixSeconds>> dates;
  constexpr uint32_t kTopics = 450;
  for (uint32_t i = 0; i < 1500; ++i) {
    const uint32_t topic = static_cast<uint32_t>(rng() % kTopics);
    std::map<uint32_t, double> terms{{topic, 1.0},
                                     {kTopics + static_cast<uint32_t>(rng() % 5000), 0.6},
                                     {kTopics + static_cast<uint32_t>(rng() % 5000), 0.5}};
    double norm = 0;
    for (const auto& [id, w] : terms) norm += w * w;
    SparseVector v;
    for (const auto& [id, w] : terms) {
      v.ids.push_back(id);
      v.weights.push_back(static_cast<float>(w / std::sqrt(norm)));
    }
    vectors.push_back(v);
    if (i % 100 == 7) {
      dates.push_back(std::nullopt);
    } else {
      dates.push_back(1772323200 + static_cast<UnixSeconds>(topic % 30) * 86400 +
                      static_cast<UnixSeconds>(rng() % 86400));
    }
  }
  ClusterOptions o;
  o.dim = 64;
  o.knn = 5;
  o.candidates = 1500;
  o.threshold = 0.2;
  for (int threads : {1, 2}) {
    o.threads = threads;
    o.index = "Flat";
    ClusterStats band_stats, faiss_stats;
    auto band = ClusterStories(vectors, dates, o, &band_stats);
    o.index = "IVF1,Flat";  // one inverted list, probed: exhaustive, through FAISS
    auto faiss = ClusterStories(vectors, dates, o, &faiss_stats);
    ASSERT_TRUE(band.ok()) << band.status().ToString();
    ASSERT_TRUE(faiss.ok()) << faiss.status().ToString();
    EXPECT_EQ(band.value(), faiss.value()) << threads << " threads";
    EXPECT_EQ(band_stats.edges, faiss_stats.edges) << threads << " threads";
    EXPECT_GT(band_stats.clusters, 50u) << "the topics group";
  }
}

}  // namespace
}  // namespace samestory
