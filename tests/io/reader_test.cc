// Tests for JsonlReader: fields, ids, line handling, gzip, every kind of bad record, batches,
// stats and every error Open and ReadBatch can return. Each test writes its input under
// ::testing::TempDir(); standard input is covered by the CLI tests (tests/cli/bad_input_test.sh).
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "samestory/document.h"
#include "samestory/reader.h"
#include "samestory/status.h"
#include "test_temp.h"

namespace samestory {
namespace {

// Substring checks use gtest's own IsSubstring (the test binary links gtest, not gmock).
#define EXPECT_HAS_SUBSTR(haystack, needle) \
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, std::string(needle), std::string(haystack))

// A path under the test temp dir, unique to the running test.
std::string TempPath(std::string_view suffix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return testing_util::TestTempDir() + "samestory_reader_" + info->test_suite_name() + "_" +
         info->name() + std::string(suffix);
}

std::string WriteFile(std::string_view suffix, std::string_view bytes) {
  std::string path = TempPath(suffix);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.close();
  EXPECT_TRUE(f) << "cannot write " << path;
  return path;
}

std::string ReadFileBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

std::string WriteGzip(std::string_view suffix, std::string_view bytes) {
  std::string path = TempPath(suffix);
  gzFile f = gzopen(path.c_str(), "wb");
  EXPECT_NE(f, nullptr) << "gzopen " << path;
  if (f == nullptr) return path;
  size_t done = 0;
  while (done < bytes.size()) {
    unsigned n = static_cast<unsigned>(std::min<size_t>(bytes.size() - done, 1 << 20));
    EXPECT_EQ(gzwrite(f, bytes.data() + done, n), static_cast<int>(n));
    done += n;
  }
  EXPECT_EQ(gzclose(f), Z_OK);
  return path;
}

struct ReadAllResult {
  std::vector<Document> docs;
  Status status;       // the first non-OK status, or OK at the end of the input
  ReaderStats stats;
  int batches = 0;     // ReadBatch calls that returned records
};

// Reads everything until the end of the input or the first non-OK status.
ReadAllResult ReadAll(const std::string& path, const ReaderOptions& options = {},
                      size_t max_docs = 1000) {
  ReadAllResult r;
  auto reader = JsonlReader::Open(path, options);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) {
    r.status = reader.status();
    return r;
  }
  std::vector<Document> batch;
  for (int guard = 0; guard < 1000000; ++guard) {
    Status s = reader.value()->ReadBatch(max_docs, &batch);
    if (!batch.empty()) ++r.batches;
    for (Document& d : batch) r.docs.push_back(std::move(d));
    if (!s.ok()) {
      r.status = s;
      break;
    }
    if (batch.empty()) break;
  }
  r.stats = reader.value()->stats();
  return r;
}

// A good record: `{"id":"<id>","title":"Title <id>","text":"Text of <id>."}`.
std::string Good(std::string_view id) {
  std::string s = "{\"id\":\"";
  s += id;
  s += "\",\"title\":\"Title ";
  s += id;
  s += "\",\"text\":\"Text of ";
  s += id;
  s += ".\"}";
  return s;
}

void ExpectGood(const Document& d, std::string_view id, uint64_t line) {
  EXPECT_EQ(d.id, id);
  EXPECT_EQ(d.line, line) << "id " << id;
  EXPECT_EQ(d.error, "") << "id " << id;
  EXPECT_EQ(d.title, "Title " + std::string(id));
  EXPECT_EQ(d.text, "Text of " + std::string(id) + ".");
}

void ExpectBad(const Document& d, uint64_t line, std::string_view error_substring) {
  EXPECT_EQ(d.line, line);
  EXPECT_HAS_SUBSTR(d.error, std::string(error_substring)) << "line " << line;
}

// ---------------------------------------------------------------------------------------------
// Fields.

TEST(JsonlReaderTest, ReadsAllFields) {
  std::string path = WriteFile(".jsonl",
                               R"({"id":"a1","title":"Le « titre »","text":"Un texte d’été.",)"
                               R"("date":"2022-12-19T10:30:05+01:00","lang":"fr","source":"AFX",)"
                               R"("unknown":{"nested":[1,2,3]},"gold_dup":"a1"})"
                               "\n");
  ReadAllResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 1u);
  const Document& d = r.docs[0];
  EXPECT_EQ(d.id, "a1");
  EXPECT_EQ(d.title, "Le « titre »");
  EXPECT_EQ(d.text, "Un texte d’été.");
  EXPECT_EQ(d.lang, "fr");
  EXPECT_EQ(d.source, "AFX");
  ASSERT_TRUE(d.date.has_value());
  EXPECT_EQ(*d.date, 1671442205);  // date -u -d 2022-12-19T10:30:05+01:00 +%s
  EXPECT_EQ(d.line, 1u);
  EXPECT_EQ(d.error, "");
  EXPECT_EQ(d.warning, "");
}

TEST(JsonlReaderTest, AbsentOptionalFieldsAreEmpty) {
  std::string path = WriteFile(".jsonl", "{\"id\":\"x\",\"title\":\"Only a title\"}\n");
  ReadAllResult r = ReadAll(path);
  ASSERT_EQ(r.docs.size(), 1u);
  const Document& d = r.docs[0];
  EXPECT_EQ(d.error, "");
  EXPECT_EQ(d.title, "Only a title");
  EXPECT_EQ(d.text, "");
  EXPECT_EQ(d.lang, "");
  EXPECT_EQ(d.source, "");
  EXPECT_FALSE(d.date.has_value());
}

TEST(JsonlReaderTest, JsonEscapesAreDecoded) {
  std::string path = WriteFile(".jsonl",
                               R"({"id":"e","title":"a \"quoted\" \u00e9\u20ac \ud83d\ude00",)"
                               R"("text":"line1\nline2\ttab \\ slash \/"})"
                               "\n");
  ReadAllResult r = ReadAll(path);
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].error, "");
  EXPECT_EQ(r.docs[0].title, "a \"quoted\" é€ \xF0\x9F\x98\x80");
  EXPECT_EQ(r.docs[0].text, "line1\nline2\ttab \\ slash /");
}

