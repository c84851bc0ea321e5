// A spanning forest over records named by 64-bit indices, whose roots are the components'
// earliest members (date, then record: the single machine's union-find rule); encoded as
// (record, date, root, root date) tuples so that forests merge rank to rank. Internal.
#ifndef SAMESTORY_DISTRIBUTED_FOREST_H_
#define SAMESTORY_DISTRIBUTED_FOREST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "distributed/messages.h"

namespace samestory::internal {

class Forest {
 public:
  void Unite(uint64_t x, int64_t dx, uint64_t y, int64_t dy) {
    const uint32_t a = Find(Node(x, dx)), b = Find(Node(y, dy));
    if (a == b) return;
    if (Earlier(a, b)) parent_[b] = a;
    else parent_[a] = b;
  }
  // Every node with its root: (record, date, root record, root date).
  std::string Encode() {
    std::string out;
    for (uint32_t n = 0; n < record_.size(); ++n) {
      const uint32_t r = Find(n);
      if (r == n) continue;
      Put(&out, record_[n]);
      Put(&out, date_[n]);
      Put(&out, record_[r]);
      Put(&out, date_[r]);
    }
    return out;
  }
  bool Decode(std::string_view bytes) {
    Cursor in(bytes);
    while (!in.empty()) {
      const uint64_t x = in.Get<uint64_t>();
      const int64_t dx = in.Get<int64_t>();
      const uint64_t y = in.Get<uint64_t>();
      const int64_t dy = in.Get<int64_t>();
      if (!in.ok()) return false;
      Unite(x, dx, y, dy);
    }
    return true;
  }
  size_t nodes() const { return record_.size(); }
  template <typename F>
  void ForEach(const F& f) {  // f(record, root record)
    for (uint32_t n = 0; n < record_.size(); ++n) f(record_[n], record_[Find(n)]);
  }
  uint64_t roots() {
    uint64_t count = 0;
    for (uint32_t n = 0; n < record_.size(); ++n) count += Find(n) == n;
    return count;
  }

 private:
  uint32_t Node(uint64_t record, int64_t date) {
    auto [it, inserted] = index_.try_emplace(record, static_cast<uint32_t>(record_.size()));
    if (inserted) {
      record_.push_back(record);
      date_.push_back(date);
      parent_.push_back(it->second);
    }
    return it->second;
  }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  bool Earlier(uint32_t a, uint32_t b) const {
    return std::tie(date_[a], record_[a]) < std::tie(date_[b], record_[b]);
  }
  std::unordered_map<uint64_t, uint32_t> index_;
  std::vector<uint64_t> record_;
  std::vector<int64_t> date_;
  std::vector<uint32_t> parent_;
};

}  // namespace samestory::internal

#endif  // SAMESTORY_DISTRIBUTED_FOREST_H_
