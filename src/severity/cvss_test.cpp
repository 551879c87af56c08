// CVSS calculators: published example vectors with their documented scores, the spec data of
// v4.0, rounding edge cases, every kind of invalid vector, properties over all v3.1 base vectors
// and all v4.0 base vectors, and the real advisories of shared/vulndata.
//
// Where the expected scores come from: FIRST's "CVSS v3.0/v3.1 Examples" documents (named CVEs)
// and the scores FIRST's v3.0/v3.1 calculators give; FIRST's CVSS v2 guide (section 3.3) and
// NVD's v2 scores; FIRST's "CVSS v4.0 Examples" page and the scores of FIRST's v4.0 reference
// calculator (RedHatProductSecurity/cvss-v4-calculator), as published with it and with other
// implementations tested against it.
//
// python3 has no `cvss` module on this machine, so there is no differential test against it.
#include "severity/cvss.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "severity/cvss_internal.h"

namespace hivesec::severity {
namespace {

using model::Severity;

struct Example {
  const char* vector;
  double score;
  const char* what;
};

void expect_scores(std::span<const Example> examples, std::string_view version) {
  for (const Example& e : examples) {
    auto r = score_cvss(e.vector);
    ASSERT_TRUE(r.ok()) << e.vector << ": " << r.error().message;
    EXPECT_EQ(r->version, version) << e.vector;
    EXPECT_DOUBLE_EQ(r->base_score, e.score) << e.what << ": " << e.vector;
    EXPECT_EQ(r->severity, rating_for(version, e.score)) << e.vector;
  }
}

// --- v3.1 and v3.0 ---

// FIRST, "CVSS v3.1 Examples" (the base vectors are the same in the v3.0 document).
constexpr Example kV31Examples[] = {
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "CVE-2013-1937 phpMyAdmin XSS"},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, "CVE-2013-0375 MySQL SQL injection"},
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1, "CVE-2014-3566 SSLv3 POODLE"},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, "CVE-2012-1516 VMware guest escape"},
    {"CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2, "CVE-2009-0783 Tomcat XML parser"},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8, "CVE-2012-0384 Cisco IOS"},
    {"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8, "CVE-2015-1098 Apple iWork"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, "CVE-2014-0160 Heartbleed"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CVE-2014-6271 Shellshock"},
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8, "CVE-2008-1447 DNS poisoning"},
    {"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8, "CVE-2014-2005 Sophos bypass"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8, "CVE-2010-0467 Joomla traversal"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N", 5.8, "CVE-2012-1342 Cisco ACL bypass"},
    {"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 9.3, "CVE-2013-6014 Juniper proxy ARP"},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4, "CVE-2014-9253 DokuWiki XSS"},
    {"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8, "CVE-2011-1265 Windows Bluetooth"},
    {"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 4.6, "CVE-2014-2019 iOS lock bypass"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8, "CVE-2015-0970 SearchBlox CSRF"},
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", 7.4, "CVE-2014-0224 OpenSSL CCS"},
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9, "CVE-2016-0800 DROWN"},
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:L", 3.7, "CVE-2004-0230 TCP reset"},
    {"CVSS:3.1/AV:A/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:H", 8.2, "S:C, all impacts"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6, "S:C with user interaction"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "maximum"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, "no impact"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N", 0.0, "no impact, scope changed"},
};

TEST(CvssV31, PublishedExamples) { expect_scores(kV31Examples, "3.1"); }

TEST(CvssV30, PublishedExamples) {
  // The v3.0 Examples document scores the same base vectors the same way.
  for (const Example& e : kV31Examples) {
    std::string v30 = e.vector;
    v30.replace(0, 9, "CVSS:3.0/");
    const Example as30[] = {{v30.c_str(), e.score, e.what}};
    expect_scores(as30, "3.0");
  }
}

TEST(CvssV3, TemporalAndEnvironmentalMetricsLeaveTheBaseScore) {
  const Example examples[] = {
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U", 9.8, "temporal"},
      {"CVSS:3.0/AV:L/AC:L/PR:H/UI:R/S:U/C:H/I:N/A:H/E:H/RL:W/RC:U/CR:H/IR:H/AR:M/MAV:L/MAC:L/"
       "MPR:H/MUI:N/MS:C/MC:N/MI:H/MA:L",
       5.8, "all metrics"},
      {"CVSS:3.1/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X", 3.8, "any order"},
  };
  for (const Example& e : examples) {
    auto r = score_cvss(e.vector);
    ASSERT_TRUE(r.ok()) << e.vector << ": " << r.error().message;
    EXPECT_DOUBLE_EQ(r->base_score, e.score) << e.what;
  }
  // Reversed order with explicit Not Defined metrics scores as the canonical order.
  auto reversed = score_cvss("CVSS:3.1/A:L/I:L/C:N/S:C/AV:N/UI:N/PR:L/AC:H/CR:X/MS:X");
  auto canonical = score_cvss("CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:C/C:N/I:L/A:L");
  ASSERT_TRUE(reversed.ok() && canonical.ok());
  EXPECT_DOUBLE_EQ(reversed->base_score, canonical->base_score);
}

TEST(CvssV3, TemporalAndEnvironmentalScores) {
  // FIRST's v3.0 calculator (the cvsslib and calculator test vectors).
  struct Case {
    const char* body;
    int minor;
    double base, temporal, environmental;
  };
  const Case cases[] = {
      {"AV:L/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N/MAV:A/MAC:L/MPR:N/MUI:N/MS:U/MC:N/MI:N/MA:N", 0, 4.6,
       4.6, 0.0},
      {"AV:L/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N/MAV:A/MAC:L/MPR:N/MUI:N/MS:U/MC:L/MI:N/MA:N", 0, 4.6,
       4.6, 4.3},
      {"AV:L/AC:L/PR:H/UI:R/S:U/C:H/I:N/A:H/E:H/RL:W/RC:U/CR:H/IR:H/AR:M/MAV:L/MAC:L/MPR:H/MUI:N/"
       "MS:C/MC:N/MI:H/MA:L",
       0, 5.8, 5.2, 7.4},
      {"AV:L/AC:L/PR:H/UI:R/S:U/C:H/I:N/A:H/MPR:N", 0, 5.8, 5.8, 7.1},
      {"AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:L/E:U/RL:U/RC:R/CR:M/MPR:L/MUI:R/MI:N/MA:H", 0, 7.7, 6.8,
       6.3},
      {"AV:L/AC:H/PR:H/UI:N/S:C/C:N/I:H/A:N/E:P/RL:U/RC:U/CR:H/IR:L/AR:H/MAV:L/MUI:R/MS:C/MC:N/"
       "MI:L/MA:N",
       0, 5.3, 4.6, 1.3},
      {"AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:N/E:H/RL:O/RC:C/CR:H/IR:H/AR:H/MAV:N/MAC:L/MPR:L/MUI:N/"
       "MS:C/MC:H/MI:H/MA:H",
       0, 9.3, 8.9, 9.5},
      {"S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X", 0, 3.8, 3.7, 3.7},
      // v3.1 (FIRST's v3.1 calculator): the modified-impact change shows even with no
      // environmental metric, when the scope is changed and the impact high.
      {"AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 1, 9.9, 9.9, 10.0},
      {"AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:H", 1, 9.0, 9.0, 9.1},
      {"AV:N/AC:L/PR:H/UI:N/S:C/C:L/I:L/A:L", 1, 6.6, 6.6, 6.6},
  };
  for (const Case& c : cases) {
    auto r = detail::score_v3(c.body, c.minor);
    ASSERT_TRUE(r.ok()) << c.body;
    EXPECT_DOUBLE_EQ(r->base, c.base) << c.body;
    EXPECT_DOUBLE_EQ(r->temporal, c.temporal) << c.body;
    EXPECT_DOUBLE_EQ(r->environmental, c.environmental) << c.body;
  }
}

TEST(CvssV3, ThreeZeroAndThreeOneDiffer) {
  // Roundup: 10.0 * 0.92 is 9.200000000000001 in binary; v3.0's ceil makes that 9.3, v3.1's
  // Roundup keeps 9.2.
  const char* temporal = "AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/RC:U";
  EXPECT_DOUBLE_EQ(detail::score_v3(temporal, 0)->temporal, 9.3);
  EXPECT_DOUBLE_EQ(detail::score_v3(temporal, 1)->temporal, 9.2);
  // Scope-changed modified impact: (MISS - 0.02)^15 in v3.0, (MISS * 0.9731 - 0.02)^13 in v3.1.
  const char* changed = "AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H";
  EXPECT_DOUBLE_EQ(detail::score_v3(changed, 0)->environmental, 9.6);
  EXPECT_DOUBLE_EQ(detail::score_v3(changed, 1)->environmental, 9.7);
  // The base equations are the same.
  EXPECT_DOUBLE_EQ(detail::score_v3(changed, 0)->base, 9.6);
  EXPECT_DOUBLE_EQ(detail::score_v3(changed, 1)->base, 9.6);
}

TEST(CvssV3, RoundupEdgeCases) {
  struct Case {
    double in, v31, v30;
  };
  const Case cases[] = {
      {4.0, 4.0, 4.0},
      {4.02, 4.1, 4.1},                // the spec's own example
      {4.000000000000001, 4.0, 4.1},   // floating error above an exact tenth
      {2.0000000000000004, 2.0, 2.1},  // ditto
      {9.200000000000001, 9.2, 9.3},   // 10 * 0.92
      {4.000001, 4.0, 4.1},            // within 1e-5 of a tenth: v3.1 treats it as the tenth
      {4.00001, 4.1, 4.1},
      {6.999999999999999, 7.0, 7.0},
      {9.99999, 10.0, 10.0},
      {0.0, 0.0, 0.0},
      {10.0, 10.0, 10.0},
  };
  for (const Case& c : cases) {
    EXPECT_DOUBLE_EQ(detail::roundup_v31(c.in), c.v31) << std::hexfloat << c.in;
    EXPECT_DOUBLE_EQ(detail::roundup_v30(c.in), c.v30) << std::hexfloat << c.in;
  }
}

TEST(CvssV31, AllBaseVectorsInRangeAndMonotonicInImpact) {
  // Metric values by index: exploitability metrics easiest first, impacts ascending (N, L, H).
  constexpr std::string_view kValues[8] = {"NALP", "LH", "NLH", "NR", "UC", "NLH", "NLH", "NLH"};
  constexpr int kCount[8] = {4, 2, 3, 2, 2, 3, 3, 3};
  std::map<std::array<int, 8>, double> scores;
  std::array<int, 8> m{};
  std::function<void(int)> enumerate = [&](int depth) {
    if (depth == 8) {
      const std::string v =
          fmt::format("CVSS:3.1/AV:{}/AC:{}/PR:{}/UI:{}/S:{}/C:{}/I:{}/A:{}", kValues[0][m[0]],
                      kValues[1][m[1]], kValues[2][m[2]], kValues[3][m[3]], kValues[4][m[4]],
                      kValues[5][m[5]], kValues[6][m[6]], kValues[7][m[7]]);
      auto r = score_cvss(v);
      ASSERT_TRUE(r.ok()) << v;
      scores[m] = r->base_score;
      return;
    }
    for (m[depth] = 0; m[depth] < kCount[depth]; ++m[depth]) enumerate(depth + 1);
  };
  enumerate(0);
  ASSERT_EQ(scores.size(), 2592u);

  for (const auto& [metrics, s] : scores) {
    ASSERT_GE(s, 0.0);
    ASSERT_LE(s, 10.0);
    EXPECT_NEAR(s * 10, std::round(s * 10), 1e-9);
    EXPECT_EQ(s == 0.0, metrics[5] == 0 && metrics[6] == 0 && metrics[7] == 0);
    // Raising one impact (C, I or A) never lowers the score; nor does an easier attack.
    for (int i : {5, 6, 7}) {
      if (metrics[i] + 1 == kCount[i]) continue;
      auto higher = metrics;
      ++higher[i];
      EXPECT_LE(s, scores[higher]) << "impact metric " << i;
    }
    for (int i : {0, 1, 2, 3}) {
      if (metrics[i] == 0) continue;
      auto easier = metrics;
      --easier[i];
      EXPECT_LE(s, scores[easier]) << "exploitability metric " << i;
    }
  }
}

// --- v2 ---

TEST(CvssV2, PublishedExamples) {
  const Example examples[] = {
      // FIRST's CVSS v2 guide, section 3.3.
      {"AV:N/AC:L/Au:N/C:N/I:N/A:C", 7.8, "CVE-2002-0392 Apache chunked encoding"},
      {"AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0, "CVE-2003-0818 Microsoft ASN.1"},
      {"AV:L/AC:H/Au:N/C:C/I:C/A:C", 6.2, "CVE-2003-0062 NOD32"},
      // NVD v2 base scores.
      {"AV:N/AC:L/Au:N/C:P/I:N/A:N", 5.0, "CVE-2014-0160 Heartbleed"},
      {"AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, "typical remote"},
      {"AV:N/AC:M/Au:N/C:P/I:P/A:P", 6.8, "medium complexity"},
      {"AV:N/AC:M/Au:N/C:N/I:P/A:N", 4.3, "XSS"},
      {"AV:N/AC:L/Au:S/C:P/I:P/A:N", 5.5, "authenticated"},
      {"AV:N/AC:L/Au:S/C:C/I:C/A:C", 9.0, "authenticated, complete"},
      {"AV:N/AC:M/Au:S/C:C/I:C/A:C", 8.5, ""},
      {"AV:L/AC:L/Au:N/C:P/I:P/A:P", 4.6, "local"},
      {"AV:L/AC:M/Au:N/C:C/I:C/A:C", 6.9, "local, complete"},
      {"AV:A/AC:L/Au:N/C:N/I:C/A:N", 6.1, "adjacent"},
      {"AV:A/AC:M/Au:S/C:C/I:P/A:C", 7.0, "adjacent, mixed"},
      {"AV:L/AC:L/Au:N/C:N/I:C/A:N", 4.9, ""},
      {"(AV:N/AC:M/Au:N/C:C/I:C/A:C)", 9.3, "in parentheses"},
      {"AV:N/AC:L/Au:N/C:N/I:N/A:N", 0.0, "no impact"},
      {"AV:L/AC:M/Au:S/C:N/I:P/A:C/E:U/RL:OF/RC:UR/CDP:N/TD:L/CR:H/IR:H/AR:H", 5.0,
       "with temporal and environmental metrics"},
      {"AV:N/AC:M/Au:M/C:C/I:N/A:P/RL:W/RC:UC/CDP:LM/TD:M/CR:L/IR:L/AR:L", 6.4, "ditto"},
      {"AV:L/AC:L/Au:S/C:P/I:P/A:P/E:U/RC:C/CDP:LM/TD:L/IR:H/AR:M", 4.3, "ditto, some omitted"},
  };
  expect_scores(examples, "2.0");
}

// --- v4.0 ---

// Scores of FIRST's CVSS v4.0 reference calculator.
constexpr Example kV4Examples[] = {
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0, "maximum"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, "vulnerable only"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:H/SA:H", 7.9, "subsequent only"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0, "no impact"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 6.9, "all low"},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 1.0, "near minimum"},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:P/VC:N/VI:H/VA:H/SC:N/SI:L/SA:L", 5.2, ""},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 7.3, "hardest attack"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L", 9.2, ""},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:H/SI:N/SA:L", 7.8, ""},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:L/VI:N/VA:N/SC:L/SI:N/SA:L", 5.3, ""},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.6, ""},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:N/SC:H/SI:L/SA:L", 6.4, ""},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:A/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H", 9.3, ""},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:P/VC:L/VI:L/VA:N/SC:L/SI:N/SA:N", 4.8, ""},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H", 9.5, ""},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N", 2.1, ""},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:L/VA:L/SC:L/SI:N/SA:N", 1.8, ""},
    {"CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:L/SI:H/SA:L", 9.4, ""},
    {"CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:A/VC:N/VI:L/VA:L/SC:H/SI:H/SA:L", 5.0, ""},
    {"CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N", 4.0, ""},
    {"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:N/VI:L/VA:N/SC:L/SI:H/SA:L", 7.0, ""},
    // Threat metrics.
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U", 9.1, "E:U"},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A", 7.3, "E:A"},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P", 5.9, "E:P"},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U", 4.1, "E:U"},
    // Environmental metrics.
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N/E:A/MAV:A", 8.7, "MAV"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/MVI:L/MSA:S", 9.8, "MSA:S"},
    {"CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:N/VC:N/VI:N/VA:H/SC:H/SI:H/SA:H/CR:L/IR:L/AR:L", 5.8,
     "security requirements"},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:M/AR:L", 7.1, ""},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:M/IR:M/AR:M", 5.5, ""},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:L/IR:L/AR:L", 5.4, ""},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/CR:H/IR:H/AR:H", 0.0,
     "no impact stays 0"},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:P/VC:N/VI:H/VA:H/SC:N/SI:L/SA:L/E:P/CR:H/IR:M/AR:H/MAV:A/"
     "MAT:P/MPR:N/MVI:H/MVA:N/MSI:H/MSA:N/S:N/V:C/U:Amber",
     4.7, "threat, environmental and supplemental"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P/CR:L/IR:H/AR:L/MAV:L/"
     "MAC:H/MAT:N/MPR:N/MUI:N/MVC:N/MVI:H/MVA:L/MSC:N/MSI:S/MSA:L",
     7.0, "every environmental metric"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/MAV:A/MAC:H/MAT:N/MPR:L/"
     "MUI:N/MVC:L/MVI:H/MVA:H/MSC:L/MSI:S/MSA:S/CR:L/IR:H/AR:H/E:P",
     7.4, "any order, MSI:S and MSA:S"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:L/E:U/MVA:H/MSA:N", 6.6, ""},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/MUI:A", 5.7, "MUI"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:L/SI:L/SA:L/MSI:N/MSA:N", 6.9, ""},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:L/SC:H/SI:H/SA:H/E:P/CR:H/IR:H/AR:H/MSI:S",
     7.4, ""},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:H/SC:L/SI:L/SA:L/E:U/CR:M/IR:M/AR:M", 4.7, ""},
};

