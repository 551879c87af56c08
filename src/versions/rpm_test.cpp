#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "versions/builtins.h"
#include "versions/scheme_test_util.h"

namespace hivesec::versions {
namespace {

using testing::Pair;

// Debian's python3-rpm installs for the system interpreter, not for any other python3 on PATH.
const std::string kOracle =
    std::string("/usr/bin/python3 ") + HIVESEC_SOURCE_DIR + "/tests/data/versions/rpm_compare.py";

bool have_rpm_bindings() {
  return std::system("/usr/bin/python3 -c 'import rpm' >/dev/null 2>&1") == 0;
}

struct Case {
  const char* a;
  const char* b;
  int want;
};

TEST(RpmScheme, HandCheckedOrder) {
  auto s = make_rpm_scheme();
  const Case cases[] = {
      {"1.0", "1.0", 0},
      {"1.0", "1.1", -1},
      {"1.0~rc1", "1.0", -1},
      {"1.0~rc1", "1.0~rc2", -1},
      {"1.0^git1", "1.0", 1},
      {"1.0^git1", "1.0.1", -1},
      {"1.0^", "1.0", 1},
      {"1.0a", "1.0", 1},
      {"1.0a", "1.0.1", -1},
      {"1.01", "1.1", 0},
      {"1..0", "1.0", 0},
      {"1_0", "1.0", 0},
      {"2.0", "1:1.0", -1},
      {"0:1.0", "1.0", 0},
      {"1.0-1", "1.0-2", -1},
      {"1.0", "1.0-1", -1},
      {"1.0-1.el9", "1.0-1.el9_1", -1},
      {"5.14.0-362.8.1.el9_3", "5.14.0-362.13.1.el9_3", -1},
      {"1.999999999999999999999", "1.999999999999999999998", 1},
      {"a", "1", -1},
      {"1.0~", "1.0", -1},
  };
  for (const auto& c : cases) {
    ASSERT_TRUE(s->validate(c.a).ok()) << c.a;
    ASSERT_TRUE(s->validate(c.b).ok()) << c.b;
    int got = s->compare(c.a, c.b);
    EXPECT_EQ((got > 0) - (got < 0), c.want) << c.a << " vs " << c.b;
  }
}

TEST(RpmScheme, Validation) {
  auto s = make_rpm_scheme();
  for (const char* v :
       {"", "1-", "-1", "1:", "a:1", "1.0 1", "1.0-1-", "1/2", "1.0-1-2", "99999999999:1"}) {
    EXPECT_FALSE(s->validate(v).ok()) << "'" << v << "'";
  }
  for (const char* v : {"1", "1:1.0-1.el9", "1.0~rc1^post", ":1.0", "1+2_3"}) {
    EXPECT_TRUE(s->validate(v).ok()) << v;
  }
}

std::string random_part(std::mt19937& rng) {
  std::string out;
  int n = 1 + static_cast<int>(rng() % 6);
  for (int i = 0; i < n; ++i) {
    switch (rng() % 14) {
      case 0:
      case 1:
      case 2:
        out += std::to_string(rng() % 20);
        break;
      case 3:
        out += std::to_string(rng() % 100000);
        break;
      case 4: {
        std::string d(15 + rng() % 20, '0');
        for (char& c : d) c = static_cast<char>('0' + rng() % 10);
        out += d;
        break;
      }
      case 5:
        out += "00" + std::to_string(rng() % 10);
        break;
      case 6:
      case 7:
        out += "abcelXYZ"[rng() % 8];
        break;
      case 8:
        out += "el";
        break;
      case 9:
      case 10:
        out += '.';
        break;
      case 11:
        out += '~';
        break;
      case 12:
        out += '^';
        break;
      default:
        out += "_+"[rng() % 2];
        break;
    }
  }
  return out;
}

std::string random_evr(std::mt19937& rng) {
  std::string v;
  switch (rng() % 6) {
    case 0:
      v += std::to_string(rng() % 3) + ":";
      break;
    case 1:
      v += "0:";
      break;
    default:
      break;
  }
  v += random_part(rng);
  if (rng() % 3 != 0) v += "-" + random_part(rng);
  return v;
}

std::string mutate(std::mt19937& rng, std::string v) {
  const std::string alphabet = "0123456789.~^_+az";
  switch (rng() % 5) {
    case 0:
      return v;
    case 1:
      v[rng() % v.size()] = alphabet[rng() % alphabet.size()];
      return v;
    case 2:
      return v + alphabet[rng() % alphabet.size()];
    case 3:
      return v + "-1";
    default:
      v.insert(rng() % (v.size() + 1), "0");
      return v;
  }
}

// The core requirement: thousands of pairs ordered exactly as rpm's own comparison.
TEST(RpmScheme, DifferentialAgainstRpmBindings) {
  if (!have_rpm_bindings()) GTEST_SKIP() << "python3-rpm not installed";
  auto s = make_rpm_scheme();
  std::mt19937 rng(4242);
  std::vector<Pair> pairs;
  for (int i = 0; i < 4000; ++i) {
    std::string a = random_evr(rng);
    std::string b = rng() % 2 == 0 ? mutate(rng, a) : random_evr(rng);
    pairs.emplace_back(a, b);
  }
  auto want = testing::run_oracle(kOracle, pairs);
  ASSERT_TRUE(want.has_value()) << "oracle failed";
  int compared = 0;
  int disagreements = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto& [a, b] = pairs[i];
    auto got = compare_versions(*s, a, b);
    if (!got.ok()) continue;  // stricter than rpm (e.g. a mutated '-' at the end)
    ++compared;
    std::string g = testing::sign_name(*got);
    if (g != (*want)[i] && disagreements++ < 20) {
      ADD_FAILURE() << "'" << a << "' vs '" << b << "': rpm " << (*want)[i] << ", we " << g;
    }
  }
  std::printf("rpm differential: %d pairs compared, %d disagreements\n", compared, disagreements);
  EXPECT_GT(compared, 3500);
  EXPECT_EQ(disagreements, 0);
}

TEST(RpmScheme, GarbageNeverCrashes) {
  auto s = make_rpm_scheme();
  testing::check_garbage(*s, 11, 20000);
}

}  // namespace
}  // namespace hivesec::versions
