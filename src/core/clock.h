// The clock every stage's timings use, and seconds elapsed since a point of it. Internal.
#ifndef SAMESTORY_CORE_CLOCK_H_
#define SAMESTORY_CORE_CLOCK_H_

#include <chrono>

namespace samestory::internal {

using Clock = std::chrono::steady_clock;

// Seconds from `start` to now.
inline double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace samestory::internal

#endif  // SAMESTORY_CORE_CLOCK_H_