TEST(JsonlReaderTest, BodyPrecedenceIsTextThenBodyThenContentFirstNonEmpty) {
  std::string path = WriteFile(
      ".jsonl",
      // 1: all three: text wins, whatever the key order.
      R"({"id":"1","content":"C","body":"B","text":"T"})"
      "\n"
      // 2: text empty: body.
      R"({"id":"2","text":"","body":"B","content":"C"})"
      "\n"
      // 3: text null, body empty: content.
      R"({"id":"3","text":null,"body":"","content":"C"})"
      "\n"
      // 4: only content.
      R"({"id":"4","content":"C"})"
      "\n"
      // 5: body before text in the object: text still wins.
      R"({"id":"5","body":"B","text":"T"})"
      "\n"
      // 6: body and content, no text: body.
      R"({"id":"6","content":"C","body":"B"})"
      "\n"
      // 7: all empty but a title: text "".
      R"({"id":"7","title":"t","text":"","body":"","content":""})"
      "\n");
  ReadAllResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 7u);
  const char* expected[] = {"T", "B", "C", "C", "T", "B", ""};
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(r.docs[i].error, "") << "line " << i + 1;
    EXPECT_EQ(r.docs[i].text, expected[i]) << "line " << i + 1;
  }
}

TEST(JsonlReaderTest, NullStringFieldsReadAsEmpty) {
  std::string path = WriteFile(
      ".jsonl", R"({"id":"n","title":"t","text":null,"lang":null,"source":null,"date":null})"
                "\n");
  ReadAllResult r = ReadAll(path);
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].error, "");
  EXPECT_EQ(r.docs[0].warning, "");
  EXPECT_EQ(r.docs[0].text, "");
  EXPECT_EQ(r.docs[0].lang, "");
  EXPECT_FALSE(r.docs[0].date.has_value());
}

// ---------------------------------------------------------------------------------------------
// Ids.

TEST(JsonlReaderTest, IntegerIdsBecomeDecimalStrings) {
  std::string path = WriteFile(".jsonl",
                               R"({"id":42,"title":"t"})"
                               "\n"
                               R"({"id":0,"title":"t"})"
                               "\n"
                               R"({"id":-7,"title":"t"})"
                               "\n"
                               R"({"id":9223372036854775807,"title":"t"})"
                               "\n"
                               R"({"id":18446744073709551615,"title":"t"})"
                               "\n");
  ReadAllResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 5u);
  const char* expected[] = {"42", "0", "-7", "9223372036854775807", "18446744073709551615"};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(r.docs[i].error, "") << "line " << i + 1;
    EXPECT_EQ(r.docs[i].id, expected[i]);
  }
}

TEST(JsonlReaderTest, IdFieldOption) {
  std::string path = WriteFile(".jsonl",
                               // doc_id wins; "id" is just an unknown field.
                               R"({"id":"ignored","doc_id":"D1","title":"t"})"
                               "\n"
                               R"({"doc_id":17,"title":"t"})"
                               "\n"
                               // Only "id": missing under id_field "doc_id".
                               R"({"id":"X","title":"t"})"
                               "\n"
                               // "ignored" again: not a duplicate, since "id" is not the id.
                               R"({"id":"ignored","doc_id":"D2","title":"t"})"
                               "\n");
  ReaderOptions options;
  options.id_field = "doc_id";
  ReadAllResult r = ReadAll(path, options);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 4u);
  EXPECT_EQ(r.docs[0].id, "D1");
  EXPECT_EQ(r.docs[0].error, "");
  EXPECT_EQ(r.docs[1].id, "17");
  EXPECT_EQ(r.docs[1].error, "");
  ExpectBad(r.docs[2], 3, "missing id");
  EXPECT_HAS_SUBSTR(r.docs[2].error, "doc_id");  // names the field it looked for
  EXPECT_EQ(r.docs[3].id, "D2");
  EXPECT_EQ(r.docs[3].error, "");
}

// ---------------------------------------------------------------------------------------------
// Lines.

TEST(JsonlReaderTest, BlankLinesAreSkippedButCounted) {
  std::string path = WriteFile(".jsonl", "\n" + Good("a") + "\n\n   \n\t\r\n" + Good("b") +
                                             "\n\n\n" + Good("c") + "\n\n");
  ReadAllResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 3u);
  // Line numbers are physical lines of the file, blank ones included.
  ExpectGood(r.docs[0], "a", 2);
  ExpectGood(r.docs[1], "b", 6);
  ExpectGood(r.docs[2], "c", 9);
  EXPECT_EQ(r.stats.lines, 3u);  // blank lines excluded
}

TEST(JsonlReaderTest, CrlfLineEndings) {
  std::string path = WriteFile(".jsonl", Good("a") + "\r\n" + Good("b") + "\r\n\r\n" + Good("c") +
                                             "\r\n");
  ReadAllResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 3u);
  ExpectGood(r.docs[0], "a", 1);
  ExpectGood(r.docs[1], "b", 2);
  ExpectGood(r.docs[2], "c", 4);
}

TEST(JsonlReaderTest, LastLineWithoutNewline) {
  std::string path = WriteFile(".jsonl", Good("a") + "\n" + Good("b"));
  ReadAllResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 2u);
  ExpectGood(r.docs[0], "a", 1);
  ExpectGood(r.docs[1], "b", 2);
}

TEST(JsonlReaderTest, LastLineWithoutNewlineWithCr) {
  std::string path = WriteFile(".jsonl", Good("a") + "\r\n" + Good("b") + "\r");
  ReadAllResult r = ReadAll(path);
  ASSERT_EQ(r.docs.size(), 2u);
  ExpectGood(r.docs[1], "b", 2);
}

