// Tests for the kNN graph split across ranks (src/cluster/graph_split.h) over the in-process
// communicator, on synthetic sparse vectors built here with fixed seeds: the labels equal the
// single-machine ClusterStories' for 1-6 ranks (dated, partly undated, all within one reach);
// a source that fails on rank 0 fails every rank without a hang; a rank 0 that gives up before
// its graph releases the others.
#include "cluster/graph_split.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "samestory/cluster.h"
#include "samestory/distributed.h"

namespace samestory {
namespace {

using Dates = std::vector<std::optional<UnixSeconds>>;
constexpr UnixSeconds kDay = 86400;
constexpr UnixSeconds kT0 = 1772323200;  // 2026-03-01T00:00:00Z

// The split over a communicator: all-to-all, and the first failure by rank.
class CommSplit final : public internal::GraphSplit {
 public:
  explicit CommSplit(Communicator& comm) : comm_(comm) {}
  int rank() const override { return comm_.rank(); }
  int size() const override { return comm_.size(); }
  Result<std::vector<std::string>> AllToAll(std::vector<std::string> send) override {
    return comm_.AllToAll(std::move(send));
  }
  Status Agree(const Status& mine) override {
    auto all = comm_.AllGather(mine.ok() ? "" : mine.message());
    if (!all.ok()) return all.status();
    for (size_t r = 0; r < all->size(); ++r) {
      if (!(*all)[r].empty()) {
        return Status::IOError("rank " + std::to_string(r) + ": " + (*all)[r]);
      }
    }
    return Status::OK();
  }

 private:
  Communicator& comm_;
};

// Vectors served from memory through Load (as the pipeline's spilled source), failing every call
// after `fail_after` when it is not negative.
class LoadedSource final : public VectorSource {
 public:
  LoadedSource(const std::vector<SparseVector>& v, int fail_after)
      : v_(v), fail_after_(fail_after) {}
  Status Load(std::span<const uint32_t> docs, std::vector<SparseVector>* out) override {
    if (fail_after_ >= 0 && calls_++ >= fail_after_) return Status::IOError("disk gone");
    out->resize(docs.size());
    for (size_t k = 0; k < docs.size(); ++k) (*out)[k] = v_[docs[k]];
    return Status::OK();
  }
  uint64_t TermKey(uint32_t id) const override { return id * 0x9E3779B97F4A7C15ULL + 7; }

