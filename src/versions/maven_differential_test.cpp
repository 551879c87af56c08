// Differential test of the maven scheme against Maven's own ComparableVersion (the maven-artifact
// jar of Debian's libmaven3-core-java, run through tests/data/versions/MavenCompare.java):
// thousands of generated pairs — real-world shapes (5.3.0.RC1, 2.0.0.M1, 1.0.0.Final,
// 31.1-android) and random mixes of numbers, qualifiers and separators — must order the same.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "versions/builtins.h"
#include "versions/scheme_test_util.h"

namespace hivesec::versions {
namespace {

using testing::Pair;

const char* const kJar = "/usr/share/java/maven3-artifact.jar";

bool have_maven_oracle() {
  return std::filesystem::exists(kJar) && std::system("command -v java >/dev/null 2>&1") == 0;
}

// One version: a number, then 0-4 more parts joined by '.', '-' or nothing; parts are numbers
// (with leading zeros sometimes) or qualifiers in any case, some with a number attached.
std::string random_maven(std::mt19937& rng) {
  static const char* kQualifiers[] = {
      "alpha", "beta", "milestone", "rc", "cr",  "snapshot", "ga",      "final",   "release",
      "sp",    "a",    "b",         "m",  "foo", "jre",      "android", "preview", "ea"};
  static const char* kSeps[] = {".", "-", ""};
  auto part = [&]() -> std::string {
    if (rng() % 10 < 6) {
      static const char* kNums[] = {"0", "0", "1", "2", "10", "01", "00"};
      return kNums[rng() % std::size(kNums)];
    }
    std::string q = kQualifiers[rng() % std::size(kQualifiers)];
    if (rng() % 3 == 0) {
      for (char& c : q) c = static_cast<char>(c - 'a' + 'A');
    }
    if (rng() % 2 == 0) q += std::to_string(rng() % 4);
    return q;
  };
  std::string v = std::to_string(rng() % 4);
  for (size_t n = rng() % 5; n > 0; --n) v += kSeps[rng() % std::size(kSeps)] + part();
  return v;
}

TEST(MavenDifferential, MatchesMavenComparableVersion) {
  if (!have_maven_oracle()) GTEST_SKIP() << "java or " << kJar << " (libmaven3-core-java) missing";
  const std::string oracle = std::string("java -cp ") + kJar + " " + HIVESEC_SOURCE_DIR +
                             "/tests/data/versions/MavenCompare.java";
  auto s = make_maven_scheme();
  std::mt19937 rng(7411);
  const std::vector<std::string> real = {
      "5.3.0.RC1",     "5.3.0-RC2",        "5.3.0",        "5.3.0.RELEASE", "2.0.0.M1",
      "2.0.0-M2",      "1.0.0.Final",      "1.0.0.CR1",    "1.0.0.GA",      "1.0-SNAPSHOT",
      "1.0",           "2.12.7.1",         "31.1-android", "31.1-jre",      "1.2.3-beta-1",
      "1.2.3.beta2",   "9.4.50.v20221201", "1.0.0-alpha",  "1.0.0.alpha1",  "3.0.0-sp1",
      "4.1.100.Final", "2.17.1",           "1.2.3.4.5"};
  std::vector<std::string> pool = real;
  for (int i = 0; i < 900; ++i) pool.push_back(random_maven(rng));
  std::vector<Pair> pairs;
  for (size_t i = 0; i < real.size(); ++i) {
    for (size_t j = 0; j < real.size(); ++j) pairs.emplace_back(real[i], real[j]);
  }
  for (int i = 0; i < 4000; ++i) {
    const std::string& a = pool[rng() % pool.size()];
    pairs.emplace_back(a, rng() % 4 == 0 ? a : pool[rng() % pool.size()]);
  }
  auto want = testing::run_oracle(oracle, pairs);
  ASSERT_TRUE(want.has_value()) << "oracle failed: " << oracle;
  int disagreements = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [a, b] = pairs[i];
    auto got = compare_versions(*s, a, b);
    ASSERT_TRUE(got.ok()) << a << " / " << b;
    std::string g = testing::sign_name(*got);
    if (g != (*want)[i] && disagreements++ < 20) {
      ADD_FAILURE() << "'" << a << "' vs '" << b << "': Maven " << (*want)[i] << ", we " << g;
    }
  }
  std::printf("maven differential: %zu pairs, %d disagreements\n", pairs.size(), disagreements);
  EXPECT_EQ(disagreements, 0);
}

}  // namespace
}  // namespace hivesec::versions
