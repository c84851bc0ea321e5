// Tests for the durable whole-file writes and bounded reads under the TF-IDF model and the feed's
// state (src/io/binary_file.h): a planted symbolic link or special file is never written through,
// and a loader never reads more than its format allows.
#include "io/binary_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "samestory/tfidf.h"

namespace samestory::internal {
namespace {

namespace fs = std::filesystem;

class BinaryFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("samestory_binary_file_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static void Write(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
  }

  fs::path dir_;
};

TEST_F(BinaryFileTest, WriteFileAtomicallyReplacesTheFileAndLeavesNoTemporary) {
  const std::string target = Path("model");
  Write(target, "old");
  ASSERT_TRUE(WriteFileAtomically(target, "new bytes", dir_.string()).ok());
  EXPECT_EQ(Read(target), "new bytes");
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 1);
}

// Regression (issue 14 #10): `<path>.tmp` was opened with O_CREAT | O_TRUNC, so a symbolic link
// planted there made the write go to the link's target.
TEST_F(BinaryFileTest, Regression_APlantedSymlinkAtTheOldTemporaryNameIsNotFollowed) {
  const std::string victim = Path("victim");
  Write(victim, "precious");
  const std::string target = Path("model.tfidf");
  ASSERT_EQ(::symlink(victim.c_str(), (target + ".tmp").c_str()), 0);
  ASSERT_TRUE(WriteFileAtomically(target, "model bytes", dir_.string()).ok());
  EXPECT_EQ(Read(victim), "precious");
  EXPECT_EQ(Read(target), "model bytes");
}

// Regression (issue 14 #10): the rename replaced whatever was at the target, a device node as
// root (--save-model /dev/full), a symbolic link or a FIFO here.
TEST_F(BinaryFileTest, Regression_ATargetThatIsNotARegularFileIsRefused) {
  const std::string victim = Path("victim");
  Write(victim, "precious");
  const std::string link = Path("link");
  ASSERT_EQ(::symlink(victim.c_str(), link.c_str()), 0);
  Status s = WriteFileAtomically(link, "x", dir_.string());
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(Read(victim), "precious");

  const std::string fifo = Path("fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  s = WriteFileAtomically(fifo, "x", dir_.string());
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(fs::is_fifo(fifo));

  s = WriteFileAtomically(dir_.string(), "x", dir_.parent_path().string());
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(fs::is_directory(dir_));
}

TEST_F(BinaryFileTest, ReadWholeFileReadsARegularFile) {
  Write(Path("f"), std::string("a\0b", 3));
  Result<std::string> r = ReadWholeFile(Path("f"), 3);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.value(), std::string("a\0b", 3));
  EXPECT_EQ(ReadWholeFile(Path("missing"), 10).status().code(), Status::Code::kNotFound);
}

// Regression (issue 14 #11): `--model /dev/zero` read without bound until memory ran out.
TEST_F(BinaryFileTest, Regression_ReadWholeFileRefusesDevicesAndFilesOverItsBound) {
  Result<std::string> zero = ReadWholeFile("/dev/zero", uint64_t{1} << 40);
  EXPECT_EQ(zero.status().code(), Status::Code::kInvalidArgument) << zero.status().ToString();
  Write(Path("f"), "12345");
  Result<std::string> big = ReadWholeFile(Path("f"), 4);
  EXPECT_EQ(big.status().code(), Status::Code::kInvalidArgument) << big.status().ToString();
  EXPECT_NE(big.status().message().find("5 bytes"), std::string::npos) << big.status().ToString();
}

TEST_F(BinaryFileTest, Regression_TfidfModelFromADeviceIsAnErrorNotAnAllocation) {
  Result<TfidfModel> m = TfidfModel::Load("/dev/zero", nullptr);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("not a regular file"), std::string::npos)
      << m.status().ToString();
}

}  // namespace
}  // namespace samestory::internal
