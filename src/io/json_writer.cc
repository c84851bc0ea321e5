#include "io/json_writer.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <vector>
#include <cstring>
#include <memory>

namespace samestory::internal {

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t start = 0;  // s[start, i) needs no escaping: appended in one piece
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + start, i - start);
    start = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + start, s.size() - start);
  out->push_back('"');
}

void AppendTsvField(std::string_view s, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '\\': out->append("\\\\"); break;
      case '\t': out->append("\\t"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      default: out->push_back(c);
    }
  }
}

void AppendRecordError(std::string_view id, uint64_t line, std::string_view error,
                       bool with_story, std::string* out) {
  out->append("{\"id\":");
  if (id.empty()) {
    out->append("null");
  } else {
    AppendJsonString(id, out);
  }
  out->append(",\"line\":");
  out->append(std::to_string(line));
  out->append(",\"dup\":null,\"dup_score\":null,\"dup_kind\":null");
  if (with_story) out->append(",\"story\":null");
  out->append(",\"error\":");
  AppendJsonString(error, out);
}

void AppendRecordDup(std::string_view representative, double score, std::string_view kind,
                     std::string* out) {
  out->append(",\"dup\":");
  AppendJsonString(representative, out);
  out->append(",\"dup_score\":");
  AppendFixed4(score, out);
  out->append(",\"dup_kind\":");
  if (kind.empty()) {
    out->append("null");
  } else {
    AppendJsonString(kind, out);
  }
}

void AppendFixed4(double value, std::string* out) {
  char buf[32];
  int n = std::snprintf(buf, sizeof(buf), "%.4f", value);
  out->append(buf, static_cast<size_t>(n));
}

namespace {

// The file at `path` ("-": the descriptor `fd`) by device and inode, when it exists.
bool Identify(std::string_view path, int fd, dev_t* dev, ino_t* ino) {
  struct stat st;
  const int r = path == "-" ? ::fstat(fd, &st) : ::stat(std::string(path).c_str(), &st);
  if (r != 0) return false;
  *dev = st.st_dev;
  *ino = st.st_ino;
  return S_ISREG(st.st_mode) || S_ISDIR(st.st_mode);  // pipes and terminals never clash
}

std::string Quoted(const NamedOutput& o) {
  return std::string(o.name) + " " + (o.path == "-" ? "(standard output)" : std::string(o.path));
}

}  // namespace

Status CheckOutputs(std::string_view input, std::initializer_list<NamedOutput> outputs) {
  dev_t in_dev{};
  ino_t in_ino{};
  const bool have_input = !input.empty() && Identify(input, STDIN_FILENO, &in_dev, &in_ino);
  std::vector<const NamedOutput*> seen;
  for (const NamedOutput& o : outputs) {
    if (o.path.empty()) continue;
    dev_t dev{};
    ino_t ino{};
    const bool exists = Identify(o.path, STDOUT_FILENO, &dev, &ino);
    if (exists && have_input && dev == in_dev && ino == in_ino) {
      return Status::InvalidArgument(Quoted(o) + " is the input file: writing it would destroy "
                                     "the input; choose another output path");
    }
    for (const NamedOutput* other : seen) {
      dev_t odev{};
      ino_t oino{};
      const bool same = (o.path == "-" && other->path == "-") || o.path == other->path ||
                        (exists && Identify(other->path, STDOUT_FILENO, &odev, &oino) &&
                         odev == dev && oino == ino);
      if (same) {
        return Status::InvalidArgument(Quoted(o) + " is the same file as " + Quoted(*other) +
                                       "; give each output its own path");
      }
    }
    seen.push_back(&o);
    if (o.path == "-") continue;
    const std::string path(o.path);
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) return Status::IOError(path + ": is a directory");
      if (::access(path.c_str(), W_OK) != 0) {
        return Status::IOError(path + ": " + std::strerror(errno));
      }
    } else {
      std::string dir = std::filesystem::path(path).parent_path().string();
      if (dir.empty()) dir = ".";
      if (::access(dir.c_str(), W_OK | X_OK) != 0) {
        return Status::IOError(path + ": cannot create it in " + dir + ": " + std::strerror(errno));
      }
    }
  }
  return Status::OK();
}

Result<std::unique_ptr<OutputFile>> OutputFile::Open(const std::string& path) {
  if (path == "-") return std::unique_ptr<OutputFile>(new OutputFile(stdout, false, "stdout"));
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::IOError(path + ": " + std::strerror(errno));
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  return std::unique_ptr<OutputFile>(new OutputFile(f, true, path));
}

OutputFile::~OutputFile() {
  if (owned_ && f_) std::fclose(f_);
}

Status OutputFile::Write(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), f_) != bytes.size()) {
    return Status::IOError(path_ + ": " + std::strerror(errno));
  }
  return Status::OK();
}

Status OutputFile::Close() {
  int rc = std::fflush(f_);
  if (owned_) {
    rc |= std::fclose(f_);
    f_ = nullptr;
  }
  if (rc != 0) return Status::IOError(path_ + ": " + std::strerror(errno));
  return Status::OK();
}

}  // namespace samestory::internal
