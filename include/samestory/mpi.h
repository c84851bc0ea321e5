// The Open MPI backend of Communicator (samestory/distributed.h), in library samestory_mpi.
// MpiSession initializes MPI for the process and finalizes it when destroyed; its communicator
// spans MPI_COMM_WORLD. No MPI type appears here. Thread-safety: one thread uses the session.
#ifndef SAMESTORY_MPI_H_
#define SAMESTORY_MPI_H_

#include <memory>

#include "samestory/distributed.h"
#include "samestory/status.h"

namespace samestory {

class MpiSession {
 public:
  // Initializes MPI (MPI_Init_thread, funneled: only this thread calls MPI). Errors: Internal.
  static Result<std::unique_ptr<MpiSession>> Init(int* argc, char*** argv);
  ~MpiSession();  // MPI_Finalize

  Communicator& world();
  // Ends every rank of the job at once (MPI_Abort), for a rank that cannot go on.
  [[noreturn]] void Abort(int exit_code);

 private:
  MpiSession();
  std::unique_ptr<Communicator> world_;
};

}  // namespace samestory

#endif  // SAMESTORY_MPI_H_
