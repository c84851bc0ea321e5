// Helpers shared by the libFuzzer targets in tests/fuzz: a scratch directory per process, whole-file
// reads and writes, and a check that aborts (libFuzzer then saves the input as a crash).
// Not thread-safe: a fuzz target runs its inputs one at a time.
#ifndef SAMESTORY_TESTS_FUZZ_FUZZ_UTIL_H_
#define SAMESTORY_TESTS_FUZZ_FUZZ_UTIL_H_

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>

// UB is a finding: make UBSan abort (libFuzzer then keeps the input) instead of printing and
// going on. An explicit UBSAN_OPTIONS in the environment still overrides these defaults. Defined
// here, not inline, so include this header from one source file per binary (the fuzz target).
extern "C" const char* __ubsan_default_options() {  // NOLINT: the sanitizer's hook name
  return "halt_on_error=1:print_stacktrace=1";
}

// Aborts with a message when a property fails: libFuzzer reports it as a crash ("deadly signal")
// and writes the input to crash-<sha1>.
#define FUZZ_CHECK(cond, ...)                                                   \
  do {                                                                          \
    if (!(cond)) {                                                              \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: ", __FILE__, __LINE__, \
                   #cond);                                                      \
      std::fprintf(stderr, __VA_ARGS__);                                        \
      std::fputc('\n', stderr);                                                 \
      std::abort();                                                             \
    }                                                                           \
  } while (0)

namespace samestory::fuzz {

// A directory of its own for this process, removed at exit: $SAMESTORY_FUZZ_TMPDIR, else /dev/shm
// (a tmpfs: the library fsyncs what it saves, which costs milliseconds on a disk), else /tmp; then
// samestory_<target>_<pid>. libFuzzer's -jobs/-fork children each get their own.
class ScratchDir {
 public:
  explicit ScratchDir(std::string_view target) {
    namespace fs = std::filesystem;
    std::string base = "/tmp";
    std::error_code ec;
    if (const char* env = std::getenv("SAMESTORY_FUZZ_TMPDIR"); env != nullptr && *env != '\0') {
      base = env;
    } else if (fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0) {
      base = "/dev/shm";
    }
    path_ = base + "/samestory_" + std::string(target) + "_" + std::to_string(::getpid());
    fs::remove_all(path_, ec);
    fs::create_directories(path_, ec);
    if (ec) {
      std::fprintf(stderr, "cannot create %s: %s\n", path_.c_str(), ec.message().c_str());
      std::abort();
    }
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

// Replaces the file at `path` with `bytes`; aborts when it cannot (the harness is broken, not
// the library).
inline void WriteFileOrDie(const std::string& path, std::string_view bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  FUZZ_CHECK(f != nullptr, "cannot write %s", path.c_str());
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  FUZZ_CHECK(std::fclose(f) == 0 && ok, "cannot write %s", path.c_str());
}

// The whole file, "" when it cannot be read.
inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

}  // namespace samestory::fuzz

#endif  // SAMESTORY_TESTS_FUZZ_FUZZ_UTIL_H_