TEST(JsonlReaderTest, BadLastLineWithoutNewlineHasItsLineNumber) {
  std::string path = WriteFile(".jsonl", Good("a") + "\n\n{\"id\":\"b\",\"ti");
  ReadAllResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 2u);
  ExpectGood(r.docs[0], "a", 1);
  ExpectBad(r.docs[1], 3, "invalid JSON");
}

TEST(JsonlReaderTest, EmptyFileGivesNoRecords) {
  std::string path = WriteFile(".jsonl", "");
  ReadAllResult r = ReadAll(path);
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.docs.size(), 0u);
  EXPECT_EQ(r.stats.lines, 0u);
  EXPECT_EQ(r.stats.bytes, 0u);
}

TEST(JsonlReaderTest, OnlyBlankLinesGiveNoRecords) {
  std::string path = WriteFile(".jsonl", "\n\n  \n\r\n");
  ReadAllResult r = ReadAll(path);
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.docs.size(), 0u);
}

// Files saved by Windows tools ("UTF-8 with BOM") start with EF BB BF. JSON text may be preceded
// by a BOM that a parser may ignore (RFC 8259 section 8.1); losing the first article of such a
// file to "invalid JSON" is a bug.
TEST(JsonlReaderTest, Regression_Utf8BomBeforeFirstRecordIsIgnored) {
  std::string path = WriteFile(".jsonl", "\xEF\xBB\xBF" + Good("a") + "\n" + Good("b") + "\n");
  ReadAllResult r = ReadAll(path);
  ASSERT_EQ(r.docs.size(), 2u);
  ExpectGood(r.docs[0], "a", 1);
  ExpectGood(r.docs[1], "b", 2);
}

// A BOM with nothing after it on line 1 (an "empty" UTF-8-with-BOM file, or one whose records
// start on line 2) leaves a blank line, which is not a record.
TEST(JsonlReaderTest, Regression_Utf8BomAloneOnFirstLineIsABlankLine) {
  {
    ReadAllResult r = ReadAll(WriteFile(".only.jsonl", "\xEF\xBB\xBF"));
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_EQ(r.docs.size(), 0u) << (r.docs.empty() ? "" : r.docs[0].error);
  }
  {
    ReadAllResult r = ReadAll(WriteFile(".then.jsonl", "\xEF\xBB\xBF\r\n" + Good("a") + "\n"));
    ASSERT_EQ(r.docs.size(), 1u) << (r.docs.empty() ? "" : "first: " + r.docs[0].error);
    ExpectGood(r.docs[0], "a", 2);
    EXPECT_EQ(r.stats.bad_records, 0u);
  }
}

// Regression (fuzz_jsonl_reader, tests/fuzz/corpus/jsonl_reader/regression-blank-line-over-*): a blank
// line longer than max_record_bytes was reported as "record too large"; it is no record at all.
TEST(JsonlReaderTest, Regression_ALongBlankLineIsNotARecord) {
  ReaderOptions options;
  options.max_record_bytes = 1024;
  const std::string lines = std::string(1100, ' ') + "\n" + Good("a") + "\n" +
                            std::string(5000, '\t') + "\r\n" + std::string(2000, ' ') + "x\n";
  ReadAllResult r = ReadAll(WriteFile(".blank.jsonl", lines), options);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 2u);
  ExpectGood(r.docs[0], "a", 2);
  EXPECT_EQ(r.docs[1].line, 4u);
  EXPECT_NE(r.docs[1].error.find("record too large"), std::string::npos) << r.docs[1].error;
}

// Regression (issue 14 #17): the feed parses records one line at a time with RecordParser; it
// read the BOM as part of its first record ("invalid JSON").
TEST(RecordParserTest, Regression_Utf8BomOnLineOneIsIgnored) {
  RecordParser parser({});
  Document d;
  parser.Parse("\xEF\xBB\xBF" + Good("a"), 1, &d);
  ExpectGood(d, "a", 1);
  parser.Parse("\xEF\xBB\xBF" + Good("b"), 2, &d);  // after line 1 it is content: an error
  EXPECT_NE(d.error, "");
}

// Regression (issue 14 #17): a UTF-16 file was "invalid JSON" with no hint of its encoding.
TEST(JsonlReaderTest, Regression_Utf16InputIsAnErrorThatNamesUtf16) {
  std::string utf16 = "\xFF\xFE";
  for (char c : Good("a")) utf16 += std::string(1, c) + '\0';
  utf16 += "\n";
  utf16 += '\0';
  ReadAllResult r = ReadAll(WriteFile(".u16.jsonl", utf16));
  ASSERT_GE(r.docs.size(), 1u);
  EXPECT_NE(r.docs[0].error.find("UTF-16"), std::string::npos) << r.docs[0].error;
  // Plain bad JSON gets no such hint.
  ReadAllResult plain = ReadAll(WriteFile(".bad.jsonl", "{\"id\":\"a\",\"text\":\n"));
  ASSERT_EQ(plain.docs.size(), 1u);
  EXPECT_EQ(plain.docs[0].error.find("UTF-16"), std::string::npos) << plain.docs[0].error;
}

