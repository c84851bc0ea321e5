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

struct DenseIndex::Impl {
  std::unique_ptr<faiss::Index> index;
  std::string factory;
};

DenseIndex::~DenseIndex() = default;

Result<std::unique_ptr<DenseIndex>> DenseIndex::Build(size_t nb, int dim,
                                                      const std::string& factory, int k,
                                                      const RowSource& rows) {
  std::unique_ptr<DenseIndex> out(new DenseIndex());
  out->impl_ = std::make_unique<Impl>();
  out->impl_->factory = factory;
  try {
    auto& index = out->impl_->index;
    index.reset(faiss::index_factory(dim, factory.c_str(), faiss::METRIC_INNER_PRODUCT));
    if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(index.get())) {
      hnsw->hnsw.efSearch = std::max(64, 2 * k);
    }
    if (auto* ivf = dynamic_cast<faiss::IndexIVF*>(index.get())) {
      // Candidates are re-scored exactly afterwards: a coarse quantizer trained briefly and an
      // eighth of the lists probed (set below) find them.
      ivf->cp.niter = 10;
    }
    // Built on one thread, so an HNSW graph does not depend on thread timing.
    omp_set_num_threads(1);
    std::vector<float> buffer;
    if (!index->is_trained) {
      rows(0, nb, &buffer);
      index->train(static_cast<faiss::Index::idx_t>(nb), buffer.data());
    }
    constexpr size_t kChunk = 4096;
    for (size_t begin = 0; begin < nb; begin += kChunk) {
      const size_t end = std::min(nb, begin + kChunk);
      rows(begin, end, &buffer);
      index->add(static_cast<faiss::Index::idx_t>(end - begin), buffer.data());
    }
    if (auto* ivf = dynamic_cast<faiss::IndexIVF*>(index.get())) {
      ivf->nprobe = std::max<size_t>(1, ivf->nlist / 8);
    }
    return out;
  } catch (const faiss::FaissException& e) {
    return Status::InvalidArgument(std::string("FAISS index \"") + factory + "\": " + e.what());
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory in the FAISS index");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("FAISS: ") + e.what());
  }
}

Status DenseIndex::Search(const float* queries, size_t nq, int k, int64_t* ids) const {
  try {
    std::vector<float> scores(nq * static_cast<size_t>(k));
    std::vector<faiss::Index::idx_t> labels(nq * static_cast<size_t>(k));
    impl_->index->search(static_cast<faiss::Index::idx_t>(nq), queries, k, scores.data(),
                         labels.data());
    for (size_t i = 0; i < labels.size(); ++i) ids[i] = labels[i];
    return Status::OK();
  } catch (const faiss::FaissException& e) {
    return Status::Internal(std::string("FAISS search (\"") + impl_->factory + "\"): " + e.what());
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory in a FAISS search");
  }
}

}  // namespace samestory::internal
