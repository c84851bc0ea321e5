// Tests of the news-feed mode (samestory/feed.h):
// 1. Decisions: a copy points at its original, a report on the same event joins its story, an
//    unrelated article starts a new story; bad records are answered with an error.
// 2. Windows: an original older than the duplicate window no longer attracts copies.
// 3. Persistence: a feed reopened (from the log, from a snapshot, or both) answers the rest of a
//    stream exactly as an uninterrupted feed; a torn log tail is dropped; a damaged snapshot and
//    other output-affecting options are refused; a state directory is locked.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "samestory/feed.h"

namespace samestory {
namespace {

namespace fs = std::filesystem;

class FeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("samestory_feed_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Dir(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

std::string Record(const std::string& id, const std::string& date, const std::string& title,
                   const std::string& text) {
  return "{\"id\":\"" + id + "\",\"date\":\"" + date + "\",\"title\":\"" + title +
         "\",\"text\":\"" + text + "\",\"lang\":\"en\"}";
}

std::unique_ptr<Feed> MustOpen(const std::string& dir, const FeedOptions& options = {}) {
  auto feed = Feed::Open(dir, options);
  EXPECT_TRUE(feed.ok()) << dir << ": " << feed.status().ToString();
  if (!feed.ok()) return nullptr;
  return std::move(feed.value());
}

std::string MustProcess(Feed& feed, const std::string& line) {
  auto d = feed.Process(line, 1);
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return d.ok() ? d.value() : "";
}

// The answers to `lines` from a feed closed after the first `cut` (each checkpointed) and
// reopened on its state for the rest.
std::vector<std::string> AnswerWithARestart(const std::string& dir, const FeedOptions& options,
                                            const std::vector<std::string>& lines, size_t cut) {
  std::vector<std::string> out;
  {
    auto feed = MustOpen(dir, options);
    if (feed == nullptr) return out;
    for (size_t i = 0; i < cut; ++i) {
      out.push_back(MustProcess(*feed, lines[i]));
      EXPECT_TRUE(feed->Checkpoint().ok());
    }
  }
  auto feed = MustOpen(dir, options);
  if (feed == nullptr) return out;
  EXPECT_EQ(feed->answered(), cut);
  EXPECT_EQ(feed->last_answer(), out.back());
  for (size_t i = cut; i < lines.size(); ++i) {
    out.push_back(MustProcess(*feed, lines[i]));
    EXPECT_TRUE(feed->Checkpoint().ok());
  }
  return out;
}

const char kSummit[] =
    "Leaders of the Nordic Council met in Tromso on Monday to sign a fisheries accord covering "
    "cod quotas in the Barents Sea, ending three years of talks between Norway, Iceland and the "
    "Faroe Islands over the northern stocks and the patrol of disputed waters";
const char kSummitOther[] =
    "In Tromso the Nordic Council signed its Barents Sea fisheries accord, fixing cod quotas for "
    "Norway, Iceland and the Faroe Islands after three years of talks; ministers said patrols of "
    "the disputed northern waters would be shared from next spring";
const char kVolcano[] =
    "A volcano on the Reykjanes peninsula erupted overnight, sending lava toward the town of "
    "Grindavik, whose residents had been evacuated last week as earthquakes shook the region and "
    "scientists warned of a fissure opening close to the harbour";

// Unrelated articles, so that document frequencies tell common words from rare ones (with three
// articles in the feed every shared word weighs alike, and the batch too links the volcano to
// the accord).
const char* const kBackground[] = {
    "The central bank raised its key interest rate by a quarter point on Tuesday, citing inflation "
    "that has stayed above its target for a third year as wages and rents climbed",
    "A football club sacked its manager after a run of seven defeats left the team one place above "
    "the relegation zone with ten matches of the season left to play",
    "Heavy snow closed the main motorway between the two cities for most of the day and the rail "
    "operator cancelled dozens of trains as temperatures fell below minus fifteen",
    "The software company reported quarterly revenue up twelve percent, helped by its cloud "
    "business, and said it would buy back shares worth two billion dollars over the year",
    "A museum reopened its renovated wing with an exhibition of medieval manuscripts lent by "
    "libraries in Italy, France and Spain, the first time they have been shown together"};

TEST_F(FeedTest, CopiesPointAtTheOriginalReportsJoinTheStoryOthersStartOne) {
  auto feed = MustOpen(Dir("s"));
  ASSERT_NE(feed, nullptr);
  int n = 0;
  for (const char* text : kBackground) {
    MustProcess(*feed, Record("f" + std::to_string(n++), "2024-03-01", "Background", text));
  }
  const uint64_t background_stories = feed->stats().new_stories;
  const std::string a = MustProcess(*feed, Record("a", "2024-03-04", "Fisheries accord", kSummit));
  // One output contract (issue 13): an article without a copy is its own group, as in `dedup`
  // and `cluster`, never null.
  EXPECT_EQ(a,
            "{\"id\":\"a\",\"dup\":\"a\",\"dup_score\":1.0000,\"dup_kind\":null,\"story\":\"a\","
            "\"story_score\":null,\"new_story\":true}");
  // A wire copy under a longer headline. (This text has under 60 words: a short text, whose copy
  // under another headline naming other things would be taken for another notice.)
  const std::string copy = MustProcess(
      *feed, Record("a-copy", "2024-03-04T10:00", "Fisheries accord signed in Tromso", kSummit));
  EXPECT_NE(copy.find("\"dup\":\"a\",\"dup_score\":1.0000,\"dup_kind\":\"copy\",\"story\":\"a\""),
            std::string::npos)
      << copy;
  // Another outlet's report on the same event.
  const std::string other =
      MustProcess(*feed, Record("b", "2024-03-05", "Nordic Council fisheries accord", kSummitOther));
  EXPECT_NE(other.find("\"dup\":\"b\""), std::string::npos) << other;
  EXPECT_NE(other.find("\"story\":\"a\""), std::string::npos) << other;
  EXPECT_NE(other.find("\"new_story\":false"), std::string::npos) << other;
  const std::string volcano =
      MustProcess(*feed, Record("c", "2024-03-05", "Eruption near Grindavik", kVolcano));
  EXPECT_NE(volcano.find("\"story\":\"c\""), std::string::npos) << volcano;
  EXPECT_NE(volcano.find("\"new_story\":true"), std::string::npos) << volcano;
  EXPECT_EQ(feed->answered(), 4u + std::size(kBackground));
  EXPECT_EQ(feed->stats().duplicates, 1u);
  EXPECT_EQ(feed->stats().new_stories - background_stories, 2u);
}

// Two stories answered apart (an earthquake rescue, a rebuilding fund) until an article covers
// both: its answer joins one, and a merge record follows it, naming the story whose earliest
// article is earliest as the survivor, as the batch's story id would (issue 13). A restart at any
// point gives the same answers and merges.
std::vector<std::string> MergeStream() {
  std::vector<std::string> lines;
  int n = 0;
  for (const char* text : kBackground) {
    lines.push_back(Record("f" + std::to_string(n++), "2024-03-01", "Background", text));
  }
  const char* const rescue =
      "Rescue teams searched collapsed buildings in the mountain town after the earthquake struck "
      "before dawn, and officials said hundreds of families had spent the night in tents near the "
      "stadium";
  const char* const rescue2 =
      "After the earthquake hit the mountain town before dawn, rescue teams dug through collapsed "
      "buildings while hundreds of families slept in tents set up near the stadium";
  const char* const fund =
      "The regional government approved emergency funds to rebuild schools and the hospital "
      "damaged by floods, with engineers inspecting bridges and roads for cracks";
  const char* const fund2 =
      "Emergency funds to rebuild the hospital and schools damaged by floods were approved by the "
      "regional government, while engineers checked bridges and roads for cracks";
  const char* const both =
      "Rescue teams searched collapsed buildings after the earthquake as families spent the night "
      "in tents near the stadium; the regional government approved emergency funds to rebuild "
      "schools and the hospital while engineers inspected bridges and roads";
  lines.push_back(Record("y1", "2024-03-01", "Funds approved", fund));
  lines.push_back(Record("x1", "2024-03-02", "Earthquake rescue", rescue));
  lines.push_back(Record("x2", "2024-03-02", "Earthquake rescue goes on", rescue2));
  lines.push_back(Record("y2", "2024-03-02", "Rebuilding funds", fund2));
  lines.push_back(Record("z", "2024-03-03", "Earthquake: rescue and rebuilding", both));
  return lines;
}

TEST_F(FeedTest, StoriesMergeWhenAnArticleLinksThemAndAMergeRecordSaysSo) {
  FeedOptions options;
  options.snapshot_every = 3;
  const std::vector<std::string> lines = MergeStream();
  std::vector<std::string> reference;
  {
    auto feed = MustOpen(Dir("ref"), options);
    ASSERT_NE(feed, nullptr);
    for (const std::string& l : lines) reference.push_back(MustProcess(*feed, l));
    EXPECT_EQ(feed->stats().merges, 1u);
  }
  const size_t k = lines.size() - 5;
  EXPECT_NE(reference[k + 1].find("\"story\":\"x1\",\"story_score\":null,\"new_story\":true"),
            std::string::npos)
      << reference[k + 1];
  EXPECT_NE(reference[k + 3].find("\"story\":\"y1\""), std::string::npos) << reference[k + 3];
  const std::string& z = reference[k + 4];
  const size_t newline = z.find('\n');
  ASSERT_NE(newline, std::string::npos) << "no merge record after " << z;
  EXPECT_EQ(z.find('\n', newline + 1), std::string::npos) << "one merge record: " << z;
  EXPECT_NE(z.find("\"new_story\":false"), std::string::npos) << z;
  EXPECT_EQ(z.substr(newline + 1, 32), "{\"merge\":\"x1\",\"into\":\"y1\",\"score") << z;
  EXPECT_NE(z.substr(0, newline).find("\"story\":\"y1\""), std::string::npos) << z;
  for (size_t cut = 1; cut < lines.size(); ++cut) {
    EXPECT_EQ(AnswerWithARestart(Dir("cut" + std::to_string(cut)), options, lines, cut), reference)
        << "cut after " << cut;
  }
}

// --merge-every larger than the stream: every article is answered as a new story, and Flush
// runs the pending merges at the end, as merge records, ending in the same partition as merging
// on arrival. The pass is logged: a feed reopened after it has nothing pending and the same last
// answer (its merges included); one reopened before it (log entry lost) runs it the same way.
TEST_F(FeedTest, FlushRunsTheDeferredMergesAndARestartKeepsThem) {
  FeedOptions options;
  options.merge_every = 1000;
  const std::vector<std::string> lines = MergeStream();
  std::string merges;
  std::string last;
  {
    auto feed = MustOpen(Dir("s"), options);
    ASSERT_NE(feed, nullptr);
    for (const std::string& l : lines) {
      const std::string answer = MustProcess(*feed, l);
      EXPECT_NE(answer.find("\"new_story\":true"), std::string::npos) << answer;
      EXPECT_EQ(answer.find('\n'), std::string::npos) << "a merge before the pass: " << answer;
    }
    auto flushed = feed->Flush();
    ASSERT_TRUE(flushed.ok()) << flushed.status().ToString();
    merges = flushed.value();
    EXPECT_GT(feed->stats().merges, 0u);
    auto again = feed->Flush();
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again.value(), "") << "nothing pending after a pass";
    last = feed->last_answer();
  }
  // Applying the merges: x1, x2, y1, y2, z end in one story, named y1 (the earliest article).
  std::map<std::string, std::string> into;
  for (size_t pos = 0; pos < merges.size();) {
    size_t end = merges.find('\n', pos);
    if (end == std::string::npos) end = merges.size();
    const std::string m = merges.substr(pos, end - pos);
    pos = end + 1;
    ASSERT_EQ(m.rfind("{\"merge\":\"", 0), 0u) << m;
    const size_t a = 10, b = m.find('"', a);
    const size_t c = m.find("\"into\":\"") + 8, d = m.find('"', c);
    into[m.substr(a, b - a)] = m.substr(c, d - c);
  }
  auto find = [&](std::string x) {
    while (into.count(x)) x = into[x];
    return x;
  };
  for (const char* id : {"x1", "x2", "y2", "z"}) EXPECT_EQ(find(id), "y1") << id << ": " << merges;
  EXPECT_EQ(last.substr(last.size() - merges.size()), merges);
  {
    auto feed = MustOpen(Dir("s"), options);
    ASSERT_NE(feed, nullptr);
    EXPECT_EQ(feed->last_answer(), last);
    auto flushed = feed->Flush();
    ASSERT_TRUE(flushed.ok());
    EXPECT_EQ(flushed.value(), "") << "the pass was replayed from the log";
  }
}

TEST_F(FeedTest, BadRecordsAreAnsweredAndTheFeedGoesOn) {
  auto feed = MustOpen(Dir("s"));
  ASSERT_NE(feed, nullptr);
  EXPECT_EQ(MustProcess(*feed, "{not json"),
            "{\"id\":null,\"line\":1,\"dup\":null,\"dup_score\":null,\"dup_kind\":null,\"story\":null,"
            "\"error\":\"invalid JSON: The JSON document has "
            "an improper structure: missing or superfluous commas, braces, missing keys, etc.\"}");
  const std::string no_id = MustProcess(*feed, "{\"title\":\"x\",\"text\":\"y\"}");
  EXPECT_NE(no_id.find("\"error\":\"missing id"), std::string::npos) << no_id;
  const std::string empty = MustProcess(*feed, "{\"id\":\"e\"}");
  EXPECT_NE(empty.find("\"error\":\"empty article"), std::string::npos) << empty;
  const std::string first = MustProcess(*feed, Record("a", "2024-03-04", "Accord", kSummit));
  EXPECT_EQ(first.find("error"), std::string::npos) << first;
  // The same id with other content is an error; the very same line again is the same answer.
  const std::string clash = MustProcess(*feed, Record("a", "2024-03-04", "Eruption", kVolcano));
  EXPECT_NE(clash.find("\"error\":\"duplicate id"), std::string::npos) << clash;
  EXPECT_EQ(MustProcess(*feed, Record("a", "2024-03-04", "Accord", kSummit)), first);
  EXPECT_EQ(MustProcess(*feed, "   "), "") << "a blank line is not a record";
  EXPECT_EQ(feed->answered(), 6u);
  EXPECT_EQ(feed->stats().bad_records, 4u);
  EXPECT_EQ(feed->stats().replayed, 1u);
}

// Issue 14: 8,000 identical articles took the feed 25 s (each judged against every earlier one
// in its buckets). Now an article meets at most bucket_window members of each bucket.
TEST_F(FeedTest, ThousandsOfIdenticalArticlesCostLinearTime) {
  auto feed = MustOpen(Dir("s"));
  ASSERT_NE(feed, nullptr);
  constexpr int kArticles = 3000;
  for (int i = 0; i < kArticles; ++i) {
    const std::string answer = MustProcess(
        *feed, Record("x" + std::to_string(i), "2024-03-01T10:00", "Accord", kSummit));
    if (i > 0) {
      ASSERT_NE(answer.find("\"dup\":\"x0\""), std::string::npos) << answer;
    }
  }
  EXPECT_EQ(feed->stats().duplicates, static_cast<uint64_t>(kArticles - 1));
  EXPECT_LE(feed->stats().copy_candidates, static_cast<uint64_t>(kArticles) * 32);
  EXPECT_GE(feed->stats().copy_candidates, static_cast<uint64_t>(kArticles - 1));
}

TEST_F(FeedTest, OriginalsOlderThanTheDuplicateWindowAttractNoCopies) {
  auto feed = MustOpen(Dir("s"));  // duplicate window: 4 days
  ASSERT_NE(feed, nullptr);
  MustProcess(*feed, Record("a", "2024-03-01", "Accord", kSummit));
  // (A text this short recurs daily as a notice: a copy comes within 20 hours.)
  const std::string near =
      MustProcess(*feed, Record("a2", "2024-03-01T12:00", "Accord", kSummit));
  EXPECT_NE(near.find("\"dup\":\"a\""), std::string::npos) << near;
  // The clock moves to March 10: "a" and "a2" leave the duplicate window.
  MustProcess(*feed, Record("c", "2024-03-10", "Eruption", kVolcano));
  const std::string late = MustProcess(*feed, Record("a3", "2024-03-10", "Accord", kSummit));
  EXPECT_NE(late.find("\"dup\":\"a3\""), std::string::npos) << late;
  EXPECT_EQ(feed->stats().dup_window_articles, 2u);  // c and a3
}

// A stream of related and unrelated articles over three weeks, with copies and bad lines.
std::vector<std::string> Stream() {
  std::mt19937 rng(7);
  const std::vector<std::string> texts = {kSummit, kSummitOther, kVolcano};
  std::vector<std::string> lines;
  for (int i = 0; i < 120; ++i) {
    const int day = 1 + i / 6;
    char date[32];
    std::snprintf(date, sizeof(date), "2024-03-%02d", day);
    std::string text = texts[static_cast<size_t>(rng() % texts.size())];
    if (rng() % 3 == 0) text += " Update " + std::to_string(i) + " adds a sentence of new detail";
    lines.push_back(Record("n" + std::to_string(i), date, "Report " + std::to_string(i % 7), text));
    if (i % 17 == 0) lines.push_back("{\"id\":\"bad" + std::to_string(i) + "\"");
  }
  return lines;
}

std::vector<std::string> Uninterrupted(const std::string& dir, const FeedOptions& options) {
  auto feed = MustOpen(dir, options);
  std::vector<std::string> out;
  for (const std::string& l : Stream()) out.push_back(MustProcess(*feed, l));
  return out;
}

TEST_F(FeedTest, ReopenedFeedAnswersTheRestOfTheStreamAsAnUninterruptedOne) {
  FeedOptions options;
  options.snapshot_every = 25;  // snapshots and log replay both happen
  const std::vector<std::string> reference = Uninterrupted(Dir("ref"), options);
  const std::vector<std::string> lines = Stream();
  for (size_t cut : {size_t{1}, size_t{24}, size_t{25}, size_t{26}, size_t{70}}) {
    EXPECT_EQ(AnswerWithARestart(Dir("cut" + std::to_string(cut)), options, lines, cut), reference)
        << "cut after " << cut;
  }
}

TEST_F(FeedTest, TornLogTailIsDroppedAndDamagedSnapshotIsRefused) {
  const std::vector<std::string> lines = Stream();
  {
    auto feed = MustOpen(Dir("s"));
    ASSERT_NE(feed, nullptr);
    for (size_t i = 0; i < 5; ++i) MustProcess(*feed, lines[i]);
  }
  {
    std::ofstream log(Dir("s") + "/log", std::ios::binary | std::ios::app);
    log << "SSLE\x40";  // the start of an entry cut short
  }
  {
    auto feed = MustOpen(Dir("s"));
    ASSERT_NE(feed, nullptr);
    EXPECT_EQ(feed->answered(), 5u);
    EXPECT_EQ(feed->stats().recovered, 5u);
    ASSERT_TRUE(feed->Snapshot().ok());
  }
  EXPECT_EQ(fs::file_size(Dir("s") + "/log"), 0u) << "a snapshot empties the log";
  {
    std::fstream snap(Dir("s") + "/snapshot", std::ios::binary | std::ios::in | std::ios::out);
    snap.seekp(40);
    snap.put('\x7f');
  }
  auto broken = Feed::Open(Dir("s"), FeedOptions());
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), Status::Code::kCorruption) << broken.status().ToString();
}

