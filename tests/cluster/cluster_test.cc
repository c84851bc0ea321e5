// Tests for story clustering (include/samestory/cluster.h, src/cluster/cluster.cc and
// knn_graph.cc, the FAISS wrapper src/cluster/knn_index.cc), on synthetic sparse vectors built
// here with fixed seeds.
//
// 1. Planted groups: 10 groups x 8 near-parallel documents (a group topic vector plus small noise)
//    mixed with 20 unrelated documents, in a shuffled order, are recovered exactly; labels are the
//    smallest index of each cluster.
// 2. Average linkage invariants on random overlapping vectors (knn >= n, so every pair is scored):
//    inside every cluster the mean pairwise similarity is >= threshold, and between any two
//    clusters the mean cross similarity (missing pairs 0) is < threshold.
// 3. No chaining: a path whose neighbours have cosine 0.5 and whose ends are orthogonal.
// 4. Date damping: identical vectors far apart in time are not merged, close ones are.
// 5. Determinism: threads 1 vs 2, "Flat" vs "HNSW32", projection seeds; an HNSW index on a set
//    where it is approximate gives the same labels at 1 and 2 threads.
// 6. Error paths: every Validate error, mismatched dates, a bad FAISS factory string; empty input.
// Thresholds here are chosen for the synthetic data, never the library's defaults.
#include "samestory/cluster.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "samestory/status.h"
#include "samestory/tfidf.h"

