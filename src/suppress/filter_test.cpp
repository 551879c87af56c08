#include "suppress/filter.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "suppress/testing/findings.h"

namespace hivesec::suppress {
namespace {

using testing::secret;
using testing::vuln;
namespace fs = std::filesystem;

const std::string kTestdata = std::string(HIVESEC_SOURCE_DIR) + "/src/suppress/testdata/";

class SuppressFilter : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hivesec-suppress-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

  fs::path dir_;
};

std::vector<std::string> ids(const std::vector<model::Finding>& v) {
  std::vector<std::string> out;
  for (const auto& f : v) out.push_back(f.rule_id);
  return out;
}

model::ScanResult sample_result() {
  model::ScanResult r;
  r.asset.id = "sha256:bbbb000000000000000000000000000000000000000000000000000000000002";
  image::ImageMeta m;
  m.image_id = r.asset.id;
  r.image = m;
  r.notes.push_back("existing note");
  using model::FixStatus;
  using model::Severity;
  r.findings = {
      vuln("GHSA-jf85-cpcp-j695", "pkg:npm/lodash@4.17.20", "lodash", "4.17.20", {"CVE-2019-10744"},
           Severity::kCritical),
      vuln("CVE-2022-24999", "pkg:npm/qs@6.7.0", "qs", "6.7.0", {}, Severity::kHigh),
      vuln("CVE-2023-0001", "pkg:npm/a@1", "a", "1", {}, Severity::kHigh),
      vuln("CVE-2023-0002", "pkg:deb/debian/libssl3@3.0", "libssl3", "3.0", {}, Severity::kCritical,
           FixStatus::kNotFixed),
      vuln("CVE-2023-0003", "pkg:deb/debian/bash@5", "bash", "5", {}, Severity::kLow),
      vuln("CVE-2023-0004", "pkg:deb/debian/zlib1g@1", "zlib1g", "1", {}, Severity::kCritical,
           FixStatus::kWontFix),
      secret("aws-access-key-id", "tests/fixtures/prod.env"),
      secret("aws-access-key-id", "etc/app/prod.env"),
  };
  return r;
}

TEST_F(SuppressFilter, CombinedFilters) {
  model::ScanResult r = sample_result();
  r.findings[3].vuln->matched_name = "openssl";
  r.findings[3].evidence.path = "usr/lib/x86_64-linux-gnu/libssl.so.3";
  FilterOptions o;
  o.severities = {model::Severity::kHigh, model::Severity::kCritical};
  o.ignore_unfixed = true;
  o.ignore_files = {kTestdata + "hivesecignore"};
  o.vex_files = {kTestdata + "openvex.json", kTestdata + "cyclonedx-vex.json"};
  o.today = "2024-06-01";
  auto rep = apply_filters(r, o);
  ASSERT_TRUE(rep.ok()) << rep.error().message;

  // Kept: CVE-2023-0001 (high, fixed, not ignored: its entry expired) and the secret outside
  // the ignored path.
  EXPECT_EQ(ids(r.findings), (std::vector<std::string>{"CVE-2023-0001", "aws-access-key-id"}));
  EXPECT_EQ(r.findings[1].evidence.path, "etc/app/prod.env");

  EXPECT_EQ(rep->count(SuppressReason::kIgnoreFile), 3u);  // lodash, libssl3, secret
  EXPECT_EQ(rep->count(SuppressReason::kVex), 1u);         // qs
  EXPECT_EQ(rep->count(SuppressReason::kUnfixed), 1u);     // zlib1g
  EXPECT_EQ(rep->count(SuppressReason::kSeverity), 1u);    // bash
  ASSERT_EQ(rep->suppressed.size(), 6u);
  EXPECT_EQ(rep->suppressed[0].finding.rule_id, "GHSA-jf85-cpcp-j695");
  EXPECT_EQ(rep->suppressed[0].reason, SuppressReason::kIgnoreFile)
      << "an ignore entry is tried before VEX, which would also match";
  EXPECT_EQ(rep->suppressed[0].detail, kTestdata + "hivesecignore:3 (lodash template not used)");
  EXPECT_EQ(rep->suppressed[1].reason, SuppressReason::kVex);
  EXPECT_NE(rep->suppressed[1].detail.find("not_affected (code_not_reachable)"), std::string::npos);
  EXPECT_EQ(rep->suppressed[2].detail, kTestdata + "hivesecignore:6");
  EXPECT_EQ(rep->suppressed[3].detail, "severity low");
  EXPECT_EQ(rep->suppressed[4].detail, "status wont-fix");

  std::vector<std::string> want_notes = {
      "ignore entry for CVE-2023-0001 expired on 2020-01-01 (" + kTestdata +
          "hivesecignore line 5)",
      "VEX " + kTestdata +
          "cyclonedx-vex.json: 2 affects refs name no component with a purl and match nothing",
      "3 findings suppressed by ignore file (" + kTestdata + "hivesecignore)",
      "1 finding suppressed by VEX (" + kTestdata + "cyclonedx-vex.json)",
      "1 finding without a fixed version suppressed (--ignore-unfixed)",
      "1 finding suppressed by severity filter (keeping HIGH, CRITICAL)",
  };
  EXPECT_EQ(rep->notes, want_notes);
  ASSERT_EQ(r.notes.size(), want_notes.size() + 1);
  EXPECT_EQ(r.notes[0], "existing note");
  EXPECT_EQ(r.notes.back(), want_notes.back());
}

TEST_F(SuppressFilter, NoOptionsKeepsEverything) {
  model::ScanResult r = sample_result();
  size_t n = r.findings.size();
  auto rep = apply_filters(r, FilterOptions{});
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(r.findings.size(), n);
  EXPECT_TRUE(rep->suppressed.empty());
  EXPECT_TRUE(rep->notes.empty());
  EXPECT_EQ(r.notes.size(), 1u);
}

TEST_F(SuppressFilter, ExpiryFollowsTheInjectedDay) {
  std::string ign = write(".hivesecignore", "CVE-2023-0001 exp:2024-03-31\n");
  for (auto [today, suppressed] : {std::pair{"2024-03-31", true}, std::pair{"2024-04-01", false}}) {
    model::ScanResult r = sample_result();
    FilterOptions o;
    o.ignore_files = {ign};
    o.today = today;
    auto rep = apply_filters(r, o);
    ASSERT_TRUE(rep.ok());
    EXPECT_EQ(rep->count(SuppressReason::kIgnoreFile), suppressed ? 1u : 0u) << today;
    bool noted = !rep->notes.empty() && rep->notes[0] ==
                                            "ignore entry for CVE-2023-0001 expired on "
                                            "2024-03-31 (" +
                                                ign + " line 1)";
    EXPECT_EQ(noted, !suppressed) << today;
  }
}

TEST_F(SuppressFilter, UnfixedOnlyTouchesVulnerabilities) {
  model::ScanResult r = sample_result();
  r.findings.push_back(vuln("CVE-2023-0009", "pkg:npm/b@1", "b", "1", {}, model::Severity::kHigh,
                            model::FixStatus::kUnknown));
  r.findings.back().vuln.reset();  // a vulnerability finding without details counts as unknown
  FilterOptions o;
  o.ignore_unfixed = true;
  auto rep = apply_filters(r, o);
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->count(SuppressReason::kUnfixed), 3u);
  for (const auto& f : r.findings) {
    if (f.kind == model::FindingKind::kVulnerability) {
      EXPECT_EQ(f.vuln->status, model::FixStatus::kFixed);
    }
  }
  EXPECT_EQ(r.findings.size(), 6u) << "both secrets stay";
}

