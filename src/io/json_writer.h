// Buffered output file and JSON string escaping. Internal. Not thread-safe.
#ifndef SAMESTORY_IO_JSON_WRITER_H_
#define SAMESTORY_IO_JSON_WRITER_H_

#include <cstdio>
#include <string>
#include <string_view>

#include "samestory/status.h"

namespace samestory::internal {

// Appends `s` to *out as a JSON string literal, quotes included.
void AppendJsonString(std::string_view s, std::string* out);

// Appends `s` to *out as a TSV field: backslash, tab, newline and carriage return escaped as
// \\, \t, \n, \r (the PostgreSQL COPY text convention).
void AppendTsvField(std::string_view s, std::string* out);

// Appends `value` with 4 decimals.
void AppendFixed4(double value, std::string* out);

class OutputFile {
 public:
  // "-" is standard output. Errors: IOError.
  static Result<std::unique_ptr<OutputFile>> Open(const std::string& path);
  ~OutputFile();
  // Appends bytes; flushed in large blocks.
  Status Write(std::string_view bytes);
  // Flushes; reports any write error seen. REQUIRES: called once before destruction to see errors.
  Status Close();

 private:
  OutputFile(std::FILE* f, bool owned, std::string path) : f_(f), owned_(owned), path_(std::move(path)) {}
  std::FILE* f_;
  bool owned_;
  std::string path_;
};

}  // namespace samestory::internal

#endif  // SAMESTORY_IO_JSON_WRITER_H_
