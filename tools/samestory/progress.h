// A progress line on stderr for long runs: shown only when stderr is a terminal, and only once a
// run has lasted a few seconds.
#ifndef SAMESTORY_TOOLS_PROGRESS_H_
#define SAMESTORY_TOOLS_PROGRESS_H_

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace samestory::cli {

class ProgressLine {
 public:
  ProgressLine(std::string what, bool quiet)
      : what_(std::move(what)), enabled_(!quiet && isatty(STDERR_FILENO)),
        start_(std::chrono::steady_clock::now()) {}

  void Update(uint64_t records, uint64_t bytes) {
    if (!enabled_) return;
    const double s = Seconds();
    if (s < 2.0 || s - last_ < 0.5) return;
    last_ = s;
    shown_ = true;
    std::fprintf(stderr, "\r%s: %llu records, %.1f MB, %.1f s, %.0f records/s   ", what_.c_str(),
                 static_cast<unsigned long long>(records), static_cast<double>(bytes) / 1e6, s,
                 static_cast<double>(records) / s);
    std::fflush(stderr);
  }
  void Done() {
    if (shown_) std::fprintf(stderr, "\r\033[K");
    shown_ = false;
  }

 private:
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  std::string what_;
  bool enabled_;
  bool shown_ = false;
  double last_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace samestory::cli

#endif  // SAMESTORY_TOOLS_PROGRESS_H_
