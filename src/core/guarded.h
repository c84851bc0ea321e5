// Guarded: runs a library entry point and turns an escaping exception (std::bad_alloc, one from
// a dependency) into a Status, so that none leaves the library. Internal.
#ifndef SAMESTORY_CORE_GUARDED_H_
#define SAMESTORY_CORE_GUARDED_H_

#include <exception>
#include <new>

#include "samestory/status.h"

namespace samestory::internal {

// `f` returns a Status or a Result<T>.
template <typename F>
auto Guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(e.what());
  }
}

}  // namespace samestory::internal

#endif  // SAMESTORY_CORE_GUARDED_H_