// Regression (issue 14 #14): a valid number no double or 64-bit integer holds, in a field we
// ignore, dropped the article as invalid JSON. The fields we read are still checked.
TEST(JsonlReaderTest, Regression_HugeNumbersInIgnoredFieldsAreSkipped) {
  const std::string lines =
      "{\"id\":\"a\",\"title\":\"T\",\"text\":\"x\",\"views\":123456789012345678901234567890}\n"
      "{\"id\":\"b\",\"v\":[1e400,{\"w\":-1e999}],\"text\":\"y \\u00e9\",\"date\":\"1987-03-01\"}\n"
      "{\"id\":1e400,\"text\":\"x\"}\n"
      "{\"id\":\"c\",\"v\":1e400,\"text\":\"x\"} junk\n"
      "{\"id\":\"d\",\"v\":1e400,\"text\":5}\n"
      "{\"id\":\"e\",\"v\":1e400}\n";
  for (const ReaderOptions& options : {ReaderOptions{}}) {
    ReadAllResult r = ReadAll(WriteFile(".num.jsonl", lines), options);
    ASSERT_EQ(r.docs.size(), 6u);
    EXPECT_EQ(r.docs[0].error, "");
    EXPECT_EQ(r.docs[0].id, "a");
    EXPECT_EQ(r.docs[0].title, "T");
    EXPECT_EQ(r.docs[1].error, "");
    EXPECT_EQ(r.docs[1].text, "y \xC3\xA9");
    EXPECT_TRUE(r.docs[1].date.has_value());
    EXPECT_NE(r.docs[2].error.find("id must be"), std::string::npos) << r.docs[2].error;
    EXPECT_NE(r.docs[3].error.find("invalid JSON"), std::string::npos) << r.docs[3].error;
    EXPECT_NE(r.docs[4].error.find("not a string"), std::string::npos) << r.docs[4].error;
    EXPECT_NE(r.docs[5].error.find("empty article"), std::string::npos) << r.docs[5].error;
  }
  // RecordParser (unpadded input) takes the same path.
  RecordParser parser({});
  Document d;
  parser.Parse("{\"id\":\"a\",\"n\":1e400,\"text\":\"x\"}", 1, &d);
  EXPECT_EQ(d.error, "");
  EXPECT_EQ(d.text, "x");
}

// ---------------------------------------------------------------------------------------------
// Gzip.

std::string TenRecords() {
  std::string s;
  for (int i = 0; i < 10; ++i) s += Good("r" + std::to_string(i)) + "\n";
  return s;
}

TEST(JsonlReaderTest, GzipFileIsDecompressed) {
  const std::string plain = TenRecords();
  std::string path = WriteGzip(".jsonl.gz", plain);
  ASSERT_NE(ReadFileBytes(path).substr(0, 2), plain.substr(0, 2));  // really compressed
  ReadAllResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 10u);
  for (int i = 0; i < 10; ++i) ExpectGood(r.docs[i], "r" + std::to_string(i), i + 1);
  EXPECT_EQ(r.stats.bytes, plain.size());  // uncompressed bytes
}

TEST(JsonlReaderTest, GzipIsDetectedByContentNotName) {
  std::string path = WriteGzip(".jsonl", TenRecords());
  const std::string raw = ReadFileBytes(path);
  ASSERT_GE(raw.size(), 2u);
  ASSERT_EQ(static_cast<unsigned char>(raw[0]), 0x1f);
  ASSERT_EQ(static_cast<unsigned char>(raw[1]), 0x8b);
  ReadAllResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 10u);
  for (int i = 0; i < 10; ++i) ExpectGood(r.docs[i], "r" + std::to_string(i), i + 1);
}

TEST(JsonlReaderTest, PlainFileNamedGzIsReadAsPlain) {
  std::string path = WriteFile(".jsonl.gz", TenRecords());
  ReadAllResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.docs.size(), 10u);
}

TEST(JsonlReaderTest, ConcatenatedGzipMembersAreAllRead) {
  std::string a = TenRecords();
  std::string b = Good("tail") + "\n";
  std::string pa = WriteGzip(".a.gz", a);
  std::string pb = WriteGzip(".b.gz", b);
  std::string path = WriteFile(".jsonl.gz", ReadFileBytes(pa) + ReadFileBytes(pb));
  ReadAllResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 11u);
  ExpectGood(r.docs[10], "tail", 11);
}

// ~`n` records of pseudo-random words, so that the gzip stream is long and a cut falls mid-stream.
std::string ManyRecords(int n) {
  static const char* kWords[] = {"harbour", "minister", "flood", "river", "strike", "council",
                                 "police", "market",  "shares", "rain",  "coach",  "bridge",
                                 "summit", "water",   "profit", "fire",  "tax",    "rail"};
  uint64_t x = 88172645463325252ull;  // xorshift64, fixed seed
  std::string s;
  for (int i = 0; i < n; ++i) {
    s += "{\"id\":\"r" + std::to_string(i) + "\",\"title\":\"t\",\"text\":\"";
    for (int w = 0; w < 60; ++w) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      s += kWords[x % 18];
      s += std::to_string(x % 1000);
      s += ' ';
    }
    s += "\"}\n";
  }
  return s;
}

// ReadBatch's contract: a truncated gzip stream is an error (Corruption), after the records read
// before the cut have been returned. A silently shorter corpus would be a wrong result.
TEST(JsonlReaderTest, TruncatedGzipStreamIsCorruptionAfterTheRecordsBeforeTheCut) {
  const int n = 3000;
  std::string full = WriteGzip(".full.gz", ManyRecords(n));
  const std::string bytes = ReadFileBytes(full);
  ASSERT_GT(bytes.size(), 100000u);
  std::string path = WriteFile(".jsonl.gz", bytes.substr(0, bytes.size() / 2));
  ReadAllResult r = ReadAll(path, {}, 100);
  EXPECT_EQ(r.status.code(), Status::Code::kCorruption) << r.status.ToString();
  ASSERT_GT(r.docs.size(), 100u);
  ASSERT_LT(r.docs.size(), static_cast<size_t>(n));
  // Every record before the last is intact and in order; the last one may be cut mid-line.
  for (size_t i = 0; i + 1 < r.docs.size(); ++i) {
    ASSERT_EQ(r.docs[i].id, "r" + std::to_string(i));
    ASSERT_EQ(r.docs[i].error, "") << "line " << i + 1;
  }
  // After the error, further calls return no records and the error again.
  auto reader = JsonlReader::Open(path, {});
  ASSERT_TRUE(reader.ok());
  std::vector<Document> batch;
  Status s;
  int calls = 0;
  do {
    s = reader.value()->ReadBatch(1000, &batch);
  } while (s.ok() && !batch.empty() && ++calls < 100);
  ASSERT_FALSE(s.ok());
  s = reader.value()->ReadBatch(1000, &batch);
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
}