namespace samestory {
namespace {

using Dates = std::vector<std::optional<UnixSeconds>>;
constexpr UnixSeconds kDay = 86400;
constexpr UnixSeconds kT0 = 1772323200;  // 2026-03-01T00:00:00Z

// A sparse vector from id -> weight, L2-normalized.
SparseVector FromMap(const std::map<uint32_t, double>& terms) {
  double norm = 0;
  for (const auto& [id, w] : terms) norm += w * w;
  norm = std::sqrt(norm);
  SparseVector v;
  for (const auto& [id, w] : terms) {
    v.ids.push_back(id);
    v.weights.push_back(static_cast<float>(w / norm));
  }
  return v;
}

std::vector<uint32_t> MustCluster(const std::vector<SparseVector>& vectors, const Dates& dates,
                                  const ClusterOptions& options, ClusterStats* stats = nullptr) {
  Result<std::vector<uint32_t>> r = ClusterStories(vectors, dates, options, stats);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return {};
  EXPECT_EQ(r->size(), vectors.size());
  return std::move(r).value();
}

std::vector<uint32_t> MustCluster(const std::vector<SparseVector>& vectors,
                                  const ClusterOptions& options, ClusterStats* stats = nullptr) {
  return MustCluster(vectors, Dates(vectors.size()), options, stats);
}

// Every label is the smallest index of its cluster.
void ExpectSmallestIndexLabels(const std::vector<uint32_t>& labels) {
  std::map<uint32_t, uint32_t> smallest;  // label -> smallest member
  for (uint32_t i = 0; i < labels.size(); ++i) {
    ASSERT_LT(labels[i], labels.size());
    auto [it, inserted] = smallest.emplace(labels[i], i);
    if (!inserted) it->second = std::min(it->second, i);
  }
  for (const auto& [label, first] : smallest) {
    EXPECT_EQ(label, first) << "cluster labelled " << label << " has smaller member " << first;
  }
}

// Planted data: `groups` groups of `per_group` documents, then `singletons` unrelated documents,
// shuffled. Group g's topic is 20 terms of its own (ids 20g..20g+19) with fixed weights in
// [0.5, 1.5]; each document perturbs every topic weight by N(0, 0.1) and adds 3 noise terms of
// weight 0.15 from a shared pool (ids 10000..10499). A singleton has 15 terms of its own
// (ids from 5000). `truth[i]` is the smallest index of document i's planted cluster.
struct Planted {
  std::vector<SparseVector> vectors;
  std::vector<uint32_t> truth;
};

Planted MakePlanted(int groups, int per_group, int singletons, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> topic_weight(0.5, 1.5);
  std::normal_distribution<double> noise(0.0, 0.1);
  std::vector<std::map<uint32_t, double>> docs;
  std::vector<int> group_of;
  for (int g = 0; g < groups; ++g) {
    std::vector<double> topic(20);
    for (double& w : topic) w = topic_weight(rng);
    for (int d = 0; d < per_group; ++d) {
      std::map<uint32_t, double> doc;
      for (int t = 0; t < 20; ++t) {
        doc[static_cast<uint32_t>(20 * g + t)] = std::max(0.05, topic[t] + noise(rng));
      }
      for (int k = 0; k < 3; ++k) doc[10000 + static_cast<uint32_t>(rng() % 500)] = 0.15;
      docs.push_back(std::move(doc));
      group_of.push_back(g);
    }
  }
  for (int s = 0; s < singletons; ++s) {
    std::map<uint32_t, double> doc;
    for (int t = 0; t < 15; ++t) doc[static_cast<uint32_t>(5000 + 15 * s + t)] = topic_weight(rng);
    docs.push_back(std::move(doc));
    group_of.push_back(groups + s);
  }
  std::vector<size_t> order(docs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  Planted p;
  std::map<int, uint32_t> first_of_group;
  for (size_t i = 0; i < order.size(); ++i) {
    p.vectors.push_back(FromMap(docs[order[i]]));
    first_of_group.emplace(group_of[order[i]], static_cast<uint32_t>(i));  // first = smallest
    p.truth.push_back(first_of_group.at(group_of[order[i]]));
  }
  return p;
}

// The options of these tests: a threshold chosen for the data, and a kNN graph wide enough to
// hold every similar pair of the small synthetic sets (so that planted groups are complete
// subgraphs and the expected answers do not depend on the default graph sparsity).
ClusterOptions Options(double threshold) {
  ClusterOptions o;
  o.threshold = threshold;
  o.knn = 30;
  o.candidates = 60;
  o.threads = 2;
  return o;
}

// Every pair with similarity > 0 is an edge: knn and candidates cover all n documents.
ClusterOptions CompleteGraph(double threshold) {
  ClusterOptions o = Options(threshold);
  o.knn = 200;
  o.candidates = 200;
  o.edge_floor = 0;
  return o;
}

// ------------------------------------------------------------------------------------------------
// 1. Planted groups

TEST(ClusterStoriesTest, PlantedGroupsRecoveredExactly) {
  const Planted p = MakePlanted(10, 8, 20, 20260301);
  // The setup is what the test claims: groups tight, everything else far apart.
  double min_within = 1, max_across = 0;
  for (size_t i = 0; i < p.vectors.size(); ++i) {
    for (size_t j = i + 1; j < p.vectors.size(); ++j) {
      const double s = SparseDot(p.vectors[i], p.vectors[j]);
      if (p.truth[i] == p.truth[j]) {
        min_within = std::min(min_within, s);
      } else {
        max_across = std::max(max_across, s);
      }
    }
  }
  ASSERT_GT(min_within, 0.8);
  ASSERT_LT(max_across, 0.1);

  ClusterStats stats;
  const std::vector<uint32_t> labels = MustCluster(p.vectors, Options(0.5), &stats);
  EXPECT_EQ(labels, p.truth);
  ExpectSmallestIndexLabels(labels);
  EXPECT_EQ(stats.clusters, 10u);
  EXPECT_EQ(stats.index, "exact (all pairs)");  // the documented default up to 1,024 documents
  EXPECT_GE(stats.edges, 10u * 8 * 7 / 2) << "every within-group pair is a candidate edge";
  // The FAISS path finds the same groups.
  ClusterOptions flat = Options(0.5);
  flat.index = "Flat";
  ClusterStats flat_stats;
  EXPECT_EQ(MustCluster(p.vectors, flat, &flat_stats), p.truth);
  EXPECT_EQ(flat_stats.index, "Flat");
  // The same groups at a lower and a higher threshold between the two similarity levels.
  EXPECT_EQ(MustCluster(p.vectors, Options(0.3)), p.truth);
  EXPECT_EQ(MustCluster(p.vectors, Options(0.75)), p.truth);
}

TEST(ClusterStoriesTest, UnrelatedDocumentsStaySingletons) {
  const Planted p = MakePlanted(0, 0, 40, 11);
  ClusterStats stats;
  const std::vector<uint32_t> labels = MustCluster(p.vectors, Options(0.05), &stats);
  for (uint32_t i = 0; i < labels.size(); ++i) EXPECT_EQ(labels[i], i);
  EXPECT_EQ(stats.clusters, 0u);
  EXPECT_EQ(stats.edges, 0u) << "orthogonal pairs have similarity 0 and are no edges";
}

TEST(ClusterStoriesTest, EmptyVectorsStaySingletons) {
  // Articles whose every term was pruned (max_df) have empty vectors: no similarity to anything.
  std::vector<SparseVector> vectors(5);
  vectors.push_back(FromMap({{1, 1.0}, {2, 1.0}}));
  vectors.push_back(FromMap({{1, 1.0}, {2, 1.0}}));
  const std::vector<uint32_t> labels = MustCluster(vectors, Options(0.5));
  EXPECT_EQ(labels, (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 5}));
}

TEST(ClusterStoriesTest, SingleDocument) {
  EXPECT_EQ(MustCluster({FromMap({{3, 1.0}})}, Options(0.5)), std::vector<uint32_t>{0});
}

// ------------------------------------------------------------------------------------------------
// 2. Average linkage invariants

// Random documents over a small vocabulary with local overlap: document terms are drawn near a
// random centre of a 60-term ring, so similarities take many values in (0, 1).
std::vector<SparseVector> RandomOverlapping(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> weight(0.2, 1.0);
  std::vector<SparseVector> out;
  for (int i = 0; i < n; ++i) {
    const int centre = static_cast<int>(rng() % 60);
    std::map<uint32_t, double> doc;
    for (int k = 0; k < 6; ++k) {
      const int offset = static_cast<int>(rng() % 9) - 4;
      doc[static_cast<uint32_t>((centre + offset + 60) % 60)] += weight(rng);
    }
    out.push_back(FromMap(doc));
  }
  return out;
}

TEST(ClusterStoriesTest, AverageLinkageInvariants) {
  int clusters_seen = 0;
  for (uint64_t seed : {1, 2, 3}) {
    const std::vector<SparseVector> v = RandomOverlapping(70, seed);
    const size_t n = v.size();
    for (double threshold : {0.25, 0.4, 0.6}) {
      // Every pair is an edge, so the check below over all pairs is exact.
      const std::vector<uint32_t> labels = MustCluster(v, CompleteGraph(threshold));
      ASSERT_EQ(labels.size(), n);
      ExpectSmallestIndexLabels(labels);
      std::map<uint32_t, std::vector<uint32_t>> members;
      for (uint32_t i = 0; i < n; ++i) members[labels[i]].push_back(i);
      for (const auto& [label, m] : members) {
        if (m.size() < 2) continue;
        ++clusters_seen;
        double sum = 0;
        for (size_t a = 0; a < m.size(); ++a) {
          for (size_t b = a + 1; b < m.size(); ++b) sum += SparseDot(v[m[a]], v[m[b]]);
        }
        const double mean = sum / (static_cast<double>(m.size()) * (m.size() - 1) / 2);
        EXPECT_GE(mean, threshold - 1e-6)
            << "seed " << seed << " threshold " << threshold << ": cluster " << label << " of "
            << m.size() << " has mean internal similarity " << mean;
      }
      for (auto a = members.begin(); a != members.end(); ++a) {
        for (auto b = std::next(a); b != members.end(); ++b) {
          double sum = 0;
          for (uint32_t x : a->second) {
            for (uint32_t y : b->second) sum += SparseDot(v[x], v[y]);
          }
          const double mean = sum / (static_cast<double>(a->second.size()) * b->second.size());
          EXPECT_LT(mean, threshold + 1e-6)
              << "seed " << seed << " threshold " << threshold << ": clusters " << a->first
              << " and " << b->first << " have mean cross similarity " << mean
              << " but were not merged";
        }
      }
    }
  }
  EXPECT_GT(clusters_seen, 20) << "the random data should produce real clusters";
}

// ------------------------------------------------------------------------------------------------
// 3. No chaining

TEST(ClusterStoriesTest, NoChainingAlongAPath) {
  // Document i = (e_i + e_{i+1}) / sqrt(2): cos(i, i+1) = 0.5, all other pairs 0. Single linkage
  // at 0.4 would chain all 12 into one story; average linkage may join only two neighbours (a run
  // of three has mean similarity (0.5 + 0.5 + 0) / 3 = 0.33 < 0.4).
  constexpr uint32_t kN = 12;
  std::vector<SparseVector> v;
  for (uint32_t i = 0; i < kN; ++i) v.push_back(FromMap({{i, 1.0}, {i + 1, 1.0}}));
  ASSERT_NEAR(SparseDot(v[0], v[1]), 0.5, 1e-6);
  ASSERT_EQ(SparseDot(v[0], v[2]), 0.0);
  ClusterStats stats;
  const std::vector<uint32_t> labels = MustCluster(v, Options(0.4), &stats);
  ASSERT_EQ(labels.size(), kN);
  ExpectSmallestIndexLabels(labels);
  EXPECT_NE(labels[0], labels[kN - 1]) << "the ends of the path were chained together";
  std::map<uint32_t, std::vector<uint32_t>> members;
  for (uint32_t i = 0; i < kN; ++i) members[labels[i]].push_back(i);
  for (const auto& [label, m] : members) {
    EXPECT_LE(m.size(), 2u) << "cluster " << label << " has " << m.size() << " members";
    if (m.size() == 2) {
      EXPECT_EQ(m[1], m[0] + 1) << "a pair that is not path neighbours";
    }
  }
  // Maximal: two neighbouring singletons (similarity 0.5 >= 0.4) would have merged.
  for (uint32_t i = 0; i + 1 < kN; ++i) {
    const bool single_i = members.at(labels[i]).size() == 1;
    const bool single_next = members.at(labels[i + 1]).size() == 1;
    EXPECT_FALSE(single_i && single_next) << "neighbours " << i << " and " << i + 1 << " unmerged";
  }
  EXPECT_GE(stats.clusters, kN / 2 - 1);

  // At 0.3 runs of three are allowed (mean 0.33), runs of four are not (mean 1.5 / 6 = 0.25).
  const std::vector<uint32_t> looser = MustCluster(v, Options(0.3));
  std::map<uint32_t, size_t> size;
  for (uint32_t l : looser) ++size[l];
  for (const auto& [label, s] : size) EXPECT_LE(s, 3u) << "cluster " << label;
  EXPECT_NE(looser[0], looser[kN - 1]);
}

TEST(ClusterStoriesTest, LargestComponentCountsTheGraphNotTheStories) {
  // A path of 9 documents (cos(i, i+1) = 0.5, as above), a separate pair and 3 orthogonal
  // singletons: stories of at most two, but the path is one connected component of the graph.
  std::vector<SparseVector> v;
  for (uint32_t i = 0; i < 9; ++i) v.push_back(FromMap({{i, 1.0}, {i + 1, 1.0}}));
  v.push_back(FromMap({{100, 1.0}, {101, 1.0}}));
  v.push_back(FromMap({{100, 1.0}, {101, 1.0}, {102, 1.0}}));
  for (uint32_t i = 0; i < 3; ++i) v.push_back(FromMap({{200 + i, 1.0}}));
  ClusterStats stats;
  const std::vector<uint32_t> labels = MustCluster(v, Options(0.4), &stats);
  ASSERT_EQ(labels.size(), v.size());
  EXPECT_EQ(labels[9], labels[10]) << "the separate pair is one story";
  EXPECT_NE(labels[0], labels[8]) << "the path is not";
  EXPECT_EQ(stats.edges, 8u + 1u);
  EXPECT_EQ(stats.largest_component, 9u);
  EXPECT_EQ(stats.documents, v.size());
  // The same through the band join (an index), and no edges, no component beyond one document.
  ClusterOptions flat = Options(0.4);
  flat.index = "Flat";
  ClusterStats flat_stats;
  MustCluster(v, flat, &flat_stats);
  EXPECT_EQ(flat_stats.largest_component, 9u);
  ClusterStats none;
  MustCluster(std::vector<SparseVector>(v.end() - 3, v.end()), Options(0.4), &none);
  EXPECT_EQ(none.edges, 0u);
  EXPECT_EQ(none.largest_component, 1u);
}

TEST(ClusterStoriesTest, NoChainingThroughABridgeDocument) {
  // Two tight groups A and B (4 identical documents each) and a bridge document half A, half B
  // (cos 0.71 with every member of both). Single linkage would join everything; average linkage
  // must keep A and B apart (their cross similarity is 0).
  std::vector<SparseVector> v;
  for (int i = 0; i < 4; ++i) v.push_back(FromMap({{1, 1.0}, {2, 1.0}}));
  v.push_back(FromMap({{1, 1.0}, {2, 1.0}, {3, 1.0}, {4, 1.0}}));  // the bridge, index 4
  for (int i = 0; i < 4; ++i) v.push_back(FromMap({{3, 1.0}, {4, 1.0}}));
  const std::vector<uint32_t> labels = MustCluster(v, Options(0.5));
  for (int i = 1; i < 4; ++i) EXPECT_EQ(labels[i], labels[0]);
  for (int i = 6; i < 9; ++i) EXPECT_EQ(labels[i], labels[5]);
  EXPECT_NE(labels[0], labels[5]) << "two unrelated groups chained through one bridge document";
}

// ------------------------------------------------------------------------------------------------
// 4. Date damping

TEST(ClusterStoriesTest, DistantDatesAreDamped) {
  const SparseVector doc = FromMap({{1, 1.0}, {2, 2.0}, {3, 0.5}});
  const std::vector<SparseVector> v = {doc, doc};
  ClusterOptions o = Options(0.5);
  o.window_days = 7;
  const std::vector<uint32_t> apart = {0, 1}, together = {0, 0};
  EXPECT_EQ(MustCluster(v, Dates{kT0, kT0 + 60 * kDay}, o), apart) << "60 days apart";
  EXPECT_EQ(MustCluster(v, Dates{kT0 + 60 * kDay, kT0}, o), apart) << "either order";
  EXPECT_EQ(MustCluster(v, Dates{kT0, kT0 + 2 * kDay}, o), together) << "2 days apart";
  EXPECT_EQ(MustCluster(v, Dates{kT0, kT0}, o), together) << "same time";
  // Damping needs both dates.
  EXPECT_EQ(MustCluster(v, Dates{kT0, std::nullopt}, o), together);
  EXPECT_EQ(MustCluster(v, Dates{std::nullopt, kT0 + 60 * kDay}, o), together);
  EXPECT_EQ(MustCluster(v, Dates{std::nullopt, std::nullopt}, o), together);
  // A much wider window keeps 60 days together.
  o.window_days = 900;
  EXPECT_EQ(MustCluster(v, Dates{kT0, kT0 + 60 * kDay}, o), together);
}

TEST(ClusterStoriesTest, DateDampingFollowsItsFormula) {
  // include/samestory/cluster.h: similarity * exp(-max(0, gap - date_slack_days) / window_days).
  // Identical vectors (similarity 1): merged at a threshold just under the damped similarity,
  // not at one just over it.
  const SparseVector doc = FromMap({{1, 1.0}, {2, 2.0}, {3, 0.5}});
  const std::vector<SparseVector> v = {doc, doc};
  struct Case {
    double gap_days, slack_days, window_days;
  };
  for (const Case& c : {Case{10, 0, 7}, Case{10, 3, 7}, Case{4, 1, 3}, Case{2.5, 1, 3},
                        Case{30, 20, 10}}) {
    const double damped = std::exp(-std::max(0.0, c.gap_days - c.slack_days) / c.window_days);
    ASSERT_GT(damped, 0.15);
    ASSERT_LT(damped, 0.95);
    const Dates dates{kT0, kT0 + static_cast<UnixSeconds>(c.gap_days * kDay)};
    for (double delta : {-0.03, 0.03}) {
      ClusterOptions o = Options(damped + delta);
      o.edge_floor = 0;
      o.window_days = c.window_days;
      o.date_slack_days = c.slack_days;
      const std::vector<uint32_t> want = delta < 0 ? std::vector<uint32_t>{0, 0}
                                                   : std::vector<uint32_t>{0, 1};
      EXPECT_EQ(MustCluster(v, dates, o), want)
          << "gap " << c.gap_days << " slack " << c.slack_days << " window " << c.window_days
          << ": damped similarity " << damped << ", threshold " << damped + delta;
    }
  }
  // Gaps within the slack are not damped at all.
  ClusterOptions o = Options(0.99);
  o.date_slack_days = 5;
  EXPECT_EQ(MustCluster(v, Dates{kT0, kT0 + 4 * kDay}, o), (std::vector<uint32_t>{0, 0}));
}

TEST(ClusterStoriesTest, DatesSplitAPlantedGroup) {
  // One planted group of 8 dated in two bursts 90 days apart becomes two stories.
  const Planted p = MakePlanted(1, 8, 0, 5);
  Dates dates;
  for (size_t i = 0; i < p.vectors.size(); ++i) {
    dates.push_back(kT0 + (i % 2 == 0 ? 0 : 90 * kDay) + static_cast<UnixSeconds>(i) * 3600);
  }
  const std::vector<uint32_t> labels = MustCluster(p.vectors, dates, Options(0.5));
  for (uint32_t i = 0; i < labels.size(); ++i) EXPECT_EQ(labels[i], i % 2) << i;
}

// ------------------------------------------------------------------------------------------------
// 5. Determinism

TEST(ClusterStoriesTest, SameLabelsAcrossThreadsIndexesAndSeeds) {
  const Planted p = MakePlanted(6, 6, 10, 99);
  ClusterOptions o = Options(0.5);
  o.threads = 1;
  const std::vector<uint32_t> reference = MustCluster(p.vectors, o);
  EXPECT_EQ(reference, p.truth) << "the reference must itself be right";
  o.threads = 2;
  EXPECT_EQ(MustCluster(p.vectors, o), reference) << "threads 2";
  for (const char* index : {"Flat", "HNSW32"}) {
    for (int threads : {1, 2}) {
      ClusterOptions x = Options(0.5);
      x.index = index;
      x.threads = threads;
      ClusterStats stats;
      EXPECT_EQ(MustCluster(p.vectors, x, &stats), reference)
          << "index " << index << " threads " << threads;
      EXPECT_EQ(stats.index, index);
    }
  }
  // The projection only proposes candidates; exact re-scoring decides.
  for (uint64_t seed : {2, 3, 12345}) {
    ClusterOptions x = Options(0.5);
    x.seed = seed;
    EXPECT_EQ(MustCluster(p.vectors, x), reference) << "seed " << seed;
  }
  for (int dim : {64, 1024}) {
    ClusterOptions x = Options(0.5);
    x.dim = dim;
    EXPECT_EQ(MustCluster(p.vectors, x), reference) << "dim " << dim;
  }
  // Repeating a run gives the same answer.
  EXPECT_EQ(MustCluster(p.vectors, Options(0.5)), MustCluster(p.vectors, Options(0.5)));
}

TEST(ClusterStoriesTest, SameLabelsAcrossThreadsOnOverlappingData) {
  // Many equal similarities (repeated documents) and merges that depend on order: the output
  // must still not depend on the thread count.
  std::vector<SparseVector> v = RandomOverlapping(60, 42);
  for (int i = 0; i < 10; ++i) v.push_back(v[static_cast<size_t>(i) * 3]);
  ClusterOptions o = Options(0.35);
  o.threads = 1;
  const std::vector<uint32_t> one = MustCluster(v, o);
  o.threads = 2;
  EXPECT_EQ(MustCluster(v, o), one);
  o.threads = 3;
  EXPECT_EQ(MustCluster(v, o), one);
}

TEST(ClusterStoriesTest, HnswIndexGivesSameLabelsAtAnyThreadCount) {
  // `threads` is performance-only: an HNSW index must give the same stories at 1 and 2 threads.
  // On a set large enough for HNSW to be approximate (4000 documents, 16 dimensions, HNSW16), the
  // neighbours found must not depend on how FAISS's OpenMP threads interleave while building the
  // graph. 4000 documents of 12 terms drawn near a random centre of a 2000-term ring.
  std::mt19937_64 rng(1);
  std::vector<SparseVector> v;
  for (int i = 0; i < 4000; ++i) {
    std::map<uint32_t, double> doc;
    const uint64_t centre = rng() % 2000;
    for (int k = 0; k < 12; ++k) {
      doc[static_cast<uint32_t>((centre + rng() % 40) % 2000)] +=
          0.2 + static_cast<double>(rng() % 100) / 100.0;
    }
    v.push_back(FromMap(doc));
  }
  ClusterOptions o;
  o.threshold = 0.2;
  o.knn = 5;
  o.candidates = 20;
  o.dim = 16;
  o.index = "HNSW16";
  o.threads = 1;
  ClusterStats stats1;
  const std::vector<uint32_t> one = MustCluster(v, o, &stats1);
  ASSERT_GT(stats1.clusters, 100u) << "the data should produce real clusters";
  for (int run = 0; run < 2; ++run) {
    o.threads = 2;
    ClusterStats stats2;
    const std::vector<uint32_t> two = MustCluster(v, o, &stats2);
    ASSERT_EQ(two.size(), one.size());
    size_t differ = 0;
    for (size_t i = 0; i < one.size(); ++i) differ += one[i] != two[i];
    EXPECT_EQ(differ, 0u) << "run " << run << ": " << differ << " of " << one.size()
                          << " labels differ between threads 1 and 2 (edges " << stats1.edges
                          << " vs " << stats2.edges << ")";
  }
}

// ------------------------------------------------------------------------------------------------
// 6. Errors and edge cases

TEST(ClusterStoriesTest, EmptyInput) {
  ClusterStats stats;
  Result<std::vector<uint32_t>> r =
      ClusterStories(std::vector<SparseVector>(), Dates(), ClusterOptions{}, &stats);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->empty());
  EXPECT_EQ(stats.clusters, 0u);
  EXPECT_EQ(stats.edges, 0u);
}

TEST(ClusterOptionsTest, DefaultsAreValid) {
  EXPECT_TRUE(ClusterOptions{}.Validate().ok()) << ClusterOptions{}.Validate().ToString();
  ClusterOptions edge;
  edge.threshold = 1.0;
  edge.knn = 1000;
  edge.candidates = 4096;
  edge.edge_floor = 0.99;
  edge.dim = 4096;
  edge.window_days = 0.001;
  edge.date_slack_days = 0;
  EXPECT_TRUE(edge.Validate().ok()) << edge.Validate().ToString();
  edge.knn = 1;
  edge.candidates = 1;
  edge.edge_floor = 0;
  edge.dim = 16;
  EXPECT_TRUE(edge.Validate().ok()) << edge.Validate().ToString();
}

TEST(ClusterOptionsTest, InvalidOptionsAreRejected) {
  struct Case {
    const char* name;
    void (*set)(ClusterOptions&);
  };
  const Case cases[] = {
      {"threshold 0", [](ClusterOptions& o) { o.threshold = 0; }},
      {"threshold -0.1", [](ClusterOptions& o) { o.threshold = -0.1; }},
      {"threshold 1.5", [](ClusterOptions& o) { o.threshold = 1.5; }},
      {"threshold NaN",
       [](ClusterOptions& o) { o.threshold = std::numeric_limits<double>::quiet_NaN(); }},
      {"knn 0", [](ClusterOptions& o) { o.knn = 0; }},
      {"knn 1001", [](ClusterOptions& o) {
         o.knn = 1001;
         o.candidates = 2000;
       }},
      {"candidates < knn", [](ClusterOptions& o) {
         o.knn = 10;
         o.candidates = 9;
       }},
      {"candidates 4097", [](ClusterOptions& o) { o.candidates = 4097; }},
      {"edge_floor -0.1", [](ClusterOptions& o) { o.edge_floor = -0.1; }},
      {"edge_floor 1", [](ClusterOptions& o) { o.edge_floor = 1; }},
      {"edge_floor NaN",
       [](ClusterOptions& o) { o.edge_floor = std::numeric_limits<double>::quiet_NaN(); }},
      {"date_slack_days -1", [](ClusterOptions& o) { o.date_slack_days = -1; }},
      {"date_slack_days NaN",
       [](ClusterOptions& o) { o.date_slack_days = std::numeric_limits<double>::quiet_NaN(); }},
      {"dim 10", [](ClusterOptions& o) { o.dim = 10; }},
      {"dim 0", [](ClusterOptions& o) { o.dim = 0; }},
      {"dim 40 (not a multiple of 16)", [](ClusterOptions& o) { o.dim = 40; }},
      {"dim 4112", [](ClusterOptions& o) { o.dim = 4112; }},
      {"window_days 0", [](ClusterOptions& o) { o.window_days = 0; }},
      {"window_days -7", [](ClusterOptions& o) { o.window_days = -7; }},
      {"window_days NaN",
       [](ClusterOptions& o) { o.window_days = std::numeric_limits<double>::quiet_NaN(); }},
      {"threads -1", [](ClusterOptions& o) { o.threads = -1; }},
  };
  const Planted p = MakePlanted(2, 3, 0, 1);
  for (const Case& c : cases) {
    ClusterOptions o;
    c.set(o);
    EXPECT_EQ(o.Validate().code(), Status::Code::kInvalidArgument) << c.name;
    Result<std::vector<uint32_t>> r = ClusterStories(p.vectors, Dates(p.vectors.size()), o);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument)
        << c.name << ": " << r.status().ToString();
    // Bad options are refused even with nothing to cluster.
    Result<std::vector<uint32_t>> empty = ClusterStories(std::vector<SparseVector>(), Dates(), o);
    EXPECT_FALSE(empty.ok()) << c.name << " on empty input";
  }
}

