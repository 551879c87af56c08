#include <gtest/gtest.h>

#include "versions/builtins.h"
#include "versions/test_util.h"

namespace hivesec::versions {
namespace {

TEST(ComposerScheme, OrderedPairs) {
  auto s = make_composer_scheme();
  // Each pair: first < second.
  const std::pair<const char*, const char*> less[] = {
      {"1.0.0-dev", "1.0.0-alpha"},
      {"1.0.0-alpha", "1.0.0-alpha1"},
      {"1.0.0-alpha1", "1.0.0-alpha2"},
      {"1.0.0-alpha2", "1.0.0-alpha10"},
      {"1.0.0-alpha.3", "1.0.0-beta"},
      {"1.0.0-a1", "1.0.0-b1"},
      {"1.0.0-beta2", "1.0.0-RC1"},
      {"1.0.0-RC1", "1.0.0-rc2"},
      {"1.0.0-RC1", "1.0.0"},
      {"1.0.0", "1.0.0-patch1"},
      {"1.0.0-pl1", "1.0.0-p2"},
      {"1.0.0", "1.0.0.1"},
      {"1.0.0.1", "1.0.1"},
      {"1.0", "1.1"},
      {"1.9", "1.10"},
      {"v1.0.0", "2"},
      {"dev-feature", "0.0.1"},
      {"dev-master", "1.0.0-dev"},
      {"dev-a", "dev-b"},
      {"1.0.0-beta-dev", "1.0.0-beta"},
      {"1.0.0-beta", "1.0.0-beta1-dev"},
      {"1.0.0-beta1-dev", "1.0.0-beta1"},
      {"1.0.0-dev", "1.0.0-beta-dev"},
      {"1.x-dev", "2.0.0"},
      {"1.0.0", "1.x-dev"},
      {"1.0.0-STABLE", "1.0.0-dev"},
      {"2010-01-02", "2010-01-03"},
      {"2010.01.02", "2011"},
      {"1.0.0-alpha.3", "1.0.0-alpha.3.1"},
      {"1.0.0-beta.1.2", "1.0.0-beta.2"},
      {"1.0.0-RC9", "1.0.0-patch"},
      {"0.9.9-patch9", "1.0.0-dev"},
      {"1.0.0-p1", "1.0.1-dev"},
      {"dev-master", "dev-trunk"},
  };
  for (const auto& [a, b] : less) {
    EXPECT_LT(s->compare(a, b), 0) << a << " < " << b;
    EXPECT_GT(s->compare(b, a), 0) << b << " > " << a;
  }
  const std::pair<const char*, const char*> equal[] = {
      {"1.0", "1.0.0.0"},
      {"v1.0.0", "1.0.0"},
      {"1.0.0-beta2", "1.0.0-b2"},
      {"1.0.0-beta.2", "1.0.0-beta2"},
      {"1.0.0-RC1", "1.0.0-rc1"},
      {"1.0.0-stable", "1.0.0"},
      {"1.0.0-stable-dev", "1.0.0"},
      {"1.0.0+build.5", "1.0.0"},
      {"1.0.0 as 2.0.0", "1.0.0"},
      {"1.0.0-patch1", "1.0.0-pl1"},
      {"dev-foo", "dev-foo"},
      {"master", "dev-master"},
      {"1.0.0-alpha.3", "1.0.0-alpha3"},
      {"1.0.0.0-dev", "1.0-dev"},
      {"1.0-dev", "1.0.0.0dev"},
      {" 1.0 ", "1.0"},
      {"1.x-dev", "1.*-dev"},
      {"01.02", "1.2"},
      {"1.0.0-a", "1.0.0-alpha"},
  };
  for (const auto& [a, b] : equal) {
    EXPECT_EQ(s->compare(a, b), 0) << a << " == " << b;
    EXPECT_EQ(s->compare(b, a), 0) << b << " == " << a;
  }
}

TEST(ComposerScheme, Validation) {
  auto s = make_composer_scheme();
  for (const char* good : {"1", "v1.2.3", "1.2.3.4", "1.0.0-beta", "dev-feature/foo", "1.x-dev",
                           "2010-01-02", "1.0.0RC1", "master", "1.0.0-alpha.3", "2.1.*-dev"}) {
    EXPECT_TRUE(s->validate(good).ok()) << good;
  }
  for (const char* bad : {"", "1.2.3.4.5", "foo", "1.0.0-gamma", "foo-dev", "dev-", "x1.0",
                          "1.0.0 beta", "1..0", "1.0\x01", "1.0.0-beta.x"}) {
    EXPECT_FALSE(s->validate(bad).ok()) << bad;
  }
  EXPECT_FALSE(s->validate(std::string(300, '1')).ok());
}

TEST(ComposerScheme, GarbageNeverCrashes) {
  auto s = make_composer_scheme();
  testing::Gen g(47);
  for (int i = 0; i < 10000; ++i) {
    std::string a = g.garbage(40);
    std::string b = g.garbage(40);
    int ab = s->compare(a, b);
    if (s->validate(a).ok() && s->validate(b).ok()) {
      EXPECT_EQ(ab<0, s->compare(b, a)> 0) << a << " vs " << b;
    }
  }
}

}  // namespace
}  // namespace hivesec::versions
