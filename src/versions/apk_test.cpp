#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "versions/builtins.h"
#include "versions/scheme_test_util.h"

namespace hivesec::versions {
namespace {

// No apk on this machine: the order below is worked out by hand from Alpine's documented rules
// (digits, then a letter, then suffixes _alpha < _beta < _pre < _rc < none < _cvs < _svn < _git
// < _hg < _p, then -rN), each strictly greater than the one before.
TEST(ApkScheme, HandCheckedChain) {
  auto s = make_apk_scheme();
  const std::vector<std::string> chain = {
      "0.9",
      "0.9.9",
      "1",
      "1.0_alpha",
      "1.0_alpha1",
      "1.0_alpha2",
      "1.0_beta",
      "1.0_beta3",
      "1.0_pre1",
      "1.0_rc1",
      "1.0_rc2",
      "1.0",
      "1.0-r1",
      "1.0-r2",
      "1.0-r10",
      "1.0_cvs",
      "1.0_svn",
      "1.0_git20240101",
      "1.0_hg",
      "1.0_p",
      "1.0_p1",
      "1.0_p1-r1",
      "1.0_p2",
      "1.0a",
      "1.0b",
      "1.0.1",
      "1.0.2",
      "1.0.10",
      "1.1_rc1",
      "1.1",
      "1.2",
      "1.10",
      "2",
      "2.00",
      "2.0",
      "2.01",
      "2.1",
      "2.99999999999999999998",
      "2.99999999999999999999",
      "10",
  };
  for (std::size_t i = 0; i < chain.size(); ++i) {
    ASSERT_TRUE(s->validate(chain[i]).ok()) << chain[i];
    EXPECT_EQ(s->compare(chain[i], chain[i]), 0) << chain[i];
    for (std::size_t j = i + 1; j < chain.size(); ++j) {
      EXPECT_LT(s->compare(chain[i], chain[j]), 0) << chain[i] << " < " << chain[j];
      EXPECT_GT(s->compare(chain[j], chain[i]), 0) << chain[j] << " > " << chain[i];
    }
  }
  EXPECT_EQ(s->compare("01.2", "1.2"), 0);
  EXPECT_EQ(s->compare("1.2_rc01", "1.2_rc1"), 0);
}

TEST(ApkScheme, Validation) {
  auto s = make_apk_scheme();
  for (const char* v : {"", "a", ".1", "1.", "1..2", "1.0-r", "1.0-1", "1.0_foo", "1.0A", "1.0ab",
                        "1.0-r1_p1", "1.0_p1a", "1.0a.1", "1.0 ", "1_rc1.2", "v1.0"}) {
    EXPECT_FALSE(s->validate(v).ok()) << "'" << v << "'";
  }
  for (const char* v : {"1", "1.2.3", "1.2.3a", "1.2.3_rc1_p2-r0", "1.0_alpha_beta", "20240101",
                        "1.0.0_git20240101-r3", "1a2"}) {
    EXPECT_TRUE(s->validate(v).ok()) << v;
  }
}

std::string random_apk(std::mt19937& rng) {
  std::string v = std::to_string(rng() % 4);
  int dots = static_cast<int>(rng() % 4);
  for (int i = 0; i < dots; ++i) {
    v += '.';
    if (rng() % 4 == 0) v += std::string(1 + rng() % 2, '0');
    if (rng() % 5 != 0 || v.back() != '0') v += std::to_string(rng() % 12);
    if (v.back() == '.') v += '0';
  }
  if (rng() % 5 == 0) v += "abz"[rng() % 3];
  static const char* suffixes[] = {"alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"};
  int n = static_cast<int>(rng() % 3);
  for (int i = 0; i < n; ++i) {
    v += std::string("_") + suffixes[rng() % 9];
    if (rng() % 2 == 0) v += std::to_string(rng() % 4);
  }
  if (rng() % 2 == 0) v += "-r" + std::to_string(rng() % 4);
  return v;
}

// No reference tool: an ordering must at least be a total preorder.
TEST(ApkScheme, AntisymmetricAndTransitive) {
  auto s = make_apk_scheme();
  std::mt19937 rng(99);
  auto sgn = [](int c) { return (c > 0) - (c < 0); };
  int triples = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string a = random_apk(rng);
    std::string b = random_apk(rng);
    std::string c = random_apk(rng);
    ASSERT_TRUE(s->validate(a).ok()) << a;
    int ab = sgn(s->compare(a, b));
    int bc = sgn(s->compare(b, c));
    int ac = sgn(s->compare(a, c));
    ASSERT_EQ(ab, -sgn(s->compare(b, a))) << a << " " << b;
    ASSERT_EQ(s->compare(a, a), 0) << a;
    if (ab <= 0 && bc <= 0) {
      ++triples;
      ASSERT_LE(ac, 0) << a << " <= " << b << " <= " << c;
      if (ab == 0 && bc == 0) {
        ASSERT_EQ(ac, 0) << a << " = " << b << " = " << c;
      }
    }
  }
  std::printf("apk properties: 20000 random triples, %d ordered chains checked\n", triples);
  EXPECT_GT(triples, 2000);
}

TEST(ApkScheme, GarbageNeverCrashes) {
  auto s = make_apk_scheme();
  testing::check_garbage(*s, 13, 20000);
}

TEST(OsSchemes, Registered) {
  SchemeRegistry r;
  ASSERT_TRUE(register_builtin_schemes(r).ok());
  for (const char* n : {"dpkg", "rpm", "apk"}) EXPECT_NE(r.find(n), nullptr) << n;
}

}  // namespace
}  // namespace hivesec::versions
