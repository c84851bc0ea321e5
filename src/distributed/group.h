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
#include <algorithm>
#include <memory>
#include <optional>
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
  RankSummary& me() { return *me_; }

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
  // Records seen so far: of the whole input (round-robin), of the range (a byte range).
  uint64_t records() const { return records_; }

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

// How a run's records are dealt to the ranks, by global record index (input order).
class Layout {
 public:
  // Batches of `batch` records dealt round-robin: batch g to rank g % size (every rank reads the
  // whole input and parses its share: gzip).
  static Layout RoundRobin(uint64_t batch, int size, int rank) {
    return Layout(batch, size, rank, {});
  }
  // Rank r holds records [first[r], first[r + 1]) (each rank read its byte range of a plain file).
  static Layout Contiguous(uint64_t batch, int size, int rank, std::vector<uint64_t> first) {
    return Layout(batch, size, rank, std::move(first));
  }
  uint64_t batch() const { return batch_; }
  int size() const { return size_; }
  int rank() const { return rank_; }
  bool contiguous() const { return !first_.empty(); }

  int Holder(uint64_t k) const {
    if (contiguous()) {
      const auto it = std::upper_bound(first_.begin(), first_.end(), k);
      return static_cast<int>(it - first_.begin()) - 1;
    }
    return static_cast<int>((k / batch_) % static_cast<uint64_t>(size_));
  }
  uint64_t LocalOf(uint64_t k) const {  // where record k is among its holder's records
    if (contiguous()) return k - first_[static_cast<size_t>(Holder(k))];
    return (k / batch_) / static_cast<uint64_t>(size_) * batch_ + k % batch_;
  }
  uint64_t Global(uint64_t i) const {  // this rank's i-th record
    if (contiguous()) return first_[static_cast<size_t>(rank_)] + i;
    return ((i / batch_) * static_cast<uint64_t>(size_) + static_cast<uint64_t>(rank_)) * batch_ +
           i % batch_;
  }
  // Each rank's records cut into chunks of batch() records: the chunks in input order, as
  // (rank, chunk), given every rank's chunk count.
  std::vector<std::pair<int, size_t>> ChunkOrder(const std::vector<size_t>& chunks) const {
    std::vector<std::pair<int, size_t>> order;
    if (contiguous()) {
      for (int r = 0; r < size_; ++r) {
        for (size_t j = 0; j < chunks[static_cast<size_t>(r)]; ++j) order.emplace_back(r, j);
      }
      return order;
    }
    for (size_t j = 0;; ++j) {
      bool any = false;
      for (int r = 0; r < size_; ++r) {
        if (j < chunks[static_cast<size_t>(r)]) {
          order.emplace_back(r, j);
          any = true;
        }
      }
      if (!any) return order;
    }
  }

 private:
  Layout(uint64_t batch, int size, int rank, std::vector<uint64_t> first)
      : batch_(batch), size_(size), rank_(rank), first_(std::move(first)) {}
  uint64_t batch_;
  int size_, rank_;
  std::vector<uint64_t> first_;  // contiguous: size + 1 entries
};

// This rank's share of `input`: a plain regular file is cut into byte ranges, one a rank (lines
// counted first, so that every rank numbers its lines and records as one machine does); any other
// input (gzip) is read whole by every rank, which takes its round-robin batches. Collective.
struct OpenedShare {
  std::shared_ptr<Share> share;
  std::optional<Layout> layout;
  uint64_t ranged_records = 0;  // byte ranges: the whole input's records (counted at open)
  // The whole input's records, once the share is read.
  uint64_t InputRecords() const {
    return layout->contiguous() ? ranged_records : share->records();
  }
};
Status OpenShare(Counted& group, std::string_view input, uint64_t batch, size_t max_record_bytes,
                 OpenedShare* out);

}  // namespace samestory::internal

#endif  // SAMESTORY_DISTRIBUTED_GROUP_H_
