// Fuzz target for JsonlReader (samestory/reader.h) and RecordParser.
//
// Input: byte 0 picks the batch size, 1 + byte % 64 ('@' is 1, 'A' 2, ... '_' 32), and the number
// of gzip members, 1 + byte / 64; the other bytes are the JSON Lines text. The text is written
// as a file and, gzip-compressed by zlib (cut into that many members at even offsets, which may
// fall inside a line), as a second file; both are read in batches with max_record_bytes at its
// minimum (1024), so the "record too large" path is reached by small inputs.
// Properties, besides no crash, leak, UB, hang or unbounded allocation:
//   - the plain read returns exactly one Document per non-blank line (a line is the bytes up to
//     '\n' less a trailing '\r'; blank is only spaces, tabs, \r, \f, \v; a UTF-8 BOM on line 1 is
//     not content), in order, each with its 1-based line number, and status OK;
//   - each Document equals RecordParser::Parse of its line, except that the reader reports the
//     second and later records with an already seen id as duplicates;
//   - the gzip read returns the same Documents and status OK;
//   - the stats count those lines, bad records, warnings and bytes.
// Text that itself starts with the gzip magic (1f 8b) is read as gzip by the plain read: then only
// the gzip copy is checked.
#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "samestory/document.h"
#include "samestory/reader.h"

namespace samestory::fuzz {
namespace {

constexpr size_t kMaxRecordBytes = 1024;  // ReaderOptions::max_record_bytes at its minimum

ReaderOptions Options() {
  ReaderOptions options;
  options.max_record_bytes = kMaxRecordBytes;
  return options;
}

// `text` gzip-compressed as `members` concatenated gzip members (the reader reads them in turn).
std::string Gzip(std::string_view text, int members) {
  std::string out;
  for (int m = 0; m < members; ++m) {
    const size_t begin = text.size() * m / members;
    const size_t end = text.size() * (m + 1) / members;
    z_stream z{};
    FUZZ_CHECK(deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK, "zlib");
    std::string part(deflateBound(&z, end - begin) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data() + begin));
    z.avail_in = static_cast<uInt>(end - begin);
    z.next_out = reinterpret_cast<Bytef*>(part.data());
    z.avail_out = static_cast<uInt>(part.size());
    FUZZ_CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END, "deflate did not finish");
    part.resize(part.size() - z.avail_out);
    deflateEnd(&z);
    out += part;
  }
  return out;
}

bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}

// One input line as the reader should see it.
struct Line {
  std::string_view raw;   // the bytes before '\n'
  std::string_view text;  // raw less one trailing '\r'
  uint64_t number = 0;
};

std::vector<Line> SplitLines(std::string_view input) {
  std::vector<Line> lines;
  size_t pos = 0;
  while (pos < input.size()) {
    size_t nl = input.find('\n', pos);
    const size_t end = nl == std::string_view::npos ? input.size() : nl;
    Line line;
    line.raw = input.substr(pos, end - pos);
    line.text = line.raw;
    if (!line.text.empty() && line.text.back() == '\r') line.text.remove_suffix(1);
    line.number = lines.size() + 1;
    lines.push_back(line);
    pos = nl == std::string_view::npos ? input.size() : nl + 1;
  }
  return lines;
}