TEST(ClusterStoriesTest, MismatchedDatesAreInvalidArgument) {
  const Planted p = MakePlanted(2, 3, 0, 1);
  for (size_t dates : {size_t{0}, p.vectors.size() - 1, p.vectors.size() + 1}) {
    Result<std::vector<uint32_t>> r = ClusterStories(p.vectors, Dates(dates), ClusterOptions{});
    ASSERT_FALSE(r.ok()) << dates << " dates for " << p.vectors.size() << " vectors";
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << r.status().ToString();
  }
  Result<std::vector<uint32_t>> r =
      ClusterStories(std::vector<SparseVector>(), Dates(1), ClusterOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
}

TEST(ClusterStoriesTest, BadIndexFactoryStringIsAnError) {
  const Planted p = MakePlanted(2, 3, 0, 1);
  for (const char* factory : {"NotAnIndex", "IVF,Flat", "Flat,Flat,Flat", "PQ3"}) {
    ClusterOptions o;
    o.index = factory;
    Result<std::vector<uint32_t>> r = ClusterStories(p.vectors, Dates(p.vectors.size()), o);
    ASSERT_FALSE(r.ok()) << factory;
    // pipeline.h: "InvalidArgument for a bad FAISS factory string".
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument)
        << factory << ": " << r.status().ToString();
    EXPECT_NE(r.status().message().find(factory), std::string::npos)
        << "the message should name the factory string: " << r.status().ToString();
  }
}

}  // namespace
}  // namespace samestory

