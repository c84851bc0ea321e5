#include "io/binary_file.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace samestory::internal {

void PutU32(std::string* b, uint32_t v) { b->append(reinterpret_cast<const char*>(&v), 4); }
void PutU64(std::string* b, uint64_t v) { b->append(reinterpret_cast<const char*>(&v), 8); }
void PutF32(std::string* b, float v) { b->append(reinterpret_cast<const char*>(&v), 4); }
void PutF64(std::string* b, double v) { b->append(reinterpret_cast<const char*>(&v), 8); }
void PutStr(std::string* b, std::string_view s) {
  PutU32(b, static_cast<uint32_t>(s.size()));
  b->append(s);
}

uint32_t Crc(std::string_view s) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t w = ::write(fd, bytes.data(), bytes.size());
    if (w < 0) {
      if (errno == EINTR) continue;
      return Status::IOError("cannot write " + path + ": " + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(w));
  }
  return Status::OK();
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path);
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read " + path);
  return s.str();
}

Status FsyncPath(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  const int r = ::fsync(fd);
  ::close(fd);
  if (r != 0) return Status::IOError("cannot fsync " + path + ": " + std::strerror(errno));
  return Status::OK();
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes,
                           const std::string& dir) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return Status::IOError("cannot create " + tmp + ": " + std::strerror(errno));
  Status s = WriteAll(fd, bytes, tmp);
  if (s.ok() && ::fsync(fd) != 0) s = Status::IOError("cannot fsync " + tmp);
  ::close(fd);
  if (!s.ok()) return s;
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::IOError("cannot rename " + tmp + ": " + std::strerror(errno));
  }
  return FsyncPath(dir, true);
}

}  // namespace samestory::internal
