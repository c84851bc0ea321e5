// The FAISS wrapper: the only code that includes FAISS. Internal.
#ifndef SAMESTORY_CLUSTER_KNN_INDEX_H_
#define SAMESTORY_CLUSTER_KNN_INDEX_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "samestory/status.h"

namespace samestory::internal {

// A FAISS index built once over a base and searched from several threads at once (each call
// single-threaded inside: the caller's OpenMP thread count should be 1).
class DenseIndex {
 public:
  // Builds the index `factory` over `nb` rows of `dim` floats, added in chunks from `rows(begin,
  // end, buffer)`, which must fill `buffer` with rows [begin, end) (trained, when the index needs
  // it, on all of them). `k` is the largest k searched (HNSW's efSearch follows it).
  // Errors: InvalidArgument for a bad factory string; Internal when FAISS fails.
  using RowSource = std::function<void(size_t begin, size_t end, std::vector<float>* buffer)>;
  static Result<std::unique_ptr<DenseIndex>> Build(size_t nb, int dim, const std::string& factory,
                                                   int k, const RowSource& rows);
  ~DenseIndex();
  // ids (nq, k): the k nearest base rows of each query by inner product, -1 where fewer exist.
  Status Search(const float* queries, size_t nq, int k, int64_t* ids) const;

 private:
  DenseIndex() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// While alive, BLAS (OpenBLAS, when it is the BLAS FAISS was linked against) runs on one thread;
// the previous thread count is restored on destruction. A no-op when `enable` is false or the
// BLAS has no thread control.
class SingleThreadedBlas {
 public:
  explicit SingleThreadedBlas(bool enable);
  ~SingleThreadedBlas();
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  int previous_ = 0;  // 0: nothing to restore
};

}  // namespace samestory::internal

#endif  // SAMESTORY_CLUSTER_KNN_INDEX_H_
