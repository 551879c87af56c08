#include "image/stream.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "common/hash.h"

namespace hivesec::image {
namespace {

std::string read_in_chunks(ByteStream& s, size_t chunk, Error* err = nullptr) {
  std::string out;
  std::vector<char> buf(chunk);
  for (;;) {
    auto r = s.read(buf.data(), buf.size());
    if (!r.ok()) {
      if (err) *err = r.error();
      return out;
    }
    if (*r == 0) return out;
    out.append(buf.data(), *r);
  }
}

TEST(StreamTest, StringStreamReadsAllInSmallChunks) {
  auto s = string_stream("hello world");
  EXPECT_EQ(read_in_chunks(*s, 3), "hello world");
  auto again = s->read(nullptr, 0);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
}

TEST(StreamTest, ReadAllRespectsLimit) {
  auto s = string_stream(std::string(100, 'x'));
  auto r = read_all(*s, 99);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kLimit);
  auto s2 = string_stream(std::string(100, 'x'));
  auto r2 = read_all(*s2, 100);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->size(), 100u);
}

class FileStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("hivesec_stream_test_" + std::to_string(::getpid())))
                .string();
    std::ofstream(path_, std::ios::binary) << "0123456789abcdefghij";
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_;
};

TEST_F(FileStreamTest, OpenFileStreamReadsWholeFile) {
  auto s = open_file_stream(path_);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(read_in_chunks(**s, 7), "0123456789abcdefghij");
}

TEST_F(FileStreamTest, OpenMissingFileIsNotFound) {
  auto s = open_file_stream(path_ + ".missing");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, Errc::kNotFound);
}

TEST_F(FileStreamTest, RegionsShareOneFdConcurrently) {
  int fd = ::open(path_.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 200; ++k) {
        auto s = file_region_stream(fd, i * 5, 5);
        got[i] = read_in_chunks(*s, 2);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(got[0], "01234");
  EXPECT_EQ(got[1], "56789");
  EXPECT_EQ(got[2], "abcde");
  EXPECT_EQ(got[3], "fghij");
  ::close(fd);
}

TEST_F(FileStreamTest, RegionBeyondEndOfFileIsCorrupt) {
  int fd = ::open(path_.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  auto s = file_region_stream(fd, 15, 10);
  Error err;
  EXPECT_EQ(read_in_chunks(*s, 100, &err), "fghij");
  EXPECT_EQ(err.code, Errc::kCorrupt);
  ::close(fd);
}

TEST(VerifyingStreamTest, MatchingDigestAndSizePass) {
  std::string data(100000, 'q');
  auto s = verifying_stream(string_stream(data), sha256_digest(data), data.size(), "blob x");
  Error err{Errc::kInternal, "none"};
  EXPECT_EQ(read_in_chunks(*s, 4096, &err), data);
  EXPECT_EQ(err.message, "none");
}

TEST(VerifyingStreamTest, Failures) {
  std::string data = "payload";
  struct Case {
    std::string expected;
    int64_t size;
    std::string message_part;
  } cases[] = {
      {sha256_digest("other"), -1, "digest mismatch (got " + sha256_digest(data) + ")"},
      {sha256_digest(data), 3, "size mismatch"},
      {sha256_digest(data), 100, "size mismatch"},
  };
  for (const auto& c : cases) {
    auto s = verifying_stream(string_stream(data), c.expected, c.size, "blob " + c.expected);
    Error err;
    read_in_chunks(*s, 2, &err);
    EXPECT_EQ(err.code, Errc::kCorrupt) << c.message_part;
    EXPECT_NE(err.message.find(c.message_part), std::string::npos) << err.message;
    EXPECT_EQ(err.message.rfind("blob " + c.expected, 0), 0u) << err.message;
    // Errors are final.
    char b[4];
    EXPECT_FALSE(s->read(b, 4).ok());
  }
}

}  // namespace
}  // namespace hivesec::image
