#include <gtest/gtest.h>

#include "versions/builtins.h"
#include "versions/test_util.h"

namespace hivesec::versions {
namespace {

TEST(NuGetScheme, Ordering) {
  auto s = make_nuget_scheme();
  const char* chain[] = {"1.0.0-alpha", "1.0.0-ALPHA.2", "1.0.0-alpha.10", "1.0.0-beta",
                         "1.0.0-rc.1",  "1.0.0",         "1.0.0.1",        "1.0.1",
                         "1.1",         "2.0.0-0",       "2.0.0"};
  for (size_t i = 0; i + 1 < std::size(chain); ++i) {
    EXPECT_LT(s->compare(chain[i], chain[i + 1]), 0) << chain[i] << " < " << chain[i + 1];
    EXPECT_GT(s->compare(chain[i + 1], chain[i]), 0);
  }
  EXPECT_EQ(s->compare("1.0", "1.0.0.0"), 0);
  EXPECT_EQ(s->compare("01.02.03", "1.2.3"), 0);
  EXPECT_EQ(s->compare("1.0.0-Beta", "1.0.0-beta"), 0);
  EXPECT_EQ(s->compare("1.0.0+abc", "1.0.0+def"), 0);
  for (const char* bad :
       {"", "v1.0", "1.0.0.0.0", "1..0", "1.0-", "1.0-a..b", "a", "1.0+", "99999999999.0"}) {
    EXPECT_FALSE(s->validate(bad).ok()) << bad;
  }
  testing::Gen g(13);
  for (int i = 0; i < 20000; ++i) (void)s->compare(g.garbage(40), g.garbage(40));
}

}  // namespace
}  // namespace hivesec::versions
