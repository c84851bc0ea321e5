// JsonlReader: reads articles from JSON Lines (a file, a .gz file, or stdin) in batches.
//
// First stage of every pipeline: bytes -> Documents. A bad record (not JSON, invalid UTF-8, no id,
// a duplicate id, no title and no text, too large) does not stop the read: it becomes a Document
// with `error` set and its line number, and is counted. Only an unreadable input is a failed
// Status. Not thread-safe: one reader per input, used from one thread.
#ifndef SAMESTORY_READER_H_
#define SAMESTORY_READER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "samestory/document.h"
#include "samestory/status.h"

namespace samestory {

struct ReaderOptions {
  // Name of the field holding the article's id (a string or an integer). Default "id".
  std::string id_field = "id";
  // A line longer than this many bytes is not parsed: it becomes an error record (its id
  // unknown). Range 1 KiB .. 1 GiB. Default 16 MiB.
  size_t max_record_bytes = size_t{16} << 20;
  // Report a record whose id was already seen as an error (the first one is kept). Default true.
  bool reject_duplicate_ids = true;

  Status Validate() const;
};

// Counts of what a reader has seen so far.
struct ReaderStats {
  uint64_t lines = 0;        // records read, blank lines excluded
  uint64_t bytes = 0;        // uncompressed bytes read
  uint64_t bad_records = 0;  // records with `error` set
  uint64_t warnings = 0;     // records with `warning` set
};

// Parses single JSON Lines records, for callers that get lines one at a time (the news feed).
// Fills a Document exactly as JsonlReader does, except that duplicate ids are not tracked here.
// Not thread-safe: one parser per thread.
class RecordParser {
 public:
  explicit RecordParser(const ReaderOptions& options);
  ~RecordParser();
  RecordParser(RecordParser&&) noexcept;
  RecordParser& operator=(RecordParser&&) noexcept;

  // Parses `line` (one record, no newline) into *d (reset first), giving it line number `line_no`.
  // A bad record sets d->error; a line longer than options.max_record_bytes is "record too large".
  void Parse(std::string_view line, uint64_t line_no, Document* d);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The lines of a JSON Lines input, for callers that take records one at a time (the news feed):
// the reading under JsonlReader (stdin, a file, gzip recognised by its magic bytes, NUL bytes
// kept, a trailing '\r' and a UTF-8 byte order mark on line 1 dropped). Not thread-safe.
class LineSource {
 public:
  // "-" is standard input. Errors: NotFound, IOError (a directory, an unreadable file).
  static Result<std::unique_ptr<LineSource>> Open(std::string_view path);
  // The lines of a plain (not gzip) regular file that start in bytes [begin, end): a line that
  // starts before `begin` and runs into it is not one of them, a line that starts before `end`
  // is, whole. Lines are numbered from `first_line`. Ranges that tile a file give each line to
  // exactly one of them (a distributed run's shares). Errors: InvalidArgument (not a plain
  // regular file), NotFound, IOError.
  static Result<std::unique_ptr<LineSource>> OpenRange(std::string_view path, uint64_t begin,
                                                       uint64_t end, uint64_t first_line);
  ~LineSource();

  struct Line {
    std::string_view text;  // without its newline; valid until the next Next(); empty if too_large
    uint64_t number = 0;    // 1-based
    uint64_t bytes = 0;     // its length, even when too_large
    bool too_large = false; // longer than max_bytes: its bytes were read and dropped
    bool blank = false;     // only spaces, tabs, \r, \f, \v: not a record
    bool terminated = true; // false: the input ended inside this line (no newline after it)
  };
  // Reads the next line. Returns false at the end of the input or on an error (see status()):
  // every line before the error is returned first. A line is returned as soon as its newline is
  // read (a live pipe is answered line by line).
  bool Next(size_t max_bytes, Line* line);
  // OK, or what ended the input early: IOError (a read error), Corruption (a truncated or damaged
  // gzip stream).
  const Status& status() const;

 private:
  struct Impl;
  explicit LineSource(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One record of a caller's input (see RecordSupplier).
struct SuppliedRecord {
  std::string text;  // the text of one JSON object, no newline
  // Its line number; 0 = the one after the previous record's (records counted from 1).
  uint64_t line = 0;
  // Not 0: the record was this many bytes, over ReaderOptions::max_record_bytes, and dropped
  // (`text` is ignored): it is answered "record too large", as a file's line is.
  uint64_t too_large_bytes = 0;
};

// Gives the next record of a caller's input in *record (reset first), or sets *done at the end.
// A Status other than OK ends the input there (ReadBatch returns it, after the records given
// before). Called from whichever thread calls ReadBatch (the pipelines read ahead on a second
// thread).
using RecordSupplier = std::function<Status(SuppliedRecord* record, bool* done)>;

// The reader's duplicate-id rule, for callers that see one input's ids in pieces (the shards of
// a distributed run): the first record with an id keeps it; a later one is an error.
class IdRegistry {
 public:
  IdRegistry();
  ~IdRegistry();
  IdRegistry(IdRegistry&&) noexcept;
  IdRegistry& operator=(IdRegistry&&) noexcept;
  // "" when `id` is new (and remembers it with `line`); else the error for the later record:
  // "duplicate id (first seen on line N)".
  std::string Check(std::string_view id, uint64_t line);
  // The rule's pieces, for a run that checks ids by hash across processes: the hash ids are
  // compared by, and the error of a later record whose id was first seen on `first_line`.
  static uint64_t Hash(std::string_view id);
  static std::string DuplicateError(uint64_t first_line);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class JsonlReader {
 public:
  // Opens `path` for reading; "-" is standard input. Gzip input is recognised by its magic bytes,
  // whatever the file is called. Errors: InvalidArgument for bad options, NotFound or IOError when
  // the file cannot be opened.
  static Result<std::unique_ptr<JsonlReader>> Open(std::string_view path,
                                                   const ReaderOptions& options);
  // Reads records the caller supplies (a binding's dicts as JSON, records from a queue) exactly
  // as a file's lines are read: the same fields, checks and errors; records are numbered from 1
  // as lines are (`line`), and a blank one is skipped but numbered. Errors: InvalidArgument.
  static Result<std::unique_ptr<JsonlReader>> FromRecords(RecordSupplier supplier,
                                                          const ReaderOptions& options);
  virtual ~JsonlReader() = default;

  // Replaces *docs with up to `max_docs` next records, in input order. Blank lines are skipped
  // (they are not articles). At the end of the input *docs is left empty and OK is returned.
  // Errors: IOError or Corruption when the input itself cannot be read (a truncated gzip stream);
  // the records read before that point have already been returned.
  // REQUIRES: max_docs > 0.
  virtual Status ReadBatch(size_t max_docs, std::vector<Document>* docs) = 0;

  virtual const ReaderStats& stats() const = 0;
};

}  // namespace samestory

#endif  // SAMESTORY_READER_H_
