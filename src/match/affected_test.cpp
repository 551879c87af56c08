#include "match/affected.h"

#include <gtest/gtest.h>

#include "versions/scheme.h"

namespace hivesec::match {
namespace {

using vulndb::EventKind;

class AffectedTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(versions::register_builtin_schemes(schemes_).ok()); }
  const versions::Scheme& scheme(std::string_view n) { return *schemes_.find(n); }

  static vulndb::Affected entry(std::string type,
                                std::vector<std::pair<EventKind, std::string>> events) {
    vulndb::Affected a;
    vulndb::Range r;
    r.type = std::move(type);
    for (auto& [k, v] : events) r.events.push_back({k, v});
    a.ranges.push_back(std::move(r));
    return a;
  }
  AffectedResult eval(const vulndb::Affected& a, std::string_view v,
                      std::string_view scheme_name = "semver") {
    return evaluate_affected(a, v, scheme(scheme_name), scheme("semver"));
  }

  versions::SchemeRegistry schemes_;
};

TEST_F(AffectedTest, IntroducedFixedIsHalfOpen) {
  auto a = entry("ECOSYSTEM", {{EventKind::kIntroduced, "1.0.0"}, {EventKind::kFixed, "1.2.0"}});
  EXPECT_FALSE(eval(a, "0.9.9").affected);
  EXPECT_TRUE(eval(a, "1.0.0").affected);
  EXPECT_TRUE(eval(a, "1.1.9").affected);
  EXPECT_FALSE(eval(a, "1.2.0").affected);
  EXPECT_FALSE(eval(a, "2.0.0").affected);
  EXPECT_EQ(eval(a, "1.1.0").fixed, std::vector<std::string>{"1.2.0"});
  EXPECT_FALSE(eval(a, "1.1.0").unfixed_range);
}

TEST_F(AffectedTest, ZeroMeansFromTheFirstVersion) {
  auto a = entry("ECOSYSTEM", {{EventKind::kIntroduced, "0"}, {EventKind::kFixed, "4.17.21"}});
  EXPECT_TRUE(eval(a, "0.0.1").affected);
  EXPECT_TRUE(eval(a, "4.17.20").affected);
  EXPECT_FALSE(eval(a, "4.17.21").affected);
}

TEST_F(AffectedTest, LastAffectedIsInclusiveAndHasNoFix) {
  auto a = entry("ECOSYSTEM",
                 {{EventKind::kIntroduced, "0"}, {EventKind::kLastAffected, "4.5.1"}});
  auto r = eval(a, "4.5.1");
  EXPECT_TRUE(r.affected);
  EXPECT_TRUE(r.fixed.empty());
  EXPECT_TRUE(r.unfixed_range);
  EXPECT_FALSE(eval(a, "4.5.2").affected);
}

TEST_F(AffectedTest, SeveralIntervalsInOneRangeInAnyOrder) {
  // Go's shape: two release branches fixed separately; events deliberately unsorted.
  auto a = entry("SEMVER", {{EventKind::kIntroduced, "1.20.0-0"},
                            {EventKind::kFixed, "1.20.5"},
                            {EventKind::kIntroduced, "0"},
                            {EventKind::kFixed, "1.19.10"}});
  auto r = eval(a, "1.19.8", "go");
  EXPECT_TRUE(r.affected);
  EXPECT_EQ(r.fixed, std::vector<std::string>{"1.19.10"});
  EXPECT_FALSE(eval(a, "1.19.10", "go").affected);
  EXPECT_TRUE(eval(a, "1.20.0", "go").affected);
  EXPECT_EQ(eval(a, "1.20.1", "go").fixed, std::vector<std::string>{"1.20.5"});
  EXPECT_FALSE(eval(a, "1.20.5", "go").affected);
  EXPECT_FALSE(eval(a, "1.21.0", "go").affected);
}

TEST_F(AffectedTest, LimitCapsTheRange) {
  auto a = entry("ECOSYSTEM", {{EventKind::kIntroduced, "2.0.0"}, {EventKind::kLimit, "3.0.0"}});
  EXPECT_TRUE(eval(a, "2.5.0").affected);
  EXPECT_FALSE(eval(a, "3.0.0").affected);
  EXPECT_FALSE(eval(a, "3.1.0").affected);
}

TEST_F(AffectedTest, EmptyIntervalAtOneVersion) {
  auto a = entry("ECOSYSTEM", {{EventKind::kIntroduced, "1.0.0"}, {EventKind::kFixed, "1.0.0"}});
  EXPECT_FALSE(eval(a, "1.0.0").affected);
}

TEST_F(AffectedTest, VersionsListUsesSchemeEquality) {
  vulndb::Affected a;
  a.versions = {"1.0", "2.0.0"};
  EXPECT_TRUE(eval(a, "1.0", "pep440").affected);
  EXPECT_TRUE(eval(a, "1.0.0", "pep440").affected);  // PEP 440: 1.0 == 1.0.0
  EXPECT_TRUE(eval(a, "1.0", "pep440").unfixed_range);
  EXPECT_FALSE(eval(a, "1.0.1", "pep440").affected);
}

TEST_F(AffectedTest, DebianOrderingNotStringOrdering) {
  auto a = entry("ECOSYSTEM",
                 {{EventKind::kIntroduced, "0"}, {EventKind::kFixed, "1.1.1n-0+deb11u4"}});
  EXPECT_TRUE(eval(a, "1.1.1n-0+deb11u3", "dpkg").affected);
  EXPECT_TRUE(eval(a, "1.1.1k-1+deb11u1", "dpkg").affected);
  EXPECT_FALSE(eval(a, "1.1.1n-0+deb11u4", "dpkg").affected);
  EXPECT_FALSE(eval(a, "1.1.1w-0+deb11u1", "dpkg").affected);
  EXPECT_TRUE(eval(a, "1.1.1n-0+deb11u4~bpo1", "dpkg").affected);  // tilde sorts before
}

TEST_F(AffectedTest, GitRangesAreSkippedAndCounted) {
  auto a = entry("GIT", {{EventKind::kIntroduced, "0"}, {EventKind::kFixed, "abcdef"}});
  auto r = eval(a, "1.0.0");
  EXPECT_FALSE(r.affected);
  EXPECT_EQ(r.git_ranges_skipped, 1);
}

TEST_F(AffectedTest, InvalidEventVersionSkipsTheRangeWithAReason) {
  auto a = entry("ECOSYSTEM", {{EventKind::kIntroduced, "0"}, {EventKind::kFixed, "not a ver"}});
  auto r = eval(a, "1.0.0");
  EXPECT_FALSE(r.affected);
  EXPECT_EQ(r.invalid_ranges, 1);
  EXPECT_NE(r.invalid_reason.find("not a ver"), std::string::npos);
}

}  // namespace
}  // namespace hivesec::match