TEST_F(FeedTest, OtherOutputAffectingOptionsAndASecondFeedAreRefused) {
  {
    auto feed = MustOpen(Dir("s"));
    ASSERT_NE(feed, nullptr);
    MustProcess(*feed, Record("a", "2024-03-04", "Accord", kSummit));
    auto second = Feed::Open(Dir("s"), FeedOptions());
    ASSERT_FALSE(second.ok());
    EXPECT_NE(second.status().message().find("in use by another feed"), std::string::npos)
        << second.status().ToString();
  }
  FeedOptions other;
  other.cluster.threshold = 0.2;
  auto refused = Feed::Open(Dir("s"), other);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("story_threshold"), std::string::npos)
      << refused.status().ToString();
  // Performance-only options may change.
  FeedOptions faster;
  faster.sync_every = 1;
  faster.snapshot_every = 3;
  auto reopened = Feed::Open(Dir("s"), faster);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(reopened.value()->answered(), 1u);
}


TEST_F(FeedTest, ReadOnlyFeedAnswersAgainstTheStateWithoutChangingIt) {
  const std::vector<std::string> lines = Stream();
  const size_t cut = 60;
  {
    auto feed = MustOpen(Dir("s"));
    ASSERT_NE(feed, nullptr);
    for (size_t i = 0; i < cut; ++i) MustProcess(*feed, lines[i]);
  }
  const auto log_size = fs::file_size(Dir("s") + "/log");
  std::vector<std::string> read_only;
  {
    FeedOptions ro;
    ro.read_only = true;
    auto reader = MustOpen(Dir("s"), ro);
    ASSERT_NE(reader, nullptr);
    auto second = Feed::Open(Dir("s"), ro);  // readers share the state
    EXPECT_TRUE(second.ok()) << second.status().ToString();
    auto writer = Feed::Open(Dir("s"), FeedOptions());  // a writer does not
    EXPECT_FALSE(writer.ok());
    for (size_t i = cut; i < lines.size(); ++i) read_only.push_back(MustProcess(*reader, lines[i]));
    EXPECT_FALSE(reader->Snapshot().ok());
  }
  EXPECT_EQ(fs::file_size(Dir("s") + "/log"), log_size) << "nothing written";
  EXPECT_FALSE(fs::exists(Dir("s") + "/snapshot"));
  // The same answers a writing feed gives, and the state still takes a writer.
  auto feed = MustOpen(Dir("s"));
  ASSERT_NE(feed, nullptr);
  EXPECT_EQ(feed->answered(), cut);
  for (size_t i = cut; i < lines.size(); ++i) {
    EXPECT_EQ(MustProcess(*feed, lines[i]), read_only[i - cut]) << "line " << i;
  }
  FeedOptions ro;
  ro.read_only = true;
  auto missing = Feed::Open(Dir("nothing-here"), ro);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace samestory
