// Communicator over MPI_COMM_WORLD (Open MPI). The only file that includes mpi.h.
#include "samestory/mpi.h"

#include <mpi.h>

#include <climits>
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
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  Result<std::vector<std::string>> AllToAll(std::vector<std::string> send) override {
    if (send.size() != static_cast<size_t>(size_)) {
      return Status::InvalidArgument("AllToAll needs one message per rank");
    }
    std::vector<int> send_counts(size_), send_offsets(size_), recv_counts(size_),
        recv_offsets(size_);
    std::string out;
    for (int r = 0; r < size_; ++r) {
      if (send[r].size() > static_cast<size_t>(INT_MAX) ||
          out.size() + send[r].size() > static_cast<size_t>(INT_MAX)) {
        return Status::InvalidArgument("a message over 2 GiB (use a smaller batch size)");
      }
      send_offsets[r] = static_cast<int>(out.size());
      send_counts[r] = static_cast<int>(send[r].size());
      out += send[r];
    }
    if (int rc = MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT,
                              MPI_COMM_WORLD);
        rc != MPI_SUCCESS) {
      return MpiError("MPI_Alltoall", rc);
    }
    size_t total = 0;
    for (int r = 0; r < size_; ++r) {
      recv_offsets[r] = static_cast<int>(total);
      total += static_cast<size_t>(recv_counts[r]);
      if (total > static_cast<size_t>(INT_MAX)) {
        return Status::InvalidArgument("over 2 GiB received at once (use a smaller batch size)");
      }
    }
    std::string in(total, '\0');
    if (int rc = MPI_Alltoallv(out.data(), send_counts.data(), send_offsets.data(), MPI_BYTE,
                               in.data(), recv_counts.data(), recv_offsets.data(), MPI_BYTE,
                               MPI_COMM_WORLD);
        rc != MPI_SUCCESS) {
      return MpiError("MPI_Alltoallv", rc);
    }
    std::vector<std::string> got(size_);
    for (int r = 0; r < size_; ++r) got[r] = in.substr(recv_offsets[r], recv_counts[r]);
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

 private:
  int rank_ = 0, size_ = 1;
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
