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

// True when `s` holds only spaces, tabs, \r, \f and \v: a blank line, not a record.
bool IsBlankLine(std::string_view s);

// The error of a record longer than `limit` bytes (every reader says the same).
std::string RecordTooLargeError(uint64_t bytes, size_t limit);

class LineReader {
 public:
  // "-" is stdin. gzip is detected from the content (its magic bytes), whatever the name;
  // concatenated gzip members are read one after another. Errors: NotFound, IOError (a directory,
  // an unreadable file).
  static Result<std::unique_ptr<LineReader>> Open(std::string_view path);
  ~LineReader();

  // Before the first Next(): reads the file as plain text from byte `offset` on (no gzip
  // detection: a range of a plain file). Errors: InvalidArgument when the input is not a plain
  // regular file (stdin, a pipe, gzip), IOError.
  Status StartAt(uint64_t offset);
  // The number the next line's is one more than.
  void SetLineNumber(uint64_t last) { line_number_ = last; }

  struct Line {
    std::string_view text;  // without the '\n' (and a trailing '\r'); valid until the next Next()
    uint64_t number = 0;    // 1-based
    uint64_t size = 0;      // full length in bytes, even when `skipped`
    bool skipped = false;   // longer than max_bytes: `text` is empty, the bytes were discarded
    bool blank = false;     // for a skipped line: it held only blanks (IsBlankLine)
    bool terminated = true; // ended by '\n' (false: the last line, the input ended inside it)
  };

  // Reads the next line into *line. Returns false at the end of input or on error (see status()).
  // At least kLinePadding readable bytes follow line->text.
  bool Next(size_t max_bytes, Line* line);
  // OK, or the error that ended the input early (a read error; a truncated or corrupt gzip
  // stream, or bytes after its end that are not another gzip member). Every byte decoded before
  // the error has been returned as lines first: a bad CRC in the trailer loses nothing.
  const Status& status() const { return status_; }
  uint64_t bytes() const { return bytes_; }

 private:
  LineReader(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  bool Fill();  // reads more input after end_; false at EOF or error
  // Appends up to `room` decoded bytes at `out`; returns how many (0 at the end or on error).
  size_t Decode(char* out, size_t room);
  bool ReadRaw();  // refills raw_ from fd_; false at EOF or on error (status_ set)

  int fd_;
  std::string path_;  // for messages
  // Raw input: raw_[raw_begin_, raw_end_) not yet consumed.
  std::vector<unsigned char> raw_;
  size_t raw_begin_ = 0, raw_end_ = 0;
  bool raw_eof_ = false;
  enum class Mode { kUnknown, kPlain, kGzip } mode_ = Mode::kUnknown;
  z_stream z_{};
  bool z_init_ = false;
  bool member_done_ = false;
  uint64_t consumed_ = 0;  // raw bytes given to zlib, for messages  // the last gzip member ended (Z_STREAM_END); another may follow
  std::vector<char> buf_;
  size_t begin_ = 0, end_ = 0;  // unread bytes are buf_[begin_, end_)
  bool eof_ = false;
  uint64_t line_number_ = 0;
  uint64_t bytes_ = 0;
  Status error_;   // what ended the input; status_ takes it once the lines before it are read
  Status status_;
};

}  // namespace samestory::internal

#endif  // SAMESTORY_IO_LINE_READER_H_
