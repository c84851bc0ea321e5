// Buffered output file and JSON string escaping. Internal. Not thread-safe.
#ifndef SAMESTORY_IO_JSON_WRITER_H_
#define SAMESTORY_IO_JSON_WRITER_H_

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <memory>
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

// The output contract's fields, one writer for every mode (dedup, cluster, feed):
//   {"id":…,"line":N,"dup":null,"dup_score":null,"dup_kind":null[,"story":null],"error":…}
// for a record that could not be read (`id` null when it has none), and for one read without
// error its duplicate group: "dup" (the group's representative, the article itself when it has
// no copy), "dup_score" (1.0000 for the representative) and "dup_kind" (null for the
// representative, else "copy" or "partial"). `with_story`: the error record holds "story":null.
// AppendRecordError begins the object; AppendRecordDup appends to an object begun with {"id":….
// Both leave it open, for the mode's own fields.
void AppendRecordError(std::string_view id, uint64_t line, std::string_view error,
                       bool with_story, std::string* out);
void AppendRecordDup(std::string_view representative, double score, std::string_view kind,
                     std::string* out);

// An output a run will write: what it is called in messages ("output", "--stories") and its path
// ("-" is standard output).
struct NamedOutput {
  std::string_view name;
  std::string_view path;
};

// Checks, before a run reads anything, that its outputs can be written without destroying its
// input or each other: no output is the input file (compared by device and inode, so another
// name or a link to it is caught, and stdin redirected from it too), no two outputs are the same
// file or both standard output, no output is a directory, and each one's file (or, when absent,
// directory) is writable. Nothing is created or truncated. Empty paths are skipped.
// Errors: InvalidArgument naming the clash, IOError when an output is not writable.
Status CheckOutputs(std::string_view input, std::initializer_list<NamedOutput> outputs);

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