TEST(JsonlReaderTest, GzipWithoutItsTrailerIsCorruption) {
  const std::string plain = TenRecords();
  std::string full = WriteGzip(".full.gz", plain);
  const std::string bytes = ReadFileBytes(full);
  // The last 8 bytes are CRC-32 and length; without them all records decode, but the stream is
  // incomplete.
  std::string path = WriteFile(".jsonl.gz", bytes.substr(0, bytes.size() - 8));
  ReadAllResult r = ReadAll(path);
  EXPECT_EQ(r.status.code(), Status::Code::kCorruption) << r.status.ToString();
  EXPECT_EQ(r.docs.size(), 10u);
}

TEST(JsonlReaderTest, GzipWithBadCrcIsCorruption) {
  std::string full = WriteGzip(".full.gz", TenRecords());
  std::string bytes = ReadFileBytes(full);
  bytes[bytes.size() - 8] ^= 0x55;  // first byte of the CRC-32
  std::string path = WriteFile(".jsonl.gz", bytes);
  ReadAllResult r = ReadAll(path);
  EXPECT_EQ(r.status.code(), Status::Code::kCorruption) << r.status.ToString();
  // Regression (issue 14 #18): the CRC is checked after the last byte is decoded, so every record
  // is returned before the error (zlib's gzread dropped its last buffer: 0 of 10 records).
  ASSERT_EQ(r.docs.size(), 10u);
  for (int i = 0; i < 10; ++i) ExpectGood(r.docs[i], "r" + std::to_string(i), i + 1);
}

TEST(JsonlReaderTest, Regression_GzipWithBadCrcKeepsEveryRecordOfALongStream) {
  const int n = 3000;
  std::string bytes = ReadFileBytes(WriteGzip(".full.gz", ManyRecords(n)));
  bytes[bytes.size() - 8] ^= 0x55;
  ReadAllResult r = ReadAll(WriteFile(".jsonl.gz", bytes), {}, 100);
  EXPECT_EQ(r.status.code(), Status::Code::kCorruption) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) ASSERT_EQ(r.docs[i].id, "r" + std::to_string(i));
  EXPECT_NE(r.status.message().find("corrupt gzip stream"), std::string::npos) << r.status.ToString();
}

TEST(JsonlReaderTest, BytesAfterTheGzipStreamAreCorruptionAfterItsRecords) {
  std::string bytes = ReadFileBytes(WriteGzip(".full.gz", TenRecords())) + "{\"id\":\"x\"}\n";
  ReadAllResult r = ReadAll(WriteFile(".jsonl.gz", bytes));
  EXPECT_EQ(r.status.code(), Status::Code::kCorruption) << r.status.ToString();
  EXPECT_NE(r.status.message().find("after the end of the gzip stream"), std::string::npos)
      << r.status.ToString();
  EXPECT_EQ(r.docs.size(), 10u);
}

// ---------------------------------------------------------------------------------------------
// Bad records: each becomes a Document with `error` and its line; the read goes on.

TEST(JsonlReaderTest, EveryBadRecordKindIsReportedAndTheReadGoesOn) {
  struct Case {
    std::string line;
    std::string error;  // substring of Document::error
  };
  const std::vector<Case> cases = {
      {"this is not json", "invalid JSON"},
      {R"({"id":"t1","title":"a truncated li)", "invalid JSON"},
      {"{\"id\":\"u1\",\"title\":\"caf\xC3\x28 bad\"}", "invalid UTF-8"},       // bad 2nd byte
      {"{\"id\":\"u2\",\"title\":\"\xFF\xFE\"}", "invalid UTF-8"},              // never valid
      {"{\"id\":\"u3\",\"title\":\"\xED\xA0\x80 surrogate\"}", "invalid UTF-8"},  // CESU
      {std::string("\x00\x01\x89PNG\r\x1A\x00\xFF\xD8\xFF\xE0\x10\x80garbage\x7F\x1B[0m", 27),
       "invalid"},
      {R"([{"id":"arr","title":"t"}])", "not a JSON object"},
      {R"("just a string")", "not a JSON object"},
      {"42", "not a JSON object"},
      {"null", "not a JSON object"},
      {R"({"title":"no id here","text":"x"})", "missing id"},
      {R"({"id":"","title":"t"})", "empty id"},
      {R"({"id":{"x":1},"title":"t"})", "id must be a string or an integer"},
      {R"({"id":1.5,"title":"t"})", "id must be a string or an integer"},
      {R"({"id":true,"title":"t"})", "id must be a string or an integer"},
      {R"({"id":null,"title":"t"})", "id must be a string or an integer"},
      {R"({"id":["a"],"title":"t"})", "id must be a string or an integer"},
      {R"({"id":"e1"})", "empty article"},
      {R"({"id":"e2","title":"","text":"","body":"","content":""})", "empty article"},
      {R"({"id":"e3","title":null,"text":null})", "empty article"},
      {R"({"id":"s1","title":"t","text":123})", "field \"text\" is not a string"},
      {R"({"id":"s2","title":"t","body":["x"]})", "field \"body\" is not a string"},
      {R"({"id":"s3","title":{"a":1},"text":"x"})", "field \"title\" is not a string"},
      {R"({"id":"s4","title":"t","lang":5})", "field \"lang\" is not a string"},
      {R"({"id":"two","title":"t"} {"id":"objects","title":"t"})", "invalid JSON"},
      {R"({"id":"trail","title":"t"},)", "invalid JSON"},
  };
  std::string input;
  for (size_t i = 0; i < cases.size(); ++i) {
    input += Good("g" + std::to_string(i)) + "\n";
    input += cases[i].line + "\n";
  }
  input += Good("last") + "\n";
  std::string path = WriteFile(".jsonl", input);
  ReadAllResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 2 * cases.size() + 1);
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i) + ": " + cases[i].line);
    ExpectGood(r.docs[2 * i], "g" + std::to_string(i), 2 * i + 1);
    ExpectBad(r.docs[2 * i + 1], 2 * i + 2, cases[i].error);
  }
  ExpectGood(r.docs.back(), "last", 2 * cases.size() + 1);
  EXPECT_EQ(r.stats.bad_records, cases.size());
  EXPECT_EQ(r.stats.lines, 2 * cases.size() + 1);
}

