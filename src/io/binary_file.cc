#include "io/binary_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

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

Result<std::string> ReadWholeFile(const std::string& path, uint64_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    if (e == ENOENT) return Status::NotFound(path);
    return Status::IOError("cannot open " + path + ": " + std::strerror(e));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(path + " is not a regular file");
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes) {
    ::close(fd);
    return Status::InvalidArgument(path + " is " + std::to_string(size) +
                                   " bytes, more than such a file can be (" +
                                   std::to_string(max_bytes) + ")");
  }
  std::string data(size, '\0');
  size_t done = 0;
  while (done < size) {
    const ssize_t r = ::read(fd, data.data() + done, size - done);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      const int e = errno;
      ::close(fd);
      return Status::IOError("cannot read " + path + ": " + (r < 0 ? std::strerror(e) : "it shrank"));
    }
    done += static_cast<size_t>(r);
  }
  ::close(fd);
  return data;
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
  // Only a regular file (or nothing) is replaced: renaming over a device node, a directory or a
  // symbolic link would replace that, not write the file the user named (issue 14 #10).
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    return Status::InvalidArgument(path + " exists and is not a regular file (" +
                                   (S_ISLNK(st.st_mode) ? "a symbolic link" : S_ISDIR(st.st_mode) ? "a directory" : "a special file") +
                                   "); it is not replaced");
  }
  // A new, unique name in the target's directory (mkstemp: O_CREAT | O_EXCL, so a planted file
  // or symbolic link is never opened or followed), on the same file system for the rename.
  std::string tmp = path + ".XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return Status::IOError("cannot create a file next to " + path + ": " + std::strerror(errno));
  const mode_t mask = ::umask(0);
  ::umask(mask);
  Status s;
  if (::fchmod(fd, 0666 & ~mask) != 0) s = Status::IOError("cannot chmod " + tmp + ": " + std::strerror(errno));
  if (s.ok()) s = WriteAll(fd, bytes, tmp);
  if (s.ok() && ::fsync(fd) != 0) s = Status::IOError("cannot fsync " + tmp + ": " + std::strerror(errno));
  if (::close(fd) != 0 && s.ok()) s = Status::IOError("cannot close " + tmp + ": " + std::strerror(errno));
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    s = Status::IOError("cannot rename " + tmp + " to " + path + ": " + std::strerror(errno));
  }
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  return FsyncPath(dir, true);
}

}  // namespace samestory::internal