// The Documents the reader must return for `input`, built from RecordParser and a map of ids.
std::vector<Document> Expected(std::string_view input) {
  static RecordParser parser(Options());  // reused: it keeps no state between records
  std::vector<Document> docs;
  std::map<std::string, uint64_t> first_line;  // id -> line of its first good record
  for (const Line& line : SplitLines(input)) {
    std::string_view content = line.text;
    if (line.number == 1 && content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
    // A blank line is not a record, however long it is.
    if (IsBlank(content)) continue;
    Document& d = docs.emplace_back();
    // The limit applies to the line's full length, its '\r' included, as the reader counts it.
    const bool too_large = line.raw.size() > kMaxRecordBytes;
    parser.Parse(too_large ? line.raw : line.text, line.number, &d);
    FUZZ_CHECK(d.line == line.number, "RecordParser line %llu, expected %llu",
               static_cast<unsigned long long>(d.line),
               static_cast<unsigned long long>(line.number));
    if (d.error.empty()) {
      auto [it, inserted] = first_line.emplace(d.id, d.line);
      if (!inserted) d.error = "duplicate id (first seen on line " + std::to_string(it->second) + ")";
    }
  }
  return docs;
}

struct ReadResult {
  std::vector<Document> docs;
  Status status;
  ReaderStats stats;
};

// Reads to the end (an empty batch) or the first error. A reader that never ends is caught by
// libFuzzer's -timeout or -rss_limit_mb.
ReadResult ReadAll(const std::string& path, size_t batch) {
  ReadResult r;
  auto reader = JsonlReader::Open(path, Options());
  FUZZ_CHECK(reader.ok(), "Open %s: %s", path.c_str(), reader.status().ToString().c_str());
  std::vector<Document> docs;
  do {
    r.status = reader.value()->ReadBatch(batch, &docs);
    FUZZ_CHECK(docs.size() <= batch, "batch of %zu > %zu", docs.size(), batch);
    for (Document& d : docs) r.docs.push_back(std::move(d));
  } while (!docs.empty() && r.status.ok());
  r.stats = reader.value()->stats();
  return r;
}

std::string Describe(const Document& d) {
  return "line " + std::to_string(d.line) + " id \"" + d.id + "\" title \"" + d.title +
         "\" text(" + std::to_string(d.text.size()) + ") lang \"" + d.lang + "\" source \"" +
         d.source + "\" date " + (d.date ? std::to_string(*d.date) : "none") + " error \"" +
         d.error + "\" warning \"" + d.warning + "\"";
}

bool Same(const Document& a, const Document& b) {
  return a.id == b.id && a.title == b.title && a.text == b.text && a.lang == b.lang &&
         a.source == b.source && a.date == b.date && a.line == b.line && a.error == b.error &&
         a.warning == b.warning;
}

void CheckRead(const char* what, const ReadResult& r, const std::vector<Document>& expected,
               uint64_t bytes) {
  FUZZ_CHECK(r.status.ok(), "%s read: %s", what, r.status.ToString().c_str());
  const size_t n = std::min(r.docs.size(), expected.size());
  uint64_t bad = 0, warnings = 0;
  for (size_t i = 0; i < n; ++i) {
    FUZZ_CHECK(Same(r.docs[i], expected[i]), "%s read, record %zu:\n  got      %s\n  expected %s",
               what, i, Describe(r.docs[i]).c_str(), Describe(expected[i]).c_str());
    bad += !expected[i].error.empty();
    warnings += !expected[i].warning.empty();
  }
  FUZZ_CHECK(r.docs.size() == expected.size(), "%s read returned %zu records, expected %zu; first "
             "extra: %s", what, r.docs.size(), expected.size(),
             Describe(r.docs.size() > n ? r.docs[n] : expected[n]).c_str());
  FUZZ_CHECK(r.stats.lines == expected.size() && r.stats.bad_records == bad &&
                 r.stats.warnings == warnings && r.stats.bytes == bytes,
             "%s read stats: lines %llu bad %llu warnings %llu bytes %llu; expected %zu %llu %llu "
             "%llu",
             what, static_cast<unsigned long long>(r.stats.lines),
             static_cast<unsigned long long>(r.stats.bad_records),
             static_cast<unsigned long long>(r.stats.warnings),
             static_cast<unsigned long long>(r.stats.bytes), expected.size(),
             static_cast<unsigned long long>(bad), static_cast<unsigned long long>(warnings),
             static_cast<unsigned long long>(bytes));
}

}  // namespace
}  // namespace samestory::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samestory::fuzz;  // NOLINT
  if (size == 0) return 0;
  static const ScratchDir dir("fuzz_jsonl_reader");
  static const std::string plain_path = dir.File("input.jsonl");
  static const std::string gzip_path = dir.File("input.jsonl.gz");
  const size_t batch = 1 + data[0] % 64;
  const int members = 1 + data[0] / 64;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  const std::vector<samestory::Document> expected = Expected(input);
  WriteFileOrDie(plain_path, input);
  WriteFileOrDie(gzip_path, Gzip(input, members));

  const ReadResult plain = ReadAll(plain_path, batch);
  if (input.substr(0, 2) != "\x1f\x8b") CheckRead("plain", plain, expected, input.size());
  const ReadResult gzip = ReadAll(gzip_path, batch);
  CheckRead("gzip", gzip, expected, input.size());
  return 0;
}
