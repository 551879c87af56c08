#include "vulndb/zip_records.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "vulndb/testing/update_fixtures.h"

namespace hivesec::vulndb::detail {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::write_file;
using testing::write_zip;

class VulndbZip : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hivesec_zip_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    zip_ = dir_ / "all.zip";
    write_zip(zip_,
              {{"A-1.json", "{\"marker\": \"" + std::string(400, 'a') + "\"}"},
               {"notes.txt", "not a record"},
               {"B-2.json", "{\"marker\": \"" + std::string(400, 'b') + "\"}"}},
              /*store=*/true);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Reads `path` in `mode`; returns the entries passed on and those skipped.
  Status read(const fs::path& path, ZipMode mode, std::vector<std::string>& records,
              std::vector<std::string>& skipped) {
    return read_zip_records(
        path.string(), "label", mode,
        [&](const std::string& entry, std::string_view) {
          records.push_back(entry);
          return ok_status();
        },
        [&](const std::string& entry, std::string) { skipped.push_back(entry); });
  }

  fs::path dir_, zip_;
};

TEST_F(VulndbZip, CompleteZipVerifiesAndYieldsJsonEntries) {
  EXPECT_TRUE(verify_zip(zip_.string(), "label").ok());
  std::vector<std::string> records, skipped;
  ASSERT_TRUE(read(zip_, ZipMode::kStrict, records, skipped).ok());
  EXPECT_EQ(records, (std::vector<std::string>{"A-1.json", "B-2.json"}));
  EXPECT_TRUE(skipped.empty());
}

TEST_F(VulndbZip, EmptyZipVerifies) {
  write_zip(dir_ / "empty.zip", {});
  EXPECT_TRUE(verify_zip((dir_ / "empty.zip").string(), "label").ok());
}

TEST_F(VulndbZip, TruncatedZipIsRefusedEvenWhenItsEntriesParse) {
  std::string bytes = read_file(zip_);
  // Cuts in the central directory (every local entry still intact), mid-file and in a header.
  for (size_t keep : {bytes.size() - 1, bytes.size() - 30, bytes.size() / 2, size_t{10}}) {
    write_file(dir_ / "cut.zip", bytes.substr(0, keep));
    auto st = verify_zip((dir_ / "cut.zip").string(), "cut");
    ASSERT_FALSE(st.ok()) << keep;
    EXPECT_EQ(st.error().code, Errc::kCorrupt);
    EXPECT_EQ(st.error().message.rfind("cut: ", 0), 0u) << st.error().message;
  }
}

TEST_F(VulndbZip, GarbageAndEmptyFilesAreRefused) {
  write_file(dir_ / "garbage.zip", std::string(5000, 'x') + "PK\x05\x06");
  write_file(dir_ / "empty", "");
  for (const char* name : {"garbage.zip", "empty"}) {
    auto st = verify_zip((dir_ / name).string(), name);
    ASSERT_FALSE(st.ok()) << name;
    EXPECT_EQ(st.error().code, Errc::kCorrupt) << st.error().message;
  }
  EXPECT_EQ(verify_zip((dir_ / "absent").string(), "absent").error().code, Errc::kIo);
}

TEST_F(VulndbZip, BadCrcIsAnErrorWhenStrictAndASkipWhenLenient) {
  std::string bytes = read_file(zip_);
  size_t at = bytes.find(std::string(400, 'a'));
  ASSERT_NE(at, std::string::npos);
  bytes[at + 10] = 'z';  // stored entry: the data changes, its CRC no longer matches
  write_file(dir_ / "crc.zip", bytes);

  auto st = verify_zip((dir_ / "crc.zip").string(), "crc");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, Errc::kCorrupt);
  EXPECT_NE(st.error().message.find("A-1.json"), std::string::npos) << st.error().message;

  std::vector<std::string> records, skipped;
  ASSERT_TRUE(read(dir_ / "crc.zip", ZipMode::kLenient, records, skipped).ok());
  EXPECT_EQ(records, std::vector<std::string>{"B-2.json"});
  EXPECT_EQ(skipped, std::vector<std::string>{"A-1.json"});
}

TEST_F(VulndbZip, CallbackErrorsAbortTheRead) {
  int seen = 0;
  auto st = read_zip_records(
      zip_.string(), "label", ZipMode::kStrict,
      [&](const std::string&, std::string_view) -> Status {
        ++seen;
        return make_error(Errc::kIo, "stop");
      },
      [](const std::string&, std::string) {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "stop");
  EXPECT_EQ(seen, 1);
}

}  // namespace
}  // namespace hivesec::vulndb::detail
