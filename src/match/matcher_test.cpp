#include "match/matcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "model/purl.h"

namespace hivesec::match {
namespace {

namespace fs = std::filesystem;

// A real advisory database built from these records with the importer.
constexpr const char* kRecords[] = {
    // Debian 11 advisory on a source package, two CVEs.
    R"({"id": "DSA-5000-1", "modified": "2023-01-01T00:00:00Z", "published": "2022-01-01T00:00:00Z",
        "aliases": ["CVE-2022-0001", "CVE-2022-0002"],
        "affected": [{"package": {"ecosystem": "Debian:11", "name": "openssl"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"},
                                                      {"fixed": "1.1.1n-0+deb11u4"}]}]}]})",
    // The same source package in another release must not match a Debian 11 image.
    R"({"id": "DSA-6000-1", "modified": "2023-01-01T00:00:00Z", "aliases": ["CVE-2023-0009"],
        "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"},
                                                      {"fixed": "9.9.9-1"}]}]}]})",
    // Upstream (npm) advisory and a second record naming the same CVE: one finding.
    R"({"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-02T00:00:00Z", "aliases": ["CVE-2024-0001"],
        "database_specific": {"severity": "MODERATE"},
        "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]})",
    R"({"id": "OSV-2024-1", "modified": "2024-03-02T00:00:00Z", "aliases": ["CVE-2024-0001"],
        "database_specific": {"severity": "HIGH"},
        "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "4.0.0"}, {"fixed": "4.17.19"}]}]}]})",
    // Withdrawn: never reported.
    R"({"id": "GHSA-wwww-wwww-wwww", "modified": "2024-02-01T00:00:00Z",
        "withdrawn": "2024-02-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]})",
    // No fix yet.
    R"({"id": "GHSA-nofx-nofx-nofx", "modified": "2024-02-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "4.17.0"}]}]}]})",
    // PyPI advisory for a package that Debian owns in the image: not matched.
    R"({"id": "PYSEC-2020-1", "modified": "2020-01-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "PyYAML"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "99"}]}]}]})",
    // Go stdlib: matched for a Go binary even when an OS package owns it.
    R"({"id": "GO-2023-1840", "modified": "2023-06-01T00:00:00Z", "aliases": ["CVE-2023-29403"],
        "affected": [{"package": {"ecosystem": "Go", "name": "stdlib"},
          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.19.10"},
                     {"introduced": "1.20.0-0"}, {"fixed": "1.20.5"}]}]}]})",
    R"({"id": "GO-2022-0001", "modified": "2022-06-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "Go", "name": "golang.org/x/net"},
          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.7.0"}]}]}]})",
};

class MatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hivesec-matcher-" + std::to_string(getpid()));
    fs::create_directories(dir_ / "osv");
    int i = 0;
    for (const char* rec : kRecords) {
      std::ofstream(dir_ / "osv" / (std::to_string(i++) + ".json")) << rec;
    }
    auto st = vulndb::import_paths({(dir_ / "osv").string()}, (dir_ / "v.db").string());
    ASSERT_TRUE(st.ok()) << st.error().message;
    ASSERT_EQ(st->skipped, 0);
    auto db = vulndb::open_database_read_only((dir_ / "v.db").string());
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(versions::register_builtin_schemes(schemes_).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  static model::Package pkg(std::string type, std::string ns, std::string name, std::string version) {
    model::Package p;
    p.type = std::move(type);
    p.namespace_ = std::move(ns);
    p.name = std::move(name);
    p.version = std::move(version);
    p.purl = model::make_purl(p.type, p.namespace_, p.name, p.version);
    return p;
  }
  static model::Package deb(std::string name, std::string version, std::string src,
                            std::string src_version) {
    model::Package p = pkg("deb", "debian", std::move(name), std::move(version));
    p.source_name = std::move(src);
    p.source_version = std::move(src_version);
    return p;
  }
  std::vector<model::Finding> run(model::ScanResult& r) {
    Matcher m(*db_, schemes_);
    auto stats = m.match(r);
    EXPECT_TRUE(stats.ok()) << stats.error().message;
    return r.findings;
  }
  static std::vector<std::string> ids_for(const std::vector<model::Finding>& fs,
                                          std::string_view purl) {
    std::vector<std::string> out;
    for (const auto& f : fs) {
      if (f.evidence.package == purl) out.push_back(f.rule_id);
    }
    return out;
  }

  fs::path dir_;
  std::unique_ptr<vulndb::Database> db_;
  versions::SchemeRegistry schemes_;
};

