#include "io/line_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace samestory::internal {
namespace {
constexpr size_t kChunk = size_t{1} << 20;
}

Result<std::unique_ptr<LineReader>> LineReader::Open(std::string_view path) {
  std::string p(path);
  gzFile f = nullptr;
  if (p == "-") {
    int fd = dup(STDIN_FILENO);
    if (fd >= 0) f = gzdopen(fd, "rb");
    if (!f) return Status::IOError("cannot read standard input");
  } else {
    int fd = open(p.c_str(), O_RDONLY);
    if (fd < 0) {
      int e = errno;
      std::string msg = p + ": " + std::strerror(e);
      return e == ENOENT ? Status::NotFound(msg) : Status::IOError(msg);
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      close(fd);
      return Status::IOError(p + ": is a directory");
    }
    f = gzdopen(fd, "rb");
    if (!f) {
      close(fd);
      return Status::IOError(p + ": cannot open");
    }
  }
  gzbuffer(f, 256 * 1024);
  return std::unique_ptr<LineReader>(new LineReader(f, p == "-" ? "stdin" : p));
}

LineReader::~LineReader() { gzclose(file_); }

bool LineReader::Fill() {
  if (eof_) return false;
  // Compact, then make room for one more chunk plus the padding.
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buf_.size() < end_ + kChunk + kLinePadding) buf_.resize(end_ + kChunk + kLinePadding);
  int n = gzread(file_, buf_.data() + end_, static_cast<unsigned>(kChunk));
  if (n < 0) {
    int err = 0;
    const char* msg = gzerror(file_, &err);
    status_ = Status::Corruption(path_ + ": " + (msg ? msg : "read error"));
    eof_ = true;
    return false;
  }
  if (n == 0) {
    int err = 0;
    const char* msg = gzerror(file_, &err);
    if (err != Z_OK && err != Z_STREAM_END) {
      status_ = Status::Corruption(path_ + ": " + (msg ? msg : "read error"));
    }
    eof_ = true;
    return false;
  }
  bytes_ += static_cast<uint64_t>(n);
  end_ += static_cast<size_t>(n);
  std::memset(buf_.data() + end_, 0, kLinePadding);
  return true;
}

bool LineReader::Next(size_t max_bytes, Line* line) {
  size_t scanned = 0;  // bytes after begin_ known to hold no '\n'
  bool skipping = false;
  uint64_t skipped_size = 0;
  while (true) {
    const char* base = buf_.data();
    size_t from = begin_ + scanned;
    const void* nl = from < end_ ? std::memchr(base + from, '\n', end_ - from) : nullptr;
    bool at_end = false;
    if (nl == nullptr) {
      scanned = end_ - begin_;
      if (scanned > max_bytes) {  // discard what we have of an over-long line
        skipping = true;
        skipped_size += scanned;
        begin_ = end_;
        scanned = 0;
      }
      if (Fill()) continue;
      if (end_ == begin_ && !skipping) return false;
      at_end = true;
      base = buf_.data();
    }
    size_t stop = at_end ? end_ : static_cast<size_t>(static_cast<const char*>(nl) - base);
    size_t len = stop - begin_;
    line->number = ++line_number_;
    line->skipped = skipping || len > max_bytes;
    if (line->skipped) {
      line->text = {};
      line->size = skipped_size + len;
    } else {
      size_t tlen = len;
      if (tlen > 0 && base[begin_ + tlen - 1] == '\r') --tlen;
      line->text = std::string_view(base + begin_, tlen);
      line->size = len;
    }
    begin_ = at_end ? end_ : stop + 1;
    return true;
  }
}

}  // namespace samestory::internal
