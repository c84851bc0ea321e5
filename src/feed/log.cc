#include "feed/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "io/binary_file.h"

namespace samestory::internal {
namespace {

constexpr uint32_t kLogMagic = 0x454C5353;  // "SSLE"
constexpr size_t kHeader = 12;

}  // namespace

LogWriter::~LogWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Status LogWriter::Open(const std::string& path, bool read_only) {
  path_ = path;
  read_only_ = read_only;
  fd_ = read_only ? ::open(path.c_str(), O_RDONLY | O_CLOEXEC)
                  : ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0 && !(read_only && errno == ENOENT)) {
    return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  }
  return Status::OK();
}

Status LogWriter::Append(std::string_view payload, uint64_t sync_every) {
  std::string entry;
  PutU32(&entry, kLogMagic);
  PutU32(&entry, static_cast<uint32_t>(payload.size()));
  PutU32(&entry, Crc(payload));
  entry += payload;
  if (Status s = WriteAll(fd_, entry, path_); !s.ok()) return s;
  if (++unsynced_ >= sync_every) return Sync();
  return Status::OK();
}

Status LogWriter::Sync() {
  if (fd_ >= 0 && !read_only_ && ::fdatasync(fd_) != 0) {
    return Status::IOError("cannot sync " + path_ + ": " + std::strerror(errno));
  }
  unsynced_ = 0;
  return Status::OK();
}

Status LogWriter::Truncate() {
  if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) < 0) {
    return Status::IOError("cannot truncate " + path_ + ": " + std::strerror(errno));
  }
  return Status::OK();
}

Status ReadLog(std::string_view b, const std::string& path,
               const std::function<Status(std::string_view payload, size_t offset)>& entry,
               size_t* good) {
  size_t pos = 0;
  *good = 0;
  while (b.size() - pos >= kHeader) {
    uint32_t magic, len, crc;
    std::memcpy(&magic, b.data() + pos, 4);
    std::memcpy(&len, b.data() + pos + 4, 4);
    std::memcpy(&crc, b.data() + pos + 8, 4);
    if (magic == kLogMagic && b.size() - pos - kHeader < len) break;  // torn
    const auto damaged = [&](const char* what) {
      return Status::Corruption(path + ": " + what + " at byte " + std::to_string(pos) + " of " +
                                std::to_string(b.size()) +
                                " (not a torn last entry: the log is damaged; the entries before "
                                "it are intact)");
    };
    if (magic != kLogMagic) return damaged("not a log entry");
    const std::string_view payload = b.substr(pos + kHeader, len);
    if (Crc(payload) != crc) return damaged("checksum mismatch");
    if (Status s = entry(payload, pos); !s.ok()) return s;
    pos += kHeader + len;
    *good = pos;
  }
  return Status::OK();
}

}  // namespace samestory::internal
