// Tests for StoryLinkage, the story rule shared by the batch and the feed: the graph's average
// linkage (missing edges count 0), incremental use (edges added over time, taken back), the join,
// the earliest node, Forget, and Save/Load.
#include "cluster/story_linkage.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <vector>

namespace samestory::internal {
namespace {

ClusterOptions NoJoin(double threshold = 0.04) {
  ClusterOptions o;
  o.threshold = threshold;
  o.join_threshold = 0;
  o.dim = 16;
  return o;
}

std::vector<uint32_t> Labels(StoryLinkage& l) {
  std::vector<uint32_t> out;
  for (uint32_t i = 0; i < l.size(); ++i) out.push_back(l.Find(i));
  return out;
}

TEST(StoryLinkageTest, GraphAverageLinkCountsMissingEdgesAsZero) {
  StoryLinkage l(NoJoin(0.3));
  for (int i = 0; i < 4; ++i) l.AddNode(std::nullopt);
  l.AddEdge(0, 1, 0.9);
  l.AddEdge(2, 3, 0.8);
  l.AddEdge(1, 2, 0.5);  // {0,1} and {2,3}: 0.5 / 4 = 0.125 < 0.3: two clusters
  l.MergeGraph();
  EXPECT_EQ(Labels(l), (std::vector<uint32_t>{0, 0, 2, 2}));
  l.AddEdge(0, 3, 0.5);
  l.AddEdge(0, 2, 0.3);  // (0.5 + 0.5 + 0.3) / 4 = 0.325: one cluster
  std::vector<std::pair<uint32_t, uint32_t>> merges;
  l.MergeGraph([&](uint32_t keep, uint32_t gone, double link, bool join) {
    merges.emplace_back(keep, gone);
    EXPECT_NEAR(link, 1.3 / 4, 1e-12);
    EXPECT_FALSE(join);
  });
  EXPECT_EQ(merges, (std::vector<std::pair<uint32_t, uint32_t>>{{0, 2}}));
  EXPECT_EQ(Labels(l), (std::vector<uint32_t>{0, 0, 0, 0}));
}

// Edges added in any order and in any number of rounds, merged as they come (the feed), give the
// batch's clusters when no merge depends on the order: well-separated groups.
TEST(StoryLinkageTest, IncrementalMergingMatchesOneBatchOnSeparatedGroups) {
  std::mt19937_64 rng(7);
  struct E { uint32_t a, b; double sim; };
  std::vector<E> edges;
  const uint32_t groups = 30, per = 8;
  for (uint32_t g = 0; g < groups; ++g) {
    for (uint32_t i = 0; i < per; ++i) {
      for (uint32_t j = i + 1; j < per; ++j) {
        if (j == i + 1 || rng() % 2) {
          edges.push_back({g * per + i, g * per + j, 0.3 + static_cast<double>(rng() % 50) / 100});
        }
      }
    }
    if (g > 0) edges.push_back({g * per, (g - 1) * per + 1, 0.03});  // under the threshold at any size
  }
  StoryLinkage batch(NoJoin());
  for (uint32_t i = 0; i < groups * per; ++i) batch.AddNode(std::nullopt);
  for (const E& e : edges) batch.AddEdge(e.a, e.b, e.sim);
  batch.MergeGraph();
  std::shuffle(edges.begin(), edges.end(), rng);
  StoryLinkage feed(NoJoin());
  for (uint32_t i = 0; i < groups * per; ++i) feed.AddNode(std::nullopt);
  for (size_t k = 0; k < edges.size(); ++k) {
    feed.AddEdge(edges[k].a, edges[k].b, edges[k].sim);
    if (k % 7 == 0) feed.MergeGraph();
  }
  feed.MergeGraph();
  const std::vector<uint32_t> labels = Labels(batch);
  EXPECT_EQ(Labels(feed), labels);
  EXPECT_EQ(std::set<uint32_t>(labels.begin(), labels.end()).size(), groups);
}

// An edge taken back (the feed's kNN list displaced it) lowers the link: a merge it alone carried
// does not happen.
TEST(StoryLinkageTest, AnEdgeTakenBackNoLongerMerges) {
  StoryLinkage l(NoJoin(0.3));
  for (int i = 0; i < 2; ++i) l.AddNode(std::nullopt);
  l.AddEdge(0, 1, 0.5);
  l.AddEdge(0, 1, -0.5);
  l.MergeGraph();
  EXPECT_NE(l.Find(0), l.Find(1));
  l.AddEdge(0, 1, 0.4);
  l.AddEdge(0, 1, -0.2);  // 0.2 left, under 0.3
  l.MergeGraph();
  EXPECT_NE(l.Find(0), l.Find(1));
}

TEST(StoryLinkageTest, EarliestNodeIsByDateThenOrder) {
  StoryLinkage l(NoJoin(0.1));
  l.AddNode(UnixSeconds{300});
  l.AddNode(UnixSeconds{100});
  l.AddNode(std::nullopt);
  l.AddNode(UnixSeconds{100});
  l.AddEdge(0, 1, 0.9);
  l.AddEdge(1, 2, 0.9);
  l.AddEdge(2, 3, 0.9);
  l.AddEdge(0, 3, 0.9);
  l.AddEdge(0, 2, 0.9);
  l.AddEdge(1, 3, 0.9);
  l.MergeGraph();
  ASSERT_EQ(l.ClusterSize(l.Find(0)), 4u);
  EXPECT_EQ(l.Earliest(l.Find(0)), 1u);  // date 100, before node 3 (also 100) by order
}

// The join merges clusters whose rows' mean cross cosine reaches join_threshold, only among
// clusters of join_min_size or more that an edge connects, and damps by the date-span gap.
TEST(StoryLinkageTest, JoinMergesBigClustersByTheirMeanCosine) {
  ClusterOptions o = NoJoin(0.5);
  o.join_threshold = 0.37;
  o.join_min_size = 4;
  StoryLinkage l(o);
  // Clusters {0..3}, {4..7}, {8..11}: rows all along axis 0 for the first two, axis 1 for the third.
  for (int i = 0; i < 12; ++i) l.AddNode(UnixSeconds{0});
  for (uint32_t g = 0; g < 3; ++g) {
    for (uint32_t i = 0; i < 4; ++i) {
      for (uint32_t j = i + 1; j < 4; ++j) l.AddEdge(g * 4 + i, g * 4 + j, 0.9);
    }
  }
  l.AddEdge(0, 4, 0.2);  // too weak for the graph: 0.2 / 16
  l.AddEdge(4, 8, 0.2);
  l.MergeGraph();
  ASSERT_EQ(l.ClusterSize(l.Find(0)), 4u);
  std::vector<float> x(16, 0.0f), y(16, 0.0f);
  x[0] = 1.0f;
  y[1] = 1.0f;
  for (uint32_t i = 0; i < 8; ++i) l.AddRow(i, x.data());
  for (uint32_t i = 8; i < 12; ++i) l.AddRow(i, y.data());
  int joins = 0;
  l.MergeJoin([&](uint32_t, uint32_t, double link, bool join) {
    EXPECT_TRUE(join);
    EXPECT_NEAR(link, 1.0, 1e-6);
    ++joins;
  });
  EXPECT_EQ(joins, 1);
  EXPECT_EQ(l.Find(4), l.Find(0));
  EXPECT_NE(l.Find(8), l.Find(0));  // orthogonal rows: mean cosine 0
}

TEST(StoryLinkageTest, JoinIsDampedByTheGapBetweenDateSpans) {
  ClusterOptions o = NoJoin(0.5);
  o.join_threshold = 0.37;
  StoryLinkage l(o);
  for (int i = 0; i < 8; ++i) l.AddNode(UnixSeconds{i < 4 ? 0 : 30 * 86400});  // 30 days apart
  for (uint32_t g = 0; g < 2; ++g) {
    for (uint32_t i = 0; i < 4; ++i) {
      for (uint32_t j = i + 1; j < 4; ++j) l.AddEdge(g * 4 + i, g * 4 + j, 0.9);
    }
  }
  l.AddEdge(0, 4, 0.2);
  l.MergeGraph();
  std::vector<float> x(16, 0.0f);
  x[0] = 1.0f;
  for (uint32_t i = 0; i < 8; ++i) l.AddRow(i, x.data());
  l.MergeJoin();
  EXPECT_NE(l.Find(4), l.Find(0));
}

TEST(StoryLinkageTest, ForgetDropsAClustersLinks) {
  StoryLinkage l(NoJoin(0.3));
  for (int i = 0; i < 3; ++i) l.AddNode(std::nullopt);
  l.AddEdge(0, 1, 0.2);
  l.MergeGraph();
  l.Forget(l.Find(0));
  l.AddEdge(1, 2, 0.9);
  l.MergeGraph();
  EXPECT_EQ(l.Find(1), l.Find(2));
  EXPECT_NE(l.Find(0), l.Find(1));
}

TEST(StoryLinkageTest, SaveLoadRoundTripAndDamagedBytesAreRefused) {
  ClusterOptions o = NoJoin(0.2);
  o.join_threshold = 0.37;
  StoryLinkage l(o);
  std::mt19937_64 rng(3);
  for (int i = 0; i < 50; ++i) l.AddNode(i % 3 ? std::optional<UnixSeconds>(i * 1000) : std::nullopt);
  for (int k = 0; k < 120; ++k) {
    const uint32_t a = static_cast<uint32_t>(rng() % 50), b = static_cast<uint32_t>(rng() % 50);
    if (a != b) l.AddEdge(a, b, 0.1 + static_cast<double>(rng() % 80) / 100.0);
  }
  l.MergeGraph();
  std::vector<float> row(16, 0.25f);
  for (uint32_t i = 0; i < 50; i += 2) l.AddRow(i, row.data());
  l.MergeJoin();
  std::string bytes;
  l.Save(&bytes);
  StoryLinkage m(o);
  ASSERT_TRUE(m.Load(bytes));
  std::string again;
  m.Save(&again);
  EXPECT_EQ(again, bytes);
  EXPECT_EQ(Labels(m), Labels(l));
  // Further edges behave the same in both.
  l.AddEdge(1, 2, 0.9);
  m.AddEdge(1, 2, 0.9);
  l.MergeGraph();
  m.MergeGraph();
  EXPECT_EQ(Labels(m), Labels(l));
  StoryLinkage bad(o);
  EXPECT_FALSE(bad.Load(bytes.substr(0, bytes.size() / 2)));
  EXPECT_FALSE(bad.Load(std::string(8, '\xff')));
}

// Saved between passes (the feed's --merge-every: edges added, not merged yet), the state loads
// back with its queued candidates and touched clusters: the next passes merge the same.
TEST(StoryLinkageTest, SavedBetweenPassesTheNextPassIsTheSame) {
  ClusterOptions o = NoJoin(0.2);
  o.join_threshold = 0.37;
  o.join_min_size = 2;
  StoryLinkage l(o);
  for (int i = 0; i < 6; ++i) l.AddNode(UnixSeconds{0});
  std::vector<float> row(16, 0.25f);
  for (uint32_t i = 0; i < 6; ++i) l.AddRow(i, row.data());
  l.AddEdge(0, 1, 0.9);
  l.AddEdge(2, 3, 0.8);
  l.AddEdge(4, 5, 0.7);
  l.AddEdge(1, 2, 0.1);
  std::string bytes;
  l.Save(&bytes);
  StoryLinkage m(o);
  ASSERT_TRUE(m.Load(bytes));
  l.MergeGraph();
  m.MergeGraph();
  ASSERT_EQ(l.ClusterSize(l.Find(0)), 2u) << "the queued pairs merged";
  EXPECT_EQ(Labels(m), Labels(l));
  l.MergeJoin();
  m.MergeJoin();
  EXPECT_EQ(Labels(m), Labels(l));
  EXPECT_EQ(l.Find(2), l.Find(0)) << "the join merged the touched clusters";
}

}  // namespace
}  // namespace samestory::internal
