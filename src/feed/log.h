// The feed's log: an append-only file of entries, each framed as
//   magic (4 bytes, "SSLE"), payload length (4), CRC-32 of the payload (4), payload
// (little-endian). What a payload holds is the feed's business (src/feed/feed.cc). The model is
// leveldb's log_format.h / log_writer / log_reader, without its blocks: an entry is written with
// one write(2), so a kill leaves at most a prefix of the last one.
// Internal. Not thread-safe.
#ifndef SAMESTORY_FEED_LOG_H_
#define SAMESTORY_FEED_LOG_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "samestory/status.h"

namespace samestory::internal {

class LogWriter {
 public:
  LogWriter() = default;
  ~LogWriter();
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  // Opens `path` for appending (created if absent); `read_only`: only for reading, and a missing
  // file is no error. Errors: IOError.
  Status Open(const std::string& path, bool read_only);
  // Appends one entry; fdatasyncs every `sync_every` entries. Errors: IOError.
  Status Append(std::string_view payload, uint64_t sync_every);
  // Syncs what was appended. Errors: IOError.
  Status Sync();
  // Empties the log (its entries are in a snapshot now). Errors: IOError.
  Status Truncate();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  bool read_only_ = false;
  uint64_t unsynced_ = 0;
};

// Reads the entries of log `bytes` (the file `path`, for messages) in order, calling `entry` with
// each payload and its byte offset; a non-OK Status from it stops the reading and is returned.
// *good is set to the length of the entries read whole. A torn last entry (the bytes left are a
// prefix of one entry) ends the reading without error (*good < bytes.size()); any other damage
// is Corruption naming its offset.
Status ReadLog(std::string_view bytes, const std::string& path,
               const std::function<Status(std::string_view payload, size_t offset)>& entry,
               size_t* good);

}  // namespace samestory::internal

#endif  // SAMESTORY_FEED_LOG_H_
