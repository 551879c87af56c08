#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "versions/builtins.h"
#include "versions/scheme_test_util.h"

namespace hivesec::versions {
namespace {

using testing::Pair;

const std::string kOracle =
    std::string("sh ") + HIVESEC_SOURCE_DIR + "/tests/data/versions/dpkg_compare.sh";

bool have_dpkg() { return std::system("dpkg --version >/dev/null 2>&1") == 0; }

struct Case {
  const char* a;
  const char* b;
  int want;
};

TEST(DpkgScheme, HandCheckedOrder) {
  auto s = make_dpkg_scheme();
  const Case cases[] = {
      {"1.0", "1.0", 0},
      {"1.0", "1.1", -1},
      {"1.0~rc1", "1.0", -1},
      {"1.0~~", "1.0~", -1},
      {"1.0~", "1.0", -1},
      {"1.0", "1.0+b1", -1},
      {"1.0", "1.0a", -1},
      {"1.0a", "1.0.", -1},
      {"1:0.1", "2.0", 1},
      {"0:1.0", "1.0", 0},
      {"00:1.0", "1.0", 0},
      {"1.0-0", "1.0", 0},
      {"1.0-1", "1.0", 1},
      {"1.01", "1.1", 0},
      {"2.0-1~bpo1", "2.0-1", -1},
      {"1.2.3-1+deb12u1", "1.2.3-1", 1},
      {"1.99999999999999999999999", "1.99999999999999999999998", 1},
      {"1.000000000000000000000000001", "1.1", 0},
      {"3.0.11-1~deb12u2", "3.0.11-1", -1},
  };
  for (const auto& c : cases) {
    ASSERT_TRUE(s->validate(c.a).ok()) << c.a;
    ASSERT_TRUE(s->validate(c.b).ok()) << c.b;
    int got = s->compare(c.a, c.b);
    EXPECT_EQ((got > 0) - (got < 0), c.want) << c.a << " vs " << c.b;
  }
}

TEST(DpkgScheme, ValidationMatchesDpkgErrors) {
  auto s = make_dpkg_scheme();
  const char* invalid[] = {"",     "  ",   "1 0",  "1:", ":1",   "a:1",
                           "1a:1", "-1:1", "1.0-", "-1", "1:-1", "99999999999:1",
                           "1:1-"};
  for (const char* v : invalid) {
    auto st = s->validate(v);
    EXPECT_FALSE(st.ok()) << "'" << v << "'";
  }
  // dpkg warns about these but compares them, so do we.
  const char* accepted[] = {"abc", "1.0_x", "1.0-a_b", " 1.0 ", "+5:1", "-0:1", "1:2:3"};
  for (const char* v : accepted) EXPECT_TRUE(s->validate(v).ok()) << v;
  auto r = compare_versions(*s, "1.0", "1:");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nothing after colon"), std::string::npos) << r.error().message;
}

std::string random_part(std::mt19937& rng, bool allow_hyphen) {
  std::uniform_int_distribution<int> len(1, 6);
  std::uniform_int_distribution<int> kind(0, 19);
  std::string out;
  int n = len(rng);
  for (int i = 0; i < n; ++i) {
    int k = kind(rng);
    if (k < 6) {
      out += std::to_string(std::uniform_int_distribution<int>(0, k < 2 ? 9 : 999)(rng));
    } else if (k == 6) {
      std::string digits(std::uniform_int_distribution<int>(15, 40)(rng), '0');
      for (char& c : digits) c = static_cast<char>('0' + rng() % 10);
      out += digits;
    } else if (k == 7) {
      out += std::string(rng() % 3, '0') + std::to_string(rng() % 20);
    } else if (k < 10) {
      out += "abcxyzABZ"[rng() % 9];
    } else if (k < 14) {
      out += '.';
    } else if (k < 16) {
      out += '~';
    } else if (k < 18) {
      out += '+';
    } else if (k == 18 && allow_hyphen) {
      out += '-';
    } else {
      out += "rc"[rng() % 2];
    }
  }
  return out;
}

std::string random_version(std::mt19937& rng) {
  std::string v;
  switch (rng() % 8) {
    case 0:
      v += "1:";
      break;
    case 1:
      v += "0:";
      break;
    case 2:
      v += std::to_string(rng() % 3) + ":";
      break;
    case 3:
      v += "00" + std::to_string(rng() % 2) + ":";
      break;
    default:
      break;
  }
  std::string up = random_part(rng, true);
  if (rng() % 10 != 0 && (up.empty() || up[0] < '0' || up[0] > '9')) up.insert(0, "1");
  v += up;
  if (rng() % 2 == 0) {
    std::string rev = random_part(rng, false);
    v += "-" + rev;
  } else if (up.find('-') != std::string::npos) {
    v += "-1";
  }
  return v;
}

std::string mutate(std::mt19937& rng, std::string v) {
  const std::string alphabet = "0123456789.~+-:abzA";
  switch (rng() % 5) {
    case 0:
      return v;
    case 1:
      if (!v.empty()) v[rng() % v.size()] = alphabet[rng() % alphabet.size()];
      return v;
    case 2:
      return v + alphabet[rng() % alphabet.size()];
    case 3:
      if (!v.empty()) v.erase(rng() % v.size(), 1);
      return v;
    default:
      v.insert(rng() % (v.size() + 1), "0");
      return v;
  }
}

std::vector<std::string> installed_versions() {
  std::vector<std::string> out;
  FILE* p = popen("dpkg-query -W -f='${Version}\\n' 2>/dev/null | sort -u", "r");
  if (p == nullptr) return out;
  char buf[512];
  while (fgets(buf, sizeof buf, p) != nullptr) {
    std::string v(buf);
    while (!v.empty() && v.back() == '\n') v.pop_back();
    if (!v.empty()) out.push_back(v);
  }
  pclose(p);
  return out;
}

// The core requirement: thousands of pairs ordered exactly as dpkg --compare-versions does.
TEST(DpkgScheme, DifferentialAgainstDpkg) {
  if (!have_dpkg()) GTEST_SKIP() << "dpkg not installed";
  auto s = make_dpkg_scheme();
  constexpr int kRandomPairs = 2200;
  std::mt19937 rng(20240601);
  std::vector<Pair> pairs;
  for (int i = 0; i < kRandomPairs; ++i) {
    std::string a = random_version(rng);
    std::string b = rng() % 2 == 0 ? mutate(rng, a) : random_version(rng);
    pairs.emplace_back(a, b);
  }
  std::vector<std::string> real = installed_versions();
  std::sort(real.begin(), real.end(),
            [&](const std::string& x, const std::string& y) { return s->compare(x, y) < 0; });
  for (std::size_t i = 0; i + 1 < real.size(); ++i) pairs.emplace_back(real[i], real[i + 1]);
  for (std::size_t i = 0; i < std::min<std::size_t>(real.size(), 600); ++i) {
    pairs.emplace_back(real[rng() % real.size()], real[rng() % real.size()]);
    pairs.emplace_back(real[i], mutate(rng, real[i]));
  }
  // dpkg's command line takes a leading '-' for an option and "" for "no version": neither
  // reaches its version parser, so such pairs say nothing about the ordering.
  std::erase_if(pairs, [](const Pair& p) {
    return p.first.empty() || p.second.empty() || p.first[0] == '-' || p.second[0] == '-';
  });
  auto want = testing::run_oracle(kOracle, pairs);
  ASSERT_TRUE(want.has_value()) << "oracle failed";
  int disagreements = 0;
  int errors = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto& [a, b] = pairs[i];
    auto got = compare_versions(*s, a, b);
    std::string g = got.ok() ? testing::sign_name(*got) : "E";
    if ((*want)[i] == "E") ++errors;
    if (g != (*want)[i] && disagreements++ < 20) {
      ADD_FAILURE() << "'" << a << "' vs '" << b << "': dpkg " << (*want)[i] << ", we " << g
                    << (got.ok() ? "" : " (" + got.error().message + ")");
    }
  }
  std::printf(
      "dpkg differential: %zu pairs (%zu installed versions), %d refused by dpkg, "
      "%d disagreements\n",
      pairs.size(), real.size(), errors, disagreements);
  EXPECT_EQ(disagreements, 0);
}

TEST(DpkgScheme, GarbageNeverCrashes) {
  auto s = make_dpkg_scheme();
  testing::check_garbage(*s, 7, 20000);
}

}  // namespace
}  // namespace hivesec::versions
