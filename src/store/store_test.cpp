#include "store/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "store/fix_advice.h"

namespace hivesec::store {
namespace {

namespace fs = std::filesystem;

model::Finding vuln(std::string id, std::vector<std::string> aliases, std::string purl,
                    std::string name, std::string installed, std::vector<std::string> fixed,
                    model::Severity sev, std::string eco = "npm", std::string type = "npm",
                    std::string matched = "") {
  model::Finding f;
  f.rule_id = std::move(id);
  f.aliases = std::move(aliases);
  f.severity = sev;
  f.evidence.package = std::move(purl);
  model::VulnDetail v;
  v.package_name = std::move(name);
  v.package_type = std::move(type);
  v.installed_version = std::move(installed);
  v.ecosystem = std::move(eco);
  v.matched_name = std::move(matched);
  v.status = fixed.empty() ? model::FixStatus::kNotFixed : model::FixStatus::kFixed;
  v.fixed_versions = std::move(fixed);
  f.vuln = std::move(v);
  return f;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hivesec-store-" + std::to_string(getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(StoreTest, PutGetWhereList) {
  auto s = open_store((dir_ / "sub" / "store.db").string());
  ASSERT_TRUE(s.ok()) << s.error().message;
  model::ScanResult r;
  r.asset.id = "sha256:abc";
  r.asset.name = "app:1";
  r.os.family = "debian";
  r.os.version = "12";
  r.scanned_at = "2026-11-22T00:00:00Z";
  model::Package p;
  p.type = "npm";
  p.name = "lodash";
  p.version = "4.17.15";
  p.purl = "pkg:npm/lodash@4.17.15";
  r.packages.push_back(p);
  r.findings.push_back(vuln("GHSA-35jh-r3h4-6jhm", {"CVE-2021-23337"}, p.purl, "lodash",
                            "4.17.15", {"4.17.21"}, model::Severity::kHigh));
  ASSERT_TRUE((*s)->put(r).ok());
  auto back = (*s)->get("app:1");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->asset.id, "sha256:abc");
  EXPECT_EQ(back->os.version, "12");
  ASSERT_EQ(back->packages.size(), 1u);
  EXPECT_EQ(back->packages[0].purl, p.purl);
  ASSERT_EQ(back->findings.size(), 1u);
  EXPECT_EQ(back->findings[0].vuln->fixed_versions[0], "4.17.21");

  auto hits = (*s)->where("cve-2021-23337");  // case-insensitive, by alias
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].asset_name, "app:1");
  EXPECT_EQ((*hits)[0].finding.rule_id, "GHSA-35jh-r3h4-6jhm");
  EXPECT_TRUE((*s)->where("CVE-1999-0001")->empty());

  // Re-matched findings replace the old ones and the index follows.
  ASSERT_TRUE((*s)->put_findings("sha256:abc", {}, "2026-11-23T00:00:00Z").ok());
  EXPECT_TRUE((*s)->where("CVE-2021-23337")->empty());
  auto list = (*s)->list();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].matched_at, "2026-11-23T00:00:00Z");
  EXPECT_EQ((*list)[0].packages, 1);
  EXPECT_EQ((*list)[0].findings, 0);
  EXPECT_EQ((*s)->get("nope").error().code, Errc::kNotFound);
  EXPECT_FALSE((*s)->put_findings("sha256:none", {}, "x").ok());
}

TEST_F(StoreTest, CorruptFileIsAClearError) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "bad.db") << std::string(8192, 'x');
  auto s = open_store((dir_ / "bad.db").string());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("--store"), std::string::npos) << s.error().message;
}

TEST(FixAdvice, RanksBySeverityRemovedAndTargetsTheHighestNeededFix) {
  versions::SchemeRegistry schemes;
  ASSERT_TRUE(versions::register_builtin_schemes(schemes).ok());
  std::vector<model::Finding> fs = {
      vuln("A", {}, "pkg:npm/lodash@4.17.15", "lodash", "4.17.15", {"4.17.19"},
           model::Severity::kMedium),
      vuln("B", {}, "pkg:npm/lodash@4.17.15", "lodash", "4.17.15", {"4.17.21", "5.0.0"},
           model::Severity::kHigh),
      vuln("C", {}, "pkg:npm/lodash@4.17.15", "lodash", "4.17.15", {}, model::Severity::kHigh),
      vuln("D", {}, "pkg:npm/handlebars@4.5.3", "handlebars", "4.5.3", {"4.7.7"},
           model::Severity::kCritical),
      // Two binary packages of one Debian source: one upgrade.
      vuln("DSA-1", {}, "pkg:deb/debian/libssl3@3.0.1", "libssl3", "3.0.1-1", {"3.0.1-1+deb12u1"},
           model::Severity::kLow, "Debian:12", "deb", "openssl"),
      vuln("DSA-1", {}, "pkg:deb/debian/openssl@3.0.1", "openssl", "3.0.1-1", {"3.0.1-1+deb12u1"},
           model::Severity::kLow, "Debian:12", "deb", "openssl"),
      vuln("DSA-2", {}, "pkg:deb/debian/libssl3@3.0.1", "libssl3", "3.0.1-1", {"3.0.1-1~deb12u2"},
           model::Severity::kLow, "Debian:12", "deb", "openssl"),
  };
  auto advice = fix_advice(fs, schemes);
  ASSERT_EQ(advice.size(), 3u);
  EXPECT_EQ(advice[0].package, "handlebars");
  EXPECT_EQ(advice[1].package, "lodash");
  EXPECT_EQ(advice[1].target_version, "4.17.21");
  EXPECT_EQ(advice[1].removes, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(advice[1].unfixed, 1);
  EXPECT_EQ(advice[2].package, "openssl (source package)");
  // dpkg order: 3.0.1-1+deb12u1 > 3.0.1-1~deb12u2.
  EXPECT_EQ(advice[2].target_version, "3.0.1-1+deb12u1");
  EXPECT_EQ(advice[2].targets.size(), 2u);
  EXPECT_EQ(advice[2].by_severity[static_cast<size_t>(model::Severity::kLow)], 2);
}

}  // namespace
}  // namespace hivesec::store
