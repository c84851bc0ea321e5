// What both distributed runs (the gathered one and the shuffled dedup) use of the group: traffic
// counted for the summary, a status agreed on by every rank, each rank's share of the input, and
// outputs written under a temporary name until every rank succeeded. Internal.
#ifndef SAMESTORY_DISTRIBUTED_GROUP_H_
#define SAMESTORY_DISTRIBUTED_GROUP_H_

#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "samestory/distributed.h"
#include "samestory/reader.h"

namespace samestory::internal {

// The group's traffic, counted for the summary.
class Counted {
 public:
  Counted(Communicator& comm, RankSummary* me) : comm_(comm), me_(me) {}
  Communicator& comm() { return comm_; }

  // Bytes to and from other ranks (a rank's message to itself is not traffic).
  Result<std::vector<std::string>> AllToAll(std::vector<std::string> send) {
    const size_t self = static_cast<size_t>(comm_.rank());
    for (size_t r = 0; r < send.size(); ++r) me_->bytes_sent += r == self ? 0 : send[r].size();
    auto got = comm_.AllToAll(std::move(send));
    if (got.ok()) {
      for (size_t r = 0; r < got.value().size(); ++r) {
        me_->bytes_received += r == self ? 0 : got.value()[r].size();
      }
    }
    return got;
  }
  Result<std::vector<std::string>> AllGather(std::string mine) {
    me_->bytes_sent += mine.size() * static_cast<size_t>(comm_.size() - 1);
    auto got = comm_.AllGather(std::move(mine));
    if (got.ok()) {
      for (size_t r = 0; r < got.value().size(); ++r) {
        me_->bytes_received += static_cast<int>(r) == comm_.rank() ? 0 : got.value()[r].size();
      }
    }
    return got;
  }

  // Every rank must have read the same records (a file changed during the run, a path that
  // names different files on different nodes): else the stages' rounds would not match up.
  Status SameInput(uint64_t records) {
    auto counts = AllGather(std::to_string(records));
    if (!counts.ok()) return counts.status();
    const std::vector<std::string>& c = counts.value();
    for (size_t r = 0; r < c.size(); ++r) {
      if (c[r] != c[0]) {
        return Status::Corruption("the ranks read different inputs: rank 0 saw " + c[0] +
                                  " records, rank " + std::to_string(r) + " " + c[r]);
      }
    }
    return Status::OK();
  }

  // Every rank's status; the first failure (by rank) on every rank, naming its rank.
  Status Agree(const Status& mine) {
    std::string msg;
    if (!mine.ok()) {
      msg.push_back(static_cast<char>('0' + static_cast<int>(mine.code())));
      msg += mine.message();
    }
    auto all = AllGather(std::move(msg));
    if (!all.ok()) return all.status();
    for (size_t r = 0; r < all.value().size(); ++r) {
      const std::string& m = all.value()[r];
      if (m.empty()) continue;
      const auto code = static_cast<Status::Code>(m[0] - '0');
      const std::string text = m.substr(1);
      if (comm_.size() == 1) return Status::FromCode(code, text);
      return Status::FromCode(code, "rank " + std::to_string(r) + ": " + text);
    }
    return Status::OK();
  }

 private:
  Communicator& comm_;
  RankSummary* me_;
};

// A rank's share of the input: every rank reads every line; record k (blank lines are not
// records) is in batch k / batch_size, which rank (k / batch_size) % size fingerprints.
class Share {
 public:
  Share(std::unique_ptr<LineSource> lines, size_t batch, int size, int rank, size_t max_bytes)
      : lines_(std::move(lines)), batch_(batch), size_(size), rank_(rank), max_bytes_(max_bytes) {}

  Status Next(SuppliedRecord* record, bool* done) {
    LineSource::Line line;
    while (lines_->Next(max_bytes_, &line)) {
      if (line.blank) continue;
      const uint64_t k = records_++;
      if ((k / batch_) % static_cast<uint64_t>(size_) != static_cast<uint64_t>(rank_)) continue;
      record->line = line.number;
      if (line.too_large) {
        record->too_large_bytes = line.bytes;
      } else {
        record->text.assign(line.text);
      }
      return Status::OK();
    }
    *done = true;
    return lines_->status();
  }
  uint64_t records() const { return records_; }  // records of the whole input seen so far

 private:
  std::unique_ptr<LineSource> lines_;
  const uint64_t batch_;
  const int size_, rank_;
  const size_t max_bytes_;
  uint64_t records_ = 0;
};

// An output written under a temporary name, renamed into place by Commit.
class PendingOutput {
 public:
  // `tag` names the temporary file (path.samestory-partial-TAG); every rank that writes the
  // output must pass rank 0's (its process id by default).
  explicit PendingOutput(std::string path, std::string tag = std::to_string(getpid()))
      : path_(std::move(path)) {
    if (!path_.empty() && path_ != "-") temp_ = path_ + ".samestory-partial-" + tag;
  }
  // Keeps the temporary file on destruction (a rank that is not the one to commit it).
  void Disown() { committed_ = true; }
  ~PendingOutput() {
    if (!temp_.empty() && !committed_) std::remove(temp_.c_str());
  }
  const std::string& write_path() const { return temp_.empty() ? path_ : temp_; }
  Status Commit() {
    if (temp_.empty()) return Status::OK();
    if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
      return Status::IOError("cannot rename " + temp_ + " to " + path_ + ": " +
                             std::strerror(errno));
    }
    committed_ = true;
    return Status::OK();
  }

 private:
  std::string path_, temp_;
  bool committed_ = false;
};


// The LSH dedup with nothing gathered on one rank (dedup_shuffle.cc): ids, title-word
// frequencies, band keys and candidates shuffled to owner ranks, candidates judged at their
// holders, groups merged up a tree, the output written by every rank at its offsets.
Result<DistributedDedupSummary> DedupShuffled(Communicator& comm, std::string_view input,
                                              const DedupOutputs& outputs,
                                              const DedupPipelineOptions& options,
                                              const RecordReporter& reporter);

// Which rank holds record k (records are dealt in batches of `batch`, round-robin), and where
// in that rank's records it is.
inline int HolderOf(uint64_t k, uint64_t batch, int size) {
  return static_cast<int>((k / batch) % static_cast<uint64_t>(size));
}
inline uint64_t LocalIndexOf(uint64_t k, uint64_t batch, int size) {
  return (k / batch) / static_cast<uint64_t>(size) * batch + k % batch;
}
// The global record index of a rank's i-th record.
inline uint64_t GlobalIndexOf(uint64_t i, uint64_t batch, int size, int rank) {
  return ((i / batch) * static_cast<uint64_t>(size) + static_cast<uint64_t>(rank)) * batch +
         i % batch;
}

}  // namespace samestory::internal

#endif  // SAMESTORY_DISTRIBUTED_GROUP_H_
