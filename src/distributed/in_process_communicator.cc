// Ranks as threads of one process: a shared hub where every collective is a rendezvous.
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>

#include "samestory/distributed.h"

namespace samestory {
namespace {

// One collective at a time: each rank deposits its message row, the last to arrive publishes
// the round, each rank takes its column, the last to leave opens the next round.
class Hub {
 public:
  explicit Hub(int size) : size_(size), rows_(size) {}

  Result<std::vector<std::string>> Exchange(int rank, std::vector<std::string> row) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !draining_ || !broken_.ok(); });
    if (!broken_.ok()) return broken_;
    rows_[rank] = std::move(row);
    if (++arrived_ == size_) {
      draining_ = true;
      ++generation_;
      cv_.notify_all();
    } else {
      const uint64_t gen = generation_;
      cv_.wait(lock, [&] { return generation_ != gen || !broken_.ok(); });
      if (generation_ == gen) return broken_;  // a rank left: this round never completes
    }
    std::vector<std::string> column(size_);
    for (int s = 0; s < size_; ++s) column[s] = std::move(rows_[s][rank]);
    if (--arrived_ == 0) {
      draining_ = false;
      cv_.notify_all();
    }
    return column;
  }
  int size() const { return size_; }

  // Every rank's waiting and later collectives fail with `why`.
  void Break(int rank, const Status& why) {
    std::lock_guard<std::mutex> lock(mu_);
    if (broken_.ok()) {
      broken_ = Status::IOError("rank " + std::to_string(rank) + " left the group: " +
                                why.ToString());
    }
    cv_.notify_all();
  }

 private:
  Status broken_;
  const int size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::vector<std::string>> rows_;
  int arrived_ = 0;
  bool draining_ = false;
  uint64_t generation_ = 0;
};

class InProcessCommunicator final : public Communicator {
 public:
  InProcessCommunicator(std::shared_ptr<Hub> hub, int rank) : hub_(std::move(hub)), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return hub_->size(); }

  Result<std::vector<std::string>> AllToAll(std::vector<std::string> send) override {
    if (send.size() != static_cast<size_t>(size())) {
      return Status::InvalidArgument("AllToAll needs one message per rank");
    }
    return hub_->Exchange(rank_, std::move(send));
  }
  Result<std::vector<std::string>> AllGather(std::string mine) override {
    return hub_->Exchange(rank_, std::vector<std::string>(size(), mine));
  }
  Result<uint64_t> AllReduceSum(uint64_t value) override {
    auto got = AllGather(std::string(reinterpret_cast<const char*>(&value), sizeof(value)));
    if (!got.ok()) return got.status();
    uint64_t sum = 0;
    for (const std::string& v : got.value()) {
      uint64_t x;
      std::memcpy(&x, v.data(), sizeof(x));
      sum += x;
    }
    return sum;
  }
  Status Barrier() override { return AllGather(std::string()).status(); }
  void Abort(const Status& why) override { hub_->Break(rank_, why); }

 private:
  std::shared_ptr<Hub> hub_;
  int rank_;
};

}  // namespace

std::vector<std::unique_ptr<Communicator>> InProcessCommunicators(int size) {
  auto hub = std::make_shared<Hub>(size);
  std::vector<std::unique_ptr<Communicator>> out;
  for (int r = 0; r < size; ++r) out.push_back(std::make_unique<InProcessCommunicator>(hub, r));
  return out;
}

}  // namespace samestory
