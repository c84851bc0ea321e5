#include "io/line_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace samestory::internal {
namespace {
constexpr size_t kChunk = size_t{1} << 20;     // decoded bytes asked for at a time
constexpr size_t kRawChunk = size_t{256} << 10;  // raw bytes read at a time
}

Result<std::unique_ptr<LineReader>> LineReader::Open(std::string_view path) {
  std::string p(path);
  int fd = -1;
  if (p == "-") {
    fd = dup(STDIN_FILENO);
    if (fd < 0) return Status::IOError(std::string("cannot read standard input: ") + std::strerror(errno));
  } else {
    fd = open(p.c_str(), O_RDONLY | O_CLOEXEC);
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
  }
  return std::unique_ptr<LineReader>(new LineReader(fd, p == "-" ? "stdin" : p));
}

Status LineReader::StartAt(uint64_t offset) {
  struct stat st;
  if (fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    return Status::InvalidArgument(path_ + ": not a regular file (a range needs one)");
  }
  unsigned char magic[2] = {0, 0};
  if (::pread(fd_, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    return Status::InvalidArgument(path_ + ": gzip (a range needs plain text)");
  }
  if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) {
    return Status::IOError(path_ + ": " + std::strerror(errno));
  }
  mode_ = Mode::kPlain;
  return Status::OK();
}

LineReader::~LineReader() {
  if (z_init_) inflateEnd(&z_);
  close(fd_);
}

bool LineReader::ReadRaw() {
  if (raw_begin_ > 0) {
    std::memmove(raw_.data(), raw_.data() + raw_begin_, raw_end_ - raw_begin_);
    raw_end_ -= raw_begin_;
    raw_begin_ = 0;
  }
  if (raw_.size() < raw_end_ + kRawChunk) raw_.resize(raw_end_ + kRawChunk);
  while (true) {
    const ssize_t n = ::read(fd_, raw_.data() + raw_end_, kRawChunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error_ = Status::IOError(path_ + ": " + std::strerror(errno));
      raw_eof_ = true;
      return false;
    }
    if (n == 0) raw_eof_ = true;
    raw_end_ += static_cast<size_t>(n);
    return n > 0;
  }
}

size_t LineReader::Decode(char* out, size_t room) {
  auto available = [&] { return raw_end_ - raw_begin_; };
  // Ensures `n` raw bytes are buffered unless the input ends first.
  auto want = [&](size_t n) {
    while (available() < n && !raw_eof_ && ReadRaw()) {
    }
    return error_.ok();
  };
  while (error_.ok()) {
    if (mode_ == Mode::kUnknown) {
      if (!want(2)) return 0;
      const bool gzip = available() >= 2 && raw_[raw_begin_] == 0x1f && raw_[raw_begin_ + 1] == 0x8b;
      mode_ = gzip ? Mode::kGzip : Mode::kPlain;
      if (gzip) {
        if (inflateInit2(&z_, 15 + 16) != Z_OK) {
          error_ = Status::Internal(path_ + ": zlib cannot start");
          return 0;
        }
        z_init_ = true;
      }
    }
    if (mode_ == Mode::kPlain) {
      if (!want(1)) return 0;
      const size_t n = std::min(room, available());
      std::memcpy(out, raw_.data() + raw_begin_, n);
      raw_begin_ += n;
      return n;  // 0 only at the end of the input
    }
    if (member_done_) {  // at the end of a gzip member: the input ends, or another member begins
      if (!want(2)) return 0;
      if (available() == 0) return 0;
      if (available() < 2 || raw_[raw_begin_] != 0x1f || raw_[raw_begin_ + 1] != 0x8b) {
        error_ = Status::Corruption(path_ + ": " + std::to_string(available()) +
                                     "+ bytes after the end of the gzip stream at byte " +
                                     std::to_string(consumed_) + " are not gzip");
        return 0;
      }
      inflateReset(&z_);
      member_done_ = false;
    }
    if (!want(1)) return 0;
    if (available() == 0) {
      error_ = Status::Corruption(path_ + ": truncated gzip stream (it ends at byte " +
                                   std::to_string(consumed_) + ", before its trailer)");
      return 0;
    }
    z_.next_in = raw_.data() + raw_begin_;
    z_.avail_in = static_cast<uInt>(std::min<size_t>(available(), UINT32_MAX));
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(room);
    const uInt in_before = z_.avail_in;
    const int r = inflate(&z_, Z_NO_FLUSH);
    const size_t used = in_before - z_.avail_in;
    const size_t produced = room - z_.avail_out;
    raw_begin_ += used;
    consumed_ += used;
    if (r == Z_STREAM_END) {
      member_done_ = true;
    } else if (r == Z_BUF_ERROR) {  // no progress: the stream needs more than is buffered
      if (raw_eof_ || !ReadRaw()) {
        if (error_.ok()) {
          error_ = Status::Corruption(path_ + ": truncated gzip stream (it ends at byte " +
                                       std::to_string(consumed_) + ", before its trailer)");
        }
        return produced;
      }
    } else if (r != Z_OK) {
      // The bytes decoded before the error are kept: a bad CRC is found after all the data.
      error_ = Status::Corruption(path_ + ": corrupt gzip stream near byte " +
                                   std::to_string(consumed_) + ": " +
                                   (z_.msg != nullptr ? z_.msg : "inflate error " + std::to_string(r)));
      return produced;
    }
    if (produced > 0) return produced;
  }
  return 0;
}

bool LineReader::Fill() {
  if (eof_) return false;
  // Compact, then make room for one more chunk plus the padding.
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buf_.size() < end_ + kChunk + kLinePadding) buf_.resize(end_ + kChunk + kLinePadding);
  const size_t n = error_.ok() ? Decode(buf_.data() + end_, kChunk) : 0;
  if (n == 0) {
    eof_ = true;
    return false;
  }
  bytes_ += n;
  end_ += n;
  std::memset(buf_.data() + end_, 0, kLinePadding);
  return true;
}

bool IsBlankLine(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') return false;
  }
  return true;
}

bool LineReader::Next(size_t max_bytes, Line* line) {
  size_t scanned = 0;  // bytes after begin_ known to hold no '\n'
  bool skipping = false;
  bool skipped_blank = true;  // every byte discarded so far was blank
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
        skipped_blank = skipped_blank && IsBlankLine({base + begin_, scanned});
        skipped_size += scanned;
        begin_ = end_;
        scanned = 0;
      }
      if (Fill()) continue;
      if (end_ == begin_ && !skipping) {
        status_ = error_;  // reported once every line decoded before it has been returned
        return false;
      }
      at_end = true;
      base = buf_.data();
    }
    size_t stop = at_end ? end_ : static_cast<size_t>(static_cast<const char*>(nl) - base);
    size_t len = stop - begin_;
    line->number = ++line_number_;
    line->terminated = !at_end;
    line->skipped = skipping || len > max_bytes;
    if (line->skipped) {
      line->text = {};
      line->size = skipped_size + len;
      line->blank = skipped_blank && IsBlankLine({base + begin_, len});
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

std::string RecordTooLargeError(uint64_t bytes, size_t limit) {
  return "record too large: " + std::to_string(bytes) + " bytes (limit " + std::to_string(limit) +
         ", see --max-record-bytes)";
}

}  // namespace samestory::internal
