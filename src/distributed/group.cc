// OpenShare (see group.h): a plain file's byte ranges, or round-robin batches of any input.
#include "distributed/group.h"

#include <sys/stat.h>

namespace samestory::internal {
namespace {

// Lines and records (lines not blank) of one range.
Status CountRange(std::string_view input, uint64_t begin, uint64_t end, size_t max_bytes,
                  uint64_t* lines, uint64_t* records) {
  auto source = LineSource::OpenRange(input, begin, end, 1);
  if (!source.ok()) return source.status();
  LineSource::Line line;
  while (source.value()->Next(max_bytes, &line)) {
    ++*lines;
    if (!line.blank) ++*records;
  }
  return source.value()->status();
}

}  // namespace

Status OpenShare(Counted& group, std::string_view input, uint64_t batch, size_t max_record_bytes,
                 OpenedShare* out) {
  Communicator& comm = group.comm();
  const int size = comm.size(), rank = comm.rank();
  // Byte ranges when every rank sees a plain regular file of the same size.
  uint64_t bytes = 0;
  bool plain = false;
  {
    struct stat st;
    const std::string path(input);
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      auto probe = LineSource::OpenRange(input, 0, 0, 1);  // refused for gzip
      plain = probe.ok();
      bytes = static_cast<uint64_t>(st.st_size);
    }
  }
  auto seen = group.AllGather((plain ? "p" : "g") + std::to_string(bytes));
  if (!seen.ok()) return seen.status();
  for (const std::string& s : seen.value()) plain = plain && s == seen.value()[0];
  if (plain && size > 1) {
    const uint64_t begin = bytes * static_cast<uint64_t>(rank) / static_cast<uint64_t>(size);
    const uint64_t end = bytes * static_cast<uint64_t>(rank + 1) / static_cast<uint64_t>(size);
    uint64_t lines = 0, records = 0;
    Status status = CountRange(input, begin, end, max_record_bytes, &lines, &records);
    if (Status s = group.Agree(status); !s.ok()) return s;
    auto counts = group.AllGather(std::to_string(lines) + " " + std::to_string(records));
    if (!counts.ok()) return counts.status();
    std::vector<uint64_t> first(1, 0);
    uint64_t first_line = 1;
    for (int r = 0; r < size; ++r) {
      const std::string& c = counts.value()[static_cast<size_t>(r)];
      const uint64_t l = std::stoull(c), n = std::stoull(c.substr(c.find(' ') + 1));
      if (r < rank) first_line += l;
      first.push_back(first.back() + n);
    }
    out->ranged_records = first.back();
    auto source = LineSource::OpenRange(input, begin, end, first_line);
    if (Status s = group.Agree(source.status()); !s.ok()) return s;
    out->share = std::make_shared<Share>(std::move(source.value()), batch, 1, 0, max_record_bytes);
    out->layout = Layout::Contiguous(batch, size, rank, std::move(first));
    return Status::OK();
  }
  auto source = LineSource::Open(input);
  if (Status s = group.Agree(source.status()); !s.ok()) return s;
  out->share = std::make_shared<Share>(std::move(source.value()), batch, size, rank,
                                       max_record_bytes);
  out->layout = Layout::RoundRobin(batch, size, rank);
  return Status::OK();
}

}  // namespace samestory::internal
