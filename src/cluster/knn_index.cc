#include "cluster/knn_index.h"

#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVF.h>
#include <faiss/impl/FaissException.h>
#include <faiss/index_factory.h>
#include <dlfcn.h>
#include <omp.h>

#include <memory>
#include <new>

namespace samestory::internal {

namespace {

// OpenBLAS's thread control, looked up at run time: FAISS links the generic libblas.so.3, which
// may or may not be OpenBLAS (Debian's alternatives), so it cannot be linked directly.
using SetThreads = void (*)(int);
using GetThreads = int (*)();

SetThreads FindSetThreads() {
  return reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
}

GetThreads FindGetThreads() {
  return reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
}

}  // namespace

SingleThreadedBlas::SingleThreadedBlas(bool enable) {
  if (!enable) return;
  SetThreads set = FindSetThreads();
  GetThreads get = FindGetThreads();
  if (set == nullptr || get == nullptr) return;
  previous_ = get();
  set(1);
}

SingleThreadedBlas::~SingleThreadedBlas() {
  if (previous_ > 0) FindSetThreads()(previous_);
}

Result<KnnResult> SearchKnn(const std::vector<float>& x, size_t n, int dim, int k,
                            const std::string& factory, int threads) {
  return SearchKnn(x.data(), n, x.data(), n, dim, k, factory, threads);
}

Result<KnnResult> SearchKnn(const float* base, size_t nb, const float* queries, size_t nq,
                            int dim, int k, const std::string& factory, int threads) {
  KnnResult out;
  if (nb == 0 || nq == 0) return out;
  try {
    std::unique_ptr<faiss::Index> index(
        faiss::index_factory(dim, factory.c_str(), faiss::METRIC_INNER_PRODUCT));
    if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(index.get())) {
      hnsw->hnsw.efSearch = std::max(64, 2 * k);
    }
    if (auto* ivf = dynamic_cast<faiss::IndexIVF*>(index.get())) {
      // Candidates are re-scored exactly afterwards: a coarse quantizer trained briefly and an
      // eighth of the lists probed find them (ARI 0.99+ against Flat on Reuters-21578).
      ivf->cp.niter = 10;
      ivf->nprobe = std::max<size_t>(1, ivf->nlist / 8);
    }
    const auto count = static_cast<faiss::Index::idx_t>(nb);
    // Built on one thread: FAISS inserts into an HNSW graph from several threads at once, and the
    // graph (so the neighbours found, so the stories) would then depend on thread timing.
    omp_set_num_threads(1);
    if (!index->is_trained) index->train(count, base);
    index->add(count, base);
    omp_set_num_threads(threads);
    out.ids.resize(nq * static_cast<size_t>(k));
    out.scores.resize(nq * static_cast<size_t>(k));
    std::vector<faiss::Index::idx_t> labels(out.ids.size());
    index->search(static_cast<faiss::Index::idx_t>(nq), queries, k, out.scores.data(),
                  labels.data());
    for (size_t i = 0; i < labels.size(); ++i) out.ids[i] = labels[i];
    return out;
  } catch (const faiss::FaissException& e) {
    return Status::InvalidArgument(std::string("FAISS index \"") + factory + "\": " + e.what());
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory in the FAISS index");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("FAISS: ") + e.what());
  }
}

}  // namespace samestory::internal
