// Tests for the distributed runs (samestory/distributed.h) over the in-process communicator:
// for 1-4 ranks the output equals the single-machine run's byte for byte, on the sample and on
// inputs made for the edge cases; a failure on one rank fails every rank, naming it.
#include "samestory/distributed.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "samestory/generate.h"
#include "test_temp.h"

namespace samestory {
namespace {

const std::string kSample = std::string(SAMESTORY_SOURCE_DIR) + "/datasets/sample/articles.jsonl";

std::string TempPath(std::string_view suffix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return testing_util::TestTempDir() + "samestory_distributed_" + info->name() + std::string(suffix);
}

std::string ReadFileBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << bytes;
}

// Writes `bytes` gzip-compressed; false on a failure.
bool WriteGzip(const std::string& path, const std::string& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  const bool wrote = gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())) ==
                     static_cast<int>(bytes.size());
  return gzclose(f) == Z_OK && wrote;
}

// Runs `run(comm)` on `ranks` threads; returns every rank's status.
template <typename Run>
std::vector<Status> OnRanks(int ranks, Run run) {
  auto comms = InProcessCommunicators(ranks);
  std::vector<Status> status(static_cast<size_t>(ranks));
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r) {
    threads.emplace_back([&, r] { status[static_cast<size_t>(r)] = run(*comms[r]); });
  }
  for (std::thread& t : threads) t.join();
  return status;
}

DedupPipelineOptions Options(size_t batch) {
  DedupPipelineOptions o;
  o.batch_size = batch;
  o.threads = 1;
  return o;
}

// What a dedup summary says of the groups (and, with `memory`, of the records' memory, summed
// over the ranks): equal on one machine and on any number of ranks.
std::vector<uint64_t> GroupCounts(const DedupSummary& s, bool memory = true) {
  std::vector<uint64_t> v = {s.articles,   s.bad_records,        s.warnings, s.short_articles,
                             s.groups,     s.articles_in_groups, s.candidates, s.accepted};
  if (memory) v.push_back(s.memory.records);
  v.insert(v.end(), s.rejected.begin(), s.rejected.end());
  return v;
}