TEST(CvssV4, ReferenceCalculatorScores) { expect_scores(kV4Examples, "4.0"); }

// FIRST, "CVSS v4.0 Examples": every vector the page prints a score for.
constexpr Example kV4FirstExamples[] = {
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 7.7, "B"},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", 5.2, "BT"},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N", 8.3, "B"},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N/CR:H/IR:L/AR:L/MAV:N/MAC:H/"
     "MVC:H/MVI:L/MVA:L",
     8.1, "BE"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:L", 8.7, "B"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:L/E:U", 6.6, "BT"},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N", 8.3, "B"},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/E:U", 5.6, "BT"},
    {"CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/S:P", 8.6, "safety"},
    {"CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/MSI:S/S:P", 9.7, "MSI:S"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/V:C", 8.7, "supplemental"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:N/VI:N/VA:N/SC:H/SI:L/SA:H", 6.4, "B"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:N/VI:N/VA:N/SC:H/SI:L/SA:H/E:U/MAV:A/R:U/V:C", 2.4,
     "BTE"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0, "B"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A/CR:H/IR:H/AR:H/MAV:L/"
     "MAT:P",
     8.9, "BTE"},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.5, "B"},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/MVC:N/MVI:N/MVA:N", 0.0,
     "environment removes every impact"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N", 7.1, "B"},
};

