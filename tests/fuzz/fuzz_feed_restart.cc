// Fuzz target: the news feed's restart property (issue 14). The input drives a stream of records
// (made from a small vocabulary, so that copies, shared stories and merges happen; with bad
// records, repeated lines and dates that move the clock and evict) and a set of restart points.
// The stream is answered once by a feed left open, and once by a feed that is closed and
// reopened on its state directory at each restart point (sometimes without Close: a process
// killed after its last answer), both with the same --merge-every (1-4) and Flush points. Property, besides no crash, leak or UB: the two give the same
// answers, merge records included, and the same answered() count.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "samestory/feed.h"

namespace samestory::fuzz {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kWords[] = {
    "harbour", "ferry",  "strike", "union",   "dock",    "workers", "island", "talks",
    "frost",   "cherry", "valley", "growers", "harvest", "blossom", "aid",    "council",
    "chess",   "title",  "final",  "rapid",   "tiebreak", "champion", "young", "city",
    "bridge",  "river",  "flood",  "rescue",  "teams",   "night",   "pay",    "deal"};
constexpr size_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);

// Consumes the input byte by byte (zeros after its end).
struct Bytes {
  const uint8_t* data;
  size_t size;
  size_t pos = 0;
  uint8_t Next() { return pos < size ? data[pos++] : 0; }
  bool done() const { return pos >= size; }
};

std::string Text(Bytes& in, size_t words) {
  std::string t;
  const size_t topic = (in.Next() % 4) * 8;  // each topic draws mostly from its 8 words
  for (size_t i = 0; i < words; ++i) {
    const uint8_t b = in.Next();
    const size_t w = b < 200 ? topic + b % 8 : b % kWordCount;
    if (!t.empty()) t += ' ';
    t += kWords[w];
  }
  return t;
}

struct Stream {
  std::vector<std::string> lines;
  std::vector<uint8_t> restart;  // per line: 0 none, 1 close and reopen after it, 2 no Close
  std::vector<uint8_t> flush;    // per line: Flush after it
  uint64_t snapshot_every = 1;
  uint64_t merge_every = 1;
};

Stream MakeStream(Bytes& in) {
  Stream s;
  s.snapshot_every = 1 + in.Next() % 8;
  s.merge_every = 1 + in.Next() % 4;
  int day = 1;
  const size_t n = 1 + in.Next() % 40;
  for (size_t i = 0; i < n && !in.done(); ++i) {
    const uint8_t kind = in.Next();
    day += kind % 7 == 0 ? in.Next() % 20 : 0;  // now and then the clock jumps (evictions)
    std::string line;
    if (kind % 17 == 0) {
      line = "{\"id\":\"bad" + std::to_string(i) + "\"";  // not JSON
    } else if (kind % 13 == 0 && !s.lines.empty()) {
      line = s.lines[in.Next() % s.lines.size()];  // the same line again
    } else {
      char date[32];
      std::snprintf(date, sizeof(date), "2031-%02d-%02d", 1 + (day / 28) % 12, 1 + day % 28);
      const std::string id = kind % 11 == 0 && i > 0 ? "r" + std::to_string(in.Next() % i)
                                                     : "r" + std::to_string(i);
      line = "{\"id\":\"" + id + "\",\"date\":\"" + date + "\",\"lang\":\"en\",\"title\":\"" +
             Text(in, 4) + "\",\"text\":\"" + Text(in, 20 + in.Next() % 60) + "\"}";
    }
    s.lines.push_back(std::move(line));
    s.restart.push_back(in.Next() % 5 == 0 ? 1 + in.Next() % 2 : 0);
    s.flush.push_back(in.Next() % 4 == 0);
  }
  return s;
}

std::unique_ptr<Feed> MustOpen(const std::string& dir, const FeedOptions& options) {
  auto feed = Feed::Open(dir, options);
  FUZZ_CHECK(feed.ok(), "Feed::Open(%s): %s", dir.c_str(), feed.status().ToString().c_str());
  return std::move(feed.value());
}

std::string MustProcess(Feed& feed, const std::string& line, uint64_t line_no, bool flush) {
  auto answer = feed.Process(line, line_no);
  if (answer.ok() && flush) {
    auto merges = feed.Flush();
    FUZZ_CHECK(merges.ok(), "Flush: %s", merges.status().ToString().c_str());
    if (!merges.value().empty()) answer.value() += "\n" + merges.value();
  }
  FUZZ_CHECK(answer.ok(), "Process: %s", answer.status().ToString().c_str());
  auto checkpoint = feed.Checkpoint();
  FUZZ_CHECK(checkpoint.ok(), "Checkpoint: %s", checkpoint.ToString().c_str());
  return std::move(answer.value());
}

}  // namespace
}  // namespace samestory::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samestory::fuzz;  // NOLINT
  static const ScratchDir scratch("fuzz_feed_restart");
  Bytes in{data, size};
  const Stream s = MakeStream(in);
  samestory::FeedOptions options;
  options.snapshot_every = s.snapshot_every;
  options.merge_every = s.merge_every;
  options.sync_every = 1000000;  // durability is not the property here
  const std::string ref_dir = scratch.File("ref"), dir = scratch.File("restarted");
  std::error_code ec;
  fs::remove_all(ref_dir, ec);
  fs::remove_all(dir, ec);
  std::vector<std::string> reference, restarted;
  uint64_t reference_answered = 0;
  {
    auto feed = MustOpen(ref_dir, options);
    for (size_t i = 0; i < s.lines.size(); ++i) {
      reference.push_back(MustProcess(*feed, s.lines[i], i + 1, s.flush[i]));
    }
    reference_answered = feed->answered();
  }
  auto feed = MustOpen(dir, options);
  for (size_t i = 0; i < s.lines.size(); ++i) {
    restarted.push_back(MustProcess(*feed, s.lines[i], i + 1, s.flush[i]));
    if (s.restart[i] != 0) {
      if (s.restart[i] == 1) {
        auto closed = feed->Close();
        FUZZ_CHECK(closed.ok(), "Close: %s", closed.ToString().c_str());
      }
      const std::string last = feed->last_answer();
      feed.reset();
      feed = MustOpen(dir, options);
      FUZZ_CHECK(feed->answered() == i + 1, "answered %llu after %zu records",
                 static_cast<unsigned long long>(feed->answered()), i + 1);
      FUZZ_CHECK(feed->last_answer() == last, "the last answer changed across a restart");
    }
  }
  FUZZ_CHECK(feed->answered() == reference_answered, "answered %llu, uninterrupted %llu",
             static_cast<unsigned long long>(feed->answered()),
             static_cast<unsigned long long>(reference_answered));
  for (size_t i = 0; i < reference.size(); ++i) {
    FUZZ_CHECK(restarted[i] == reference[i], "record %zu answered\n%s\nuninterrupted\n%s", i + 1,
               restarted[i].c_str(), reference[i].c_str());
  }
  return 0;
}
