// Internal.
#ifndef SAMESTORY_DISTRIBUTED_ORDERED_OUTPUT_H_
#define SAMESTORY_DISTRIBUTED_ORDERED_OUTPUT_H_

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "distributed/group.h"
#include "distributed/messages.h"
#include "io/json_writer.h"

namespace samestory::internal {

// One output file written by every rank (a distributed run's stage 8). Its content is every rank's records in chunks of
// batch_size, in input order (Layout::ChunkOrder); `format(j, out)` appends this rank's j-th
// chunk. A file is written at the chunks' offsets (each rank its own, pwrite) under rank 0's
// temporary name; standard output ("-") gets the chunks through rank 0, in order.
class OrderedOutput {
 public:
  OrderedOutput(std::string path, std::string tag, std::string header)
      : pending_(path, std::move(tag)), path_(std::move(path)), header_(std::move(header)) {}

  template <typename Format>
  Status Write(Counted& group, const Layout& layout, size_t chunks, const Format& format) {
    Communicator& comm = group.comm();
    const size_t size = static_cast<size_t>(comm.size()), rank = static_cast<size_t>(comm.rank());
    // Every chunk's length, by rank.
    std::string buf, lengths;
    for (size_t j = 0; j < chunks; ++j) {
      buf.clear();
      format(j, &buf);
      Put(&lengths, static_cast<uint64_t>(buf.size()));
    }
    auto all = group.AllGather(std::move(lengths));
    if (!all.ok()) return all.status();
    std::vector<std::vector<uint64_t>> sizes(size);
    std::vector<size_t> counts(size);
    for (size_t r = 0; r < size; ++r) {
      Cursor in(all.value()[r]);
      while (!in.empty()) sizes[r].push_back(in.Get<uint64_t>());
      counts[r] = sizes[r].size();
    }
    const std::vector<std::pair<int, size_t>> order = layout.ChunkOrder(counts);
    Status status;
    if (path_ == "-") {
      // One round a chunk: its rank sends it to rank 0, which writes it.
      std::unique_ptr<OutputFile> out;
      if (rank == 0) {
        auto opened = OutputFile::Open(path_);
        if (opened.ok()) out = std::move(opened.value());
        else status = opened.status();
        if (status.ok()) status = out->Write(header_);
      }
      for (const auto& [r, j] : order) {
        std::vector<std::string> send(size);
        if (static_cast<size_t>(r) == rank) format(j, &send[0]);
        auto got = group.AllToAll(std::move(send));
        if (!got.ok()) return got.status();
        if (rank == 0 && status.ok()) status = out->Write(got.value()[static_cast<size_t>(r)]);
      }
      if (rank == 0 && status.ok()) status = out->Close();
      return group.Agree(status);
    }
    std::vector<uint64_t> my_offsets(chunks);
    uint64_t offset = header_.size();
    for (const auto& [r, j] : order) {
      if (static_cast<size_t>(r) == rank) my_offsets[j] = offset;
      offset += sizes[static_cast<size_t>(r)][j];
    }
    const std::string& file = pending_.write_path();
    if (rank == 0) status = Create(file, offset);
    if (Status s = group.Agree(status); !s.ok()) return s;
    if (rank != 0) pending_.Disown();  // rank 0 commits or removes it
    int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) status = Errno("cannot open " + file);
    if (status.ok() && rank == 0) status = WriteAt(fd, header_, 0, file);
    for (size_t j = 0; status.ok() && j < chunks; ++j) {
      buf.clear();
      format(j, &buf);
      status = WriteAt(fd, buf, my_offsets[j], file);
    }
    if (fd >= 0 && ::close(fd) != 0 && status.ok()) status = Errno("cannot write " + file);
    return group.Agree(status);
  }
  Status Commit() { return pending_.Commit(); }

 private:
  static Status Errno(const std::string& what) {
    return Status::IOError(what + ": " + std::strerror(errno));
  }
  static Status Create(const std::string& file, uint64_t bytes) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) return Errno("cannot create " + file);
    Status s;
    if (::ftruncate(fd, static_cast<off_t>(bytes)) != 0) s = Errno("cannot size " + file);
    if (::close(fd) != 0 && s.ok()) s = Errno("cannot create " + file);
    return s;
  }
  static Status WriteAt(int fd, std::string_view bytes, uint64_t offset, const std::string& file) {
    while (!bytes.empty()) {
      const ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
      if (n < 0) {
        if (errno == EINTR) continue;
        return Errno("cannot write " + file);
      }
      bytes.remove_prefix(static_cast<size_t>(n));
      offset += static_cast<uint64_t>(n);
    }
    return Status::OK();
  }

  PendingOutput pending_;
  std::string path_, header_;
};

}  // namespace samestory::internal

#endif  // SAMESTORY_DISTRIBUTED_ORDERED_OUTPUT_H_