TEST_F(MatcherTest, DebianBySourcePackageAndReleaseOnly) {
  model::ScanResult r;
  r.os.family = "debian";
  r.os.version = "11";
  // Binary package of source openssl, below the DSA fix; one at the fix; binNMU-style binary version.
  r.packages.push_back(deb("libssl1.1", "1.1.1n-0+deb11u3+b1", "openssl", "1.1.1n-0+deb11u3"));
  r.packages.push_back(deb("openssl", "1.1.1n-0+deb11u4", "", ""));
  auto found = run(r);
  ASSERT_EQ(found.size(), 1u);
  const auto& f = found[0];
  EXPECT_EQ(f.rule_id, "DSA-5000-1");
  EXPECT_EQ(f.aliases, (std::vector<std::string>{"CVE-2022-0001", "CVE-2022-0002"}));
  ASSERT_TRUE(f.vuln);
  EXPECT_EQ(f.vuln->ecosystem, "Debian:11");
  EXPECT_EQ(f.vuln->package_name, "libssl1.1");
  EXPECT_EQ(f.vuln->matched_name, "openssl");
  EXPECT_EQ(f.vuln->installed_version, "1.1.1n-0+deb11u3");
  EXPECT_EQ(f.vuln->fixed_versions, std::vector<std::string>{"1.1.1n-0+deb11u4"});
  EXPECT_EQ(f.vuln->status, model::FixStatus::kFixed);
  EXPECT_NE(f.remediation.find("1.1.1n-0+deb11u4"), std::string::npos);
}

TEST_F(MatcherTest, OtherReleaseOrUnknownOsGetsNoDistroAdvisories) {
  model::ScanResult r;
  r.os.family = "debian";
  r.os.version = "10";
  r.packages.push_back(deb("openssl", "1.1.1d-0+deb10u1", "", ""));
  EXPECT_TRUE(run(r).empty());
  model::ScanResult unknown;
  unknown.packages.push_back(deb("openssl", "1.1.1d-0+deb10u1", "", ""));
  EXPECT_TRUE(run(unknown).empty());
  ASSERT_EQ(unknown.notes.size(), 1u);
  EXPECT_NE(unknown.notes[0].find("OS is unknown"), std::string::npos);
}

TEST_F(MatcherTest, RecordsSharingAnAliasBecomeOneFinding) {
  model::ScanResult r;
  r.packages.push_back(pkg("npm", "", "lodash", "4.17.15"));
  auto found = run(r);
  // GHSA-aaaa + OSV-2024-1 (share CVE-2024-0001), and GHSA-nofx; the withdrawn one is dropped.
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].rule_id, "GHSA-aaaa-bbbb-cccc");
  EXPECT_EQ(found[0].aliases, (std::vector<std::string>{"CVE-2024-0001", "OSV-2024-1"}));
  EXPECT_EQ(found[0].vuln->advisories,
            (std::vector<std::string>{"GHSA-aaaa-bbbb-cccc", "OSV-2024-1"}));
  EXPECT_EQ(found[0].vuln->fixed_versions, (std::vector<std::string>{"4.17.19", "4.17.21"}));
  EXPECT_EQ(found[0].severity, model::Severity::kHigh);  // the higher vendor rating
  EXPECT_EQ(found[1].rule_id, "GHSA-nofx-nofx-nofx");
  EXPECT_EQ(found[1].vuln->status, model::FixStatus::kNotFixed);
  EXPECT_TRUE(found[1].vuln->fixed_versions.empty());
  EXPECT_EQ(found[1].severity, model::Severity::kUnknown);
}

