// Tests for the pipeline functions (samestory/pipeline.h) called directly: records in (a file, or
// records a caller supplies) and results out; the file-to-file forms write what the results say.
#include "samestory/pipeline.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "test_temp.h"

namespace samestory {
namespace {

const std::string kSample = std::string(SAMESTORY_SOURCE_DIR) + "/datasets/sample/articles.jsonl";

std::string TempPath(std::string_view suffix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return testing_util::TestTempDir() + "samestory_pipeline_" + info->name() + std::string(suffix);
}

std::string ReadFileBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t from = 0;
  while (from < text.size()) {
    size_t nl = text.find('\n', from);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(from, nl - from));
    from = nl + 1;
  }
  return out;
}

// A supplier over `records`; after `fail_after` records (when set) it fails with IOError.
RecordSupplier Supply(std::vector<std::string> records, size_t fail_after = SIZE_MAX) {
  auto next = std::make_shared<size_t>(0);
  auto held = std::make_shared<std::vector<std::string>>(std::move(records));
  return [next, held, fail_after](SuppliedRecord* record, bool* done) -> Status {
    if (*next == fail_after) return Status::IOError("the caller's source broke");
    if (*next == held->size()) {
      *done = true;
      return Status::OK();
    }
    record->text = (*held)[(*next)++];
    return Status::OK();
  };
}

DedupPipelineOptions SmallBatches() {
  DedupPipelineOptions o;
  o.batch_size = 7;  // several batches over the sample, read ahead on a second thread
  o.threads = 2;
  return o;
}

TEST(PipelineTest, DedupResultIsWhatRunDedupWrites) {
  auto reader = JsonlReader::Open(kSample, ReaderOptions{});
  ASSERT_TRUE(reader.ok());
  auto result = Dedup(*reader.value(), SmallBatches());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const std::string out = TempPath(".jsonl");
  auto summary = RunDedup(kSample, DedupOutputs{out, ""}, SmallBatches());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(ToJsonLines(result.value()), ReadFileBytes(out));
  EXPECT_EQ(result.value().summary.groups, summary.value().groups);
  EXPECT_GT(result.value().summary.groups, 0u);  // the sample has copies
}

TEST(PipelineTest, SuppliedRecordsGiveTheFilesAnswer) {
  const std::vector<std::string> lines = Lines(ReadFileBytes(kSample));
  ASSERT_GT(lines.size(), 20u);
  auto file = JsonlReader::Open(kSample, ReaderOptions{});
  auto supplied = JsonlReader::FromRecords(Supply(lines), ReaderOptions{});
  ASSERT_TRUE(file.ok() && supplied.ok());
  auto a = Dedup(*file.value(), SmallBatches());
  auto b = Dedup(*supplied.value(), SmallBatches());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.value().representative, b.value().representative);
  EXPECT_EQ(ToJsonLines(a.value()), ToJsonLines(b.value()));
}

TEST(PipelineTest, BadSuppliedRecordsComeBackAsErrors) {
  auto reader = JsonlReader::FromRecords(
      Supply({R"({"id":"a","text":"one two three four five six seven"})", "not json",
              R"({"id":"a","text":"again"})", R"({"title":"no id"})", "", R"({"id":"e"})",
              "{\"id\":\"u\",\"text\":\"bad \xff byte\"}"}),
      ReaderOptions{});
  ASSERT_TRUE(reader.ok());
  auto result = Dedup(*reader.value(), DedupPipelineOptions{});
  ASSERT_TRUE(result.ok());
  const DedupResult& r = result.value();
  ASSERT_EQ(r.size(), 6u);  // the blank record is skipped, but numbered
  EXPECT_EQ(r.errors[0], "");
  EXPECT_NE(r.errors[1], "");
  EXPECT_NE(r.errors[2].find("duplicate id"), std::string::npos) << r.errors[2];
  EXPECT_NE(r.errors[3], "");
  EXPECT_EQ(r.lines[4], 6u);
  EXPECT_NE(r.errors[4], "");  // no title and no text
  EXPECT_NE(r.errors[5], "");  // invalid UTF-8
  EXPECT_EQ(r.summary.bad_records, 5u);
}

TEST(PipelineTest, SupplierErrorKeepsTheRecordsBeforeIt) {
  const std::vector<std::string> lines = Lines(ReadFileBytes(kSample));
  auto reader = JsonlReader::FromRecords(Supply(lines, 10), ReaderOptions{});
  ASSERT_TRUE(reader.ok());
  auto result = Dedup(*reader.value(), SmallBatches());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().size(), 10u);
  EXPECT_EQ(result.value().input_status.code(), Status::Code::kIOError);
}