TEST(JsonlReaderTest, DuplicateIdKeepsTheFirstAndNamesItsLine) {
  std::string path = WriteFile(".jsonl",
                               R"({"id":"a","title":"first"})"
                               "\n"
                               R"({"id":"b","title":"other"})"
                               "\n\n"
                               R"({"id":"a","title":"second"})"
                               "\n"
                               R"({"id":"a","title":"third"})"
                               "\n");
  ReadAllResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 4u);
  EXPECT_EQ(r.docs[0].error, "");
  EXPECT_EQ(r.docs[0].title, "first");
  EXPECT_EQ(r.docs[1].error, "");
  ExpectBad(r.docs[2], 4, "duplicate id");
  EXPECT_HAS_SUBSTR(r.docs[2].error, "line 1");
  EXPECT_EQ(r.docs[2].id, "a");  // the id is known, so the output can name it
  ExpectBad(r.docs[3], 5, "duplicate id");
  EXPECT_HAS_SUBSTR(r.docs[3].error, "line 1");
  EXPECT_EQ(r.stats.bad_records, 2u);
}

TEST(JsonlReaderTest, DuplicateIdAcrossBatches) {
  std::string input;
  for (int i = 0; i < 7; ++i) input += Good("x" + std::to_string(i)) + "\n";
  input += Good("x2") + "\n";
  std::string path = WriteFile(".jsonl", input);
  ReadAllResult r = ReadAll(path, {}, 2);
  ASSERT_EQ(r.docs.size(), 8u);
  ExpectBad(r.docs[7], 8, "duplicate id (first seen on line 3)");
}

TEST(JsonlReaderTest, IntegerAndStringIdWithSameTextAreDuplicates) {
  // Both are written out as "7": two different articles would share one output id.
  std::string path = WriteFile(".jsonl",
                               R"({"id":7,"title":"t"})"
                               "\n"
                               R"({"id":"7","title":"t"})"
                               "\n");
  ReadAllResult r = ReadAll(path);
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].error, "");
  ExpectBad(r.docs[1], 2, "duplicate id");
}

TEST(JsonlReaderTest, DuplicateIdsAllowedWhenNotRejected) {
  std::string path = WriteFile(".jsonl", Good("a") + "\n" + Good("a") + "\n");
  ReaderOptions options;
  options.reject_duplicate_ids = false;
  ReadAllResult r = ReadAll(path, options);
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].error, "");
  EXPECT_EQ(r.docs[1].error, "");
  EXPECT_EQ(r.stats.bad_records, 0u);
}

TEST(JsonlReaderTest, BadRecordDoesNotReserveItsId) {
  // Line 1 is rejected (empty article), so line 2 is the first kept record with id "a".
  std::string path = WriteFile(".jsonl",
                               R"({"id":"a"})"
                               "\n"
                               R"({"id":"a","title":"t"})"
                               "\n");
  ReadAllResult r = ReadAll(path);
  ASSERT_EQ(r.docs.size(), 2u);
  ExpectBad(r.docs[0], 1, "empty article");
  EXPECT_EQ(r.docs[1].error, "");
}

TEST(JsonlReaderTest, RecordTooLargeIsAnErrorAndTheNextLineIsIntact) {
  ReaderOptions options;
  options.max_record_bytes = 1024;
  const std::string big = "{\"id\":\"big\",\"title\":\"t\",\"text\":\"" + std::string(5000, 'w') +
                          "\"}";
  std::string path = WriteFile(".jsonl", Good("a") + "\n" + big + "\n" + Good("b") + "\n");
  ReadAllResult r = ReadAll(path, options);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 3u);
  ExpectGood(r.docs[0], "a", 1);
  ExpectBad(r.docs[1], 2, "record too large");
  EXPECT_HAS_SUBSTR(r.docs[1].error, std::to_string(big.size()) + " bytes");
  EXPECT_EQ(r.docs[1].id, "");  // not parsed
  ExpectGood(r.docs[2], "b", 3);
  EXPECT_EQ(r.stats.bad_records, 1u);
}

TEST(JsonlReaderTest, RecordTooLargeAcrossManyReadChunks) {
  // 3.5 MiB on one line: longer than the reader's 1 MiB read chunk, so it is discarded in pieces.
  ReaderOptions options;
  options.max_record_bytes = 1024;
  const std::string big = "{\"id\":\"big\",\"title\":\"t\",\"text\":\"" +
                          std::string((size_t{7} << 19), 'w') + "\"}";
  std::string input = Good("a") + "\n" + big + "\n" + Good("b") + "\n" + big + "\n" + big;
  std::string path = WriteFile(".jsonl", input);
  ReadAllResult r = ReadAll(path, options);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.docs.size(), 5u);
  ExpectGood(r.docs[0], "a", 1);
  ExpectBad(r.docs[1], 2, "record too large: " + std::to_string(big.size()) + " bytes");
  ExpectGood(r.docs[2], "b", 3);
  ExpectBad(r.docs[3], 4, "record too large: " + std::to_string(big.size()) + " bytes");
  // The last line, without '\n', at the end of the input.
  ExpectBad(r.docs[4], 5, "record too large: " + std::to_string(big.size()) + " bytes");
  EXPECT_EQ(r.stats.bytes, input.size());
}