// CycloneDX analysis.response will_not_fix / can_not_fix on a statement that does not suppress:
// a finding without a fixed version becomes wont-fix (and --ignore-unfixed then drops it); one
// with a fix keeps its status; a not_affected statement still suppresses.
TEST_F(SuppressFilter, VexWillNotFixMarksUnfixedFindings) {
  const std::string vex = write("vex.json", R"({
    "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
    "vulnerabilities": [
      {"id": "CVE-2023-0002", "affects": [{"ref": "pkg:deb/debian/libssl3"}],
       "analysis": {"state": "exploitable", "response": ["will_not_fix"]}},
      {"id": "CVE-2022-24999", "affects": [{"ref": "pkg:npm/qs"}],
       "analysis": {"state": "in_triage", "response": ["can_not_fix", "workaround_available"]}},
      {"id": "CVE-2023-0003", "affects": [{"ref": "pkg:deb/debian/bash"}],
       "analysis": {"state": "exploitable", "response": ["update"]}},
      {"id": "CVE-2023-0001", "affects": [{"ref": "pkg:npm/a"}],
       "analysis": {"state": "not_affected", "response": ["will_not_fix"]}}
    ]})");
  auto status_of = [](const model::ScanResult& r, const std::string& id) {
    for (const auto& f : r.findings) {
      if (f.rule_id == id) return std::string(model::fix_status_name(f.vuln->status));
    }
    return std::string("gone");
  };
  model::ScanResult r = sample_result();
  r.findings[1].vuln->status = model::FixStatus::kFixed;  // qs: a fix exists upstream
  FilterOptions o;
  o.vex_files = {vex};
  auto rep = apply_filters(r, o);
  ASSERT_TRUE(rep.ok()) << rep.error().message;
  EXPECT_EQ(status_of(r, "CVE-2023-0002"), "wont-fix");
  for (const auto& f : r.findings) {
    if (f.rule_id == "CVE-2023-0002") {
      EXPECT_NE(f.remediation.find("will not fix"), std::string::npos) << f.remediation;
    }
  }
  EXPECT_EQ(status_of(r, "CVE-2022-24999"), "fixed") << "a published fix stays the advice";
  EXPECT_EQ(status_of(r, "CVE-2023-0003"), "fixed") << "response 'update' changes nothing";
  EXPECT_EQ(status_of(r, "CVE-2023-0001"), "gone") << "not_affected still suppresses";
  EXPECT_EQ(rep->marked_wont_fix, 1u);
  EXPECT_EQ(rep->count(SuppressReason::kVex), 1u);
  EXPECT_NE(
      std::find(r.notes.begin(), r.notes.end(), "1 finding marked wont-fix by VEX (" + vex + ")"),
      r.notes.end());

  model::ScanResult r2 = sample_result();
  o.ignore_unfixed = true;
  auto rep2 = apply_filters(r2, o);
  ASSERT_TRUE(rep2.ok());
  EXPECT_EQ(status_of(r2, "CVE-2023-0002"), "gone");
  ASSERT_FALSE(rep2->suppressed.empty());
  bool found = false;
  for (const auto& s : rep2->suppressed) {
    if (s.finding.rule_id == "CVE-2023-0002") {
      found = true;
      EXPECT_EQ(s.reason, SuppressReason::kUnfixed);
      EXPECT_EQ(s.detail, "status wont-fix");
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(SuppressFilter, ErrorsNameTheFile) {
  model::ScanResult r = sample_result();
  FilterOptions o;
  o.ignore_files = {write("bad-ignore", "CVE-1\nCVE-2 exp:tomorrow\n")};
  auto rep = apply_filters(r, o);
  ASSERT_FALSE(rep.ok());
  EXPECT_EQ(rep.error().message,
            o.ignore_files[0] + ":2: invalid date 'tomorrow' in exp: (want YYYY-MM-DD)");
  EXPECT_EQ(r.findings.size(), 8u) << "nothing is removed when loading fails";

  o.ignore_files.clear();
  o.vex_files = {write("bad.json", "{\"statements\": [1]}")};
  rep = apply_filters(r, o);
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(rep.error().message.find(o.vex_files[0]), std::string::npos) << rep.error().message;

  o.vex_files = {(dir_ / "missing.json").string()};
  rep = apply_filters(r, o);
  ASSERT_FALSE(rep.ok());
  EXPECT_EQ(rep.error().code, Errc::kNotFound);

  o.vex_files.clear();
  o.today = "2024-02-30";
  rep = apply_filters(r, o);
  ASSERT_FALSE(rep.ok());
  EXPECT_EQ(rep.error().code, Errc::kInvalidArgument);
}

TEST_F(SuppressFilter, SuppressorAppliesToSeveralResults) {
  FilterOptions o;
  o.vex_files = {kTestdata + "cyclonedx-vex.json"};
  auto s = Suppressor::load(o);
  ASSERT_TRUE(s.ok()) << s.error().message;
  model::ScanResult in_image = sample_result();
  model::ScanResult fs_scan = sample_result();
  fs_scan.image.reset();
  fs_scan.asset.kind = model::AssetKind::kFilesystem;
  fs_scan.asset.id = "/srv/root";
  in_image.findings.push_back(vuln("CVE-2024-0004", "pkg:deb/debian/bash@5", "bash", "5"));
  fs_scan.findings.push_back(vuln("CVE-2024-0004", "pkg:deb/debian/bash@5", "bash", "5"));
  EXPECT_EQ(s->apply(in_image).count(SuppressReason::kVex), 2u) << "qs and the image-wide one";
  EXPECT_EQ(s->apply(fs_scan).count(SuppressReason::kVex), 1u) << "only qs";
}

TEST_F(SuppressFilter, DefaultIgnoreFileComesFromTheCurrentDirectory) {
  fs::path old = fs::current_path();
  fs::current_path(dir_);
  EXPECT_TRUE(default_ignore_files().empty());
  fs::create_directory(dir_ / ".hivesecignore");
  EXPECT_TRUE(default_ignore_files().empty()) << "a directory is not an ignore file";
  fs::remove(dir_ / ".hivesecignore");
  write(".hivesecignore", "CVE-1\n");
  EXPECT_EQ(default_ignore_files(), std::vector<std::string>{".hivesecignore"});
  fs::current_path(old);
}

}  // namespace
}  // namespace hivesec::suppress

namespace hivesec::suppress {
namespace {

TEST_F(SuppressFilter, ManyExpiredEntriesGiveBoundedNotes) {
  std::string text;
  for (int i = 0; i < 25; ++i) text += "CVE-2020-" + std::to_string(1000 + i) + " exp:2020-01-01\n";
  FilterOptions o;
  o.ignore_files = {write("many", text)};
  o.today = "2024-01-01";
  model::ScanResult r = sample_result();
  auto rep = apply_filters(r, o);
  ASSERT_TRUE(rep.ok());
  ASSERT_EQ(rep->notes.size(), 21u);
  EXPECT_EQ(rep->notes[19].rfind("ignore entry for CVE-2020-1019 expired on 2020-01-01", 0), 0u);
  EXPECT_EQ(rep->notes[20], "5 more ignore entries have expired");
}

}  // namespace
}  // namespace hivesec::suppress
