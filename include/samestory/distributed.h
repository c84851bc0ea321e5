// Distributed runs: dedup and cluster over a group of processes (MPI ranks), byte-identical to
// the single-machine run. Every rank reads the input and takes its share of the records (batches
// of batch_size, dealt round-robin); each rank tokenizes and fingerprints its share (and extracts
// terms, for clustering) in parallel with the others.
//
// Dedup (LSH mode) then keeps nothing on one rank: each rank keeps its share's evidence in its
// temporary directory; ids (checked for duplicates across shares), title-word frequencies, band
// keys and short texts' identities go to owner ranks by hash; each owner applies the bucket rule
// to its buckets in the single machine's order (date, then input position) and sends each pair
// to the rank holding its first record, which judges it with the other record's evidence fetched
// from its holder (the same date and copy rules); accepted pairs become spanning forests merged
// up a binary tree of ranks (the representative is a group's earliest member, as on one
// machine); each rank measures its records against their representatives and writes its lines at
// their offsets in the output (computed from every rank's batch sizes), under a temporary name
// renamed into place once every rank succeeded.
//
// Cluster groups the copies as dedup does (the same stages, every rank extracting its records'
// TF-IDF terms too); rank 0 then receives, batch by batch in input order, what clustering reads
// of each record (id, errors, its group, its date; its title only when the stories are
// summarized), and the terms of the records that get a vector (representatives and partial
// copies): no fingerprint. Document frequencies are counted by each rank over the terms it sends
// and summed at owner ranks by term hash; rank 0 fits the
// model on the kept terms' sums (the single machine's model). Rank 0 runs the rest of the
// single-machine pipeline (story clustering: the same code) and sends every rank its records'
// stories; each rank writes its records' lines at their offsets, as dedup does. But the kNN
// graph search (its exact band join, the costliest stage) is split across every rank by
// date range: each rank searches a contiguous range of the date-ordered documents against those
// within the date reach below it, with the vectors of that window served by rank 0; the best-k
// lists of documents near a range's edge are merged at their rank, and rank 0 gathers the edges
// (src/cluster/graph_split.h). Dedup's exact mode (and cluster with it) gathers: rank 0 receives
// every fingerprint and runs the single-machine grouping (GroupBuilder) on them.
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
  // Not collective: this rank failed where it cannot agree with the others on it (an exception,
  // such as memory running out, in the middle of a stage), so the group ends instead of waiting
  // for it: under MPI the job ends (MPI_Abort) with `why`; in process, every rank's collectives
  // fail with it. The distributed runs call it themselves.
  virtual void Abort(const Status& why) = 0;
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
  // The shuffles, judging its candidates and merging the groups (cluster: then sending rank 0
  // its records' outcomes and terms). Exact mode (gathered): sending the fingerprints to rank 0;
  // on rank 0, receiving them and grouping the copies.
  double exchange_seconds = 0;
  // Dedup: writing its lines. Cluster: rank 0's clustering; the others' share of the graph
  // search; then every rank writing its lines (exact mode: rank 0 writes them all). Exact-mode
  // dedup: rank 0 writing; the others waiting.
  double rest_seconds = 0;
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
// RunDedup's byte for byte (written to a temporary name, renamed into place once every rank
// succeeded). `reporter` hears, on each rank, the bad records of its share (in input order).
// Errors: as RunDedup, the same on every rank, the message naming the rank.
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
