// Guarded: runs a library entry point and turns an escaping exception (std::bad_alloc, one from
// a dependency) into a Status, so that none leaves the library. Internal.
#ifndef SAMESTORY_CORE_GUARDED_H_
#define SAMESTORY_CORE_GUARDED_H_

#include <exception>
#include <new>

#include "samestory/status.h"

namespace samestory::internal {

// `f` returns a Status or a Result<T>. An escaping exception becomes a Status, given to
// `on_exception`, whose Status is returned.
template <typename F, typename OnException>
auto Guarded(F&& f, OnException&& on_exception) -> decltype(f()) {
  Status failed;
  try {
    return f();
  } catch (const std::bad_alloc&) {
    failed = Status::Internal("out of memory");
  } catch (const std::exception& e) {
    failed = Status::Internal(e.what());
  }
  return on_exception(failed);
}

template <typename F>
auto Guarded(F&& f) -> decltype(f()) {
  return Guarded(f, [](const Status& s) { return s; });
}

}  // namespace samestory::internal

#endif  // SAMESTORY_CORE_GUARDED_H_
