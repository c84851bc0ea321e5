// Little-endian binary records and durable whole-file writes, shared by the feed's state and the
// saved TF-IDF model. Internal.
#ifndef SAMESTORY_IO_BINARY_FILE_H_
#define SAMESTORY_IO_BINARY_FILE_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "samestory/status.h"

namespace samestory::internal {

void PutU32(std::string* b, uint32_t v);
void PutU64(std::string* b, uint64_t v);
void PutF32(std::string* b, float v);
void PutF64(std::string* b, double v);
void PutStr(std::string* b, std::string_view s);  // u32 length, then the bytes

// Reads what the Put functions wrote. A read past the end returns 0 (or "") and clears `ok`, so
// a parser checks `ok` once at the end.
struct Cursor {
  std::string_view data;
  size_t pos = 0;
  bool ok = true;

  bool Need(size_t n) {
    if (!ok || data.size() - pos < n) ok = false;
    return ok;
  }
  uint32_t U32() { return Get<uint32_t>(); }
  uint64_t U64() { return Get<uint64_t>(); }
  float F32() { return Get<float>(); }
  double F64() { return Get<double>(); }
  std::string_view Str() {
    const uint32_t n = U32();
    if (!Need(n)) return {};
    std::string_view s = data.substr(pos, n);
    pos += n;
    return s;
  }
  bool AtEnd() const { return ok && pos == data.size(); }

 private:
  template <typename T>
  T Get() {
    T v{};
    if (Need(sizeof(T))) {
      std::memcpy(&v, data.data() + pos, sizeof(T));
      pos += sizeof(T);
    }
    return v;
  }
};

// CRC-32 (zlib) of `s`.
uint32_t Crc(std::string_view s);

// Writes all of `bytes` to `fd` (retrying short writes and EINTR); `path` is for messages.
Status WriteAll(int fd, std::string_view bytes, const std::string& path);

// The whole file, which must be a regular file of at most `max_bytes` bytes: a loader passes the
// largest size its format allows, so a device (/dev/zero), a FIFO or a huge file is refused before
// anything is allocated. Errors: NotFound (no such file), InvalidArgument (not a regular file, too
// large), IOError.
Result<std::string> ReadWholeFile(const std::string& path, uint64_t max_bytes);

// fsync of a file or a directory. Errors: IOError.
Status FsyncPath(const std::string& path, bool directory);

// Replaces `path` with `bytes` atomically and durably: a new file `path`.XXXXXX (mkstemp: never an
// existing file or a symbolic link), fsynced, renamed over it, the directory `dir` fsynced. A
// crash leaves the old file or the new one, never a mix (and perhaps a stray `path`.XXXXXX).
// Errors: InvalidArgument when `path` exists and is not a regular file (a symbolic link, a
// directory, a device), IOError.
Status WriteFileAtomically(const std::string& path, std::string_view bytes, const std::string& dir);

}  // namespace samestory::internal

#endif  // SAMESTORY_IO_BINARY_FILE_H_
