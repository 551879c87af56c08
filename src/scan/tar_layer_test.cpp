#include "scan/tar_layer.h"

#include <gtest/gtest.h>

#include "common/hash.h"
#include "scan/testing/test_layers.h"

namespace hivesec::scan {
namespace {

using testing::TarItem;

analyze::Registry lines_registry() {
  analyze::Registry r;
  EXPECT_TRUE(r.add(std::make_unique<testing::LinesAnalyzer>()).ok());
  return r;
}

Result<LayerResult> run(const std::string& blob, const std::string& diff_id = "") {
  auto reg = lines_registry();
  return analyze_tar_layer(image::string_stream(blob), diff_id, reg, WalkLimits{});
}

const std::vector<TarItem> kItems = {
    {TarItem::kDir, "app/", "", 0755},
    {TarItem::kFile, "./app/pkgs.txt", "a 1.0\nb 2.0\n"},
    {TarItem::kSymlink, "etc/os-release", "../usr/lib/os-release"},
    {TarItem::kFile, "app/.wh.old", ""},
    {TarItem::kFile, "var/.wh..wh..opq", ""},
    {TarItem::kHardlink, "app/pkgs2.txt", "app/pkgs.txt"},
};

TEST(TarLayer, AllCompressionsGiveTheSameResult) {
  std::string plain = testing::make_tar(kItems);
  std::string diff_id = sha256_digest(plain);
  for (const char* filter : {"none", "gzip", "zstd"}) {
    auto r = run(testing::make_tar(kItems, filter), diff_id);
    ASSERT_TRUE(r.ok()) << filter << ": " << r.error().message;
    ASSERT_EQ(r->output.packages.size(), 2u) << filter;
    EXPECT_EQ(r->output.packages[0].name, "a");
    EXPECT_EQ(r->output.packages[0].location, "app/pkgs.txt");
    EXPECT_EQ(r->output.packages[0].found_by, "lines");
    EXPECT_EQ(r->analyzed_paths, std::vector<std::string>{"app/pkgs.txt"});
    EXPECT_EQ(r->whiteouts, std::vector<std::string>{"app/old"});
    EXPECT_EQ(r->opaque_dirs, std::vector<std::string>{"var"});
    EXPECT_EQ(r->symlinks.at("etc/os-release"), "../usr/lib/os-release");
  }
}

TEST(TarLayer, DiffIdMismatchIsCorrupt) {
  auto r = run(testing::make_tar(kItems, "gzip"), "sha256:" + std::string(64, '0'));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kCorrupt);
  EXPECT_NE(r.error().message.find("diffID mismatch"), std::string::npos) << r.error().message;
}

TEST(TarLayer, TruncatedGzipIsCorrupt) {
  std::string gz =
      testing::make_tar({{TarItem::kFile, "pkgs.txt", std::string(100000, 'x')}}, "gzip");
  auto r = run(gz.substr(0, gz.size() / 2));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kCorrupt) << r.error().message;
}

TEST(TarLayer, EscapingEntriesAreRejected) {
  for (const auto& item :
       {TarItem{TarItem::kFile, "../evil", "x"}, TarItem{TarItem::kFile, "a/../../evil", "x"},
        TarItem{TarItem::kHardlink, "ok", "../../etc/shadow"}}) {
    auto r = run(testing::make_tar({item}));
    ASSERT_FALSE(r.ok()) << item.path;
    EXPECT_EQ(r.error().code, Errc::kCorrupt);
  }
}

TEST(TarLayer, AbsolutePathsStayInsideTheRoot) {
  auto r = run(testing::make_tar({{TarItem::kFile, "/abs/pkgs.txt", "z 9\n"}}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->output.packages.size(), 1u);
  EXPECT_EQ(r->output.packages[0].location, "abs/pkgs.txt");
}

TEST(TarLayer, GarbageIsAClearError) {
  auto r = run(std::string(4096, '\x7f'));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kCorrupt);
}

TEST(TarLayer, EntryLimit) {
  std::vector<TarItem> many;
  for (int i = 0; i < 20; ++i) many.push_back({TarItem::kFile, "f" + std::to_string(i), ""});
  auto reg = lines_registry();
  WalkLimits limits;
  limits.max_entries = 10;
  auto r = analyze_tar_layer(image::string_stream(testing::make_tar(many)), "", reg, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kLimit);
}

}  // namespace
}  // namespace hivesec::scan