// Dedup (records and judged pairs) and cluster outputs of 1-4 ranks equal the single-machine
// ones, and so do the dedup summary's counts. `dedup_memory` (when not 0) is both dedup runs'
// memory limit.
void ExpectSameAsOneMachine(const std::string& input, size_t batch, uint64_t dedup_memory = 0) {
  DedupPipelineOptions dedup = Options(batch);
  dedup.memory_limit = dedup_memory;
  const std::string want_dedup = TempPath(".dedup.jsonl");
  const std::string want_pairs = TempPath(".pairs.tsv");
  const std::string want_cluster = TempPath(".cluster.jsonl");
  const std::string want_stories = TempPath(".stories.jsonl");
  const std::string want_model = TempPath(".model");
  auto one = RunDedup(input, DedupOutputs{want_dedup, want_pairs}, dedup);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ClusterPipelineOptions cluster;
  cluster.dedup = Options(batch);
  auto one_cluster =
      RunCluster(input, ClusterOutputs{want_cluster, want_stories, want_model}, cluster);
  ASSERT_TRUE(one_cluster.ok()) << one_cluster.status().ToString();
  for (int ranks = 1; ranks <= 4; ++ranks) {
    SCOPED_TRACE("ranks " + std::to_string(ranks));
    const std::string got_dedup = TempPath(".got.dedup.jsonl");
    const std::string got_pairs = TempPath(".got.pairs.tsv");
    const std::string got_cluster = TempPath(".got.cluster.jsonl");
    const std::string got_stories = TempPath(".got.stories.jsonl");
    const std::string got_model = TempPath(".got.model");
    DedupSummary summary;
    for (const Status& s : OnRanks(ranks, [&](Communicator& comm) {
           auto r = RunDedupDistributed(comm, input, DedupOutputs{got_dedup, got_pairs}, dedup);
           if (r.ok() && comm.rank() == 0) summary = r.value().run;
           return r.status();
         })) {
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    EXPECT_EQ(GroupCounts(summary), GroupCounts(one.value()));
    EXPECT_EQ(ReadFileBytes(got_pairs), ReadFileBytes(want_pairs));
    EXPECT_EQ(ReadFileBytes(got_dedup), ReadFileBytes(want_dedup));
    ClusterSummary cluster_summary;
    for (const Status& s : OnRanks(ranks, [&](Communicator& comm) {
           auto r = RunClusterDistributed(comm, input,
                                          ClusterOutputs{got_cluster, got_stories, got_model},
                                          cluster);
           if (r.ok() && comm.rank() == 0) cluster_summary = r.value().run;
           return r.status();
         })) {
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    // The copies were grouped across the ranks (the shuffled dedup), as one machine counts them
    // (the records' memory on rank 0 is its strings' capacities: not compared).
    EXPECT_EQ(GroupCounts(cluster_summary.dedup, false),
              GroupCounts(one_cluster.value().dedup, false));
    EXPECT_EQ(cluster_summary.stories, one_cluster.value().stories);
    EXPECT_EQ(ReadFileBytes(got_cluster), ReadFileBytes(want_cluster));
    EXPECT_EQ(ReadFileBytes(got_stories), ReadFileBytes(want_stories));
    // The model fitted on document frequencies summed across the ranks is one machine's.
    EXPECT_FALSE(cluster_summary.model_loaded);
    EXPECT_EQ(cluster_summary.model_documents, one_cluster.value().model_documents);
    EXPECT_EQ(cluster_summary.terms, one_cluster.value().terms);
    EXPECT_EQ(ReadFileBytes(got_model), ReadFileBytes(want_model));
    if (ranks == 2 || ranks == 3) {
      // Without story summaries no title is kept or sent: the records are written the same.
      std::remove(got_cluster.c_str());
      for (const Status& s : OnRanks(ranks, [&](Communicator& comm) {
             return RunClusterDistributed(comm, input, ClusterOutputs{got_cluster, "", ""},
                                          cluster)
                 .status();
           })) {
        EXPECT_TRUE(s.ok()) << s.ToString();
      }
      EXPECT_EQ(ReadFileBytes(got_cluster), ReadFileBytes(want_cluster));
    }
  }
}

TEST(DistributedTest, SampleEqualsOneMachine) { ExpectSameAsOneMachine(kSample, 5); }

TEST(DistributedTest, EmptySharesEqualOneMachine) {
  // One batch holds the whole sample: every rank but rank 0 has nothing to do.
  ExpectSameAsOneMachine(kSample, 4096);
}

TEST(DistributedTest, EmptyInput) {
  const std::string input = TempPath(".jsonl");
  WriteFile(input, "\n\n");
  ExpectSameAsOneMachine(input, 3);
}

TEST(DistributedTest, OneHugeBucketAndIdsOnTwoShards) {
  // 2,000 identical articles (one LSH bucket), an id repeated in another rank's share, blank
  // lines, a bad record and dates only minutes apart (a date range shorter than any reach).
  std::string text;
  for (int i = 0; i < 2000; ++i) {
    text += "{\"id\":\"same-" + std::to_string(i) +
            "\",\"date\":\"2024-03-01T10:" + std::to_string(10 + i % 50) +
            "\",\"title\":\"Port strike halts shipping\",\"text\":\"Dock workers walked out on "
            "Monday at the main container port, halting shipping and leaving dozens of vessels "
            "waiting offshore, union officials said.\"}\n";
    if (i % 500 == 7) text += "\n{\"id\":\"same-3\",\"text\":\"a repeated id\"}\nnot json\n";
  }
  const std::string input = TempPath(".jsonl");
  WriteFile(input, text + ReadFileBytes(kSample));
  ExpectSameAsOneMachine(input, 64);
}

TEST(DistributedTest, BucketsWindowedInDateOrderNotInputOrder) {
  // 300 copies of one article an hour apart, in shuffled input order, over 300 hours: their
  // buckets are larger than the window and longer than the copy window, so which pairs are
  // candidates (and so the groups) depend on windowing them in date order, as one machine does.
  std::vector<int> hours(300);
  for (int i = 0; i < 300; ++i) hours[static_cast<size_t>(i)] = (i * 97) % 300;
  std::string text;
  for (int i = 0; i < 300; ++i) {
    const int h = hours[static_cast<size_t>(i)];
    char date[32];
    std::snprintf(date, sizeof(date), "2024-03-%02dT%02d:00", 1 + h / 24, h % 24);
    text += "{\"id\":\"copy-" + std::to_string(i) + "\",\"date\":\"" + date +
            "\",\"title\":\"Port strike halts shipping\",\"text\":\"Dock workers walked out on "
            "Monday at the main container port, halting shipping and leaving dozens of vessels "
            "waiting offshore, union officials said on the quay.\"}\n";
  }
  const std::string input = TempPath(".jsonl");
  WriteFile(input, text);
  ExpectSameAsOneMachine(input, 16);
}

TEST(DistributedTest, ALineLongerThanARanksRangeEqualsOneMachine) {
  // A plain file is cut into one byte range a rank; a 300 KB record (more than the whole sample,
  // so at 3 and 4 ranks whole ranges fall inside it) belongs to the rank its first byte is in,
  // and the ranks whose ranges hold no line start hold no records.
  const std::string big = "{\"id\":\"long\",\"title\":\"A long one\",\"text\":\"" +
                          std::string(300000, 'x') + "\"}\r\n\n";
  const std::string input = TempPath(".jsonl");
  WriteFile(input, ReadFileBytes(kSample) + big + ReadFileBytes(kSample).substr(0, 2000) + "\n");
  ExpectSameAsOneMachine(input, 7);
}

TEST(DistributedTest, GzipInputEqualsOneMachine) {
  // gzip cannot be cut into byte ranges: every rank reads it and takes its round-robin batches.
  const std::string input = TempPath(".jsonl.gz");
  ASSERT_TRUE(WriteGzip(input, ReadFileBytes(kSample)));
  ExpectSameAsOneMachine(input, 5);
}

TEST(DistributedTest, GeneratedDayOfNewsEqualsOneMachine) {
  // 3,000 generated articles in one day (copies, reports, templated notices with the same
  // words): the title rule reads every title word's frequency over the whole run, also for a
  // record whose evidence comes from another rank (a rank that used only its own records'
  // frequencies judged some pairs "titles differ": checked).
  auto base = ReadBaseCorpus(kSample, nullptr);
  ASSERT_TRUE(base.ok()) << base.status().ToString();
  GeneratorOptions o;
  o.articles = 3000;
  o.days = 1;
  o.report_spread_days = 0.01;
  auto generator = CorpusGenerator::Create(o, base.value());
  ASSERT_TRUE(generator.ok()) << generator.status().ToString();
  const std::string input = TempPath(".jsonl");
  ASSERT_TRUE(WriteCorpus(generator.value(), input, nullptr).ok());
  ExpectSameAsOneMachine(input, 64);
  // A memory limit of 1 MB: band keys are shuffled a few columns a round (4,096 entries a rank).
  ExpectSameAsOneMachine(input, 64, uint64_t{1} << 20);
}

// Cluster outputs (records and story summaries) of `ranks` ranks equal the single-machine ones.
// `memory` (when not 0): the runs' memory limit.
void ExpectClusterSameAsOneMachine(const std::string& input, size_t batch,
                                   std::initializer_list<int> ranks, uint64_t memory = 0) {
  ClusterPipelineOptions cluster;
  cluster.dedup = Options(batch);
  cluster.dedup.memory_limit = memory;
  const std::string want_cluster = TempPath(".cluster.jsonl");
  const std::string want_stories = TempPath(".stories.jsonl");
  const std::string want_model = TempPath(".model");
  auto one = RunCluster(input, ClusterOutputs{want_cluster, want_stories, want_model}, cluster);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  for (int size : ranks) {
    SCOPED_TRACE("ranks " + std::to_string(size));
    const std::string got_cluster = TempPath(".got.cluster.jsonl");
    const std::string got_stories = TempPath(".got.stories.jsonl");
    const std::string got_model = TempPath(".got.model");
    std::vector<RankSummary> per_rank;
    ClusterSummary cluster_summary;
    for (const Status& s : OnRanks(size, [&](Communicator& comm) {
           auto r = RunClusterDistributed(comm, input,
                                          ClusterOutputs{got_cluster, got_stories, got_model},
                                          cluster);
           if (r.ok() && comm.rank() == 0) {
             per_rank = r.value().ranks;
             cluster_summary = r.value().run;
           }
           return r.status();
         })) {
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    EXPECT_EQ(per_rank.size(), static_cast<size_t>(size));
    EXPECT_EQ(ReadFileBytes(got_cluster), ReadFileBytes(want_cluster));
    EXPECT_EQ(ReadFileBytes(got_stories), ReadFileBytes(want_stories));
    // The model fitted on document frequencies summed across the ranks is one machine's.
    EXPECT_FALSE(cluster_summary.model_loaded);
    EXPECT_EQ(cluster_summary.model_documents, one.value().model_documents);
    EXPECT_EQ(cluster_summary.terms, one.value().terms);
    EXPECT_EQ(ReadFileBytes(got_model), ReadFileBytes(want_model));
  }
}

// `articles` generated over `days`, every ninth one's date removed when `undated`.
std::string GeneratedCorpus(int articles, int days, bool undated) {
  auto base = ReadBaseCorpus(kSample, nullptr);
  EXPECT_TRUE(base.ok()) << base.status().ToString();
  GeneratorOptions o;
  o.articles = static_cast<uint64_t>(articles);
  o.days = days;
  auto generator = CorpusGenerator::Create(o, base.value());
  EXPECT_TRUE(generator.ok()) << generator.status().ToString();
  const std::string input = TempPath(".jsonl");
  EXPECT_TRUE(WriteCorpus(generator.value(), input, nullptr).ok());
  if (undated) {
    std::ifstream in(input);
    std::string line, out;
    for (int i = 0; std::getline(in, line); ++i) {
      if (i % 9 == 4) {
        const size_t at = line.find("\"date\":\"");
        const size_t end = at == std::string::npos ? at : line.find('"', at + 8);
        if (end != std::string::npos) line.erase(at, end + 2 - at);  // the field and its comma
      }
      out += line + "\n";
    }
    WriteFile(input, out);
  }
  return input;
}

TEST(DistributedTest, ClusterGraphSplitByDateEqualsOneMachine) {
  // 4,000 articles over 40 days: seven tiles of 512 representatives, each about six days, with a
  // date reach of about eight days, so each rank's columns reach into the next rank's range and
  // take rows of the previous one's (lists merged across ranks); every ninth article undated
  // (paired with everything, merged and searched on rank 0). Ranks 1-4, and 9: more ranks than
  // tiles, so some search nothing. Splitting every rank's halo lists wrongly, or leaving them
  // out, changes stories (checked).
  const std::string input = GeneratedCorpus(4000, 40, true);
  ExpectClusterSameAsOneMachine(input, 64, {1, 2, 3, 4, 9});
  // All dated and ten days: a tile is about a day and a half, so a rank's halo tiles reach past
  // its own columns into the next rank's (their lists wait for the other ranks' offers).
  ExpectClusterSameAsOneMachine(GeneratedCorpus(4000, 10, false), 64, {2, 3});
  // A memory limit of 64 MB: rank 0 receives the records' outcomes 1,024 a round (16 chunks of
  // 64), so a round holds chunks of several ranks, or of one rank only; with 1 or 3 ranks.
  ExpectClusterSameAsOneMachine(GeneratedCorpus(4000, 10, false), 64, {1, 3}, uint64_t{64} << 20);
}

TEST(DistributedTest, AFailingRankFailsEveryRankAndLeavesNoOutput) {
  // Rank 0 cannot write where the output goes: every rank returns the error, naming rank 0.
  const std::string output = TempPath(".no-such-dir") + "/out.jsonl";
  auto status = OnRanks(3, [&](Communicator& comm) {
    return RunDedupDistributed(comm, kSample, DedupOutputs{output, ""}, Options(5)).status();
  });
  ASSERT_FALSE(status[0].ok());
  for (int r = 1; r < 3; ++r) {
    EXPECT_FALSE(status[r].ok());
    EXPECT_NE(status[r].message().find("rank 0"), std::string::npos) << status[r].ToString();
  }
  // An input no rank can read: the same error everywhere, and no output file.
  const std::string out = TempPath(".jsonl");
  std::filesystem::remove(out);
  status = OnRanks(2, [&](Communicator& comm) {
    return RunDedupDistributed(comm, TempPath(".absent"), DedupOutputs{out, ""}, Options(5))
        .status();
  });
  for (const Status& s : status) EXPECT_EQ(s.code(), Status::Code::kNotFound) << s.ToString();
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(DistributedTest, ABrokenGzipStreamFailsEveryRankAndLeavesNoOutput) {
  // The sample compressed and cut in the middle of its stream: one machine reads the records
  // before the break and fails with the gzip error; so does every rank, dedup and cluster, and
  // nothing is put under the output's name.
  const std::string whole = TempPath(".whole.jsonl.gz");
  ASSERT_TRUE(WriteGzip(whole, ReadFileBytes(kSample)));
  const std::string compressed = ReadFileBytes(whole);
  const std::string input = TempPath(".jsonl.gz");
  WriteFile(input, compressed.substr(0, compressed.size() / 2));
  ClusterPipelineOptions cluster;
  cluster.dedup = Options(5);
  const std::string one_out = TempPath(".one.jsonl");
  auto one = RunCluster(input, ClusterOutputs{one_out, "", ""}, cluster);
  ASSERT_FALSE(one.ok());
  const std::string out = TempPath(".jsonl");
  for (int ranks = 1; ranks <= 3; ++ranks) {
    SCOPED_TRACE("ranks " + std::to_string(ranks));
    std::filesystem::remove(out);
    for (const Status& s : OnRanks(ranks, [&](Communicator& comm) {
           return RunDedupDistributed(comm, input, DedupOutputs{out, ""}, Options(5)).status();
         })) {
      EXPECT_EQ(s.code(), one.status().code()) << s.ToString();
    }
    EXPECT_FALSE(std::filesystem::exists(out));
    for (const Status& s : OnRanks(ranks, [&](Communicator& comm) {
           return RunClusterDistributed(comm, input, ClusterOutputs{out, "", ""}, cluster)
               .status();
         })) {
      EXPECT_EQ(s.code(), one.status().code()) << s.ToString();
      EXPECT_NE(s.message().find(one.status().message()), std::string::npos) << s.ToString();
    }
    EXPECT_FALSE(std::filesystem::exists(out));
  }
}

// A rank's communicator that throws std::bad_alloc (memory running out in the middle of a stage)
// at its `at`-th collective; the others pass through.
class ThrowingCommunicator final : public Communicator {
 public:
  ThrowingCommunicator(Communicator& inner, int at) : inner_(inner), left_(at) {}
  int calls() const { return calls_; }
  int rank() const override { return inner_.rank(); }
  int size() const override { return inner_.size(); }
  Result<std::vector<std::string>> AllToAll(std::vector<std::string> send) override {
    Tick();
    return inner_.AllToAll(std::move(send));
  }
  Result<std::vector<std::string>> AllGather(std::string mine) override {
    Tick();
    return inner_.AllGather(std::move(mine));
  }
  Result<uint64_t> AllReduceSum(uint64_t value) override {
    Tick();
    return inner_.AllReduceSum(value);
  }
  Status Barrier() override {
    Tick();
    return inner_.Barrier();
  }
  void Abort(const Status& why) override { inner_.Abort(why); }

 private:
  void Tick() {
    ++calls_;
    if (left_-- == 0) throw std::bad_alloc();
  }
  Communicator& inner_;
  int left_;
  int calls_ = 0;
};

TEST(DistributedTest, ARankRunningOutOfMemoryMidStageEndsEveryRank) {
  // Rank 1 throws at its first collective, at a quarter, half and three quarters of them, in the
  // middle of a stage where the others wait for it: it ends the group (Communicator::Abort), so
  // every rank returns an error naming it instead of waiting for ever (without Abort this test
  // hangs until ctest's timeout: checked).
  const std::string input = GeneratedCorpus(2000, 20, true);
  const std::string out = TempPath(".out.jsonl");
  // Runs dedup or cluster on 3 ranks, rank 1 throwing at its `at`-th collective (-1: never);
  // returns every rank's status and rank 1's number of collectives.
  auto run = [&](bool cluster, int at, int* calls) {
    auto comms = InProcessCommunicators(3);
    std::vector<Status> status(3);
    std::vector<std::thread> threads;
    for (int r = 0; r < 3; ++r) {
      threads.emplace_back([&, r] {
        ThrowingCommunicator throwing(*comms[r], r == 1 ? at : -1);
        Communicator& comm = r == 1 ? static_cast<Communicator&>(throwing) : *comms[r];
        ClusterPipelineOptions options;
        options.dedup = Options(64);
        status[static_cast<size_t>(r)] =
            cluster
                ? RunClusterDistributed(comm, input, ClusterOutputs{out, "", ""}, options).status()
                : RunDedupDistributed(comm, input, DedupOutputs{out, ""}, options.dedup).status();
        if (r == 1) *calls = throwing.calls();
      });
    }
    for (std::thread& t : threads) t.join();
    return status;
  };
  for (bool cluster : {false, true}) {
    int total = 0;
    for (const Status& s : run(cluster, -1, &total)) ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_GT(total, 8);
    for (int at : {0, total / 4, total / 2, 3 * total / 4}) {
      SCOPED_TRACE(std::string(cluster ? "cluster" : "dedup") + ", collective " +
                   std::to_string(at) + " of " + std::to_string(total));
      std::filesystem::remove(out);
      int calls = 0;
      const std::vector<Status> status = run(cluster, at, &calls);
      for (const Status& s : status) {
        EXPECT_FALSE(s.ok());
        EXPECT_NE(s.message().find("rank 1"), std::string::npos) << s.ToString();
        EXPECT_NE(s.message().find("out of memory"), std::string::npos) << s.ToString();
      }
      EXPECT_FALSE(std::filesystem::exists(out));
    }
  }
}

TEST(DistributedTest, StandardInputIsRefusedOnEveryRank) {
  // mpirun gives standard input to rank 0 only: a run over it would not match up.
  auto status = OnRanks(2, [&](Communicator& comm) {
    return RunDedupDistributed(comm, "-", DedupOutputs{TempPath(".jsonl"), ""}, Options(5))
        .status();
  });
  for (const Status& s : status) {
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << s.ToString();
  }
}

// The exact dedup mode gathers every fingerprint on rank 0 (no shuffle): its cluster and dedup
// outputs equal one machine's too.
TEST(DistributedTest, ExactModeGathersAndEqualsOneMachine) {
  const std::string input = GeneratedCorpus(600, 3, false);
  ClusterPipelineOptions cluster;
  cluster.dedup = Options(64);
  cluster.dedup.dedup.mode = DedupMode::kExact;
  const std::string want = TempPath(".cluster.jsonl"), got = TempPath(".got.cluster.jsonl");
  auto one = RunCluster(input, ClusterOutputs{want, "", ""}, cluster);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ASSERT_GT(one.value().dedup.groups, 0u);
  for (int ranks = 1; ranks <= 3; ++ranks) {
    SCOPED_TRACE("ranks " + std::to_string(ranks));
    for (const Status& s : OnRanks(ranks, [&](Communicator& comm) {
           return RunClusterDistributed(comm, input, ClusterOutputs{got, "", ""}, cluster)
               .status();
         })) {
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    EXPECT_EQ(ReadFileBytes(got), ReadFileBytes(want));
  }
}

// With a saved model the ranks fit nothing: every rank's run uses the model rank 0 read, as one
// machine uses it (a model fitted on other articles: its documents are not this run's).
TEST(DistributedTest, ASavedModelIsUsedAsOneMachineUsesIt) {
  const std::string model = TempPath(".model");
  ClusterPipelineOptions fit;
  fit.dedup = Options(64);
  auto fitted =
      RunCluster(GeneratedCorpus(300, 2, false), ClusterOutputs{TempPath(".fit.jsonl"), "", model},
                 fit);
  ASSERT_TRUE(fitted.ok()) << fitted.status().ToString();
  const std::string input = GeneratedCorpus(600, 3, false);
  ClusterPipelineOptions cluster;
  cluster.dedup = Options(64);
  cluster.model = model;
  const std::string want = TempPath(".cluster.jsonl");
  auto one = RunCluster(input, ClusterOutputs{want, "", ""}, cluster);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ASSERT_TRUE(one.value().model_loaded);
  for (int ranks = 1; ranks <= 3; ++ranks) {
    SCOPED_TRACE("ranks " + std::to_string(ranks));
    const std::string got = TempPath(".got.cluster.jsonl");
    ClusterSummary summary;
    for (const Status& s : OnRanks(ranks, [&](Communicator& comm) {
           auto r = RunClusterDistributed(comm, input, ClusterOutputs{got, "", ""}, cluster);
           if (r.ok() && comm.rank() == 0) summary = r.value().run;
           return r.status();
         })) {
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    EXPECT_TRUE(summary.model_loaded);
    EXPECT_EQ(summary.model_documents, fitted.value().model_documents);
    EXPECT_EQ(ReadFileBytes(got), ReadFileBytes(want));
  }
}

TEST(DistributedTest, SummaryCountsEveryRanksShare) {
  std::vector<DistributedDedupSummary> summaries(3);
  const std::string out = TempPath(".jsonl");
  auto comms = InProcessCommunicators(3);
  std::vector<std::thread> threads;
  for (int r = 0; r < 3; ++r) {
    threads.emplace_back([&, r] {
      auto s = RunDedupDistributed(*comms[r], kSample, DedupOutputs{out, ""}, Options(5));
      if (s.ok()) summaries[r] = s.value();
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(summaries[0].ranks.size(), 3u);
  uint64_t records = 0;
  for (const RankSummary& r : summaries[0].ranks) {
    records += r.records;
    EXPECT_GT(r.records, 0u);
  }
  EXPECT_EQ(records, summaries[0].run.articles);
  EXPECT_GT(summaries[0].ranks[1].bytes_sent, 0u);
}

}  // namespace
}  // namespace samestory
