// Fuzz target for the news feed's state loaders (Feed::Open in samestory/feed.h).
//
// Once per process a template state is made with FeedOptions{}: records 1-4 processed, a
// snapshot, records 5-7 processed (so the log holds entries 5-7 after the snapshot). Each input
// then gets a copy of that state with one file replaced. Input: byte 0 bit 0 picks the file, 0 the
// log and 1 the snapshot; bit 1 set makes the harness repair the framing after a mutation (the
// log's entry magics and CRC-32s, the snapshot's magic and trailing CRC-32) so that mutations get
// past the checksums into the parsers; the other bytes are the file. The harness knows that
// framing (src/feed/log.cc; src/feed/feed.cc: WriteSnapshot) and must follow it if it changes.
// Properties, besides no crash, leak, UB, hang or unbounded allocation: Open returns an error
// Status with a message or a working Feed: one that answers a new record, writes a snapshot, and
// opens again from that snapshot with the same number of records answered.
// With SAMESTORY_FUZZ_DUMP_STATE=DIR in the environment, the template's `options`, `log` and
// `snapshot` are also copied to DIR (tests/fuzz/make_seeds.sh makes the seed corpus from them).
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "samestory/feed.h"

namespace samestory::fuzz {
namespace {

namespace fs = std::filesystem;

constexpr uint32_t kLogMagic = 0x454C5353;  // "SSLE", src/feed/log.cc
constexpr char kSnapshotMagic[8] = {'S', 'S', 'S', 'N', 'A', 'P', '0', '2'};

// Short made-up articles: an original and its copy, two reports of one event, unrelated news,
// a bad record, an undated one. Records 1-4 go into the snapshot, 5-7 into the log, 8 is asked
// after each successful Open.
constexpr std::string_view kRecords[] = {
    R"({"id":"harbour-1","date":"2031-05-02","lang":"en","title":"Ferry strike closes Kelvik harbour","text":"Dock workers in Kelvik walked out on Friday morning, stopping all ferry crossings to the outer islands while the port authority and the union argue over night shift pay. Around four hundred travellers were stranded at the terminal."})",
    R"({"id":"harbour-2","date":"2031-05-02T14:00","lang":"en","title":"Ferry strike closes Kelvik harbour","text":"Dock workers in Kelvik walked out on Friday morning, stopping all ferry crossings to the outer islands while the port authority and the union argue over night shift pay. About four hundred travellers were stranded at the terminal."})",
    R"({"id":"orchard-1","date":"2031-05-03","lang":"en","title":"Late frost ruins cherry blossom in Varden valley","text":"Growers in the Varden valley say a frost on Wednesday night destroyed most of the cherry blossom, and expect the smallest harvest in twenty years."})",
    R"({"id":"bad-1","title":"no id here"})",
    R"({"id":"harbour-3","date":"2031-05-03","lang":"en","title":"Kelvik ferry talks resume as strike enters second day","text":"Talks between the Kelvik port authority and the dock workers union resumed on Saturday as the ferry strike entered its second day, with island shops reporting empty shelves."})",
    R"({"id":"chess-1","date":"2031-05-04","lang":"en","title":"Teenager wins national chess title on tiebreak","text":"A sixteen year old from Oster won the national chess championship on Sunday after a rapid tiebreak against the defending champion."})",
    R"({"id":"orchard-2","lang":"en","title":"Varden cherry growers ask for frost aid","text":"Cherry growers in the Varden valley asked the regional council for emergency aid after the frost that destroyed this year's blossom."})",
    R"({"id":"harbour-4","date":"2031-05-05","lang":"en","title":"Kelvik ferries sail again after deal on night pay","text":"Ferries left Kelvik harbour again on Monday after the union accepted a deal on night shift pay, ending a three day strike."})",
};

// The template state's files, read once.
struct Template {
  std::string options, snapshot, log;
};

void CheckOk(const Status& s, const char* what) {
  FUZZ_CHECK(s.ok(), "%s: %s", what, s.ToString().c_str());
}

std::unique_ptr<Feed> MustOpen(const std::string& dir) {
  auto feed = Feed::Open(dir, FeedOptions{});
  FUZZ_CHECK(feed.ok(), "Feed::Open(%s): %s", dir.c_str(), feed.status().ToString().c_str());
  return std::move(feed.value());
}

Template MakeTemplate(const ScratchDir& scratch) {
  const std::string dir = scratch.File("template");
  std::error_code ec;
  fs::remove_all(dir, ec);
  {
    std::unique_ptr<Feed> feed = MustOpen(dir);
    for (size_t i = 0; i < 7; ++i) {
      CheckOk(feed->Process(kRecords[i], i + 1).status(), "Process");
      if (i == 3) CheckOk(feed->Snapshot(), "Snapshot");
    }
    CheckOk(feed->Close(), "Close");
  }
  Template t{ReadFileBytes(dir + "/options"), ReadFileBytes(dir + "/snapshot"),
             ReadFileBytes(dir + "/log")};
  FUZZ_CHECK(!t.options.empty() && !t.snapshot.empty() && !t.log.empty(), "template state");
  if (const char* out = std::getenv("SAMESTORY_FUZZ_DUMP_STATE"); out != nullptr && *out != '\0') {
    fs::create_directories(out, ec);
    WriteFileOrDie(std::string(out) + "/options", t.options);
    WriteFileOrDie(std::string(out) + "/snapshot", t.snapshot);
    WriteFileOrDie(std::string(out) + "/log", t.log);
  }
  fs::remove_all(dir, ec);
  return t;
}

uint32_t Crc(std::string_view s) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

// Log entry: u32 magic, u32 payload length, u32 CRC-32 of the payload, payload. Rewrites each
// whole entry's magic and CRC; a last entry longer than the rest of the file stays torn.
void RepairLog(std::string* b) {
  size_t pos = 0;
  while (b->size() - pos >= 12) {
    uint32_t len = 0;
    std::memcpy(&len, b->data() + pos + 4, 4);
    if (b->size() - pos - 12 < len) break;
    const uint32_t crc = Crc(std::string_view(*b).substr(pos + 12, len));
    std::memcpy(b->data() + pos, &kLogMagic, 4);
    std::memcpy(b->data() + pos + 8, &crc, 4);
    pos += 12 + len;
  }
}

// Snapshot: magic, body, u32 CRC-32 of everything before it.
void RepairSnapshot(std::string* b) {
  if (b->size() < sizeof(kSnapshotMagic) + 4) return;
  std::memcpy(b->data(), kSnapshotMagic, sizeof(kSnapshotMagic));
  const uint32_t crc = Crc(std::string_view(*b).substr(0, b->size() - 4));
  std::memcpy(b->data() + b->size() - 4, &crc, 4);
}

}  // namespace
}  // namespace samestory::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samestory::fuzz;  // NOLINT
  if (size == 0) return 0;
  static const ScratchDir scratch("fuzz_feed_state");
  static const Template state = MakeTemplate(scratch);
  static const std::string dir = scratch.File("state");
  const bool snapshot = (data[0] & 1) != 0;
  const bool repair = (data[0] & 2) != 0;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (repair) snapshot ? RepairSnapshot(&bytes) : RepairLog(&bytes);

  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  WriteFileOrDie(dir + "/options", state.options);
  WriteFileOrDie(dir + "/snapshot", snapshot ? bytes : state.snapshot);
  WriteFileOrDie(dir + "/log", snapshot ? state.log : bytes);

  uint64_t answered = 0;
  {
    auto feed = samestory::Feed::Open(dir, samestory::FeedOptions{});
    if (!feed.ok()) {
      FUZZ_CHECK(!feed.status().message().empty(), "an error without a message");
      return 0;
    }
    auto answer = feed.value()->Process(kRecords[7], 8);
    CheckOk(answer.status(), "Process after Open");
    FUZZ_CHECK(!answer.value().empty() && answer.value().front() == '{', "answer \"%s\"",
               answer.value().c_str());
    CheckOk(feed.value()->Snapshot(), "Snapshot after Open");
    answered = feed.value()->answered();
  }
  std::unique_ptr<samestory::Feed> reopened = MustOpen(dir);
  FUZZ_CHECK(reopened->answered() == answered, "answered %llu, reopened from its snapshot %llu",
             static_cast<unsigned long long>(answered),
             static_cast<unsigned long long>(reopened->answered()));
  return 0;
}