TEST(CvssV4, FirstExamplesPage) { expect_scores(kV4FirstExamples, "4.0"); }

TEST(CvssV4, SupplementalMetricsAndOrderDoNotChangeTheScore) {
  auto base = score_cvss("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
  ASSERT_TRUE(base.ok());
  for (const char* v : {
           "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:P/AU:Y/R:I/V:C/"
           "RE:H/U:Red",
           // Interleaved impacts, as some advisories publish them.
           "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N",
           // Not Defined written out.
           "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/CR:X/MAV:X/U:X",
       }) {
    auto r = score_cvss(v);
    ASSERT_TRUE(r.ok()) << v << ": " << r.error().message;
    EXPECT_DOUBLE_EQ(r->base_score, base->base_score) << v;
  }
}

TEST(CvssV4, Macrovectors) {
  struct Case {
    const char* body;
    const char* eqs;
  };
  const Case cases[] = {
      {"AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", "000100"},
      {"AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/MSI:S", "000000"},
      {"AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N/E:U", "212221"},
      {"AV:A/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:N/SC:L/SI:N/SA:N/E:P/IR:L", "101211"},
      {"AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N/CR:M", "101201"},
      {"AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N/MAV:P/MPR:N", "201200"},
  };
  for (const Case& c : cases) {
    auto mv = detail::macrovector_v4(c.body);
    ASSERT_TRUE(mv.ok()) << c.body;
    EXPECT_EQ(std::string(mv->begin(), mv->end()), c.eqs) << c.body;
  }
}

TEST(CvssV4, SpecificationTable) {
  EXPECT_EQ(detail::cvss4_macrovector_count(), 270);
  int present = 0;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 2; ++b)
      for (int c = 0; c < 3; ++c)
        for (int d = 0; d < 3; ++d)
          for (int e = 0; e < 3; ++e)
            for (int f = 0; f < 2; ++f) {
              const double s = detail::cvss4_macrovector_score(a, b, c, d, e, f);
              EXPECT_EQ(s >= 0, !(c == 2 && f == 0)) << a << b << c << d << e << f;
              if (s < 0) continue;
              ++present;
              EXPECT_GT(s, 0.0);
              EXPECT_LE(s, 10.0);
              EXPECT_NEAR(s * 10, std::round(s * 10), 1e-9);
            }
  EXPECT_EQ(present, 270);
  // A sample checked against two independent transcriptions of the specification's table.
  EXPECT_DOUBLE_EQ(detail::cvss4_macrovector_score(0, 0, 0, 0, 0, 0), 10.0);
  EXPECT_DOUBLE_EQ(detail::cvss4_macrovector_score(0, 0, 0, 1, 2, 1), 8.1);
  EXPECT_DOUBLE_EQ(detail::cvss4_macrovector_score(0, 1, 2, 2, 0, 1), 6.3);
  EXPECT_DOUBLE_EQ(detail::cvss4_macrovector_score(1, 1, 1, 1, 1, 1), 5.7);
  EXPECT_DOUBLE_EQ(detail::cvss4_macrovector_score(2, 0, 1, 1, 1, 1), 4.1);
  EXPECT_DOUBLE_EQ(detail::cvss4_macrovector_score(2, 1, 2, 2, 2, 1), 0.1);
  EXPECT_LT(detail::cvss4_macrovector_score(3, 0, 0, 0, 0, 0), 0);
  EXPECT_LT(detail::cvss4_macrovector_score(0, 0, 2, 0, 0, 0), 0);
}

