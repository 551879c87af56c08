#include "scan/layer_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace hivesec::scan {
namespace {

std::string temp_dir() {
  auto d = std::filesystem::temp_directory_path() /
           ("hivesec-cache-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(d);
  return d.string();
}

TEST(LayerCache, RoundTripAndKeys) {
  auto c = LayerCache::open(temp_dir());
  ASSERT_TRUE(c.ok());
  std::string k = LayerCache::key("sha256:aa", "dpkg:1", "x");
  EXPECT_NE(k, LayerCache::key("sha256:aa", "dpkg:2", "x"));
  EXPECT_NE(k, LayerCache::key("sha256:ab", "dpkg:1", "x"));
  EXPECT_FALSE(c->get(k).has_value());
  LayerResult r;
  r.diff_id = "sha256:aa";
  r.whiteouts = {"a/b"};
  model::Package p;
  p.name = "x";
  r.output.packages = {p};
  ASSERT_TRUE(c->put(k, r).ok());
  auto back = c->get(k);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->whiteouts, r.whiteouts);
  EXPECT_EQ(back->output.packages.at(0).name, "x");
}

TEST(LayerCache, CorruptEntryIsAMiss) {
  std::string dir = temp_dir();
  auto c = LayerCache::open(dir);
  ASSERT_TRUE(c.ok());
  std::string k = LayerCache::key("sha256:bb", "", "");
  std::ofstream(dir + "/layers/" + k + ".bin") << "HVLC\x01\x7f"
                                               << "diff_i";
  EXPECT_FALSE(c->get(k).has_value());
}

TEST(LayerCache, ConcurrentWritersLeaveACompleteEntry) {
  auto c = LayerCache::open(temp_dir());
  ASSERT_TRUE(c.ok());
  std::string k = LayerCache::key("sha256:cc", "", "");
  LayerResult r;
  for (int i = 0; i < 2000; ++i) r.analyzed_paths.push_back("path/" + std::to_string(i));
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t) {
    ts.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        EXPECT_TRUE(c->put(k, r).ok());
        auto got = c->get(k);
        ASSERT_TRUE(got.has_value());
        EXPECT_EQ(got->analyzed_paths.size(), 2000u);
      }
    });
  }
  for (auto& t : ts) t.join();
}

}  // namespace
}  // namespace hivesec::scan
