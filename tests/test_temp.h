// The test binary's temporary directory: one per process (ctest runs each test in a process of
// its own), under ::testing::TempDir(), removed when the run ends with every test passed and kept
// (its path printed) when one failed, so that a run leaves nothing behind but what explains a
// failure.
#ifndef SAMESTORY_TESTS_TEST_TEMP_H_
#define SAMESTORY_TESTS_TEST_TEMP_H_

#include <string>

namespace samestory::testing_util {

// The directory, with a trailing '/'; created on the first call.
const std::string& TestTempDir();

}  // namespace samestory::testing_util

#endif  // SAMESTORY_TESTS_TEST_TEMP_H_
