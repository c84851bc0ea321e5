// WatchedManifest: the feed's record of the watched files it has answered (see samestory/feed.h).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "io/binary_file.h"
#include "io/json_writer.h"
#include "samestory/feed.h"

namespace samestory {
namespace {

// Reverses internal::AppendTsvField. False on a stray backslash.
bool ParseTsvField(std::string_view s, std::string* out) {
  out->clear();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out->push_back(s[i]);
      continue;
    }
    if (++i == s.size()) return false;
    switch (s[i]) {
      case '\\': out->push_back('\\'); break;
      case 't': out->push_back('\t'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      default: return false;
    }
  }
  return true;
}

constexpr uint64_t kMaxManifestBytes = uint64_t{1} << 32;

}  // namespace

Result<WatchedManifest> WatchedManifest::Load(const std::string& state_dir) {
  WatchedManifest m;
  m.path_ = state_dir + "/watched.tsv";
  auto data = internal::ReadWholeFile(m.path_, kMaxManifestBytes);
  if (!data.ok() && data.status().code() == Status::Code::kNotFound) return m;
  if (!data.ok()) return data.status();
  std::string& text = data.value();
  const size_t complete = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
  if (complete != text.size()) {  // a torn last line: that file is not done
    if (::truncate(m.path_.c_str(), static_cast<off_t>(complete)) != 0) {
      return Status::IOError("cannot cut the torn last line of " + m.path_ + ": " +
                             std::strerror(errno));
    }
    text.resize(complete);
  }
  std::string name;
  uint64_t line_no = 0;
  for (size_t pos = 0; pos < text.size();) {
    const size_t end = text.find('\n', pos);
    const std::string_view line = std::string_view(text).substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    const size_t tab = line.rfind('\t');
    char* stop = nullptr;
    const std::string count(line.substr(tab == std::string_view::npos ? 0 : tab + 1));
    errno = 0;
    const unsigned long long records = std::strtoull(count.c_str(), &stop, 10);
    if (tab == std::string_view::npos || count.empty() || *stop != '\0' || errno != 0 ||
        !ParseTsvField(line.substr(0, tab), &name)) {
      return Status::Corruption(m.path_ + ": line " + std::to_string(line_no) +
                                " is not \"name<TAB>records\"");
    }
    m.done_.insert(name);
    m.records_ += records;
  }
  return m;
}

Status WatchedManifest::MarkDone(std::string_view name, uint64_t records) {
  std::string line;
  internal::AppendTsvField(name, &line);
  line += '\t';
  line += std::to_string(records);
  line += '\n';
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot open " + path_ + ": " + std::strerror(errno));
  Status s = internal::WriteAll(fd, line, path_);
  if (s.ok() && ::fsync(fd) != 0) {
    s = Status::IOError("cannot sync " + path_ + ": " + std::strerror(errno));
  }
  ::close(fd);
  if (!s.ok()) return s;
  done_.insert(std::string(name));
  records_ += records;
  return Status::OK();
}

}  // namespace samestory
