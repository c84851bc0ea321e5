// The split of the kNN graph across ranks (graph_split.h): the windows' vectors, the start
// message and the other ranks' entry.
#include "cluster/graph_split.h"

#include <algorithm>
#include <cstring>

#include "cluster/knn_graph.h"
#include "io/temp_file.h"

namespace samestory::internal {

WindowVectors::WindowVectors() = default;
WindowVectors::~WindowVectors() = default;

Status WindowVectors::Load(std::span<const uint32_t> docs, std::vector<SparseVector>* out) {
  out->resize(docs.size());
  for (size_t k = 0; k < docs.size(); ++k) {
    auto it = where_.find(docs[k]);
    if (it == where_.end()) {
      return Status::Internal("a document outside this rank's window was asked for");
    }
    const auto [offset, n] = it->second;
    SparseVector& v = (*out)[k];
    buffer_.resize(size_t{n} * 8);
    if (Status s = file_->Read(offset, buffer_.size(), buffer_.data()); !s.ok()) return s;
    v.ids.resize(n);
    v.weights.resize(n);
    std::memcpy(v.ids.data(), buffer_.data(), size_t{n} * 4);
    std::memcpy(v.weights.data(), buffer_.data() + size_t{n} * 4, size_t{n} * 4);
  }
  return Status::OK();
}

Status WindowVectors::Add(std::string_view in) {
  if (file_ == nullptr) {
    auto file = TempFile::Create("a rank's window of vectors");
    if (!file.ok()) return file.status();
    file_ = std::move(file.value());
  }
  while (in.size() >= 8) {
    uint32_t head[2];
    std::memcpy(head, in.data(), sizeof(head));
    const size_t n = head[1];
    if (in.size() - 8 < n * 16) break;
    in.remove_prefix(8);
    where_[head[0]] = {file_->size(), head[1]};
    file_->Append(in.data(), n * 8);  // ids, then weights
    for (size_t t = 0; t < n; ++t) {
      uint32_t id;
      std::memcpy(&id, in.data() + t * 4, 4);
      if (id >= keys_.size()) keys_.resize(id + 1, 0);
      std::memcpy(&keys_[id], in.data() + n * 8 + t * 8, 8);
    }
    in.remove_prefix(n * 16);
  }
  if (!in.empty()) return Status::Internal("rank 0 sent a damaged vector");
  return Status::OK();
}

Status WindowVectors::Finish() { return file_ == nullptr ? Status::OK() : file_->Flush(); }

namespace {

// Documents rank 0 serves the other ranks' windows a round.
constexpr size_t kServeChunk = 65536;

// A vector for another rank's window: doc, term count, then per term its id, weight and key
// (WindowVectors::Add reads them).
void EncodeWindowVector(uint32_t doc, const SparseVector& v, const VectorSource& source,
                        std::string* out) {
  const uint32_t head[2] = {doc, static_cast<uint32_t>(v.ids.size())};
  out->append(reinterpret_cast<const char*>(head), sizeof(head));
  out->append(reinterpret_cast<const char*>(v.ids.data()), v.ids.size() * sizeof(uint32_t));
  out->append(reinterpret_cast<const char*>(v.weights.data()), v.weights.size() * sizeof(float));
  for (uint32_t id : v.ids) {
    const uint64_t key = source.TermKey(id);
    out->append(reinterpret_cast<const char*>(&key), sizeof(key));
  }
}

}  // namespace

Status ServeWindows(GraphSplit& split, VectorSource& source, std::span<const uint32_t> order,
                    size_t undated, std::span<const std::pair<size_t, size_t>> window,
                    WindowVectors* receive) {
  const int ranks = split.size();
  // The positions any rank but 0 needs, in order; windows are ordered as ranks are.
  std::vector<uint32_t> need;
  size_t covered = 0;
  for (int q = 1; q < ranks; ++q) {
    const auto [lo, hi] = window[static_cast<size_t>(q)];
    for (size_t p = std::max(lo, covered); p < hi; ++p) need.push_back(static_cast<uint32_t>(p));
    covered = std::max(covered, hi);
  }
  if (ranks > 1) {
    for (size_t p = undated; p < order.size(); ++p) need.push_back(static_cast<uint32_t>(p));
  }
  const bool root = split.rank() == 0;
  Status status;
  std::vector<SparseVector> chunk;
  std::vector<uint32_t> docs;
  for (size_t from = 0; from < need.size(); from += kServeChunk) {
    const size_t to = std::min(need.size(), from + kServeChunk);
    std::vector<std::string> send(static_cast<size_t>(ranks));
    if (root && status.ok()) {
      docs.clear();
      for (size_t r = from; r < to; ++r) docs.push_back(order[need[r]]);
      const bool resident = source.Resident(docs[0]) != nullptr;
      if (!resident) status = source.Load(docs, &chunk);
      for (size_t r = from; r < to && status.ok(); ++r) {
        const size_t p = need[r];
        const SparseVector& v = resident ? *source.Resident(docs[r - from]) : chunk[r - from];
        std::string encoded;
        EncodeWindowVector(docs[r - from], v, source, &encoded);
        for (int q = 1; q < ranks; ++q) {
          const auto [lo, hi] = window[static_cast<size_t>(q)];
          if (p >= undated || (p >= lo && p < hi)) send[static_cast<size_t>(q)] += encoded;
        }
      }
      if (!status.ok()) send.assign(static_cast<size_t>(ranks), std::string());
    }
    auto got = split.AllToAll(std::move(send));
    if (!got.ok()) return got.status();
    if (!root && status.ok()) status = receive->Add(got.value()[0]);
  }
  if (!root && status.ok()) status = receive->Finish();
  return status;
}

namespace {

// The graph start's bytes (SendGraphStart): go, band, n, then (known, date) a document.
std::string EncodeGraphStart(bool go, bool band,
                             std::span<const std::optional<UnixSeconds>> dates) {
  std::string out;
  out.push_back(go ? 1 : 0);
  out.push_back(band ? 1 : 0);
  const uint64_t n = dates.size();
  out.append(reinterpret_cast<const char*>(&n), sizeof(n));
  for (const auto& d : dates) {
    out.push_back(d.has_value() ? 1 : 0);
    const int64_t v = d.value_or(0);
    out.append(reinterpret_cast<const char*>(&v), sizeof(v));
  }
  return out;
}

}  // namespace

Status SendGraphStart(GraphSplit& split, bool go, bool band,
                      std::span<const std::optional<UnixSeconds>> dates) {
  split.started = true;
  const std::string start = EncodeGraphStart(go, band, dates);
  std::vector<std::string> send(static_cast<size_t>(split.size()));
  for (size_t q = 1; q < send.size(); ++q) send[q] = start;
  return split.AllToAll(std::move(send)).status();
}

Status AbandonClusterGraph(GraphSplit& split) {
  if (split.started) return Status::OK();
  return SendGraphStart(split, false, false, {});
}

Status JoinClusterGraph(GraphSplit& split, const ClusterOptions& options) {
  auto got = split.AllToAll(std::vector<std::string>(static_cast<size_t>(split.size())));
  if (!got.ok()) return got.status();
  std::string_view in(got.value()[0]);
  uint64_t n = 0;
  if (in.size() < 10) return Status::Internal("rank 0 sent a damaged graph start");
  const bool go = in[0] != 0, band = in[1] != 0;
  std::memcpy(&n, in.data() + 2, sizeof(n));
  in.remove_prefix(10);
  if (!go || !band) return Status::OK();  // rank 0 failed (its error is agreed on later), or alone
  if (in.size() != n * 9) return Status::Internal("rank 0 sent a damaged graph start");
  std::vector<std::optional<UnixSeconds>> dates(n);
  for (uint64_t i = 0; i < n; ++i) {
    int64_t v;
    std::memcpy(&v, in.data() + i * 9 + 1, sizeof(v));
    if (in[i * 9] != 0) dates[i] = v;
  }
  // An exception (memory running out) is not caught here: this rank may be in the middle of
  // the graph's collectives, so the caller ends the group (Communicator::Abort).
  ClusterStats stats;
  WindowVectors window;
  const std::string factory = "Flat";
  return BuildKnnGraph(window, dates, options, factory, false, ClusterThreads(options), stats,
                       &split, &window)
      .status();
}

}  // namespace samestory::internal