namespace samestory {
namespace {

// Regression for the windowed candidate search (more than one block of dated documents): pairs
// within reach of each other (1 day apart) are found and merged wherever they sit in the year,
// pairs far beyond reach (30 days) are not, undated twins of dated documents are still found,
// and the answer is the same at any thread count.
TEST(ClusterStoriesTest, WindowedSearchOverManyDatedDocuments) {
  std::mt19937_64 rng(11);
  std::vector<SparseVector> vectors;
  Dates dates;
  std::vector<uint32_t> near_pairs, far_pairs;
  // 5,000 distinct background documents over 10 days (so a block of the search spans ~4 days and
  // many twins sit across a block boundary from their original), then twins.
  for (uint32_t i = 0; i < 5000; ++i) {
    vectors.push_back(FromMap({{3 * i, 1.0}, {3 * i + 1, 0.5}, {3 * i + 2, 0.25}}));
    dates.push_back(kT0 + static_cast<UnixSeconds>(rng() % (10 * 86400)));
  }
  for (uint32_t j = 0; j < 200; ++j) {
    const uint32_t original = static_cast<uint32_t>(rng() % 5000);
    vectors.push_back(vectors[original]);
    if (j % 3 == 0) {
      dates.push_back(*dates[original] + kDay);
      near_pairs.push_back(original);
    } else if (j % 3 == 1) {
      dates.push_back(*dates[original] + 30 * kDay);
      far_pairs.push_back(original);
    } else {
      dates.push_back(std::nullopt);  // undated: no damping, must still be found
      near_pairs.push_back(original);
    }
  }
  ClusterOptions o;  // the defaults: reach = 1 + 3 ln(10) days
  o.threshold = 0.5;
  o.threads = 1;
  const std::vector<uint32_t> one = MustCluster(vectors, dates, o);
  for (int threads : {2, 3}) {  // blocks are searched in parallel, one per thread
    o.threads = threads;
    EXPECT_EQ(MustCluster(vectors, dates, o), one) << threads << " threads";
  }
  size_t twin = 5000, near_seen = 0, far_seen = 0;
  for (uint32_t j = 0; j < 200; ++j, ++twin) {
    if (j % 3 == 1) {
      EXPECT_NE(one[twin], one[far_pairs[far_seen]]) << "30 days apart, twin " << twin;
      ++far_seen;
    } else {
      EXPECT_EQ(one[twin], one[near_pairs[near_seen]]) << "within reach, twin " << twin;
      ++near_seen;
    }
  }
}

}  // namespace
}  // namespace samestory

