// Communicator over MPI_COMM_WORLD (Open MPI). The only file that includes mpi.h.
#include "samestory/mpi.h"

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace samestory {
namespace {

Status MpiError(const char* what, int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  return Status::IOError(std::string(what) + " failed: " + std::string(text, length));
}

class MpiCommunicator final : public Communicator {
 public:
  MpiCommunicator() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    // At most 1 GiB a round over all destinations (and under INT_MAX in one count), unless the
    // environment asks for less (the tests do, to run many rounds on small inputs).
    piece_ = std::max<uint64_t>(1, (uint64_t{1} << 30) / static_cast<uint64_t>(size_));
    if (const char* env = std::getenv("SAMESTORY_MPI_PIECE_BYTES"); env != nullptr) {
      const uint64_t v = std::strtoull(env, nullptr, 10);
      if (v > 0) piece_ = std::min(piece_, v);
    }
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  // Messages of any size, in rounds: each round moves at most piece_ bytes between any two
  // ranks (MPI counts are ints, and a bounded round bounds MPI's own buffers), and every rank
  // takes part in as many rounds as the largest message needs.
  Result<std::vector<std::string>> AllToAll(std::vector<std::string> send) override {
    if (send.size() != static_cast<size_t>(size_)) {
      return Status::InvalidArgument("AllToAll needs one message per rank");
    }
    const size_t n = static_cast<size_t>(size_), self = static_cast<size_t>(rank_);
    // This rank's message to itself does not go through MPI.
    std::string own = std::move(send[self]);
    send[self].clear();
    std::vector<uint64_t> send_bytes(n), recv_bytes(n);
    for (size_t r = 0; r < n; ++r) send_bytes[r] = send[r].size();
    if (int rc = MPI_Alltoall(send_bytes.data(), 1, MPI_UINT64_T, recv_bytes.data(), 1,
                              MPI_UINT64_T, MPI_COMM_WORLD);
        rc != MPI_SUCCESS) {
      return MpiError("MPI_Alltoall", rc);
    }
    uint64_t rounds = 0;
    for (size_t r = 0; r < n; ++r) {
      const uint64_t most = std::max(send_bytes[r], recv_bytes[r]);
      rounds = std::max<uint64_t>(rounds, (most + piece_ - 1) / piece_);
    }
    uint64_t all_rounds = 0;
    if (int rc = MPI_Allreduce(&rounds, &all_rounds, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
        rc != MPI_SUCCESS) {
      return MpiError("MPI_Allreduce", rc);
    }
    std::vector<std::string> got(n);
    for (size_t r = 0; r < n; ++r) got[r].reserve(recv_bytes[r]);
    std::vector<int> send_counts(n), send_offsets(n), recv_counts(n), recv_offsets(n);
    std::string out, in;
    for (uint64_t round = 0; round < all_rounds; ++round) {
      const uint64_t from = round * piece_;
      out.clear();
      size_t total = 0;
      for (size_t r = 0; r < n; ++r) {
        const uint64_t k = from < send_bytes[r] ? std::min(piece_, send_bytes[r] - from) : 0;
        send_offsets[r] = static_cast<int>(out.size());
        send_counts[r] = static_cast<int>(k);
        if (k > 0) out.append(send[r], from, k);
        const uint64_t m = from < recv_bytes[r] ? std::min(piece_, recv_bytes[r] - from) : 0;
        recv_offsets[r] = static_cast<int>(total);
        recv_counts[r] = static_cast<int>(m);
        total += m;
      }
      in.resize(total);
      if (int rc = MPI_Alltoallv(out.data(), send_counts.data(), send_offsets.data(), MPI_BYTE,
                                 in.data(), recv_counts.data(), recv_offsets.data(), MPI_BYTE,
                                 MPI_COMM_WORLD);
          rc != MPI_SUCCESS) {
        return MpiError("MPI_Alltoallv", rc);
      }
      for (size_t r = 0; r < n; ++r) {
        got[r].append(in, static_cast<size_t>(recv_offsets[r]), static_cast<size_t>(recv_counts[r]));
        if (from + piece_ >= send_bytes[r]) std::string().swap(send[r]);  // sent: free it
      }
    }
    got[self] = std::move(own);
    return got;
  }

  Result<std::vector<std::string>> AllGather(std::string mine) override {
    if (mine.size() > static_cast<size_t>(INT_MAX)) {
      return Status::InvalidArgument("a message over 2 GiB");
    }
    int count = static_cast<int>(mine.size());
    std::vector<int> counts(size_), offsets(size_);
    if (int rc = MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
        rc != MPI_SUCCESS) {
      return MpiError("MPI_Allgather", rc);
    }
    size_t total = 0;
    for (int r = 0; r < size_; ++r) {
      offsets[r] = static_cast<int>(total);
      total += static_cast<size_t>(counts[r]);
    }
    if (total > static_cast<size_t>(INT_MAX)) return Status::InvalidArgument("over 2 GiB gathered");
    std::string in(total, '\0');
    if (int rc = MPI_Allgatherv(mine.data(), count, MPI_BYTE, in.data(), counts.data(),
                                offsets.data(), MPI_BYTE, MPI_COMM_WORLD);
        rc != MPI_SUCCESS) {
      return MpiError("MPI_Allgatherv", rc);
    }
    std::vector<std::string> got(size_);
    for (int r = 0; r < size_; ++r) got[r] = in.substr(offsets[r], counts[r]);
    return got;
  }

  Result<uint64_t> AllReduceSum(uint64_t value) override {
    uint64_t sum = 0;
    if (int rc = MPI_Allreduce(&value, &sum, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
        rc != MPI_SUCCESS) {
      return MpiError("MPI_Allreduce", rc);
    }
    return sum;
  }

  Status Barrier() override {
    if (int rc = MPI_Barrier(MPI_COMM_WORLD); rc != MPI_SUCCESS) return MpiError("MPI_Barrier", rc);
    return Status::OK();
  }

  void Abort(const Status& why) override {
    std::fprintf(stderr, "samestory-mpi: rank %d: %s; ending the job\n", rank_,
                 why.ToString().c_str());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }

 private:
  int rank_ = 0, size_ = 1;
  uint64_t piece_ = 1;  // bytes between two ranks in one round of AllToAll
};

}  // namespace

MpiSession::MpiSession() = default;

Result<std::unique_ptr<MpiSession>> MpiSession::Init(int* argc, char*** argv) {
  int provided = 0;
  if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    return Status::Internal("MPI_Init_thread failed");
  }
  // Errors come back as codes (then Status), not as an abort inside the library.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  std::unique_ptr<MpiSession> session(new MpiSession());
  session->world_ = std::make_unique<MpiCommunicator>();
  return session;
}

MpiSession::~MpiSession() {
  world_.reset();
  MPI_Finalize();
}

Communicator& MpiSession::world() { return *world_; }

void MpiSession::Abort(int exit_code) {
  MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::abort();
}

}  // namespace samestory
