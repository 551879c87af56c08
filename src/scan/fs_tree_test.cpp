#include "scan/fs_tree.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "scan/testing/test_layers.h"

namespace hivesec::scan {
namespace {

namespace fs = std::filesystem;

TEST(FsTree, WalksFilesRecordsLinksNeverFollowsThem) {
  fs::path root = fs::temp_directory_path() / ("hivesec-fstree-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "app/sub");
  fs::create_directories(root / "skipme");
  std::ofstream(root / "app/pkgs.txt") << "a 1\n";
  std::ofstream(root / "skipme/pkgs.txt") << "hidden 1\n";
  // A file outside the root that a hostile link points at.
  fs::path outside = root.string() + "-outside";
  fs::create_directories(outside);
  std::ofstream(outside / "pkgs.txt") << "evil 6.6.6\n";
  fs::create_symlink(outside / "pkgs.txt", root / "app/sub/pkgs.txt");
  fs::create_directory_symlink(outside, root / "escape");
  fs::create_directory_symlink("../app", root / "app/sub/loop");

  analyze::Registry reg;
  ASSERT_TRUE(reg.add(std::make_unique<testing::LinesAnalyzer>()).ok());
  TreeOptions opts;
  opts.skip_dirs = {"skipme"};
  auto r = analyze_tree(root.string(), reg, opts);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->output.packages.size(), 1u);
  EXPECT_EQ(r->output.packages[0].name, "a");
  EXPECT_EQ(r->output.packages[0].location, "app/pkgs.txt");
  EXPECT_EQ(r->symlinks.count("escape"), 1u);
  EXPECT_EQ(r->symlinks.count("app/sub/loop"), 1u);
  fs::remove_all(root);
  fs::remove_all(outside);
}

TEST(FsTree, MissingRootIsNotFound) {
  analyze::Registry reg;
  auto r = analyze_tree("/nonexistent/hivesec", reg, TreeOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kNotFound);
}

}  // namespace
}  // namespace hivesec::scan