TEST(JsonlReaderTest, RecordAtTheSizeLimitIsParsed) {
  ReaderOptions options;
  options.max_record_bytes = 1024;
  const std::string head = "{\"id\":\"edge\",\"title\":\"t\",\"text\":\"";
  const std::string at_limit = head + std::string(1024 - head.size() - 2, 'x') + "\"}";
  ASSERT_EQ(at_limit.size(), 1024u);
  const std::string over = head + std::string(1025 - head.size() - 2, 'x') + "\"}";
  std::string path = WriteFile(".jsonl", at_limit + "\n" + over + "\n");
  ReadAllResult r = ReadAll(path, options);
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].error, "");
  EXPECT_EQ(r.docs[0].id, "edge");
  ExpectBad(r.docs[1], 2, "record too large");
}

// ---------------------------------------------------------------------------------------------
// Dates.

TEST(JsonlReaderTest, UnparseableDateIsAWarningAndTheRecordIsKept) {
  std::string path = WriteFile(".jsonl",
                               R"({"id":"d1","title":"t","date":"last Tuesday"})"
                               "\n"
                               R"({"id":"d2","title":"t","date":"2022-13-01"})"
                               "\n");
  ReadAllResult r = ReadAll(path);
  ASSERT_EQ(r.docs.size(), 2u);
  for (const Document& d : r.docs) {
    EXPECT_EQ(d.error, "");
    EXPECT_HAS_SUBSTR(d.warning, "unparseable date");
    EXPECT_FALSE(d.date.has_value());
  }
  EXPECT_HAS_SUBSTR(r.docs[0].warning, "last Tuesday");
  EXPECT_EQ(r.stats.warnings, 2u);
  EXPECT_EQ(r.stats.bad_records, 0u);
}

TEST(JsonlReaderTest, PartialDatesAreParsed) {
  std::string path = WriteFile(".jsonl",
                               R"({"id":"m","title":"t","date":"2022-12"})"
                               "\n"
                               R"({"id":"y","title":"t","date":"2022"})"
                               "\n"
                               R"({"id":"d","title":"t","date":"2022-12-19"})"
                               "\n");
  ReadAllResult r = ReadAll(path);
  ASSERT_EQ(r.docs.size(), 3u);
  for (const Document& d : r.docs) {
    EXPECT_EQ(d.error, "");
    EXPECT_EQ(d.warning, "");
  }
  EXPECT_EQ(r.docs[0].date, 1669852800);  // 2022-12-01T00:00:00Z
  EXPECT_EQ(r.docs[1].date, 1640995200);  // 2022-01-01T00:00:00Z
  EXPECT_EQ(r.docs[2].date, 1671408000);  // 2022-12-19T00:00:00Z
}

// ---------------------------------------------------------------------------------------------
// Batches and stats.

TEST(JsonlReaderTest, ReadBatchSplitsIntoBatchesOfMaxDocs) {
  std::string path = WriteFile(".jsonl", TenRecords());
  auto reader = JsonlReader::Open(path, {});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<Document> batch;
  std::vector<size_t> sizes;
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(reader.value()->ReadBatch(3, &batch).ok());
    sizes.push_back(batch.size());
    for (const Document& d : batch) ids.push_back(d.id);
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{3, 3, 3, 1, 0, 0}));
  ASSERT_EQ(ids.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(ids[i], "r" + std::to_string(i));
}

TEST(JsonlReaderTest, ReadBatchReplacesTheVectorContents) {
  std::string path = WriteFile(".jsonl", TenRecords());
  auto reader = JsonlReader::Open(path, {});
  ASSERT_TRUE(reader.ok());
  std::vector<Document> batch(5);  // stale contents must go
  batch[0].id = "stale";
  ASSERT_TRUE(reader.value()->ReadBatch(4, &batch).ok());
  ASSERT_EQ(batch.size(), 4u);
  EXPECT_EQ(batch[0].id, "r0");
}

TEST(JsonlReaderTest, BlankLinesDoNotCountTowardsMaxDocs) {
  std::string path = WriteFile(".jsonl", "\n\n" + Good("a") + "\n\n\n" + Good("b") + "\n\n" +
                                             Good("c") + "\n");
  auto reader = JsonlReader::Open(path, {});
  ASSERT_TRUE(reader.ok());
  std::vector<Document> batch;
  ASSERT_TRUE(reader.value()->ReadBatch(2, &batch).ok());
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[1].id, "b");
  ASSERT_TRUE(reader.value()->ReadBatch(2, &batch).ok());
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].id, "c");
}

TEST(JsonlReaderTest, StatsCountLinesBytesBadRecordsAndWarnings) {
  const std::string input = Good("a") + "\n\n" +                          // good
                            "not json\n" +                               // bad
                            R"({"id":"w","title":"t","date":"soon"})" "\n" +  // warning
                            R"({"id":"a","title":"t","date":"never"})" "\n" +  // bad + warning
                            Good("b") + "\n";
  std::string path = WriteFile(".jsonl", input);
  auto reader = JsonlReader::Open(path, {});
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader.value()->stats().lines, 0u);
  std::vector<Document> batch;
  ASSERT_TRUE(reader.value()->ReadBatch(2, &batch).ok());
  EXPECT_EQ(reader.value()->stats().lines, 2u);
  EXPECT_EQ(reader.value()->stats().bad_records, 1u);
  while (true) {
    ASSERT_TRUE(reader.value()->ReadBatch(2, &batch).ok());
    if (batch.empty()) break;
  }
  const ReaderStats& s = reader.value()->stats();
  EXPECT_EQ(s.lines, 5u);
  EXPECT_EQ(s.bytes, input.size());
  EXPECT_EQ(s.bad_records, 2u);
  EXPECT_EQ(s.warnings, 2u);
}

// ---------------------------------------------------------------------------------------------
// Open errors.

TEST(JsonlReaderTest, OpenMissingFileIsNotFound) {
  const std::string path = TempPath(".does-not-exist.jsonl");
  std::filesystem::remove(path);
  auto reader = JsonlReader::Open(path, {});
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kNotFound) << reader.status().ToString();
  EXPECT_HAS_SUBSTR(reader.status().message(), path);
}