 private:
  const std::vector<SparseVector>& v_;
  const int fail_after_;
  int calls_ = 0;
};

// n documents in topic groups of 3-8 over `days` days (a group's within six days, longer than a
// tile of a dense corpus), with words shared across topics (so best-k lists reach across
// groups and ranks), every `undated_every`-th undated (0: none).
void MakeCorpus(size_t n, int days, size_t undated_every, std::vector<SparseVector>* vectors,
                Dates* dates) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<uint32_t> term(0, 20000);
  std::uniform_int_distribution<uint32_t> common(0, 300);
  std::uniform_real_distribution<double> unit(0, 1);
  while (vectors->size() < n) {
    std::map<uint32_t, double> topic;
    for (int t = 0; t < 30; ++t) topic[term(rng)] = 0.5 + unit(rng);
    const UnixSeconds when = kT0 + static_cast<UnixSeconds>(unit(rng) * days * kDay);
    const int size = 3 + static_cast<int>(rng() % 6);
    for (int k = 0; k < size && vectors->size() < n; ++k) {
      std::map<uint32_t, double> doc;
      for (const auto& [id, w] : topic) {
        if (unit(rng) < 0.7) doc[id] = w * (0.5 + unit(rng));
      }
      for (int t = 0; t < 20; ++t) doc[term(rng)] += unit(rng);
      for (int t = 0; t < 10; ++t) doc[common(rng)] += 0.6 * unit(rng);
      double norm = 0;
      for (const auto& [id, w] : doc) norm += w * w;
      SparseVector v;
      for (const auto& [id, w] : doc) {
        v.ids.push_back(id);
        v.weights.push_back(static_cast<float>(w / std::sqrt(norm)));
      }
      vectors->push_back(std::move(v));
      const bool undated = undated_every > 0 && vectors->size() % undated_every == 0;
      dates->push_back(undated ? std::nullopt
                               : std::optional<UnixSeconds>(
                                     when + static_cast<UnixSeconds>(unit(rng) * 6 * kDay)));
    }
  }
}

ClusterOptions Options() {
  ClusterOptions o;
  o.threads = 1;
  return o;
}

// Rank 0's labels (and edge count) and every rank's status, the graph split over `ranks`.
std::vector<Status> SplitRun(int ranks, const std::vector<SparseVector>& vectors,
                             const Dates& dates, int fail_after, std::vector<uint32_t>* labels,
                             size_t* edges = nullptr) {
  auto comms = InProcessCommunicators(ranks);
  std::vector<Status> status(static_cast<size_t>(ranks));
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r) {
    threads.emplace_back([&, r] {
      CommSplit split(*comms[r]);
      if (r == 0) {
        LoadedSource source(vectors, fail_after);
        ClusterStats stats;
        auto got = internal::ClusterStories(source, dates, Options(), &stats, &split);
        status[0] = got.status();
        if (edges != nullptr) *edges = stats.edges;
        if (got.ok()) *labels = got.value();
        if (Status s = internal::AbandonClusterGraph(split); !s.ok()) status[0] = s;
      } else {
        status[static_cast<size_t>(r)] = internal::JoinClusterGraph(split, Options());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return status;
}

void ExpectSplitEqualsOneMachine(size_t n, int days, size_t undated_every) {
  std::vector<SparseVector> vectors;
  Dates dates;
  MakeCorpus(n, days, undated_every, &vectors, &dates);
  LoadedSource source(vectors, -1);
  ClusterStats stats;
  auto want = ClusterStories(source, dates, Options(), &stats);
  ASSERT_TRUE(want.ok()) << want.status().ToString();
  size_t merged = 0;
  for (uint32_t i = 0; i < n; ++i) merged += want.value()[i] != i;
  EXPECT_GT(merged, n / 2);  // the groups are found: the comparison is not between singletons
  for (int ranks = 1; ranks <= 6; ++ranks) {
    SCOPED_TRACE("ranks " + std::to_string(ranks));
    std::vector<uint32_t> got;
    size_t edges = 0;
    for (const Status& s : SplitRun(ranks, vectors, dates, -1, &got, &edges)) {
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    EXPECT_EQ(edges, stats.edges);  // the graph (kNN lists merged across ranks) ...
    EXPECT_EQ(got, want.value());   // ... and its stories
  }
}

TEST(GraphSplitTest, DatedCorpusEqualsOneMachine) { ExpectSplitEqualsOneMachine(5000, 60, 0); }

TEST(GraphSplitTest, PartlyUndatedCorpusEqualsOneMachine) {
  ExpectSplitEqualsOneMachine(4000, 40, 7);
}

TEST(GraphSplitTest, EverythingWithinOneReachEqualsOneMachine) {
  // Two days: every tile pairs with every other, each rank's halo is every tile below it.
  ExpectSplitEqualsOneMachine(3000, 2, 11);
}

TEST(GraphSplitTest, ASourceFailingOnRankZeroFailsEveryRank) {
  std::vector<SparseVector> vectors;
  Dates dates;
  MakeCorpus(4000, 40, 9, &vectors, &dates);
  // Fails while serving the other ranks' windows (first call), then later (its own waves).
  for (int fail_after : {0, 1, 3}) {
    SCOPED_TRACE("fail after " + std::to_string(fail_after));
    std::vector<uint32_t> labels;
    for (const Status& s : SplitRun(3, vectors, dates, fail_after, &labels)) {
      EXPECT_FALSE(s.ok());
      EXPECT_NE(s.message().find("disk gone"), std::string::npos) << s.ToString();
    }
  }
}

TEST(GraphSplitTest, RankZeroGivingUpBeforeTheGraphReleasesTheOthers) {
  auto comms = InProcessCommunicators(3);
  std::vector<Status> status(3);
  std::vector<std::thread> threads;
  for (int r = 0; r < 3; ++r) {
    threads.emplace_back([&, r] {
      CommSplit split(*comms[r]);
      status[static_cast<size_t>(r)] = r == 0 ? internal::AbandonClusterGraph(split)
                                              : internal::JoinClusterGraph(split, Options());
    });
  }
  for (std::thread& t : threads) t.join();
  for (const Status& s : status) EXPECT_TRUE(s.ok()) << s.ToString();
}

}  // namespace
}  // namespace samestory
