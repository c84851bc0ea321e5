// TempFile: an anonymous temporary file (created in $TMPDIR, else /tmp, and unlinked at once, so
// nothing is left behind even after a crash), appended through a buffer and read back with pread.
// Used where memory would not suffice: shingle sets, sorted runs of LSH band keys. Internal.
// Not thread-safe for appends; Read may be called from several threads once appends are over.
#ifndef SAMESTORY_IO_TEMP_FILE_H_
#define SAMESTORY_IO_TEMP_FILE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "samestory/status.h"

namespace samestory::internal {

class TempFile {
 public:
  // Errors: IOError (the message names the directory and suggests TMPDIR).
  static Result<std::unique_ptr<TempFile>> Create(const std::string& what);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  // Appends `bytes` bytes; returns the offset of the first. A write error surfaces in every later
  // Flush and Read.
  uint64_t Append(const void* data, size_t bytes);
  // Writes out the buffer. Errors: IOError (disk full).
  Status Flush();
  // Reads `bytes` bytes at `offset` into `out`. REQUIRES: Flush() was called after the last
  // Append covering that range. Errors: IOError.
  Status Read(uint64_t offset, size_t bytes, void* out) const;
  uint64_t size() const { return size_; }

 private:
  TempFile(int fd, std::string what) : fd_(fd), what_(std::move(what)) {}
  static constexpr size_t kBuffer = size_t{4} << 20;
  int fd_;
  std::string what_;  // for messages: "shingle sets", "band keys"
  std::vector<char> buffer_;
  uint64_t size_ = 0;
  Status error_;
};

}  // namespace samestory::internal

#endif  // SAMESTORY_IO_TEMP_FILE_H_
