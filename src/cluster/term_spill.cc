#include "cluster/term_spill.h"

#include <algorithm>
#include <cstring>

namespace samestory::internal {

Status TermSpill::Open() {
  auto file = TempFile::Create("TF-IDF terms");
  if (!file.ok()) return file.status();
  file_ = std::move(file.value());
  return Status::OK();
}

void TermSpill::Add(const std::vector<TermCount>& terms) {
  offset_.push_back(file_->size());
  count_.push_back(static_cast<uint32_t>(terms.size()));
  char entry[kEntry];
  for (const TermCount& t : terms) {
    std::memcpy(entry, &t.term, sizeof(uint64_t));
    std::memcpy(entry + sizeof(uint64_t), &t.count, sizeof(float));
    file_->Append(entry, kEntry);
  }
}

Status TermSpill::Finish() { return file_->Flush(); }

uint64_t TermSpill::bytes() const { return file_ ? file_->size() : 0; }

Status TermSpill::Read(std::span<const uint32_t> records,
                       std::vector<std::vector<TermCount>>* out) const {
  out->resize(records.size());
  std::vector<uint32_t> by_offset(records.size());
  for (uint32_t k = 0; k < records.size(); ++k) by_offset[k] = k;
  std::sort(by_offset.begin(), by_offset.end(),
            [&](uint32_t a, uint32_t b) { return records[a] < records[b]; });
  std::vector<char> buffer;
  constexpr uint64_t kGap = 64 << 10;      // read across gaps up to this
  constexpr uint64_t kMaxRead = 16 << 20;  // bytes per read, at most (unless one record is more)
  for (size_t s = 0; s < by_offset.size();) {
    // One read: records by_offset[s, e).
    const uint64_t begin = offset_[records[by_offset[s]]];
    uint64_t end = begin + count_[records[by_offset[s]]] * kEntry;
    size_t e = s + 1;
    while (e < by_offset.size()) {
      const uint32_t r = records[by_offset[e]];
      const uint64_t r_end = offset_[r] + count_[r] * kEntry;
      if (offset_[r] > end + kGap || r_end - begin > kMaxRead) break;
      end = std::max(end, r_end);
      ++e;
    }
    buffer.resize(end - begin);
    if (Status st = file_->Read(begin, buffer.size(), buffer.data()); !st.ok()) return st;
    for (size_t j = s; j < e; ++j) {
      const uint32_t r = records[by_offset[j]];
      std::vector<TermCount>& terms = (*out)[by_offset[j]];
      terms.resize(count_[r]);
      const char* p = buffer.data() + (offset_[r] - begin);
      for (TermCount& t : terms) {
        std::memcpy(&t.term, p, sizeof(uint64_t));
        std::memcpy(&t.count, p + sizeof(uint64_t), sizeof(float));
        p += kEntry;
      }
    }
    s = e;
  }
  return Status::OK();
}

Status SpilledVectors::Load(std::span<const uint32_t> docs, std::vector<SparseVector>* out) {
  records_.resize(docs.size());
  for (size_t k = 0; k < docs.size(); ++k) records_[k] = reps_[docs[k]];
  if (Status s = terms_.Read(records_, &chunk_); !s.ok()) return s;
  out->resize(docs.size());
#pragma omp parallel for num_threads(threads_) schedule(static, 256)
  for (int64_t k = 0; k < static_cast<int64_t>(docs.size()); ++k) {
    (*out)[static_cast<size_t>(k)] = model_.Transform(chunk_[static_cast<size_t>(k)]);
  }
  return Status::OK();
}

}  // namespace samestory::internal