// Severity level of a value as the specification orders them (0 = most severe); the letters of
// `order` are levels 0, 1, 2, ...; ' ' skips a level.
int level(std::string_view order, char v) { return static_cast<int>(order.find(v)); }

char value_of(std::string_view max, std::string_view metric) {
  const std::size_t at = max.find(std::string(metric) + ":");
  return at == std::string_view::npos ? '?' : max[at + metric.size() + 1];
}

// Every vector is at or below some highest-severity vector of its own EQ level, for every EQ
// and every value combination (the scoring needs one to measure its distance from).
TEST(CvssV4, EveryLevelHasAHighestVectorAboveEachVector) {
  auto dominated =
      [](std::span<const std::string_view> maxes,
         std::initializer_list<std::tuple<std::string_view, std::string_view, char>> metrics) {
        for (std::string_view max : maxes) {
          bool ok = true;
          for (auto [name, order, v] : metrics) {
            if (level(order, v) < level(order, value_of(max, name))) ok = false;
          }
          if (ok) return true;
        }
        return false;
      };
  for (char av : std::string_view("NALP"))
    for (char pr : std::string_view("NLH"))
      for (char ui : std::string_view("NPA")) {
        const int eq1 = (av == 'N' && pr == 'N' && ui == 'N')                  ? 0
                        : ((av == 'N' || pr == 'N' || ui == 'N') && av != 'P') ? 1
                                                                               : 2;
        EXPECT_TRUE(dominated(detail::cvss4_max_vectors_eq1(eq1),
                              {{"AV", "NALP", av}, {"PR", "NLH", pr}, {"UI", "NPA", ui}}))
            << av << pr << ui;
      }
  for (char ac : std::string_view("LH"))
    for (char at : std::string_view("NP")) {
      const int eq2 = (ac == 'L' && at == 'N') ? 0 : 1;
      EXPECT_TRUE(
          dominated(detail::cvss4_max_vectors_eq2(eq2), {{"AC", "LH", ac}, {"AT", "NP", at}}));
    }
  const std::string_view hln = "HLN", hml = "HML";
  for (char vc : hln)
    for (char vi : hln)
      for (char va : hln)
        for (char cr : hml)
          for (char ir : hml)
            for (char ar : hml) {
              const int eq3 = (vc == 'H' && vi == 'H')                ? 0
                              : (vc == 'H' || vi == 'H' || va == 'H') ? 1
                                                                      : 2;
              const int eq6 =
                  ((cr == 'H' && vc == 'H') || (ir == 'H' && vi == 'H') || (ar == 'H' && va == 'H'))
                      ? 0
                      : 1;
              EXPECT_TRUE(dominated(detail::cvss4_max_vectors_eq3eq6(eq3, eq6), {{"VC", hln, vc},
                                                                                 {"VI", hln, vi},
                                                                                 {"VA", hln, va},
                                                                                 {"CR", hml, cr},
                                                                                 {"IR", hml, ir},
                                                                                 {"AR", hml, ar}}))
                  << vc << vi << va << cr << ir << ar;
            }
  for (char sc : hln)
    for (char si : std::string_view("SHLN"))
      for (char sa : std::string_view("SHLN")) {
        const int eq4 = (si == 'S' || sa == 'S')                ? 0
                        : (sc == 'H' || si == 'H' || sa == 'H') ? 1
                                                                : 2;
        EXPECT_TRUE(dominated(detail::cvss4_max_vectors_eq4(eq4),
                              {{"SC", " HLN", sc}, {"SI", "SHLN", si}, {"SA", "SHLN", sa}}))
            << sc << si << sa;
      }
}

