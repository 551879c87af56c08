// Scheme::equals_any (the `versions` list check of the matcher): for every built-in scheme it
// answers exactly what validating and comparing each entry would, on equal-but-differently-
// written versions, invalid entries and random garbage.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "versions/scheme.h"
#include "versions/scheme_test_util.h"

namespace hivesec::versions {
namespace {

bool reference(const Scheme& s, const std::string& v, const std::vector<std::string>& list) {
  for (const std::string& l : list) {
    if (l == v || (s.validate(l).ok() && s.compare(l, v) == 0)) return true;
  }
  return false;
}

struct Case {
  const char* scheme;
  const char* version;
  std::vector<std::string> list;
  bool expected;
};

TEST(SchemeEqualsAny, EqualUnderTheSchemeNotAsText) {
  SchemeRegistry r;
  ASSERT_TRUE(register_builtin_schemes(r).ok());
  const Case cases[] = {
      {"pep440", "1.0", {"0.9", "1.0.0"}, true},  // PEP 440: release padding
      {"pep440", "1.0", {"1.0.post1", "1.0a1"}, false},
      {"pep440", "2.0RC1", {"2.0rc1"}, true},            // normalisation
      {"dpkg", "1:1.0-1", {"1.0-1", "1:1.0-01"}, true},  // dpkg: leading zeros
      {"rpm", "1.0", {"1.0~rc1", "1.00"}, true},
      {"semver", "1.0.0", {"1.0.0+build"}, true},  // build metadata ignored
      {"semver", "1.0.0", {"1.0.0-rc.1", "not a version"}, false},
      {"go", "1.19.8", {"1.19.7", "1.19.8"}, true},
      {"maven", "1.0", {"1.0.0", "1-ga"}, true},
      {"gem", "1.0", {"1.0.0"}, true},
      {"nuget", "1.0", {"1.0.0.0"}, true},
      {"apk", "1.0-r0", {"1.0-r1"}, false},
      {"cargo", "1.0.0", {}, false},
  };
  for (const Case& c : cases) {
    const Scheme* s = r.find(c.scheme);
    ASSERT_NE(s, nullptr) << c.scheme;
    EXPECT_EQ(s->equals_any(c.version, c.list), c.expected) << c.scheme << " " << c.version;
    EXPECT_EQ(s->equals_any(c.version, c.list), reference(*s, c.version, c.list)) << c.scheme;
  }
}

TEST(SchemeEqualsAny, AgreesWithCompareOnRandomLists) {
  SchemeRegistry r;
  ASSERT_TRUE(register_builtin_schemes(r).ok());
  std::mt19937 rng(31);
  // 1-4 small numbers (sometimes with leading zeros) and an optional suffix from several
  // schemes: many are valid in each scheme, and equal-but-differently-written pairs are common.
  const char* suffixes[] = {"",     "",   "",       "-rc.1", "-1", "-r0", "~rc1",
                            "+b.1", "a1", ".post1", "-beta", "^1", "_p1", "-SNAPSHOT"};
  auto version = [&] {
    std::string v;
    size_t n = 1 + rng() % 4;
    if (n < 3 && rng() % 2 == 0) n = 3;
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) v.push_back('.');
      if (rng() % 8 == 0) v.push_back('0');
      v += std::to_string(rng() % 3);
    }
    return v + suffixes[rng() % std::size(suffixes)];
  };
  for (const std::string& name : r.names()) {
    const Scheme& s = *r.find(name);
    int checked = 0;
    for (int i = 0; i < 3000; ++i) {
      std::string v = version();
      if (!s.validate(v).ok()) continue;
      std::vector<std::string> list;
      for (size_t k = rng() % 6; k > 0; --k) list.push_back(version());
      if (rng() % 4 == 0) list.push_back(testing::random_garbage(rng, 20));
      ASSERT_EQ(s.equals_any(v, list), reference(s, v, list)) << name << " " << v;
      ++checked;
    }
    EXPECT_GT(checked, 50) << name << ": too few valid random versions";
  }
}

}  // namespace
}  // namespace hivesec::versions
