#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model/finding.h"

namespace hivesec::model {
namespace {

TEST(FindingJson, VulnerabilityRoundTrips) {
  Finding f;
  f.kind = FindingKind::kVulnerability;
  f.rule_id = "DSA-5000-1";
  f.aliases = {"CVE-2021-1", "CVE-2021-2"};
  f.severity = Severity::kHigh;
  f.title = "openssl: 2 vulnerabilities";
  f.evidence.package = "pkg:deb/debian/libssl1.1@1.1.1n-0+deb11u3";
  VulnDetail v;
  v.package_name = "libssl1.1";
  v.package_type = "deb";
  v.installed_version = "1.1.1n-0+deb11u3";
  v.ecosystem = "Debian:11";
  v.matched_name = "openssl";
  v.advisories = {"DSA-5000-1"};
  v.fixed_versions = {"1.1.1n-0+deb11u4"};
  v.status = FixStatus::kFixed;
  v.severity_source = "CVSS_V3";
  v.cvss.push_back({"3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8,
                    Severity::kCritical, "DSA-5000-1"});
  f.vuln = v;

  nlohmann::json j = f;
  EXPECT_EQ(j["vulnerability"]["status"], "fixed");
  EXPECT_EQ(j["vulnerability"]["cvss"][0]["base_score"], 9.8);
  Finding back = j.get<Finding>();
  ASSERT_TRUE(back.vuln.has_value());
  EXPECT_EQ(back.rule_id, f.rule_id);
  EXPECT_EQ(back.severity, Severity::kHigh);
  EXPECT_EQ(back.aliases, f.aliases);
  EXPECT_EQ(back.vuln->matched_name, "openssl");
  EXPECT_EQ(back.vuln->status, FixStatus::kFixed);
  EXPECT_EQ(back.vuln->cvss.at(0).severity, Severity::kCritical);
  EXPECT_DOUBLE_EQ(back.vuln->cvss.at(0).base_score, 9.8);
  EXPECT_EQ(nlohmann::json(back), j);
}

TEST(FindingJson, OtherKindsHaveNoVulnerabilityObject) {
  Finding f;
  f.kind = FindingKind::kSecret;
  f.rule_id = "aws-access-key";
  nlohmann::json j = f;
  EXPECT_FALSE(j.contains("vulnerability"));
  Finding back = j.get<Finding>();
  EXPECT_EQ(back.kind, FindingKind::kSecret);
  EXPECT_FALSE(back.vuln.has_value());
}

}  // namespace
}  // namespace hivesec::model
