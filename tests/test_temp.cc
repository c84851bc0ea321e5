#include "test_temp.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace samestory::testing_util {
namespace {

std::string& Dir() {
  static std::string dir;
  return dir;
}

// Removes the directory after the last test (gtest runs global environments' TearDown then).
class TempDirCleaner : public ::testing::Environment {
 public:
  void TearDown() override {
    const std::string& dir = Dir();
    if (dir.empty()) return;
    if (::testing::UnitTest::GetInstance()->failed_test_count() > 0) {
      std::fprintf(stderr, "test temporary files kept in %s\n", dir.c_str());
      return;
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    if (ec) std::fprintf(stderr, "cannot remove %s: %s\n", dir.c_str(), ec.message().c_str());
  }
};

[[maybe_unused]] ::testing::Environment* const kCleaner =
    ::testing::AddGlobalTestEnvironment(new TempDirCleaner);

}  // namespace

const std::string& TestTempDir() {
  std::string& dir = Dir();
  if (dir.empty()) {
    const std::string path =
        ::testing::TempDir() + "samestory_tests." + std::to_string(::getpid()) + "/";
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) {
      std::fprintf(stderr, "cannot create %s: %s\n", path.c_str(), ec.message().c_str());
      std::abort();
    }
    dir = path;
  }
  return dir;
}

}  // namespace samestory::testing_util
