// The FAISS wrapper: the only code that includes FAISS. Internal.
#ifndef SAMESTORY_CLUSTER_KNN_INDEX_H_
#define SAMESTORY_CLUSTER_KNN_INDEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "samestory/status.h"

namespace samestory::internal {

struct KnnResult {
  std::vector<int64_t> ids;    // (n, k) row-major; -1 where fewer than k neighbours exist
  std::vector<float> scores;   // (n, k) inner products
};

// k nearest neighbours by inner product of each row of `x` (n, dim), row-major, among all rows
// (itself included), with the FAISS index built by `factory` (e.g. "Flat", "HNSW32", "IVF1024,Flat").
// Errors: InvalidArgument for a bad factory string; Internal when FAISS fails or memory runs out.
Result<KnnResult> SearchKnn(const std::vector<float>& x, size_t n, int dim, int k,
                            const std::string& factory, int threads);

// k nearest rows of `base` (nb, dim) for each row of `queries` (nq, dim), both row-major; ids are
// row numbers in `base`.
Result<KnnResult> SearchKnn(const float* base, size_t nb, const float* queries, size_t nq,
                            int dim, int k, const std::string& factory, int threads);

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