namespace samestory {
namespace {

// A source that serves vectors by copy (never resident), records what it was asked for, and can
// be told to fail.
class CountingSource final : public VectorSource {
 public:
  explicit CountingSource(const std::vector<SparseVector>& vectors) : vectors_(vectors) {}
  Status Load(std::span<const uint32_t> docs, std::vector<SparseVector>* out) override {
    if (fail_) return Status::IOError("disk gone");
    out->resize(docs.size());
    for (size_t k = 0; k < docs.size(); ++k) {
      (*out)[k] = vectors_[docs[k]];
      ++loads_[docs[k]];
    }
    return Status::OK();
  }
  std::map<uint32_t, int> loads_;
  bool fail_ = false;

 private:
  const std::vector<SparseVector>& vectors_;
};

// A big story: `n` reports, each with the story's 2 key terms, 2 of its 40 other terms and 2 words
// of its own, all on one day (offset `day`). Any two reports share the key terms (cosine 0.44 or
// more), but each report's best few edges go to the few that also share one of its other terms,
// so the graph's linkage (missing edges count as 0) splits the story; the mean over all pairs is
// high.
void AddBigStory(uint32_t first_term, int n, int day, std::mt19937_64& rng,
                 std::vector<SparseVector>* vectors, Dates* dates) {
  for (int i = 0; i < n; ++i) {
    std::map<uint32_t, double> terms;
    terms[first_term] = terms[first_term + 1] = 1.0;
    while (terms.size() < 4) terms[first_term + 2 + static_cast<uint32_t>(rng() % 40)] = 1.0;
    for (int w = 0; w < 2; ++w) terms[1000000 + static_cast<uint32_t>(rng() % 1000000)] = 0.5;
    vectors->push_back(FromMap(terms));
    dates->push_back(kT0 + day * kDay + static_cast<UnixSeconds>(rng() % 36000));
  }
}

// Issue 16: a story of 300 reports is one story, not dozens of pieces; two big stories with
// other terms stay two, and so do two with the same terms three weeks apart (another event).
TEST(ClusterStoriesTest, Regression_BigStoriesAreJoinedWholeAndKeptApart) {
  std::mt19937_64 rng(16);
  std::vector<SparseVector> vectors;
  Dates dates;
  AddBigStory(0, 300, 0, rng, &vectors, &dates);    // story A
  AddBigStory(100, 300, 0, rng, &vectors, &dates);  // story B: other terms, same day
  AddBigStory(0, 100, 21, rng, &vectors, &dates);   // story C: A's terms, three weeks later
  // The share of articles [from, to) in the story's largest piece.
  auto largest = [](const std::vector<uint32_t>& labels, size_t from, size_t to) {
    std::map<uint32_t, size_t> size;
    for (size_t i = from; i < to; ++i) ++size[labels[i]];
    size_t most = 0;
    for (const auto& [label, count] : size) most = std::max(most, count);
    return static_cast<double>(most) / static_cast<double>(to - from);
  };
  ClusterOptions graph_only;
  graph_only.join_threshold = 0;
  const std::vector<uint32_t> graph = MustCluster(vectors, dates, graph_only);
  EXPECT_LT(largest(graph, 0, 300), 0.5) << "the graph alone is expected to split the story";
  for (int threads : {1, 2}) {
    ClusterOptions o;
    o.threads = threads;
    const std::vector<uint32_t> labels = MustCluster(vectors, dates, o);
    // Whole, but for a piece the graph may have closed off (the join compares the clusters the
    // graph connects).
    EXPECT_GE(largest(labels, 0, 300), 0.9) << threads << " threads";
    EXPECT_GE(largest(labels, 300, 600), 0.9) << threads << " threads";
    EXPECT_GE(largest(labels, 600, 700), 0.9) << threads << " threads";
    for (size_t i = 300; i < 700; ++i) ASSERT_NE(labels[i], labels[0]) << "another story: " << i;
    ExpectSmallestIndexLabels(labels);
  }
}

// 48,000 dated documents over 480 days (100 a day): clustering from a source holds only a window
// of them (under half, at 1 and 2 threads: waves of 4 blocks a thread of 2,048 documents, plus
// ~8 days of reach either side), loads each document once when no undated document forces a
// second pass, and gives the labels of the in-memory call. A failing source fails the call.
TEST(ClusterStoriesTest, SourceHoldsOnlyTheWindowAndMatchesInMemory) {
  std::mt19937_64 rng(5);
  std::vector<SparseVector> vectors;
  Dates dates;
  constexpr uint32_t kTopics = 12000;  // ~4 reports a topic, all on the topic's day
  for (uint32_t i = 0; i < 48000; ++i) {
    const uint32_t topic = static_cast<uint32_t>(rng() % kTopics);
    vectors.push_back(
        FromMap({{topic, 1.0}, {kTopics + static_cast<uint32_t>(rng() % 90000), 0.4}}));
    dates.push_back(kT0 + static_cast<UnixSeconds>(topic % 480) * kDay +
                    static_cast<UnixSeconds>(rng() % 86400));
  }
  ClusterOptions o;
  o.dim = 32;  // cheap search; the window logic does not depend on it
  o.candidates = 10;
  o.threshold = 0.3;
  o.threads = 1;
  ClusterStats memory_stats;
  const std::vector<uint32_t> expected = MustCluster(vectors, dates, o, &memory_stats);
  // A document is read by the join when its graph cluster has join_min_size members or more;
  // the graph's clusters are the labels without the join.
  ClusterOptions graph_only = o;
  graph_only.join_threshold = 0;
  const std::vector<uint32_t> graph = MustCluster(vectors, dates, graph_only, nullptr);
  std::map<uint32_t, int> cluster_size;
  for (uint32_t l : graph) ++cluster_size[l];
  std::map<uint32_t, int> expected_count;
  for (uint32_t i = 0; i < graph.size(); ++i) {
    expected_count[i] = cluster_size[graph[i]] >= o.join_min_size ? 2 : 1;
  }
  for (int threads : {1, 2}) {
    o.threads = threads;
    CountingSource source(vectors);
    ClusterStats stats;
    auto labels = ClusterStories(source, dates, o, &stats);
    ASSERT_TRUE(labels.ok()) << labels.status().ToString();
    EXPECT_EQ(labels.value(), expected) << threads << " threads";
    EXPECT_EQ(stats.edges, memory_stats.edges);
    EXPECT_LT(stats.peak_window, vectors.size() / 2)
        << "60 days of documents, a reach of ~8 days: the window must stay well under the corpus";
    EXPECT_GT(stats.peak_window, 0u);
    ASSERT_EQ(source.loads_.size(), vectors.size()) << "every document is loaded";
    // Once for the graph; a second time, streamed, when its cluster is big enough for the join.
    for (const auto& [doc, count] : source.loads_) {
      ASSERT_LE(count, expected_count[doc]) << "document " << doc << " loaded more than needed";
    }
  }
  // Reports of a topic share a day and a heavy term: most topics come out whole.
  EXPECT_LT(std::set<uint32_t>(expected.begin(), expected.end()).size(), kTopics + 2000u);
  CountingSource failing(vectors);
  failing.fail_ = true;
  auto failed = ClusterStories(failing, dates, o);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), Status::Code::kIOError);
}

}  // namespace
}  // namespace samestory