TEST(PipelineTest, CancelledRunStops) {
  auto reader = JsonlReader::Open(kSample, ReaderOptions{});
  ASSERT_TRUE(reader.ok());
  int asked = 0;
  RunHooks hooks;
  hooks.cancelled = [&] { return ++asked == 2; };
  auto result = Dedup(*reader.value(), SmallBatches(), hooks);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kCancelled);
  EXPECT_EQ(asked, 2);
}

TEST(PipelineTest, FingerprintKeysJoinTheCopiesDedupGroups) {
  auto a = JsonlReader::Open(kSample, ReaderOptions{});
  auto b = JsonlReader::Open(kSample, ReaderOptions{});
  ASSERT_TRUE(a.ok() && b.ok());
  auto fp = Fingerprint(*a.value(), SmallBatches());
  auto dups = Dedup(*b.value(), SmallBatches());
  ASSERT_TRUE(fp.ok() && dups.ok());
  const FingerprintResult& f = fp.value();
  const size_t n = f.ids.size();
  ASSERT_EQ(f.ids, dups.value().ids);
  ASSERT_EQ(f.sketches.size(), n * static_cast<size_t>(f.sketch_bins));
  ASSERT_EQ(f.keys.size(), n * f.key_columns);
  int joined = 0;
  for (size_t i = 0; i < n; ++i) {
    const size_t j = dups.value().representative[i];
    if (j == i || f.is_short[i] || f.is_short[j]) continue;
    bool shared = false;
    for (size_t c = 0; c < f.key_columns; ++c) {
      const uint32_t k = f.keys[i * f.key_columns + c];
      shared |= k != 0 && k == f.keys[j * f.key_columns + c];
    }
    EXPECT_TRUE(shared) << f.ids[i] << " and " << f.ids[j];
    ++joined;
  }
  EXPECT_GT(joined, 5);
}

TEST(PipelineTest, ClusterResultIsWhatRunClusterWrites) {
  ClusterPipelineOptions options;
  options.dedup = SmallBatches();
  options.summarize_stories = true;
  auto reader = JsonlReader::Open(kSample, ReaderOptions{});
  ASSERT_TRUE(reader.ok());
  auto result = Cluster(*reader.value(), options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ClusterResult& r = result.value();
  const std::string out = TempPath(".jsonl"), stories = TempPath(".stories.jsonl");
  auto summary = RunCluster(kSample, ClusterOutputs{out, stories, ""}, options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(ToJsonLines(r), ReadFileBytes(out));
  // One summary per story, each as large as its members, named after a member.
  std::vector<uint32_t> size(r.story.size(), 0);
  for (uint32_t s : r.story) {
    if (s != UINT32_MAX) ++size[s];
  }
  size_t named = 0;
  for (uint32_t s : size) named += s > 0;
  ASSERT_EQ(r.stories.size(), named);
  for (const StorySummary& s : r.stories) {
    EXPECT_EQ(s.size, size[s.story]);
    EXPECT_EQ(r.story[s.story], s.story);
  }
  EXPECT_EQ(Lines(ReadFileBytes(stories)).size(), r.stories.size());
  ASSERT_NE(r.model, nullptr);
  EXPECT_GT(r.model->num_terms(), 0u);
  EXPECT_GT(r.summary.stories, 0u);
}

// The titles are kept for the story summaries alone: without them the run holds less (the
// summary's memory.records counts what the pass keeps of its records) and answers the same.
TEST(PipelineTest, TitlesAreKeptOnlyToSummarizeStories) {
  ClusterPipelineOptions options;
  options.dedup = SmallBatches();
  auto run = [&](bool summarize) {
    options.summarize_stories = summarize;
    auto reader = JsonlReader::Open(kSample, ReaderOptions{});
    EXPECT_TRUE(reader.ok());
    auto result = Cluster(*reader.value(), options);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return std::move(result.value());
  };
  const ClusterResult with = run(true), without = run(false);
  EXPECT_EQ(ToJsonLines(with), ToJsonLines(without));
  EXPECT_FALSE(with.stories.empty());
  EXPECT_TRUE(without.stories.empty());
  const size_t n = with.records.size();
  ASSERT_GT(n, 0u);
  // At least a string per record (the titles' own bytes besides).
  EXPECT_GE(with.records.summary.memory.records,
            without.records.summary.memory.records + n * sizeof(std::string));
}

}  // namespace
}  // namespace samestory
