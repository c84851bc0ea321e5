// LineReader: the raw line source under every JSONL reader (plain file, gzip file, stdin).
// Internal. Not thread-safe.
#ifndef SAMESTORY_IO_LINE_READER_H_
#define SAMESTORY_IO_LINE_READER_H_

#include <zlib.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "samestory/status.h"

namespace samestory::internal {

// Bytes of readable slack kept after every line returned, so simdjson may read past its end.
inline constexpr size_t kLinePadding = 64;

class LineReader {
 public:
  // "-" is stdin. gzip is detected from the content (zlib reads plain files transparently).
  static Result<std::unique_ptr<LineReader>> Open(std::string_view path);
  ~LineReader();

  struct Line {
    std::string_view text;  // without the '\n' (and a trailing '\r'); valid until the next Next()
    uint64_t number = 0;    // 1-based
    uint64_t size = 0;      // full length in bytes, even when `skipped`
    bool skipped = false;   // longer than max_bytes: `text` is empty, the bytes were discarded
  };

  // Reads the next line into *line. Returns false at the end of input or on error (see status()).
  // At least kLinePadding readable bytes follow line->text.
  bool Next(size_t max_bytes, Line* line);
  // OK, or the error that ended the input early (a truncated or corrupt gzip stream).
  const Status& status() const { return status_; }
  uint64_t bytes() const { return bytes_; }

 private:
  LineReader(gzFile file, std::string path) : file_(file), path_(std::move(path)) {}
  bool Fill();  // reads more input after end_; false at EOF or error

  gzFile file_;
  std::string path_;  // for messages
  std::vector<char> buf_;
  size_t begin_ = 0, end_ = 0;  // unread bytes are buf_[begin_, end_)
  bool eof_ = false;
  uint64_t line_number_ = 0;
  uint64_t bytes_ = 0;
  Status status_;
};

}  // namespace samestory::internal

#endif  // SAMESTORY_IO_LINE_READER_H_
