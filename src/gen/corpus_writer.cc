// The corpus writer: generated articles as JSON Lines into a plain or gzip file
// (samestory/generate.h).
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "io/json_writer.h"
#include "samestory/generate.h"

namespace samestory {
namespace {

// Where WriteCorpus puts its bytes: a buffered plain file or a gzip stream.
class CorpusOutput {
 public:
  static Result<std::unique_ptr<CorpusOutput>> Open(const std::string& path) {
    auto out = std::unique_ptr<CorpusOutput>(new CorpusOutput(path));
    if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0) {
      out->gz_ = gzopen(path.c_str(), "wb1");
      if (!out->gz_) return Status::IOError(path + ": " + std::strerror(errno));
      gzbuffer(out->gz_, 1 << 20);
    } else {
      auto file = internal::OutputFile::Open(path);
      if (!file.ok()) return file.status();
      out->file_ = std::move(file).value();
    }
    return out;
  }
  ~CorpusOutput() {
    if (gz_) gzclose(gz_);
  }
  Status Write(std::string_view bytes) {
    if (file_) return file_->Write(bytes);
    if (gzwrite(gz_, bytes.data(), static_cast<unsigned>(bytes.size())) !=
        static_cast<int>(bytes.size())) {
      int errnum = 0;
      return Status::IOError(path_ + ": " + gzerror(gz_, &errnum));
    }
    return Status::OK();
  }
  Status Close() {
    if (file_) return file_->Close();
    const int rc = gzclose(gz_);
    gz_ = nullptr;
    if (rc != Z_OK) return Status::IOError(path_ + ": gzip write failed");
    return Status::OK();
  }

 private:
  explicit CorpusOutput(std::string path) : path_(std::move(path)) {}
  std::string path_;
  std::unique_ptr<internal::OutputFile> file_;
  gzFile gz_ = nullptr;
};

}  // namespace

Status WriteCorpus(const CorpusGenerator& generator, const std::string& path,
                   GeneratorSummary* summary) {
  auto output = CorpusOutput::Open(path);
  if (!output.ok()) return output.status();
  CorpusOutput& out = *output.value();
  std::string buffer;
  uint64_t bytes = 0;
  auto flush = [&]() -> Status {
    bytes += buffer.size();
    Status s = out.Write(buffer);
    buffer.clear();
    return s;
  };
  Status s = generator.Generate(
      [&](const GeneratedArticle& a) -> Status {
        AppendJsonLine(a, &buffer);
        if (buffer.size() >= (size_t{1} << 20)) return flush();
        return Status::OK();
      },
      summary);
  if (s.ok()) s = flush();
  Status closed = out.Close();
  if (s.ok()) s = closed;
  if (summary) summary->bytes = bytes;
  return s;
}

}  // namespace samestory