TEST(JsonlReaderTest, OpenUnreadableFileIsIOError) {
  std::string path = WriteFile(".jsonl", Good("a") + "\n");
  std::filesystem::permissions(path, std::filesystem::perms::none);
  std::FILE* probe = std::fopen(path.c_str(), "rb");
  if (probe != nullptr) {  // running as root: permissions do not apply
    std::fclose(probe);
    GTEST_SKIP() << "file readable despite mode 000 (running as root?)";
  }
  auto reader = JsonlReader::Open(path, {});
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kIOError) << reader.status().ToString();
  EXPECT_HAS_SUBSTR(reader.status().message(), path);
}

// A directory is not an input that broke off: it cannot be opened as a file at all. The error
// must come from Open (IOError naming the path), not later as a "Corruption: input stream:
// <fd:3>: Is a directory" from ReadBatch, which the CLI reports as a partial success (exit 3)
// after creating the output file.
TEST(JsonlReaderTest, Regression_OpenDirectoryIsIOErrorNamingThePath) {
  const std::string dir = TempPath(".dir");
  std::filesystem::create_directories(dir);
  auto reader = JsonlReader::Open(dir, {});
  if (reader.ok()) {
    std::vector<Document> batch;
    Status s = reader.value()->ReadBatch(10, &batch);
    FAIL() << "Open(directory) succeeded; ReadBatch then returned " << s.ToString();
  }
  EXPECT_EQ(reader.status().code(), Status::Code::kIOError) << reader.status().ToString();
  EXPECT_HAS_SUBSTR(reader.status().message(), dir);
}

TEST(JsonlReaderTest, OpenWithBadOptionsIsInvalidArgument) {
  std::string path = WriteFile(".jsonl", Good("a") + "\n");
  {
    ReaderOptions o;
    o.id_field = "";
    auto r = JsonlReader::Open(path, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_HAS_SUBSTR(r.status().message(), "id_field");
  }
  {
    ReaderOptions o;
    o.max_record_bytes = 1023;
    auto r = JsonlReader::Open(path, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_HAS_SUBSTR(r.status().message(), "max_record_bytes");
  }
  {
    ReaderOptions o;
    o.max_record_bytes = (size_t{1} << 30) + 1;
    auto r = JsonlReader::Open(path, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  }
  {
    // Bad options are reported before the file is looked at.
    ReaderOptions o;
    o.id_field = "";
    auto r = JsonlReader::Open(TempPath(".missing"), o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  }
  {
    ReaderOptions o;
    o.max_record_bytes = 1024;  // the bounds themselves are valid
    EXPECT_TRUE(o.Validate().ok());
    o.max_record_bytes = size_t{1} << 30;
    EXPECT_TRUE(o.Validate().ok());
    EXPECT_TRUE(ReaderOptions{}.Validate().ok());
  }
}

}  // namespace
}  // namespace samestory

namespace samestory {
namespace {

// Every line of `source`, as "number:text" (too large: "number:!bytes", blank marked "_").
std::vector<std::string> AllLines(LineSource& source, size_t max_bytes) {
  std::vector<std::string> out;
  LineSource::Line line;
  while (source.Next(max_bytes, &line)) {
    std::string s = std::to_string(line.number) + ":";
    s += line.too_large ? "!" + std::to_string(line.bytes) : std::string(line.text);
    if (line.blank) s += "_";
    if (!line.terminated) s += "$";
    out.push_back(s);
  }
  EXPECT_TRUE(source.status().ok()) << source.status().ToString();
  return out;
}

// Ranges that tile a file, cut anywhere, give its lines exactly once, numbered as the whole
// file numbers them (the first line numbers are what the ranges before hold): CRLF, blank lines,
// an empty line, a line longer than the limit, a last line with no newline.
TEST(LineSourceRangeTest, RangesCutAnywhereGiveEveryLineOnce) {
  const std::string text =
      "{\"id\":\"a\"}\r\n\n   \n{\"id\":\"b\",\"text\":\"" + std::string(40, 'x') +
      "\"}\n\n{\"id\":\"c\"}\n{\"id\":\"d\"}";
  const std::string path = WriteFile(".jsonl", text);
  auto whole = LineSource::Open(path);
  ASSERT_TRUE(whole.ok());
  const std::vector<std::string> want = AllLines(*whole.value(), 30);
  ASSERT_EQ(want.size(), 7u);
  for (uint64_t a = 0; a <= text.size(); ++a) {
    for (uint64_t b = a; b <= text.size(); b += 3) {
      std::vector<std::string> got;
      uint64_t first = 1;
      for (auto [begin, end] : {std::pair{uint64_t{0}, a}, std::pair{a, b},
                                std::pair{b, uint64_t{text.size()}}}) {
        // Number the lines of this range after those of the ranges before.
        auto count = LineSource::OpenRange(path, begin, end, 1);
        ASSERT_TRUE(count.ok()) << count.status().ToString();
        const size_t n = AllLines(*count.value(), 30).size();
        auto range = LineSource::OpenRange(path, begin, end, first);
        ASSERT_TRUE(range.ok());
        for (const std::string& l : AllLines(*range.value(), 30)) got.push_back(l);
        first += n;
      }
      ASSERT_EQ(got, want) << "cut at " << a << " and " << b;
    }
  }
}

TEST(LineSourceRangeTest, GzipAndMissingFilesAreRefused) {
  const std::string gz = WriteGzip(".jsonl.gz", "{\"id\":\"a\"}\n");
  auto range = LineSource::OpenRange(gz, 0, 5, 1);
  ASSERT_FALSE(range.ok());
  EXPECT_EQ(range.status().code(), Status::Code::kInvalidArgument);
  auto missing = LineSource::OpenRange(TempPath(".absent"), 0, 5, 1);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace samestory
