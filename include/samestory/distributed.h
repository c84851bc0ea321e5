// Distributed runs: dedup and cluster over a group of processes (MPI ranks), byte-identical to
// the single-machine run. Every rank reads the input and takes its share of the records (batches
// of batch_size, dealt round-robin); each rank tokenizes, fingerprints and extracts terms for its
// share in parallel with the others; rank 0 receives the fingerprints batch by batch in input
// order and runs the rest of the single-machine pipeline on them (the same GroupBuilder, copy
// rule, union-find and story clustering: no second copy of any rule), then writes the output.
// Every rank returns the same Status: a failure on one rank (an unreadable input, a full disk)
// is named, with its rank, on all of them.
//
// Communicator is what a run needs of the group, with no MPI type in it: the Open MPI backend is
// samestory/mpi.h (library samestory_mpi); InProcessCommunicators runs ranks as threads (tests).
// Thread-safety: a Communicator is used by one thread, its rank's.
#ifndef SAMESTORY_DISTRIBUTED_H_
#define SAMESTORY_DISTRIBUTED_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "samestory/pipeline.h"
#include "samestory/status.h"

namespace samestory {

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Collective: rank i sends send[j] to rank j (send.size() == size()); returns what every rank
  // sent to this one, by sender. Errors: IOError when the group broke.
  virtual Result<std::vector<std::string>> AllToAll(std::vector<std::string> send) = 0;
  // Collective: every rank's `mine`, by rank.
  virtual Result<std::vector<std::string>> AllGather(std::string mine) = 0;
  // Collective: the sum over ranks.
  virtual Result<uint64_t> AllReduceSum(uint64_t value) = 0;
  virtual Status Barrier() = 0;
};

// `size` ranks of one process, to be used from `size` threads (one each). REQUIRES: size >= 1.
std::vector<std::unique_ptr<Communicator>> InProcessCommunicators(int size);

// What one rank did.
struct RankSummary {
  int rank = 0;
  uint64_t records = 0;         // records it fingerprinted (its share)
  uint64_t bytes_sent = 0;      // through the communicator
  uint64_t bytes_received = 0;
  double fingerprint_seconds = 0;  // reading its share and the per-document stages (wall)
  // Sending the fingerprints to rank 0; on rank 0, receiving and adding them and then grouping
  // the copies (LSH candidates, the copy rule, union-find: the single machine's group stage).
  double exchange_seconds = 0;
  double rest_seconds = 0;         // rank 0: clustering (cluster) and writing; others: waiting
  uint64_t peak_rss = 0;
};

struct DistributedDedupSummary {
  DedupSummary run;                 // rank 0's summary of the whole run (as RunDedup's)
  std::vector<RankSummary> ranks;   // every rank's, by rank
};
struct DistributedClusterSummary {
  ClusterSummary run;
  std::vector<RankSummary> ranks;
};

// Collective: every rank calls it with the same input, outputs and options. The output equals
// RunDedup's byte for byte (written by rank 0 to a temporary name, renamed into place once every
// rank succeeded). Errors: as RunDedup, the same on every rank, the message naming the rank.
Result<DistributedDedupSummary> RunDedupDistributed(Communicator& comm, std::string_view input,
                                                    const DedupOutputs& outputs,
                                                    const DedupPipelineOptions& options,
                                                    const RecordReporter& reporter = nullptr);

Result<DistributedClusterSummary> RunClusterDistributed(Communicator& comm,
                                                        std::string_view input,
                                                        const ClusterOutputs& outputs,
                                                        const ClusterPipelineOptions& options,
                                                        const RecordReporter& reporter = nullptr);

}  // namespace samestory

#endif  // SAMESTORY_DISTRIBUTED_H_