TEST_F(MatcherTest, OwnedLanguagePackagesSkippedButGoStdlibMatched) {
  model::ScanResult r;
  model::Package yaml = pkg("pypi", "", "PyYAML", "5.1");
  yaml.owner = "pkg:deb/debian/python3-yaml@5.1-1";
  model::Package stdlib = pkg("golang", "", "stdlib", "1.19.8");
  stdlib.owner = "pkg:deb/debian/runc@1.1.5";
  stdlib.location = "usr/sbin/runc";
  model::Package xnet = pkg("golang", "golang.org/x", "net", "v0.5.0");
  xnet.owner = stdlib.owner;
  model::Package own_xnet = pkg("golang", "golang.org/x", "net", "v0.5.0");
  own_xnet.location = "app/server";
  r.packages = {yaml, stdlib, xnet, own_xnet};
  auto found = run(r);
  EXPECT_TRUE(ids_for(found, yaml.purl).empty());
  EXPECT_EQ(ids_for(found, stdlib.purl), std::vector<std::string>{"GO-2023-1840"});
  // x/net (sorted first by purl) only from the unowned binary, and stdlib.
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].evidence.path, "app/server");
  EXPECT_EQ(found[0].vuln->package_name, "golang.org/x/net");
  EXPECT_EQ(found[0].vuln->installed_version, "0.5.0");
  EXPECT_EQ(found[1].evidence.path, "usr/sbin/runc");
  EXPECT_EQ(found[1].remediation, "Rebuild usr/sbin/runc with Go 1.19.10 or later");
  EXPECT_TRUE(r.notes.empty());
}

TEST_F(MatcherTest, FixedVersionsAreNotReported) {
  model::ScanResult r;
  r.packages.push_back(pkg("npm", "", "lodash", "4.16.0"));  // below GHSA-nofx introduced
  r.packages.push_back(pkg("golang", "", "stdlib", "1.19.10"));
  r.packages.push_back(pkg("golang", "", "stdlib", "1.20.5"));
  auto found = run(r);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rule_id, "GHSA-aaaa-bbbb-cccc");
  // 4.16.0 is inside both GHSA-aaaa's and OSV-2024-1's ranges, below GHSA-nofx's.
  EXPECT_EQ(found[0].vuln->advisories.size(), 2u);
}

TEST_F(MatcherTest, InvalidInstalledVersionIsANoteNotACrash) {
  model::ScanResult r;
  r.packages.push_back(pkg("npm", "", "lodash", "not-a-version!!"));
  r.packages.push_back(pkg("conan", "", "zlib", "1.2.13"));
  EXPECT_TRUE(run(r).empty());
  ASSERT_EQ(r.notes.size(), 2u);
  std::string all = r.notes[0] + r.notes[1];
  EXPECT_NE(all.find("cannot read"), std::string::npos);
  EXPECT_NE(all.find("package type conan"), std::string::npos);
}

TEST_F(MatcherTest, RematchReplacesPreviousVulnerabilityFindings) {
  model::ScanResult r;
  r.packages.push_back(pkg("npm", "", "lodash", "4.17.15"));
  model::Finding secret;
  secret.kind = model::FindingKind::kSecret;
  secret.rule_id = "aws-key";
  r.findings.push_back(secret);
  run(r);
  size_t first = r.findings.size();
  run(r);
  EXPECT_EQ(r.findings.size(), first);
  EXPECT_EQ(std::count_if(r.findings.begin(), r.findings.end(),
                          [](const auto& f) { return f.kind == model::FindingKind::kSecret; }),
            1);
}

}  // namespace
}  // namespace hivesec::match
