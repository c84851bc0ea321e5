#include "io/temp_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace samestory::internal {

Result<std::unique_ptr<TempFile>> TempFile::Create(const std::string& what) {
  const char* env = std::getenv("TMPDIR");
  const std::string dir = env != nullptr && *env != '\0' ? env : "/tmp";
  std::string path = dir + "/samestory-XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd < 0) {
    return Status::IOError("cannot create a temporary file for " + what + " in " + dir +
                           " (set TMPDIR to a writable directory): " + std::strerror(errno));
  }
  ::unlink(path.c_str());
  return std::unique_ptr<TempFile>(new TempFile(fd, what));
}

TempFile::~TempFile() { ::close(fd_); }

uint64_t TempFile::Append(const void* data, size_t bytes) {
  const uint64_t offset = size_;
  const char* p = static_cast<const char*>(data);
  buffer_.insert(buffer_.end(), p, p + bytes);
  size_ += bytes;
  // A write error is not lost: Flush keeps it in error_, and every later Flush and Read returns
  // it, so a caller that flushes after its last Append (as Read requires) sees it.
  if (buffer_.size() >= kBuffer) (void)Flush();
  return offset;
}

Status TempFile::Flush() {
  const char* p = buffer_.data();
  size_t left = buffer_.size();
  while (left > 0 && error_.ok()) {
    const ssize_t w = ::write(fd_, p, left);
    if (w < 0) {
      if (errno == EINTR) continue;
      error_ = Status::IOError("cannot write the temporary file for " + what_ +
                               " (disk full? set TMPDIR): " + std::strerror(errno));
      break;
    }
    p += w;
    left -= static_cast<size_t>(w);
  }
  buffer_.clear();
  return error_;
}

Status TempFile::Read(uint64_t offset, size_t bytes, void* out) const {
  if (!error_.ok()) return error_;
  char* dst = static_cast<char*>(out);
  size_t done = 0;
  while (done < bytes) {
    const ssize_t r = ::pread(fd_, dst + done, bytes - done, static_cast<off_t>(offset + done));
    if (r <= 0) {
      if (r < 0 && errno == EINTR) continue;
      return Status::IOError("cannot read the temporary file for " + what_ + ": " +
                             (r < 0 ? std::strerror(errno) : "short read"));
    }
    done += static_cast<size_t>(r);
  }
  return Status::OK();
}

}  // namespace samestory::internal
