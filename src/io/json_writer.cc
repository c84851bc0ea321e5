#include "io/json_writer.h"

#include <cerrno>
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

void AppendFixed4(double value, std::string* out) {
  char buf[32];
  int n = std::snprintf(buf, sizeof(buf), "%.4f", value);
  out->append(buf, static_cast<size_t>(n));
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