TEST(CvssV4, AllBaseVectorsInRangeAndMultiplesOfATenth) {
  const std::string_view av = "NALP", ac = "LH", at = "NP", pr = "NLH", ui = "NPA", cia = "HLN";
  int scored = 0, zero = 0, ten = 0;
  std::string v;
  for (char a : av)
    for (char b : ac)
      for (char c : at)
        for (char d : pr)
          for (char e : ui)
            for (int impacts = 0; impacts < 729; ++impacts) {
              char i[6];
              for (int k = 0, n = impacts; k < 6; ++k, n /= 3) i[k] = cia[n % 3];
              v = fmt::format(
                  "CVSS:4.0/AV:{}/AC:{}/AT:{}/PR:{}/UI:{}/VC:{}/VI:{}/VA:{}/SC:{}/"
                  "SI:{}/SA:{}",
                  a, b, c, d, e, i[0], i[1], i[2], i[3], i[4], i[5]);
              auto r = score_cvss(v);
              ASSERT_TRUE(r.ok()) << v << ": " << r.error().message;
              const double s = r->base_score;
              ASSERT_GE(s, 0.0) << v;
              ASSERT_LE(s, 10.0) << v;
              ASSERT_NEAR(s * 10, std::round(s * 10), 1e-9) << v;
              const bool no_impact = impacts == 728;  // all N
              ASSERT_EQ(s == 0.0, no_impact) << v;
              zero += s == 0.0;
              ten += s == 10.0;
              ++scored;
            }
  EXPECT_EQ(scored, 4 * 2 * 2 * 3 * 3 * 729);
  EXPECT_EQ(zero, 144);  // one no-impact vector per exploitability combination
  EXPECT_GT(ten, 0);
}

