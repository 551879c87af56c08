#include "common/paths.h"

#include <gtest/gtest.h>

#include <map>

namespace hivesec {
namespace {

TEST(NormalizeEntryPath, Table) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (auto c : {Case{"./usr/bin/ls", "usr/bin/ls"}, Case{"/etc//passwd", "etc/passwd"},
                 Case{"a/./b/../c", "a/c"}, Case{"./", ""}, Case{"usr/", "usr"}}) {
    auto r = normalize_entry_path(c.in);
    ASSERT_TRUE(r.ok()) << c.in;
    EXPECT_EQ(*r, c.out) << c.in;
  }
}

TEST(NormalizeEntryPath, RejectsEscapes) {
  for (const char* bad : {"../etc/passwd", "a/../../b", "/../x"}) {
    auto r = normalize_entry_path(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, Errc::kCorrupt);
    EXPECT_NE(r.error().message.find("escapes"), std::string::npos);
  }
}

TEST(ResolveLinkTarget, StaysInRoot) {
  EXPECT_EQ(resolve_link_target("etc/os-release", "../usr/lib/os-release"), "usr/lib/os-release");
  EXPECT_EQ(resolve_link_target("etc/x", "../../../../etc/shadow"), "etc/shadow");
  EXPECT_EQ(resolve_link_target("bin/sh", "/bin/dash"), "bin/dash");
  EXPECT_EQ(resolve_link_target("a", "b"), "b");
}

TEST(ResolveInRoot, FollowsDirectoryAndFileLinks) {
  std::map<std::string, std::string> links{{"lib", "usr/lib"}, {"usr/lib/os-release", "x/os"}};
  auto rl = [&](const std::string& p) -> std::optional<std::string> {
    auto it = links.find(p);
    if (it == links.end()) return std::nullopt;
    return it->second;
  };
  auto r = resolve_in_root("lib/os-release", rl);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "usr/lib/x/os");
}

TEST(ResolveInRoot, DetectsLoops) {
  std::map<std::string, std::string> links{{"a", "b"}, {"b", "a"}};
  auto rl = [&](const std::string& p) -> std::optional<std::string> {
    auto it = links.find(p);
    if (it == links.end()) return std::nullopt;
    return it->second;
  };
  auto r = resolve_in_root("a/file", rl);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kLimit);
}

TEST(PathWithin, Basics) {
  EXPECT_TRUE(path_within("usr/lib/x", "usr/lib"));
  EXPECT_TRUE(path_within("usr/lib", "usr/lib"));
  EXPECT_FALSE(path_within("usr/libx", "usr/lib"));
  EXPECT_TRUE(path_within("anything", ""));
}

}  // namespace
}  // namespace hivesec
