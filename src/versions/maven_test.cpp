#include <gtest/gtest.h>

#include "versions/builtins.h"
#include "versions/test_util.h"

namespace hivesec::versions {
namespace {

TEST(MavenScheme, ComparableVersionRules) {
  auto s = make_maven_scheme();
  auto cmp = [&](const char* a, const char* b) { return s->compare(a, b); };
  // Ascending chains from Maven's ComparableVersion documentation and tests.
  const char* chain[] = {"1-alpha",    "1-alpha2", "1-alpha10", "1-beta",  "1-milestone", "1-rc",
                         "1-snapshot", "1",        "1-sp",      "1-abc",   "1-xyz",       "1-1",
                         "1.1",        "1.2",      "1.10",      "2.0-rc1", "2.0"};
  for (size_t i = 0; i + 1 < std::size(chain); ++i) {
    EXPECT_LT(cmp(chain[i], chain[i + 1]), 0) << chain[i] << " < " << chain[i + 1];
    EXPECT_GT(cmp(chain[i + 1], chain[i]), 0) << chain[i + 1] << " > " << chain[i];
  }
  // Equalities: padding, aliases, case, separators.
  for (auto [a, b] :
       std::vector<std::pair<const char*, const char*>>{{"1", "1.0"},
                                                        {"1", "1.0.0"},
                                                        {"1", "1-ga"},
                                                        {"1", "1.final"},
                                                        {"1", "1-RELEASE"},
                                                        {"1-rc", "1-cr"},
                                                        {"1-a1", "1-alpha-1"},
                                                        {"1-b2", "1-beta2"},
                                                        {"1-m3", "1-milestone-3"},
                                                        {"1.0-SNAPSHOT", "1-snapshot"},
                                                        {"1.0.0-0", "1"},
                                                        {"01.002", "1.2"}}) {
    EXPECT_EQ(cmp(a, b), 0) << a << " == " << b;
  }
  EXPECT_LT(cmp("1-foo2", "1-foo10"), 0);
  EXPECT_LT(cmp("2.0.0.RC1", "2.0.0"), 0);
  EXPECT_GT(cmp("1.0.1", "1.0-sp"), 0);
  EXPECT_LT(cmp("1.2.3", "1.2.3.4"), 0);
  EXPECT_LT(cmp("1.0-alpha-1", "1.0"), 0);
}

TEST(MavenScheme, GarbageNeverCrashes) {
  auto s = make_maven_scheme();
  testing::Gen g(3);
  for (int i = 0; i < 20000; ++i) (void)s->compare(g.garbage(60), g.garbage(60));
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "a1-";
  EXPECT_EQ(s->compare(deep, deep), 0);
  EXPECT_FALSE(s->validate("").ok());
  EXPECT_EQ(s->validate(std::string(300, '1')).error().code, Errc::kLimit);
}

}  // namespace
}  // namespace hivesec::versions
