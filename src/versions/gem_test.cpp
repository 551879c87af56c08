#include <gtest/gtest.h>

#include "versions/builtins.h"
#include "versions/test_util.h"

namespace hivesec::versions {
namespace {

TEST(GemScheme, OrderedPairs) {
  auto s = make_gem_scheme();
  // Each pair: first < second (Gem::Version#<=>).
  const std::pair<const char*, const char*> less[] = {
      {"0.9", "1.0"},
      {"1.0", "1.0.1"},
      {"1.0.9", "1.0.10"},
      {"1.0.a", "1.0"},
      {"1.0.a", "1.0.b"},
      {"1.0.a1", "1.0.a2"},
      {"1.0.a9", "1.0.a10"},
      {"1.0.a10", "1.0.b1"},
      {"1.0.rc1", "1.0"},
      {"1.0.beta", "1.0.rc"},
      {"1.0.pre", "1.0"},
      {"1.0-1", "1.0"},
      {"1.0-1", "1.0.0.1"},
      {"1.0.A", "1.0.a"},
      {"1.a", "1"},
      {"1.a", "1.0.1"},
      {"1.0.a", "1.0.a.1"},
      {"1.0.a.1", "1.0.b"},
      {"2.0.0.rc1", "2.0.0"},
      {"1.9.3", "2.0.0.rc1"},
      {"1.0.pre.a", "1.0.pre.b"},
      {"1", "1.0.0.1"},
      {"10", "11"},
      {"9", "10"},
      {"1.2.3.alpha", "1.2.3"},
      {"1.0.dev", "1.0.pre"},
      {"", "0.1"},
      {"1.0.a", "1.0.0.1"},
      {"99999999999999999999", "100000000000000000000"},
      {"1.0.b", "1.0.b.1"},
      {"1.0.a", "1.0-a"},
      {"5.2.4.rc2", "5.2.4.1"},
  };
  for (const auto& [a, b] : less) {
    EXPECT_LT(s->compare(a, b), 0) << a << " < " << b;
    EXPECT_GT(s->compare(b, a), 0) << b << " > " << a;
  }
  const std::pair<const char*, const char*> equal[] = {
      {"1.0", "1.0.0"},  {"1", "1.0.0"},           {"1.0.0.a", "1.a"},   {"1.0.a.0", "1.0.a"},
      {"01.002", "1.2"}, {"  1.0  ", "1.0"},       {"1.0a1", "1.0.a.1"}, {"1.0-1", "1.0.pre.1"},
      {"", "0"},         {"1.0.rc.0.0", "1.0.rc"}, {"\t2.1\n", "2.1"},
  };
  for (const auto& [a, b] : equal) {
    EXPECT_EQ(s->compare(a, b), 0) << a << " == " << b;
    EXPECT_EQ(s->compare(b, a), 0) << b << " == " << a;
  }
}

TEST(GemScheme, Validation) {
  auto s = make_gem_scheme();
  for (const char* good : {"1", "1.0", "1.0.a10", "1.0-1", "1.0-rc.1", "1-2-3", "1.0--x", " 1.0 ",
                           "", "   ", "0.0.0", "1.0.A", "2.0.0.rc1"}) {
    EXPECT_TRUE(s->validate(good).ok()) << '"' << good << '"';
  }
  for (const char* bad : {"a", "v1.0", ".1", "1.", "1..0", "1.0-", "1.0-a.", "1.0-a..b", "1_0",
                          "1.0+x", "1 0", "1.0.-1", "-1", "1.0\x01", "1.0 a"}) {
    EXPECT_FALSE(s->validate(bad).ok()) << '"' << bad << '"';
  }
  EXPECT_FALSE(s->validate(std::string(300, '1')).ok());
}

TEST(GemScheme, GarbageNeverCrashes) {
  auto s = make_gem_scheme();
  testing::Gen g(31);
  for (int i = 0; i < 10000; ++i) {
    std::string a = g.garbage(40);
    std::string b = g.garbage(40);
    int ab = s->compare(a, b);
    if (s->validate(a).ok() && s->validate(b).ok()) {
      int ba = s->compare(b, a);
      EXPECT_EQ(ab<0, ba> 0) << a << " vs " << b;
    }
  }
}

}  // namespace
}  // namespace hivesec::versions