// --- invalid vectors ---

TEST(Cvss, RejectsInvalidVectors) {
  struct Case {
    std::string vector;
    const char* reason_has;
  };
  const Case cases[] = {
      {"", "empty"},
      {"   \t", "empty"},
      {"hello", "hello"},
      {"CVSS:3.1", "unsupported CVSS version 'CVSS:3.1'"},  // no '/' after the label
      {"CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.2"},
      {"CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", "CVSS:2.0"},
      {"cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "cvss"},
      {"CVSS:3.1/", "AV"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "missing base metric A"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H", "missing base metric S"},
      {"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Q", "metric E has invalid value 'Q'"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:N", "metric AV appears more than once"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/Au:N", "unknown metric 'Au'"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AT:N", "unknown metric 'AT'"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/ui:N/S:U/C:H/I:H/A:H", "unknown metric 'ui'"},
      {"CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "metric AV has invalid value 'n'"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "trailing"},
      {"CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "empty metric component"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A", "malformed component 'A'"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H:H", "metric A has invalid value 'H:H'"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H /E:X", "metric A has invalid value"},
      {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MPR:U", "MPR"},
      {"AV:N/AC:L/Au:N/C:P/I:P", "missing base metric A"},
      {"AV:N/AC:L/Au:N/C:P/I:P/A:P/E:X", "metric E has invalid value 'X'"},  // v2 says ND
      {"AV:N/AC:L/PR:N/C:P/I:P/A:P", "unknown metric 'PR'"},
      {"(AV:N/AC:L/Au:N/C:P/I:P/A:P", "unbalanced parentheses"},
      {"AV:N/AC:L/Au:N/C:P/I:P/A:P)", "unbalanced parentheses"},
      {"()", "missing base metric AV"},
      {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/SC:N/SI:N/SA:N", "missing base metric VA"},
      {"CVSS:4.0/AV:F/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N", "metric AV"},
      {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/E:A/E:X",
       "metric E appears more than once"},
      {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:S/SA:N", "metric SI"},  // MSI only
      {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSC:S", "metric MSC"},
      {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/U:red", "metric U"},
      {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/S:C", "metric S"},
      {"CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "metric S has invalid value 'U'"},
      {std::string("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n/E:X"), "metric A"},
      {std::string("CVSS:3.1/AV:N\0/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 46), "metric AV"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/" + std::string(2000, 'x'), "longer than"},
  };
  for (const Case& c : cases) {
    const std::string& vector = c.vector;
    const std::string want = c.reason_has;
    auto r = score_cvss(vector);
    ASSERT_FALSE(r.ok()) << vector;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument) << vector;
    const std::string& msg = r.error().message;
    EXPECT_NE(msg.find(want), std::string::npos) << vector << " -> " << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_LT(msg.size(), 200u) << msg;
  }
}

TEST(Cvss, AcceptsSurroundingWhitespaceAndLimitEdge) {
  auto r = score_cvss("  CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_DOUBLE_EQ(r->base_score, 9.8);
  EXPECT_EQ(r->severity, Severity::kCritical);

  // Exactly the limit is accepted (padding with whitespace, which is then trimmed).
  std::string padded = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  padded.resize(kMaxCvssVectorBytes, ' ');
  EXPECT_TRUE(score_cvss(padded).ok());
  padded.push_back(' ');
  EXPECT_FALSE(score_cvss(padded).ok());
}

// --- ratings ---

TEST(Cvss, RatingScales) {
  struct Case {
    const char* version;
    double score;
    Severity want;
  };
  const Case cases[] = {
      {"3.1", 0.0, Severity::kUnknown},
      {"3.1", 0.1, Severity::kLow},
      {"3.1", 3.9, Severity::kLow},
      {"3.1", 3.95, Severity::kLow},
      {"3.1", 4.0, Severity::kMedium},
      {"3.1", 6.9, Severity::kMedium},
      {"3.1", 7.0, Severity::kHigh},
      {"3.1", 8.9, Severity::kHigh},
      {"3.1", 9.0, Severity::kCritical},
      {"3.1", 10.0, Severity::kCritical},
      {"3.0", 9.8, Severity::kCritical},
      {"4.0", 0.0, Severity::kUnknown},
      {"4.0", 2.3, Severity::kLow},
      {"4.0", 9.3, Severity::kCritical},
      {"2.0", 0.0, Severity::kLow},
      {"2.0", 3.9, Severity::kLow},
      {"2.0", 4.0, Severity::kMedium},
      {"2.0", 6.9, Severity::kMedium},
      {"2.0", 7.0, Severity::kHigh},
      {"2.0", 10.0, Severity::kHigh},
      {"3.2", 5.0, Severity::kUnknown},
      {"", 5.0, Severity::kUnknown},
      {"3.1", -0.1, Severity::kUnknown},
      {"3.1", 10.1, Severity::kUnknown},
      {"2.0", std::numeric_limits<double>::quiet_NaN(), Severity::kUnknown},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(rating_for(c.version, c.score), c.want) << c.version << " " << c.score;
  }
  EXPECT_EQ(score_cvss("AV:N/AC:L/Au:N/C:C/I:C/A:C")->severity, Severity::kHigh);
  EXPECT_EQ(score_cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N")->severity,
            Severity::kUnknown);
}

// --- real advisories ---

namespace fs = std::filesystem;

fs::path vulndata_dir() {
  const fs::path src(HIVESEC_SOURCE_DIR);
  for (const auto& p :
       {src / ".." / "shared" / "vulndata", src / ".." / ".." / "shared" / "vulndata"}) {
    if (fs::exists(p / "npm" / "all.zip")) return p;
  }
  return {};
}

// The JSON documents of a zip.
std::vector<nlohmann::json> zip_documents(const fs::path& zip) {
  std::vector<nlohmann::json> out;
  archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  if (archive_read_open_filename(a, zip.c_str(), 1 << 16) == ARCHIVE_OK) {
    archive_entry* e = nullptr;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
      std::string body(static_cast<std::size_t>(archive_entry_size(e)), '\0');
      if (archive_read_data(a, body.data(), body.size()) != static_cast<la_ssize_t>(body.size())) {
        continue;
      }
      out.push_back(nlohmann::json::parse(body, nullptr, false));
    }
  }
  archive_read_free(a);
  return out;
}

// Every CVSS vector of the real advisories scores, and each GitHub advisory's own severity label
// is the rating of its CVSS v3 vector.
TEST(CvssRealData, AdvisoryVectorsScoreAndMatchGitHubLabels) {
  const fs::path dir = vulndata_dir();
  if (dir.empty()) GTEST_SKIP() << "no shared/vulndata";
  int vectors = 0, labelled = 0;
  for (const char* eco : {"npm", "PyPI", "Go"}) {
    for (const nlohmann::json& doc : zip_documents(dir / eco / "all.zip")) {
      if (!doc.is_object() || !doc.contains("severity")) continue;
      std::string label;
      if (auto ds = doc.find("database_specific"); ds != doc.end() && ds->is_object()) {
        if (auto sev = ds->find("severity"); sev != ds->end() && sev->is_string()) label = *sev;
      }
      for (const auto& s : doc["severity"]) {
        const std::string vector = s.value("score", "");
        auto r = score_cvss(vector);
        ASSERT_TRUE(r.ok()) << doc.value("id", "") << " " << vector << ": " << r.error().message;
        ++vectors;
        if (label.empty() || s.value("type", "") != "CVSS_V3") continue;
        const Severity want = label == "MODERATE"
                                  ? Severity::kMedium
                                  : model::parse_severity(label).value_or(Severity::kUnknown);
        EXPECT_EQ(r->severity, want) << doc.value("id", "") << " " << vector;
        ++labelled;
      }
    }
  }
  EXPECT_GT(vectors, 200);
  EXPECT_GT(labelled, 40);
}

}  // namespace
}  // namespace hivesec::severity
