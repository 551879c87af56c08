#include "versions/go.h"

#include <gtest/gtest.h>

#include "versions/builtins.h"
#include "versions/test_util.h"

namespace hivesec::versions {
namespace {

int cmp(const Scheme& s, std::string_view a, std::string_view b) {
  auto r = compare_versions(s, a, b);
  EXPECT_TRUE(r.ok()) << a << " vs " << b << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : 99;
}

TEST(GoScheme, ModuleVersionsAndPseudoVersions) {
  auto s = make_go_scheme();
  // Ascending; pseudo-versions sort as prereleases of the next patch by timestamp.
  const char* chain[] = {"v0.0.0-20190101000000-aaaaaaaaaaaa",
                         "v0.0.0-20220906165146-f3363e06e74c",
                         "v0.1.0",
                         "v1.2.3",
                         "v1.2.4-0.20191109021931-daa7c04131f5",
                         "v1.2.4-0.20200101000000-000000000000",
                         "v1.2.4-pre",
                         "v1.2.4",
                         "v2.0.0+incompatible",
                         "v2.0.1"};
  for (size_t i = 0; i + 1 < std::size(chain); ++i) {
    EXPECT_EQ(cmp(*s, chain[i], chain[i + 1]), -1) << chain[i] << " < " << chain[i + 1];
    EXPECT_EQ(cmp(*s, chain[i + 1], chain[i]), 1);
  }
  EXPECT_EQ(cmp(*s, "v2.0.0+incompatible", "v2.0.0"), 0);
  EXPECT_EQ(cmp(*s, "v1", "v1.0.0"), 0);
  EXPECT_EQ(cmp(*s, "v1.2", "v1.2.0"), 0);
  EXPECT_EQ(cmp(*s, "1.19.8", "v1.19.8"), 0);  // OSV omits the "v"
  for (const char* bad : {"", "v", "vv1.2.3", "v01.2.3", "v1.2.3-", "v1.2-pre", "v1.2.3.4",
                          "=v1.2.3", "go", "go1.", "go1.21.0rc1", "golang", "1.21-x"}) {
    EXPECT_FALSE(s->validate(bad).ok()) << bad;
  }
}

TEST(GoScheme, ToolchainVersions) {
  auto s = make_go_scheme();
  // go/version: 1.21 (language) < 1.21rc1 < 1.21.0; before 1.21, "1.20" is "1.20.0".
  const char* chain[] = {"go1",       "go1.2",    "go1.9.7",      "go1.19beta1", "go1.19rc1",
                         "go1.19rc2", "go1.19",   "go1.19.8",     "go1.20rc1",   "go1.20",
                         "go1.20.1",  "go1.21",   "go1.21alpha1", "go1.21beta1", "go1.21rc1",
                         "go1.21rc2", "go1.21.0", "go1.21.1",     "go1.22rc1",   "go2"};
  for (size_t i = 0; i + 1 < std::size(chain); ++i) {
    EXPECT_EQ(cmp(*s, chain[i], chain[i + 1]), -1) << chain[i] << " < " << chain[i + 1];
    EXPECT_LT(compare_go_toolchain(chain[i], chain[i + 1]), 0) << chain[i];
  }
  EXPECT_EQ(cmp(*s, "go1.20", "go1.20.0"), 0);
  EXPECT_EQ(compare_go_toolchain("go1.20", "go1.20.0"), 0);
  EXPECT_EQ(cmp(*s, "go1.21.0 X:boringcrypto", "go1.21.0"), 0);
  EXPECT_EQ(cmp(*s, "go1.21.3-custom", "go1.21.3"), 0);
  // Toolchain and OSV/semver spellings of the same release are interchangeable.
  EXPECT_EQ(cmp(*s, "go1.19.8", "1.19.8"), 0);
  EXPECT_EQ(cmp(*s, "go1.21rc2", "1.21.0-rc.2"), 0);
  EXPECT_EQ(cmp(*s, "1.21rc2", "go1.21rc2"), 0);
  EXPECT_EQ(cmp(*s, "go1.21rc1", "1.21.0-0"), 1);  // OSV "introduced: 1.21.0-0"
  EXPECT_EQ(cmp(*s, "go1.19.8", "1.19.9"), -1);
  EXPECT_EQ(cmp(*s, "1.21", "1.21rc1"), -1);
  // Invalid toolchain strings sort lowest in go/version.
  EXPECT_LT(compare_go_toolchain("go1.21.0rc1", "go1"), 0);
  EXPECT_EQ(compare_go_toolchain("bogus", "go"), 0);
}

TEST(GoScheme, GarbageNeverCrashes) {
  testing::Gen g(5);
  auto s = make_go_scheme();
  for (int i = 0; i < 20000; ++i) {
    std::string a = (g.chance(30) ? "go" : g.chance(30) ? "v" : "") + g.garbage(30);
    std::string b = g.garbage(30);
    (void)s->validate(a);
    (void)s->compare(a, b);
    (void)compare_go_toolchain(a, b);
  }
  EXPECT_EQ(s->validate("go1." + std::string(400, '9')).error().code, Errc::kLimit);
  EXPECT_FALSE(s->validate("go1.99999999999999999999999").ok());
}

TEST(CargoScheme, StrictSemVer) {
  auto s = make_cargo_scheme();
  EXPECT_EQ(cmp(*s, "1.0.0-alpha.1", "1.0.0-alpha.beta"), -1);
  EXPECT_EQ(cmp(*s, "1.0.0-beta.11", "1.0.0-beta.2"), 1);
  EXPECT_EQ(cmp(*s, "0.9.9", "0.10.0"), -1);
  EXPECT_EQ(cmp(*s, "1.0.0+a", "1.0.0+b"), 0);
  for (const char* bad : {"v1.0.0", "=1.0.0", " 1.0.0", "1.0", "01.0.0", "1.0.0-", ""}) {
    EXPECT_FALSE(s->validate(bad).ok()) << bad;
  }
  testing::Gen g(9);
  for (int i = 0; i < 10000; ++i) (void)s->compare(g.garbage(30), g.garbage(30));
}

TEST(VersionSchemes, RegistryHasLanguageSchemes) {
  SchemeRegistry r;
  ASSERT_TRUE(register_builtin_schemes(r).ok());
  for (const char* n : {"semver", "pep440", "go", "cargo", "maven", "nuget"})
    EXPECT_NE(r.find(n), nullptr) << n;
  auto c = compare_versions(*r.find("semver"), "1.x", "1.0.0");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("1.x"), std::string::npos);
}

}  // namespace
}  // namespace hivesec::versions
